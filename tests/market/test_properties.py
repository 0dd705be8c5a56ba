"""Invariants of the forecast over randomly generated markets (hypothesis).

Whatever market a file describes, within the ranges a user can reach: every breakdown
adds up to its parent, nothing is negative or infinite, a segment with weight has value,
the base year shows the file's weights, and a higher CAGR means a bigger market.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from market import Assumptions, Forecast, apply_overrides, forecast, opportunity
from tests.conftest import examples

PROPERTIES = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

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


# --- the opportunity (market.opportunity) --------------------------------------------------


@st.composite
def opportunities(draw: st.DrawFn, a: Assumptions) -> opportunity.Opportunity:
    """Any choices a user can make for ``a``: picks (whole segments or parts, never both),
    served fractions, a share path, sometimes a shape other than linear."""
    served = []
    for dim in a.dimensions:
        if not draw(st.booleans()):
            continue
        keys = list(opportunity.segment_choices(a, dim.id))
        chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=len(keys), unique=True))
        chosen = [k for k in chosen if not any(k.startswith(o + ".") for o in chosen if o != k)]
        fractions = st.one_of(st.just(100.0), st.floats(0.1, 100.0))
        picks = tuple(opportunity.Pick(segment=k, served_pct=draw(fractions)) for k in chosen)
        served.append(opportunity.Served(dimension=dim.id, picks=picks))
    return opportunity.Opportunity(
        served=tuple(served),
        start_share_pct=draw(st.floats(0.0, 100.0)),
        target_share_pct=draw(st.floats(0.0, 100.0)),
        target_year=draw(st.integers(a.years.base + 1, a.years.horizon)),
        shape=draw(st.sampled_from(list(opportunity.Shape))),
    )


@st.composite
def markets_and_choices(draw: st.DrawFn) -> tuple[Assumptions, opportunity.Opportunity]:
    a = draw(markets())
    return a, draw(opportunities(a))


@PROPERTIES
@given(markets_and_choices())
def test_sam_never_exceeds_the_market_nor_revenue_the_sam(
    case: tuple[Assumptions, opportunity.Opportunity],
) -> None:
    a, opp = case
    frame = opportunity.plan(a, opp)
    assert (frame["sam"] >= 0).all()
    assert (frame["sam"] <= frame["market"]).all()
    # at a 100% share revenue is the SAM itself, up to the rounding of share x SAM
    assert (frame["revenue"] <= frame["sam"] * (1 + 1e-12)).all()


@PROPERTIES
@given(markets_and_choices())
def test_revenue_is_sam_times_share(case: tuple[Assumptions, opportunity.Opportunity]) -> None:
    a, opp = case
    frame = opportunity.plan(a, opp)
    np.testing.assert_allclose(
        frame["revenue"], frame["sam"] * frame["share_pct"] / 100, rtol=1e-12
    )


@PROPERTIES
@given(markets(), st.randoms(use_true_random=False))
def test_picking_every_segment_of_every_dimension_serves_the_whole_market(
    a: Assumptions, rng: Any
) -> None:
    served = []
    for dim in a.dimensions:
        ids = [s.id for s in dim.segments]
        rng.shuffle(ids)  # the order of the picks does not matter
        served.append(
            opportunity.Served(
                dimension=dim.id, picks=tuple(opportunity.Pick(segment=i) for i in ids)
            )
        )
    frame = opportunity.plan(a, opportunity.Opportunity(served=tuple(served)))
    np.testing.assert_array_equal(frame["sam"], frame["market"])


@PROPERTIES
@given(markets_and_choices())
def test_the_share_path_reaches_the_target_exactly_in_the_target_year_and_holds_it(
    case: tuple[Assumptions, opportunity.Opportunity],
) -> None:
    a, opp = case
    frame = opportunity.plan(a, opp).set_index("year")["share_pct"]
    assert frame.loc[a.years.base] == opp.start_share_pct
    assert (frame.loc[opp.target_year :] == opp.target_share_pct).all()
    low, high = sorted((opp.start_share_pct, opp.target_share_pct))
    assert ((frame >= low - 1e-9) & (frame <= high + 1e-9)).all()
    steps = np.diff(frame.to_numpy()) * np.sign(opp.target_share_pct - opp.start_share_pct)
    assert (steps >= -1e-9).all()  # moves one way only, linear or S-shaped


@PROPERTIES
@given(markets_and_choices(), st.floats(0.01, 1e6))
def test_the_goal_seek_share_reaches_the_revenue_target(
    case: tuple[Assumptions, opportunity.Opportunity], revenue: float
) -> None:
    a, opp = case
    year = opp.target_year
    sam = opportunity.plan(a, opp).set_index("year").at[year, "sam"]
    assume(not sam * (1 - 1e-9) <= revenue <= sam * (1 + 1e-9))  # the rounding sliver at 100 %
    if revenue > sam:
        with pytest.raises(opportunity.OpportunityError):
            opportunity.required_target_share_pct(a, opp, revenue, year)
        return
    share = opportunity.required_target_share_pct(a, opp, revenue, year)
    assert 0 <= share <= 100
    moved = opp.model_copy(update={"target_share_pct": share})
    reached = opportunity.plan(a, moved).set_index("year").at[year, "revenue"]
    assert math.isclose(reached, revenue, rel_tol=1e-9)
