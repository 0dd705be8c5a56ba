"""The executive deck: a PowerPoint file of the current view, with native, editable charts.

Why native charts rather than pictures: executives paste these slides into board decks and
restyle them; a native chart carries its numbers in an embedded workbook ("Edit data"), so it
never goes stale as a screenshot would. python-pptx writes both the chart and that workbook.

No Streamlit here, as in :mod:`report.brief`: the page's download button and the command
line (``market export --out deck.pptx``) both call :func:`deck_pptx`, a pure function of its
arguments. Colours and number formats are the dashboard's own (:mod:`report.colors`,
:mod:`report.format`), so a segment has one colour on screen, in the brief and here.
Values are in the market's unit and rates in %, as everywhere (see :mod:`market.assumptions`).

Text from the assumptions file is plain text: control characters are dropped (they are not
allowed in the file's XML) and text that a spreadsheet would read as a formula is neutralised
before it reaches the embedded workbooks.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence

import pandas as pd
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from market import opportunity as opportunities
from market.assumptions import Assumptions
from market.estimates import statement
from market.model import Forecast, forecast
from market.opportunity import Opportunity
from market.risk import TOTAL, Simulation, affordable_paths, sensitivity, simulate
from market.summary import (
    actuals_statement,
    assumption_table,
    growth_statement,
    headlines,
    reading,
    sensitivity_targets,
)
from report import colors
from report.export import cell_text, xml_text
from report.format import headline_text, money, pct, pp
from report.reproducible import stamped
from report.request import ExportRequest

__all__ = ["deck_file", "deck_pptx"]

_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
_MARGIN = Inches(0.5)
_BODY_TOP = Inches(1.45)
_FOOT_TOP = Inches(6.85)
_TITLE_ONLY = 5  # the default template's "Title Only" layout
_VALUE_FORMAT = "#,##0.0"
_SHARE_FORMAT = "0.0%"
_RATE_FORMAT = "0.00%"
_TABLE_ROWS = 12
_TORNADO_BARS = 10
_BAND_LINE = "#56B4E9"
"""P10 and P90: the sky blue of the dashboard's fan, dashed, around the blue median."""


def deck_file(request: ExportRequest) -> bytes:
    """The renderer of the export registry (:data:`report.formats.FORMATS`), dated today:
    the same view gives the same bytes all day (:mod:`report.reproducible`)."""
    today = dt.date.today()
    return stamped(deck_pptx(request, today), today)


def deck_pptx(view: ExportRequest, generated: dt.date | None = None) -> bytes:
    """The deck as the bytes of a ``.pptx`` file, for the view an export request describes.

    The Monte Carlo uses the request's path count (at most what the memory budget affords)
    with seed 0, as the Risk page does, so the deck shows the page's percentiles.
    """
    a = view.current
    f = view.forecast
    deck = _Deck(a)
    _title_slide(deck, view, generated or dt.date.today())
    _headline_slide(deck, a, f)
    _trajectory_slide(deck, view, f)
    for dimension in a.dimensions:
        _dimension_slide(deck, a, f, dimension.id)
    region = a.geographic_dimension
    if region is not None:
        _region_slide(deck, a, f, region.id)
    _risk_slide(deck, view, f)
    if len(view.compared) >= 2:
        _scenario_slide(deck, view)
    if view.opportunity is not None:
        _opportunity_slide(deck, a, f, view.opportunity)
    _assumption_slides(deck, view)
    return deck.save()


# --- Text that is safe to write ------------------------------------------------------------


def plain(text: object) -> str:
    """Text as PowerPoint can hold it (XML 1.0); it is never read as markup."""
    return xml_text(str(text))


def _cell(text: object) -> str:
    """Text for an embedded workbook's cell: plain, and never read as a formula (OWASP)."""
    return cell_text(str(text))


def _number(value: float) -> float | None:
    """A chart value; a non-finite one becomes a gap, which every chart program accepts."""
    number = float(value)
    return number if math.isfinite(number) else None


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#")[:6].upper())


