"""The store: saved scenarios and their versions in a database (SQLite or PostgreSQL).

It sits above the model (it imports :mod:`market` only) and beside :mod:`report`; the
front ends (dashboard, cli) use it. :func:`open_store` gives the engine every function
here works through: the schema upgraded, and on the first opening of a new database the
scenarios folder imported. Functions take a :class:`~sqlalchemy.orm.Session`
(:func:`session`) and each runs one transaction.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from market.paths import scenarios_dir
from store.database import (
    DATABASE_ENV,
    MigrationError,
    StoreUnavailableError,
    connect,
    database_url,
    describe,
    upgrade,
)
from store.scenarios import (
    ANONYMOUS,
    Imported,
    Listing,
    Saved,
    Version,
    delete,
    deleted,
    export_folder,
    history,
    import_folder,
    import_once,
    key,
    listing,
    load,
    purge,
    restore,
    save,
    undelete,
    version,
)

__all__ = [
    "ANONYMOUS",
    "DATABASE_ENV",
    "Imported",
    "Listing",
    "MigrationError",
    "Saved",
    "StoreUnavailableError",
    "Version",
    "database_url",
    "delete",
    "deleted",
    "describe",
    "export_folder",
    "history",
    "import_folder",
    "import_once",
    "key",
    "listing",
    "load",
    "open_store",
    "purge",
    "restore",
    "save",
    "session",
    "undelete",
    "version",
]


def open_store(url: URL | None = None, folder: Path | None = None) -> Engine:
    """The store's engine, ready: ``url`` (by default :func:`database_url`) with its schema
    upgraded (MigrationError, one line, if that fails), and, if this database never imported
    one, the scenarios folder (``folder``, by default :func:`market.paths.scenarios_dir`)
    imported. StoreUnavailableError if the database cannot be used."""
    engine = connect(url)
    try:
        upgrade(engine)
        with session(engine) as opened:
            import_once(opened, scenarios_dir() if folder is None else folder)
    except BaseException:
        engine.dispose()
        raise
    return engine


def session(engine: Engine) -> Session:
    """A session for the store's functions (objects stay readable after each commits)."""
    return Session(engine, expire_on_commit=False, autobegin=True)
