"""Opening the store: the URL, migrations in one transaction, and a database that is down,
read-only or newer than the code, each said in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Engine, inspect, text
from sqlalchemy.engine import make_url

import store
from market.paths import SCENARIOS_ENV
from market.scenarios import Scenario
from store.database import (
    DATABASE_ENV,
    MIGRATIONS,
    SQLITE_FILE,
    MigrationError,
    StoreUnavailableError,
    connect,
    database_url,
    not_the_store,
    upgrade,
)
from store.schema import Base
from tests.store.conftest import free_port

BROKEN_STEP = '''"""A step that fails half-way: it creates a table, then breaks.

Revision ID: 9999
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("scenarios", sa.Column("half_done", sa.Integer(), nullable=True))
    op.execute("SELECT * FROM no_such_table")


def downgrade() -> None:
    pass
'''


def scenario(name: str = "Board review") -> Scenario:
    return Scenario(name=name, base_file="healthcare-microservices.yaml")


def test_the_migrations_build_exactly_the_tables_the_code_maps(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_a_failed_migration_leaves_the_schema_as_it_was(engine: Engine, tmp_path: Path) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(), author="ana")
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, migrations)
    head = _revision(engine)
    (migrations / "versions" / "9999_broken.py").write_text(
        BROKEN_STEP.format(head=head), encoding="utf-8"
    )
    with pytest.raises(MigrationError) as failed:
        upgrade(engine, migrations)
    message = str(failed.value)
    assert "\n" not in message
    assert "could not be upgraded" in message and "left as it was" in message
    tables = inspect(engine)
    assert "half_done" not in tables.get_table_names()
    assert "half_done" not in {c["name"] for c in tables.get_columns("scenarios")}
    assert _revision(engine) == head
    with store.session(engine) as s:
        assert store.listing(s).names == ("Board review",)


def test_a_failed_first_migration_leaves_an_empty_database(database: URL, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, migrations)
    first = migrations / "versions" / "0001_scenarios.py"
    first.write_text(
        first.read_text(encoding="utf-8").replace(
            '    op.create_table(\n        "settings",',
            '    op.execute("SELECT nothing FROM nowhere")\n'
            '    op.create_table(\n        "settings",',
        ),
        encoding="utf-8",
    )
    engine = connect(database)
    try:
        with pytest.raises(MigrationError):
            upgrade(engine, migrations)
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_opening_again_migrates_nothing_and_keeps_the_data(database: URL, folder: Path) -> None:
    for _ in range(2):
        engine = store.open_store(database, folder)
        with store.session(engine) as s:
            if not store.listing(s).names:
                store.save(s, scenario(), author="ana")
        engine.dispose()
    engine = store.open_store(database, folder)
    with store.session(engine) as s:
        assert [v.number for v in store.history(s, "Board review")] == [1]
    engine.dispose()


def test_a_database_newer_than_the_code_is_refused_in_one_line(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'from-the-future'"))
    with pytest.raises(MigrationError, match="could not be upgraded") as failed:
        upgrade(engine)
    assert "\n" not in str(failed.value)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_read_only_sqlite_file_lists_but_refuses_saving(engine: Engine, database: URL) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(), author="ana")
    read_only = make_url(f"sqlite:///file:{database.database}?mode=ro&uri=true")
    opened = store.open_store(read_only)
    try:
        with store.session(opened) as s:
            assert store.listing(s).names == ("Board review",)
            with pytest.raises(StoreUnavailableError, match="the database is read-only"):
                store.save(s, scenario("Another"), author="ana")
    finally:
        opened.dispose()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_sqlite_uri_makes_no_folder_named_after_it(
    engine: Engine, database: URL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``file:`` URI is a path, not a folder to make in the working directory."""
    here = tmp_path / "working"
    here.mkdir()
    monkeypatch.chdir(here)
    read_only = make_url(f"sqlite:///file:{database.database}?mode=ro&uri=true")
    store.open_store(read_only).dispose()
    elsewhere = tmp_path / "new" / "market.db"
    store.open_store(make_url(f"sqlite:///file:{elsewhere}?uri=true"), tmp_path).dispose()
    assert list(here.iterdir()) == []
    assert elsewhere.is_file()


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_read_only_postgresql_database_lists_but_refuses_saving(
    engine: Engine, database: URL
) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(), author="ana")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text(f'ALTER DATABASE "{database.database}" SET default_transaction_read_only = on')
        )
    engine.dispose()  # new connections take the setting
    with store.session(engine) as s:
        assert store.listing(s).names == ("Board review",)
        with pytest.raises(StoreUnavailableError, match="the database is read-only"):
            store.save(s, scenario("Another"), author="ana")


def test_an_unreachable_server_is_said_in_one_line() -> None:
    url = make_url(f"postgresql+psycopg://u:secret@127.0.0.1:{free_port()}/market")
    with pytest.raises(StoreUnavailableError) as failed:
        store.open_store(url)
    message = str(failed.value)
    assert "cannot be reached" in message
    assert "secret" not in message and "\n" not in message


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://u:p@host/db", "names a mysql database"),
    ],
)
def test_a_database_url_the_store_cannot_use_is_said(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    monkeypatch.setenv(DATABASE_ENV, value)
    with pytest.raises(StoreUnavailableError, match=said):
        database_url()


def test_without_a_url_the_store_is_a_sqlite_file_in_the_scenarios_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    url = database_url()
    assert url.get_backend_name() == "sqlite"
    assert Path(url.database or "") == tmp_path.resolve() / "scenarios" / "market.db"
    engine = store.open_store()
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_a_plain_postgresql_url_uses_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATABASE_ENV, "postgresql://u:p@db.internal/market")
    assert database_url().drivername == "postgresql+psycopg"


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_a_scenarios_folder_copied_as_shipped_leaves_a_local_store_behind(tmp_path: Path) -> None:
    """Tests and benchmarks copy the shipped scenarios for their servers; a store a local
    ``streamlit run app.py`` made beside them is someone's own work, not the project's."""
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    for name in ("base-case.yaml", SQLITE_FILE, f"{SQLITE_FILE}-wal", f"{SQLITE_FILE}-shm"):
        (shipped / name).write_text("x")
    shutil.copytree(shipped, tmp_path / "copy", ignore=not_the_store)
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["base-case.yaml"]