# --- The deck and its slides --------------------------------------------------------------


class _Deck:
    """A presentation being built: 16:9 slides with a title, a body and a footnote each."""

    def __init__(self, a: Assumptions) -> None:
        self.a = a
        self.unit = a.market.unit
        self.prs: PresentationType = Presentation()
        self.prs.slide_width, self.prs.slide_height = _WIDTH, _HEIGHT

    def slide(self, title: str, *, foot: str = "", notes: Iterable[str] = ()) -> Slide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[_TITLE_ONLY])
        heading = slide.shapes.title
        if heading is None:  # the "Title Only" layout always has one
            raise ValueError("the slide layout has no title placeholder")
        heading.left, heading.top = _MARGIN, Inches(0.35)
        heading.width, heading.height = _WIDTH - 2 * _MARGIN, Inches(0.95)
        heading.text_frame.text = plain(title)
        heading.text_frame.paragraphs[0].runs[0].font.size = Pt(30)
        if foot:
            self.text(slide, foot, top=_FOOT_TOP, height=Inches(0.45), size=11)
        lines = [plain(line) for line in notes if line]
        if lines:
            slide.notes_slide.notes_text_frame.text = "\n".join(lines)
        return slide

    def text(
        self,
        slide: Slide,
        text: str,
        *,
        top: Emu,
        height: Emu,
        size: int = 16,
        left: Emu = _MARGIN,
        width: Emu | None = None,
    ) -> None:
        box = slide.shapes.add_textbox(left, top, width or _WIDTH - 2 * _MARGIN, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(plain(text).split("\n")):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size = Pt(size)

    def chart(
        self,
        slide: Slide,
        kind: XL_CHART_TYPE,
        data: CategoryChartData,
        title: str,
        *,
        left: Emu = _MARGIN,
        width: Emu | None = None,
        height: Emu | None = None,
        axis_title: str = "",
        axis_format: str = _VALUE_FORMAT,
    ) -> Chart:
        width = width or _WIDTH - 2 * _MARGIN
        height = height or _FOOT_TOP - _BODY_TOP
        frame = slide.shapes.add_chart(kind, left, _BODY_TOP, width, height, data)
        chart = frame.chart
        chart.has_title = True
        chart.chart_title.text_frame.text = plain(title)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
        chart.font.size = Pt(12)
        axis = chart.value_axis
        axis.tick_labels.number_format = axis_format
        axis.tick_labels.number_format_is_linked = False
        axis.has_major_gridlines = True
        if axis_title:
            axis.has_title = True
            axis.axis_title.text_frame.text = plain(axis_title)
        chart.has_legend = len(data) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        return chart

    def table(
        self,
        slide: Slide,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
    ) -> None:
        height = Inches(0.4) * (len(rows) + 1)
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), _MARGIN, _BODY_TOP, _WIDTH - 2 * _MARGIN, height
        )
        table = shape.table
        for column, inches in zip(table.columns, widths, strict=True):
            column.width = Inches(inches)
        for r, row in enumerate([header, *rows]):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.text = plain(text)
                for paragraph in cell.text_frame.paragraphs:
                    paragraph.font.size = Pt(13 if r else 14)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _category_data(categories: Iterable[object], number_format: str) -> CategoryChartData:
    data = CategoryChartData(number_format=number_format)
    data.categories = [_cell(c) for c in categories]
    return data


def _add_series(data: CategoryChartData, name: str, values: Iterable[float]) -> None:
    data.add_series(_cell(name), [_number(v) for v in values])


def _source_notes(a: Assumptions) -> list[str]:
    """Speaker notes naming the source and each figure it reports, with its citation."""
    s = a.market.source
    lines = [f"Source: {s.citation}"]
    lines += [f"{r.year}: {money(r.value, a.market.unit)}, {r.citation}" for r in a.reported]
    if a.reported_cagr_pct is not None:
        lines.append(f"CAGR {pct(a.reported_cagr_pct.value, 2)}: {a.reported_cagr_pct.basis}")
    return lines


