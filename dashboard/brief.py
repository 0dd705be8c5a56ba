"""The one-file HTML brief for executives: key figures, charts and assumptions, readable offline.

Why one self-contained file: the brief is mailed and opened on machines with no internet,
so the Plotly library (once) and the world map's geometry travel inside it and nothing is
fetched when it opens (Plotly would otherwise download the map from its CDN). Every piece
of text that comes from the assumptions file is user input and is escaped on its way in.

No Streamlit here: a page's download button calls :func:`brief_html` lazily, so the brief
is a pure function of its arguments (the generation date is one, defaulting to today).
Values are in the market's unit and rates in %, as everywhere (see :mod:`market.assumptions`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from html import escape
from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from dashboard import charts
from dashboard.colors import segment_colors
from dashboard.format import assumption_value, headline_text, money, pct
from market import estimates, opportunity
from market.assumptions import Assumptions
from market.formats import ExportRequest, format_named
from market.model import Forecast, as_float, as_int, by_year, forecast
from market.opportunity import Opportunity
from market.risk import MEMORY_CEILING, Simulation, budgeted_paths, simulate
from market.summary import Headline, assumption_table, chance_of_target, headlines, reading

__all__ = ["TOPOJSON_DIR", "brief_file", "brief_filename", "brief_html"]

TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "static" / "topojson"
"""The world map geometry shipped with the project (see its README)."""

_MAP_NAME = "world_110m"
"""The topology Plotly's geo charts ask for at their default scope and resolution."""

_CONFIG = {"displaylogo": False, "responsive": True}
_HEIGHT = 420


def brief_html(
    current: Assumptions,
    base: Assumptions,
    *,
    paths: int = 10_000,
    seed: int = 0,
    generated: dt.date | None = None,
    opportunity: Opportunity | None = None,
) -> str:
    """The brief for ``current`` (what the analyst set), measured against ``base`` (the file).
    With ``opportunity`` (the user's choices on the Opportunity page) it adds our plan.

    ``base``'s forecast is the report's trajectory drawn for reference, and the assumption
    list marks every value that differs from it. ``paths`` and ``seed`` drive the Monte
    Carlo fan, so the same arguments give the same file.
    """
    f = forecast(current)
    report = by_year(forecast(base).totals["value"])
    sim = simulate(current, budgeted_paths(current, paths), seed)
    unit = current.market.unit
    table = assumption_table(base, current)
    body = "\n".join(
        [
            _header(current, generated or dt.date.today(), int(table["changed"].sum())),
            _key_figures(headlines(current, f), unit),
            f"<p class='reading'>{escape(reading(current, f, _money(unit)))}</p>",
            _estimates(current, base, f),
            _charts(current, f, report, sim, wanted=paths),
            _opportunity(current, opportunity, paths, seed) if opportunity else "",
            _assumptions(table, current),
        ]
    )
    title = f"{current.market.name}: market brief"
    return _page(title, body, with_map=_region(current) is not None)


def brief_filename(a: Assumptions, generated: dt.date | None = None) -> str:
    """A download name such as ``microservices-in-healthcare-brief-2025-11-26.html``."""
    return format_named("html").file_name(a, day=generated)


# --- Text sections ---------------------------------------------------------------------------


def _money(unit: str) -> Callable[[float], str]:
    return lambda value: money(value, unit)


def _header(a: Assumptions, generated: dt.date, changed: int) -> str:
    source = a.market.source
    cited = f"{source.publisher}, {source.title}"
    if source.reference:
        cited += f" ({source.reference})"
    lines = [
        f"<h1>{escape(a.market.name)}</h1>",
        f"<p class='meta'>Market brief generated {generated.isoformat()} · values in "
        f"{escape(a.market.unit)} · {a.years.first}-{a.years.horizon}</p>",
        f"<p class='source'>Source: {escape(cited)}."
        + (f" {escape(source.note)}" if source.note else "")
        + " Figures marked <em>reported</em> are the source's; everything else is modelled "
        "from the assumptions listed at the end.</p>",
    ]
    if a.market.description:
        lines.append(f"<p class='description'>{escape(a.market.description)}</p>")
    if changed:
        noun = "assumption differs" if changed == 1 else "assumptions differ"
        lines.append(
            f"<p class='changed-note'>{changed} {noun} from the assumptions file: "
            "these are the analyst's own and are marked in the list at the end.</p>"
        )
    return "<header>\n" + "\n".join(lines) + "\n</header>"


