"""The chart element in a real browser: a slider move updates the same chart in place, it
keeps what ``st.plotly_chart`` gave users, and plotly.js comes once from the app itself,
also under a base URL path and on a deep link.

Expected numbers come from the model (``market.forecast``), never from the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from market import Assumptions, apply_overrides, forecast
from tests.browser.conftest import (
    StartServer,
    StreamlitServer,
    chart_data,
    market_folders,
    slider,
    slider_value,
    wait_for_app,
    wait_for_chart_change,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

pytestmark = pytest.mark.browser

CAGR = "growth.cagr_pct"
CHART = ".market-chart.js-plotly-plot"

_MARK_FIRST_CHART = f"""() => {{
  window.__firstChart = document.querySelector('{CHART}');
  window.__firstChart.dataset.seen = 'before the move';
}}"""

_SAME_CHART = f"""() => {{
  const now = document.querySelector('{CHART}');
  return now === window.__firstChart && now.isConnected && now.dataset.seen === 'before the move';
}}"""

_CHART_LOOK = f"""() => [...document.querySelectorAll('{CHART}')].map(el => ({{
  name: el.getAttribute('aria-label'),
  title: el._fullLayout.title.text,
  font: el._fullLayout.font.family,
  textColor: el._fullLayout.font.color,
  width: el._fullLayout.width,
  png: !!el.querySelector('.modebar-btn[data-title="Download plot as a PNG"]'),
  share: !!el.querySelector('.modebar-btn[data-title^="Share"]'),
  traces: el._fullData.length,
}}))"""


_CHART_HEIGHTS = "() => [...document.querySelectorAll('.market-chart')].map(el => el.clientHeight)"


def test_each_chart_holds_its_place_while_plotly_js_is_on_its_way(
    app_server: StreamlitServer, page: Page
) -> None:
    """The page does not jump: before plotly.js arrives (a slow link, a cold cache) every
    chart already takes the height it will be drawn at, so the text under it stays put."""
    page.goto(f"{app_server.url}/segments")
    wait_for_app(page, charts=4)
    drawn = page.evaluate(_CHART_HEIGHTS)

    page.context.route("**/plotly.min.js", lambda route: route.abort())  # it never comes
    page.goto(f"{app_server.url}/segments")
    page.wait_for_function(f"() => ({_CHART_HEIGHTS})().length === {len(drawn)}")
    waiting = page.evaluate(_CHART_HEIGHTS)
    assert page.locator(CHART).count() == 0  # nothing drawn yet
    assert waiting == drawn


def plotly_requests(page: Page) -> list[str]:
    """Every request for plotly.js the page makes from now on (a live list)."""
    seen: list[str] = []

    def on_request(request: Request) -> None:
        if "plotly" in urlsplit(request.url).path:
            seen.append(request.url)

    page.on("request", on_request)
    return seen


def test_a_slider_move_redraws_the_same_chart_with_the_new_data(
    app_server: StreamlitServer, page: Page, default_assumptions: Assumptions
) -> None:
    page.goto(app_server.url)
    wait_for_app(page)
    page.evaluate(_MARK_FIRST_CHART)
    before = chart_data(page, 0)

    slider(page, CAGR).focus()
    page.keyboard.press("ArrowRight")
    after = wait_for_chart_change(page, 0, before)

    assert page.evaluate(_SAME_CHART), "the chart was replaced instead of updated in place"
    moved = forecast(apply_overrides(default_assumptions, {CAGR: slider_value(page, CAGR)}))
    drawn = [y for trace in after for y in trace if y is not None]
    assert any(y == pytest.approx(moved.horizon_value, rel=1e-9) for y in drawn), after


_TOP_OF = f"(index) => document.querySelectorAll('{CHART}')[index].getBoundingClientRect().top"
_PRINTED = f"""(index) => {{
  window.dispatchEvent(new Event('beforeprint'));
  const el = document.querySelectorAll('{CHART}')[index];
  return el._fullData.map(t => Array.from(t.y || [], Number));
}}"""


def test_a_chart_out_of_sight_shows_the_new_data_once_scrolled_to_or_printed(
    app_server: StreamlitServer, page: Page
) -> None:
    """A slider move redraws the charts on screen at once; the Overview's growth chart,
    below the fold of a laptop's screen, keeps the new data until it is scrolled to (then
    it shows it), or until the page is printed."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(app_server.url)
    wait_for_app(page, charts=2)
    growth = 1  # "Growth each year", under the trajectory; its last trace is the CAGR line
    assert page.evaluate(_TOP_OF, growth) > 900 + 300  # out of sight, and of the margin
    trajectory, shown = chart_data(page, 0), chart_data(page, growth)

    slider(page, CAGR).focus()
    page.keyboard.press("ArrowRight")
    wait_for_chart_change(page, 0, trajectory)
    cagr = slider_value(page, CAGR)
    page.wait_for_timeout(500)  # time enough for a drawing that should not happen
    assert chart_data(page, growth) == shown, "a chart out of sight was redrawn"

    page.locator(CHART).nth(growth).scroll_into_view_if_needed()
    assert wait_for_chart_change(page, growth, shown)[-1] == pytest.approx([cagr, cagr])

    page.locator('[data-testid="stMain"] h1').first.scroll_into_view_if_needed()  # back up
    page.wait_for_function(f"(i) => ({_TOP_OF})(i) > 900 + 300", arg=growth)
    trajectory = chart_data(page, 0)
    slider(page, CAGR).focus()
    page.keyboard.press("ArrowRight")
    wait_for_chart_change(page, 0, trajectory)
    cagr = slider_value(page, CAGR)
    assert page.evaluate(_PRINTED, growth)[-1] == pytest.approx([cagr, cagr])


