"""The assumptions files in a folder: which are valid, and why the others are not.

One scan for every front end: the dashboard's file selector and the HTTP API offer the same
files under the same names (a file's name in its folder, ``coffee.yaml``), so a share link
names the same file in both. Each file is validated once per version (its modification
time is part of the key).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from market.assumptions import Assumptions
from market.io import AssumptionsError, load_assumptions

__all__ = ["Catalog", "Validated", "checked", "scan", "validated"]

Validated = Callable[[str, int], "Assumptions | tuple[str, ...]"]
"""A file's assumptions, or its problems, given its path and modification time (ns)."""


@dataclass(frozen=True)
class Catalog:
    """The assumptions files on disk: the valid ones by name, the broken ones with their reasons."""

    valid: dict[str, Assumptions] = field(default_factory=dict)
    invalid: dict[str, tuple[str, ...]] = field(default_factory=dict)


def checked(path: str) -> Assumptions | tuple[str, ...]:
    """The file's assumptions, or its problems, one line each."""
    try:
        return load_assumptions(path)
    except AssumptionsError as err:
        return tuple(str(p) for p in err.problems)


@functools.lru_cache(maxsize=256)
def validated(path: str, mtime_ns: int) -> Assumptions | tuple[str, ...]:
    """:func:`checked`, cached; ``mtime_ns`` is part of the key, so an edited file is read
    again."""
    return checked(path)


def scan(folder: Path, read: Validated = validated) -> Catalog:
    """Every YAML file directly in ``folder``, each read with ``read`` (cached per version)."""
    valid: dict[str, Assumptions] = {}
    invalid: dict[str, tuple[str, ...]] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        return Catalog(invalid={str(folder): (f"cannot read the folder: {err.strerror}",)})
    for entry in entries:
        if not entry.name.endswith((".yaml", ".yml")) or not entry.is_file():
            continue
        result = read(entry.path, entry.stat().st_mtime_ns)
        if isinstance(result, Assumptions):
            valid[entry.name] = result
        else:
            invalid[entry.name] = result
    return Catalog(valid=valid, invalid=invalid)
