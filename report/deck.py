"""The executive deck: a PowerPoint file of the current view, with native, editable charts.

Why native charts rather than pictures: executives paste these slides into board decks and
restyle them; a native chart carries its numbers in an embedded workbook ("Edit data"), so it
never goes stale as a screenshot would. python-pptx writes both the chart and that workbook.

The design is built here in code, from nothing downloaded: a dark title slide with the
horizon figure, the CAGR and the source; a divider before each section; on every content
slide a small kicker naming the subject above an **action title** that states the finding
in numbers (:mod:`report.findings`, the brief's headings too); a footer with the source,
the date and the slide number on every slide. Market sizes are drawn on axes from zero in
the app's format (``USD 1,800M``), segment growth on one scale across the deck.

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import _Paragraph
from pptx.util import Emu, Inches, Pt

from market import opportunity as opportunities
from market.assumptions import Assumptions
from market.comments import MARKET_SIZE, Comment, on_chart, segments_chart
from market.estimates import statement
from market.grid import Grid
from market.model import Forecast, as_float, forecast
from market.opportunity import Opportunity
from market.risk import TOTAL, affordable_paths, sensitivity, simulate
from market.summary import (
    RANGE,
    RANGE_LABELS,
    actuals_statement,
    assumption_table,
    growth_statement,
    headlines,
    outcome_range,
    scenario_table,
    sensitivity_targets,
)
from report import colors, findings
from report.export import cell_text, xml_text
from report.format import (
    assumption_value,
    headline_text,
    money,
    office_money,
    office_pct,
    pct,
    rate,
    signed_pct,
)
from report.reproducible import stamped
from report.request import ExportRequest

__all__ = ["deck_file", "deck_pptx"]

_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
_MARGIN = Inches(0.6)
_INNER = _WIDTH - 2 * _MARGIN
_KICKER_TOP = Inches(0.35)
_TITLE_TOP = Inches(0.62)
_TITLE_HEIGHT = Inches(1.0)
_BODY_TOP = Inches(1.85)
_FOOT_TOP = Inches(7.0)
_BODY_HEIGHT = Inches(6.35) - _BODY_TOP  # leaves room for a footnote above the footer
_NOTE_TOP = Inches(6.45)
_ROW = Inches(0.36)
_TITLE_ONLY = 5  # the default template's "Title Only" layout
_TABLE_ROWS = 10
_TORNADO_BARS = 10
_YEAR_ROWS = 12
"""The most years a table beside a chart lists; longer spans show evenly spaced years."""

_INK = "#1A1A1A"
_MUTED = "#5B6573"
_RULE = "#D5DAE1"
_DARK = "#10263F"
"""The title slide and the section dividers: a deep navy under white text."""
_ACCENT = colors.MODELLED
_ON_DARK = "#FFFFFF"
_ON_DARK_MUTED = "#B9C7D8"
_HEADER_FILL = "#E8EEF5"
_P10 = colors.LOW_INPUT
"""The low path (P10): the tornado's colour for "low", orange."""
_P90 = "#56B4E9"
"""The high path (P90): the sky blue of the dashboard's fan, apart from the blue median."""


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
    story = _story(view)
    deck = _Deck(a, generated or dt.date.today())
    _title_slide(deck, view)
    _summary_slide(deck, a, f, story)
    deck.divider("The market", f"Where the market goes, {a.years.first}-{a.years.horizon}")
    _trajectory_slide(deck, view, story)
    deck.divider("Segments", "The mix of the market and how fast each part grows")
    scales = _Scales.of(story.summary)
    for dimension in a.dimensions:
        said = on_chart(view.comments, segments_chart(dimension.id))
        _dimension_slide(deck, a, story.summary, dimension.id, scales, said)
    region = a.geographic_dimension
    if region is not None:
        _region_slide(deck, a, f, story.summary, region.id)
    deck.divider("Risk", "How sure the forecast is, and what moves it most")
    _range_slide(deck, view, story)
    _tornado_slide(deck, view, story)
    if view.grid is not None:
        _grid_slide(deck, view)
    if story.scenarios is not None or view.opportunity is not None:
        parts = (("Scenarios", story.scenarios), ("our plan", view.opportunity))
        shown = " and ".join(name for name, part in parts if part is not None)
        deck.divider(shown[:1].upper() + shown[1:], "The analyst's alternatives and choices")
    if story.scenarios is not None:
        _scenario_slide(deck, view, story.scenarios)
    if view.opportunity is not None:
        _opportunity_slide(deck, a, f, view.opportunity)
    deck.divider("What the numbers rest on", "Every assumption, and where each figure comes from")
    _assumption_slides(deck, view)
    _sources_slide(deck, a)
    return deck.save()


# --- What the deck says: the numbers behind its titles -------------------------------------


@dataclass(frozen=True)
class _Story:
    """The numbers several slides share, computed once: the segments' summary, the Monte
    Carlo range, the tornado, the compared scenarios' table."""

    summary: pd.DataFrame  # market.model.Forecast.segment_summary
    paths: int
    band: pd.DataFrame  # market.summary.outcome_range
    cagr_sd_pct: float
    tornado: pd.DataFrame  # market.risk.sensitivity
    explained: str  # what the tornado explains, e.g. "the market in 2031"
    scenarios: pd.DataFrame | None  # market.summary.scenario_table, None without two