def _title_slide(deck: _Deck, view: ExportRequest, generated: dt.date) -> None:
    a = view.current
    day = generated.isoformat()
    slide = deck.slide(f"{a.market.name}: market outlook", notes=_source_notes(a))
    lines = [
        f"Prepared {day} · values in {a.market.unit} · {a.years.first}-{a.years.horizon}",
        f"Assumptions file: {view.file_label}",
        statement(a, view.base, lambda value: money(value, a.market.unit)),
    ]
    if view.scenario:
        lines.append(f"Scenario: {view.scenario}")
    changed = int(assumption_table(view.base, a)["changed"].sum())
    if changed:
        noun = "assumption differs" if changed == 1 else "assumptions differ"
        lines.append(f"{changed} {noun} from the file: listed at the end.")
    deck.text(slide, "\n".join(lines), top=Inches(2.0), height=Inches(3.5), size=20)
    f, shown = forecast(a), lambda value: money(value, a.market.unit)
    growth = [growth_statement(a, f, shown), actuals_statement(a, f, shown)]
    deck.text(
        slide, "\n".join(g for g in growth if g), top=Inches(5.6), height=Inches(1.5), size=13
    )


def _headline_slide(deck: _Deck, a: Assumptions, f: Forecast) -> None:
    figures = headlines(a, f)
    slide = deck.slide(
        "Headline figures",
        foot="Reported figures are the source's; modelled ones come from the assumptions.",
        notes=_source_notes(a),
    )
    rows = []
    for h in figures:
        text = headline_text(h, deck.unit)
        rows.append([h.label, text.value, text.origin, f"{text.change} {text.note}".strip()])
    deck.table(
        slide, ["Figure", "Value", "Basis", "Against the source"], rows, [3.3, 2.6, 2.2, 4.23]
    )
    words = reading(a, f, lambda value: money(value, deck.unit))
    deck.text(slide, words, top=Inches(4.0), height=Inches(2.5), size=16)


def _trajectory_slide(deck: _Deck, view: ExportRequest, f: Forecast) -> None:
    a = view.current
    totals = f.totals
    data = _category_data(totals.index, _VALUE_FORMAT)
    _add_series(data, "Modelled", totals["value"])
    reported_name = f"Reported ({a.market.source.publisher})"
    _add_series(data, reported_name, totals["reported"])
    actuals = bool(a.actuals)
    if actuals:
        _add_series(data, "Actual", totals["actual"])
    changed = assumption_table(view.base, a)["changed"].any()
    if changed:
        _add_series(data, "The file's assumptions", forecast(view.base).totals["value"])
    slide = deck.slide(
        f"Market size {a.years.first}-{a.years.horizon}",
        foot="Diamonds are the source's reported figures; "
        + ("triangles are actual figures; " if actuals else "")
        + "lines are modelled from the assumptions.",
        notes=_source_notes(a),
    )
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE_MARKERS,
        data,
        f"Market size ({deck.unit})",
        axis_title=deck.unit,
    )
    model, reported, *others = chart.plots[0].series
    _line(model, colors.MODELLED, marker=False)
    _points(reported, XL_MARKER_STYLE.DIAMOND, colors.REPORTED)
    if actuals:
        actual, *others = others
        _points(actual, XL_MARKER_STYLE.TRIANGLE, colors.ACTUAL)
    for series in others:
        _line(series, colors.REFERENCE, marker=False, dashed=True)


def _points(series: object, style: XL_MARKER_STYLE, color: str) -> None:
    """A series drawn as markers alone: the source's figures (diamonds), actuals (triangles)."""
    series.format.line.fill.background()  # type: ignore[attr-defined]
    marker = series.marker  # type: ignore[attr-defined]
    marker.style = style
    marker.size = 11
    marker.format.fill.solid()
    marker.format.fill.fore_color.rgb = _rgb(color)


