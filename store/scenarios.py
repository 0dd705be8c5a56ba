"""Saved scenarios in the database: every save is a new version, nothing is overwritten.

Each function takes a :class:`~sqlalchemy.orm.Session` with no transaction open and runs
exactly one transaction: committed before it returns, rolled back if it raises.

Changes are compare-and-swap on a scenario's version number, in one transaction: the
caller passes the version the user saw (``expected``), and the change happens only if
the scenario is still at that version, else :class:`~market.scenarios.ScenarioChangedError`
carries the version that is there now, so the user can be asked again. Of two savers that
saw the same version, exactly one wins, on SQLite (``BEGIN IMMEDIATE`` serialises writers)
and on PostgreSQL (the ``UPDATE ... WHERE version = seen`` of the second waits for the
first to commit, then matches no row). A new name is claimed by the unique key.

Deleting hides a scenario (:func:`delete`, undone by :func:`undelete`); only :func:`purge`
removes it and its versions. Restoring a version saves its content as a new version.

Messages are fit to show a user: they name the scenario, never a path or the database URL.
Everything the database refuses is a :class:`~store.database.StoreUnavailableError`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from market.assumptions import slugify
from market.io import write_atomically
from market.scenarios import (
    Scenario,
    ScenarioChangedError,
    ScenarioError,
    ScenarioExistsError,
    ScenarioFileError,
    ScenarioNotFoundError,
    ScenarioStore,
    check_name,
    dump_scenario,
)
from store.database import StoreUnavailableError
from store.database import transaction as _transaction
from store.schema import AUTHOR_LENGTH, NOTE_LENGTH, ScenarioRow, Setting, VersionRow, utc

__all__ = [
    "ANONYMOUS",
    "FOLDER_IMPORTED",
    "Imported",
    "Listing",
    "Saved",
    "Version",
    "delete",
    "deleted",
    "export_folder",
    "history",
    "import_folder",
    "import_once",
    "key",
    "listing",
    "load",
    "purge",
    "recorded_author",
    "restore",
    "save",
    "undelete",
    "version",
]

ANONYMOUS = "anonymous"
"""The author of a change made without a login."""
FOLDER_IMPORTED = "scenarios-folder-imported"
"""The setting that says the scenarios folder was imported (its value: when, and from where)."""


@dataclass(frozen=True)
class Version:
    """One saved state of a scenario: who saved it, when, why, and what it held."""

    number: int
    author: str
    created: datetime
    note: str
    scenario: Scenario


@dataclass(frozen=True)
class Saved:
    """A scenario as it is now: its current version, and who hid it if it is deleted."""

    current: Version
    hidden_at: datetime | None = None
    hidden_by: str | None = None

    @property
    def scenario(self) -> Scenario:
        return self.current.scenario

    @property
    def version(self) -> int:
        return self.current.number

    @property
    def name(self) -> str:
        return self.current.scenario.name


@dataclass(frozen=True)
class Listing:
    """The saved scenarios sorted by name, and those whose stored content no longer
    validates (name -> reason), which are listed but never used."""

    scenarios: tuple[Saved, ...] = ()
    unreadable: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.scenarios)

    def by_name(self) -> dict[str, Scenario]:
        return {s.name: s.scenario for s in self.scenarios}


@dataclass(frozen=True)
class Imported:
    """What an import did, by scenario name; unreadable files by file name with the reason."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    unreadable: dict[str, str] = field(default_factory=dict)


def key(name: str) -> str:
    """What identifies a scenario: its name's slug (``"Base case"`` -> ``base-case``), so
    names differing only in case, spaces, ``-`` or ``_`` are one scenario, as they were one
    file. ScenarioNameError for a name no scenario may have."""
    return slugify(check_name(name))


# --- reading -------------------------------------------------------------------------------


def listing(session: Session) -> Listing:
    """Every scenario not deleted, at its current version, sorted by name."""
    return _listing(session, hidden=False)


def deleted(session: Session) -> tuple[Saved, ...]:
    """The deleted (hidden) scenarios, most recently deleted first: what can be undone."""
    found = _listing(session, hidden=True).scenarios
    return tuple(sorted(found, key=lambda s: s.hidden_at or datetime.min.replace(tzinfo=UTC))[::-1])


