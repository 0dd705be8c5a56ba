"""The store's fixtures: every test runs on SQLite and on a real PostgreSQL server.

PostgreSQL is Debian's (``apt-get install postgresql``; binaries under
``/usr/lib/postgresql/*/bin``), started once per test run in a temporary directory on a
free port and stopped after; each test gets a database of its own. initdb refuses to run
as root, so as root the server runs as the ``postgres`` system user (``runuser``), which
owns the temporary directory. Without PostgreSQL the PostgreSQL half of each test is
skipped and says why, except under ``REQUIRE_POSTGRES=1`` (set by ``.ci/run``), where it
fails.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine
from sqlalchemy.engine import make_url

import store
from market.scenarios import Scenario, ScenarioNotFoundError

ENGINES = ("sqlite", "postgresql")
STARTUP_SECONDS = 60.0
SERVER_USER = "postgres"  # Debian's package creates it


def postgres_unavailable(reason: str) -> None:
    """Skip without PostgreSQL; fail where it is required (``REQUIRE_POSTGRES=1``)."""
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (REQUIRE_POSTGRES=1 makes a missing PostgreSQL a failure)")
    pytest.skip(reason)


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's binaries folder, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server, trusting local connections as ``market``; ``url(db)`` for a database."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes]
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres") -> URL:
        return URL.create(
            "postgresql+psycopg",
            username="market",
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

    def new_database(self) -> URL:
        """A new, empty database on this server."""
        import psycopg

        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="market", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log_tail(self) -> str:
        log = self.directory / "server.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def _as_server_user() -> list[str]:
    """The prefix that runs a command as an unprivileged user (nothing if not root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        postgres_unavailable(f"running as root and there is no {SERVER_USER!r} user to run it")
    runuser = shutil.which("runuser")
    if runuser is None:
        postgres_unavailable("running as root and runuser is not installed")
    return [runuser, "-u", SERVER_USER, "--"]


def _wait_ready(server: PostgresServer, bin_dir: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"postgres exited with {server.process.returncode}:\n{server.log_tail()}")
        ready = subprocess.run(
            [str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(server.port), "-q"],
            check=False,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.1)  # polling the server's own readiness, not waiting a fixed time
    pytest.fail(f"postgres not ready after {STARTUP_SECONDS:.0f} s:\n{server.log_tail()}")


def _fast_shutdown(data: Path, process: subprocess.Popen[bytes]) -> None:
    """SIGINT to the postmaster itself (runuser does not pass it on): a "fast shutdown"."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.kill(int((data / "postmaster.pid").read_text().split()[0]), signal.SIGINT)
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """Debian's PostgreSQL in a temporary directory on a free port, for the whole run."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        postgres_unavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
            "apt-get install postgresql"
        )
    prefix = _as_server_user()
    directory = Path(tempfile.mkdtemp(prefix="market-postgres-"))
    if prefix:
        shutil.chown(directory, SERVER_USER, SERVER_USER)
    data = directory / "data"
    initdb_options = ["-U", "market", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"]
    initdb = subprocess.run(
        [*prefix, str(bin_dir / "initdb"), "-D", str(data), *initdb_options],
        capture_output=True,
        text=True,
        check=False,
    )
    if initdb.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{initdb.stderr[-2000:]}")
    port = free_port()
    log = open(directory / "server.log", "wb")  # noqa: SIM115 - closed when the server stops
    if prefix:
        shutil.chown(directory / "server.log", SERVER_USER, SERVER_USER)
    settings = ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-k", str(directory)]
    process = subprocess.Popen(
        [*prefix, str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), *settings],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = PostgresServer(port, directory, process)
    try:
        _wait_ready(server, bin_dir)
        yield server
    finally:
        _fast_shutdown(data, process)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(params=ENGINES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    """An empty database: a SQLite file in ``tmp_path``, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return URL.create("sqlite", database=str(tmp_path / "scenarios" / "market.db"))
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty scenarios folder (the first opening imports from it)."""
    path = tmp_path / "scenarios"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def engine(database: URL, folder: Path) -> Iterator[Engine]:
    """The store on ``database``, opened (schema upgraded, the empty folder imported)."""
    opened = store.open_store(database, folder)
    yield opened
    opened.dispose()


def saved_in(folder: Path, name: str, url: str | None = None) -> Scenario | None:
    """The scenario ``name`` as the store of scenarios folder ``folder`` holds it now, or
    None if it holds none: the store at ``url`` (a server's MARKET_DATABASE_URL), or without
    one the SQLite file a server without MARKET_DATABASE_URL uses."""
    database = URL.create("sqlite", database=str(folder / "market.db")) if url is None else url
    engine = store.open_store(make_url(database), folder)
    try:
        with store.session(engine) as opened:
            return store.load(opened, name).scenario
    except ScenarioNotFoundError:
        return None
    finally:
        engine.dispose()