def _estimates(a: Assumptions, base: Assumptions, f: Forecast) -> str:
    """Which published estimate the numbers follow, the spread, and (with two or more
    estimates) every source's path beside the model's."""
    text = estimates.statement(a, base, _money(a.market.unit))
    parts = [
        "<section class='estimates'>\n<h2>Published estimates</h2>",
        f"<p class='follows'>{escape(text)}</p>",
    ]
    sources = estimates.estimates_of(a)
    if len(sources) > 1:
        fig = charts.estimate_paths(
            estimates.paths(a),
            estimates.spread(a),
            f.totals["value"],
            {e.id: e.label for e in sources},
            a.market.unit,
        )
        parts.append(_chart(fig, "brief-estimates"))
    parts.append("</section>")
    return "\n".join(parts)


def _key_figures(figures: tuple[Headline, ...], unit: str) -> str:
    cards = "\n".join(_card(h, unit) for h in figures)
    return (
        "<section class='key-figures'>\n<h2>Key figures</h2>\n"
        f"<div class='cards'>\n{cards}\n</div>\n</section>"
    )


def _card(h: Headline, unit: str) -> str:
    text = headline_text(h, unit)
    note = f"{text.change} {text.note}" if text.change else text.note[:1].upper() + text.note[1:]
    return (
        f"<div class='card {text.origin}'><div class='label'>{escape(h.label)}</div>"
        f"<div class='value'>{escape(text.value)}</div>"
        f"<div class='origin'>{text.origin.capitalize()}</div>"
        f"<div class='change'>{escape(note)}</div></div>"
    )


# --- Charts ----------------------------------------------------------------------------------


def _region(a: Assumptions) -> str | None:
    region = a.geographic_dimension
    return region.id if region is not None else None


def _charts(
    a: Assumptions, f: Forecast, report: dict[int, float], sim: Simulation, *, wanted: int
) -> str:
    reported = a.reported_by_year
    parts = [
        "<section class='trajectory'>\n<h2>Where the market goes</h2>",
        _chart(charts.trajectory(f, reported, report), "brief-trajectory"),
        "</section>",
        "<section class='segments'>\n<h2>Segments</h2>\n<div class='grid'>",
        *(_chart(fig, div_id) for div_id, fig in _segment_figures(a, f)),
        "</div>\n</section>",
    ]
    region = _region(a)
    if region is not None:
        name = a.dimension(region).name
        fig = charts.region_map(f, region, a.years.horizon, segment_colors(a), name)
        parts += [
            f"<section class='regions'>\n<h2>{escape(name)} in {a.years.horizon}</h2>",
            _chart(fig, "brief-map"),
            "</section>",
        ]
    words = chance_of_target(sim, a.years.horizon, _money(a.market.unit))
    if sim.paths < wanted:
        words += (
            f" The fan uses {sim.paths:,} simulated paths rather than {wanted:,}: this file's "
            f"segments and years would need more than {MEMORY_CEILING // 2**20} MB."
        )
    parts += [
        "<section class='risk'>\n<h2>How sure is the forecast?</h2>",
        _chart(charts.fan(sim, f, reported, report), "brief-fan"),
        f"<p class='chance'>{escape(words)}</p>",
        "</section>",
    ]
    return "\n".join(parts)


def _segment_figures(a: Assumptions, f: Forecast) -> Iterator[tuple[str, go.Figure]]:
    colors = segment_colors(a)
    for d in a.dimensions:
        yield f"brief-dimension-{d.id}", charts.stacked_area(f, d.id, d.name, colors)


def _chart(fig: go.Figure, div_id: str) -> str:
    """One figure as a div and its drawing script; the library itself is loaded once."""
    fig.update_layout(template="plotly_white", height=_HEIGHT)
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        config=_CONFIG,
        div_id=div_id,
        default_height=f"{_HEIGHT}px",
    )
    return f"<div class='chart'>{div}</div>"


# --- Our opportunity -------------------------------------------------------------------------