def _listing(session: Session, *, hidden: bool) -> Listing:
    """One light query for the current versions; the content only of those this process
    has not read yet (a version never changes, so each is read and validated once)."""
    query = (
        select(
            ScenarioRow.name,
            ScenarioRow.hidden_at,
            ScenarioRow.hidden_by,
            VersionRow.id,
            VersionRow.created,
        )
        .join(VersionRow, _current_version())
        .where(ScenarioRow.hidden_at.is_not(None) if hidden else ScenarioRow.hidden_at.is_(None))
    )
    found, unreadable = [], {}
    with _transaction(session, write=False):
        rows = session.execute(query).all()
        versions = _parsed(session, {(r.id, r.name, r.created) for r in rows})
    for row in rows:
        current = versions[row.id, row.name, row.created]
        if isinstance(current, str):
            unreadable[row.name] = current
            continue
        hidden_at = None if row.hidden_at is None else utc(row.hidden_at)
        found.append(Saved(current, hidden_at, row.hidden_by))
    found.sort(key=lambda s: (s.name.casefold(), s.name))
    return Listing(tuple(found), unreadable)


_VersionKey = tuple[int, str, datetime]
_PARSED: OrderedDict[_VersionKey, Version | str] = OrderedDict()
_PARSED_LIMIT = 20_000
_PARSED_LOCK = threading.Lock()


def _parsed(session: Session, keys: set[_VersionKey]) -> dict[_VersionKey, Version | str]:
    """Each version (by row id, scenario name and time, which no other version shares),
    validated, or why it is not valid; read from the database only if not yet known."""
    with _PARSED_LOCK:
        known = {k: _PARSED[k] for k in keys if k in _PARSED}
    missing = {k[0]: k for k in keys if k not in known}
    ids = list(missing)
    for start in range(0, len(ids), 500):  # bound the IN list
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(VersionRow.id, *_VERSION_COLUMNS).where(VersionRow.id.in_(chunk))
        ).all()
        for row in rows:
            key = missing[row.id]
            try:
                known[key] = _version(key[1], row)
            except ScenarioFileError as err:
                known[key] = str(err)
    with _PARSED_LOCK:
        for key in missing.values():
            if key in known:
                _PARSED[key] = known[key]
        while len(_PARSED) > _PARSED_LIMIT:
            _PARSED.popitem(last=False)
    return known


def load(session: Session, name: str) -> Saved:
    """The scenario ``name`` at its current version; ScenarioNotFoundError if none is
    saved or it was deleted."""
    with _transaction(session, write=False):
        row = _row(session, name)
        if row.hidden_at is not None:
            raise ScenarioNotFoundError(f"The scenario {_shown(name)} was deleted")
        return Saved(_version_of(session, row, row.version))


def history(session: Session, name: str) -> tuple[Version, ...]:
    """Every version of ``name``, newest first (a deleted scenario's too)."""
    with _transaction(session, write=False):
        row = _row(session, name)
        versions = session.execute(
            select(*_VERSION_COLUMNS)
            .where(VersionRow.scenario_id == row.id)
            .order_by(VersionRow.number.desc())
        ).all()
        return tuple(_version(row.name, v) for v in versions)


def version(session: Session, name: str, number: int) -> Version:
    """Version ``number`` of ``name``; ScenarioNotFoundError if it has no such version."""
    with _transaction(session, write=False):
        return _version_of(session, _row(session, name), number)


# --- changing ------------------------------------------------------------------------------


def save(
    session: Session,
    scenario: Scenario,
    *,
    author: str,
    note: str = "",
    expected: int | None = None,
) -> Saved:
    """Save ``scenario`` as a new version of its name, by ``author``, with ``note``.

    ``expected`` is the version the user saw and agreed to replace; None for a new name.
    ScenarioExistsError (carrying the version there) if the name is taken and ``expected``
    is None; ScenarioChangedError (carrying the version there now, None if it was deleted)
    if it is no longer at ``expected``. A deleted scenario saved under its name again comes
    back with its history.
    """
    with _transaction(session, write=True):
        return _save(session, scenario, recorded_author(author), _note(note), expected)


def restore(
    session: Session, name: str, number: int, *, author: str, expected: int, note: str = ""
) -> Saved:
    """Make version ``number`` of ``name`` the current one, as a new version (nothing is
    lost: the versions after it stay in the history). ``expected`` as for :func:`save`."""
    with _transaction(session, write=True):
        old = _version_of(session, _row(session, name), number)
        said = f"Restored version {number}" + (f": {note.strip()}" if note.strip() else "")
        return _save(session, old.scenario, recorded_author(author), _note(said), expected)


def delete(session: Session, name: str, *, author: str, expected: int | None = None) -> None:
    """Hide ``name`` from the list (undone by :func:`undelete`); with ``expected``, only if
    it is still that version (ScenarioChangedError otherwise)."""
    with _transaction(session, write=True):
        row = _row(session, name)
        if row.hidden_at is not None:
            raise ScenarioNotFoundError(f"The scenario {_shown(name)} was already deleted")
        if expected is not None and row.version != expected:
            raise ScenarioChangedError(
                f"The scenario {_shown(row.name)} was changed by someone else after you chose "
                "to delete it; it was kept",
                row.version,
            )
        _swap(session, row, row.version, hidden_at=_now(), hidden_by=recorded_author(author))


