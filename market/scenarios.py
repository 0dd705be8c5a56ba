"""Saved scenarios: a name, the assumptions file it starts from, and what it changes.

A scenario is a small YAML file in the scenarios folder (:func:`market.paths.scenarios_dir`).
It records its base file by name and only the overrides that differ from that file, in
the parameter-path vocabulary of :mod:`market.parameters`, so it stays readable and
survives edits to the base file that do not touch the numbers it changes.

The folder is shared by every session of the dashboard, so this module is careful:
- a name is checked before it becomes a file name, and the file name is a lower-case
  slug of it: ``"Base case"`` is ``base-case.yaml``, and names that differ only in case,
  spaces, ``-`` or ``_`` are the same scenario; the path is checked to lie in the folder;
- a save is atomic (:func:`market.io.write_atomically`): readers see the old file or the
  new one, never half of either; a save that fails leaves the previous file as it was;
- the folder may be shared by several server processes (replicas on one volume, a
  script): a new name is claimed with ``link(2)``, which exactly one writer wins, and
  replacing or deleting takes an ``fcntl`` lock on ``.lock`` in the folder and first
  checks that the file is still the version the user saw (:attr:`StoredScenario.version`);
- temporary files an interrupted save left behind are removed by the next save;
- only regular files are read: a FIFO or a device in the folder is listed as unreadable;
- files are read after a size check with the same hardened YAML reader as assumptions
  files (:func:`market.io.read_yaml`: safe tags, duplicate keys refused, nesting and value
  limits), and a broken file is listed as unreadable with the reason (and its line) while
  the others still load.

Every exception raised here is a :class:`ScenarioError` (a ``ValueError``) whose message
can be shown to a user as it is: it names the scenario and never a server path.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from market.assumptions import Assumptions, slugify
from market.io import (
    TEMPORARY_SUFFIX,
    AssumptionsError,
    Problem,
    field_location,
    read_yaml,
    write_atomically,
)
from market.opportunity import Opportunity

try:
    import fcntl
except ImportError:  # not POSIX: one process only, the thread lock below still holds
    fcntl = None  # type: ignore[assignment]
from market.parameter_table import Kind, spec_for_path
from market.parameters import (
    OverrideError,
    apply_actuals,
    apply_overrides,
    changed_overrides,
    entered_actuals,
)

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_SCENARIO_BYTES",
    "Scenario",
    "ScenarioChangedError",
    "ScenarioError",
    "ScenarioExistsError",
    "ScenarioFileError",
    "ScenarioListing",
    "ScenarioNameError",
    "ScenarioNotFoundError",
    "ScenarioResolveError",
    "ScenarioSaveError",
    "ScenarioStore",
    "StoredScenario",
    "check_name",
    "dump_scenario",
    "file_name",
    "fitting",
    "from_assumptions",
    "parse_scenario",
    "resolve",
]

MAX_NAME_LENGTH = 60
MAX_SCENARIO_BYTES = 256 * 1024
"""Larger files are refused unread: a scenario holds a few dozen numbers and a paragraph."""

SUFFIX = ".yaml"
_NAME_CHARS = re.compile(r"[A-Za-z0-9 _-]+")
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(10)]
)
_PATH_RE = re.compile(r"[a-z][a-z_]*(\.[a-z0-9][a-z0-9_-]*)+")
_BASE_FILE_RE = re.compile(r"[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*\.ya?ml")
_HEADER = """\
# A scenario written by the market dashboard.
# base_file is the assumptions file it starts from; overrides are only the numbers that
# differ from that file, by parameter path (growth.cagr_pct, share.<dimension>.<segment>,
# diff.<dimension>.<segment>; see market/parameters.py). opportunity, if present, holds
# the Opportunity page's choices (see market/opportunity.py); actuals, if present, the
# actual figures (year: value) typed beside the file's. Edit with care: the name
# must stay the one this file is named after.
"""


class ScenarioError(ValueError):
    """Anything that goes wrong with a scenario; the message is fit to show a user."""


class ScenarioNameError(ScenarioError):
    """A name that cannot be a scenario's: it says exactly what is wrong with it."""


class ScenarioExistsError(ScenarioError):
    """A save would replace a scenario and the caller did not say it may.

    ``version`` is the version of the file that is there (see :meth:`ScenarioStore.version`):
    pass it back as ``replaces`` once the user has confirmed replacing that file.
    """

    def __init__(self, message: str, version: str | int | None = None) -> None:
        self.version = version
        super().__init__(message)


