"""The API gives the numbers the page shows: a share link copied from the page, with the
API's path put in front of its query, answers the Overview's horizon figure to the digit,
and the Download menu's file is the API's export, byte for byte."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from api import ENABLE_ENV
from market import Assumptions
from report.format import money
from tests.browser.conftest import (
    StartServer,
    assert_no_exception,
    market_folders,
    metric_value,
    screenshot,
    wait_for_app,
)
from tests.browser.test_analyst_tools import (
    CAGR,
    EUROPE,
    REGION,
    download,
    horizon_label,
    open_shares,
    press,
    wait_for_link,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def fetched(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def test_a_copied_share_link_fetched_from_the_api_gives_the_pages_numbers(
    streamlit_server: StartServer,
    page: Page,
    tmp_path: Path,
    default_assumptions: Assumptions,
) -> None:
    server = streamlit_server({**market_folders(tmp_path), ENABLE_ENV: "1"})
    a = default_assumptions
    page.goto(server.url)
    wait_for_app(page)
    cagr = press(page, CAGR, "ArrowRight", 3)
    open_shares(page, REGION)
    europe = press(page, EUROPE, "ArrowLeft", 2)
    wait_for_link(page, {"cagr": cagr, "s.region.europe": europe})
    shown = metric_value(page, horizon_label(a))

    link = urlsplit(page.url)  # the share link, as the address bar holds it
    assert link.query, "the page wrote its state into the address"
    rows = json.loads(fetched(f"{server.url}/api/v1/forecast.json?{link.query}"))
    (horizon,) = [row for row in rows if row["year"] == a.years.horizon]
    assert money(horizon["total"], a.market.unit) == shown

    saved = download(page, "Workbook (XLSX)", tmp_path)
    assert fetched(f"{server.url}/api/v1/export/xlsx?{link.query}") == saved.read_bytes()
    assert_no_exception(page)
    screenshot(page, "api-share-link")