def undelete(session: Session, name: str, *, author: str) -> Saved:
    """Bring a deleted scenario back, as it was when deleted."""
    with _transaction(session, write=True):
        row = _row(session, name)
        if row.hidden_at is None:
            raise ScenarioError(f"The scenario {_shown(row.name)} is not deleted")
        _swap(session, row, row.version, hidden_at=None, hidden_by=None)
        return Saved(_version_of(session, row, row.version))


def purge(session: Session, name: str) -> int:
    """Remove ``name`` and every version of it for good; the number of versions removed."""
    with _transaction(session, write=True):
        row = _row(session, name)
        count = session.scalar(
            select(func.count()).select_from(VersionRow).where(VersionRow.scenario_id == row.id)
        )
        session.execute(sql_delete(VersionRow).where(VersionRow.scenario_id == row.id))
        session.execute(sql_delete(ScenarioRow).where(ScenarioRow.id == row.id))
        return int(count or 0)


# --- moving in and out: the YAML files of a scenarios folder -------------------------------


def import_folder(session: Session, folder: Path, *, author: str) -> Imported:
    """Read every scenario file in ``folder``: a new name is added, an existing one gets a
    new version when the file's content differs from its current one, and nothing when it
    is the same. Files that cannot be read are reported, never fatal; nothing is deleted."""
    with _transaction(session, write=True):
        return _import(session, folder, recorded_author(author))


def import_once(session: Session, folder: Path) -> Imported | None:
    """Import ``folder`` if this database never imported one; None if it already did.

    The setting is claimed first in the same transaction, so of several processes opening
    a new database at once exactly one imports (the others' claim fails on its key).
    """
    try:
        with _transaction(session, write=True):
            if session.get(Setting, FOLDER_IMPORTED) is not None:
                return None
            session.add(Setting(key=FOLDER_IMPORTED, value=_now().isoformat()))
            session.flush()
            return _import(session, folder, "import from the scenarios folder")
    except StoreUnavailableError as err:
        if isinstance(err.__context__, IntegrityError):
            return None  # another process imported it meanwhile
        raise


def export_folder(session: Session, folder: Path) -> tuple[Path, ...]:
    """Write every saved scenario (not the deleted ones) to ``folder`` as today's YAML
    files, each atomically, replacing files of the same names; the paths written.
    OSError if the folder refuses a file."""
    files = ScenarioStore(folder)  # names a file inside the folder for each scenario
    return tuple(
        write_atomically(files.path(s.name), dump_scenario(s.scenario))
        for s in listing(session).scenarios
    )


# --- inside a transaction ------------------------------------------------------------------

_VERSION_COLUMNS = (
    VersionRow.number,
    VersionRow.author,
    VersionRow.created,
    VersionRow.note,
    VersionRow.base_file,
    VersionRow.rationale,
    VersionRow.overrides,
    VersionRow.opportunity,
    VersionRow.actuals,
)


def _current_version() -> Any:
    return (VersionRow.scenario_id == ScenarioRow.id) & (VersionRow.number == ScenarioRow.version)


def _save(
    session: Session, scenario: Scenario, author: str, note: str, expected: int | None
) -> Saved:
    row = session.scalar(select(ScenarioRow).where(ScenarioRow.key == key(scenario.name)))
    if row is None:
        if expected is not None:
            raise ScenarioChangedError(
                f"The scenario {_shown(scenario.name)} was removed by someone else after you "
                "chose to replace it; save again to keep yours",
                None,
            )
        row = _claim(session, key(scenario.name), scenario.name)
    elif row.hidden_at is None and expected is None:
        raise ScenarioExistsError(
            f"A scenario called {_shown(row.name)} already exists; confirm to replace it",
            row.version,
        )
    elif row.hidden_at is not None and expected is not None:
        raise ScenarioChangedError(
            f"The scenario {_shown(row.name)} was deleted by someone else after you chose to "
            "replace it; save again to keep yours",
            None,
        )
    elif expected is not None and row.version != expected:
        raise _changed(row.name, row.version)
    seen = row.version
    _swap(session, row, seen, version=seen + 1, name=scenario.name, hidden_at=None, hidden_by=None)
    created = _now()
    session.add(
        VersionRow(
            scenario_id=row.id,
            number=seen + 1,
            author=author,
            created=created,
            note=note,
            base_file=scenario.base_file,
            rationale=scenario.rationale,
            overrides=dict(sorted(scenario.overrides.items())),
            opportunity=_opportunity(scenario),
            actuals={str(year): value for year, value in sorted(scenario.actuals.items())} or None,
        )
    )
    session.flush()
    stamped = scenario.model_copy(update={"saved_at": created})
    return Saved(Version(seen + 1, author, created, note, stamped))


