"""Analyst tools in a real browser (issue 4): share links, downloads, scenarios across a restart.

A share link is checked the way a colleague would use it: the URL copied from one browser
is opened in a fresh context (a new Streamlit session with nothing in memory) and must show
the same numbers. Expected numbers come from the model (``market.forecast`` with
``apply_overrides``) and ``report.format``, never from what the page showed before.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from dashboard.components import DOWNLOADS
from dashboard.links import MAX_LINK_PARAMETERS, key_for_path
from market import Assumptions, apply_overrides, forecast, parameter_index
from market.paths import SCENARIOS_ENV
from market.scenarios import ScenarioStore, file_name
from report.format import money
from tests.browser.conftest import (
    StartServer,
    StreamlitServer,
    assert_no_exception,
    css_key,
    market_folders,
    open_page,
    screenshot,
    slider,
    slider_value,
    wait_for_app,
    wait_for_metric,
    widget_css,
)
from tests.store.conftest import saved_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Download, Locator, Page

pytestmark = pytest.mark.browser

CAGR = "growth.cagr_pct"
EUROPE = "share.region.europe"
SHARES_PANEL = "Segment shares"
REGION = "Region"  # the default file's geographic dimension

_LINK_HAS = """(expected) => {
  const params = new URLSearchParams(location.search);
  return Object.entries(expected).every(
    ([key, value]) => params.has(key) && Number(params.get(key)) === value);
}"""

_SETTLED = r"""([selector, key]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const el = document.querySelector(selector);
  const linked = new URLSearchParams(location.search).get(key);
  return app !== null && app.dataset.testScriptState === 'notRunning' && el !== null
    && linked !== null
    && Number(linked) === parseFloat(el.getAttribute('aria-valuetext').replace(/^[^-\d]+/, ''));
}"""

_SLIDER_SHOWS = r"""([selector, value]) => {
  const el = document.querySelector(selector);
  // share sliders say "weight 27"
  return el !== null
    && parseFloat(el.getAttribute('aria-valuetext').replace(/^[^-\d]+/, '')) === value;
}"""

_LINK_LACKS = """(keys) => {
  const params = new URLSearchParams(location.search);
  return keys.every(key => !params.has(key));
}"""


# --- helpers -------------------------------------------------------------------------------


def parameter_value(a: Assumptions, path: str) -> float:
    return parameter_index(a)[path].value


def slider_selector(path: str) -> str:
    """CSS for the conftest's ``slider(page, path)``, for use inside the page's own checks."""
    return widget_css(path, 'input[type="range"]')


def wait_for_slider(page: Page, path: str, value: float) -> None:
    """Wait until the slider for ``path`` shows ``value`` (it may be drawn anew meanwhile)."""
    page.wait_for_function(_SLIDER_SHOWS, arg=[slider_selector(path), value])


def horizon_label(a: Assumptions) -> str:
    return f"Market size {a.years.horizon}"


def horizon_value(a: Assumptions, overrides: dict[str, float]) -> float:
    f = forecast(apply_overrides(a, overrides))
    return float(f.totals.at[a.years.horizon, "value"])


def horizon_text(a: Assumptions, overrides: dict[str, float]) -> str:
    """The horizon KPI as the page should show it with these overrides."""
    return money(horizon_value(a, overrides), a.market.unit)


_STEPS = {"ArrowRight": 1, "ArrowLeft": -1}


def press(page: Page, path: str, key: str, times: int) -> float:
    """Move a slider ``times`` steps with the arrow ``key``; return where it settled.

    Settled means the slider shows every press (its start plus ``times`` of its own steps,
    within its range) and the server has taken the last one: no run is going and the URL
    carries the value the slider shows (the URL is written by the run that took the value).
    Waiting for the last press, not any quiet moment, matters on a loaded machine: between
    two presses the page can be quiet with the URL and the slider at a value on the way.
    """
    handle = slider(page, path)
    low, high, step = (
        float(handle.get_attribute(name) or "nan") for name in ("min", "max", "step")
    )
    target = round(min(max(slider_value(page, path) + _STEPS[key] * times * step, low), high), 9)
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)
    wait_for_slider(page, path, target)
    page.wait_for_function(_SETTLED, arg=[slider_selector(path), key_for_path(path)])
    shown = slider_value(page, path)
    assert shown == pytest.approx(target), f"the slider settled at {shown}, not at {target}"
    return shown


def open_panel(page: Page, title: str) -> None:
    """Open a lazily rendered sidebar expander; its sliders exist only once it is open."""
    page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').filter(
        has_text=title
    ).click()


def open_shares(page: Page, dimension: str) -> None:
    """Open the sidebar's "Segment shares" panel and pick ``dimension`` (its name) there."""
    open_panel(page, SHARES_PANEL)
    picker = page.locator(widget_css("share-dimension")).get_by_role("combobox")
    picker.click()
    page.get_by_role("option", name=dimension, exact=True).click()


