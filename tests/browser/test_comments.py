"""A comment left through the real page: listed under the chart as typed, and a marker on it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import (
    StartServer,
    assert_no_exception,
    market_folders,
    screenshot,
    wait_for_app,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

TYPED = "Check 2031 against the source: **not bold** <b>not a tag</b> :red[not red]"

_MARKER = """() => {
  const el = document.querySelector('.market-chart.js-plotly-plot');
  const marks = el && el._fullData && el._fullData.find(t => t.name === 'Comment');
  return marks ? Array.from(marks.x, Number) : null;
}"""


def test_a_comment_is_listed_under_the_chart_and_marked_on_it(
    streamlit_server: StartServer, page: Page, tmp_path: Path
) -> None:
    server = streamlit_server(market_folders(tmp_path))
    page.goto(server.url)
    wait_for_app(page)
    assert page.evaluate(_MARKER) is None
    main = page.locator('[data-testid="stMain"]')
    main.locator('[data-testid="stExpander"] summary').filter(has_text="Comments").click()
    main.get_by_label("Comment (plain text)", exact=True).fill(TYPED)
    main.get_by_role("button", name="Leave comment").click()

    listed = main.locator('[data-testid="stText"]').filter(has_text=TYPED)
    listed.wait_for()
    page.wait_for_function(f"() => ({_MARKER})() !== null")
    wait_for_app(page)
    assert page.evaluate(_MARKER) == [2031]  # the newest year, on the model's line
    assert listed.inner_text() == TYPED  # as typed: no Markdown, no HTML
    assert main.locator("b", has_text="not a tag").count() == 0
    assert main.get_by_text("1 open, 0 resolved.", exact=True).count() == 1
    screenshot(page, "overview-comment")
    assert_no_exception(page)