def _claim(session: Session, slug: str, name: str) -> ScenarioRow:
    """A new scenario row at version 0 (the save makes it 1); ScenarioExistsError if
    another process claimed the key first (PostgreSQL: its insert waited for theirs)."""
    row = ScenarioRow(key=slug, name=name, version=0)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        there = session.scalar(select(ScenarioRow).where(ScenarioRow.key == slug))
        raise ScenarioExistsError(
            f"A scenario called {_shown(name)} was just saved by someone else; confirm to "
            "replace it",
            None if there is None else there.version,
        ) from None
    return row


def _swap(session: Session, row: ScenarioRow, seen: int, **values: Any) -> None:
    """Change ``row`` only if it is still at version ``seen``: the compare-and-swap."""
    done = session.execute(
        update(ScenarioRow)
        .where(ScenarioRow.id == row.id, ScenarioRow.version == seen)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        session.expire(row)
        there = session.get(ScenarioRow, row.id)
        raise _changed(row.name, None if there is None else there.version)
    for name, value in values.items():
        setattr(row, name, value)


def _changed(name: str, there: int | None) -> ScenarioChangedError:
    return ScenarioChangedError(
        f"The scenario {_shown(name)} was changed by someone else meanwhile (it is now at "
        f"version {there}); look at it and confirm again",
        there,
    )


def _import(session: Session, folder: Path, author: str) -> Imported:
    files = ScenarioStore(folder).list()
    added, updated, unchanged = [], [], []
    for stored in files.scenarios:
        scenario = stored.scenario
        row = session.scalar(select(ScenarioRow).where(ScenarioRow.key == key(scenario.name)))
        note = f"Imported from {stored.path.name}"
        if row is None:
            _save(session, scenario, author, note, None)
            added.append(scenario.name)
        elif _content(_version_of(session, row, row.version).scenario) == _content(scenario):
            unchanged.append(scenario.name)
        else:
            _save(session, scenario, author, note, row.version if row.hidden_at is None else None)
            updated.append(scenario.name)
    return Imported(tuple(added), tuple(updated), tuple(unchanged), dict(files.unreadable))


def _content(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", exclude={"saved_at"})


def _row(session: Session, name: str) -> ScenarioRow:
    row = session.scalar(select(ScenarioRow).where(ScenarioRow.key == key(name)))
    if row is None:
        raise ScenarioNotFoundError(f"There is no saved scenario called {_shown(name)}")
    return row


def _version_of(session: Session, row: ScenarioRow, number: int) -> Version:
    found = session.execute(
        select(VersionRow.id, *_VERSION_COLUMNS).where(
            VersionRow.scenario_id == row.id, VersionRow.number == number
        )
    ).first()
    if found is None:
        raise ScenarioNotFoundError(f"The scenario {_shown(row.name)} has no version {number}")
    key = (found.id, row.name, found.created)
    with _PARSED_LOCK:
        known = _PARSED.get(key)
    if isinstance(known, Version):
        return known
    version = _version(row.name, found)  # ScenarioFileError if it is not valid
    with _PARSED_LOCK:
        _PARSED[key] = version
    return version


def _version(name: str, row: Any) -> Version:
    """A version from its columns; ScenarioFileError if what is stored no longer validates."""
    created = utc(row.created)
    try:
        scenario = Scenario.model_validate(
            {
                "name": name,
                "base_file": row.base_file,
                "rationale": row.rationale,
                "overrides": row.overrides,
                "opportunity": row.opportunity,
                "actuals": row.actuals or {},
                "saved_at": created,
            }
        )
    except ValidationError as err:
        reasons = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
            for e in err.errors()[:3]
        )
        raise ScenarioFileError(f"version {row.number} is not valid: {reasons}") from None
    return Version(row.number, row.author, created, row.note, scenario)


def _opportunity(scenario: Scenario) -> dict[str, Any] | None:
    if scenario.opportunity is None:
        return None
    return scenario.opportunity.model_dump(mode="json", exclude_defaults=True)


def recorded_author(author: str) -> str:
    """Who a change is recorded as: the name on one line, "anonymous" if there is none."""
    cleaned = " ".join(str(author).split())[:AUTHOR_LENGTH]
    return cleaned or ANONYMOUS


def _note(note: str) -> str:
    cleaned = note.strip()
    if len(cleaned) > NOTE_LENGTH:
        raise ScenarioError(f"The note is longer than {NOTE_LENGTH:,} characters")
    return cleaned


def _now() -> datetime:
    return datetime.now(UTC)


def _shown(name: str, limit: int = 40) -> str:
    return repr(name if len(name) <= limit else name[:limit] + "…")
