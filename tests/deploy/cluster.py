"""``deploy/local/cluster`` run as a child process, for the proxy tests and the proxy benchmark.

The cluster is started exactly as the README says (the executable, a free port, a private
scenarios folder) and read back from the lines it prints: one per replica with its port
and process id (after the database server's, with ``--database postgres``), then nginx's,
then the address it serves. Which replica holds a browser
session is asked of the replicas themselves (Streamlit's ``active_sessions`` metric on
each one's own port), never guessed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CLUSTER", "Cluster", "ClusterFailed", "Replica", "free_port"]

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "deploy" / "local" / "cluster"
STARTUP_SECONDS = 180.0  # N cold Streamlit starts on a loaded 2-core machine
STOP_SECONDS = 60.0

_REPLICA = re.compile(r"^replica (\d+): port (\d+), pid (\d+), log (\S+)$", re.MULTILINE)
_NGINX = re.compile(r"^nginx: port (\d+), pid (\d+), config (\S+)$", re.MULTILINE)
_POSTGRES = re.compile(r"^postgres: port (\d+), pid (\d+), url (\S+), log (\S+)$", re.MULTILINE)
_READY = re.compile(r"^ready: (\S+) \(self-signed certificate (\S+)\)", re.MULTILINE)
_SESSIONS = re.compile(r"^active_sessions (\d+)", re.MULTILINE)


class ClusterFailed(Exception):
    """The cluster did not start or stop as it should; the message holds its output."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@dataclass(frozen=True)
class Replica:
    number: int
    port: int
    pid: int
    log: Path
    prefix: str

    def sessions(self) -> int | None:
        """Browser sessions connected to this replica; None when it does not answer."""
        url = f"http://127.0.0.1:{self.port}/{self.prefix}/_stcore/metrics?families=active_sessions"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode()
        except OSError:
            return None
        found = _SESSIONS.search(text)
        return int(found.group(1)) if found else None

    def kill(self) -> None:
        """SIGKILL, as a crash or an evicted pod: nothing is saved on the way out."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


@dataclass
class Cluster:
    """One ``deploy/local/cluster --replicas N --port PORT --scenarios DIR [--database D]``
    run."""

    replica_count: int
    scenarios: Path
    output: Path
    port: int = field(default_factory=free_port)
    replicas: list[Replica] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # added to this environment for the run
    database: str | None = None  # --database (None: the default, SQLite in the folder)
    nginx_pid: int = 0
    postgres_pid: int | None = None
    database_url: str | None = None  # what every replica's MARKET_DATABASE_URL says, if set
    routes: dict[int, str] = field(default_factory=dict)  # a route cookie that reached replica N
    config: Path = Path()
    url: str = ""
    certificate: Path = Path()
    _process: subprocess.Popen[bytes] | None = None

    @property
    def prefix(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def start(self) -> None:
        command = [
            sys.executable, str(CLUSTER), "--replicas", str(self.replica_count),
            "--port", str(self.port), "--scenarios", str(self.scenarios),
        ]  # fmt: skip
        if self.database is not None:
            command += ["--database", self.database]
        with self.output.open("wb") as out:
            self._process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while (ready := _READY.search(self.text())) is None:
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ClusterFailed(f"the cluster did not get ready:\n{self.text()}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=0.25)
        text = self.text()
        self.url, self.certificate = ready.group(1), Path(ready.group(2))
        self.replicas = [
            Replica(int(n), int(port), int(pid), Path(log), self.prefix)
            for n, port, pid, log in _REPLICA.findall(text)
        ]
        nginx = _NGINX.search(text)
        assert nginx is not None, text
        self.nginx_pid, self.config = int(nginx.group(2)), Path(nginx.group(3))
        postgres = _POSTGRES.search(text)
        if postgres is not None:
            self.postgres_pid, self.database_url = int(postgres.group(2)), postgres.group(3)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int | None:
        """Send ``sig`` to the cluster (as Ctrl-C or a service manager would); its exit code."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise ClusterFailed(f"the cluster ignored {sig.name}:\n{self.text()}") from None
        return process.returncode

    def started_pids(self) -> list[int]:
        database = [] if self.postgres_pid is None else [self.postgres_pid]
        return [r.pid for r in self.replicas] + [self.nginx_pid] + database

    def ssl_context(self) -> ssl.SSLContext:
        """Trusts the run's self-signed certificate (made for 127.0.0.1) and nothing else."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def holder(self, timeout: float = 30.0) -> Replica:
        """The one replica holding the one open browser session, once closed ones are gone."""
        deadline = time.monotonic() + timeout
        while True:
            counts = {r.number: r.sessions() for r in self.replicas}
            holding = [r for r in self.replicas if counts[r.number]]
            if len(holding) == 1 and counts[holding[0].number] == 1:
                return holding[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"one session on one replica expected; by replica: {counts}")
            assert self._process is not None
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=0.25)  # paces the polling; ends early if it dies