def wait_for_link(page: Page, expected: dict[str, float]) -> None:
    """Wait until the URL's query carries each key with this numeric value."""
    page.wait_for_function(_LINK_HAS, arg=expected)


def query(page: Page) -> dict[str, str]:
    return dict(page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))"))


def go_to(page: Page, title: str, *, charts: int) -> None:
    """Switch page through the sidebar's navigation link (the session is kept)."""
    page.locator('[data-testid="stSidebar"] a').filter(has_text=title).click()
    page.wait_for_function("(title) => document.title.startsWith(title)", arg=title)
    wait_for_app(page, charts=charts)


def load_button(page: Page, scenario: str) -> Locator:
    """The Load button of a saved scenario (keyed by its file name on the Scenarios page).

    Streamlit draws a button with a tooltip twice, one copy hidden: only the shown one counts.
    """
    container = page.locator(f".st-key-{css_key('load-' + file_name(scenario))}")
    return container.locator("button").filter(visible=True)


def download(page: Page, label: str, folder: Path) -> Path:
    """Open the download menu, click a download button and save what the browser received
    under ``folder``."""
    button = page.get_by_role("button", name=label)
    if not button.is_visible():
        page.get_by_test_id("stPopover").get_by_role("button", name=DOWNLOADS).click()
        button.wait_for(state="visible")
    with page.expect_download() as info:
        button.click()
    received: Download = info.value
    assert received.failure() is None, f"{label}: {received.failure()}"
    target = folder / received.suggested_filename
    received.save_as(target)
    return target


# --- share links ---------------------------------------------------------------------------


