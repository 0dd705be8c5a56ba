"""The executive deck: native charts with their data, the dashboard's colours, sources in notes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.presentation import Presentation as PresentationType

from market import (
    Assumptions,
    apply_actuals,
    apply_overrides,
    forecast,
    load_assumptions,
    parse_assumptions,
)
from market.opportunity import Opportunity, plan
from market.parameters import parameters, unused_paths
from market.risk import MEMORY_CEILING, sensitivity, simulate
from report.colors import ACTUAL, MODELLED, REPORTED, segment_colors
from report.deck import deck_pptx
from report.format import money
from report.formats import ExportRequest, format_named
from tests.market.test_risk_memory import worst_file

PATHS = 500  # enough for percentiles; the page's own count is its business
DAY = dt.date(2031, 1, 2)
PROJECT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT / "test-output" / "deck"
UNIT = "USD million"


def request(current: Assumptions, base: Assumptions | None = None, **extra: Any) -> ExportRequest:
    extra = {"file_label": "market.yaml", "paths": PATHS, **extra}
    return ExportRequest(current, base or current, forecast(current), **extra)


def build(current: Assumptions, base: Assumptions | None = None, **extra: Any) -> PresentationType:
    return Presentation(io.BytesIO(deck_pptx(request(current, base, **extra), generated=DAY)))


def titles(deck: PresentationType) -> list[str]:
    return [slide.shapes.title.text for slide in deck.slides]  # type: ignore[union-attr]


def charts(slide: Any) -> list[Any]:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def notes(slide: Any) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def texts(deck: PresentationType) -> str:
    """Every piece of text on every slide: text boxes, tables and chart titles."""
    found: list[str] = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                found.append(shape.text_frame.text)
            if shape.has_table:
                found += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart and shape.chart.has_title:
                found.append(shape.chart.chart_title.text_frame.text)
    return "\n".join(found)


def named(slide: Any, name: str) -> list[str]:
    """The text of the shapes the deck named ``name`` on a slide (Kicker, Footer, ...)."""
    return [shape.text_frame.text for shape in slide.shapes if shape.name == name]


def kicker(slide: Any) -> str:
    """The small label above a content slide's action title: what the slide is about."""
    return "".join(named(slide, "Kicker"))


def slide_titled(deck: PresentationType, start: str) -> Any:
    """The content slide about ``start`` (its kicker), e.g. "Market size"."""
    return next(s for s in deck.slides if kicker(s).startswith(start.upper()))


def kickers(deck: PresentationType) -> list[str]:
    return [kicker(s) for s in deck.slides if kicker(s)]


def tables(slide: Any) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for shape in slide.shapes
        if shape.has_table
    ]


@pytest.fixture(scope="module")
def default_deck(default_assumptions: Assumptions) -> PresentationType:
    return build(default_assumptions)