class ScenarioChangedError(ScenarioExistsError):
    """The file to replace or delete is no longer the version the user confirmed."""


class ScenarioNotFoundError(ScenarioError):
    """No scenario of that name is saved."""


class ScenarioFileError(ScenarioError):
    """A scenario file that is there but cannot be read or is not valid."""


class ScenarioSaveError(ScenarioError):
    """The folder refused a change (permissions, read-only disk, disk full); nothing changed."""


class ScenarioResolveError(ScenarioError):
    """A scenario's overrides no longer fit its base file; ``problems`` maps path to reason."""

    def __init__(self, message: str, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(message)


def _shown(name: str, limit: int = 40) -> str:
    """A name quoted for a message, cut short so a hostile one cannot flood it."""
    return repr(name if len(name) <= limit else name[:limit] + "…")


def check_name(name: str) -> str:
    """``name`` without surrounding spaces if it may name a scenario; ScenarioNameError otherwise.

    Only ASCII letters, digits, spaces, ``-`` and ``_``, at most 60 characters, with at
    least one letter or digit and not a device name Windows reserves (``NUL``, ``COM1``):
    a name then maps to exactly one file in the folder on every operating system.
    """
    if not isinstance(name, str):
        raise ScenarioNameError(f"A scenario name must be text, not {type(name).__name__}")
    stripped = name.strip()
    if not stripped:
        raise ScenarioNameError("The scenario name is empty")
    if len(stripped) > MAX_NAME_LENGTH:
        raise ScenarioNameError(
            f"The scenario name {_shown(stripped)} is longer than {MAX_NAME_LENGTH} characters"
        )
    if not _NAME_CHARS.fullmatch(stripped):
        raise ScenarioNameError(
            f"The scenario name {_shown(stripped)} may only contain letters, digits, spaces, "
            "'-' and '_'"
        )
    if not any(c.isalnum() for c in stripped):  # else the slug would be a hash of it
        raise ScenarioNameError(
            f"The scenario name {_shown(stripped)} needs at least one letter or digit"
        )
    if slugify(stripped) in _WINDOWS_DEVICES:
        raise ScenarioNameError(
            f"The scenario name {_shown(stripped)} is reserved by Windows for a device"
        )
    return stripped


def file_name(name: str) -> str:
    """The file a scenario name is saved in: ``"Base case"`` -> ``base-case.yaml``."""
    return slugify(check_name(name)) + SUFFIX


class Scenario(BaseModel):
    """A named set of overrides on one assumptions file, with why an analyst chose them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    base_file: str = Field(description="File name of the assumptions file, in its folder.")
    rationale: str = Field("", max_length=10_000)
    overrides: dict[str, Annotated[float, Field(allow_inf_nan=False)]] = Field(
        default_factory=dict, description="Only the parameter paths that differ from base_file."
    )
    actuals: dict[int, Annotated[float, Field(gt=0, allow_inf_nan=False)]] = Field(
        default_factory=dict,
        description="Actual figures typed in the dashboard (year -> value), beyond the file's.",
    )
    opportunity: Opportunity | None = Field(
        None, description="The Opportunity page's choices when saved, if any were made."
    )
    saved_at: datetime | None = None

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str) -> str:
        return check_name(name)

    @field_validator("base_file")
    @classmethod
    def _plain_file_name(cls, name: str) -> str:
        if len(name) > 255 or not _BASE_FILE_RE.fullmatch(name):
            raise ValueError(
                f"{_shown(name)} is not the name of a .yaml file in the assumptions folder"
            )
        return name

    @field_validator("overrides", mode="before")
    @classmethod
    def _choices_by_name(cls, overrides: object) -> object:
        """A choice is written by its name (``growth.shape: fade``); the override is its
        position, as every other front end holds it (:mod:`market.parameter_table`)."""
        if not isinstance(overrides, dict):
            return overrides
        read = {}
        for path, value in overrides.items():
            spec = spec_for_path(path) if isinstance(path, str) else None
            if isinstance(value, str) and spec is not None and spec.kind is Kind.CHOICE:
                try:
                    value = spec.read(value)
                except ValueError as err:
                    raise ValueError(f"{_shown(path)}: {err}") from None
            read[path] = value
        return read

    @field_validator("overrides")
    @classmethod
    def _parameter_paths(cls, overrides: dict[str, float]) -> dict[str, float]:
        bad = [path for path in overrides if len(path) > 200 or not _PATH_RE.fullmatch(path)]
        if bad:
            raise ValueError(f"not parameter paths: {', '.join(_shown(p) for p in bad[:5])}")
        return overrides

    @property
    def file_name(self) -> str:
        return slugify(self.name) + SUFFIX


@dataclass(frozen=True)
class StoredScenario:
    scenario: Scenario
    path: Path
    version: str = ""  # the file's content hash when it was read: what "replace" checks


@dataclass(frozen=True)
class ScenarioListing:
    """What the folder holds: valid scenarios sorted by name, and broken files with reasons."""

    scenarios: tuple[StoredScenario, ...] = ()
    unreadable: dict[str, str] = field(default_factory=dict)  # file name -> reason

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.scenario.name for s in self.scenarios)


_SAVE_LOCK = threading.Lock()
"""Serialises changes in one process; the ``fcntl`` lock on :data:`LOCK_FILE` serialises
them between processes (POSIX locks belong to a process, so both are needed)."""
LOCK_FILE = ".lock"
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{12}" + re.escape(TEMPORARY_SUFFIX))


def version_of(raw: bytes, info: os.stat_result) -> str:
    """A scenario file's version: the SHA-256 of its bytes, its inode and modification time.

    Every save writes a new file, so two saves of identical text within one second (the
    resolution of ``saved_at``) are still two versions.
    """
    return f"{hashlib.sha256(raw).hexdigest()}-{info.st_ino}-{info.st_mtime_ns}"


class ScenarioStore:
    """The scenarios in one folder: list, save, load and delete them by name."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, name: str) -> Path:
        """Where scenario ``name`` lives; ScenarioNameError for a bad name or a way out."""
        path = self.folder / file_name(name)
        folder = self.folder.resolve()
        if path.resolve().parent != folder:
            raise ScenarioNameError(
                f"The scenario {_shown(name)} does not lead to a file in the scenarios folder"
            )
        return path

    def list(self) -> ScenarioListing:
        """Every ``*.yaml`` file in the folder; hidden and temporary files are never listed."""
        try:
            entries = sorted(os.scandir(self.folder), key=lambda e: e.name)
        except FileNotFoundError:
            return ScenarioListing()
        except OSError as err:
            return ScenarioListing(unreadable={".": f"the folder cannot be read ({_reason(err)})"})
        found: list[StoredScenario] = []
        unreadable: dict[str, str] = {}
        for entry in entries:
            if entry.name.startswith(".") or not entry.name.endswith(SUFFIX):
                continue
            try:
                found.append(self._stored(Path(entry.path)))
            except ScenarioFileError as err:
                unreadable[entry.name] = str(err)
        found.sort(key=lambda s: (s.scenario.name.casefold(), s.scenario.name))
        return ScenarioListing(scenarios=tuple(found), unreadable=unreadable)

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def load(self, name: str) -> Scenario:
        path = self.path(name)
        if not path.exists():
            raise ScenarioNotFoundError(f"There is no saved scenario called {_shown(name)}")
        return self._read(path)

    def version(self, name: str) -> str | None:
        """The version of the saved scenario ``name`` (a content hash), None if none is saved."""
        return _version(self.path(name))

    def save(
        self, scenario: Scenario, *, overwrite: bool = False, replaces: str | None = None
    ) -> Path:
        """Write ``scenario`` (stamped with the time) atomically; return its path.

        Without ``overwrite`` the name is claimed exclusively, against every process using
        the folder: ScenarioExistsError (carrying the version that is there) if a scenario
        of that name, in any case, is saved. With ``overwrite`` and ``replaces`` (the
        version the user saw and agreed to replace) the file is replaced only if it is still
        that version, ScenarioChangedError otherwise; ``overwrite`` alone replaces whatever
        is there (scripts). ScenarioSaveError if the folder refuses the write, in which case
        the previous file, if any, is left as it was.
        """
        path = self.path(scenario.name)
        stamped = scenario.model_copy(update={"saved_at": datetime.now(UTC).replace(microsecond=0)})
        text = dump_scenario(stamped)
        try:
            with self._locked():
                self._remove_temporaries()
                there = _version(path)
                if there is not None and not overwrite:
                    raise ScenarioExistsError(
                        f"A scenario called {_shown(self._stored_name(path))} already exists; "
                        "confirm to replace it",
                        there,
                    )
                if there is not None and replaces is not None and there != replaces:
                    raise ScenarioChangedError(
                        f"The scenario {_shown(self._stored_name(path))} was changed by someone "
                        "else after you chose to replace it; confirm again to replace the new "
                        "version",
                        there,
                    )
                if there is None:
                    return self._claim(path, text)
                return write_atomically(path, text)
        except OSError as err:
            raise ScenarioSaveError(
                f"The scenario {_shown(scenario.name)} was not saved: {_reason(err)}. "
                "Any earlier version is unchanged."
            ) from None

    def _claim(self, path: Path, text: str) -> Path:
        try:
            return write_atomically(path, text, exclusive=True)
        except FileExistsError:  # a process that does not take the lock got there first
            raise ScenarioExistsError(
                f"A scenario called {_shown(self._stored_name(path))} already exists; "
                "confirm to replace it",
                _version(path),
            ) from None

    def delete(self, name: str, *, expected: str | None = None) -> None:
        """Remove scenario ``name``; with ``expected``, only if it is still that version."""
        path = self.path(name)
        try:
            with self._locked():
                there = _version(path)
                if there is None:
                    raise ScenarioNotFoundError(f"There is no saved scenario called {_shown(name)}")
                if expected is not None and there != expected:
                    raise ScenarioChangedError(
                        f"The scenario {_shown(name)} was changed by someone else after you chose "
                        "to delete it; it was kept",
                        there,
                    )
                path.unlink()
        except FileNotFoundError:
            missing = f"There is no saved scenario called {_shown(name)}"
            raise ScenarioNotFoundError(missing) from None
        except OSError as err:
            raise ScenarioSaveError(
                f"The scenario {_shown(name)} was not deleted: {_reason(err)}"
            ) from None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold this folder's lock: other threads and other processes wait."""
        with _SAVE_LOCK:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
            try:
                if fcntl is not None:
                    fcntl.lockf(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the lock

    def _remove_temporaries(self) -> None:
        """Delete what interrupted saves left: every writer holds the lock while its
        temporary file exists, so under the lock any that remains is stale."""
        for entry in os.scandir(self.folder):
            if _TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)

    def _stored(self, path: Path) -> StoredScenario:
        raw, info = self._raw(path)
        scenario = self._checked(parse_scenario(raw), path)
        return StoredScenario(scenario, path, version_of(raw, info))

    def _read(self, path: Path) -> Scenario:
        return self._checked(parse_scenario(self._raw(path)[0]), path)

    def _raw(self, path: Path) -> tuple[bytes, os.stat_result]:
        if path.resolve().parent != self.folder.resolve():
            raise ScenarioFileError("it links to a file outside the scenarios folder")
        return _read_limited(path)

    def _checked(self, scenario: Scenario, path: Path) -> Scenario:
        if scenario.file_name != path.name:
            raise ScenarioFileError(
                f"it holds the scenario {_shown(scenario.name)}, which belongs in "
                f"{scenario.file_name}; rename the file or the scenario"
            )
        return scenario

    def _stored_name(self, path: Path) -> str:
        try:
            return self._read(path).name
        except ScenarioError:
            return path.name


def _version(path: Path) -> str | None:
    try:
        return version_of(*_read_limited(path))
    except ScenarioFileError:
        return None if not os.path.lexists(path) else "unreadable"


def _read_limited(path: Path) -> tuple[bytes, os.stat_result]:
    """At most MAX_SCENARIO_BYTES of a regular file, and its status; never waits (a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise ScenarioFileError(f"it cannot be read ({_reason(err)})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioFileError("it is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_SCENARIO_BYTES + 1)
    except OSError as err:
        raise ScenarioFileError(f"it cannot be read ({_reason(err)})") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ScenarioFileError(f"it is larger than {MAX_SCENARIO_BYTES // 1024} KB")
    return raw, info


def parse_scenario(raw: bytes | str) -> Scenario:
    """A scenario from the text of its file; ScenarioFileError naming what and where otherwise."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        _, data = read_yaml(text, "scenario")
    except UnicodeDecodeError:
        raise ScenarioFileError("it is not UTF-8 text") from None
    except AssumptionsError as err:
        raise ScenarioFileError("; ".join(_yaml_reason(p) for p in err.problems)) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        raise ScenarioFileError(f"the document is {kind}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        reasons = [
            f"{field_location(e['loc'], data)}: {e['msg'].removeprefix('Value error, ')}"
            for e in err.errors()
        ]
        raise ScenarioFileError("; ".join(reasons)) from None


class _Dumper(yaml.SafeDumper):
    """Writes text with line breaks as a ``|`` block, so a rationale reads as written."""


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def dump_scenario(scenario: Scenario) -> str:
    """The YAML text of a scenario: a header, then name, base file, rationale, overrides,
    the opportunity choices (only those that differ from the defaults), time."""
    data: dict[str, Any] = {
        "name": scenario.name,
        "base_file": scenario.base_file,
        "rationale": scenario.rationale,
        "overrides": {path: _written(path, v) for path, v in sorted(scenario.overrides.items())},
    }
    if scenario.actuals:
        data["actuals"] = dict(sorted(scenario.actuals.items()))
    if scenario.opportunity is not None:
        data["opportunity"] = scenario.opportunity.model_dump(mode="json", exclude_defaults=True)
    if scenario.saved_at is not None:
        data["saved_at"] = scenario.saved_at
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
    return _HEADER + "\n" + body


def _written(path: str, value: float) -> float | str:
    """An override as a scenario file holds it: a choice by its name, else the number."""
    spec = spec_for_path(path)
    try:
        name = None if spec is None else spec.written(value)
    except ValueError:  # not a position of a choice: the file keeps what it was given
        name = None
    return value if name is None else name


def resolve(scenario: Scenario, base: Assumptions) -> Assumptions:
    """``base`` (the scenario's base file) with the scenario's overrides and actual figures
    applied."""
    try:
        return apply_actuals(apply_overrides(base, scenario.overrides), scenario.actuals)
    except OverrideError as err:
        details = "; ".join(f"{path}: {reason}" for path, reason in err.problems.items())
        raise ScenarioResolveError(
            f"The scenario {_shown(scenario.name)} no longer fits {scenario.base_file}: {details}",
            err.problems,
        ) from None


def fitting(scenario: Scenario, base: Assumptions) -> tuple[dict[str, float], dict[str, str]]:
    """The scenario's overrides that still apply to ``base``, and those dropped with why.

    A path that no longer exists, or whose value is now out of range, is dropped; if what
    remains still makes assumptions the schema refuses (every share of a dimension zero),
    the rest is dropped with the schema's reason, so what is kept always applies.
    """
    kept = dict(scenario.overrides)
    dropped: dict[str, str] = {}
    while kept:
        try:
            apply_overrides(base, kept)
            break
        except OverrideError as err:
            named = {path: reason for path, reason in err.problems.items() if path in kept}
            if not named:
                reasons = "; ".join(f"{where}: {why}" for where, why in err.problems.items())
                dropped.update(dict.fromkeys(kept, reasons))
                kept = {}
                break
            dropped.update(named)
            kept = {path: value for path, value in kept.items() if path not in named}
    return kept, dropped


def from_assumptions(
    name: str,
    base_file: str,
    base: Assumptions,
    current: Assumptions,
    rationale: str = "",
    opportunity: Opportunity | None = None,
) -> Scenario:
    """A scenario holding what ``current`` changes relative to ``base`` (its file
    ``base_file``), and the opportunity choices if the user made any."""
    name = check_name(name)
    try:
        return Scenario(
            name=name,
            base_file=base_file,
            rationale=rationale.strip(),
            overrides=changed_overrides(base, current),
            actuals=entered_actuals(base, current),
            opportunity=opportunity,
        )
    except ValidationError as err:
        reasons = "; ".join(
            f"{field_location(e['loc'], None)}: {e['msg'].removeprefix('Value error, ')}"
            for e in err.errors()
        )
        raise ScenarioError(f"The scenario {_shown(name)} cannot be made: {reasons}") from None


_ERRNO_REASONS = {
    errno.EACCES: "the scenarios folder does not allow writing (permission denied)",
    errno.EPERM: "the scenarios folder does not allow writing (operation not permitted)",
    errno.EROFS: "the scenarios folder is on a read-only disk",
    errno.ENOSPC: "the disk holding the scenarios folder is full",
    errno.EDQUOT: "the disk quota for the scenarios folder is used up",
}


def _reason(err: OSError) -> str:
    """What went wrong, in words, without the server path that ``str(err)`` would show."""
    if err.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[err.errno]
    if isinstance(err, PermissionError):
        return _ERRNO_REASONS[errno.EACCES]
    return (err.strerror or type(err).__name__).lower()


def _yaml_reason(problem: Problem) -> str:
    where = f" at line {problem.line}" if problem.line is not None else ""
    where += f", column {problem.column}" if where and problem.column else ""
    return f"YAML error{where}: {problem.message.removeprefix('YAML syntax: ')}"
