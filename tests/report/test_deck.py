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

from market import Assumptions, apply_actuals, apply_overrides, forecast, parse_assumptions
from market.opportunity import Opportunity, plan
from market.risk import MEMORY_CEILING
from report.colors import ACTUAL, MODELLED, REPORTED, segment_colors
from report.deck import deck_pptx
from report.formats import ExportRequest, format_named
from tests.market.test_risk_memory import worst_file

PATHS = 500  # enough for percentiles; the page's own count is its business
DAY = dt.date(2031, 1, 2)
PROJECT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT / "test-output" / "deck"


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


def slide_titled(deck: PresentationType, start: str) -> Any:
    return next(s for s in deck.slides if s.shapes.title.text.startswith(start))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def default_deck(default_assumptions: Assumptions) -> PresentationType:
    return build(default_assumptions)


def test_the_deck_has_a_slide_for_each_part_of_the_view(
    default_deck: PresentationType, default_assumptions: Assumptions
) -> None:
    dimensions = [d.name for d in default_assumptions.dimensions]
    assert titles(default_deck) == [
        f"{default_assumptions.market.name}: market outlook",
        "Headline figures",
        "Market size 2023-2031",
        *(f"{name}: mix and growth" for name in dimensions),
        "Region: the split over time",
        "How sure is the forecast?",
        "Sources and assumptions",
        "Where the numbers come from",
    ]


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
    slide = slide_titled(default_deck, "Headline figures")
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in list(table.rows)[1:]}
    assert rows["Market size 2023"][1:3] == ["USD 389.3M", "reported"]
    assert rows["Market size 2031"][1:] == ["USD 1,651.2M", "modelled", "matches the report"]
    assert rows["CAGR 2024-2031"][1] == "20.12%"


def test_a_changed_assumption_is_listed_as_the_analysts_not_as_reported(
    default_assumptions: Assumptions,
) -> None:
    moved = apply_overrides(default_assumptions, {"growth.cagr_pct": 22.12})
    deck = build(moved, default_assumptions)
    slide = slide_titled(deck, "Sources and assumptions")
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    (row,) = [[cell.text for cell in r.cells] for r in list(table.rows)[1:]]
    assert row == ["CAGR", "20.12%", "22.12%", "file: reported; used: assumed (changed)"]
    headline = slide_titled(deck, "Headline figures")
    cagr = next(shape.table for shape in headline.shapes if shape.has_table).rows[4]
    assert [cell.text for cell in cagr.cells][1:] == [
        "22.12%",
        "modelled",
        "+2.00 pp vs the report's 20.12%",
    ]
    # the file's own trajectory is drawn beside the changed one, for reference
    (chart,) = charts(slide_titled(deck, "Market size"))
    assert [s.name for s in chart.plots[0].series][2] == "The file's assumptions"


def test_the_title_slide_names_the_file_and_the_scenario(default_assumptions: Assumptions) -> None:
    deck = build(default_assumptions, scenario="Board case")
    first = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Assumptions file: market.yaml" in first
    assert "Scenario: Board case" in first
    assert "Prepared 2031-01-02" in first


def test_two_compared_scenarios_get_their_own_slide(default_assumptions: Assumptions) -> None:
    faster = apply_overrides(default_assumptions, {"growth.cagr_pct": 25})
    deck = build(default_assumptions, compared={"Base": default_assumptions, "Fast": faster})
    (chart,) = charts(slide_titled(deck, "Scenarios compared"))
    assert [s.name for s in chart.plots[0].series] == ["Base", "Fast"]
    assert list(chart.plots[0].series[1].values)[-1] == pytest.approx(
        apply_overrides(default_assumptions, {"growth.cagr_pct": 25}).growth.base_value.value
        * 1.25**7
    )


def test_one_scenario_alone_gets_no_comparison(default_assumptions: Assumptions) -> None:
    deck = build(default_assumptions, compared={"Base": default_assumptions})
    assert "Scenarios compared" not in titles(deck)


def test_risk_slide_shows_percentiles_and_a_tornado(default_deck: PresentationType) -> None:
    fan, tornado = charts(slide_titled(default_deck, "How sure"))
    assert [s.name for s in fan.plots[0].series] == ["P10", "P50 (median)", "P90"]
    p10, p50, p90 = (list(s.values) for s in fan.plots[0].series)
    assert all(lo <= mid <= hi for lo, mid, hi in zip(p10, p50, p90, strict=True))
    assert tornado.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert "CAGR" in list(tornado.plots[0].categories)


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


def test_without_an_opportunity_there_is_no_opportunity_slide(
    default_deck: PresentationType,
) -> None:
    assert "Our opportunity" not in titles(default_deck)


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
    foot = "\n".join(
        s.text_frame.text for s in slide_titled(deck, "How sure").shapes if s.has_text_frame
    )
    assert "not 10,000" in foot  # the reduced path count is said, not hidden


def test_the_deck_says_which_shape_and_actuals_the_numbers_follow(
    default_assumptions: Assumptions,
) -> None:
    base = default_assumptions
    shaped = apply_overrides(base, {"growth.shape": 3.0, "growth.rebase": 1.0})
    deck = build(apply_actuals(shaped, {2025: 535.64}), base)
    first = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Growth shape: logistic (capacity USD 5,000.0M)" in first
    assert "the analyst's assumption" in first
    assert "Re-basing: hold-end, the path runs through the 2025 actual" in first
    [chart] = charts(slide_titled(deck, "Market size"))
    actual = next(s for s in chart.plots[0].series if s.name == "Actual")
    assert [v for v in actual.values if v is not None] == [535.64]
    assert str(actual.marker.format.fill.fore_color.rgb) == ACTUAL.removeprefix("#").upper()
