"""Where the store keeps its data: one engine from one URL, its schema upgraded on opening.

``MARKET_DATABASE_URL`` names the database (``postgresql+psycopg://user:password@host/db``
for several replicas); without it the store is an embedded SQLite file, ``market.db`` in
the scenarios folder (:func:`market.paths.scenarios_dir`), in write-ahead-log mode, for
one host. SQLite on a network volume is not safe: its locks do not hold there.

Both engines follow one rule for changes: a transaction that writes takes the write lock
when it begins (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: row locks on ``UPDATE``), so a
compare-and-swap on a version number sees every earlier writer's commit.

:func:`upgrade` runs Alembic's ``upgrade head`` in one transaction: a migration that fails
leaves the schema as it was, and the error is one line (:class:`MigrationError`).
Everything the database refuses reaches callers as :class:`StoreUnavailableError`, whose
message says why in words and never holds the URL, a password or a server path.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from market.paths import scenarios_dir
from market.scenarios import ScenarioError

__all__ = [
    "DATABASE_ENV",
    "MIGRATIONS",
    "SQLITE_FILE",
    "WRITE",
    "MigrationError",
    "StoreUnavailableError",
    "configured",
    "connect",
    "database_url",
    "describe",
    "not_the_store",
    "reason",
    "sqlite_folder",
    "transaction",
    "upgrade",
]

DATABASE_ENV = "MARKET_DATABASE_URL"
SQLITE_FILE = "market.db"
not_the_store = shutil.ignore_patterns(SQLITE_FILE, f"{SQLITE_FILE}-*")
"""For ``shutil.copytree(..., ignore=not_the_store)``: a scenarios folder copied as shipped,
without the SQLite store (and its journal) a local run made in it, which is someone's own
saved scenarios and comments, not the project's."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
WRITE = "market_write"
"""Execution option of a connection whose transaction will write (see :func:`connect`)."""
CONNECT_TIMEOUT_SECONDS = 5
"""How long a page waits for an unreachable PostgreSQL before saying it is unavailable."""
BUSY_TIMEOUT_SECONDS = 15.0
"""How long a SQLite writer waits for another one to finish."""
MIGRATION_LOCK = 0x6D61726B6574  # "market": the PostgreSQL advisory lock :func:`upgrade` holds

_LOG = logging.getLogger(__name__)


class StoreUnavailableError(ScenarioError):
    """The database cannot be used now (unreachable, read-only, full, misconfigured).

    The message is the reason alone, in lower case ("the database is read-only"), for a
    front end to put after what is unavailable ("Saving is unavailable: ...")."""


class MigrationError(StoreUnavailableError):
    """The schema could not be brought up to date; the database was left as it was."""


def database_url() -> URL:
    """``MARKET_DATABASE_URL``, or the SQLite file in the scenarios folder."""
    named = os.environ.get(DATABASE_ENV, "").strip()
    if not named:
        return URL.create("sqlite", database=str(scenarios_dir().resolve() / SQLITE_FILE))
    try:
        url = make_url(named)
    except ArgumentError:
        raise StoreUnavailableError(f"{DATABASE_ENV} is not a database URL") from None
    if url.drivername in ("postgresql", "postgres"):  # psycopg 3 is the driver installed
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreUnavailableError(
            f"{DATABASE_ENV} names a {url.get_backend_name()} database; "
            "the store works with SQLite and PostgreSQL"
        )
    return url


def configured() -> bool:
    """Whether there is a store to read: ``MARKET_DATABASE_URL`` is set, or the SQLite file
    of the scenarios folder exists. A command that only reads (``market export``) asks
    this first, so it never creates a database as a side effect."""
    if os.environ.get(DATABASE_ENV, "").strip():
        return True
    return (scenarios_dir() / SQLITE_FILE).is_file()


