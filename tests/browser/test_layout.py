"""What a new user sees first, at desktop and phone widths: whole headline numbers, cards of
one height, the page (not the sidebar) on a phone, chart titles clear of Plotly's toolbar.

Each check measures the rendered page (element boxes, scroll widths), never a fixed pixel
value of Streamlit's own styling.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import (
    LAPTOP,
    PHONE,
    PROJECT,
    WIDE,
    StreamlitServer,
    assert_no_exception,
    market_folders,
    open_page,
    wait_for_app,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

COFFEE = "example-coffee-subscriptions.yaml"

_CARDS = """() => Array.from(document.querySelectorAll('[data-testid="marketCard"]'), m => {
  const parts = ['.market-card-label', '.market-card-value', '.market-card-origin']
    .map(selector => m.querySelector(selector));
  const cut = parts.filter(Boolean).some(el => {
    const box = el.getBoundingClientRect(), card = m.getBoundingClientRect();
    const clipped = [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1);
    return clipped || box.right > card.right + 1 || box.left < card.left - 1;
  });
  const card = m.getBoundingClientRect();
  return {
    label: parts[0] ? parts[0].innerText.trim() : '',
    value: parts[1] ? parts[1].innerText.trim() : '',
    cut,
    height: Math.round(card.height),
    right: card.right,
    viewport: window.innerWidth,
  };
})"""


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[StreamlitServer]:
    """One server whose folder holds the default market and the coffee example."""
    root = tmp_path_factory.mktemp("layout")
    env = market_folders(root)
    shutil.copy(PROJECT / "assumptions" / COFFEE, Path(env["MARKET_ASSUMPTIONS_DIR"]))
    running = StreamlitServer(env, root / "streamlit.log")
    running.start()
    yield running
    running.stop()


def _open(browser: Browser, server: StreamlitServer, viewport: dict[str, int], query: str) -> Page:
    page = open_page(browser, viewport)
    page.goto(server.url + "/" + query)
    wait_for_app(page, charts=1)
    assert_no_exception(page)
    return page


@pytest.mark.parametrize("viewport", [WIDE, LAPTOP, PHONE], ids=["1440", "1280", "phone"])
def test_headline_cards_are_whole_and_of_one_height_whatever_the_file(
    browser: Browser, server: StreamlitServer, viewport: dict[str, int]
) -> None:
    heights = set()
    for query in ("", f"?file={COFFEE}"):  # the coffee example reports neither horizon nor CAGR
        page = _open(browser, server, viewport, query)
        try:
            cards = page.evaluate(_CARDS)
        finally:
            page.context.close()
        assert len(cards) == 4, cards
        assert all(c["value"] and c["label"] for c in cards), cards
        assert not [c for c in cards if c["cut"]], cards
        assert all(c["right"] <= c["viewport"] for c in cards), cards
        heights |= {c["height"] for c in cards}
    assert len(heights) == 1, heights


_FIRST_SCREEN = """() => {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const card = document.querySelector('[data-testid="marketCard"]');
  const overlap = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const clashes = Array.from(document.querySelectorAll('.js-plotly-plot'), plot => {
    const title = plot.querySelector('.gtitle'), bar = plot.querySelector('.modebar');
    if (!title || !bar) return null;
    const clash = overlap(title.getBoundingClientRect(), bar.getBoundingClientRect());
    return clash ? title.textContent : null;
  }).filter(Boolean);
  return {
    sidebarOpen: sidebar !== null && sidebar.getAttribute('data-collapsed') !== 'true',
    cardCovered: card !== null && !card.contains(document.elementFromPoint(
      card.getBoundingClientRect().left + 8, card.getBoundingClientRect().top + 8)),
    cardTop: card ? card.getBoundingClientRect().top : null,
    cardLeft: card ? card.getBoundingClientRect().left : null,
    height: window.innerHeight,
    clashes,
  };
}"""


def test_a_phone_opens_on_the_headline_with_chart_titles_clear_of_the_toolbar(
    browser: Browser, server: StreamlitServer
) -> None:
    """An executive on a phone sees the headline numbers first, not the sidebar's controls,
    and Plotly's toolbar (shown while a chart is touched) never covers a chart's title."""
    page = _open(browser, server, PHONE, "")
    try:
        page.locator('[data-testid="marketCard"]').first.wait_for()
        page.locator(".js-plotly-plot .main-svg").first.wait_for(state="attached")
        seen = page.evaluate(_FIRST_SCREEN)  # a phone's charts draw no toolbar at all
    finally:
        page.context.close()
    assert not seen["sidebarOpen"], seen
    assert seen["cardTop"] is not None and 0 <= seen["cardTop"] < seen["height"], seen
    assert seen["cardLeft"] >= 0 and not seen["cardCovered"], seen
    assert not seen["clashes"], seen


_SPILLED_TEXT = """() => Array.from(document.querySelectorAll('.js-plotly-plot'), plot => {
  const box = plot.getBoundingClientRect();
  return Array.from(plot.querySelectorAll('svg text'), t => {
    const r = t.getBoundingClientRect();
    const out = r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
    return out ? t.textContent : null;
  }).filter(Boolean);
}).flat()"""


CHARTS_ON = {"": 1, "estimates": 1, "segments": 4, "regions": 3, "risk": 2, "scenarios": 3}


@pytest.mark.parametrize(
    "viewport",
    [WIDE, PHONE],
    ids=["1440", "phone"],
)
def test_every_chart_keeps_its_text_inside_the_chart(
    browser: Browser, server: StreamlitServer, viewport: dict[str, int]
) -> None:
    """Titles, axis titles and the amounts written beside bars (the bridge, the tornado)
    show whole on a phone as on a desktop: none runs past its chart's edge."""
    page = open_page(browser, viewport)
    spilled = {}
    try:
        for path, charts in CHARTS_ON.items():
            page.goto(f"{server.url}/{path}")
            wait_for_app(page, charts=charts)
            assert_no_exception(page)
            spilled[path or "overview"] = page.evaluate(_SPILLED_TEXT)
    finally:
        page.context.close()
    assert not any(spilled.values()), spilled
