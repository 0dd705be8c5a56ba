"""The Opportunity page in Chromium: it draws on a desktop and on a phone, and follows the
sidebar. Expected numbers come from :mod:`market.opportunity`, never from the page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, expect

from market import Assumptions, apply_overrides, parameter_index
from market import opportunity as op
from report.format import money
from tests.browser.conftest import (
    StreamlitServer,
    assert_no_exception,
    open_page,
    screenshot,
    slider,
    slider_value,
    wait_for_app,
    wait_for_metric,
    widget_css,
)

pytestmark = pytest.mark.browser

CAGR = "growth.cagr_pct"


def _css(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def planned_revenue(a: Assumptions) -> str:
    """The page's "Revenue <horizon> (plan)" card for a session that chose nothing yet."""
    return money(float(op.plan(a, op.Opportunity())["revenue"].iloc[-1]), a.market.unit)


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_page_draws_its_cards_and_charts_without_spilling_sideways(
    app_server: StreamlitServer,
    browser: Browser,
    default_assumptions: Assumptions,
    width: int,
    height: int,
) -> None:
    page = open_page(browser, {"width": width, "height": height})
    try:
        page.goto(app_server.url + "/opportunity")
        wait_for_app(page, charts=2)
        assert_no_exception(page)
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Our opportunity"
        label = f"Revenue {default_assumptions.years.horizon} (plan)"
        wait_for_metric(page, label, planned_revenue(default_assumptions))
        overflow = page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth"
            " - window.innerWidth"
        )
        assert overflow <= 0, f"the page is {overflow}px wider than a {width}px window"
        collapse = page.locator('[data-testid="stSidebarCollapseButton"]')
        if width < 600 and collapse.count():  # on a phone an open sidebar covers the page
            collapse.click()
            page.locator('[data-testid="stExpandSidebarButton"]').wait_for()
        screenshot(page, f"opportunity-{width}x{height}")
    finally:
        page.context.close()


def test_the_plan_follows_the_sidebars_cagr(
    app_server: StreamlitServer, browser: Browser, default_assumptions: Assumptions
) -> None:
    page = open_page(browser)
    try:
        page.goto(app_server.url + "/opportunity")
        wait_for_app(page, charts=2)
        label = f"Revenue {default_assumptions.years.horizon} (plan)"
        wait_for_metric(page, label, planned_revenue(default_assumptions))
        slider(page, CAGR).focus()
        for _ in range(10):  # ten arrow-key steps of the parameter's step
            page.keyboard.press("ArrowRight")
        step = parameter_index(default_assumptions)[CAGR].step
        expected = round(default_assumptions.growth.cagr_pct.value + 10 * step, 2)
        page.wait_for_function(
            "([sel, v]) => Number(document.querySelector(sel).getAttribute('aria-valuetext')) == v",
            arg=[widget_css(CAGR, "input[type=range]"), expected],
        )
        assert slider_value(page, CAGR) == pytest.approx(expected)
        moved = apply_overrides(default_assumptions, {CAGR: expected})
        wait_for_metric(page, label, planned_revenue(moved))
        # The suggested revenue target followed the plan through every rerun: the user typed
        # none, so none is theirs, in the link or on the page.
        assert "o.goal" not in parse_qs(urlparse(page.url).query)
        target_box = page.get_by_label(re.compile(r"^Revenue target \(.*, suggested\)"))
        expect(target_box).to_have_count(1)
        assert_no_exception(page)
    finally:
        page.context.close()
