"""The dashboard in a real browser: pages draw, deep links and the first slider move work on a
fresh server, quick key presses are all kept, and the world map needs no outside host.

Expected numbers come from the model (``market.forecast``) and ``report.format``, never
from what the page showed before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from market import Assumptions, apply_overrides, forecast, load_assumptions, parameter_index
from report.format import money
from tests.browser.conftest import (
    StartServer,
    StreamlitServer,
    assert_no_exception,
    chart_data,
    market_folders,
    screenshot,
    slider,
    slider_value,
    wait_for_app,
    wait_for_chart_change,
    wait_for_metric,
)
from tests.conftest import DEFAULT_FILE

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

pytestmark = pytest.mark.browser

CAGR = "growth.cagr_pct"
CAGR_STEP = parameter_index(load_assumptions(DEFAULT_FILE))[CAGR].step  # the slider's step

# path, screenshot name, heading, Plotly charts the page draws for the default market
# (issue 3: Overview's trajectory; Segments' area, share, growth and hierarchy charts for
# the first dimension, which has sub-segments; Regions' split, map and heatmap).
PAGES = [
    ("/", "overview", "{market}: market size", 1),
    ("/segments", "segments", "Segments", 4),
    ("/regions", "regions", "Regions", 3),
    ("/sources", "sources", "Sources & method", 0),
]

_CHART_TITLES = """() => Array.from(
  document.querySelectorAll('.market-chart.js-plotly-plot'),
  el => (el._fullLayout.title && el._fullLayout.title.text) || '',
)"""


def horizon_text(a: Assumptions, cagr_pct: float) -> str:
    """The horizon KPI as the page should show it for this CAGR."""
    f = forecast(apply_overrides(a, {CAGR: cagr_pct}))
    return money(float(f.totals.at[a.years.horizon, "value"]), a.market.unit)


def heading(page: Page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


@pytest.mark.parametrize(("path", "name", "title", "charts"), PAGES, ids=[p[1] for p in PAGES])
def test_page_draws_its_charts(
    app_server: StreamlitServer,
    page: Page,
    default_assumptions: Assumptions,
    path: str,
    name: str,
    title: str,
    charts: int,
) -> None:
    page.goto(app_server.url + path)
    wait_for_app(page, charts=charts)

    assert_no_exception(page)
    assert heading(page) == title.format(market=default_assumptions.market.name)
    titles = page.evaluate(_CHART_TITLES)
    assert len(titles) >= charts
    assert all(titles), f"a chart without a title on {path}: {titles}"
    if charts == 0:  # Sources & method: the reported figures and every assumption, as tables
        page.locator('[data-testid="stDataFrame"]').nth(1).wait_for()
    screenshot(page, name)


def test_deep_link_as_first_request_on_a_fresh_server(
    streamlit_server: StartServer, page: Page, tmp_path: Path
) -> None:
    server = streamlit_server(market_folders(tmp_path))

    page.goto(f"{server.url}/regions")
    wait_for_app(page, charts=3)

    assert_no_exception(page)
    assert heading(page) == "Regions"
    assert page.title().startswith("Regions")


def test_first_slider_move_on_a_fresh_server_redraws_the_trajectory(
    streamlit_server: StartServer, page: Page, tmp_path: Path, default_assumptions: Assumptions
) -> None:
    server = streamlit_server(market_folders(tmp_path))
    page.goto(server.url)
    wait_for_app(page)
    before = chart_data(page, 0)

    slider(page, CAGR).focus()
    page.keyboard.press("ArrowRight")
    # The running indicator can clear before the chart is redrawn: wait for the data.
    after = wait_for_chart_change(page, 0, before)

    moved = slider_value(page, CAGR)
    assert moved > default_assumptions.growth.cagr_pct.value
    f = forecast(apply_overrides(default_assumptions, {CAGR: moved}))
    horizon = float(f.totals.at[default_assumptions.years.horizon, "value"])
    drawn = [y for trace in after for y in trace if y is not None]
    assert any(y == pytest.approx(horizon, rel=1e-9) for y in drawn), (horizon, after)


def test_nine_quick_presses_move_the_cagr_nine_steps(
    app_server: StreamlitServer, page: Page, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    label = f"Market size {a.years.horizon}"
    page.goto(app_server.url)
    wait_for_app(page)
    slider(page, CAGR).focus()
    # The slider's grid runs through the file's 20.12, so a press steps from it; settle after
    # the first, then count steps from there.
    page.keyboard.press("ArrowRight")
    start = slider_value(page, CAGR)
    wait_for_metric(page, label, horizon_text(a, start))

    for _ in range(9):
        page.keyboard.press("ArrowRight")
    expected = round(start + 9 * CAGR_STEP, 2)

    wait_for_metric(page, label, horizon_text(a, expected))
    assert slider_value(page, CAGR) == pytest.approx(expected)
    assert_no_exception(page)


def test_region_map_draws_countries_from_local_geometry(
    app_server: StreamlitServer, page: Page
) -> None:
    local = urlsplit(app_server.url).netloc
    failed: list[str] = []
    geometry: list[tuple[int, str]] = []

    def on_failed(request: Request) -> None:
        failed.append(f"{request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        if "topojson" in response.url:
            geometry.append((response.status, response.url))

    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.goto(f"{app_server.url}/regions")
    wait_for_app(page, charts=3)

    countries, drawn = page.wait_for_function(
        """() => {
          for (const el of document.querySelectorAll('.js-plotly-plot')) {
            const map = (el._fullData || []).find(t => t.type === 'choropleth');
            const drawn = el.querySelectorAll('path.choroplethlocation').length;
            if (map && drawn > 0) return [map.locations.length, drawn];
          }
          return false;
        }"""
    ).json_value()
    print("failed requests:", failed or "none")

    assert drawn == countries > 100  # every country of the five regions has its shape
    assert geometry, "the map fetched no topojson"
    assert all(status == 200 and urlsplit(url).netloc == local for status, url in geometry)
    external_map = [u for u in failed if urlsplit(u).netloc != local and "topojson" in u]
    assert not external_map
