"""The Estimates page in Chromium: drawn at desktop and phone sizes, calibrated with a click."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from market import Assumptions
from tests.browser.conftest import (
    StreamlitServer,
    assert_no_exception,
    chart_data,
    open_page,
    screenshot,
    wait_for_app,
    wait_for_chart_change,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_page_draws_at_desktop_and_phone_sizes(
    app_server: StreamlitServer,
    browser: Browser,
    default_assumptions: Assumptions,
    width: int,
    height: int,
) -> None:
    page = open_page(browser, {"width": width, "height": height})
    try:
        page.goto(f"{app_server.url}/estimates")
        wait_for_app(page, charts=1)
        assert_no_exception(page)
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
        assert heading == f"{default_assumptions.market.name}: published estimates"
        page.locator('[data-testid="stDataFrame"]').nth(2).wait_for()
        if width < 640:  # a phone starts with the sidebar closed: the headline comes first
            closed = page.locator('[data-testid="stSidebar"][data-collapsed="true"]')
            closed.wait_for(state="attached")
        screenshot(page, f"estimates-{width}x{height}")
    finally:
        page.context.close()


def test_calibrate_redraws_the_model_and_puts_it_in_the_link(
    app_server: StreamlitServer, browser: Browser
) -> None:
    page = open_page(browser)
    try:
        page.goto(f"{app_server.url}/estimates")
        wait_for_app(page, charts=1)
        before = chart_data(page)
        page.get_by_role("button", name="Median of the estimates").click()
        wait_for_chart_change(page, 0, before)
        page.wait_for_url("**cagr=21.7094**")
        assert_no_exception(page)
    finally:
        page.context.close()
