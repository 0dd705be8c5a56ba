"""Sections 1 and 5: the model alone, and how its cost grows with segments and paths.

Times are wall-clock milliseconds per call on the default market file, measured one call
at a time after a warm-up call. The scale curves use synthetic markets with the default
file's six dimensions, each cut into 5, 50 or 500 flat segments, so only the segment
count changes between points.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import math
from pathlib import Path
from typing import Any

import yaml

from benchmarks.stats import Row, summarize, time_calls
from market import (
    Assumptions,
    apply_actuals,
    apply_overrides,
    forecast,
    grid,
    load_assumptions,
    resolve_scenario,
    risk,
)
from market.opportunity import Opportunity, Pick, Served
from market.scenarios import ScenarioStore

__all__ = ["DEFAULT_FILE", "growth_exponents", "model_rows", "scale_rows", "synthetic_market"]

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = PROJECT / "assumptions" / "healthcare-microservices.yaml"
SHIPPED_SCENARIOS = PROJECT / "assumptions" / "scenarios"

_FULL = {
    "forecast": 2000,
    "simulate": 15,
    "sensitivity": 30,
    "bridge": 30,
    "load": 200,
    "grid": 200,
    "revenue grid": 10,
}
_QUICK = {
    "forecast": 200,
    "simulate": 2,
    "sensitivity": 2,
    "bridge": 2,
    "load": 10,
    "grid": 10,
    "revenue grid": 1,
}

SHAPES = {
    "fade -1 pp": {"growth.shape": 1.0, "growth.fade_pp": -1.0},
    "damped 0.9": {"growth.shape": 2.0, "growth.damping": 0.9},
    "logistic 5,000": {"growth.shape": 3.0, "growth.capacity": 5000.0},
}
"""The growth shapes timed on the default file (issue 24): each must keep the forecast
under 1 ms and a 10,000-path simulation under 50 ms at the median, as the constant shape."""


def shaped(a: Assumptions) -> dict[str, Assumptions]:
    """The default market under each of :data:`SHAPES`, and re-based on an actual figure."""
    found = {name: apply_overrides(a, changes) for name, changes in SHAPES.items()}
    rebased = apply_overrides(a, {**SHAPES["fade -1 pp"], "growth.rebase": 1.0})
    found["fade, 2025 actual, hold-end"] = apply_actuals(rebased, {2025: 535.64})
    return found


def model_rows(quick: bool) -> list[Row]:
    """forecast, simulate (10,000 paths), sensitivity, bridge, load + validate, and the
    two-way grid: the page's first one (7 x 7, the total), the issue's example at 21 x 21
    (CAGR against Europe's share, for Europe) and a 7 x 7 of the opportunity's revenue;
    then forecast and simulate under each growth shape (:data:`SHAPES`) and re-based on an
    actual figure."""
    n = _QUICK if quick else _FULL
    a = load_assumptions(DEFAULT_FILE)
    b = resolve_scenario(ScenarioStore(SHIPPED_SCENARIOS).load("aggressive"), a)
    europe = grid.GridSpec(
        grid.AxisSpec("growth.cagr_pct", 15, 25, 21),
        grid.AxisSpec("share.region.europe", 20, 35, 21),
        "region/europe",
    )
    plan = Opportunity(served=(Served(dimension="region", picks=(Pick(segment="europe"),)),))
    revenue = grid.GridSpec(grid.AxisSpec("growth.cagr_pct"), grid.AxisSpec(grid.TARGET_SHARE))
    revenue = dataclasses.replace(revenue, of=grid.REVENUE)
    cases = [
        ("forecast", lambda: forecast(a), n["forecast"], 1.0),
        ("simulate 10,000 paths", lambda: risk.simulate(a, paths=10_000), n["simulate"], 50.0),
        ("sensitivity (total)", lambda: risk.sensitivity(a), n["sensitivity"], None),
        ("bridge (to 'aggressive')", lambda: risk.bridge(a, b), n["bridge"], None),
        ("load + validate default file", lambda: load_assumptions(DEFAULT_FILE), n["load"], 20.0),
        (
            "two-way grid 7x7 (the page's first)",
            lambda: grid.two_way(a, grid.default_spec(a)),
            n["grid"],
            50.0,
        ),
        ("two-way grid 21x21 (Europe)", lambda: grid.two_way(a, europe), n["grid"], 400.0),
        (
            "two-way grid 7x7 (revenue)",
            lambda: grid.two_way(a, revenue, plan),
            n["revenue grid"],
            None,
        ),
    ]
    for name, shaped_a in shaped(a).items():
        cases.append((f"forecast, {name}", lambda s=shaped_a: forecast(s), n["forecast"], 1.0))
        cases.append(
            (
                f"simulate 10,000 paths, {name}",
                lambda s=shaped_a: risk.simulate(s, paths=10_000),
                n["simulate"],
                50.0,
            )
        )
    rows = []
    for name, call, count, target_ms in cases:
        row = summarize("model", name, time_calls(call, count))
        if target_ms is not None:
            row.target = f"median <= {target_ms:g} ms"
            row.met = row.median_ms <= target_ms
        rows.append(row)
    return rows


def scale_rows(quick: bool) -> list[Row]:
    """forecast and simulate as segments per dimension grow, and simulate as paths grow."""
    sizes = (5, 50) if quick else (5, 50, 500)
    path_counts = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    sim_paths = 1_000
    rows = []
    for size in sizes:
        a = synthetic_market(size)
        segments = sum(len(d.segments) for d in a.dimensions)
        rows.append(
            summarize(
                "scale",
                f"forecast, {size} segments/dimension",
                time_calls(lambda a=a: forecast(a), 10 if quick else 100),
                size=size,
                segments=segments,
                curve="forecast by segments",
            )
        )
        rows.append(
            summarize(
                "scale",
                f"simulate {sim_paths:,} paths, {size} segments/dimension",
                time_calls(lambda a=a: risk.simulate(a, paths=sim_paths), 1 if quick else 5),
                size=size,
                segments=segments,
                curve=f"simulate {sim_paths:,} paths by segments",
            )
        )
    a = load_assumptions(DEFAULT_FILE)
    # a request past the memory ceiling is refused: the largest run is the most that fits
    for paths in dict.fromkeys(risk.budgeted_paths(a, p) for p in path_counts):
        count = 1 if quick else (3 if paths >= 100_000 else 7)
        rows.append(
            summarize(
                "scale",
                f"simulate {paths:,} paths, default file",
                time_calls(lambda p=paths: risk.simulate(a, paths=p), count),
                size=paths,
                curve="simulate by paths",
            )
        )
    return rows


def growth_exponents(rows: list[Row]) -> dict[str, list[float]]:
    """For each curve, log(time ratio) / log(size ratio) between neighbouring points:
    1 means linear growth, below 1 better than linear, above 1 worse."""
    curves: dict[str, list[Row]] = {}
    for row in rows:
        curves.setdefault(row.extra["curve"], []).append(row)
    return {
        curve: [_exponent(a, b) for a, b in itertools.pairwise(points)]
        for curve, points in curves.items()
    }


def _exponent(a: Row, b: Row) -> float:
    time_ratio = b.median_ms / a.median_ms
    return round(math.log(time_ratio) / math.log(b.extra["size"] / a.extra["size"]), 2)


def synthetic_market(per_dimension: int) -> Assumptions:
    """The default market with every dimension cut into ``per_dimension`` flat segments."""
    data: dict[str, Any] = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    for dimension in data["dimensions"]:
        dimension["segments"] = [
            {
                "name": f"{dimension['name']} {i + 1}",
                "share": 1.0 + (i % 7),
                "differential_pp": ((i % 13) - 6) / 2.0,
                "provenance": "assumed",
                "rationale": "synthetic segment for the scale benchmark",
            }
            for i in range(per_dimension)
        ]
    return Assumptions.model_validate(data)
