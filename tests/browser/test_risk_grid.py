"""The Risk page's two-way grid in a real browser: a click on a cell applies its two values
as ordinary overrides (the CAGR slider moves, the link carries both), and the page is
looked at on a wide screen and on a phone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from market import Assumptions
from market.grid import default_spec, two_way
from tests.browser.conftest import (
    PHONE,
    WIDE,
    StreamlitServer,
    assert_no_exception,
    open_page,
    screenshot,
    slider_value,
    wait_for_app,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

CAGR = "growth.cagr_pct"
RISK_CHARTS = 3  # the fan, the tornado and the grid

# Where cell [row, column] of the grid's heatmap is on the page, from Plotly's own axes.
_CELL = """([row, column]) => {
  const grid = [...document.querySelectorAll('.market-chart.js-plotly-plot')]
    .find(el => el._fullData && el._fullData[0] && el._fullData[0].type === 'heatmap');
  if (!grid) return null;
  grid.scrollIntoView({ block: 'center' });
  const box = grid.getBoundingClientRect();
  const x = grid._fullLayout.xaxis, y = grid._fullLayout.yaxis;
  return { x: box.left + x._offset + x.l2p(column), y: box.top + y._offset + y.l2p(row) };
}"""

_LINK_NEAR = """([key, value]) => {
  const shown = new URLSearchParams(location.search).get(key);
  return shown !== null && Math.abs(Number(shown) - value) < 1e-6 * Math.max(1, Math.abs(value));
}"""


def click_cell(page: Page, row: int, column: int) -> None:
    page.wait_for_function(f"(cell) => ({_CELL})(cell) !== null", arg=[row, column])
    where = page.evaluate(_CELL, [row, column])
    page.mouse.move(where["x"], where["y"])  # Plotly reads the point under the cursor
    page.mouse.click(where["x"], where["y"])


def test_a_click_on_a_cell_applies_its_two_values_as_overrides(
    app_server: StreamlitServer, browser: Browser, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    grid = two_way(a, default_spec(a))  # CAGR down, the base value across
    page = open_page(browser, WIDE)
    try:
        page.goto(f"{app_server.url}/risk")
        wait_for_app(page, charts=RISK_CHARTS)
        screenshot(page, "risk-grid-wide")
        assert slider_value(page, CAGR) == pytest.approx(20.12)

        click_cell(page, 0, 6)  # the lowest CAGR, the highest base value

        cagr, base = grid.rows.values[0], grid.columns.values[6]
        page.wait_for_function(_LINK_NEAR, arg=["cagr", cagr])
        page.wait_for_function(_LINK_NEAR, arg=["base", base])
        wait_for_app(page, charts=RISK_CHARTS)
        page.wait_for_function(
            "(expected) => [...document.querySelectorAll('[data-testid=\"stAlert\"]')]"
            ".some(el => el.innerText.includes(expected))",
            arg="Applied growth.cagr_pct",
        )
        assert slider_value(page, CAGR) == pytest.approx(cagr, abs=0.005)
        # the grid stays where it was and its outline moves to the clicked cell
        outline = page.evaluate(
            "() => [...document.querySelectorAll('.market-chart.js-plotly-plot')]"
            ".map(el => el._fullData || []).flat()"
            ".filter(t => t.name === 'Current assumptions').map(t => Array.from(t.x))"
        )
        assert outline and min(outline[0]) == 5.5 and max(outline[0]) == 6.5
        assert_no_exception(page)
    finally:
        page.context.close()


def test_the_grid_reads_on_a_phone(app_server: StreamlitServer, browser: Browser) -> None:
    page = open_page(browser, PHONE)
    try:
        page.goto(f"{app_server.url}/risk?v.grid-target=1700")
        wait_for_app(page, charts=RISK_CHARTS)
        heat = page.locator(".market-chart.js-plotly-plot").nth(2)
        heat.scroll_into_view_if_needed()
        box = heat.bounding_box()
        assert box is not None and box["width"] <= PHONE["width"]
        screenshot(page, "risk-grid-phone")
        assert_no_exception(page)
    finally:
        page.context.close()
