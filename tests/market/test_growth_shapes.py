"""Growth shapes: the CAGR keeps its meaning (base to horizon), a shape only spreads it.

The worked examples are issue 24's, on the default file; each must match to 0.1.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from market import (
    Assumptions,
    AssumptionsError,
    apply_overrides,
    estimates,
    forecast,
    parse_assumptions,
)
from market.grid import AxisSpec, GridSpec, inputs, two_way
from market.growth_shapes import GrowthShape, Spread, spread
from market.io import dump_assumptions
from market.model import goal_seek, market_rates
from market.parameters import OverrideError, parameter_index, unused_paths
from market.query import decode
from market.risk import bridge, simulate

CONSTANT = [389.3, 457.6, 549.7, 660.3, 793.1, 952.7, 1144.4, 1374.6, 1651.2]
FADE_MINUS_1 = [563.5, 688.2, 833.7, 1001.6, 1193.2, 1409.6, 1651.2]
LOGISTIC_5000 = [561.1, 684.4, 829.8, 998.9, 1192.6, 1410.6, 1651.2]


def shaped(a: Assumptions, **overrides: float | str) -> Assumptions:
    """``a`` with growth overrides given by their last path part (``shape="fade"``)."""
    index = parameter_index(a)
    values = {}
    for name, value in overrides.items():
        p = index[f"growth.{name}"]
        values[p.path] = float(p.choices.index(value)) if isinstance(value, str) else value
    return apply_overrides(a, values)


def values_from_base(a: Assumptions) -> list[float]:
    return forecast(a).totals["value"].loc[a.years.base + 1 :].tolist()


def test_the_default_shape_is_constant_and_changes_nothing(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    assert a.growth.shape.value == "constant"
    np.testing.assert_allclose(forecast(a).totals["value"], CONSTANT, atol=0.1)


def test_a_fade_of_minus_one_point_a_year(default_assumptions: Assumptions) -> None:
    a = shaped(default_assumptions, shape="fade", fade_pp=-1.0)
    np.testing.assert_allclose(values_from_base(a), FADE_MINUS_1, atol=0.1)
    growth = forecast(a).totals["growth_pct"].loc[2025:].to_numpy()
    assert round(growth[0], 1) == 23.1 and round(growth[-1], 1) == 17.1
    np.testing.assert_allclose(np.diff(growth), -1.0, atol=1e-9)  # one point less each year


def test_a_logistic_curve_under_a_ceiling_of_5000(default_assumptions: Assumptions) -> None:
    a = shaped(default_assumptions, shape="logistic", capacity=5000.0)
    np.testing.assert_allclose(values_from_base(a), LOGISTIC_5000, atol=0.1)


def test_a_file_without_a_capacity_gets_a_round_one_above_three_times_its_horizon(
    default_assumptions: Assumptions,
) -> None:
    capacity = default_assumptions.growth.capacity
    assert capacity is not None and capacity.value == 5000.0  # 3 x 1,651.2 rounded up
    assert capacity.provenance.value == "assumed"
    # moving the CAGR does not move it: it is worked out once, when the file is read
    moved = apply_overrides(default_assumptions, {"growth.cagr_pct": 30.0})
    assert moved.growth.capacity == capacity


@pytest.mark.parametrize(
    ("overrides", "horizon_rate"),
    [
        ({"shape": "damped", "damping": 0.9}, None),
        ({"shape": "fade", "fade_pp": 2.5}, None),
        ({"shape": "logistic", "capacity": 1700.0}, None),
    ],
)
def test_every_shape_keeps_the_horizon_value_of_the_cagr(
    default_assumptions: Assumptions, overrides: dict[str, Any], horizon_rate: None
) -> None:
    a = shaped(default_assumptions, **overrides)
    f = forecast(a)
    assert f.horizon_value == pytest.approx(forecast(default_assumptions).horizon_value, rel=1e-12)
    assert f.cagr_pct == pytest.approx(20.12, abs=1e-9)
    assert not np.allclose(f.totals["growth_pct"].loc[2025:], 20.12)  # but spread otherwise


def test_neutral_shape_parameters_give_exactly_the_constant_path(
    default_assumptions: Assumptions,
) -> None:
    constant = forecast(default_assumptions).totals["value"].to_numpy()
    for neutral in ({"shape": "fade", "fade_pp": 0.0}, {"shape": "damped", "damping": 1.0}):
        shaped_values = forecast(shaped(default_assumptions, **neutral)).totals["value"]
        np.testing.assert_array_equal(shaped_values.to_numpy(), constant)


def test_each_monte_carlo_path_spreads_its_own_cagr(default_assumptions: Assumptions) -> None:
    a = shaped(default_assumptions, shape="fade", fade_pp=-1.0)
    cagrs = np.array([0.05, 0.2012, 0.4])
    rates = market_rates(a, cagr=cagrs, start=2024, end=2031)
    np.testing.assert_allclose(np.prod(1 + rates, axis=-1), (1 + cagrs) ** 7, rtol=1e-12)
    np.testing.assert_allclose(np.diff(rates, axis=-1), -0.01, atol=1e-12)


def test_the_simulation_s_median_follows_the_shaped_path(default_assumptions: Assumptions) -> None:
    a = shaped(default_assumptions, shape="logistic", capacity=5000.0)
    sim = simulate(a, paths=4000, seed=1)
    median = sim.totals["p50"].loc[2025:].to_numpy()
    np.testing.assert_allclose(median, LOGISTIC_5000, rtol=0.01)


def test_goal_seek_inverts_the_shaped_path(default_assumptions: Assumptions) -> None:
    a = shaped(default_assumptions, shape="fade", fade_pp=-1.0)
    needed = goal_seek(a, 1000.0, 2028)
    assert needed != pytest.approx(goal_seek(default_assumptions, 1000.0, 2028), abs=1e-3)
    reached = forecast(apply_overrides(a, {"growth.cagr_pct": needed})).totals.at[2028, "value"]
    assert reached == pytest.approx(1000.0, rel=1e-9)
    # in the horizon year every shape keeps what the CAGR alone gives
    assert goal_seek(a, 2000.0, 2031) == pytest.approx(
        goal_seek(default_assumptions, 2000.0, 2031), rel=1e-12
    )


def test_goal_seek_says_when_a_ceiling_stops_the_target(default_assumptions: Assumptions) -> None:
    a = shaped(default_assumptions, shape="logistic", capacity=5000.0)
    with pytest.raises(ValueError, match="logistic ceiling of 5,000"):
        goal_seek(a, 6000.0, 2028)


def _with_growth(text: str, block: str) -> str:
    return text.replace("\nuncertainty:\n", f"\n{block}\nuncertainty:\n", 1)


def test_the_file_refuses_a_ceiling_below_the_horizon_with_its_line(default_path) -> None:
    text = _with_growth(
        default_path.read_text(encoding="utf-8"),
        "  shape:\n    value: logistic\n    provenance: assumed\n    rationale: levels off\n"
        "  capacity:\n    value: 1500\n    provenance: assumed\n    rationale: a guess\n",
    )
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(text)
    [problem] = err.value.problems
    assert problem.location == "growth.capacity"
    line = text.splitlines().index("    value: 1500") + 1  # where the capacity's mapping starts
    assert (problem.line, problem.column) == (line, 5)
    assert "growth.capacity" in problem.message and "horizon value (1,651.18)" in problem.message


def test_a_fade_that_needs_a_year_below_minus_100_is_refused(small_market) -> None:
    small_market["years"] = {"first": 2000, "base": 2000, "horizon": 2150}
    small_market["reported"] = []
    small_market["growth"]["shape"] = {"value": "fade", "provenance": "assumed", "rationale": "r"}
    small_market["growth"]["fade_pp"] = {"value": -5, "provenance": "assumed", "rationale": "r"}
    with pytest.raises(ValueError, match=r"growth\.fade_pp.*at or below -100 %"):
        Assumptions.model_validate(small_market)


def test_a_cagr_the_shape_cannot_spread_stops_at_the_edge_without_an_error() -> None:
    # The file's own CAGR holds (it is checked on load), but calibration and goal seek try
    # other CAGRs: +2.4 points a year over 149 years needs a first year below -100 % to
    # average 0 %. The first factor goes to the edge, as close to 0 as a float gets
    # (the kernel holds such a year at a vanishing size), one CAGR or many alike
    how = Spread(GrowthShape.FADE, fade=0.024)
    for cagr in (0.0, -0.5):
        one = spread(how, cagr, 149)
        many = spread(how, np.array([cagr, 0.85]), 149)
        assert np.isfinite(one).all() and np.isfinite(many).all()
        assert one[0] == pytest.approx(-1.0, abs=1e-12)
        np.testing.assert_array_equal(one, many[0])
    # where it can, the same spread still keeps the CAGR's end value
    held = spread(how, 0.85, 149)
    assert np.log1p(held).sum() == pytest.approx(149 * np.log(1.85), rel=1e-12)


def test_a_slider_and_a_link_refuse_an_impossible_shape_naming_it(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    with pytest.raises(OverrideError) as err:
        apply_overrides(a, {"growth.shape": 3.0, "growth.capacity": 1000.0})
    assert list(err.value.problems) == ["growth.capacity"]
    name = "healthcare-microservices.yaml"
    decoded = decode({"shape": "logistic", "cap": "1000"}, [name], lambda _: a)
    assert decoded.overrides == {"growth.shape": 3.0}
    assert decoded.warnings == (
        "cap: not applied with the others (the logistic ceiling (growth.capacity, 1,000) "
        "must lie above the horizon value (1,651.18))",
    )
    assert decode({"shape": "curvy"}, [name], lambda _: a).warnings == (
        "shape: 'curvy' is not one of constant, fade, damped, logistic",
    )


def test_a_shaped_file_round_trips_through_yaml(default_assumptions: Assumptions) -> None:
    a = shaped(default_assumptions, shape="damped", damping=0.85)
    again = parse_assumptions(dump_assumptions(a))
    assert again == a
    assert "value: damped" in dump_assumptions(a)


def test_the_bridge_attributes_a_shape_change_as_one_step(
    default_assumptions: Assumptions,
) -> None:
    b = apply_overrides(
        default_assumptions,
        {"growth.cagr_pct": 18.0, "growth.shape": 1.0, "growth.fade_pp": -1.0},
    )
    steps = bridge(default_assumptions, b, "region/europe")
    moved = steps[steps["kind"] == "step"]
    assert list(moved["label"]) == ["CAGR", "Growth shape: constant → fade (-1 pp a year)"]
    assert moved["path"].iloc[1] == "growth.shape"
    assert moved["value"].iloc[1] != 0.0  # the mix shifts along the shaped rates
    assert moved["value"].sum() == pytest.approx(
        steps["value"].iloc[-1] - steps["value"].iloc[0], rel=1e-12
    )
    total = bridge(default_assumptions, b)  # the horizon total: the shape moves it not at all
    assert total[total["path"] == "growth.shape"]["value"].iloc[0] == pytest.approx(0, abs=1e-9)


def test_a_shape_s_own_parameters_are_unused_under_another_shape(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    assert unused_paths(a) == {
        "growth.fade_pp",
        "growth.damping",
        "growth.capacity",
        "growth.rebase",
    }
    faded = shaped(a, shape="fade", fade_pp=-1.0)
    assert unused_paths(faded) == {"growth.damping", "growth.capacity", "growth.rebase"}


@pytest.mark.parametrize("target", ["360iresearch-2024-2032", "360iresearch-2026-2032", "median"])
def test_calibration_runs_the_shaped_path_through_both_figures(
    default_assumptions: Assumptions, target: str
) -> None:
    """The 2032 figure lies past the horizon and the 2026 edition starts in 2025: the fade
    carries on past the horizon, and the CAGR is the one that still meets both figures."""
    a = shaped(default_assumptions, shape="fade", fade_pp=-1.0)
    cal = estimates.calibration(a, target)
    calibrated = apply_overrides(a, cal.overrides)
    (y0, v0), (y1, v1) = cal.start, cal.end
    rates = market_rates(calibrated, start=2024, end=y1)
    path = cal.base_value * np.cumprod(np.r_[1.0, 1.0 + rates])
    assert path[y0 - 2024] == pytest.approx(v0, abs=0.03)
    assert path[y1 - 2024] == pytest.approx(v1, abs=0.03)
    assert estimates.followed(calibrated, a).target == target


def test_a_grid_under_a_logistic_shape_is_the_forecast_of_each_cell(
    default_assumptions: Assumptions,
) -> None:
    """The logistic curve depends on the base value: each cell of a grid varying it grows
    from its own, as the forecast with that override would."""
    a = shaped(default_assumptions, shape="logistic", capacity=5000.0)
    spec = GridSpec(
        AxisSpec("growth.base_value", 400, 500, 3), AxisSpec("growth.cagr_pct", 15, 25, 3)
    )
    grid = two_way(a, replace(spec, year=2027))
    for i, base in enumerate(grid.rows.values):
        for j, cagr in enumerate(grid.columns.values):
            moved = apply_overrides(a, {"growth.base_value": base, "growth.cagr_pct": cagr})
            assert grid.values[i, j] == pytest.approx(forecast(moved).totals.at[2027, "value"])
    assert "growth.shape" not in inputs(a) and "growth.capacity" not in inputs(a)