def _story(view: ExportRequest) -> _Story:
    a = view.current
    paths = min(view.paths, affordable_paths(a))
    sim = simulate(a, paths, seed=0, by_segment=False)
    targets = sensitivity_targets(a)
    target = view.risk_target if view.risk_target in targets else TOTAL
    horizon = a.years.horizon
    explained = f"the market in {horizon}" if target == TOTAL else f"{targets[target]} in {horizon}"
    table = None
    if len(view.compared) >= 2:
        forecasts = {name: forecast(s) for name, s in view.compared.items()}
        table = scenario_table(forecasts, a)
    return _Story(
        summary=view.forecast.segment_summary(),
        paths=paths,
        band=outcome_range(sim, a.years.base),
        cagr_sd_pct=sim.cagr_sd_pct,
        tornado=sensitivity(a, target),
        explained=explained,
        scenarios=table,
    )


@dataclass(frozen=True)
class _Scales:
    """One scale for each kind of segment chart across the deck: shares from 0 to the
    largest share of any dimension, growth from 0 (or the lowest rate) to the fastest."""

    share_max: float
    growth_min: float
    growth_max: float

    @classmethod
    def of(cls, summary: pd.DataFrame) -> _Scales:
        top = summary[summary["parent"] == ""]
        shares = top["share_horizon"].astype(float)
        rates = top["cagr_pct"].astype(float) / 100.0
        finite = rates[rates.map(math.isfinite)]
        return cls(
            share_max=_ceil(float(shares.max()) if len(shares) else 1.0, 0.1),
            growth_min=min(0.0, _floor(float(finite.min()), 0.05)) if len(finite) else 0.0,
            growth_max=max(0.05, _ceil(float(finite.max()), 0.05)) if len(finite) else 0.05,
        )


def _ceil(value: float, step: float) -> float:
    return math.ceil(round(value / step, 9)) * step if math.isfinite(value) else step


def _floor(value: float, step: float) -> float:
    return math.floor(round(value / step, 9)) * step if math.isfinite(value) else 0.0


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


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _value_decimals(largest: float) -> int:
    """Decimals an axis of values up to ``largest`` needs so its ticks differ."""
    if not math.isfinite(largest) or largest >= 20:
        return 0
    return 1 if largest >= 2 else 2


# --- The deck and its slides --------------------------------------------------------------


