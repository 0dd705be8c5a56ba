"""Actual figures: a newer year's market size, its drift from the model, and re-basing on it.

The worked example is issue 24's: 360iResearch's 2026 edition starts from USD 535.64M in
2025, against the default file's modelled 549.7M.
"""

from __future__ import annotations

import numpy as np
import pytest

from market import (
    Assumptions,
    AssumptionsError,
    apply_actuals,
    apply_overrides,
    forecast,
    parse_assumptions,
)
from market.model import goal_seek, implied_cagr_pct
from market.parameters import ENTERED_ACTUAL, OverrideError, entered_actuals
from market.query import decode, encode
from market.risk import bridge, simulate
from market.scenarios import Scenario, dump_scenario, from_assumptions, parse_scenario, resolve
from market.summary import actuals_statement

FILE = "healthcare-microservices.yaml"
HOLD_END, HOLD_GROWTH = 1.0, 2.0  # growth.rebase's choices: none, hold-end, hold-growth


@pytest.fixture
def with_actual(default_assumptions: Assumptions) -> Assumptions:
    return apply_actuals(default_assumptions, {2025: 535.64})


def rebased(a: Assumptions, how: float) -> Assumptions:
    return apply_overrides(a, {"growth.rebase": how})


def test_the_drift_is_the_actual_against_the_modelled_value(with_actual: Assumptions) -> None:
    f = forecast(with_actual)
    [drift] = f.drifts
    assert (drift.year, drift.actual, round(drift.modelled, 1)) == (2025, 535.64, 549.7)
    assert round(drift.pct, 2) == -2.55 and round(drift.amount, 1) == -14.0
    # without re-basing the forecast stays as it was
    assert f.totals.at[2025, "value"] == pytest.approx(549.66912)
    text = actuals_statement(with_actual, f, lambda v: f"{v:,.1f}")
    assert "the 2025 actual of 535.6 (Entered by the analyst) is -2.55% (-14.0)" in text
    assert "Re-basing: none" in text


def test_hold_end_runs_through_the_actual_to_the_horizon_value(with_actual: Assumptions) -> None:
    a = rebased(with_actual, HOLD_END)
    f = forecast(a)
    assert f.totals.at[2025, "value"] == pytest.approx(535.64, rel=1e-12)
    assert f.horizon_value == pytest.approx(forecast(with_actual).horizon_value, rel=1e-12)
    rate = float(implied_cagr_pct(535.64, f.horizon_value, 2031 - 2025))
    assert round(rate, 2) == 20.64
    np.testing.assert_allclose(f.totals["growth_pct"].loc[2026:], rate, rtol=1e-9)
    # the drift is still measured against the model before re-basing
    assert round(f.drifts[0].pct, 2) == -2.55


def test_hold_growth_runs_through_the_actual_at_the_model_s_rates(
    with_actual: Assumptions,
) -> None:
    f = forecast(rebased(with_actual, HOLD_GROWTH))
    assert f.totals.at[2025, "value"] == pytest.approx(535.64, rel=1e-12)
    assert f.horizon_value == pytest.approx(1609.1, abs=0.1)
    np.testing.assert_allclose(f.totals["growth_pct"].loc[2026:], 20.12, rtol=1e-9)


def test_segments_follow_the_rebased_total(with_actual: Assumptions) -> None:
    f = forecast(rebased(with_actual, HOLD_END))
    for group in f.groups.values():
        if not group.parent:
            np.testing.assert_allclose(group.array.sum(axis=1), f.totals["value"], rtol=1e-12)


def test_every_simulated_path_passes_through_the_actual(with_actual: Assumptions) -> None:
    sim = simulate(rebased(with_actual, HOLD_END), paths=2000, seed=3)
    band = sim.totals.loc[2025]
    np.testing.assert_allclose(band.to_numpy(), 535.64, rtol=1e-9)
    assert sim.totals.at[2031, "p95"] > sim.totals.at[2031, "p5"]


