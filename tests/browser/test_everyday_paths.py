"""The everyday paths of issue 26 in a real browser: typing a number, Copy link, Back and
Undo, a phone's first screen and page links, the map's labels and the Estimates table.

Each check reads the rendered page (element boxes, the address, the clipboard); expected
numbers come from the model and ``report.format``. Screenshots of each page looked at go
to ``test-output/screenshots/`` at 1440x900 and 390x844.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from dashboard.state import entry_name
from market import Assumptions, apply_overrides, forecast
from report.format import money
from tests.browser.conftest import (
    PHONE,
    SCREENSHOTS,
    WIDE,
    StreamlitServer,
    assert_no_exception,
    market_folders,
    open_page,
    screenshot,
    slider,
    slider_value,
    wait_for_app,
    wait_for_metric,
    widget_css,
)
from tests.browser.test_layout import _FIRST_SCREEN

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

CAGR, BASE = "growth.cagr_pct", "growth.base_value"
CHARTS_ON = {"": 1, "estimates": 1, "segments": 4, "regions": 3, "risk": 2, "scenarios": 3}


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[StreamlitServer]:
    root = tmp_path_factory.mktemp("everyday")
    running = StreamlitServer(market_folders(root), root / "streamlit.log")
    running.start()
    yield running
    running.stop()


def _open(browser: Browser, server: StreamlitServer, viewport: dict[str, int], path: str) -> Page:
    page = open_page(browser, viewport)
    page.goto(f"{server.url}/{path}")
    wait_for_app(page, charts=CHARTS_ON.get(path, 1))
    assert_no_exception(page)
    return page


def entry(page: Page, path: str) -> Locator:
    """The number entry beside the slider for ``path`` (or the base value's alone)."""
    return page.locator(widget_css(entry_name(path), "input"))


def _settled(page: Page) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]').dataset.testScriptState"
        " === 'notRunning'"
    )


def _linked(page: Page, key: str, value: str | None) -> None:
    """Wait until the address carries ``key=value`` (or no ``key``)."""
    try:
        page.wait_for_function(
            "([key, value]) => new URLSearchParams(location.search).get(key) === value",
            arg=[key, value],
        )
    except Exception as err:
        raise AssertionError(f"the address is {page.url}, expected {key}={value}") from err


# --- item 6: exact numbers ---------------------------------------------------------------


def test_typing_25_and_enter_sets_the_cagr_and_its_slider(
    browser: Browser, server: StreamlitServer, default_assumptions: Assumptions
) -> None:
    page = _open(browser, server, WIDE, "")
    try:
        box = entry(page, CAGR)
        box.fill("25")
        box.press("Enter")
        wait_for_metric(page, "CAGR 2024-2031", "25.00%")
        expected = forecast(apply_overrides(default_assumptions, {CAGR: 25.0}))
        wait_for_metric(page, "Market size 2031", money(expected.horizon_value, expected.unit))
        page.wait_for_function(
            "(el) => el.getAttribute('aria-valuetext') === '25.00'",
            arg=slider(page, CAGR).element_handle(),
        )
        _linked(page, "cagr", "25")
        slider(page, CAGR).focus()
        page.keyboard.press("ArrowRight")
        wait_for_metric(page, "CAGR 2024-2031", "25.01%")
        page.wait_for_function("(el) => el.value === '25.01'", arg=box.element_handle())
        base = entry(page, BASE)
        base.fill("500")
        base.press("Enter")
        wait_for_metric(page, "Market size 2024", money(500.0, expected.unit))
        _linked(page, "base", "500")
        screenshot(page, "everyday-entries-1440")
    finally:
        page.context.close()


# --- item 9: Copy link, Back, Undo ---------------------------------------------------------


def test_back_returns_to_the_previous_page_and_the_link_says_what_it_carries(
    browser: Browser, server: StreamlitServer
) -> None:
    page = _open(browser, server, WIDE, "")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page.locator('[data-testid="stSidebarUserContent"]').get_by_role(
            "link", name="Segments"
        ).click()
        page.wait_for_url(re.compile(r"/segments"))
        wait_for_app(page, charts=4)
        slider(page, CAGR).focus()
        for expected in ("20.13", "20.14", "20.15"):
            page.keyboard.press("ArrowRight")
            _linked(page, "cagr", expected)
        carries = page.locator('[data-testid="marketLinkCarries"]')
        assert carries.inner_text() == (
            "The link opens Segments with the default file and 1 changed assumption (CAGR 20.15%)."
        )
        page.locator('[data-testid="marketCopyLink"]').click()
        page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)")
        assert page.evaluate("navigator.clipboard.readText()") == page.url
        assert page.url.endswith("/segments?cagr=20.15")

        page.get_by_role("button", name="Undo").click()
        _linked(page, "cagr", "20.14")
        _settled(page)
        assert slider_value(page, CAGR) == 20.14
        assert "(CAGR 20.14%)" in carries.inner_text()

        page.go_back()  # one step: the Overview, not the slider's previous position
        page.wait_for_url(re.compile(r"/\?cagr=20\.14$"))
        wait_for_app(page, charts=1)
        assert_no_exception(page)
        wait_for_metric(page, "CAGR 2024-2031", "20.14%")
    finally:
        page.context.close()


