"""The one-file HTML brief for executives: key figures, charts and assumptions, readable offline.

Why one self-contained file: the brief is mailed and opened on machines with no internet,
so the Plotly library (once) and the world map's geometry travel inside it and nothing is
fetched when it opens (Plotly would otherwise download the map from its CDN). Every piece
of text that comes from the assumptions file is user input: the page is a Jinja2 template
(``templates/brief.html.j2``) with autoescaping, so it goes in as text and is escaped there;
only the chart divs, the library and the map geometry are marked trusted (:func:`_trusted`).

No Streamlit here: a page's download button calls :func:`brief_html` lazily, so the brief
is a pure function of its arguments (the generation date is one, defaulting to today).
Values are in the market's unit and rates in %, as everywhere (see :mod:`market.assumptions`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from market import estimates, opportunity
from market.assumptions import Assumptions
from market.comments import Comment
from market.grid import GridSpec, two_way
from market.model import Forecast, as_float, as_int, by_year, forecast
from market.opportunity import Opportunity
from market.risk import DEFAULT_PATHS, MEMORY_CEILING, Simulation, budgeted_paths, simulate
from market.summary import (
    RANGE,
    RANGE_LABELS,
    Headline,
    actuals_statement,
    assumption_table,
    chance_of_target,
    growth_statement,
    headlines,
    outcome_range,
    reading,
)
from report import charts, findings
from report.colors import segment_colors
from report.format import assumption_value, headline_text, money, pct
from report.formats import format_named
from report.request import ExportRequest

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
    paths: int = DEFAULT_PATHS,
    seed: int = 0,
    generated: dt.date | None = None,
    opportunity: Opportunity | None = None,
    grid: GridSpec | None = None,
    comments: tuple[Comment, ...] = (),
) -> str:
    """The brief for ``current`` (what the analyst set), measured against ``base`` (the file).
    With ``opportunity`` (the user's choices on the Opportunity page) it adds our plan, with
    ``grid`` (the Risk page's two-way grid) that grid, with ``comments`` (the open notes
    viewers left) a section listing them, as plain text.

    ``base``'s forecast is the report's trajectory drawn for reference, and the assumption
    list marks every value that differs from it. ``paths`` and ``seed`` drive the Monte
    Carlo fan, so the same arguments give the same file.
    """
    f = forecast(current)
    report = by_year(forecast(base).totals["value"])
    sim = simulate(current, budgeted_paths(current, paths), seed, by_segment=False)
    unit = current.market.unit
    table = assumption_table(base, current, used_only=True)
    region = _region(current)
    return _template().render(
        header=_header(current, generated or dt.date.today(), int(table["changed"].sum())),
        said=_findings(current, f, table),
        cards=[_card(h, unit) for h in headlines(current, f)],
        reading=reading(current, f, _money(unit)),
        growth=growth_statement(current, f, _money(unit)),
        actuals=actuals_statement(current, f, _money(unit)),
        estimates=_estimates(current, base, f),
        **_charts(current, f, report, sim, wanted=paths),
        outcomes=_outcomes(current, sim),
        opportunity=_opportunity(current, opportunity, paths, seed) if opportunity else None,
        grid=_grid(current, grid, opportunity) if grid is not None else None,
        assumptions=_assumptions(table, current.market.unit),
        comments=[_comment(c) for c in comments],
        geo_assets=_geo_assets() if region is not None else None,
        plotly_js=_plotly_js(),
    )


def brief_filename(a: Assumptions, generated: dt.date | None = None) -> str:
    """A download name such as ``microservices-in-healthcare-brief-2025-11-26.html``."""
    return format_named("html").file_name(a, day=generated)


# --- The template ----------------------------------------------------------------------------


@functools.cache
def _template() -> jinja2.Template:
    """``templates/brief.html.j2``, autoescaped: every value handed to it is text, and a
    missing one is an error rather than an empty string."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("brief.html.j2")


def _trusted(html: str) -> Markup:
    """The one way into the brief unescaped, for what we generate rather than the file
    holds: Plotly's chart divs (:func:`_chart`), the Plotly library (:func:`_plotly_js`)
    and the map geometry (:func:`_geo_assets`). The file's text inside a chart (titles,
    segment names) is escaped by Plotly: it travels as JSON data and is drawn as SVG text.
    Never call this on text from the assumptions file."""
    return Markup(html)  # noqa: S704 - only the three generated pieces named above


# --- Text sections ---------------------------------------------------------------------------


def _comment(c: Comment) -> dict[str, str]:
    """A note as the template lists it: every part is text, escaped there."""
    return {"where": c.where(), "byline": c.byline(), "text": c.text}


def _money(unit: str) -> Callable[[float], str]:
    return lambda value: money(value, unit)


def _header(a: Assumptions, generated: dt.date, changed: int) -> dict[str, Any]:
    source = a.market.source
    return {
        "name": a.market.name,
        "generated": generated.isoformat(),
        "unit": a.market.unit,
        "first": a.years.first,
        "horizon": a.years.horizon,
        "cited": source.citation,
        "note": source.note,
        "description": a.market.description,
        "changed": changed,
    }


def _findings(a: Assumptions, f: Forecast, table: pd.DataFrame) -> dict[str, Any]:
    """The sections' headings: the deck's action titles, in the same words
    (:mod:`report.findings`)."""
    region = _region(a)
    summary = f.segment_summary()
    return {
        "growth": findings.growth(a, f),
        "trajectory": findings.trajectory(a, f),
        "mixes": [findings.mix(a, summary, d.id) for d in a.dimensions],
        "region": findings.regions(a, summary, region) if region is not None else None,
        "foundations": findings.foundations(table),
    }


def _outcomes(a: Assumptions, sim: Simulation) -> dict[str, Any]:
    """The range of outcomes as numbers: P10, P50 and P90 each year from the base year,
    and the sentence the deck titles its slide with."""
    band = outcome_range(sim, a.years.base)
    unit = a.market.unit
    return {
        "finding": findings.outcome_range(a, band),
        "labels": [RANGE_LABELS[q] for q in RANGE],
        "rows": [
            {"year": as_int(year), **{q: money(as_float(row[q]), unit) for q in RANGE}}
            for year, row in band.iterrows()
        ],
    }


def _estimates(a: Assumptions, base: Assumptions, f: Forecast) -> dict[str, Any]:
    """Which published estimate the numbers follow, the spread, and (with two or more
    estimates) every source's path beside the model's."""
    chart = None
    sources = estimates.estimates_of(a)
    if len(sources) > 1:
        fig = charts.estimate_paths(
            estimates.paths(a),
            estimates.spread(a),
            f.totals["value"],
            {e.id: e.label for e in sources},
            a.market.unit,
        )
        chart = _chart(fig, "brief-estimates")
    return {"text": estimates.statement(a, base, _money(a.market.unit)), "chart": chart}


def _card(h: Headline, unit: str) -> dict[str, str]:
    text = headline_text(h, unit)
    note = f"{text.change} {text.note}" if text.change else text.note[:1].upper() + text.note[1:]
    return {"origin": text.origin, "label": h.label, "value": text.value, "note": note}


# --- Charts ----------------------------------------------------------------------------------


def _region(a: Assumptions) -> str | None:
    region = a.geographic_dimension
    return region.id if region is not None else None


def _charts(
    a: Assumptions, f: Forecast, report: dict[int, float], sim: Simulation, *, wanted: int
) -> dict[str, Any]:
    reported = f.reported_by_year
    region = _region(a)
    shown_region = None
    if region is not None:
        name = a.dimension(region).name
        fig = charts.region_map(f, region, a.years.horizon, segment_colors(a), name)
        shown_region = {"name": name, "chart": _chart(fig, "brief-map")}
    words = chance_of_target(sim, a.years.horizon, _money(a.market.unit))
    if sim.paths < wanted:
        words += (
            f" The fan uses {sim.paths:,} simulated paths rather than {wanted:,}: this file's "
            f"segments and years would need more than {MEMORY_CEILING // 2**20} MB."
        )
    return {
        "trajectory": _chart(charts.trajectory(f, reported, report), "brief-trajectory"),
        "growth_chart": _chart(charts.growth_rates(f), "brief-growth"),
        "segments": [_chart(fig, div_id) for div_id, fig in _segment_figures(a, f)],
        "region": shown_region,
        "fan": _chart(charts.fan(sim, f, reported, report), "brief-fan"),
        "chance": words,
    }


def _segment_figures(a: Assumptions, f: Forecast) -> Iterator[tuple[str, go.Figure]]:
    colors = segment_colors(a)
    for d in a.dimensions:
        yield f"brief-dimension-{d.id}", charts.stacked_area(f, d.id, d.name, colors)


def _chart(fig: go.Figure, div_id: str) -> Markup:
    """One figure as a div and its drawing script; the library itself is loaded once."""
    # the template itself, not its name: the chart builders' figures skip Plotly's
    # validation, which is what turns a name into a template
    fig.update_layout(template=pio.templates["plotly_white"], height=_HEIGHT)
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        config=_CONFIG,
        div_id=div_id,
        default_height=f"{_HEIGHT}px",
    )
    return _trusted(div)  # trusted: Plotly's own markup, the file's text inside is JSON data