def test_the_deck_has_a_slide_for_each_part_of_the_view(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    dimensions = [d.name for d in default_assumptions.dimensions]
    assert titles(default_deck)[0] == f"{default_assumptions.market.name}: market outlook"
    assert kickers(default_deck) == [
        "EXECUTIVE SUMMARY",
        "MARKET SIZE 2023-2031",
        *(f"{name}: mix and growth".upper() for name in dimensions),
        "REGION: THE SPLIT OVER TIME",
        "HOW SURE IS THE FORECAST?",
        "WHAT MOVES THE FORECAST MOST",
        *(f"SOURCES AND ASSUMPTIONS ({n} OF 4)" for n in range(1, 5)),
        "WHERE THE NUMBERS COME FROM",
    ]
    slides = zip(default_deck.slides, titles(default_deck), strict=True)
    dividers = [title for slide, title in slides if not kicker(slide)]
    assert dividers[1:] == ["The market", "Segments", "Risk", "What the numbers rest on"]


def test_every_chart_is_native_titled_and_carries_its_data(default_deck: PresentationType) -> None:
    kinds = []
    for slide in default_deck.slides:
        for chart in charts(slide):
            kinds.append(chart.chart_type)
            assert chart.has_title and chart.chart_title.text_frame.text
            workbook = chart.part.chart_workbook.xlsx_part
            assert workbook is not None, "no embedded data: Edit data would be empty"
            sheet = load_workbook(io.BytesIO(workbook.blob)).active
            assert sheet.max_row > 1
    assert XL_CHART_TYPE.LINE in kinds or XL_CHART_TYPE.LINE_MARKERS in kinds  # trajectory, fan
    assert XL_CHART_TYPE.AREA_STACKED in kinds  # regions over time
    assert XL_CHART_TYPE.BAR_CLUSTERED in kinds  # mixes, growth, the tornado


def test_the_trajectory_is_the_forecast_the_command_line_prints(
    default_deck: PresentationType,
) -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "cli", "forecast", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT,
    )
    rows = json.loads(printed.stdout)
    (chart,) = charts(slide_titled(default_deck, "Market size"))
    model, reported, *_ = chart.plots[0].series
    assert list(chart.plots[0].categories) == [str(row["year"]) for row in rows]
    assert list(model.values) == pytest.approx([row["total"] for row in rows])
    assert str(model.format.line.color.rgb) == MODELLED.lstrip("#")
    # the source's figures are markers only, in the reported colour, on their own years
    assert str(reported.marker.format.fill.fore_color.rgb) == REPORTED.lstrip("#")
    assert [v for v in reported.values if v is not None] == [389.3, 457.6, 1651.2]


