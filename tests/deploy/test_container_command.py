"""The image's start command, run outside a container against a copy of what the image holds.

No Docker engine runs here. Instead the Dockerfile's COPY instructions are replayed into a
temporary folder standing for the container's filesystem, and its CMD runs there with its
ENV, so a wrong entry point, a missing folder or a setting Streamlit refuses shows up as
it would in the container.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Server:
    url: str
    env: dict[str, str]
    workdir: Path


class _Filesystem:
    """Container paths mapped into a folder: ``/app/x`` is ``<root>/app/x``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, container_path: str) -> Path:
        return self.root / container_path.lstrip("/")

    def env(self, env: dict[str, str]) -> dict[str, str]:
        """The image's variables, with container paths moved into the folder."""
        return {k: str(self(v)) if v.startswith("/") else v for k, v in env.items()}


def _replay_copies(dockerfile, fs: _Filesystem) -> Path:
    """Do the Dockerfile's COPY steps from the project into ``fs``; return the WORKDIR."""
    workdir = "/"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for step in dockerfile.instructions:
        if step.keyword == "WORKDIR":
            workdir = str(Path(workdir, step.value))
        if step.keyword != "COPY":
            continue
        args = [a for a in step.value.split() if not a.startswith("--")]
        source, target = ROOT / args[0], fs(str(Path(workdir, args[1])))
        if not source.exists():
            pytest.fail(f"line {step.line}: {args[0]} does not exist in the project yet")
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
            continue
        if args[1].endswith(("/", ".")):
            target = target / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return fs(workdir)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        body = response.read().decode(errors="replace")  # static files may be images
        return response.status, response.headers.get("Content-Type", ""), body


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Poll the health endpoint until it says ok; fail early if the server exits."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if _get(url)[2] == "ok":
                return
        except OSError:
            pass
        try:  # waiting on the process doubles as the pause between polls
            process.wait(timeout=0.25)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
    pytest.fail(f"no healthy server after {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(dockerfile, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    fs = _Filesystem(tmp_path_factory.mktemp("container"))
    workdir = _replay_copies(dockerfile, fs)
    # The volume as the image fills it on a first start, and an empty tmpfs.
    for folder in ("data", "tmp"):
        fs(folder).mkdir(exist_ok=True)
    port = _free_port()
    host = {k: v for k, v in os.environ.items() if not k.startswith(("STREAMLIT_", "MARKET_"))}
    # The container listens on 0.0.0.0:8501. A test server listens on loopback only, and on
    # a free port so it cannot clash with another server; nothing else differs.
    env = (
        host
        | fs.env(dockerfile.env)
        | {
            "STREAMLIT_SERVER_PORT": str(port),
            "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        }
    )
    command = dockerfile.command
    executable = shutil.which(command[0], path=env.get("PATH"))
    assert executable, f"{command[0]} is not on PATH"
    log = fs.root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [executable, *command[1:]],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(process, f"{base}/_stcore/health", log)
        yield Server(url=base, env=env, workdir=workdir)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and anything it started (its own process group)."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    process.wait()


def test_health_endpoint_says_ok(server: Server) -> None:
    status, _, body = _get(f"{server.url}/_stcore/health")
    assert (status, body) == (200, "ok")


def test_main_page_is_served_as_html(server: Server) -> None:
    status, content_type, body = _get(f"{server.url}/")
    assert status == 200
    assert content_type.startswith("text/html")
    assert '<div id="root">' in body


def test_static_files_are_served_from_the_image(server: Server) -> None:
    # What the app would otherwise fetch from a CDN (the world map) is served by Streamlit
    # itself (server.enableStaticServing), since an internal host may not reach the internet.
    files = sorted(f for f in (server.workdir / "static").rglob("*") if f.is_file())
    assert files, "the image has no static/ folder"
    for file in files:
        relative = file.relative_to(server.workdir).as_posix()
        status, _, _ = _get(f"{server.url}/app/{relative}")
        assert status == 200, relative


def test_image_healthcheck_passes_against_the_running_server(server: Server, dockerfile) -> None:
    _, probe = dockerfile.healthcheck
    result = subprocess.run(probe, env=server.env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


@pytest.mark.browser
def test_a_browser_session_renders_the_app(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url)
        expect(page.locator('[data-testid="stApp"]')).to_be_visible(timeout=60_000)
        expect(page.locator("h1").first).to_be_visible(timeout=60_000)
        expect(page.locator(".market-chart.js-plotly-plot").first).to_be_visible(timeout=60_000)
        expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    finally:
        context.close()
