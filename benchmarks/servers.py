"""Servers under test: the dashboard, the reference app and the Dash peer, on 127.0.0.1.

Each server is a child process on a free port, started from the project folder with the
settings the Docker image uses in production (headless, no file watcher), and stopped by
its own process id. The dashboard reads and writes a private copy of the assumptions
and scenarios folders, so a benchmark never touches the project's files.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.machine import cpu_seconds, descendants, rss_mb
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from store.database import not_the_store

__all__ = [
    "DASHBOARD",
    "DASH_PEER",
    "PROJECT",
    "REFERENCE_APP",
    "RERUN_LOG_ENV",
    "Server",
    "dash_installed",
    "private_data",
    "serve",
    "wait_until_up",
]

PROJECT = Path(__file__).resolve().parent.parent
DASHBOARD = PROJECT / "app.py"
REFERENCE_APP = PROJECT / "benchmarks" / "reference_app.py"
DASH_PEER = PROJECT / "benchmarks" / "dash_peer.py"
HOST = "127.0.0.1"
RERUN_LOG_ENV = "BENCH_RERUN_LOG"


@dataclass
class Server:
    """A running server: where to reach it and the process to measure and stop."""

    name: str
    kind: str  # "streamlit" or "dash"
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server has used so far."""
        return cpu_seconds([self.pid, *descendants(self.pid)])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def dash_installed() -> bool:
    try:
        import dash  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def private_data() -> Iterator[dict[str, str]]:
    """A temporary copy of the assumptions folder (scenarios included), as the environment
    variables that point the dashboard at it."""
    with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
        folder = Path(tmp) / "assumptions"
        shutil.copytree(PROJECT / "assumptions", folder, ignore=not_the_store)
        yield {ASSUMPTIONS_ENV: str(folder), SCENARIOS_ENV: str(folder / "scenarios")}


@contextmanager
def serve(
    name: str,
    script: Path,
    env: dict[str, str] | None = None,
    *,
    cpus: set[int] | None = None,
    rerun_log: Path | None = None,
    project: Path = PROJECT,
    wait: bool = True,
) -> Iterator[Server]:
    """Start ``script`` (a Streamlit script, or the Dash peer) and stop it afterwards.

    ``wait``: return once it answers (the default); without, at once, so that several
    servers start side by side, each then waited for with :func:`wait_until_up`.

    ``cpus``: the cores the server may run on (all of them by default). ``rerun_log``:
    run Streamlit through :mod:`benchmarks.timed_server`, which logs every rerun there.
    ``project``: the checkout whose code and settings the server runs (this one by
    default; :mod:`benchmarks.ab` sets two against each other).
    """
    kind = "dash" if script == DASH_PEER else "streamlit"
    port = _free_port()
    env = {**os.environ, **(env or {})}
    command = [sys.executable, str(script), "--port", str(port)]
    if kind == "streamlit":
        runner = ["-m", "streamlit", "run"]
        if rerun_log is not None:
            runner = ["-m", "benchmarks.timed_server"]
            env[RERUN_LOG_ENV] = str(rerun_log)
        command = [
            sys.executable,
            *runner,
            str(script),
            f"--server.address={HOST}",
            f"--server.port={port}",
            "--server.headless=true",
            "--server.fileWatcherType=none",
            "--browser.gatherUsageStats=false",
        ]
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                cwd=project,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=None if cpus is None else lambda: os.sched_setaffinity(0, cpus),
            )
        server = Server(name, kind, f"http://{HOST}:{port}", process, log)
        try:
            if wait:
                wait_until_up(server)
            yield server
        finally:
            server.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until_up(server: Server, timeout: float = 90.0) -> None:
    """Return once ``server`` answers; stop it and raise with its log's tail if it does not."""
    probe = "/_stcore/health" if server.kind == "streamlit" else "/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(server.url + probe, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    server.stop()
    tail = server.log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"{server.name} did not start at {server.url}:\n{tail}")