class _Deck:
    """A presentation being built: the house template drawn on python-pptx's blank one."""

    def __init__(self, a: Assumptions, generated: dt.date) -> None:
        self.a = a
        self.unit = a.market.unit
        self.prs: PresentationType = Presentation()
        self.prs.slide_width, self.prs.slide_height = _WIDTH, _HEIGHT
        source = a.market.source
        self.footer = _short(
            f"Source: {source.publisher}, {source.title} · {a.market.name} · "
            f"prepared {generated.isoformat()}",
            150,
        )
        self.generated = generated

    # - slide kinds -

    def _new(self, title: str, *, dark: bool, notes: Iterable[str]) -> Slide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[_TITLE_ONLY])
        if dark:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = _rgb(_DARK)
        _heading(slide).text_frame.text = plain(title)
        lines = [plain(line) for line in notes if line]
        if lines:
            slide.notes_slide.notes_text_frame.text = "\n".join(lines)
        self._footer(slide, dark=dark)
        return slide

    def slide(self, kicker: str, title: str, *, note: str = "", notes: Iterable[str] = ()) -> Slide:
        """A content slide: the kicker (what it is about), the action title (what it
        shows, in numbers), a rule, and a footnote above the footer if given."""
        slide = self._new(title, dark=False, notes=notes)
        self.text(
            slide,
            kicker.upper(),
            top=_KICKER_TOP,
            height=Inches(0.3),
            size=11,
            color=_ACCENT,
            bold=True,
            name="Kicker",
        )
        heading = _heading(slide)
        heading.left, heading.top, heading.width, heading.height = (
            _MARGIN,
            _TITLE_TOP,
            _INNER,
            _TITLE_HEIGHT,
        )
        _style(heading.text_frame, size=24, bold=True, color=_INK, anchor=MSO_ANCHOR.TOP)
        rule = slide.shapes.add_connector(1, _MARGIN, Inches(1.68), _WIDTH - _MARGIN, Inches(1.68))
        rule.line.color.rgb = _rgb(_RULE)
        rule.line.width = Pt(1)
        if note:
            self.text(
                slide,
                note,
                top=_NOTE_TOP,
                height=Inches(0.5),
                size=11,
                color=_MUTED,
                name="Footnote",
            )
        return slide

    def divider(self, title: str, subtitle: str) -> Slide:
        """A section divider: the section's name large on the dark ground."""
        slide = self._new(title, dark=True, notes=())
        heading = _heading(slide)
        heading.left, heading.top, heading.width, heading.height = (
            _MARGIN + Inches(0.3),
            Inches(2.6),
            _INNER - Inches(0.3),
            Inches(1.2),
        )
        _style(heading.text_frame, size=40, bold=True, color=_ON_DARK, anchor=MSO_ANCHOR.BOTTOM)
        bar = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, _MARGIN, Inches(2.75), Inches(0.12), Inches(1.9)
        )
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(_ACCENT)
        bar.line.fill.background()
        self.text(
            slide,
            subtitle,
            top=Inches(3.85),
            height=Inches(0.8),
            size=20,
            color=_ON_DARK_MUTED,
            left=_MARGIN + Inches(0.3),
        )
        return slide

    def _footer(self, slide: Slide, *, dark: bool) -> None:
        """Source and date on the left, the slide number (a field) on the right."""
        color = _ON_DARK_MUTED if dark else _MUTED
        number = len(self.prs.slides)
        self.text(
            slide,
            self.footer,
            top=_FOOT_TOP,
            height=Inches(0.3),
            size=9,
            color=color,
            width=_INNER - Inches(0.8),
            name="Footer",
        )
        box = slide.shapes.add_textbox(
            _WIDTH - _MARGIN - Inches(0.8), _FOOT_TOP, Inches(0.8), Inches(0.3)
        )
        box.name = "Slide number"
        paragraph = box.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        _slide_number(paragraph, number, size=9, color=color)

    # - pieces -

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
        color: str = _INK,
        bold: bool = False,
        bullets: bool = False,
        name: str = "",
    ) -> None:
        box = slide.shapes.add_textbox(left, top, width or _INNER, height)
        if name:
            box.name = name
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(plain(text).split("\n")):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = ("•  " if bullets else "") + line
            paragraph.font.size = Pt(size)
            paragraph.font.bold = bold
            paragraph.font.color.rgb = _rgb(color)
            if bullets:
                paragraph.space_after = Pt(6)

    def chart(
        self,
        slide: Slide,
        kind: XL_CHART_TYPE,
        data: CategoryChartData,
        title: str,
        *,
        left: Emu = _MARGIN,
        width: Emu | None = None,
        height: Emu = _BODY_HEIGHT,
        top: Emu = _BODY_TOP,
        axis_format: str = "",
        minimum: float | None = 0.0,
        maximum: float | None = None,
    ) -> Chart:
        """A native chart: its title says what is drawn and in which unit; the value axis
        reads like the app's (``axis_format``, money in the market's unit by default) and
        starts at ``minimum`` (zero unless told otherwise)."""
        frame = slide.shapes.add_chart(kind, left, top, width or _INNER, height, data)
        chart = frame.chart
        chart.has_title = True
        chart.chart_title.text_frame.text = plain(title)
        _style(chart.chart_title.text_frame, size=13, bold=True, color=_INK)
        chart.font.size = Pt(11)
        chart.font.color.rgb = _rgb(_MUTED)
        axis = chart.value_axis
        axis.tick_labels.number_format = axis_format or self.money_format(data)
        axis.tick_labels.number_format_is_linked = False
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = _rgb(_RULE)
        axis.format.line.fill.background()
        if minimum is not None:
            axis.minimum_scale = minimum
        if maximum is not None:
            axis.maximum_scale = maximum
        chart.category_axis.format.line.color.rgb = _rgb(_RULE)
        chart.has_legend = len(data) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        return chart

    def money_format(self, data: CategoryChartData, *, signed: bool = False) -> str:
        """The money format for an axis holding ``data``'s values."""
        values = [abs(v) for series in data for v in series.values if v is not None]
        return office_money(self.unit, _value_decimals(max(values, default=0.0)), signed=signed)

    def table(
        self,
        slide: Slide,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        left: Emu = _MARGIN,
        top: Emu = _BODY_TOP,
        size: int = 12,
        numeric: Sequence[bool] = (),
        row_height: Emu = _ROW,
    ) -> None:
        """A table in a light built-in style (banded rows, no per-cell colours to write)
        under a tinted, bold header; ``numeric`` columns are aligned right."""
        width = Inches(sum(widths))
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), left, top, width, row_height * (len(rows) + 1)
        )
        _table_style(shape, _LIGHT_TABLE)
        table = shape.table
        for column, inches in zip(table.columns, widths, strict=True):
            column.width = Inches(inches)
        right = list(numeric) + [False] * (len(header) - len(numeric))
        for r, row in enumerate([header, *rows]):
            table.rows[r].height = row_height
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                paragraph = cell.text_frame.paragraphs[0]
                run = paragraph.add_run()
                run.text = plain(text)
                run.font.size = Pt(size)
                if right[c]:
                    paragraph.alignment = PP_ALIGN.RIGHT
                if r == 0:  # the header as every program draws it, whatever its styles
                    run.font.bold = True
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(_HEADER_FILL)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


_LIGHT_TABLE = "{9D7B26C5-4107-4FEC-AEDC-1716B250EE53}"
"""Office's built-in "Light Style 1": a ruled, bold header and lightly banded rows."""


def _table_style(shape: object, style_id: str) -> None:
    """Give a table one of Office's built-in styles (python-pptx has no setter for it)."""
    properties = shape._element.graphic.graphicData.tbl.tblPr  # type: ignore[attr-defined]
    style = properties.find(qn("a:tableStyleId"))
    style.text = style_id


def _heading(slide: Slide) -> Shape:
    """The slide's title placeholder (the "Title Only" layout always has one)."""
    heading = slide.shapes.title
    if heading is None:
        raise ValueError("the slide layout has no title placeholder")
    return heading


def _style(
    frame: object,
    *,
    size: int,
    bold: bool,
    color: str,
    anchor: MSO_ANCHOR | None = None,
) -> None:
    """Every paragraph of a text frame in one font size, weight and colour, left-aligned,
    shrunk to fit its box if a long name from the file would overflow it."""
    text_frame = frame  # a pptx TextFrame; typed loosely as python-pptx's stubs are partial
    text_frame.word_wrap = True  # type: ignore[attr-defined]
    text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # type: ignore[attr-defined]
    if anchor is not None:
        text_frame.vertical_anchor = anchor  # type: ignore[attr-defined]
    for paragraph in text_frame.paragraphs:  # type: ignore[attr-defined]
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = _rgb(color)