def test_charts_keep_what_users_had_from_streamlits_plotly_chart(
    app_server: StreamlitServer, page: Page
) -> None:
    page.goto(f"{app_server.url}/segments")
    wait_for_app(page, charts=4)

    charts = page.evaluate(_CHART_LOOK)
    for chart in charts:
        assert chart["name"] and chart["name"] == chart["title"]  # the accessible name
        assert "Source Sans" in chart["font"]  # the theme's font and text colour
        assert chart["textColor"].upper() == "#1F2933"  # .streamlit/config.toml
        assert chart["png"], "no PNG download in the modebar"
        assert not chart["share"], "a button that sends the chart to an outside service"

    # Legend toggling: a click on the first legend entry hides that trace.
    first = page.locator(CHART).first
    first.locator(".legend .traces").first.click()
    page.wait_for_function(
        f"() => document.querySelector('{CHART}')._fullData.some(t => t.visible === 'legendonly')"
    )

    # Responsive width: a narrower window redraws the chart narrower.
    wide = charts[0]["width"]
    page.set_viewport_size({"width": 900, "height": 1000})
    page.wait_for_function(
        f"(wide) => document.querySelector('{CHART}')._fullLayout.width < wide", arg=wide
    )


def test_plotly_js_is_served_once_by_the_app_under_a_base_url_path_and_a_deep_link(
    streamlit_server: StartServer, page: Page, tmp_path: Path
) -> None:
    env = {**market_folders(tmp_path), "STREAMLIT_SERVER_BASE_URL_PATH": "market"}
    server = streamlit_server(env)
    requested = plotly_requests(page)
    outside: list[str] = []
    local = urlsplit(server.url).netloc
    page.on(
        "request",
        lambda r: outside.append(r.url) if urlsplit(r.url).netloc not in ("", local) else None,
    )

    page.goto(f"{server.url}/regions")  # the fresh server's first request is a deep link
    wait_for_app(page, charts=3)
    slider(page, CAGR).focus()
    before = chart_data(page, 0)
    page.keyboard.press("ArrowRight")
    wait_for_chart_change(page, 0, before)

    assert requested == [f"{server.url}/app/static/plotly.min.js"]
    assert [u for u in outside if not u.startswith(("data:", "blob:"))] == []