def test_goal_seek_knows_a_year_the_actuals_fix(with_actual: Assumptions) -> None:
    a = rebased(with_actual, HOLD_END)
    with pytest.raises(ValueError, match="follows the actual figures"):
        goal_seek(a, 600.0, 2025)
    needed = goal_seek(a, 1000.0, 2028)
    got = forecast(apply_overrides(a, {"growth.cagr_pct": needed})).totals.at[2028, "value"]
    assert got == pytest.approx(1000.0, rel=1e-9)


def test_an_actual_outside_the_forecast_is_refused_naming_it(
    default_assumptions: Assumptions,
) -> None:
    with pytest.raises(OverrideError) as err:
        apply_actuals(default_assumptions, {2024: 500.0})
    assert list(err.value.problems) == ["actuals[2024]"]
    with pytest.raises(OverrideError, match="positive"):
        apply_actuals(default_assumptions, {2026: 0.0})


def test_a_file_s_actuals_are_cited_and_checked_with_their_line(default_path) -> None:
    text = default_path.read_text(encoding="utf-8").replace(
        "\nuncertainty:\n",
        "\nactuals:\n  - year: 2025\n    value: 535.64\n"
        "    citation: 360iResearch listing 1858034, estimated value for 2025\n"
        "\nuncertainty:\n",
        1,
    )
    a = parse_assumptions(text)
    assert a.actuals[0].citation.startswith("360iResearch")
    assert entered_actuals(a, a) == {}
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(text.replace("year: 2025\n    value: 535.64", "year: 2031\n    value: 1"))
    [problem] = err.value.problems
    assert problem.location == "actuals[2031]" and problem.line is not None


def test_a_link_carries_the_actuals_and_the_rebasing(default_assumptions: Assumptions) -> None:
    params = encode(FILE, {"growth.rebase": HOLD_END}, actuals={2025: 535.64})
    assert params == {"rebase": "hold-end", "act": "2025:535.64"}
    decoded = decode(params, [FILE], lambda _: default_assumptions)
    assert (decoded.actuals, decoded.overrides) == ({2025: 535.64}, {"growth.rebase": HOLD_END})
    refused = decode({"act": "2031:9"}, [FILE], lambda _: default_assumptions)
    assert refused.actuals == {} and refused.warnings[0].startswith("act: not applied")


def test_a_saved_scenario_keeps_the_typed_actuals(
    default_assumptions: Assumptions, with_actual: Assumptions
) -> None:
    current = rebased(with_actual, HOLD_END)
    scenario = from_assumptions("Re-based", FILE, default_assumptions, current)
    assert scenario.actuals == {2025: 535.64}
    again = parse_scenario(dump_scenario(scenario))
    assert again.actuals == {2025: 535.64}
    assert again.overrides == {"growth.rebase": HOLD_END}
    assert "growth.rebase: hold-end" in dump_scenario(scenario)
    resolved = resolve(again, default_assumptions)
    assert resolved.actuals[0].citation == ENTERED_ACTUAL
    assert forecast(resolved).totals.at[2025, "value"] == pytest.approx(535.64)
    with pytest.raises(ValueError):
        Scenario(name="x", base_file=FILE, actuals={2025: -1.0})


def test_the_bridge_gives_the_actuals_a_step_of_their_own(
    default_assumptions: Assumptions, with_actual: Assumptions
) -> None:
    b = rebased(with_actual, HOLD_GROWTH)
    steps = bridge(default_assumptions, b)
    moved = steps[steps["kind"] == "step"]
    assert list(moved["label"]) == ["Re-basing on actuals", "Actual figures"]
    assert moved["value"].sum() == pytest.approx(
        steps["value"].iloc[-1] - steps["value"].iloc[0], rel=1e-9
    )
    assert moved["value"].iloc[-1] == pytest.approx(1609.03 - 1651.18, abs=0.01)