def _slide_number(paragraph: _Paragraph, number: int, *, size: int, color: str) -> None:
    """A slide-number field: PowerPoint and LibreOffice keep it right if slides move."""
    field = parse_xml(
        f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum">'
        f'<a:rPr lang="en-US" sz="{size * 100}"><a:solidFill><a:srgbClr val="{color[1:]}"/>'
        f"</a:solidFill></a:rPr><a:t>{number}</a:t></a:fld>"
    )
    paragraph._p.append(field)


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


def _comment_notes(comments: Sequence[Comment]) -> list[str]:
    """The open comments viewers left on a slide's chart, for its speaker notes (each
    line plain text, as typed)."""
    if not comments:
        return []
    return ["Open comments from viewers:", *(f"- {c.line()}" for c in comments)]


def _title_slide(deck: _Deck, view: ExportRequest) -> None:
    """The market's name, its horizon figure and CAGR large, the source beneath."""
    a = view.current
    f = view.forecast
    charted = {MARKET_SIZE, *(segments_chart(d.id) for d in a.dimensions)}
    elsewhere = [c for c in view.comments if c.point is None or c.point.on not in charted]
    slide = deck._new(
        f"{a.market.name}: market outlook",
        dark=True,
        notes=[*_source_notes(a), *_comment_notes(elsewhere)],
    )
    heading = _heading(slide)
    heading.left, heading.top, heading.width, heading.height = (
        _MARGIN,
        Inches(0.7),
        _INNER,
        Inches(1.4),
    )
    _style(heading.text_frame, size=36, bold=True, color=_ON_DARK, anchor=MSO_ANCHOR.TOP)
    *_, horizon, cagr = headlines(a, f)  # the horizon's size and the CAGR come last
    years = f"{a.years.base}-{a.years.horizon}"
    figures = (
        (headline_text(horizon, deck.unit).value, f"market size in {a.years.horizon}"),
        (headline_text(cagr, deck.unit).value, f"compound annual growth {years}"),
    )
    for i, (figure, label) in enumerate(figures):
        left = _MARGIN + Inches(6.4) * i
        deck.text(
            slide,
            figure,
            top=Inches(2.45),
            height=Inches(1.0),
            size=48 if len(figure) <= 13 else 32,
            bold=True,
            color=_ON_DARK,
            left=left,
            width=Inches(6.2),
            name="Figure",
        )
        deck.text(
            slide,
            label,
            top=Inches(3.55),
            height=Inches(0.5),
            size=16,
            color=_ON_DARK_MUTED,
            left=left,
            width=Inches(6.2),
        )
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _MARGIN, Inches(4.35), Inches(1.2), Pt(4))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(_ACCENT)
    bar.line.fill.background()
    lines = [
        f"Source: {a.market.source.citation}",
        statement(a, view.base, lambda value: money(value, a.market.unit)),
        f"Prepared {deck.generated.isoformat()} · values in {a.market.unit} · "
        f"{a.years.first}-{a.years.horizon} · Assumptions file: {view.file_label}",
    ]
    if view.scenario:
        lines.append(f"Scenario: {view.scenario}")
    changed = int(assumption_table(view.base, a, used_only=True)["changed"].sum())
    if changed:
        noun = "assumption differs" if changed == 1 else "assumptions differ"
        lines.append(f"{changed} {noun} from the file: listed at the end.")
    deck.text(
        slide,
        "\n".join(lines),
        top=Inches(4.6),
        height=Inches(2.2),
        size=14,
        color=_ON_DARK_MUTED,
        name="Source",
    )


def _summary_slide(deck: _Deck, a: Assumptions, f: Forecast, story: _Story) -> None:
    """The headline figures as tiles, then every finding of the deck in one list."""
    slide = deck.slide(
        "Executive summary",
        findings.growth(a, f),
        note="Reported figures are the source's; modelled ones come from the assumptions.",
        notes=_source_notes(a),
    )
    figures = headlines(a, f)
    width = (_INNER - Inches(0.25) * (len(figures) - 1)) // len(figures)
    for i, h in enumerate(figures):
        text = headline_text(h, deck.unit)
        left = _MARGIN + (width + Inches(0.25)) * i
        tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, _BODY_TOP, width, Inches(1.3))
        tile.fill.solid()
        tile.fill.fore_color.rgb = _rgb(_HEADER_FILL)
        tile.line.fill.background()
        tile.name = "Headline"
        frame = tile.text_frame
        frame.word_wrap = True
        lines = (
            (h.label, 12, False, _MUTED),
            (text.value, 22, True, _INK),
            (
                f"{text.origin}: {f'{text.change} ' if text.change else ''}{text.note}",
                11,
                False,
                _MUTED,
            ),
        )
        for j, (line, size, bold, color) in enumerate(lines):
            paragraph = frame.paragraphs[0] if j == 0 else frame.add_paragraph()
            paragraph.text = plain(line)
            paragraph.alignment = PP_ALIGN.LEFT
            paragraph.font.size = Pt(size)
            paragraph.font.bold = bold
            paragraph.font.color.rgb = _rgb(color)
    said = [findings.trajectory(a, f)]
    said += [findings.mix(a, story.summary, d.id) for d in a.dimensions[:2]]
    said += [
        findings.outcome_range(a, story.band),
        findings.sensitivity(story.tornado, story.explained, deck.unit),
    ]
    if story.scenarios is not None:
        said.append(findings.scenarios(story.scenarios, deck.unit, a.years.horizon))
    deck.text(
        slide,
        "\n".join(said),
        top=_BODY_TOP + Inches(1.55),
        height=Inches(2.9),
        size=15,
        bullets=True,
        name="Findings",
    )


