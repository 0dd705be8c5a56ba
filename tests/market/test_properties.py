"""Invariants of the forecast over randomly generated markets (hypothesis).

Whatever market a file describes, within the ranges a user can reach: every breakdown
adds up to its parent, nothing is negative or infinite, a segment with weight has value,
the base year shows the file's weights, and a higher CAGR means a bigger market.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from market import Assumptions, Forecast, apply_overrides, forecast

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cagrs = st.floats(-50.0, 100.0)
differentials = st.floats(-10.0, 10.0)
positive_weights = st.floats(1e-3, 1e3)
weights = st.one_of(st.just(0.0), positive_weights)
sizes = st.floats(1e-3, 1e6)


def _assumed(name: str, share: float, differential: float) -> dict[str, Any]:
    return {
        "name": name,
        "share": share,
        "differential_pp": differential,
        "provenance": "assumed",
        "rationale": "generated",
    }


@st.composite
def siblings(draw: st.DrawFn, prefix: str) -> list[dict[str, Any]]:
    """1-6 segments whose weights are >= 0 with at least one > 0."""
    count = draw(st.integers(1, 6))
    shares = draw(st.lists(weights, min_size=count, max_size=count))
    shares[draw(st.integers(0, count - 1))] = draw(positive_weights)  # at least one has weight
    return [_assumed(f"{prefix}{i}", share, draw(differentials)) for i, share in enumerate(shares)]


@st.composite
def dimensions(draw: st.DrawFn, index: int) -> dict[str, Any]:
    segments = draw(siblings(f"Segment {index}."))
    for segment in segments:
        if draw(st.booleans()):
            segment["segments"] = draw(siblings(f"{segment['name']}."))
    return {"name": f"Dimension {index}", "segments": segments}


@st.composite
def markets(draw: st.DrawFn) -> Assumptions:
    base = draw(st.integers(1990, 2040))
    first = base - draw(st.integers(0, 5))
    horizon = base + draw(st.integers(1, 30))
    count = draw(st.integers(1, 4))
    data = {
        "market": {
            "name": "Generated",
            "unit": "units",
            "source": {"title": "t", "publisher": "p"},
        },
        "years": {"first": first, "base": base, "horizon": horizon},
        "reported": [
            {"year": year, "value": draw(sizes), "citation": "c"} for year in range(first, base)
        ],
        "growth": {
            "base_value": {"value": draw(sizes), "provenance": "reported", "citation": "c"},
            "cagr_pct": {"value": draw(cagrs), "provenance": "assumed", "rationale": "r"},
        },
        "uncertainty": {
            "cagr_sd_pct": {"value": 2.0, "provenance": "assumed", "rationale": "r"},
            "share_concentration": {"value": 100, "provenance": "assumed", "rationale": "r"},
        },
        "dimensions": [draw(dimensions(i)) for i in range(count)],
    }
    return Assumptions.model_validate(data)


def _parent_values(f: Forecast, dimension: str, parent: str) -> np.ndarray:
    if not parent:
        return f.totals["value"].to_numpy()
    above, _, own = parent.rpartition(".")
    group = f.groups[(dimension, above)]
    return group.values.iloc[:, group.ids.index(own)].to_numpy()


@PROPERTIES
@given(markets())
def test_every_breakdown_adds_up_to_its_parent(a: Assumptions) -> None:
    f = forecast(a)
    expected_groups = sum(1 + sum(1 for s in d.segments if s.segments) for d in a.dimensions)
    assert len(f.groups) == expected_groups
    for (dimension, parent), group in f.groups.items():
        parent_values = _parent_values(f, dimension, parent)
        np.testing.assert_allclose(group.values.sum(axis=1), parent_values, rtol=1e-9)
        if (parent_values > 0).all():  # a weightless parent has no shares to speak of
            np.testing.assert_allclose(group.shares.sum(axis=1), 1.0, rtol=1e-9)


@PROPERTIES
@given(markets())
def test_values_are_finite_and_positive_where_there_is_weight(a: Assumptions) -> None:
    f = forecast(a)
    assert np.isfinite(f.totals["value"]).all()
    assert (f.totals["value"] > 0).all()
    for dim in a.dimensions:
        top = f.by(dim.id)
        for segment in dim.segments:
            _check_segment(top[segment.name], segment.share > 0)
            if segment.segments:
                subs = f.by(dim.id, segment.id)
                for sub in segment.segments:
                    _check_segment(subs[sub.name], segment.share > 0 and sub.share > 0)


def _check_segment(values: np.ndarray, weighted: bool) -> None:
    values = np.asarray(values)
    assert np.isfinite(values).all()
    assert (values > 0).all() if weighted else (values == 0).all()


@PROPERTIES
@given(markets())
def test_the_base_year_shows_the_files_weights(a: Assumptions) -> None:
    f = forecast(a)
    for dim in a.dimensions:
        w = np.array([s.share for s in dim.segments])
        np.testing.assert_allclose(
            f.by(dim.id).loc[a.years.base],
            f.totals.at[a.years.base, "value"] * w / w.sum(),
            rtol=1e-9,
        )


@PROPERTIES
@given(markets(), cagrs, cagrs)
def test_a_higher_cagr_gives_a_bigger_horizon(a: Assumptions, low: float, high: float) -> None:
    low, high = sorted((low, high))
    assume(high - low > 1e-6)
    slow = forecast(apply_overrides(a, {"growth.cagr_pct": low}))
    fast = forecast(apply_overrides(a, {"growth.cagr_pct": high}))
    assert slow.horizon_value < fast.horizon_value
    assert fast.cagr_pct > slow.cagr_pct