# --- item 10: a phone ------------------------------------------------------------------------

_CARDS_IN_VIEW = """() => Array.from(document.querySelectorAll('[data-testid="marketCard"]'),
  card => {
    const box = card.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
  })"""

_MAP_TEXT = """() => {
  const maps = [...document.querySelectorAll('.js-plotly-plot')]
    .filter(p => p.querySelector('.geo'));
  return maps.map(plot => {
    const box = plot.querySelector('.geo .bg, .geo').getBoundingClientRect();
    const texts = [...plot.querySelectorAll('.scattergeo text, .geo text')]
      .map(t => t.getBoundingClientRect()).filter(r => r.width > 0);
    const cut = texts.filter(r => r.left < box.left - 1 || r.right > box.right + 1).length;
    let overlaps = 0;
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
      const apart = a.right <= b.left || b.right <= a.left
        || a.bottom <= b.top || b.bottom <= a.top;
      if (!apart) overlaps++;
    }));
    const legend = [...plot.querySelectorAll('.legend .legendtext')].map(t => t.textContent);
    return { texts: texts.length, cut, overlaps, legend };
  });
}"""


def test_a_phone_shows_all_four_figures_first_and_closes_the_sidebar_after_a_tap(
    browser: Browser, server: StreamlitServer
) -> None:
    page = _open(browser, server, PHONE, "")
    try:
        page.locator('[data-testid="marketCard"]').first.wait_for()
        shown = page.evaluate(_CARDS_IN_VIEW)
        assert shown == [True] * 4, shown
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "everyday-overview-phone-first-screen.png")
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        sidebar = page.locator('[data-testid="stSidebar"]')
        page.wait_for_function(
            "(el) => el.getAttribute('data-collapsed') === 'false'", arg=sidebar.element_handle()
        )
        page.locator('[data-testid="stSidebarUserContent"]').get_by_role(
            "link", name="Regions"
        ).click()
        page.wait_for_url(re.compile(r"/regions"))
        wait_for_app(page, charts=3)
        page.wait_for_function(
            "(el) => el.getAttribute('data-collapsed') === 'true'", arg=sidebar.element_handle()
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot .legendtext')]"
            ".some(t => t.textContent.startsWith('Asia-Pacific: USD'))"
        )
        (seen,) = page.evaluate(_MAP_TEXT)
        assert seen["cut"] == 0 and seen["overlaps"] == 0, seen
        regions = [name.partition(":")[0] for name in seen["legend"]]
        for region in ("North America", "Europe", "Asia-Pacific", "Latin America"):
            assert region in regions, seen
        screenshot(page, "everyday-regions-phone")
    finally:
        page.context.close()


def test_the_map_keeps_its_labels_whole_at_1440(browser: Browser, server: StreamlitServer) -> None:
    page = _open(browser, server, WIDE, "regions")
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot .geo text')]"
            ".some(t => t.textContent.startsWith('Asia-Pacific'))"
        )
        (seen,) = page.evaluate(_MAP_TEXT)
        assert seen["texts"] >= 5 and seen["cut"] == 0 and seen["overlaps"] == 0, seen
        screenshot(page, "everyday-regions-1440")
    finally:
        page.context.close()


def test_no_toolbar_covers_a_chart_title_on_any_page_of_a_phone(
    browser: Browser, server: StreamlitServer
) -> None:
    page = open_page(browser, PHONE)
    clashes = {}
    try:
        for path, charts in CHARTS_ON.items():
            page.goto(f"{server.url}/{path}")
            wait_for_app(page, charts=charts)
            assert_no_exception(page)
            for plot in page.locator(".js-plotly-plot").all():  # a touch shows the toolbar
                plot.hover()
            clashes[path or "overview"] = page.evaluate(_FIRST_SCREEN)["clashes"]
    finally:
        page.context.close()
    assert not any(clashes.values()), clashes


# --- item 11: the Estimates table at 1440 -----------------------------------------------------

_TABLE_SCROLLS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(t => {
  const s = t.querySelector('.dvn-scroller');
  return s ? s.scrollWidth - s.clientWidth : null; })"""


def test_the_year_by_year_table_shows_whole_at_1440(
    browser: Browser, server: StreamlitServer
) -> None:
    page = _open(browser, server, WIDE, "estimates")
    try:
        page.locator('[data-testid="stDataFrame"]').first.wait_for()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stDataFrame\"] .dvn-scroller') !== null"
        )
        year_by_year = page.evaluate(_TABLE_SCROLLS)[0]
        assert year_by_year == 0, f"the table scrolls {year_by_year} px sideways"
        screenshot(page, "everyday-estimates-1440")
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "phone"])
def test_every_page_touched_renders(
    browser: Browser, server: StreamlitServer, viewport: dict[str, int]
) -> None:
    """The pages this work touched, looked at whole at both sizes."""
    page = open_page(browser, viewport)
    size = "1440" if viewport == WIDE else "phone"
    try:
        for path in ("", "estimates", "regions", "risk"):
            page.goto(f"{server.url}/{path}")
            wait_for_app(page, charts=CHARTS_ON[path])
            assert_no_exception(page)
            screenshot(page, f"everyday-{path or 'overview'}-{size}")
    finally:
        page.context.close()