def describe(url: URL) -> str:
    """The database in words, without its password: for logs and ``market scenarios``."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return f"PostgreSQL database {url.database or ''} on {url.host or 'localhost'}"


def connect(url: URL | None = None) -> Engine:
    """An engine for ``url`` (by default :func:`database_url`); nothing is opened yet."""
    url = database_url() if url is None else url
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite(url)
        return create_engine(
            url,
            pool_pre_ping=True,  # a restarted server's dead connections are replaced
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        )
    except (ArgumentError, NoSuchModuleError) as err:
        raise StoreUnavailableError(f"{DATABASE_ENV} cannot be used: {err}") from None


def sqlite_folder(url: URL) -> Path | None:
    """The folder a SQLite URL's file lies in, to be made if missing; None when nothing
    should be made: a database in memory, or one opened read-only.

    With ``uri=true`` the database is a ``file:`` URI (``file:/srv/market.db?mode=ro``),
    whose path is the URI's path, never the text itself: made as given, it would be a
    folder named ``file:`` in the working directory.
    """
    database = url.database or ""
    if not database or database == ":memory:":
        return None
    if url.query.get("uri") in ("true", "1"):
        parsed = urlsplit(database)
        options = parse_qs(parsed.query) | {k: [str(v)] for k, v in url.query.items()}
        if options.get("mode", [""])[-1] in ("ro", "memory") or not parsed.path:
            return None
        return Path(unquote(parsed.path)).parent
    return Path(database).parent


def _sqlite(url: URL) -> Engine:
    folder = sqlite_folder(url)
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreUnavailableError(
                f"the database folder cannot be made ({(err.strerror or '').lower()})"
            ) from None
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # The store says when transactions begin (below), not Python's sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        try:  # the mode is kept in the file; a read-only file keeps the one it has
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL
        except Exception as err:  # a read-only database: reads still work
            _LOG.info("SQLite journal mode left as it is: %s", err)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writer takes the write lock at BEGIN, so what it reads is what it changes;
        # readers begin deferred and never wait for writers (WAL).
        writes = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def upgrade(engine: Engine, migrations: Path = MIGRATIONS) -> None:
    """Bring the schema to the newest migration, all steps in one transaction.

        Nothing is written when the schema is already current (a read-only database opens).
    Several processes upgrading one database at once take turns; the first does the work.
        MigrationError, with one line saying why, if a step fails: the transaction is rolled
        back, so the database keeps the schema it had.
    """
    config = Config()
    config.set_main_option("script_location", str(migrations))
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            connection.rollback()
    except SQLAlchemyError as err:  # not reachable, not readable: nothing was tried
        raise StoreUnavailableError(reason(err)) from None
    try:
        if current == ScriptDirectory.from_config(config).get_current_head():
            return
        with engine.execution_options(**{WRITE: True}).begin() as connection:
            if engine.dialect.name == "postgresql":
                # Replicas opening a new database at once migrate one after the other, as
                # BEGIN IMMEDIATE makes them on SQLite: the later ones find it current.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except CommandError as err:
        raise MigrationError(
            f"the database schema could not be upgraded ({_one_line(err)}); it was left as it was"
        ) from None
    except SQLAlchemyError as err:
        raise MigrationError(
            f"the database schema could not be upgraded: {reason(err)}; it was left as it was"
        ) from None
    except Exception as err:  # a migration step's own failure: one line, never a traceback
        _LOG.exception("migration failed")
        raise MigrationError(
            f"the database schema could not be upgraded ({type(err).__name__}: "
            f"{_one_line(err)}); it was left as it was"
        ) from None


def reason(err: BaseException) -> str:
    """Why the database refused, in words (never the URL, a password or a path)."""
    text = str(getattr(err, "orig", None) or err).lower()
    if isinstance(err, DBAPIError) and err.connection_invalidated:
        return "the connection to the database was lost"
    for words, meaning in _REASONS:
        if any(w in text for w in words):
            return meaning
    _LOG.warning("database error: %s", err)
    return f"the database refused the request ({type(getattr(err, 'orig', None) or err).__name__})"


_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("readonly", "read-only", "read only"), "the database is read-only"),
    (("unable to open database",), "the database file cannot be opened"),
    (("database is locked", "lock timeout"), "the database is busy; try again"),
    (("disk is full", "no space", "disk full"), "the disk holding the database is full"),
    (
        ("connection refused", "could not connect", "connection failed", "timeout expired"),
        "the database server cannot be reached",
    ),
    (("password authentication", "authentication failed"), "the database refused the login"),
    (("does not exist",), "the database does not exist on its server"),
    (("no such table", "undefinedtable"), "the database has no store tables"),
    (("not a database", "malformed"), "the database file is damaged or not a database"),
)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:200]


@contextmanager
def transaction(session: Session, *, write: bool) -> Iterator[None]:
    """One transaction for one store function; what the database refuses becomes a
    StoreUnavailableError saying why (its ``__context__`` keeps the original)."""
    if session.in_transaction():
        raise RuntimeError("store functions run their own transaction: pass an idle Session")
    try:
        with session.begin():
            if write:  # SQLite: BEGIN IMMEDIATE (see store.database.connect)
                session.connection(execution_options={WRITE: True})
            yield
    except SQLAlchemyError as err:
        raise StoreUnavailableError(reason(err)) from err