def _line(series: object, color: str, *, marker: bool, dashed: bool = False) -> None:
    line = series.format.line  # type: ignore[attr-defined]
    line.color.rgb = _rgb(color)
    line.width = Pt(2.5)
    if dashed:
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
    series.smooth = False  # type: ignore[attr-defined]
    if not marker:
        series.marker.style = XL_MARKER_STYLE.NONE  # type: ignore[attr-defined]


def _color_points(chart: Chart, palette: Sequence[str]) -> None:
    """One colour per category (segment) in a single-series bar chart."""
    series = chart.plots[0].series[0]
    for point, color in zip(series.points, palette, strict=False):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(color)


def _bars(chart: Chart, number_format: str) -> None:
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = number_format
    plot.data_labels.number_format_is_linked = False
    plot.gap_width = 60
    chart.category_axis.reverse_order = True  # first segment on top, as in the file


def _dimension_slide(deck: _Deck, a: Assumptions, f: Forecast, dimension_id: str) -> None:
    dimension = a.dimension(dimension_id)
    summary = f.segment_summary()
    top = summary[(summary["dimension"] == dimension_id) & (summary["parent"] == "")]
    names = list(top["segment"])
    palette = [colors.segment_colors(a)[dimension_id][n] for n in names]
    horizon, base = a.years.horizon, a.years.base
    half = (_WIDTH - 2 * _MARGIN) // 2
    slide = deck.slide(
        f"{dimension.name}: mix and growth",
        foot="Segment shares and growth differentials are assumptions, not figures from the "
        "source.",
        notes=[f"{s.name}: {s.provenance.value}; {s.basis}" for s in dimension.segments],
    )
    mix = _category_data(names, _SHARE_FORMAT)
    _add_series(mix, f"Share of the market in {horizon}", top["share_horizon"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        mix,
        f"{dimension.name}: share of the market in {horizon} (%)",
        width=half,
        axis_format="0%",
    )
    _bars(chart, _SHARE_FORMAT)
    _color_points(chart, palette)
    growth = _category_data(names, _RATE_FORMAT)
    _add_series(growth, f"CAGR {base}-{horizon}", top["cagr_pct"] / 100.0)
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        growth,
        f"{dimension.name}: growth {base}-{horizon} (CAGR, %)",
        left=_MARGIN + half,
        width=half,
        axis_format="0%",
    )
    _bars(chart, _RATE_FORMAT)
    _color_points(chart, palette)


def _region_slide(deck: _Deck, a: Assumptions, f: Forecast, dimension_id: str) -> None:
    dimension = a.dimension(dimension_id)
    values = f.by(dimension_id)
    palette = colors.segment_colors(a)[dimension_id]
    data = _category_data(values.index, _VALUE_FORMAT)
    for name in values.columns:
        _add_series(data, name, values[name])
    slide = deck.slide(
        f"{dimension.name}: the split over time",
        foot="Regional weights are assumptions, not figures from the source; they add up to "
        "the market's modelled total each year.",
        notes=[f"{s.name}: {s.provenance.value}; {s.basis}" for s in dimension.segments],
    )
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.AREA_STACKED,
        data,
        f"Market size by {dimension.name.lower()} ({deck.unit})",
        axis_title=deck.unit,
    )
    for series, name in zip(chart.plots[0].series, values.columns, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(palette[name])


def _risk_slide(deck: _Deck, view: ExportRequest, f: Forecast) -> None:
    a = view.current
    paths = min(view.paths, affordable_paths(a))
    sim = simulate(a, paths, seed=0, by_segment=False)
    targets = sensitivity_targets(a)
    target = view.risk_target if view.risk_target in targets else TOTAL
    horizon = a.years.horizon
    half = (_WIDTH - 2 * _MARGIN) // 2
    slide = deck.slide(
        "How sure is the forecast?",
        foot=f"{paths:,} simulated paths{_reduced(paths, view.paths)}. The CAGR uncertainty "
        f"(±{pct(sim.cagr_sd_pct)} one standard deviation) and the variation of the segment "
        "mix are assumptions.",
        notes=[
            f"CAGR uncertainty: assumed; {a.uncertainty.cagr_sd_pct.basis}",
            f"Mix variation: assumed; {a.uncertainty.share_concentration.basis}",
        ],
    )
    band = _band(sim, a.years.base)
    data = _category_data(band.index, _VALUE_FORMAT)
    for column, name in (("p10", "P10"), ("p50", "P50 (median)"), ("p90", "P90")):
        _add_series(data, name, band[column])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        data,
        f"Range of outcomes ({deck.unit})",
        width=half,
        axis_title=deck.unit,
    )
    for series, dashed in zip(chart.plots[0].series, (True, False, True), strict=True):
        _line(series, _BAND_LINE if dashed else colors.MODELLED, marker=False, dashed=dashed)
    _tornado(
        deck,
        slide,
        sensitivity(a, target),
        f"{targets[target]} in {horizon}",
        left=_MARGIN + half,
        width=half,
    )