def _trajectory_slide(deck: _Deck, view: ExportRequest, story: _Story) -> None:
    a = view.current
    f = view.forecast
    totals = f.totals
    data = _category_data(totals.index, "#,##0.0")
    _add_series(data, "Modelled", totals["value"])
    reported_name = f"Reported ({f.reference.label})"
    _add_series(data, reported_name, totals["reported"])
    actuals = bool(a.actuals)
    if actuals:
        _add_series(data, "Actual", totals["actual"])
    changed = assumption_table(view.base, a)["changed"].any()
    if changed:
        _add_series(data, "The file's assumptions", forecast(view.base).totals["value"])
    slide = deck.slide(
        f"Market size {a.years.first}-{a.years.horizon}",
        findings.trajectory(a, f),
        note="Diamonds are the source's reported figures; "
        + ("triangles are actual figures; " if actuals else "")
        + "lines are modelled from the assumptions.",
        notes=[*_source_notes(a), *_comment_notes(on_chart(view.comments, MARKET_SIZE))],
    )
    chart_width = Inches(7.3)
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE_MARKERS,
        data,
        f"Market size ({deck.unit})",
        width=chart_width,
    )
    model, reported, *others = chart.plots[0].series
    _line(model, colors.MODELLED, marker=False)
    _points(reported, XL_MARKER_STYLE.DIAMOND, colors.REPORTED)
    if actuals:
        actual, *others = others
        _points(actual, XL_MARKER_STYLE.TRIANGLE, colors.ACTUAL)
    for series in others:
        _line(series, colors.REFERENCE, marker=False, dashed=True)
    rows = []
    for h in headlines(a, f):
        text = headline_text(h, deck.unit)
        against = f"{text.change} {text.note}".strip()
        rows.append([h.label, text.value, f"{text.origin}; {against}"])
    deck.table(
        slide,
        ["Figure", "Value", "Basis"],
        rows,
        [1.35, 1.33, 2.0],
        left=_MARGIN + chart_width + Inches(0.15),
        top=_BODY_TOP + Inches(0.3),
        size=11,
        numeric=[False, True],
        row_height=Inches(0.6),
    )

    def shown(value: float) -> str:
        return money(value, deck.unit)

    assumed = [growth_statement(a, f, shown), actuals_statement(a, f, shown)]
    deck.text(
        slide,
        "\n".join(text for text in assumed if text),
        top=_BODY_TOP + Inches(3.45),
        height=Inches(1.6),
        size=10,
        left=_MARGIN + chart_width + Inches(0.15),
        width=_INNER - chart_width - Inches(0.15),
        color=_MUTED,
        name="Growth assumptions",
    )


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
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.gap_width = 60
    chart.category_axis.reverse_order = True  # first segment on top, as in the file
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW


def _dimension_slide(
    deck: _Deck,
    a: Assumptions,
    summary: pd.DataFrame,
    dimension_id: str,
    scales: _Scales,
    comments: Sequence[Comment] = (),
) -> None:
    dimension = a.dimension(dimension_id)
    top = summary[(summary["dimension"] == dimension_id) & (summary["parent"] == "")]
    names = list(top["segment"])
    palette = [colors.segment_colors(a)[dimension_id][n] for n in names]
    horizon, base = a.years.horizon, a.years.base
    half = _INNER // 2
    slide = deck.slide(
        f"{dimension.name}: mix and growth",
        findings.mix(a, summary, dimension_id),
        note="Segment shares and growth differentials are assumptions, not figures from the "
        "source.",
        notes=[
            *(f"{s.name}: {s.provenance.value}; {s.basis}" for s in dimension.segments),
            *_comment_notes(comments),
        ],
    )
    mix = _category_data(names, office_pct(1))
    _add_series(mix, f"Share of the market in {horizon}", top["share_horizon"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        mix,
        f"Share of the market in {horizon} (%)",
        width=half,
        axis_format=office_pct(0),
        maximum=scales.share_max,
    )
    _bars(chart, office_pct(1))
    _color_points(chart, palette)
    growth = _category_data(names, office_pct(1))
    _add_series(growth, f"CAGR {base}-{horizon}", top["cagr_pct"] / 100.0)
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        growth,
        f"Growth a year, {base}-{horizon} (CAGR, %)",
        left=_MARGIN + half,
        width=half,
        axis_format=office_pct(0),
        minimum=scales.growth_min,
        maximum=scales.growth_max,
    )
    _bars(chart, office_pct(1))
    _color_points(chart, palette)


