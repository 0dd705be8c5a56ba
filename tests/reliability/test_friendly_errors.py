"""Viewers never see error details: a failure shows Streamlit's generic message, and the
real pages do not fail on the files an analyst may reasonably write.

The forced failure needs no hook in the app: the app's sources are copied to a temporary
folder with one extra page that raises an exception naming a made-up server path, and the
copy is served by ``streamlit run`` with the project's own ``.streamlit/config.toml``
(``client.showErrorDetails = "none"``). Debian's Chromium opens that page.
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dashboard.layout import PAGES
from tests.conftest import APP_PARTS
from tests.reliability.conftest import DEFAULT_NAME, FILE, PROJECT, UPLOAD, start_app

SECRET_PATH = "/srv/market-secrets/db-credentials.yaml"
BOOM_PAGE = f'''"""Fails on purpose: added to a copy of the app by {Path(__file__).name}."""

raise RuntimeError("cannot read {SECRET_PATH}: permission denied")
'''
GENERIC_MESSAGE = "This app has encountered an error"
STARTUP_SECONDS = 90.0
TIMEOUT_MS = 60_000


# --- a served copy of the app --------------------------------------------------------------


def copy_app(target: Path) -> Path:
    """The app's sources and the shared Streamlit config (never secrets) under ``target``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    target.mkdir(parents=True)
    for part in APP_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        else:
            shutil.copy(source, target / part)
    (target / ".streamlit").mkdir()
    shutil.copy(PROJECT / ".streamlit" / "config.toml", target / ".streamlit" / "config.toml")
    (target / "pages" / "zz_boom.py").write_text(BOOM_PAGE, encoding="utf-8")
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def served_copy(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[tuple[str, Path, Path]]:
    """``(url, app folder, server log)`` of a copy of the app with a failing page.

    Asks for ``chromium_path`` first, so no server starts where the browser is missing.
    """
    root = tmp_path_factory.mktemp("served-copy")
    app, log_path = copy_app(root / "app"), root / "streamlit.log"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STREAMLIT_", "MARKET_", "PYTHONPATH"))}  # fmt: skip
    env["HOME"] = str(root)  # no ~/.streamlit config of the machine's user
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the copy did not start:\n{log_path.read_text()[-3000:]}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.25)  # paces the polling; returns at once if it dies
        yield url, app, log_path
    finally:
        stop(process)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_a_failing_page_shows_a_generic_message_and_no_details(
    served_copy: tuple[str, Path, Path], page: Any
) -> None:
    url, app, log_path = served_copy
    page.goto(f"{url}/zz_boom")
    shown = page.locator('[data-testid="stException"]')
    shown.wait_for(state="visible")
    assert GENERIC_MESSAGE in shown.inner_text()
    visible, markup = page.locator("body").inner_text(), page.content()
    for secret in (SECRET_PATH, "permission denied", "RuntimeError", "Traceback",
                   "zz_boom.py", str(app), str(PROJECT)):  # fmt: skip
        assert secret not in visible, f"the page shows {secret!r}"
        assert secret not in markup, f"the page's markup holds {secret!r}"
    # the details went to the server's log instead, so the page really failed as planned
    assert SECRET_PATH in log_path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.browser
def test_the_served_overview_shows_no_exception(
    served_copy: tuple[str, Path, Path], page: Any
) -> None:
    url, _, _ = served_copy
    page.goto(url)
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.dataset.testScriptState === 'notRunning'"
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    assert GENERIC_MESSAGE not in page.locator("body").inner_text()


# --- the real pages on files an analyst may write ------------------------------------------


def _edge(edit: Any) -> bytes:
    data = yaml.safe_load((PROJECT / "assumptions" / DEFAULT_NAME).read_text("utf-8"))
    edit(data)
    return yaml.safe_dump(copy.deepcopy(data), sort_keys=False).encode()


def _single_segment(d: dict[str, Any]) -> None:
    d["dimensions"] = [
        {"name": "Whole market", "geographic": True, "segments": [
            {"name": "World", "share": 1, "provenance": "assumed", "rationale": "all of it"},
        ]},
    ]  # fmt: skip


def _flat(d: dict[str, Any]) -> None:
    d["growth"]["cagr_pct"]["value"] = 0
    d["uncertainty"]["cagr_sd_pct"]["value"] = 0
    for segment in (s for dim in d["dimensions"] for s in dim["segments"]):
        segment["differential_pp"] = 0


def _one_region_zero(d: dict[str, Any]) -> None:
    regions = next(dim for dim in d["dimensions"] if dim["id"] == "region")
    regions["segments"][-1]["share"] = 0


EDGE_FILES = {
    "the default file": None,
    "a single segment": _edge(_single_segment),
    "no growth at all": _edge(_flat),
    "a region at zero share": _edge(_one_region_zero),
}


@pytest.mark.parametrize("file", list(EDGE_FILES))
def test_no_page_fails_on_an_odd_but_valid_file(folders: Path, file: str) -> None:
    content = EDGE_FILES[file]
    at = start_app()
    if content is not None:
        at.file_uploader(key=UPLOAD).upload("edge.yaml", content).run()
        assert at.selectbox(key=FILE).value == "upload: edge.yaml"
    for page in PAGES:
        if page.script != "app.py":
            at.switch_page(page.script).run()
        assert not at.exception, f"{page.title}: {at.exception}"
        assert at.title and at.title[0].value, page.title
