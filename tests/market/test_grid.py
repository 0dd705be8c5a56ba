"""Two-way sensitivity (market.grid): every cell is the forecast with those two overrides."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from market import Assumptions, Forecast, apply_overrides, forecast, load_assumptions, opportunity
from market.grid import (
    MAX_STEPS,
    REVENUE,
    TARGET_SHARE,
    AxisSpec,
    GridSpec,
    default_spec,
    format_axis,
    format_range,
    inputs,
    outcomes,
    parse_axis,
    parse_outcome,
    parse_range,
    two_way,
)
from market.model import as_float
from market.opportunity import Opportunity, Pick, Served
from market.risk import TOTAL
from tests.conftest import WriteYaml


def _read(f: Forecast, of: str, year: int) -> float:
    """The outcome ``of`` in ``year`` as the rest of the dashboard reads it off a forecast."""
    if of == TOTAL:
        return as_float(f.totals.at[year, "value"])
    dimension, *ids = of.split("/")
    group = f.groups[(dimension, ".".join(ids[:-1]))]
    return as_float(group.values.loc[year].iloc[group.ids.index(ids[-1])])


def test_the_default_grid_is_the_cagr_against_the_base_value_for_the_total_at_the_horizon(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    grid = two_way(a, default_spec(a))
    assert (grid.rows.input.path, grid.columns.input.path) == (
        "growth.cagr_pct",
        "growth.base_value",
    )
    assert grid.values.shape == (7, 7)
    assert grid.year == a.years.horizon
    assert grid.label == f"Total market in {a.years.horizon}"
    # 7 steps across ±25 % of the current value
    assert grid.rows.values[0] == pytest.approx(20.12 * 0.75)
    assert grid.rows.values[-1] == pytest.approx(20.12 * 1.25)
    assert grid.warnings == ()


def test_the_centre_cell_is_the_current_forecast(default_assumptions: Assumptions) -> None:
    a = default_assumptions
    for of in (TOTAL, "region/europe", "component/software/ehr-systems"):
        grid = two_way(
            a, GridSpec(AxisSpec("growth.cagr_pct"), AxisSpec("share.region.europe"), of)
        )
        assert grid.current == (3, 3)
        assert grid.values[3, 3] == pytest.approx(
            _read(forecast(a), of, a.years.horizon), rel=1e-12
        )


def test_the_current_cell_is_none_when_the_current_values_lie_between_steps(
    default_assumptions: Assumptions,
) -> None:
    grid = two_way(
        default_assumptions,
        GridSpec(AxisSpec("growth.cagr_pct", 10, 30, 2), AxisSpec("growth.base_value")),
    )
    assert grid.current is None


def _axis_paths(a: Assumptions) -> list[str]:
    return list(inputs(a))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_cell_equals_the_forecast_with_those_two_overrides(
    default_assumptions: Assumptions, data: st.DataObject
) -> None:
    a = default_assumptions
    paths = _axis_paths(a)
    row, column = data.draw(
        st.lists(st.sampled_from(paths), min_size=2, max_size=2, unique=True), label="inputs"
    )
    of = data.draw(st.sampled_from(list(outcomes(a))), label="outcome")
    year = data.draw(st.integers(a.years.first, a.years.horizon), label="year")
    offered = inputs(a)

    def axis(path: str) -> AxisSpec:
        i = offered[path]
        low = data.draw(st.floats(i.low, min(i.high, i.low + 200.0)), label=f"{path} low")
        high = data.draw(st.floats(low, min(i.high, low + 200.0)), label=f"{path} high")
        return AxisSpec(path, low, high, data.draw(st.integers(1, 4), label=f"{path} steps"))

    grid = two_way(a, GridSpec(axis(row), axis(column), of, year))
    for i, r in enumerate(grid.rows.values):
        for j, c in enumerate(grid.columns.values):
            try:
                moved = apply_overrides(a, {row: r, column: c})
            except ValueError:  # every sibling's share at zero: the model refuses the pair
                assert math.isnan(grid.values[i, j])
                continue
            assert grid.values[i, j] == pytest.approx(_read(forecast(moved), of, year), rel=1e-9)


def test_ranges_outside_an_inputs_bounds_are_clamped_with_a_warning(
    default_assumptions: Assumptions,
) -> None:
    grid = two_way(
        default_assumptions,
        GridSpec(AxisSpec("growth.cagr_pct", 80, 130, 6), AxisSpec("diff.region.europe", -30, 0)),
    )
    assert grid.rows.values[0] == 80 and grid.rows.values[-1] == 100
    assert grid.columns.values[0] == -20
    assert grid.warnings == (
        "growth.cagr_pct: 80 to 130 was clamped to 80 to 100, its range",
        "diff.region.europe: -30 to 0 was clamped to -20 to 0, its range",
    )


def test_a_range_wholly_outside_the_inputs_bounds_is_refused(
    default_assumptions: Assumptions,
) -> None:
    with pytest.raises(ValueError, match="lies outside its range, -50 to 100"):
        two_way(
            default_assumptions,
            GridSpec(AxisSpec("growth.cagr_pct", 150, 200), AxisSpec("growth.base_value")),
        )


def test_a_grid_of_more_than_50_by_50_is_refused_with_the_limit(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    assert two_way(
        a, GridSpec(AxisSpec("growth.cagr_pct", steps=50), AxisSpec("growth.base_value", steps=50))
    ).values.shape == (50, 50)
    with pytest.raises(ValueError, match=f"at most {MAX_STEPS} × {MAX_STEPS} cells"):
        two_way(a, GridSpec(AxisSpec("growth.cagr_pct", steps=51), AxisSpec("growth.base_value")))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (GridSpec(AxisSpec("growth.cagr_pct"), AxisSpec("growth.cagr_pct")), "choose two inputs"),
        (GridSpec(AxisSpec("nope"), AxisSpec("growth.cagr_pct")), "unknown input 'nope'"),
        (
            GridSpec(AxisSpec("uncertainty.cagr_sd_pct"), AxisSpec("growth.cagr_pct")),
            "unknown input",
        ),
        (GridSpec(AxisSpec("growth.cagr_pct"), AxisSpec("growth.base_value"), "x"), "outcome"),
        (
            GridSpec(AxisSpec("growth.cagr_pct"), AxisSpec("growth.base_value"), TOTAL, 2040),
            "the year must lie from 2023 to 2031",
        ),
        (GridSpec(AxisSpec("growth.cagr_pct", 20, 10), AxisSpec("growth.base_value")), "down to"),
        (GridSpec(AxisSpec("growth.cagr_pct", steps=0), AxisSpec("growth.base_value")), "steps"),
        (
            GridSpec(AxisSpec("growth.cagr_pct"), AxisSpec("growth.base_value"), REVENUE),
            "unknown outcome 'revenue'",
        ),
    ],
)
def test_what_cannot_be_built_is_refused_in_one_line(
    default_assumptions: Assumptions, spec: GridSpec, message: str
) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        two_way(default_assumptions, spec)
    assert "\n" not in str(caught.value)


def test_reaching_a_target_marks_the_cells_at_or_above_it(default_assumptions: Assumptions) -> None:
    a = default_assumptions
    target = float(two_way(a, default_spec(a)).values[3, 3])
    grid = two_way(a, replace(default_spec(a), target=target))
    reached = grid.reaching()
    assert reached[3, 3] and reached[-1, -1] and not reached[0, 0]
    assert (reached == (grid.values >= target)).all()
    assert not two_way(a, default_spec(a)).reaching().any()
    with pytest.raises(ValueError, match="the target must be a positive number"):
        two_way(a, replace(default_spec(a), target=-1.0))


def test_the_long_frame_holds_both_inputs_and_the_outcome(default_assumptions: Assumptions) -> None:
    grid = two_way(
        default_assumptions,
        GridSpec(AxisSpec("growth.cagr_pct", 15, 25, 11), AxisSpec("share.region.europe", 20, 35)),
    )
    frame = grid.frame()
    assert list(frame.columns) == ["row_value", "column_value", "value"]
    assert len(frame) == 11 * 7
    first = frame.iloc[0]
    assert (first["row_value"], first["column_value"]) == (15, 20)
    assert first["value"] == grid.values[0, 0]
    assert grid.overrides(0, 6) == {"growth.cagr_pct": 15, "share.region.europe": 35}


_OPPORTUNITY = Opportunity(
    served=(Served(dimension="region", picks=(Pick(segment="europe"),)),),
    start_share_pct=1.0,
    target_share_pct=5.0,
)


def test_the_opportunitys_target_share_and_revenue_are_offered_only_with_an_opportunity(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    assert TARGET_SHARE not in inputs(a) and REVENUE not in outcomes(a)
    assert TARGET_SHARE in inputs(a, _OPPORTUNITY) and REVENUE in outcomes(a, _OPPORTUNITY)


def test_each_revenue_cell_is_the_plan_with_those_two_choices(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    spec = GridSpec(
        AxisSpec(TARGET_SHARE, 2, 8, 4), AxisSpec("growth.cagr_pct", 15, 25, 3), REVENUE
    )
    grid = two_way(a, spec, _OPPORTUNITY)
    for i, share in enumerate(grid.rows.values):
        for j, cagr in enumerate(grid.columns.values):
            moved = apply_overrides(a, {"growth.cagr_pct": cagr})
            choices = _OPPORTUNITY.model_copy(update={"target_share_pct": share})
            frame = opportunity.plan(moved, choices).set_index("year")
            assert grid.values[i, j] == pytest.approx(frame.at[a.years.horizon, "revenue"])
    # the target share does not move the market: a market outcome is the same down each column
    market = two_way(a, GridSpec(spec.rows, spec.columns, TOTAL), _OPPORTUNITY)
    assert np.allclose(market.values, market.values[0])


def test_the_command_lines_forms_read_back() -> None:
    assert parse_axis("growth.cagr_pct=15:25:11") == AxisSpec("growth.cagr_pct", 15, 25, 11)
    assert parse_axis("share.region.europe=20:35") == AxisSpec("share.region.europe", 20, 35)
    assert parse_axis("growth.base_value") == AxisSpec("growth.base_value")
    assert parse_outcome("total@2031") == (TOTAL, 2031)
    assert parse_outcome("region/europe") == ("region/europe", None)
    for bad in ("growth.cagr_pct=15", "x=a:b", "=1:2"):
        with pytest.raises(ValueError, match="PATH=LOW:HIGH"):
            parse_axis(bad)
    with pytest.raises(ValueError, match="whole number"):
        parse_outcome("total@soon")


def test_a_pair_the_model_refuses_is_an_empty_cell(
    small_market: dict[str, Any], write_yaml: WriteYaml
) -> None:
    a = load_assumptions(write_yaml(small_market))
    grid = two_way(
        a,
        GridSpec(
            AxisSpec("share.customer.commuters", 0, 3, 2),
            AxisSpec("share.customer.sport", 0, 1, 2),
            "customer/sport",
        ),
    )
    assert math.isnan(grid.values[0, 0])  # both at zero: no market to share out
    assert not np.isnan(grid.values[1:, :]).any() and not np.isnan(grid.values[:, 1:]).any()


@pytest.mark.parametrize(
    "axis",
    [
        AxisSpec("growth.cagr_pct"),
        AxisSpec("growth.cagr_pct", 15, 25, 11),
        AxisSpec("share.region.europe", None, 35.5),
        AxisSpec("growth.base_value", 0.1 + 0.2, None, 50),
        AxisSpec("diff.region.europe", steps=3),
    ],
)
def test_an_axis_written_out_reads_back_the_same(axis: AxisSpec) -> None:
    assert parse_axis(format_axis(axis)) == axis
    assert parse_range(axis.path, format_range(axis)) == axis


def test_a_plan_the_pair_cannot_make_is_an_empty_cell(default_assumptions: Assumptions) -> None:
    """Anchored to a revenue, the starting share is revenue / SAM: a SAM below the revenue
    makes no plan (the Opportunity page says so), and its cell stays empty."""
    a = default_assumptions
    sam_2024 = 457.6 * 0.27  # Europe's share of the base-year market
    anchored = _OPPORTUNITY.model_copy(update={"current_revenue": sam_2024 * 0.9})
    spec = GridSpec(AxisSpec("share.region.europe", 10, 40, 4), AxisSpec(TARGET_SHARE), REVENUE)
    grid = two_way(a, spec, anchored)
    assert np.isnan(grid.values[0]).all()  # Europe at weight 10: a SAM below the revenue
    assert not np.isnan(grid.values[-1]).any()