def _opportunity(a: Assumptions, choices: Opportunity, paths: int, seed: int) -> str:
    """The user's choices (each their assumption), the plan's headline, fan and table."""
    unit = a.market.unit
    rows = "\n".join(
        f"<tr><td>{escape(what)}</td><td>{escape(value)}</td></tr>"
        for what, value in opportunity.describe(a, choices)
    )
    parts = [
        "<section class='opportunity'>\n<h2>Our opportunity</h2>",
        f"<p class='caption'>{escape(opportunity.ASSUMPTION_NOTE)}</p>",
        f"<p class='caption'>{escape(opportunity.INDEPENDENCE_NOTE)}</p>",
        "<table>\n<thead><tr><th>Your choice (your assumption)</th><th>Value</th></tr>"
        f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table>",
    ]
    try:
        frame = opportunity.plan(a, choices)
        risk = opportunity.simulate(a, choices, paths, seed)
    except opportunity.OpportunityError as err:
        parts.append(f"<p>These choices cannot make a plan: {escape(str(err))}</p></section>")
        return "\n".join(parts)
    band, last = risk.horizon, frame.iloc[-1]
    parts.append(
        f"<p class='reading'>In {int(last['year'])} the served market (SAM) is "
        f"{escape(money(last['sam'], unit))} and our planned revenue "
        f"{escape(money(last['revenue'], unit))} ({escape(pct(last['share_pct'], 2))} of SAM); "
        f"over {risk.paths:,} simulated paths of the market it lies between "
        f"{escape(money(band['p10'], unit))} (P10) and {escape(money(band['p90'], unit))} (P90), "
        f"median {escape(money(band['p50'], unit))}.</p>"
    )
    target = None
    if choices.revenue_target is not None:
        target = (choices.revenue_target, choices.revenue_target_year or a.years.horizon)
    parts.append(_chart(charts.revenue_fan(risk.revenue, frame, unit, target), "brief-revenue"))
    body = "\n".join(
        f"<tr><td>{as_int(r['year'])}</td>"
        f"<td class='num'>{escape(money(as_float(r['market']), unit))}</td>"
        f"<td class='num'>{escape(money(as_float(r['sam']), unit))}</td>"
        f"<td class='num'>{escape(pct(as_float(r['share_pct']), 2))}</td>"
        f"<td class='num'>{escape(money(as_float(r['revenue']), unit))}</td></tr>"
        for r in frame.to_dict("records")
    )
    parts.append(
        "<table>\n<thead><tr><th>Year</th><th class='num'>Market (modelled)</th>"
        "<th class='num'>SAM (independence assumed)</th><th class='num'>Share of SAM</th>"
        f"<th class='num'>Revenue (plan)</th></tr></thead>\n<tbody>\n{body}\n</tbody>\n"
        "</table>\n</section>"
    )
    return "\n".join(parts)


# --- Assumptions -----------------------------------------------------------------------------


def _assumptions(table: pd.DataFrame, a: Assumptions) -> str:
    """Every tunable assumption, grouped by dimension: the file's value with its provenance,
    then the value used; a reason shared by consecutive rows (a segment's share and its
    growth differential) is written once across them."""
    groups = []
    for dimension, rows in groupby(table.itertuples(index=False), key=lambda r: r.dimension):
        heading = escape(dimension) if dimension else "The market as a whole"
        lines = "\n".join(_assumption_rows(list(rows), a.market.unit))
        groups.append(
            f"<tbody>\n<tr class='group'><th colspan='6' scope='rowgroup'>{heading}</th></tr>"
            f"\n{lines}\n</tbody>"
        )
    return (
        "<section class='assumptions'>\n<h2>Assumptions and where they come from</h2>\n"
        "<p class='caption'><em>Reported</em> values cite the source; <em>assumed</em> ones give "
        "the analyst's reason. Shares are weights, normalised within their dimension (or "
        "parent segment). Provenance describes the file's value: a value the analyst changed "
        "is marked <em>changed</em> and is the analyst's own, not the source's.</p>\n"
        "<table>\n<thead><tr><th>Assumption</th><th class='num'>File value</th>"
        "<th>Provenance</th><th>Citation or rationale</th><th class='num'>Value used</th>"
        "<th>Changed</th></tr></thead>\n" + "\n".join(groups) + "\n</table>\n</section>"
    )


