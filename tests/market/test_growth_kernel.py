"""The growth kernel: yearly rates in, values out, the same for the forecast and every path.

Every path through the years (the forecast, the Monte Carlo, the estimates' calibration)
compounds through ``market.model.grow`` along ``market.model.market_rates``; these tests
pin what the kernel means, so a later growth shape can be written against them.
"""

from __future__ import annotations

import numpy as np
import pytest

from market import Assumptions, forecast
from market.model import grow, log_growth, market_rates
from market.risk import simulate


def test_the_file_s_rates_are_its_cagr_in_every_year(default_assumptions: Assumptions) -> None:
    a = default_assumptions
    rates = market_rates(a)
    assert rates.shape == (a.years.horizon - a.years.first,)
    np.testing.assert_array_equal(rates, a.cagr)
    assert not rates.flags.writeable  # a view: nobody may change the model's rates


def test_one_cagr_per_path_gives_one_row_of_rates_per_path(
    default_assumptions: Assumptions,
) -> None:
    cagrs = np.array([0.1, 0.2, -0.05])
    rates = market_rates(default_assumptions, cagr=cagrs, start=2024, end=2031)
    assert rates.shape == (3, 7)
    np.testing.assert_array_equal(rates, np.repeat(cagrs[:, None], 7, axis=1))


def test_a_constant_rate_compounds_to_the_cagr_path() -> None:
    values = grow(100.0, np.full(7, 0.2012))
    np.testing.assert_allclose(values, 100.0 * 1.2012 ** np.arange(8), rtol=1e-14)
    assert values[0] == 100.0  # the start is kept exactly


def test_years_before_the_base_are_discounted_back_from_it() -> None:
    values = grow(100.0, np.full(5, 0.1), base=2)
    np.testing.assert_allclose(values, 100.0 * 1.1 ** np.arange(-2, 4), rtol=1e-14)
    assert values[2] == 100.0


def test_rates_that_change_each_year_compound_year_by_year() -> None:
    rates = np.array([0.5, 0.0, -0.5, 0.1])
    np.testing.assert_allclose(grow(10.0, rates), [10.0, 15.0, 15.0, 7.5, 8.25], rtol=1e-15)
    np.testing.assert_allclose(grow(15.0, rates, base=2), [10.0, 15.0, 15.0, 7.5, 8.25])


def test_paths_and_segments_grow_at_once_with_their_differentials() -> None:
    rates = np.array([[0.1, 0.1], [0.2, 0.3]])  # two paths, two years
    differential = np.array([[0.0], [0.05]])  # two segments
    values = grow(np.ones((2, 2)), rates, differential=differential)
    assert values.shape == (2, 2, 3)  # segments, paths, years
    np.testing.assert_allclose(values[1, 1], [1.0, 1.25, 1.25 * 1.35])
    np.testing.assert_allclose(values[0, 0], [1.0, 1.1, 1.21])


def test_a_fall_of_100_percent_or_more_holds_a_vanishing_value_never_a_negative_one() -> None:
    values = grow(1.0, np.array([-1.5, -1.0]))
    assert (values[1:] > 0).all()
    assert values[-1] < 1e-11


def test_out_receives_the_values_in_place_through_a_transposed_view() -> None:
    cube = np.zeros((4, 3))  # years x paths, as the Monte Carlo holds them
    rates = np.array([[0.1] * 3, [0.2] * 3, [0.3] * 3])  # paths x years
    got = grow(2.0, rates, base=1, out=cube.T)
    assert np.shares_memory(got, cube)
    np.testing.assert_allclose(cube, grow(2.0, rates, base=1).T)


@pytest.mark.parametrize("base", [0, 2, 5])
def test_growing_into_a_cube_gives_exactly_the_values_of_growing_alone(base: int) -> None:
    # The forecast grows into a new array, the Monte Carlo into its cube: a path drawn at
    # the file's CAGR must land on the forecast's values to the last bit, under any shape
    rng = np.random.default_rng(7)
    rates = rng.normal(0.1, 0.3, size=(3, 5))  # three paths, rates changing every year
    differential = np.array([[0.0], [0.04], [-0.9]])  # the last falls below -100 % some years
    start = np.array([[1.0], [2.0], [3.0]])
    alone = grow(start, rates, base, differential=differential)
    cube = np.empty((3, 6, 3))  # segments x years x paths, as the Monte Carlo holds them
    grow(start, rates, base, differential=differential, out=cube.transpose(0, 2, 1))
    np.testing.assert_array_equal(cube.transpose(0, 2, 1), alone)
    constant = np.broadcast_to(np.array([[0.2], [-0.3], [0.05]]), (3, 5))
    into = np.empty((3, 6))
    grow(5.0, constant, base, out=into)
    np.testing.assert_array_equal(into, grow(5.0, constant, base))


def test_log_growth_is_the_log_of_growth_and_stays_finite_where_values_would_not() -> None:
    rates = np.array([0.3, -0.2, 0.05, 0.5])
    np.testing.assert_allclose(np.exp(log_growth(rates, 1)), grow(1.0, rates, 1), rtol=1e-14)
    steep = np.full(200, 1e6)  # a million-fold a year: the values overflow, the logs do not
    assert np.isfinite(log_growth(steep, 100)).all()


def test_the_forecast_total_is_the_kernel_s_path_from_the_base_value(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    modelled = forecast(a).totals.loc[a.years.base :, "value"].to_numpy()
    expected = grow(a.growth.base_value.value, market_rates(a, start=a.years.base))
    np.testing.assert_array_equal(modelled, expected)


def test_paths_without_uncertainty_are_the_forecast(default_assumptions: Assumptions) -> None:
    data = default_assumptions.model_dump()
    data["uncertainty"]["cagr_sd_pct"]["value"] = 0.0
    sure = Assumptions.model_validate(data)
    run = simulate(sure, paths=50, by_segment=False)
    totals = forecast(sure).totals["value"]
    for percentile in run.totals.columns:
        np.testing.assert_array_equal(run.totals[percentile].to_numpy(), totals.to_numpy())
    assert (run.horizon_totals == totals.iloc[-1]).all()


@pytest.mark.parametrize("cagr_pct", [-60.0, 0.0, 35.0])
def test_the_forecast_s_cagr_is_the_file_s_whatever_its_sign(
    default_assumptions: Assumptions, cagr_pct: float
) -> None:
    data = default_assumptions.model_dump()
    data["growth"]["cagr_pct"]["value"] = cagr_pct
    assert forecast(Assumptions.model_validate(data)).cagr_pct == pytest.approx(cagr_pct)