def _reduced(paths: int, wanted: int) -> str:
    if paths >= wanted:
        return ""
    return f" (not {wanted:,}: this file's size would pass the memory budget)"


def _band(sim: Simulation, base_year: int) -> pd.DataFrame:
    return sim.totals.loc[sim.totals.index >= base_year]


def _tornado(
    deck: _Deck, slide: Slide, table: pd.DataFrame, what: str, *, left: Emu, width: Emu
) -> None:
    rows = table.head(_TORNADO_BARS)
    base = float(rows["base_value"].iloc[0]) if len(rows) else math.nan
    data = _category_data(rows["label"], "+#,##0.0;-#,##0.0")
    _add_series(data, "Assumption at its low end", rows["low_value"] - rows["base_value"])
    _add_series(data, "Assumption at its high end", rows["high_value"] - rows["base_value"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        data,
        f"What moves {what} most (change from {money(base, deck.unit)})",
        left=left,
        width=width,
        axis_format="+#,##0;-#,##0",
    )
    plot = chart.plots[0]
    plot.overlap = 100
    plot.gap_width = 50
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    for series, color in zip(plot.series, (colors.LOW_INPUT, colors.HIGH_INPUT), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(color)
        series.invert_if_negative = False


def _scenario_slide(deck: _Deck, view: ExportRequest) -> None:
    a = view.current
    forecasts = {name: forecast(s) for name, s in view.compared.items()}
    years = next(iter(forecasts.values())).totals.index
    data = _category_data(years, _VALUE_FORMAT)
    for name, scenario in forecasts.items():
        _add_series(data, name, scenario.totals["value"].reindex(years))
    slide = deck.slide(
        "Scenarios compared",
        foot="Each scenario is a set of the analyst's assumptions; none is a reported figure.",
        notes=[
            f"{name}: {money(s.horizon_value, deck.unit)} in {s.horizon}"
            for name, s in forecasts.items()
        ],
    )
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        data,
        f"Market size by scenario ({a.market.unit})",
        axis_title=a.market.unit,
    )
    palette = colors.scenario_colors(forecasts)
    for series, name in zip(chart.plots[0].series, forecasts, strict=True):
        _line(series, palette[name], marker=False)


def _opportunity_slide(deck: _Deck, a: Assumptions, f: Forecast, opp: Opportunity) -> None:
    """Market, served market and the user's revenue plan, with the choices behind them."""
    plan = opportunities.plan(a, opp, f)
    choices = opportunities.describe(a, opp)
    slide = deck.slide(
        "Our opportunity",
        foot=opportunities.ASSUMPTION_NOTE,
        notes=[opportunities.INDEPENDENCE_NOTE, *(f"{what}: {value}" for what, value in choices)],
    )
    half = (_WIDTH - 2 * _MARGIN) // 2
    markets = _category_data(plan["year"], _VALUE_FORMAT)
    _add_series(markets, "Market", plan["market"])
    _add_series(markets, "Served market (SAM, assumes independent dimensions)", plan["sam"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        markets,
        f"Market and served market ({deck.unit})",
        width=half,
        axis_title=deck.unit,
    )
    for series, color in zip(chart.plots[0].series, (colors.NEUTRAL, colors.MODELLED), strict=True):
        _line(series, color, marker=False)
    revenue = _category_data(plan["year"], _VALUE_FORMAT)
    _add_series(revenue, "Our revenue (plan)", plan["revenue"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        revenue,
        f"Our revenue, planned ({deck.unit})",
        left=_MARGIN + half,
        width=half,
        height=Inches(3.2),
        axis_title=deck.unit,
    )
    chart.plots[0].series[0].format.fill.solid()
    chart.plots[0].series[0].format.fill.fore_color.rgb = _rgb(colors.MODELLED)
    last = plan.iloc[-1]
    lines = [
        f"Revenue in {int(last['year'])}: {money(last['revenue'], deck.unit)} "
        f"({pct(last['share_pct'])} of a {money(last['sam'], deck.unit)} served market)",
        *(f"{what}: {value}" for what, value in choices),
    ]
    deck.text(
        slide,
        "\n".join(lines),
        top=_BODY_TOP + Inches(3.3),
        height=_FOOT_TOP - _BODY_TOP - Inches(3.3),
        size=11,
        left=_MARGIN + half + Inches(0.2),
        width=half - Inches(0.2),
    )


def _assumption_slides(deck: _Deck, view: ExportRequest) -> None:
    """Every assumption that differs from the file, then the sources; continued as needed."""
    a = view.current
    table = assumption_table(view.base, a)
    changed = table[table["changed"]]
    rows = [
        [
            str(row["assumption"]),
            _value(row["file_value"], row["unit"], a, row["choices"]),
            _value(row["current_value"], row["unit"], a, row["choices"]),
            f"file: {row['provenance']}; used: assumed (changed)",
        ]
        for row in changed.to_dict("records")
    ]
    pages = [rows[i : i + _TABLE_ROWS] for i in range(0, len(rows), _TABLE_ROWS)] or [[]]
    notes = _source_notes(a)
    for number, page in enumerate(pages, start=1):
        title = "Sources and assumptions"
        if len(pages) > 1:
            title += f" ({number} of {len(pages)})"
        if not page:
            slide = deck.slide(title, notes=notes)
            deck.text(
                slide, "No assumption differs from the file.", top=_BODY_TOP, height=Inches(0.6)
            )
        else:
            slide = deck.slide(title, notes=[*notes, *_changed_notes(changed)])
            deck.table(
                slide,
                ["Assumption", "File value", "Value used", "Provenance"],
                page,
                [4.4, 2.3, 2.3, 3.33],
            )
    closing = deck.slide("Where the numbers come from", notes=notes)
    deck.text(
        closing, "\n".join(_source_lines(a)), top=_BODY_TOP, height=_FOOT_TOP - _BODY_TOP, size=15
    )


def _value(value: float, unit: str, a: Assumptions, choices: Sequence[str] = ()) -> str:
    """An assumption's value in its own unit, as the Sources page shows it; a choice by name."""
    if choices:
        return str(choices[int(value)])
    if unit == a.market.unit:
        return money(value, unit, 2)
    if unit == "%":
        return pct(value, 2)
    if unit == "pp":
        return pp(value, 2)
    return f"{value:,.2f} {unit}" if math.isfinite(value) else "n/a"


def _changed_notes(changed: pd.DataFrame) -> list[str]:
    return [
        f"{row['assumption']}: the file's value is {row['provenance']} ({row['basis']})"
        for row in changed.to_dict("records")
    ]


def _source_lines(a: Assumptions) -> list[str]:
    s = a.market.source
    lines = [s.citation]
    lines += [
        f"Reported {r.year}: {money(r.value, a.market.unit)} ({r.citation})" for r in a.reported
    ]
    lines.append(
        "Everything else (segment shares, growth differentials, regional weights and the "
        "uncertainty) is an assumption, with its rationale in the assumptions file."
    )
    return lines