# --- The two-way grid ------------------------------------------------------------------------


def _grid(a: Assumptions, spec: GridSpec, choices: Opportunity | None) -> dict[str, Any]:
    """The Risk page's grid as a chart and what it shows, or why it could not be made."""
    try:
        grid = two_way(a, spec, choices)
    except ValueError as err:
        return {"chart": None, "words": f"The Risk page's grid could not be made: {err}"}
    rows, columns = grid.rows.input, grid.columns.input
    words = (
        f"{grid.label} for every pair of {rows.label} (rows) and {columns.label} (columns), "
        "each an assumption, the other assumptions as they are."
    )
    if grid.target is not None:
        reached = int(grid.reaching().sum())
        words += (
            f" {reached} of {grid.values.size} combinations reach "
            f"{money(grid.target, a.market.unit)} (marked ▲)."
        )
    return {"chart": _chart(charts.two_way(grid), "brief-grid"), "words": " ".join(words.split())}


# --- Our opportunity -------------------------------------------------------------------------


def _opportunity(a: Assumptions, choices: Opportunity, paths: int, seed: int) -> dict[str, Any]:
    """The user's choices (each their assumption), the plan's headline, fan and table."""
    unit = a.market.unit
    shown: dict[str, Any] = {
        "notes": [opportunity.ASSUMPTION_NOTE, opportunity.INDEPENDENCE_NOTE],
        "choices": list(opportunity.describe(a, choices)),
        "error": None,
        "plan": None,
    }
    try:
        frame = opportunity.plan(a, choices)
        risk = opportunity.simulate(a, choices, paths, seed)
    except opportunity.OpportunityError as err:
        shown["error"] = str(err)
        return shown
    band, last = risk.horizon, frame.iloc[-1]
    target = None
    if choices.revenue_target is not None:
        target = (choices.revenue_target, choices.revenue_target_year or a.years.horizon)
    shown["plan"] = {
        "finding": findings.opportunity(frame, unit),
        "year": int(last["year"]),
        "sam": money(last["sam"], unit),
        "revenue": money(last["revenue"], unit),
        "share": pct(last["share_pct"], 2),
        "paths": f"{risk.paths:,}",
        **{p: money(band[p], unit) for p in ("p10", "p50", "p90")},
        "chart": _chart(charts.revenue_fan(risk.revenue, frame, unit, target), "brief-revenue"),
        "rows": [
            {
                "year": as_int(r["year"]),
                "market": money(as_float(r["market"]), unit),
                "sam": money(as_float(r["sam"]), unit),
                "share": pct(as_float(r["share_pct"]), 2),
                "revenue": money(as_float(r["revenue"]), unit),
            }
            for r in frame.to_dict("records")
        ],
    }
    return shown


