"""Cached model calls: the model is pure, so its results can be shared by every session.

Caches are keyed on the inputs (the assumptions, a file's path and modification time),
never on a session, so sharing them mixes no one's state. Results are shared objects:
every caller treats them as read-only.

Model results use ``functools.lru_cache`` rather than Streamlit's caches: assumptions are
frozen pydantic models, hashable in about 10 µs, while ``st.cache_data`` spent 2-5 ms per
call hashing and pickling, more than the sub-millisecond forecast it saved. The folder's
files are cached the same way, in :mod:`market.catalog` (keyed on their path, size and
modification time), so a rerun reads none of them again.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

import market
import market.catalog
from market import Assumptions, Forecast, Opportunity, grid, opportunity, risk
from market.catalog import Catalog
from market.grid import Grid, GridSpec
from market.opportunity import OpportunityRisk
from market.risk import Simulation

__all__ = [
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
    "two_way",
]


def catalog(folder: Path) -> Catalog:
    """The folder's files, validated (:func:`market.catalog.scan`, cached per file version)."""
    return market.catalog.scan(folder)


@functools.lru_cache(maxsize=1024)
def assumptions(
    base: Assumptions,
    overrides: tuple[tuple[str, float], ...],
    actuals: tuple[tuple[int, float], ...] = (),
) -> Assumptions:
    """``base`` with ``overrides`` and typed actual figures applied (frozen, so safe to share)."""
    return market.apply_actuals(market.apply_overrides(base, dict(overrides)), dict(actuals))


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


@functools.lru_cache(maxsize=64)
def two_way(a: Assumptions, spec: GridSpec, choices: Opportunity | None) -> Grid:
    """The Risk page's grid: computed again only when the assumptions or the grid change."""
    return grid.two_way(a, spec, choices)
