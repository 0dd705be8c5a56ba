"""Published estimates side by side: the file's figures, their consistency, paths, calibration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from market import Assumptions, AssumptionsError, apply_overrides, forecast, load_assumptions
from market import estimates as est
from market.io import dump_assumptions, parse_assumptions

# The three sources' figures as /work/shared/source/published-estimates.md states them.
SOURCES = {
    "kings-research": {2023: 389.3, 2024: 457.6, 2031: 1651.2},
    "360iresearch-2024-2032": {2024: 437.10, 2025: 535.64, 2032: 2153.98},
    "360iresearch-2026-2032": {2025: 535.64, 2026: 663.27, 2032: 2153.98},
}
STATED_CAGR = {
    "kings-research": 20.12,
    "360iresearch-2024-2032": 22.06,
    "360iresearch-2026-2032": 21.99,
}


def _estimate(id_: str, figures: dict[int, float], cagr: float | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": id_,
        "publisher": f"Publisher {id_}",
        "title": "A made-up report",
        "values": [{"year": y, "value": v, "citation": f"page {y}"} for y, v in figures.items()],
    }
    if cagr is not None:
        data["cagr_pct"] = {"value": cagr, "citation": "summary"}
    return data


def test_the_three_sources_figures_round_trip_exactly(default_assumptions: Assumptions) -> None:
    loaded = {e.id: e.by_year for e in default_assumptions.estimates}
    assert loaded == SOURCES
    assert {e.id: e.cagr_pct.value for e in default_assumptions.estimates if e.cagr_pct} == (
        STATED_CAGR
    )
    again = parse_assumptions(dump_assumptions(default_assumptions))
    assert {e.id: e.by_year for e in again.estimates} == SOURCES
    assert again == default_assumptions


def test_the_default_file_is_calibrated_to_kings_research(default_assumptions: Assumptions) -> None:
    assert default_assumptions.calibrated_to == "kings-research"
    assert default_assumptions.reported_by_year == SOURCES["kings-research"]
    assert default_assumptions.reported_cagr_pct is not None
    assert default_assumptions.reported_cagr_pct.value == 20.12
    totals = forecast(default_assumptions).totals
    for year, value in SOURCES["kings-research"].items():
        assert totals.at[year, "value"] == pytest.approx(value, abs=0.1)


def test_a_file_with_a_reported_block_loads_as_before(small_market: dict[str, Any]) -> None:
    a = Assumptions.model_validate(small_market)
    assert a.estimates == () and a.calibrated_to is None
    (only,) = est.estimates_of(a)
    assert only.publisher == "Nobody" and only.by_year == {2020: 80.0}


def test_calibrated_to_must_name_an_estimate(small_market: dict[str, Any], write_yaml) -> None:
    small_market["calibrated_to"] = "nobody-2030"
    small_market["estimates"] = [_estimate("somebody", {2021: 100.0, 2026: 130.0}, None)]
    with pytest.raises(AssumptionsError) as err:
        load_assumptions(write_yaml(small_market))
    (problem,) = err.value.problems
    assert problem.location == "calibrated_to" and problem.line is not None
    assert "nobody-2030" in problem.message and "somebody" in problem.message


@pytest.mark.parametrize(
    ("source", "period", "inferred"),
    [
        ("kings-research", (2024, 2031), False),
        ("360iresearch-2024-2032", (2024, 2032), True),
        ("360iresearch-2026-2032", (2025, 2032), True),
    ],
)
def test_the_cagr_period_is_stated_or_inferred(
    default_assumptions: Assumptions, source: str, period: tuple[int, int], inferred: bool
) -> None:
    check = est.consistency(default_assumptions.estimate(source))
    assert check.fits is True
    assert check.period == period
    assert check.inferred is inferred
    assert check.implied_pct == pytest.approx(STATED_CAGR[source], abs=est.CAGR_FIT_PP)
    assert est.warnings(default_assumptions) == ()


def test_a_cagr_that_fits_none_of_its_figures_is_warned_about(
    small_market: dict[str, Any],
) -> None:
    small_market["estimates"] = [
        _estimate("made-up", {2021: 100.0, 2023: 121.0, 2026: 161.05}, 30.0),  # 10 % a year
    ]
    a = Assumptions.model_validate(small_market)
    check = est.consistency(a.estimate("made-up"))
    assert check.fits is False and check.period is None
    (warning,) = est.warnings(a)
    assert "estimates[made-up]" in warning and "30%" in warning
    for figure in ("100.00 (2021)", "121.00 (2023)", "161.05 (2026)"):
        assert figure in warning


def test_a_stated_period_that_does_not_fit_is_warned_about(small_market: dict[str, Any]) -> None:
    made_up = _estimate("made-up", {2021: 100.0, 2026: 161.05}, None)
    made_up["cagr_pct"] = {"value": 12.0, "citation": "summary", "start": 2021, "end": 2026}
    small_market["estimates"] = [made_up]
    (warning,) = est.warnings(Assumptions.model_validate(small_market))
    assert "2021-2026" in warning and "imply 10.00%" in warning


def test_paths_hold_the_stated_figures_and_derive_the_years_between(
    default_assumptions: Assumptions,
) -> None:
    paths = est.paths(default_assumptions)
    kings = paths[paths["estimate"] == "kings-research"].set_index("year")
    assert list(kings.index) == list(range(2023, 2032))
    assert kings.loc[kings["stated"], "value"].to_dict() == SOURCES["kings-research"]
    assert not kings.loc[2025:2030, "stated"].any()
    # 2024 -> 2031 at the rate the two figures imply
    assert kings.at[2028, "rate_pct"] == pytest.approx(20.12, abs=0.01)
    assert kings.at[2028, "value"] == pytest.approx(457.6 * 1.2012**4, rel=1e-4)
    assert kings.at[2024, "rate_pct"] == pytest.approx(17.5, abs=0.05)


def test_the_spread_covers_years_two_or_more_estimates_cover(
    default_assumptions: Assumptions,
) -> None:
    band = est.spread(default_assumptions)
    assert list(band.index) == list(range(2024, 2033))  # 2023: Kings Research alone
    assert band.at[2024, "count"] == 2 and band.at[2025, "count"] == 3
    assert band.at[2024, "low"] == 437.10 and band.at[2024, "high"] == 457.6
    assert band.at[2024, "median"] == pytest.approx((437.10 + 457.6) / 2)
    assert band.at[2024, "spread_pct"] == pytest.approx(20.5 / 447.35 * 100)
    assert band.at[2031, "high"] == pytest.approx(1770.0, abs=0.1)


def test_the_model_sits_at_the_low_end_of_the_spread_by_default(
    default_assumptions: Assumptions,
) -> None:
    table = est.comparison(default_assumptions, forecast(default_assumptions).totals["value"])
    assert table.position(2031) == "at the low end"
    assert table.position(2024) == "at the high end"
    assert table.position(2023) == ""  # one estimate only
    higher = apply_overrides(default_assumptions, {"growth.cagr_pct": 30})
    table = est.comparison(default_assumptions, forecast(higher).totals["value"])
    assert table.position(2031) == "above the range"


def test_a_caller_changing_the_tables_does_not_change_the_next_ones(
    default_assumptions: Assumptions,
) -> None:
    """The pivots and the spread are computed once per set of estimates; each caller gets
    its own copy, so a page that edits one cannot show the next page wrong numbers."""
    model = forecast(default_assumptions).totals["value"]
    first = est.comparison(default_assumptions, model)
    expected = (first.values.copy(), first.stated.copy(), first.spread.copy())
    first.values.loc[:, :] = -1.0
    first.stated.loc[:, :] = False
    first.spread.loc[:, "low"] = -1.0
    band = est.spread(default_assumptions)
    band.loc[:, "high"] = -1.0
    again = est.comparison(default_assumptions, model)
    pd.testing.assert_frame_equal(again.values, expected[0])
    pd.testing.assert_frame_equal(again.stated, expected[1])
    pd.testing.assert_frame_equal(again.spread, expected[2])


@pytest.mark.parametrize("source", list(SOURCES))
def test_calibrating_to_each_source_reproduces_its_base_and_end_values(
    default_assumptions: Assumptions, source: str
) -> None:
    cal = est.calibration(default_assumptions, source)
    calibrated = apply_overrides(default_assumptions, cal.overrides)
    totals = forecast(calibrated).totals["value"]
    figures = sorted((y, v) for y, v in SOURCES[source].items() if y >= 2024)
    (start, start_value), (end, end_value) = figures[0], figures[-1]
    assert cal.start == (start, start_value) and cal.end == (end, end_value)
    assert totals[start] == pytest.approx(start_value, abs=0.1)
    horizon = default_assumptions.years.horizon
    if end <= horizon:
        assert totals[end] == pytest.approx(end_value, abs=0.1)
        assert cal.left_out == ()
    else:  # kept the horizon: the end figure lies on the model's path, one step further
        growth = 1 + calibrated.growth.cagr_pct.value / 100
        assert totals[horizon] * growth ** (end - horizon) == pytest.approx(end_value, abs=0.1)
        assert cal.left_out == ((end, end_value),)
        assert f"in {end}" in cal.note()
    assert est.followed(calibrated, default_assumptions).target == source


def test_calibrating_to_the_files_own_estimate_gives_the_files_values(
    default_assumptions: Assumptions,
) -> None:
    cal = est.calibration(default_assumptions, "kings-research")
    assert apply_overrides(default_assumptions, cal.overrides) == default_assumptions


def test_calibrating_to_the_median_reproduces_the_median_path(
    default_assumptions: Assumptions,
) -> None:
    cal = est.calibration(default_assumptions, est.MEDIAN)
    totals = forecast(apply_overrides(default_assumptions, cal.overrides)).totals["value"]
    assert totals[2024] == pytest.approx((437.10 + 457.6) / 2, abs=0.1)
    assert cal.end == (2032, 2153.98)


def test_calibration_refuses_unknown_and_too_short_targets(
    default_assumptions: Assumptions, small_market: dict[str, Any]
) -> None:
    with pytest.raises(
        ValueError, match="no estimate 'nobody' to calibrate to; known: kings-research"
    ):
        est.calibration(default_assumptions, "nobody")
    small = Assumptions.model_validate(small_market)  # one figure, before the base year
    assert est.targets(small) == ()
    with pytest.raises(ValueError, match="fewer than two figures"):
        est.calibration(small, "nobody")


def test_which_estimate_the_numbers_follow(default_assumptions: Assumptions) -> None:
    assert est.followed(default_assumptions).target == "kings-research"
    changed = apply_overrides(default_assumptions, {"growth.cagr_pct": 25})
    followed = est.followed(changed, default_assumptions)
    assert followed.target is None and "(25.0% a year)" in followed.text
    text = est.statement(default_assumptions)
    assert "Kings Research" in text and "6.7% of their median" in text


def test_the_coffee_example_has_one_estimate_and_no_spread() -> None:
    path = Path(__file__).resolve().parents[2] / "assumptions" / "example-coffee-subscriptions.yaml"
    coffee = load_assumptions(path)
    assert len(est.estimates_of(coffee)) == 1
    assert est.spread(coffee).empty
    assert "no spread" in est.spread_note(coffee)
    assert est.followed(coffee).target is None


def test_an_estimate_past_the_horizon_loads(small_market: dict[str, Any], write_yaml) -> None:
    small_market["estimates"] = [_estimate("later", {2024: 120.0, 2040: 300.0}, None)]
    a = load_assumptions(write_yaml(yaml.safe_load(yaml.safe_dump(small_market))))
    assert est.paths(a)["year"].max() == 2040


# --- what the numbers are set against follows the estimate they follow -----------------------


def _calibrated(a: Assumptions, target: str) -> Assumptions:
    return apply_overrides(a, est.calibration(a, target).overrides)


def test_calibrated_history_never_joins_one_source_to_another(
    default_assumptions: Assumptions,
) -> None:
    """Calibrated to 360iResearch's 2024-2032 edition (437.10 in 2024), the history is no
    longer Kings Research's 389.3 joined to 360iResearch's 437.10 (a 12.3 % "growth"):
    360iResearch states nothing for 2023, so that year is grown back at the model's rate,
    modelled, and the reported figures are 360iResearch's own."""
    f = forecast(_calibrated(default_assumptions, "360iresearch-2024-2032"))
    assert f.reference.label == "360iResearch (2024-2032 edition)"
    assert f.reported_by_year == {2024: 437.10, 2025: 535.64}  # 2032 lies past the horizon
    assert f.totals.at[2023, "modelled"]
    assert f.totals.at[2023, "value"] != SOURCES["kings-research"][2023]
    assert f.totals.at[2024, "growth_pct"] == pytest.approx(22.0626)
    assert not f.totals.at[2024, "modelled"]  # 437.10 is the source's own figure
    assert f.reference.cagr_pct == STATED_CAGR["360iresearch-2024-2032"]


