"""A saved scenario's history through the real Scenarios page (issue 27): its versions with
who saved them, the bridge between two, and restoring an old one as a new version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine

import store
from market.paths import SCENARIOS_ENV
from tests.browser.conftest import (
    StartServer,
    assert_no_exception,
    market_folders,
    screenshot,
    wait_for_app,
    widget_css,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

NAME = "Aggressive"  # shipped in assumptions/scenarios, imported as version 1


def _engine(folder: Path) -> Engine:
    """The store a server without MARKET_DATABASE_URL keeps in its scenarios folder."""
    return store.open_store(URL.create("sqlite", database=str(folder / "market.db")), folder)


def test_an_old_version_is_restored_as_the_newest_and_the_history_keeps_every_one(
    streamlit_server: StartServer, page: Page, tmp_path: Path
) -> None:
    folders = market_folders(tmp_path)
    scenarios = Path(folders[SCENARIOS_ENV])
    engine = _engine(scenarios)
    try:  # a colleague saves version 2 with a slower CAGR, as another replica would
        with store.session(engine) as opened:
            first = store.load(opened, NAME).scenario
            slower = {**first.overrides, "growth.cagr_pct": 18.0}
            second = first.model_copy(update={"overrides": slower})
            store.save(opened, second, author="Dana", note="slower adoption", expected=1)
    finally:
        engine.dispose()

    server = streamlit_server(folders)
    page.goto(f"{server.url}/scenarios")
    wait_for_app(page)
    picker = page.locator(widget_css("scenarios.history")).get_by_role("combobox")
    picker.click()
    picker.press_sequentially(NAME)
    page.get_by_role("option").filter(has_text=NAME).first.click()
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    # version 2's note, listed (the table draws on a canvas; its cells are there for readers)
    main.locator('[role="gridcell"]', has_text="slower adoption").wait_for(state="attached")
    main.locator(".market-chart").filter(has_text="Version 1").first.wait_for()  # the bridge
    screenshot(page, "scenarios-history")

    main.get_by_role("button", name="Restore version 1").click()
    page.locator('[data-testid="stToast"]').filter(
        has_text=f"Restored version 1 of “{NAME}” as version 3."
    ).wait_for()
    wait_for_app(page)
    assert_no_exception(page)

    engine = _engine(scenarios)
    try:
        with store.session(engine) as opened:
            versions = store.history(opened, NAME)
    finally:
        engine.dispose()
    assert [v.number for v in versions] == [3, 2, 1]  # nothing lost
    assert versions[0].author == "anonymous" and versions[1].author == "Dana"
    assert versions[0].scenario.overrides == first.overrides  # version 1's assumptions