# --- Assumptions -----------------------------------------------------------------------------


def _assumptions(table: pd.DataFrame, market_unit: str) -> list[dict[str, Any]]:
    """Every tunable assumption, grouped by dimension (empty: the market as a whole): the
    file's value with its provenance, then the value used; a reason shared by consecutive
    rows (a segment's share and its growth differential) is written once across them."""
    return [
        {"dimension": dimension, "rows": list(_assumption_rows(list(rows), market_unit))}
        for dimension, rows in groupby(table.itertuples(index=False), key=lambda r: r.dimension)
    ]


def _assumption_rows(rows: list[Any], market_unit: str) -> Iterator[dict[str, Any]]:
    for (provenance, basis), same_reason in groupby(rows, key=lambda r: (r.provenance, r.basis)):
        run = list(same_reason)
        for i, row in enumerate(run):
            reason = {"provenance": provenance, "basis": basis, "rows": len(run)}
            yield {
                "assumption": row.assumption,
                "file_value": assumption_value(row.file_value, row.unit, market_unit, row.choices),
                "reason": reason if i == 0 else None,
                "used": assumption_value(row.current_value, row.unit, market_unit, row.choices),
                "changed": bool(row.changed),
            }


# --- Embedded assets -------------------------------------------------------------------------


@functools.cache
def _plotly_js() -> Markup:
    # trusted: the installed Plotly library, embedded once so the brief opens offline
    return _trusted(_script_text(get_plotlyjs()))


@functools.cache
def _geo_assets() -> Markup:
    """The world map geometry where Plotly looks before it downloads it: defined before the
    library loads, so no chart ever asks the network for it."""
    topology = json.loads((TOPOJSON_DIR / f"{_MAP_NAME}.json").read_text(encoding="utf-8"))
    data = json.dumps({"topojson": {_MAP_NAME: topology}}, separators=(",", ":"))
    # trusted: the project's own geometry file, as JSON made safe inside <script>
    return _trusted(_script_text(data))


def _script_text(text: str) -> str:
    """Text safe inside a <script> element: no ``</`` can close it early."""
    return text.replace("</", "<\\/")


def brief_file(request: ExportRequest) -> str:
    """The brief as the export registry (:mod:`report.formats`) renders it."""
    return brief_html(
        request.current,
        request.base,
        opportunity=request.opportunity,
        grid=request.grid,
        comments=request.comments,
    )