def test_a_source_that_states_history_gives_it(default_assumptions: Assumptions) -> None:
    f = forecast(default_assumptions)
    assert f.reference.label == "Kings Research"
    assert f.reported_by_year == SOURCES["kings-research"]
    assert not f.totals.at[2023, "modelled"]


def test_growth_of_the_analysts_own_is_set_against_the_files_figures(
    default_assumptions: Assumptions,
) -> None:
    f = forecast(apply_overrides(default_assumptions, {"growth.cagr_pct": 25.0}))
    assert f.reference.label == "Kings Research"
    assert f.reported_by_year == SOURCES["kings-research"]


def test_the_median_is_set_against_no_figures(default_assumptions: Assumptions) -> None:
    """Nobody reports the median: nothing is shown as reported, and its history is grown
    back rather than Kings Research's 2023 joined to it."""
    f = forecast(_calibrated(default_assumptions, est.MEDIAN))
    assert f.reference.label == "the median of the estimates"
    assert f.reported_by_year == {}
    assert f.totals["modelled"].all()


def test_the_monte_carlo_is_set_against_the_same_figures(default_assumptions: Assumptions) -> None:
    from market.risk import simulate

    a = _calibrated(default_assumptions, "360iresearch-2024-2032")
    sim = simulate(a, paths=200, seed=1)
    assert sim.target is None  # 360iResearch states nothing for 2031
    assert sim.totals.loc[2023].nunique() > 1  # grown back on each path, not one figure
    kings = simulate(default_assumptions, paths=200, seed=1)
    assert kings.target == SOURCES["kings-research"][2031]
    assert (kings.totals.loc[2023] == SOURCES["kings-research"][2023]).all()
