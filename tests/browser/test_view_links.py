"""A copied link opens the same view, not only the same numbers (issue 12): the pages' own
controls are written into the address as they change (also from a part of the page that
reruns alone, the Risk page's tornado) and a fresh browser opening it shows that view."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import (
    PHONE,
    WIDE,
    StreamlitServer,
    assert_no_exception,
    open_page,
    screenshot,
    wait_for_app,
    widget_css,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser


_LINK_HOLDS = """(expected) => {
  const params = new URLSearchParams(location.search);
  return Object.entries(expected).every(([key, value]) => params.get(key) === value);
}"""

_TITLES = """() => [...document.querySelectorAll('.market-chart.js-plotly-plot')].map(
  el => el.getAttribute('aria-label') || '')"""  # each chart's title, as read out


def control(page: Page, name: str) -> Locator:
    """The page control remembered as ``name`` (Streamlit's ``st-key-`` class of its key)."""
    return page.locator(widget_css(name))


def wait_for_link(page: Page, expected: dict[str, str]) -> None:
    page.wait_for_function(_LINK_HOLDS, arg=expected)


def query(page: Page) -> dict[str, str]:
    return dict(page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))"))


def wait_for_title(page: Page, title: str) -> None:
    page.wait_for_function(f"(title) => ({_TITLES})().includes(title)", arg=title)


def year_shown(page: Page) -> str:
    return (
        control(page, "year").locator('input[type="range"]').get_attribute("aria-valuetext") or ""
    )


def dimension_shown(page: Page) -> str:
    return control(page, "segments.dimension").locator('[aria-checked="true"]').inner_text()


def go_to(page: Page, title: str, *, charts: int) -> None:
    """Switch page through the sidebar's navigation link (the session is kept)."""
    page.locator('[data-testid="stSidebar"] a').filter(has_text=title).click()
    page.wait_for_function("(title) => document.title.startsWith(title)", arg=title)
    wait_for_app(page, charts=charts)


def test_a_copied_link_opens_the_same_view_in_a_fresh_browser(
    app_server: StreamlitServer, browser: Browser, page: Page
) -> None:
    page.goto(f"{app_server.url}/segments")
    wait_for_app(page, charts=3)
    assert query(page) == {}  # every control as the page first shows it

    control(page, "segments.dimension").get_by_role("radio", name="Region").click()
    wait_for_link(page, {"v.dim": "region"})
    control(page, "year").locator('input[type="range"]').focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    wait_for_link(page, {"v.dim": "region", "v.year": "2028"})
    wait_for_title(page, "Region: share of the market in 2028")

    go_to(page, "Risk", charts=2)
    target = control(page, "risk.target").get_by_role("combobox")
    target.click()
    target.press_sequentially("Region: Europe")  # typed: the list is long
    page.get_by_role("option", name="Region: Europe", exact=True).click()
    # only the tornado's fragment reruns: the control's change itself writes the address
    wait_for_link(page, {"v.dim": "region", "v.year": "2028", "v.target": "region/europe"})
    wait_for_title(page, "Region: Europe in 2031: what moves it most (USD million)")
    shared = page.url

    fresh = open_page(browser, WIDE)
    try:
        fresh.goto(shared)
        wait_for_app(fresh, charts=2)
        wait_for_title(fresh, "Region: Europe in 2031: what moves it most (USD million)")
        assert query(fresh) == query(page)  # the link reads back to itself
        go_to(fresh, "Segments", charts=3)
        wait_for_title(fresh, "Region: share of the market in 2028")
        assert dimension_shown(fresh) == "Region"
        assert year_shown(fresh) == "2028"
        assert_no_exception(fresh)
    finally:
        fresh.context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_segments_and_regions_opened_from_a_link(
    app_server: StreamlitServer, browser: Browser, size: str
) -> None:
    page = open_page(browser, WIDE if size == "desktop" else PHONE)
    try:
        page.goto(f"{app_server.url}/segments?v.dim=region&v.year=2028")
        wait_for_app(page, charts=3)
        wait_for_title(page, "Region: share of the market in 2028")
        assert dimension_shown(page) == "Region"
        assert not page.locator('[data-testid="stAlert"]').filter(has_text="ignored").count()
        screenshot(page, f"link-view-segments-{size}")

        page.goto(f"{app_server.url}/regions?v.year=2026&v.by=deployment")
        wait_for_app(page, charts=3)
        wait_for_title(page, "Region × Deployment model, 2026 (USD million)")
        screenshot(page, f"link-view-regions-{size}")
        assert_no_exception(page)
    finally:
        page.context.close()