def _region_slide(
    deck: _Deck, a: Assumptions, f: Forecast, summary: pd.DataFrame, dimension_id: str
) -> None:
    dimension = a.dimension(dimension_id)
    values = f.by(dimension_id)
    palette = colors.segment_colors(a)[dimension_id]
    data = _category_data(values.index, "#,##0.0")
    for name in values.columns:
        _add_series(data, name, values[name])
    slide = deck.slide(
        f"{dimension.name}: the split over time",
        findings.regions(a, summary, dimension_id),
        note="Regional weights are assumptions, not figures from the source; they add up to "
        "the market's modelled total each year.",
        notes=[f"{s.name}: {s.provenance.value}; {s.basis}" for s in dimension.segments],
    )
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.AREA_STACKED,
        data,
        f"Market size by {dimension.name.lower()} ({deck.unit})",
        axis_format=office_money(deck.unit, _value_decimals(float(f.totals["value"].max()))),
    )
    for series, name in zip(chart.plots[0].series, values.columns, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(palette[name])


_RANGE_COLORS = {"p10": _P10, "p50": colors.MODELLED, "p90": _P90}


def _range_slide(deck: _Deck, view: ExportRequest, story: _Story) -> None:
    """The P10, P50 and P90 paths, each labelled at its end, and the table of them."""
    a = view.current
    band = story.band
    slide = deck.slide(
        "How sure is the forecast?",
        findings.outcome_range(a, band),
        note=f"{story.paths:,} simulated paths{_reduced(story.paths, view.paths)}. The CAGR "
        f"uncertainty (±{pct(story.cagr_sd_pct)} one standard deviation) and the variation "
        "of the segment mix are assumptions.",
        notes=[
            f"CAGR uncertainty: assumed; {a.uncertainty.cagr_sd_pct.basis}",
            f"Mix variation: assumed; {a.uncertainty.share_concentration.basis}",
        ],
    )
    data = _category_data(band.index, "#,##0.0")
    for q in RANGE:
        _add_series(data, RANGE_LABELS[q], band[q])
    chart_width = Inches(6.8)
    chart = deck.chart(
        slide, XL_CHART_TYPE.LINE, data, f"Range of outcomes ({deck.unit})", width=chart_width
    )
    for series, q in zip(chart.plots[0].series, RANGE, strict=True):
        _line(series, _RANGE_COLORS[q], marker=False, dashed=q != "p50")
        end = series.points[len(band) - 1].data_label
        end.has_text_frame = True
        end.text_frame.text = plain(f"{q.upper()} {money(as_float(band[q].iloc[-1]), deck.unit)}")
        end.position = XL_LABEL_POSITION.RIGHT if q == "p50" else XL_LABEL_POSITION.ABOVE
        if q == "p10":
            end.position = XL_LABEL_POSITION.BELOW
        end.font.size = Pt(11)
        end.font.bold = True
        end.font.color.rgb = _rgb(_RANGE_COLORS[q])
    rows = [
        [str(year), *(money(as_float(band.at[year, q]), deck.unit) for q in RANGE)]
        for year in _table_years(band.index)
    ]
    deck.table(
        slide,
        ["Year", *(RANGE_LABELS[q] for q in RANGE)],
        rows,
        [0.68, 1.5, 1.5, 1.5],
        left=_MARGIN + chart_width + Inches(0.15),
        size=11,
        numeric=[False, True, True, True],
        row_height=Inches(0.34),
    )


def _table_years(years: pd.Index) -> list[int]:
    """Every year, or at most :data:`_YEAR_ROWS` evenly spaced ones with the first and last."""
    listed = [int(y) for y in years]
    if len(listed) <= _YEAR_ROWS:
        return listed
    step = (len(listed) - 1) / (_YEAR_ROWS - 1)
    return sorted({listed[round(i * step)] for i in range(_YEAR_ROWS)})


def _reduced(paths: int, wanted: int) -> str:
    if paths >= wanted:
        return ""
    return f" (not {wanted:,}: this file's size would pass the memory budget)"


def _tornado_slide(deck: _Deck, view: ExportRequest, story: _Story) -> None:
    """Each assumption at its low and high end, one bar each from the base value; every
    bar is labelled with the value it ends at."""
    rows = story.tornado.head(_TORNADO_BARS)
    base = float(rows["base_value"].iloc[0]) if len(rows) else math.nan
    slide = deck.slide(
        "What moves the forecast most",
        findings.sensitivity(story.tornado, story.explained, deck.unit),
        note=f"{findings.sensitivity_moves()} Bars end at the value written beside them.",
    )
    data = _category_data(rows["label"], "#,##0.0")
    _add_series(data, "Assumption at its low end", rows["low_value"] - rows["base_value"])
    _add_series(data, "Assumption at its high end", rows["high_value"] - rows["base_value"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        data,
        f"Change in {story.explained} from {money(base, deck.unit)} ({deck.unit})",
        axis_format=deck.money_format(data, signed=True),
        minimum=None,
    )
    _symmetric(chart, [v for series in data for v in series.values if v is not None])
    plot = chart.plots[0]
    plot.overlap = 100
    plot.gap_width = 50
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    ends = (rows["low_value"], rows["high_value"])
    for series, color, values in zip(
        plot.series, (colors.LOW_INPUT, colors.HIGH_INPUT), ends, strict=True
    ):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(color)
        series.invert_if_negative = False
        for point, value in zip(series.points, values, strict=False):
            label = point.data_label
            label.has_text_frame = True
            label.text_frame.text = plain(money(float(value), deck.unit))
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            label.font.size = Pt(10)


_GRID_COLUMNS = 8
_GRID_ROWS = 10
"""The most of a grid's columns and rows a slide's table holds; a larger grid shows every
second (third, ...) step, the workbook every cell."""


def _grid_slide(deck: _Deck, view: ExportRequest) -> None:
    """The Risk page's two-way grid as a table: the row input down, the column input across."""
    try:
        grid = view.two_way()
    except ValueError as err:
        deck.slide(
            "Two assumptions at once",
            "The Risk page's two-way grid could not be made",
            note=f"Why: {err}",
        )
        return
    if grid is None:
        return
    a = view.current
    rows = _thinned(len(grid.rows.values), _GRID_ROWS)
    columns = _thinned(len(grid.columns.values), _GRID_COLUMNS)
    reached = grid.reaching()
    row_input, column_input = grid.rows.input, grid.columns.input
    foot = (
        f"{grid.label} ({deck.unit}), modelled. Rows: {row_input.label}; columns: "
        f"{column_input.label}; each an assumption."
    )
    if grid.target is not None:
        foot += f" ✓ reaches {money(grid.target, deck.unit)}."
    if len(rows) < len(grid.rows.values) or len(columns) < len(grid.columns.values):
        foot += " Every step is in the workbook; this table shows some."
    slide = deck.slide("Two assumptions at once", _grid_finding(grid, deck.unit), note=foot)
    header = [
        f"{row_input.label} ↓ {column_input.label} →",
        *(
            assumption_value(grid.columns.values[j], column_input.unit, a.market.unit)
            for j in columns
        ),
    ]
    body = [
        [
            assumption_value(grid.rows.values[i], row_input.unit, a.market.unit),
            *(
                ("✓ " if reached[i, j] else "") + money(grid.values[i, j], deck.unit, 0)
                for j in columns
            ),
        ]
        for i in rows
    ]
    first = 2.4
    rest = (_WIDTH - 2 * _MARGIN) / Inches(1) - first
    deck.table(slide, header, body, [first] + [rest / len(columns)] * len(columns))


def _grid_finding(grid: Grid, unit: str) -> str:
    """The grid's action title: its range, or how many combinations reach the target."""
    values = grid.values[np.isfinite(grid.values)]
    rows, columns = grid.rows.input.label, grid.columns.input.label
    if grid.target is not None:
        reached, cells = int(grid.reaching().sum()), grid.values.size
        return (
            f"{reached} of {cells} combinations of {rows} and {columns} reach "
            f"{money(grid.target, unit)}"
        )
    if values.size == 0:
        return f"No combination of {rows} and {columns} can be modelled"
    return (
        f"{grid.label} runs from {money(float(values.min()), unit)} to "
        f"{money(float(values.max()), unit)} across {rows} and {columns}"
    )


def _thinned(count: int, most: int) -> list[int]:
    """The positions of ``count`` steps to show, at most ``most``: every k-th, the last too."""
    every = -(-count // most)
    shown = list(range(0, count, every))
    return shown if shown[-1] == count - 1 or len(shown) == most else [*shown, count - 1]


def _symmetric(chart: Chart, values: Sequence[float]) -> None:
    """A value axis centred on zero with room past the longest bar for its label, and a
    few round ticks (crowded ones would be turned on their side)."""
    largest = max((abs(v) for v in values), default=0.0)
    if not math.isfinite(largest) or largest == 0:
        return
    step = _nice_step(largest * 1.5 / 3)
    bound = math.ceil(largest * 1.5 / step) * step
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = -bound, bound, step


def _nice_step(rough: float) -> float:
    """The round number (1, 2, 2.5 or 5 times a power of ten) at or above ``rough``."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def _scenario_slide(deck: _Deck, view: ExportRequest, table: pd.DataFrame) -> None:
    """Each compared scenario's trajectory, and beside it the numbers: its horizon value,
    its CAGR and its distance from the source's figure."""
    a = view.current
    forecasts = {name: forecast(s) for name, s in view.compared.items()}
    years = next(iter(forecasts.values())).totals.index
    data = _category_data(years, "#,##0.0")
    for name, scenario in forecasts.items():
        _add_series(data, name, scenario.totals["value"].reindex(years))
    horizon = a.years.horizon
    slide = deck.slide(
        "Scenarios compared",
        findings.scenarios(table, deck.unit, horizon),
        note="Each scenario is a set of the analyst's assumptions; none is a reported figure.",
        notes=[
            f"{name}: {money(s.horizon_value, deck.unit)} in {s.horizon}"
            for name, s in forecasts.items()
        ],
    )
    chart_width = Inches(6.6)
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        data,
        f"Market size by scenario ({a.market.unit})",
        width=chart_width,
    )
    palette = colors.scenario_colors(forecasts)
    for series, name in zip(chart.plots[0].series, forecasts, strict=True):
        _line(series, palette[name], marker=False)
    reported = a.reported_by_year.get(horizon) is not None
    header = ["Scenario", f"Market size {horizon}", "CAGR"]
    header += ["vs source"] if reported else []
    rows = []
    for row in table.to_dict("records"):
        cells = [str(row["scenario"]), money(row["horizon_value"], deck.unit)]
        cells.append(rate(row["cagr_pct"]))
        if reported:
            gap = float(row["vs_reported_pct"])
            cells.append("matches" if abs(gap) < 0.05 else signed_pct(gap))
        rows.append(cells)
    widths = [1.9, 1.5, 0.95, 1.03] if reported else [2.4, 1.85, 1.13]
    deck.table(
        slide,
        header,
        rows,
        widths,
        left=_MARGIN + chart_width + Inches(0.15),
        size=11,
        numeric=[False, True, True, True],
        row_height=Inches(0.5),
    )


def _opportunity_slide(deck: _Deck, a: Assumptions, f: Forecast, opp: Opportunity) -> None:
    """Market, served market and the user's revenue plan, with the choices behind them."""
    plan = opportunities.plan(a, opp, f)
    choices = opportunities.describe(a, opp)
    slide = deck.slide(
        "Our opportunity",
        findings.opportunity(plan, deck.unit),
        note=opportunities.ASSUMPTION_NOTE,
        notes=[opportunities.INDEPENDENCE_NOTE, *(f"{what}: {value}" for what, value in choices)],
    )
    half = _INNER // 2
    markets = _category_data(plan["year"], "#,##0.0")
    _add_series(markets, "Market", plan["market"])
    _add_series(markets, "Served market (SAM, assumes independent dimensions)", plan["sam"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.LINE,
        markets,
        f"Market and served market ({deck.unit})",
        width=half,
    )
    for series, color in zip(chart.plots[0].series, (colors.NEUTRAL, colors.MODELLED), strict=True):
        _line(series, color, marker=False)
    revenue = _category_data(plan["year"], "#,##0.0")
    _add_series(revenue, "Our revenue (plan)", plan["revenue"])
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        revenue,
        f"Our revenue, planned ({deck.unit})",
        left=_MARGIN + half,
        width=half,
        height=Inches(2.6),
    )
    chart.plots[0].series[0].format.fill.solid()
    chart.plots[0].series[0].format.fill.fore_color.rgb = _rgb(colors.MODELLED)
    last = plan.iloc[-1]
    lines = [
        f"Revenue in {int(last['year'])}: {money(last['revenue'], deck.unit)} "
        f"({rate(last['share_pct'])} of a {money(last['sam'], deck.unit)} served market)",
        *(f"{what}: {value}" for what, value in choices),
    ]
    deck.text(
        slide,
        "\n".join(lines),
        top=_BODY_TOP + Inches(2.7),
        height=_BODY_HEIGHT - Inches(2.7),
        size=10,
        left=_MARGIN + half + Inches(0.2),
        width=half - Inches(0.2),
    )


# --- What the numbers rest on ----------------------------------------------------------------


def _assumption_slides(deck: _Deck, view: ExportRequest) -> None:
    """Every assumption the numbers rest on, changed or not: its value, whether the source
    reports it or it is assumed (or the analyst changed it), and the citation or rationale;
    continued over as many slides as it takes."""
    a = view.current
    table = assumption_table(view.base, a, used_only=True)
    rows = list(_assumption_rows(table, a.market.unit))
    count = max(1, math.ceil(len(rows) / _TABLE_ROWS))
    size = math.ceil(len(rows) / count) if rows else 0
    pages = [rows[i * size : (i + 1) * size] for i in range(count)]  # even pages
    title = findings.foundations(table)
    changed = table[table["changed"]]
    notes = [*_source_notes(a), *_changed_notes(changed)]
    for number, page in enumerate(pages, start=1):
        kicker = "Sources and assumptions"
        if len(pages) > 1:
            kicker += f" ({number} of {len(pages)})"
        slide = deck.slide(
            kicker,
            title,
            note="Reported values cite the source; assumed ones give the analyst's reason. "
            "Shares are weights, normalised within their dimension.",
            notes=notes,
        )
        deck.table(
            slide,
            ["Assumption", "Value used", "Basis", "Citation or rationale"],
            page,
            [4.1, 1.5, 1.3, 5.23],
            size=10,
            numeric=[False, True],
            row_height=Inches(0.36),
        )


def _assumption_rows(table: pd.DataFrame, unit: str) -> Iterator[list[str]]:
    """One row per assumption; a segment's share and growth differential share one row
    when they rest on the same reason and neither was changed."""
    records = table.to_dict("records")
    by_path = {str(r["path"]): r for r in records}
    done: set[str] = set()
    for row in records:
        path = str(row["path"])
        if path in done:
            continue
        done.add(path)
        pair = (
            by_path.get("diff." + path.removeprefix("share."))
            if path.startswith("share.")
            else None
        )
        if (
            pair is not None
            and not row["changed"]
            and not pair["changed"]
            and (pair["provenance"], pair["basis"]) == (row["provenance"], row["basis"])
        ):
            done.add(str(pair["path"]))
            name = str(row["assumption"]).removesuffix(" share")
            where = f"{row['dimension']} › " if row["dimension"] else ""
            value = (
                f"{assumption_value(row['current_value'], row['unit'], unit, row['choices'])} · "
                f"{assumption_value(pair['current_value'], pair['unit'], unit, pair['choices'])}"
            )
            yield [
                f"{where}{name}: share, growth differential",
                value,
                str(row["provenance"]).capitalize(),
                str(row["basis"]),
            ]
            continue
        where = f"{row['dimension']} › " if row["dimension"] else ""
        used = assumption_value(row["current_value"], row["unit"], unit, row["choices"])
        basis = str(row["provenance"]).capitalize()
        if row["changed"]:
            shown = assumption_value(row["file_value"], row["unit"], unit, row["choices"])
            used += f" (file: {shown})"
            basis = "Changed by the analyst"
        yield [f"{where}{row['assumption']}", used, basis, str(row["basis"])]


def _changed_notes(changed: pd.DataFrame) -> list[str]:
    return [
        f"{row['assumption']}: the file's value is {row['provenance']} ({row['basis']})"
        for row in changed.to_dict("records")
    ]


def _sources_slide(deck: _Deck, a: Assumptions) -> None:
    s = a.market.source
    reported = [
        f"Reported {r.year}: {money(r.value, a.market.unit)} ({r.citation})" for r in a.reported
    ]
    lines = [s.citation, *reported]
    lines.append(
        "Everything else (segment shares, growth differentials, regional weights and the "
        "uncertainty) is an assumption, with its rationale in the assumptions file."
    )
    slide = deck.slide("Where the numbers come from", findings.sources(a), notes=_source_notes(a))
    deck.text(slide, "\n".join(lines), top=_BODY_TOP, height=_BODY_HEIGHT, size=15, bullets=True)
