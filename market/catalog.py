"""The assumptions files in a folder: which are valid, and why the others are not.

One scan for every front end: the dashboard's file selector and the HTTP API offer the same
files under the same names (a file's name in its folder, ``coffee.yaml``), so a share link
names the same file in both. Each file is validated once per version (its size and
modification time are part of the key), with room in the cache for every file a folder may
offer (:data:`MAX_FILES`): past the 256 entries it once held, every full rerun of a page
read the whole folder again (issue 23).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from market.assumptions import Assumptions
from market.io import AssumptionsError, load_assumptions

__all__ = ["MAX_FILES", "Catalog", "Validated", "checked", "scan", "validated"]

MAX_FILES = 1_000
"""A folder offers at most this many YAML files, the first by name; the rest are neither
read nor offered, and :attr:`Catalog.left_out` counts them. Each file offered is validated
once per version and kept in memory (a small market takes tens of kilobytes)."""

Validated = Callable[[str, int, int], "Assumptions | tuple[str, ...]"]
"""A file's assumptions, or its problems, given its path, size and modification time (ns)."""


@dataclass(frozen=True)
class Catalog:
    """The assumptions files on disk: the valid ones by name, the broken ones with their
    reasons, and how many more the folder holds than it may offer (:data:`MAX_FILES`)."""

    valid: dict[str, Assumptions] = field(default_factory=dict)
    invalid: dict[str, tuple[str, ...]] = field(default_factory=dict)
    left_out: int = 0


def checked(path: str) -> Assumptions | tuple[str, ...]:
    """The file's assumptions, or its problems, one line each."""
    try:
        return load_assumptions(path)
    except AssumptionsError as err:
        return tuple(str(p) for p in err.problems)


@functools.lru_cache(maxsize=2 * MAX_FILES)  # every file offered, and as many edits
def validated(path: str, size: int, mtime_ns: int) -> Assumptions | tuple[str, ...]:
    """:func:`checked`, cached; ``size`` and ``mtime_ns`` are part of the key, so an edited
    file is read again."""
    return checked(path)


def scan(folder: Path, read: Validated = validated) -> Catalog:
    """The first :data:`MAX_FILES` YAML files directly in ``folder`` by name, each read with
    ``read`` (cached per version)."""
    valid: dict[str, Assumptions] = {}
    invalid: dict[str, tuple[str, ...]] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        return Catalog(invalid={str(folder): (f"cannot read the folder: {err.strerror}",)})
    files = [e for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file()]
    for entry in files[:MAX_FILES]:
        info = entry.stat()
        result = read(entry.path, info.st_size, info.st_mtime_ns)
        if isinstance(result, Assumptions):
            valid[entry.name] = result
        else:
            invalid[entry.name] = result
    return Catalog(valid=valid, invalid=invalid, left_out=max(0, len(files) - MAX_FILES))
