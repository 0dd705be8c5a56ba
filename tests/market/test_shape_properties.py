"""Invariants of growth shapes and actual figures over generated markets (hypothesis).

Whatever the shape and its parameter: the horizon value is the one the CAGR alone gives,
neutral parameters give exactly the constant path, every breakdown still adds up, every
yearly rate is finite, the Monte Carlo's median follows the shaped path, and an actual
with ``hold-end`` is passed through on the way to the same horizon value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from market import Assumptions, apply_actuals, forecast
from market.model import Forecast
from market.parameters import OverrideError
from market.risk import simulate
from tests.market.test_properties import markets

PROPERTIES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

fades = st.floats(-5.0, 5.0)
dampings = st.floats(0.5, 1.5)
ceilings = st.floats(1.05, 50.0)  # the capacity as a multiple of the largest value it must pass


def _assumed(value: object) -> dict[str, Any]:
    return {"value": value, "provenance": "assumed", "rationale": "generated"}


def _horizon_value(a: Assumptions) -> float:
    span = a.years.horizon - a.years.base
    return float(a.growth.base_value.value * np.power(1.0 + a.cagr, span))


@st.composite
def shaped(draw: st.DrawFn) -> tuple[Assumptions, Assumptions]:
    """A generated market with a growth shape, and the same market growing at its CAGR."""
    plain = draw(markets())
    shape = draw(st.sampled_from(["fade", "damped", "logistic"]))
    growth = plain.growth.model_dump(mode="json")
    growth["shape"] = _assumed(shape)
    if shape == "fade":
        growth["fade_pp"] = _assumed(draw(fades))
    elif shape == "damped":
        growth["damping"] = _assumed(draw(dampings))
    else:
        highest = max(plain.growth.base_value.value, _horizon_value(plain))
        growth["capacity"] = _assumed(highest * draw(ceilings))
    try:
        a = Assumptions.model_validate({**plain.model_dump(mode="json"), "growth": growth})
    except ValidationError:
        assume(False)  # a shape the file would refuse (a year at or below -100 %)
        raise
    return a, plain


def _reconciles(f: Forecast) -> None:
    """Every sibling group adds up to its parent: the total, or its parent segment."""
    for (dimension, parent), group in f.groups.items():
        if not parent:
            whole = f.totals["value"].to_numpy()
        else:
            above, _, own = parent.rpartition(".")
            parents = f.groups[(dimension, above)]
            whole = parents.array[:, parents.ids.index(own)]
        np.testing.assert_allclose(group.array.sum(axis=1), whole, rtol=1e-9)


@PROPERTIES
@given(shaped())
def test_every_shape_keeps_the_horizon_value_of_the_cagr(pair: tuple[Assumptions, Assumptions]):
    a, plain = pair
    f = forecast(a)
    assert np.isclose(f.horizon_value, forecast(plain).horizon_value, rtol=1e-9)
    assert np.all(np.isfinite(f.totals["growth_pct"].to_numpy()[1:]))
    assert np.all(f.totals["value"].to_numpy() > 0)
    _reconciles(f)


@PROPERTIES
@given(markets(), st.sampled_from([("fade", "fade_pp", 0.0), ("damped", "damping", 1.0)]))
def test_neutral_parameters_give_exactly_the_constant_path(
    plain: Assumptions, neutral: tuple[str, str, float]
) -> None:
    shape, name, value = neutral
    growth = plain.growth.model_dump(mode="json")
    growth |= {"shape": _assumed(shape), name: _assumed(value)}
    a = Assumptions.model_validate({**plain.model_dump(mode="json"), "growth": growth})
    f, g = forecast(a), forecast(plain)
    np.testing.assert_array_equal(f.totals["value"].to_numpy(), g.totals["value"].to_numpy())
    for key, group in f.groups.items():
        np.testing.assert_array_equal(group.array, g.groups[key].array)


@PROPERTIES
@given(shaped())
def test_the_monte_carlo_without_uncertainty_is_the_shaped_path(
    pair: tuple[Assumptions, Assumptions],
) -> None:
    a, _ = pair
    sim = simulate(a, paths=50, seed=0, cagr_sd_pct=0.0, by_segment=False)
    np.testing.assert_allclose(sim.totals["p50"], forecast(a).totals["value"], rtol=1e-9)


@PROPERTIES
@given(shaped(), st.floats(0.5, 2.0), st.data())
def test_hold_end_passes_through_the_actual_and_the_horizon_value(
    pair: tuple[Assumptions, Assumptions], ratio: float, data: st.DataObject
) -> None:
    a, _ = pair
    assume(a.years.horizon - a.years.base >= 2)
    year = data.draw(st.integers(a.years.base + 1, a.years.horizon - 1))
    modelled = float(forecast(a).totals.at[year, "value"])
    growth = a.growth.model_dump(mode="json") | {"rebase": _assumed("hold-end")}
    rebased = Assumptions.model_validate({**a.model_dump(mode="json"), "growth": growth})
    try:
        with_actual = apply_actuals(rebased, {year: modelled * ratio})
    except OverrideError:
        assume(False)  # the shape cannot hold from there (an actual above the ceiling)
        raise
    f = forecast(with_actual)
    assert np.isclose(f.totals.at[year, "value"], modelled * ratio, rtol=1e-9)
    assert np.isclose(f.horizon_value, _horizon_value(a), rtol=1e-9)
    assert np.isclose(f.drifts[0].pct, (ratio - 1.0) * 100.0, rtol=1e-6, atol=1e-9)
    _reconciles(f)