def test_share_link_shows_the_same_numbers_in_a_fresh_browser(
    app_server: StreamlitServer, browser: Browser, page: Page, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    page.goto(app_server.url)
    wait_for_app(page)

    cagr = press(page, CAGR, "ArrowRight", 3)
    assert cagr > a.growth.cagr_pct.value
    open_shares(page, REGION)
    europe = press(page, EUROPE, "ArrowRight", 2)
    assert europe == parameter_value(a, EUROPE) + 2  # share sliders step by one point
    wait_for_link(page, {"cagr": cagr, "s.region.europe": europe})
    expected = horizon_text(a, {CAGR: cagr, EUROPE: europe})
    wait_for_metric(page, horizon_label(a), expected)
    shared = page.url

    fresh = open_page(browser)
    try:
        fresh.goto(shared)
        wait_for_app(fresh)
        wait_for_metric(fresh, horizon_label(a), expected)
        assert slider_value(fresh, CAGR) == cagr
        open_shares(fresh, REGION)
        slider(fresh, EUROPE).wait_for()
        assert slider_value(fresh, EUROPE) == europe
        assert query(fresh) == query(page)  # the link reads back to itself
        assert_no_exception(fresh)
    finally:
        fresh.context.close()


def test_deep_link_to_another_page_applies_its_settings(
    app_server: StreamlitServer, page: Page, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    page.goto(f"{app_server.url}/segments?cagr=30")
    wait_for_app(page, charts=4)

    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "Segments"
    assert slider_value(page, CAGR) == 30
    wait_for_link(page, {"cagr": 30})
    # The setting stays with the session, and in its URL, on the next page.
    go_to(page, "Overview", charts=1)
    wait_for_metric(page, horizon_label(a), horizon_text(a, {CAGR: 30}))
    wait_for_link(page, {"cagr": 30})
    assert_no_exception(page)


def test_mangled_link_warns_about_its_bad_parts_and_applies_the_rest(
    app_server: StreamlitServer, page: Page, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    page.goto(f"{app_server.url}/?cagr=abc&bogus=1&s.region.europe=40")
    wait_for_app(page)

    warning = page.locator('[data-testid="stAlert"]').filter(has_text="ignored")
    text = warning.inner_text()
    assert "bogus" in text
    assert "cagr" in text
    assert "abc" in text
    assert "europe" not in text
    assert slider_value(page, CAGR) == pytest.approx(a.growth.cagr_pct.value)
    wait_for_metric(page, horizon_label(a), horizon_text(a, {EUROPE: 40}))
    open_shares(page, REGION)
    slider(page, EUROPE).wait_for()
    assert slider_value(page, EUROPE) == 40
    page.wait_for_function(_LINK_LACKS, arg=["cagr", "bogus"])
    assert query(page) == {"s.region.europe": "40"}
    assert_no_exception(page)


def test_link_too_long_for_streamlit_says_so_and_applies_nothing(
    app_server: StreamlitServer, page: Page, default_assumptions: Assumptions
) -> None:
    # Streamlit drops a query string of over 1,000 parameters whole before the script runs.
    a = default_assumptions
    filler = "&".join(f"x{i}=1" for i in range(MAX_LINK_PARAMETERS))
    page.goto(f"{app_server.url}/?cagr=30&{filler}")
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="ignored")
    warning.wait_for()
    text = warning.inner_text()
    assert f"{MAX_LINK_PARAMETERS + 1:,} parameters" in text
    assert "nothing in it was applied" in text
    wait_for_app(page)
    screenshot(page, "link-too-long")
    assert slider_value(page, CAGR) == pytest.approx(a.growth.cagr_pct.value)
    page.wait_for_function("() => location.search === ''")  # the address is the session's again
    go_to(page, "Segments", charts=4)
    assert page.locator('[data-testid="stAlert"]').filter(has_text="ignored").count() == 0
    assert_no_exception(page)


# --- downloads -----------------------------------------------------------------------------


def test_downloads_hold_the_current_assumptions(
    app_server: StreamlitServer, page: Page, default_assumptions: Assumptions, tmp_path: Path
) -> None:
    a = default_assumptions
    page.goto(app_server.url)
    wait_for_app(page)
    cagr = press(page, CAGR, "ArrowLeft", 4)
    assert cagr < a.growth.cagr_pct.value
    expected = horizon_value(a, {CAGR: cagr})
    wait_for_metric(page, horizon_label(a), money(expected, a.market.unit))
    wait_for_app(page)  # the buttons below the KPI are drawn by the same run

    workbook = load_workbook(download(page, "Workbook (XLSX)", tmp_path), read_only=True)
    # the default file cites three published estimates: they get a sheet of their own
    dimensions = [d.name for d in a.dimensions]
    assert workbook.sheetnames == ["Summary", *dimensions, "Risk", "Estimates", "Assumptions"]
    totals = {
        row[0]: row[1]
        for row in workbook["Summary"].iter_rows(values_only=True)
        if isinstance(row[0], int)
    }
    assert totals[a.years.horizon] == pytest.approx(expected, rel=1e-12)
    workbook.close()

    rows = list(csv.reader(io.StringIO(download(page, "Forecast (CSV)", tmp_path).read_text())))
    assert rows[0] == ["year", "total", "growth_pct"]  # each year's growth (issue 24)
    by_year = {int(year): float(total) for year, total, _ in rows[1:]}
    assert by_year[a.years.horizon] == pytest.approx(expected, rel=1e-12)

    html = download(page, "Executive brief (HTML)", tmp_path).read_text(encoding="utf-8")
    assert a.market.name in html
    assert "<script src=" not in html.lower()


# --- scenarios -----------------------------------------------------------------------------


def save_scenario(page: Page, name: str, rationale: str) -> None:
    """Fill in the Scenarios page's form, save, and wait for the run that saved to finish."""
    page.get_by_label("Scenario name", exact=True).fill(name)
    page.get_by_label("Rationale", exact=True).fill(rationale)
    page.get_by_role("button", name="Save scenario").click()
    page.locator('[data-testid="stToast"]').filter(has_text=f"Saved “{name}”").wait_for()
    wait_for_app(page)
    assert_no_exception(page)


def test_saved_scenario_is_listed_at_once(
    streamlit_server: StartServer, page: Page, tmp_path: Path
) -> None:
    server = streamlit_server(market_folders(tmp_path))
    page.goto(f"{server.url}/scenarios")
    wait_for_app(page)

    save_scenario(page, "Listed at once", "The report's own figures, kept under a new name.")

    # The run that said "Saved" has finished: its list must already hold the new scenario.
    screenshot(page, "scenarios-saved")
    assert load_button(page, "Listed at once").count() == 1, "saved but not listed"


def test_saved_scenario_survives_a_restart_and_loads_into_the_sidebar(
    streamlit_server: StartServer,
    browser: Browser,
    page: Page,
    default_assumptions: Assumptions,
    tmp_path: Path,
) -> None:
    a = default_assumptions
    folders = market_folders(tmp_path)
    server = streamlit_server(folders)
    name = "Browser check"
    page.goto(f"{server.url}/scenarios")
    wait_for_app(page)
    cagr = press(page, CAGR, "ArrowRight", 5)
    assert cagr > a.growth.cagr_pct.value

    save_scenario(page, name, "Faster cloud adoption than the report assumes.")
    saved = saved_in(Path(folders[SCENARIOS_ENV]), name)
    assert saved is not None and saved.overrides == {CAGR: cagr}

    server.restart()
    fresh = open_page(browser)
    try:
        fresh.goto(f"{server.url}/scenarios")
        wait_for_app(fresh)
        assert slider_value(fresh, CAGR) == pytest.approx(a.growth.cagr_pct.value)
        load_button(fresh, name).click()
        wait_for_slider(fresh, CAGR, cagr)
        wait_for_link(fresh, {"cagr": cagr})
        go_to(fresh, "Overview", charts=1)
        wait_for_metric(fresh, horizon_label(a), horizon_text(a, {CAGR: cagr}))
        assert slider_value(fresh, CAGR) == cagr
        assert_no_exception(fresh)
    finally:
        fresh.context.close()


def test_the_deck_download_carries_the_loaded_scenario_and_the_comparison(
    streamlit_server: StartServer, page: Page, tmp_path: Path
) -> None:
    folders = market_folders(tmp_path)
    server = streamlit_server(folders)
    conservative = ScenarioStore(Path(folders[SCENARIOS_ENV])).load("Conservative")  # the file
    page.goto(f"{server.url}/scenarios")
    wait_for_app(page)
    load_button(page, "Conservative").click()
    wait_for_slider(page, CAGR, conservative.overrides[CAGR])
    go_to(page, "Overview", charts=1)

    deck = Presentation(str(download(page, "Deck (PPTX)", tmp_path)))
    first = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Scenario: Conservative" in first
    kickers = [[x.text_frame.text for x in s.shapes if x.name == "Kicker"] for s in deck.slides]
    compared = deck.slides[kickers.index(["SCENARIOS COMPARED"])]
    (chart,) = [shape.chart for shape in compared.shapes if shape.has_chart]
    # what the Scenarios page showed: the base case, the loaded view, then a saved scenario
    # that changes something (not the loaded one, nor the saved copy of the base case)
    names = [series.name for series in chart.plots[0].series]
    assert names == ["Base case", "Your current assumptions", "Aggressive"]
    (table,) = [shape.table for shape in compared.shapes if shape.has_table]
    assert table.cell(1, 1).text == "USD 1,651.2M"  # the base case's numbers, on the slide
    assert_no_exception(page)
