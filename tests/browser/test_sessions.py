"""Many people on one server: each session's numbers follow its own slider, nobody else's.

Twenty Streamlit sessions share one Chromium and one server: four people (browser contexts:
no cookie or cache in common), each with five tabs (every tab is a session of its own, as
two tabs of one analyst are). All of them move their CAGR slider before any is waited for,
so the server runs their reruns side by side, which is where one session's state could
leak into another's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from market import Assumptions, apply_overrides, forecast, load_assumptions, parameter_index
from report.format import money
from tests.browser.conftest import (
    StreamlitServer,
    metric_value,
    open_page,
    slider,
    slider_value,
    wait_for_app,
    wait_for_metric,
)
from tests.conftest import DEFAULT_FILE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

CAGR = "growth.cagr_pct"
PLOTLY_JS_URL = "**/app/static/plotly.min.js"
CAGR_STEP = parameter_index(load_assumptions(DEFAULT_FILE))[CAGR].step  # the slider's step
PEOPLE, TABS = 4, 5
SESSIONS = PEOPLE * TABS
BATCH = 4  # pages loading at once: keeps both cores busy without thrashing twenty renderers
# Smaller than the screenshot window: a CPU-only Chromium paints each page in software.
WINDOW = {"width": 1000, "height": 700}


def horizon_text(a: Assumptions, cagr_pct: float) -> str:
    f = forecast(apply_overrides(a, {CAGR: cagr_pct}))
    return money(float(f.totals.at[a.years.horizon, "value"]), a.market.unit)


def tabs(first: Page, count: int) -> list[Page]:
    """``count`` more tabs of the person whose first tab is ``first``."""
    return [first.context.new_page() for _ in range(count)]


def move_cagr(page: Page, i: int) -> float:
    """Session ``i`` steps the slider up from the file's value, or down from its top end
    (End), a different number of steps in each session; returns the CAGR that should result.

    Not from the bottom end: at -50 % a year the horizon value is so small that steps of
    0.01 points all read "USD 3.6M", and a mix-up between sessions could go unseen.
    """
    control = slider(page, CAGR)
    from_file = i % 2 == 0
    key, sign = ("ArrowRight", 1) if from_file else ("ArrowLeft", -1)
    start = slider_value(page, CAGR) if from_file else float(control.get_attribute("max") or "nan")
    steps = i // 2
    control.focus()
    if not from_file:
        page.keyboard.press("End")
    for _ in range(steps):
        page.keyboard.press(key)
    return round(start + sign * steps * CAGR_STEP, 2)


def test_twenty_sessions_each_keep_their_own_cagr(
    app_server: StreamlitServer, browser: Browser, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    label = f"Market size {a.years.horizon}"
    people = [open_page(browser, WINDOW) for _ in range(PEOPLE)]
    pages = [tab for first in people for tab in (first, *tabs(first, TABS - 1))]
    try:
        for first in range(0, SESSIONS, BATCH):
            batch = pages[first : first + BATCH]
            for p in batch:
                # The numbers are read from the cards, not the charts: without plotly.js
                # (4.8 MB to compile) twenty pages load in a fraction of the time.
                p.route(PLOTLY_JS_URL, lambda route: route.abort())
                p.goto(app_server.url, wait_until="commit")
            for p in batch:
                wait_for_app(p, charts=0)

        # Every session is moved before any is waited for: the server runs their reruns
        # side by side.
        wanted = [move_cagr(p, i) for i, p in enumerate(pages)]
        expected = [horizon_text(a, cagr) for cagr in wanted]
        assert len(set(expected)) == SESSIONS  # otherwise a mix-up could go unseen
        for p, text in zip(pages, expected, strict=True):
            wait_for_metric(p, label, text)
        # Read again once every session has settled: a late rerun must not have mixed them.
        assert [slider_value(p, CAGR) for p in pages] == pytest.approx(wanted)
        assert [metric_value(p, label) for p in pages] == expected
    finally:
        for first in people:
            first.context.close()
