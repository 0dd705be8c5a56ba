"""Cached model calls: the model is pure, so its results can be shared by every session.

Caches are keyed on the inputs (the assumptions, a file's path and modification time),
never on a session, so sharing them mixes no one's state. Results are shared objects:
every caller treats them as read-only.

Model results use ``functools.lru_cache`` rather than Streamlit's caches: assumptions are
frozen pydantic models, hashable in about 10 µs, while ``st.cache_data`` spent 2-5 ms per
call hashing and pickling, more than the sub-millisecond forecast it saved. Files are
cached the same way, keyed on their path, size and modification time, with room for every
file the folder may offer (:data:`MAX_FILES`), so a rerun reads none of them again.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import market
from market import Assumptions, AssumptionsError, Forecast, Opportunity, opportunity, risk
from market.opportunity import OpportunityRisk
from market.risk import Simulation

__all__ = [
    "MAX_FILES",
    "Catalog",
    "assumptions",
    "bridge",
    "catalog",
    "forecast",
    "opportunity_plan",
    "opportunity_risk",
    "required_cagr",
    "sensitivity",
    "simulate",
]


MAX_FILES = 1_000
"""The assumptions folder offers at most this many YAML files, the first by name; the
rest are neither read nor offered, and the sidebar says how many. Each file offered is
validated once per version and kept in memory (a small market takes tens of kilobytes)."""


@dataclass(frozen=True)
class Catalog:
    """The assumptions files on disk: the valid ones by name, the broken ones with their
    reasons, and how many more the folder holds than it may offer (:data:`MAX_FILES`)."""

    valid: dict[str, Assumptions] = field(default_factory=dict)
    invalid: dict[str, tuple[str, ...]] = field(default_factory=dict)
    left_out: int = 0


def catalog(folder: Path) -> Catalog:
    """The first :data:`MAX_FILES` YAML files directly in ``folder``, validated; a file is
    read again only once its size or modification time changed."""
    valid: dict[str, Assumptions] = {}
    invalid: dict[str, tuple[str, ...]] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        return Catalog(invalid={str(folder): (f"cannot read the folder: {err.strerror}",)})
    files = [e for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file()]
    for entry in files[:MAX_FILES]:
        info = entry.stat()
        result = _validated(entry.path, info.st_size, info.st_mtime_ns)
        if isinstance(result, Assumptions):
            valid[entry.name] = result
        else:
            invalid[entry.name] = result
    return Catalog(valid=valid, invalid=invalid, left_out=max(0, len(files) - MAX_FILES))


@functools.lru_cache(maxsize=2 * MAX_FILES)  # every file offered, and as many edits
def _validated(path: str, size: int, mtime_ns: int) -> Assumptions | tuple[str, ...]:
    # size and mtime_ns are part of the key: an edited file is read again.
    try:
        return market.load_assumptions(path)
    except AssumptionsError as err:
        return tuple(str(p) for p in err.problems)


@functools.lru_cache(maxsize=1024)
def assumptions(base: Assumptions, overrides: tuple[tuple[str, float], ...]) -> Assumptions:
    """``base`` with ``overrides`` applied (frozen, so safe to share)."""
    return market.apply_overrides(base, dict(overrides))


@functools.lru_cache(maxsize=1024)
def forecast(a: Assumptions) -> Forecast:
    return market.forecast(a)


@functools.lru_cache(maxsize=32)
def simulate(a: Assumptions, paths: int, seed: int = 0) -> Simulation:
    """The total's band only: no page shows the segments' percentiles."""
    return risk.simulate(a, paths=paths, seed=seed, by_segment=False)


@functools.lru_cache(maxsize=256)
def opportunity_plan(a: Assumptions, choices: Opportunity) -> pd.DataFrame:
    return opportunity.plan(a, choices, forecast(a))


@functools.lru_cache(maxsize=32)
def opportunity_risk(a: Assumptions, choices: Opportunity, paths: int) -> OpportunityRisk:
    return opportunity.simulate(a, choices, paths=paths, seed=0)


@functools.lru_cache(maxsize=64)
def required_cagr(a: Assumptions, choices: Opportunity, revenue: float, year: int) -> float:
    return opportunity.required_cagr_pct(a, choices, revenue, year)


@functools.lru_cache(maxsize=256)
def sensitivity(a: Assumptions, target: str = risk.TOTAL) -> pd.DataFrame:
    return risk.sensitivity(a, target)


@functools.lru_cache(maxsize=256)
def bridge(a: Assumptions, b: Assumptions, target: str = risk.TOTAL) -> pd.DataFrame:
    return risk.bridge(a, b, target)
