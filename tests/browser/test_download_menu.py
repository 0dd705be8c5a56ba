"""Leaving a page with its Download menu open: the next page draws, the view is kept.

Issue 23: the menu reran its page's fragment when it closed, and a click on another page's
link closes it, so that rerun reached the server after the navigation, for the page being
left. Streamlit then ran the callbacks with keys the new page had dropped (``KeyError:
st.session_state has no key "widget.upload"``, the whole app replaced by the error, 5
times out of 5), and once callbacks tolerated that, drew a blank page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.components import DOWNLOADS
from dashboard.layout import PAGES
from report.formats import FORMATS
from tests.browser.conftest import StreamlitServer, assert_no_exception, screenshot, wait_for_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

WITH_MENU = ["Overview", "Segments", "Regions", "Opportunity"]  # the pages with a Download menu
TITLES = [p.title for p in PAGES]
LEFT_FOR = {  # where each page is left for: every page is reached from one with the menu
    "Overview": ["Estimates", "Risk"],
    "Segments": ["Scenarios", "Overview"],
    "Regions": ["Sources & method", "Opportunity"],
    "Opportunity": ["Segments", "Regions"],
}
CAGR = "25"  # a change to the file's 20.12, carried by the link: it must survive each move

_DRAWN_OR_BROKEN = """(title) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"]')) return true;
  return document.title.startsWith(title)
    && !!document.querySelector('[data-testid="stMain"] h1')
    && document.querySelectorAll('[data-testid="stSidebar"] a').length > 0;
}"""


def go_to(page: Page, title: str) -> None:
    """Click the sidebar's link to ``title``; wait until that page is drawn or broken."""
    page.locator('[data-testid="stSidebar"] a').filter(has_text=title).first.click()
    page.wait_for_function(_DRAWN_OR_BROKEN, arg=title)


@pytest.mark.parametrize("start", WITH_MENU)
def test_leaving_a_page_with_the_menu_open_draws_the_next_one_and_keeps_the_view(
    app_server: StreamlitServer, page: Page, start: str
) -> None:
    page.goto(f"{app_server.url}/?cagr={CAGR}")
    wait_for_app(page)
    for title in LEFT_FOR[start]:
        go_to(page, start)
        assert_no_exception(page)
        page.get_by_test_id("stPopover").get_by_role("button", name=DOWNLOADS).click()
        page.get_by_role("button", name=FORMATS[0].label).wait_for(state="visible")

        go_to(page, title)
        if page.locator('[data-testid="stException"]').count():
            screenshot(page, f"download-menu-{start}-to-{title}".lower().replace(" ", "-"))
        assert_no_exception(page)
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
        assert heading, f"{start} -> {title}: no heading"
        assert parse_qs(urlsplit(page.url).query).get("cagr") == [CAGR], (start, title, page.url)


def test_every_page_is_reached_with_a_menu_left_open() -> None:
    assert sorted(LEFT_FOR) == sorted(WITH_MENU)
    assert sorted(t for titles in LEFT_FOR.values() for t in titles) == sorted(TITLES)
    assert all(start not in titles for start, titles in LEFT_FOR.items())
