"""The crosstab spreads the market over two dimensions and still adds up to it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.crosstab import crosstab
from market.io import load_assumptions
from market.model import Forecast, forecast
from market.parameters import apply_overrides
from market.paths import default_assumptions
from tests.conftest import examples


@pytest.fixture(scope="module")
def f() -> Forecast:
    return forecast(load_assumptions(default_assumptions()))


def test_rows_and_columns_are_the_two_dimensions_segments(f: Forecast) -> None:
    table = crosstab(f, "region", "deployment", 2031)
    assert list(table.index) == list(f.by("region").columns)
    assert list(table.columns) == list(f.by("deployment").columns)
    assert (table.index.name, table.columns.name) == ("region", "deployment")


def test_table_reconciles_with_total_rows_and_columns(f: Forecast) -> None:
    table = crosstab(f, "region", "deployment", 2031)
    assert table.to_numpy().sum() == pytest.approx(f.totals.at[2031, "value"])
    np.testing.assert_allclose(table.sum(axis=1), f.by("region").loc[2031])
    np.testing.assert_allclose(table.sum(axis=0), f.by("deployment").loc[2031])


def test_independence_gives_every_row_the_column_dimensions_mix(f: Forecast) -> None:
    table = crosstab(f, "region", "deployment", 2031)
    mix = f.by("deployment").loc[2031] / f.totals.at[2031, "value"]
    for region in table.index:
        row = table.loc[region]
        np.testing.assert_allclose(row / row.sum(), mix)


def test_crossing_a_dimension_with_itself_is_refused(f: Forecast) -> None:
    with pytest.raises(ValueError, match="itself"):
        crosstab(f, "region", "region", 2031)


def test_unknown_dimension_and_year_name_the_problem(f: Forecast) -> None:
    with pytest.raises(KeyError, match="no dimension 'colour'"):
        crosstab(f, "colour", "region", 2031)
    with pytest.raises(KeyError, match="no year 2040"):
        crosstab(f, "region", "deployment", 2040)


@settings(max_examples=examples(25), deadline=None)
@given(
    cagr=st.floats(min_value=-30, max_value=60),
    hospitals=st.floats(min_value=0, max_value=100),
    europe=st.floats(min_value=0, max_value=100),
    year=st.integers(min_value=2023, max_value=2031),
)
def test_any_assumptions_reconcile(cagr: float, hospitals: float, europe: float, year: int) -> None:
    a = apply_overrides(
        load_assumptions(default_assumptions()),
        {
            "growth.cagr_pct": cagr,
            "share.end-user.hospitals": hospitals,
            "share.region.europe": europe,
        },
    )
    g = forecast(a)
    table = crosstab(g, "end-user", "region", year)
    assert table.to_numpy().sum() == pytest.approx(g.totals.at[year, "value"])
    np.testing.assert_allclose(table.sum(axis=1), g.by("end-user").loc[year])
    assert (table.to_numpy() >= 0).all()