def test_the_trajectory_slide_cites_each_reported_figure(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    said = notes(slide_titled(default_deck, "Market size"))
    for figure in default_assumptions.reported:
        assert figure.citation in said


def test_each_segment_keeps_its_dashboard_colour(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    for dimension in default_assumptions.dimensions:
        colors = segment_colors(default_assumptions)[dimension.id]
        mix, growth = charts(slide_titled(default_deck, f"{dimension.name}: mix"))
        for chart in (mix, growth):
            series = chart.plots[0].series[0]
            names = list(chart.plots[0].categories)
            shown = [str(point.format.fill.fore_color.rgb) for point in series.points]
            assert shown == [colors[name].lstrip("#") for name in names]


def test_segment_slides_say_their_numbers_are_assumptions(default_deck: PresentationType) -> None:
    for slide in default_deck.slides:
        title = slide.shapes.title.text  # type: ignore[union-attr]
        if title.endswith("mix and growth"):
            assert "assumptions" in "\n".join(
                s.text_frame.text for s in slide.shapes if s.has_text_frame
            )


def test_headlines_tell_reported_from_modelled(default_deck: PresentationType) -> None:
    ((_, *found),) = tables(slide_titled(default_deck, "Market size"))
    rows = {row[0]: row[1:] for row in found}
    assert rows["Market size 2023"] == ["USD 389.3M", "reported; stated by Kings Research"]
    assert rows["Market size 2024"] == ["USD 457.6M", "reported; stated by Kings Research"]
    assert rows["Market size 2031"] == ["USD 1,651.2M", "modelled; matches Kings Research"]
    assert rows["CAGR 2024-2031"][0] == "20.12%"


def test_a_changed_assumption_is_listed_as_the_analysts_not_as_reported(
    default_assumptions: Assumptions,
) -> None:
    moved = apply_overrides(default_assumptions, {"growth.cagr_pct": 22.12})
    deck = build(moved, default_assumptions)
    (rows,) = tables(slide_titled(deck, "Sources and assumptions (1"))
    (row,) = [row for row in rows if row[0] == "CAGR"]
    assert row[1:3] == ["22.12% (file: 20.12%)", "Changed by the analyst"]
    ((_, *headline),) = tables(slide_titled(deck, "Market size"))
    cagr = next(row for row in headline if row[0].startswith("CAGR"))
    assert cagr[1:] == ["22.12%", "modelled; +2.00 pp vs 20.12% from Kings Research"]
    # the file's own trajectory is drawn beside the changed one, for reference
    (chart,) = charts(slide_titled(deck, "Market size"))
    assert [s.name for s in chart.plots[0].series][2] == "The file's assumptions"


def test_the_title_slide_names_the_file_and_the_scenario(default_assumptions: Assumptions) -> None:
    deck = build(default_assumptions, scenario="Board case")
    first = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Assumptions file: market.yaml" in first
    assert "Scenario: Board case" in first
    assert "Prepared 2031-01-02" in first


def test_two_compared_scenarios_get_their_own_slide_with_their_numbers(
    default_assumptions: Assumptions,
) -> None:
    faster = apply_overrides(default_assumptions, {"growth.cagr_pct": 25})
    deck = build(default_assumptions, compared={"Base": default_assumptions, "Fast": faster})
    slide = slide_titled(deck, "Scenarios compared")
    (chart,) = charts(slide)
    assert [s.name for s in chart.plots[0].series] == ["Base", "Fast"]
    fast = forecast(faster)
    assert list(chart.plots[0].series[1].values) == pytest.approx(list(fast.totals["value"]))
    # the numbers are on the slide, not only in the chart's hover-less lines
    ((header, *rows),) = tables(slide)
    assert header[:3] == ["Scenario", "Market size 2031", "CAGR"]
    assert rows[1][:3] == ["Fast", money(fast.horizon_value, UNIT), "25.0%"]
    assert rows[0][:3] == ["Base", "USD 1,651.2M", "20.12%"]
    assert slide.shapes.title.text == (
        f"The scenarios end 2031 between USD 1,651.2M (Base) and "
        f"{money(fast.horizon_value, UNIT)} (Fast)"
    )


def test_one_scenario_alone_gets_no_comparison(default_assumptions: Assumptions) -> None:
    deck = build(default_assumptions, compared={"Base": default_assumptions})
    assert "SCENARIOS COMPARED" not in kickers(deck)


def test_the_range_of_outcomes_is_written_out_year_by_year(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    slide = slide_titled(default_deck, "How sure")
    (fan,) = charts(slide)
    p10, p50, p90 = fan.plots[0].series
    assert [s.name for s in (p10, p50, p90)] == ["P10 (low)", "P50 (median)", "P90 (high)"]
    # told apart by colour, not only by a legend
    colours = {str(s.format.line.color.rgb) for s in (p10, p50, p90)}
    assert len(colours) == 3
    sim = simulate(a, PATHS, seed=0, by_segment=False)
    band = sim.totals.loc[a.years.base :]
    ((header, *rows),) = tables(slide)
    assert header == ["Year", "P10 (low)", "P50 (median)", "P90 (high)"]
    assert [row[0] for row in rows] == [str(y) for y in band.index]
    assert rows[-1][1:] == [money(band.at[2031, q], UNIT) for q in ("p10", "p50", "p90")]
    # each path's end is labelled with its value, so nothing needs a hover
    ends = [s.points[len(band) - 1].data_label.text_frame.text for s in (p10, p50, p90)]
    assert ends == [f"{q.upper()} {money(band.at[2031, q], UNIT)}" for q in ("p10", "p50", "p90")]
    low, high = money(band.at[2031, "p10"], UNIT), money(band.at[2031, "p90"], UNIT)
    assert slide.shapes.title.text.startswith(
        f"Eight in ten simulated paths end 2031 between {low} and {high}"
    )


def test_the_tornado_bars_carry_the_values_they_end_at(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    slide = slide_titled(default_deck, "What moves")
    (tornado,) = charts(slide)
    assert tornado.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    table = sensitivity(default_assumptions, "total").head(10)
    assert list(tornado.plots[0].categories) == list(table["label"])
    low, high = tornado.plots[0].series
    for series, column in ((low, "low_value"), (high, "high_value")):
        shown = [point.data_label.text_frame.text for point in series.points]
        assert shown == [money(v, UNIT) for v in table[column]]


HOSTILE = '=HYPERLINK("http://x.test","x")\x07 <b>bold</b> [link](http://x.test)'


def hostile_market(small_market: dict[str, Any]) -> Assumptions:
    market = small_market
    market["market"]["name"] = f"Odd {HOSTILE}"
    market["dimensions"][0]["segments"][0]["name"] = HOSTILE.replace("\x07", "")
    market["dimensions"][0]["segments"][0]["id"] = "odd"
    market["growth"]["base_value"]["value"] = 1e300
    return parse_assumptions(yaml.safe_dump(market))


def test_odd_names_and_huge_numbers_stay_plain_text(small_market: dict[str, Any]) -> None:
    a = hostile_market(small_market)
    deck = build(a)
    shown = texts(deck)
    assert "\x07" not in shown
    assert "<b>bold</b> [link](http://x.test)" in shown  # as typed: not styled, not a link
    for slide in deck.slides:
        for chart in charts(slide):
            sheet = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob)).active
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"a formula in the embedded data: {cell.value}"


def test_the_download_is_named_after_the_market(default_assumptions: Assumptions) -> None:
    name = format_named("pptx").file_name(default_assumptions, day=DAY)
    assert name == "microservices-in-healthcare-deck-2031-01-02.pptx"


def test_the_file_is_a_valid_package(default_assumptions: Assumptions) -> None:
    data = format_named("pptx").render(request(default_assumptions))
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        assert any(name.startswith("ppt/embeddings/") for name in package.namelist())


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("LibreOffice is required here (apt-get install libreoffice-impress)")
    return found


def test_libreoffice_renders_every_slide(tmp_path: Path, default_assumptions: Assumptions) -> None:
    """The deck opens in another program than the one that wrote it; PNGs to look at."""
    soffice = _soffice()
    if soffice is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice (libreoffice-impress) and pdftoppm (poppler-utils) are needed")
    moved = apply_overrides(default_assumptions, {"growth.cagr_pct": 22.12})
    view = request(
        moved,
        default_assumptions,
        file_label="healthcare-microservices.yaml",
        compared={"File": default_assumptions, "Faster": moved},
    )
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(deck_pptx(view, generated=DAY))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("slide-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(tmp_path / "deck.pdf"), str(OUTPUT / "slide")],
        check=True,
        timeout=120,
    )
    rendered = sorted(OUTPUT.glob("slide-*.png"))
    assert len(rendered) == len(Presentation(str(deck)).slides)
    assert all(png.stat().st_size > 5_000 for png in rendered)  # drawn, not blank


def test_the_title_slide_says_which_estimate_the_numbers_follow(
    default_deck: PresentationType,
) -> None:
    first = "\n".join(s.text_frame.text for s in default_deck.slides[0].shapes if s.has_text_frame)
    assert "The numbers follow Kings Research" in first
    assert "estimates covering it range from" in first  # the spread across sources


def test_an_opportunity_gets_a_slide_with_the_plan_and_its_labels(
    default_assumptions: Assumptions,
) -> None:
    opp = Opportunity.model_validate(
        {
            "served": [{"dimension": "region", "picks": [{"segment": "europe"}]}],
            "start_share_pct": 1,
            "target_share_pct": 8,
        }
    )
    deck = build(default_assumptions, opportunity=opp)
    slide = slide_titled(deck, "Our opportunity")
    markets, revenue = charts(slide)
    expected = plan(default_assumptions, opp)
    assert list(revenue.plots[0].series[0].values) == pytest.approx(list(expected["revenue"]))
    assert list(markets.plots[0].series[1].values) == pytest.approx(list(expected["sam"]))
    shown = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "your own assumptions" in shown
    assert "independent" in notes(slide)
    last = expected.iloc[-1]
    assert slide.shapes.title.text == (
        f"Our plan reaches {money(last['revenue'], UNIT)} in 2031: 8.0% of a "
        f"{money(last['sam'], UNIT)} served market"
    )


def test_without_an_opportunity_there_is_no_opportunity_slide(
    default_deck: PresentationType,
) -> None:
    assert "OUR OPPORTUNITY" not in kickers(default_deck)


@pytest.mark.parametrize("layout", ["one flat dimension", "nested"])
def test_the_largest_file_the_limits_allow_gets_a_deck_within_the_memory_ceiling(
    layout: str,
) -> None:
    a = parse_assumptions(worst_file(layout))
    tracemalloc.start()
    try:
        deck = Presentation(io.BytesIO(deck_pptx(request(a, paths=10_000))))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_CEILING
    foot = "\n".join(named(slide_titled(deck, "How sure"), "Footnote"))
    assert "not 10,000" in foot  # the reduced path count is said, not hidden


# --- The deck a strategy team presents -------------------------------------------------------

COFFEE = PROJECT / "assumptions" / "example-coffee-subscriptions.yaml"


@pytest.fixture(scope="module")
def coffee() -> Assumptions:
    return load_assumptions(COFFEE)


@pytest.fixture(scope="module")
def coffee_deck(coffee: Assumptions) -> PresentationType:
    return build(coffee)


def growth_words(a: Assumptions) -> str:
    """What the growth title must say, worked out here from the forecast's numbers."""
    f = forecast(a)
    start, end = f.totals.at[a.years.base, "value"], f.horizon_value
    grows = f"{end / start:.1f}×" if end / start >= 2 else f"{(end / start - 1) * 100:.0f}%"
    return f"The market grows {grows} to {money(end, a.market.unit)} by {a.years.horizon}"


@pytest.mark.parametrize("which", ["default", "coffee"])
def test_the_summary_title_states_the_growth_in_numbers(
    which: str, request: pytest.FixtureRequest
) -> None:
    a = request.getfixturevalue("default_assumptions" if which == "default" else "coffee")
    deck = request.getfixturevalue(f"{which}_deck")
    title = slide_titled(deck, "Executive summary").shapes.title.text
    assert title == growth_words(a)
    if which == "default":
        assert title == "The market grows 3.6× to USD 1,651.2M by 2031"  # the words


def test_every_content_title_is_a_finding_with_a_number(
    default_deck: PresentationType, coffee_deck: PresentationType
) -> None:
    for deck in (default_deck, coffee_deck):
        for slide in deck.slides:
            if kicker(slide):
                title = slide.shapes.title.text
                assert any(c.isdigit() for c in title), f"{kicker(slide)}: {title!r}"
                assert title.upper() != kicker(slide)  # says what it shows, not what it is


def test_every_slide_has_a_footer_with_the_source_the_date_and_its_number(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    source = default_assumptions.market.source
    for number, slide in enumerate(default_deck.slides, start=1):
        (footer,) = named(slide, "Footer")
        assert f"Source: {source.publisher}" in footer and DAY.isoformat() in footer
        (shape,) = [s for s in slide.shapes if s.name == "Slide number"]
        xml = shape._element.xml
        assert 'type="slidenum"' in xml and f"<a:t>{number}</a:t>" in xml


def test_the_title_slide_shows_the_horizon_figure_the_cagr_and_the_source(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    first = default_deck.slides[0]
    assert named(first, "Figure") == ["USD 1,651.2M", "20.12%"]
    assert default_assumptions.market.source.citation in "".join(named(first, "Source"))


def test_axes_read_like_the_app_and_market_sizes_start_at_zero(
    default_deck: PresentationType,
) -> None:
    money_axes = 0
    for slide in default_deck.slides:
        for chart in charts(slide):
            axis = chart.value_axis
            shown = axis.tick_labels.number_format
            assert shown != "#,##0.0" and not axis.tick_labels.number_format_is_linked
            if "USD" in chart.chart_title.text_frame.text and not kicker(slide).startswith(
                "WHAT MOVES"  # the tornado's axis is the change, signed, around zero
            ):
                money_axes += 1
                assert shown == '"USD "#,##0"M"', kicker(slide)
                assert axis.minimum_scale == 0
    assert money_axes >= 3  # the trajectory, the regions, the range


def test_growth_and_share_axes_share_one_scale_across_the_deck(
    default_deck: PresentationType,
) -> None:
    scales: dict[str, set[tuple[float | None, float | None]]] = {"share": set(), "growth": set()}
    for slide in default_deck.slides:
        if kicker(slide).endswith("MIX AND GROWTH"):
            share, growth = charts(slide)
            for name, chart in (("share", share), ("growth", growth)):
                axis = chart.value_axis
                scales[name].add((axis.minimum_scale, axis.maximum_scale))
                assert axis.tick_labels.number_format == "0%"
    assert len(scales["share"]) == 1 and len(scales["growth"]) == 1
    ((low, high),) = scales["growth"]
    assert low == 0 and high is not None and high > 0


def test_rates_keep_the_precision_they_are_written_with(
    default_deck: PresentationType, coffee_deck: PresentationType
) -> None:
    assert "20.12%" in texts(default_deck)  # the source's CAGR as the source states it
    shown = texts(coffee_deck)
    assert "9.5%" in shown and "9.50%" not in shown  # an assumed 9.5% has no second decimal


@pytest.mark.parametrize("which", ["default", "coffee"])
def test_the_assumption_slides_list_everything_the_numbers_rest_on(
    which: str, request: pytest.FixtureRequest
) -> None:
    """Even when nothing was changed: every assumption, reported or assumed, with its reason."""
    a = request.getfixturevalue("default_assumptions" if which == "default" else "coffee")
    deck = request.getfixturevalue(f"{which}_deck")
    rows = [
        row
        for slide in deck.slides
        if kicker(slide).startswith("SOURCES AND ASSUMPTIONS")
        for row in tables(slide)[0][1:]
    ]
    said = "\n".join(" | ".join(row) for row in rows)
    unused = unused_paths(a)  # a growth shape's parameters it does not use, say
    assert unused == {"growth.fade_pp", "growth.damping", "growth.capacity", "growth.rebase"}
    for p in parameters(a):
        if p.path in unused:
            assert p.label not in said, p.path
            continue
        assert p.basis in said, p.path
        name = p.label.removesuffix(" share").removesuffix(" growth differential")
        assert name in said, p.path
    assert {row[2] for row in rows} <= {"Reported", "Assumed"}
    cagr = next(row for row in rows if row[0] == "CAGR")
    reported = a.growth.cagr_pct.provenance.value == "reported"
    assert cagr[2] == ("Reported" if reported else "Assumed")


def test_the_deck_says_which_shape_and_actuals_the_numbers_follow(
    default_assumptions: Assumptions,
) -> None:
    base = default_assumptions
    shaped = apply_overrides(base, {"growth.shape": 3.0, "growth.rebase": 1.0})
    deck = build(apply_actuals(shaped, {2025: 535.64}), base)
    trajectory = slide_titled(deck, "Market size")
    (said,) = named(trajectory, "Growth assumptions")
    assert "Growth shape: logistic (capacity USD 5,000.0M)" in said
    assert "assumed: Changed by the analyst: Growth shape from constant to" in said
    assert "Re-basing: hold-end, the path runs through the 2025 actual" in said
    [chart] = charts(trajectory)
    actual = next(s for s in chart.plots[0].series if s.name == "Actual")
    assert [v for v in actual.values if v is not None] == [535.64]
    assert str(actual.marker.format.fill.fore_color.rgb) == ACTUAL.removeprefix("#").upper()