def _assumption_rows(rows: list[Any], market_unit: str) -> Iterator[str]:
    for _, same_reason in groupby(rows, key=lambda r: (r.provenance, r.basis)):
        run = list(same_reason)
        for i, row in enumerate(run):
            file_value = escape(assumption_value(row.file_value, row.unit, market_unit))
            cells = f"<td>{escape(row.assumption)}</td><td class='num'>{file_value}</td>"
            if i == 0:
                cells += _provenance_cells(row.provenance, row.basis, len(run))
            used = escape(assumption_value(row.current_value, row.unit, market_unit))
            cells += f"<td class='num'>{used}</td><td>{_changed(row)}</td>"
            yield f"<tr class='changed'>{cells}</tr>" if row.changed else f"<tr>{cells}</tr>"


def _provenance_cells(provenance: str, basis: str, rows: int) -> str:
    # a reason shared with an unchanged row is not highlighted as changed
    attrs = f" rowspan='{rows}' class='shared'" if rows > 1 else ""
    tag = f"<span class='tag {escape(provenance)}'>{escape(provenance.capitalize())}</span>"
    return f"<td{attrs}>{tag}</td><td{attrs}>{escape(basis)}</td>"


def _changed(row: Any) -> str:
    return "Changed by the analyst: assumed, not the file's" if row.changed else ""


# --- The page --------------------------------------------------------------------------------


def _page(title: str, body: str, *, with_map: bool) -> str:
    geo = _geo_assets() if with_map else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_CSS}</style>
<script>window.PlotlyConfig = {{MathJaxConfig: 'local'}};</script>
{geo}<script>{_script_text(get_plotlyjs())}</script>
</head>
<body>
<main>
{body}
</main>
<script>{_PRINT_RESIZE}</script>
</body>
</html>
"""


@functools.cache
def _geo_assets() -> str:
    """The world map geometry where Plotly looks before it downloads it: defined before the
    library loads, so no chart ever asks the network for it."""
    topology = json.loads((TOPOJSON_DIR / f"{_MAP_NAME}.json").read_text(encoding="utf-8"))
    data = json.dumps({"topojson": {_MAP_NAME: topology}}, separators=(",", ":"))
    return f"<script>window.PlotlyGeoAssets = {_script_text(data)};</script>\n"


def _script_text(text: str) -> str:
    """Text safe inside a <script> element: no ``</`` can close it early."""
    return text.replace("</", "<\\/")


_PRINT_RESIZE = """
window.addEventListener('beforeprint', function () {
  document.querySelectorAll('.js-plotly-plot').forEach(function (el) { Plotly.Plots.resize(el); });
});
"""
"""Charts follow the page width on screen; this makes them follow the paper's when printed."""

_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; --changed: #fff4d6; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui,
  -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 4px;
  border-bottom: 1px solid var(--rule); }
p { margin: 6px 0; }
.meta, .source, .caption { color: var(--muted); font-size: 13px; }
.changed-note { background: var(--changed); padding: 6px 10px; border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; }
.card.modelled { border-top: 4px solid var(--accent); }
.card.reported { border-top: 4px solid var(--ink); }
.card .label { font-size: 13px; color: var(--muted); }
.card .value { font-size: 24px; font-weight: 600; }
.card .origin { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.card .change { font-size: 13px; color: var(--muted); }
.reading { font-size: 16px; margin-top: 18px; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
@media (max-width: 900px) { .grid { grid-template-columns: minmax(0, 1fr); } }
.chart { break-inside: avoid; page-break-inside: avoid; min-width: 0; }
.chance { font-size: 15px; }
table { width: 100%; border-collapse: collapse; font-size: 12.5px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px;
  border-bottom: 1px solid var(--rule); }
th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.changed td { background: var(--changed); font-weight: 600; }
tr.changed td.shared { background: none; font-weight: normal; }
.tag { font-size: 11px; padding: 1px 6px; border-radius: 8px; border: 1px solid currentColor; }
.tag.reported { color: var(--ink); }
.tag.assumed { color: var(--accent); }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 12px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .card .value { font-size: 19px; }
  main { max-width: none; padding: 0; }
  .grid { grid-template-columns: minmax(0, 1fr); }
  h2 { break-after: avoid; page-break-after: avoid; }
  section.assumptions { break-before: page; page-break-before: always; }
  .modebar-container { display: none !important; }
}
"""


def brief_file(request: ExportRequest) -> str:
    """The brief as the export registry (:mod:`market.formats`) renders it."""
    return brief_html(request.current, request.base, opportunity=request.opportunity)
