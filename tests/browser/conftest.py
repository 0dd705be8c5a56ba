"""Browser test fixtures: a real ``streamlit run`` server and Debian's Chromium through Playwright.

Every wait here is on a condition the app itself signals (the health endpoint, the script
state Streamlit writes on ``stApp``, a chart's data), with generous deadlines, because the
tests run on small, busy CI machines. Nothing sleeps for a fixed time.

Servers get private copies of the assumptions and scenarios folders, so a test never writes
into the checkout and never depends on what else sits in ``assumptions/``.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dashboard.state import RENEWAL_MARK, widget_key
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from store.database import not_the_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

PROJECT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT / "test-output" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}
# The screen sizes the layout and link tests look at: a wide desktop, a laptop, a phone.
WIDE = {"width": 1440, "height": 900}
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
STARTUP_SECONDS = 90.0  # a cold start on a loaded 2-core machine takes several seconds
TIMEOUT_MS = 60_000  # the longest any page condition is waited for

StartServer = Callable[..., "StreamlitServer"]


# --- the browser ---------------------------------------------------------------------------


def open_page(browser: Browser, viewport: Mapping[str, int] = VIEWPORT) -> Page:
    """A page in a fresh context (a new Streamlit session); close it with ``page.context``."""
    context = browser.new_context(viewport=dict(viewport))
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = open_page(browser)
    yield opened
    opened.context.close()


# --- the server ----------------------------------------------------------------------------


def market_folders(root: Path) -> dict[str, str]:
    """Private copies of the project's assumptions and shipped scenarios under ``root``.

    Returns the environment that points a server (or ``market.paths``) at them.
    """
    assumptions = root / "assumptions"
    scenarios = root / "scenarios"
    assumptions.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "assumptions" / "healthcare-microservices.yaml", assumptions)
    shutil.copytree(
        PROJECT / "assumptions" / "scenarios", scenarios, ignore=not_the_store, dirs_exist_ok=True
    )
    return {ASSUMPTIONS_ENV: str(assumptions), SCENARIOS_ENV: str(scenarios)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` in its own process group, on 127.0.0.1.

    ``restart()`` stops it and starts it again on the same port and folders, as a redeploy
    would: what it saved on disk must survive, what it held in memory must not.
    """

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.env = dict(env)
        self.log_path = log_path
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The app's address, under ``STREAMLIT_SERVER_BASE_URL_PATH`` when ``env`` sets one."""
        base = self.env.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")
        return f"http://127.0.0.1:{self.port}" + (f"/{base}" if base else "")

    def start(self) -> None:
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            log.write(f"--- {' '.join(command)}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                command,
                cwd=PROJECT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
        try:
            self._wait_healthy(time.monotonic() + STARTUP_SECONDS)
        except BaseException:  # pytest.fail raises a BaseException
            self.stop()
            raise

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
                return

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _wait_healthy(self, deadline: float) -> None:
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                pytest.fail(f"streamlit exited with {self._process.returncode}:\n{self.log_tail()}")
            if self._healthy():
                return
            # Paces the polling and returns at once if the server dies meanwhile.
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=0.25)
        pytest.fail(f"streamlit not healthy after {STARTUP_SECONDS:.0f} s:\n{self.log_tail()}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as response:
                return response.read().strip() == b"ok"
        except OSError:
            return False


@contextlib.contextmanager
def _servers(folder: Path) -> Iterator[StartServer]:
    started: list[StreamlitServer] = []

    def start(env: Mapping[str, str] | None = None) -> StreamlitServer:
        server = StreamlitServer(env or {}, folder / f"streamlit-{len(started)}.log")
        started.append(server)
        server.start()
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def streamlit_server(tmp_path: Path, chromium_path: str) -> Iterator[StartServer]:
    """``streamlit_server(env=None) -> StreamlitServer``: a fresh server for this test.

    ``env`` overrides environment variables, typically ``market_folders(tmp_path)``.
    Every server started is stopped at teardown, whatever the test did. Without a browser
    (``chromium_path`` skips) no server is started.
    """
    with _servers(tmp_path) as start:
        yield start


@pytest.fixture(scope="session")
def app_server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[StreamlitServer]:
    """One server shared by tests that only need some session on a running app."""
    root = tmp_path_factory.mktemp("app-server")
    with _servers(root) as start:
        yield start(market_folders(root))


# --- reading the page ----------------------------------------------------------------------

_APP_READY = """(charts) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testConnectionState !== 'CONNECTED') return false;
  if (app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  const drawn = [...document.querySelectorAll('.market-chart.js-plotly-plot')]
    .filter(el => el._fullData && el.querySelector('.main-svg'));
  return drawn.length >= charts;
}"""

_CHART_Y = """(index) => {
  const el = document.querySelectorAll('.market-chart.js-plotly-plot')[index];
  if (!el || !el._fullData) return null;
  return el._fullData.map(t => (t.y ? Array.from(t.y, v => (v == null ? null : Number(v))) : []));
}"""

# An st.metric, or one of the Overview's headline cards (dashboard/headline_element.js).
_METRIC = """(label) => {
  const found = [
    ['[data-testid="stMetric"]', '[data-testid="stMetricLabel"]', '[data-testid="stMetricValue"]'],
    ['[data-testid="marketCard"]', '.market-card-label', '.market-card-value'],
  ];
  for (const [card, labelPart, valuePart] of found) {
    for (const m of document.querySelectorAll(card)) {
      const l = m.querySelector(labelPart);
      const v = m.querySelector(valuePart);
      if (l && v && l.innerText.trim() === label) return v.innerText.trim();
    }
  }
  return null;
}"""


def wait_for_app(page: Page, *, charts: int = 1, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the page has rendered: connected, its script run finished, a title
    drawn, and at least ``charts`` Plotly charts drawn (0 for pages without charts)."""
    page.wait_for_function(_APP_READY, arg=charts, timeout=timeout_ms)


def chart_data(page: Page, index: int = 0) -> list[list[float | None]]:
    """The y values of each trace of the page's ``index``-th Plotly chart, as drawn."""
    data = page.evaluate(_CHART_Y, index)
    assert data is not None, f"no Plotly chart #{index} drawn on {page.url}"
    return data


def wait_for_chart_change(
    page: Page, index: int, before: list[list[float | None]], *, timeout_ms: int = TIMEOUT_MS
) -> list[list[float | None]]:
    """Wait until chart ``index`` is redrawn with data other than ``before``; return it."""
    page.wait_for_function(
        f"([index, before]) => {{ const now = ({_CHART_Y})(index);"
        " return now !== null && JSON.stringify(now) !== JSON.stringify(before); }",
        arg=[index, before],
        timeout=timeout_ms,
    )
    return chart_data(page, index)


def metric_value(page: Page, label: str) -> str:
    """The shown value of the ``st.metric`` or headline card labelled exactly ``label``."""
    value = page.evaluate(_METRIC, label)
    assert value is not None, f"no metric labelled {label!r} on {page.url}"
    return value


def wait_for_metric(page: Page, label: str, expected: str, *, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the metric ``label`` shows ``expected``; the failure names what it showed."""
    try:
        page.wait_for_function(
            f"([label, expected]) => ({_METRIC})(label) === expected",
            arg=[label, expected],
            timeout=timeout_ms,
        )
    except Exception as err:
        shown = page.evaluate(_METRIC, label)
        raise AssertionError(f"{label!r} shows {shown!r}, expected {expected!r}") from err


def css_key(key: str) -> str:
    """Streamlit's ``st-key-`` class for a widget key: the key, its characters outside
    ``[A-Za-z0-9_-]`` replaced by ``-``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def widget_css(name: str, inside: str = "") -> str:
    """CSS for the widget that edits ``name`` (or the element ``inside`` it), under any of
    its keys: the app gives a widget a new key each time it replaces its value
    (:func:`dashboard.state.widget_key`)."""
    key = css_key(widget_key(name))
    return ", ".join(
        f"{widget} {inside}".strip()
        for widget in (f'[class~="st-key-{key}"]', f'[class*="st-key-{key}{RENEWAL_MARK}"]')
    )


def slider(page: Page, path: str) -> Locator:
    """The keyboard-focusable input of the sidebar slider that edits parameter ``path``
    (an ``<input type="range">``)."""
    return page.locator(widget_css(path, 'input[type="range"]'))


def slider_value(page: Page, path: str) -> float:
    """The value the slider shows (its ``aria-valuetext``, e.g. ``"20.12"``; share sliders
    say ``"weight 27"``)."""
    shown = slider(page, path).get_attribute("aria-valuetext") or ""
    number = re.search(r"-?\d[\d.]*", shown)
    return float(number.group()) if number else math.nan


def assert_no_exception(page: Page) -> None:
    shown = page.locator('[data-testid="stException"]')
    assert shown.count() == 0, f"{page.url} shows an exception: {shown.first.inner_text()}"


_CONTENT_HEIGHT = """() => Math.max(
  document.documentElement.scrollHeight,
  ...Array.from(
    document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]'),
    el => el.scrollHeight,
  ),
)"""


def screenshot(page: Page, name: str) -> Path:
    """A PNG of the whole page under ``test-output/screenshots/``.

    Streamlit scrolls inside its main area and sidebar, so a plain full-page screenshot
    stops at the window; the window is stretched to the content's height for the shot.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    original: dict[str, Any] = page.viewport_size or VIEWPORT
    height = max(page.evaluate(_CONTENT_HEIGHT), original["height"])
    page.set_viewport_size({"width": original["width"], "height": height})
    try:
        page.wait_for_function("(h) => window.innerHeight === h", arg=height)
        # charts that were out of sight draw their latest data now that they are in it
        page.wait_for_function("() => !document.querySelector('.market-chart[data-waiting]')")
        page.screenshot(path=path, full_page=True)
    finally:
        page.set_viewport_size(original)
    return path
