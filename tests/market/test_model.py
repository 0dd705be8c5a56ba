"""The forecast: calibration to the report, reconciliation of every breakdown, goal seek.

The calibration figures are the source's (USD 389.3 million in 2023, 457.6 in 2024,
1,651.2 in 2031, a CAGR of 20.12 % over 2024-2031), not numbers read off the model.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from market import (
    Assumptions,
    Forecast,
    apply_overrides,
    forecast,
    goal_seek,
    implied_cagr_pct,
)
from market.model import goal_seek_defaults, matches_report
from market.parameters import parameters

REPORT = {2023: 389.3, 2024: 457.6, 2031: 1651.2}


@pytest.fixture(scope="module")
def default_forecast(default_assumptions: Assumptions) -> Forecast:
    return forecast(default_assumptions)


def assert_reconciles(f: Forecast) -> None:
    """Every group adds up to its parent each year, and every share row to 1 (1e-9 relative)."""
    for (dimension, parent), group in f.groups.items():
        if parent:
            grandparent = f.groups[(dimension, parent.rpartition(".")[0])]
            column = grandparent.ids.index(parent.rpartition(".")[2])
            expected = grandparent.values.iloc[:, column]
        else:
            expected = f.totals["value"]
        np.testing.assert_allclose(group.values.sum(axis=1), expected, rtol=1e-9)
        np.testing.assert_allclose(group.shares.sum(axis=1), 1.0, rtol=1e-9)


# --- calibration on the default market --------------------------------------------------------


@pytest.mark.parametrize(("year", "reported"), REPORT.items())
def test_the_model_reproduces_the_reported_sizes(default_forecast, year, reported) -> None:
    assert default_forecast.totals.at[year, "value"] == pytest.approx(reported, abs=0.1)


def test_the_implied_cagr_is_the_reported_one(default_forecast) -> None:
    assert (default_forecast.base_year, default_forecast.horizon) == (2024, 2031)
    assert round(default_forecast.cagr_pct, 2) == 20.12
    # and the report is consistent with itself: its 2024 and 2031 sizes imply the same CAGR
    assert round(float(implied_cagr_pct(REPORT[2024], REPORT[2031], 7)), 2) == 20.12


def test_reported_points_are_marked(default_forecast) -> None:
    totals = default_forecast.totals
    assert list(totals.columns) == [
        "value",
        "reported",
        "modelled",
        "growth_pct",
        "actual",
        "drift",
        "drift_pct",
    ]
    assert list(totals.index) == list(range(2023, 2032))
    assert totals.index.name == "year"
    assert totals["reported"].dropna().to_dict() == REPORT
    assert not totals.at[2023, "modelled"]
    assert totals.loc[2025:, "modelled"].all()
    assert totals.at[2023, "value"] == REPORT[2023]  # history shows the reported figure as is


def test_a_base_value_the_source_states_is_reported_not_modelled(default_assumptions) -> None:
    """The file grows from the source's own 2024 figure (457.6): that year shows it as it
    is, reported, in every frame built on the forecast; a base value of the analyst's own
    is modelled."""
    f = forecast(default_assumptions)
    assert f.totals.at[2024, "value"] == REPORT[2024]
    assert not f.totals.at[2024, "modelled"]
    assert f.totals.at[2031, "modelled"]  # computed, even though it matches 1,651.2
    moved = forecast(apply_overrides(default_assumptions, {"growth.base_value": 460.0}))
    assert moved.totals.at[2024, "modelled"]
    assert moved.totals.at[2024, "reported"] == REPORT[2024]


def test_growth_is_year_on_year(default_forecast) -> None:
    growth = default_forecast.totals["growth_pct"]
    assert math.isnan(growth[2023])
    assert growth[2024] == pytest.approx((457.6 / 389.3 - 1) * 100)
    np.testing.assert_allclose(growth.loc[2025:], 20.12)


def test_the_unit_and_horizon_value_are_reported(default_forecast) -> None:
    assert default_forecast.unit == "USD million"
    assert default_forecast.horizon_value == default_forecast.totals.at[2031, "value"]


# --- breakdowns -------------------------------------------------------------------------------


def test_every_breakdown_reconciles(default_forecast) -> None:
    assert_reconciles(default_forecast)


def test_the_default_market_has_its_dimensions_and_sub_segments(default_forecast) -> None:
    assert set(default_forecast.groups) == {
        ("component", ""),
        ("component", "software"),
        ("component", "services"),
        ("deployment", ""),
        ("application", ""),
        ("end-user", ""),
        ("region", ""),
        ("use-case", ""),
    }
    software = default_forecast.groups[("component", "software")]
    assert software.parent == "Software"
    np.testing.assert_allclose(
        default_forecast.by("component", "software").sum(axis=1),
        default_forecast.by("component")["Software"],
        rtol=1e-9,
    )


def test_base_year_shares_are_the_normalised_weights(default_forecast) -> None:
    shares = default_forecast.groups[("region", "")].shares.loc[2024]
    assert shares.tolist() == pytest.approx([0.42, 0.27, 0.20, 0.06, 0.05])
    services = default_forecast.groups[("component", "services")].shares.loc[2024]
    assert services.tolist() == pytest.approx([0.30, 0.45, 0.25])
    assert default_forecast.by("component").at[2024, "Software"] == pytest.approx(457.6 * 0.5)


def test_shares_in_a_year_are_keyed_like_share_parameters(
    default_forecast, default_assumptions
) -> None:
    """The sidebar labels each share slider from these: one per share parameter, the base
    year's being the normalised weights and the horizon's the mix after growth differentials."""
    paths = {p.path for p in parameters(default_assumptions) if p.group == "share"}
    base, horizon = default_forecast.shares_in(2024), default_forecast.shares_in(2031)
    assert {f"share.{key}" for key in base} == paths
    assert base["region.europe"] == pytest.approx(0.27)
    assert base["component.services.integration"] == pytest.approx(0.45)
    regions = default_forecast.groups[("region", "")].shares.loc[2031]
    assert horizon["region.asia-pacific"] == pytest.approx(regions["Asia-Pacific"])
    assert horizon["region.asia-pacific"] > base["region.asia-pacific"]  # +3.5 pp grows faster
    assert sum(
        horizon[f"region.{s.id}"] for s in default_assumptions.dimension("region").segments
    ) == pytest.approx(1)


def test_the_mix_shifts_towards_faster_segments(default_forecast) -> None:
    shares = default_forecast.groups[("region", "")].shares
    # Asia-Pacific has the largest differential (+3.5 pp), North America the smallest (-1.5)
    assert shares.at[2031, "Asia-Pacific"] > shares.at[2024, "Asia-Pacific"]
    assert shares.at[2031, "North America"] < shares.at[2024, "North America"]
    assert (shares["Asia-Pacific"].diff().dropna() > 0).all()


def test_segment_columns_follow_the_file(default_forecast, default_assumptions) -> None:
    region = default_assumptions.dimension("region")
    group = default_forecast.groups[("region", "")]
    assert list(group.values.columns) == [s.name for s in region.segments]
    assert group.ids == tuple(s.id for s in region.segments)
    assert group.values.index.equals(default_forecast.totals.index)


def test_the_segment_summary_has_a_row_per_segment(default_forecast, default_assumptions) -> None:
    summary = default_forecast.segment_summary()
    count = sum(1 + len(s.segments) for d in default_assumptions.dimensions for s in d.segments)
    assert len(summary) == count
    assert list(summary.columns) == [
        "dimension",
        "parent",
        "segment",
        "segment_id",
        "share_base",
        "share_horizon",
        "value_base",
        "value_horizon",
        "cagr_pct",
    ]
    europe = summary.set_index("segment_id").loc["europe"]
    assert europe["dimension"] == "region"
    assert europe["parent"] == ""
    assert europe["share_base"] == pytest.approx(0.27)
    assert europe["value_base"] == pytest.approx(457.6 * 0.27)
    assert europe["cagr_pct"] == pytest.approx(
        float(implied_cagr_pct(europe["value_base"], europe["value_horizon"], 7))
    )
    # Europe's differential (-1 pp) is below the region average, so it grows slower than
    # the market; the rescaling cannot take more than the fastest region's lead (+3.5 pp)
    assert (1.1912 * 1.2012 / 1.2362 - 1) * 100 < europe["cagr_pct"] < 20.12
    ehr = summary.set_index("segment_id").loc["ehr-systems"]
    assert (ehr["dimension"], ehr["parent"]) == ("component", "Software")


def test_mix_shift_follows_the_documented_rule(default_forecast) -> None:
    # each segment grows at CAGR + differential, then all are rescaled to the total
    weights = np.array([42, 27, 20, 6, 5]) / 100
    factors = 1.2012 + np.array([-1.5, -1.0, 3.5, 1.5, 1.5]) / 100
    years = np.arange(2023, 2032)
    raw = weights * factors ** (years[:, None] - 2024)
    expected = default_forecast.totals["value"].to_numpy()[:, None] * raw / raw.sum(axis=1)[:, None]
    np.testing.assert_allclose(default_forecast.by("region").to_numpy(), expected, rtol=1e-12)


def test_a_segment_without_differential_keeps_its_share_if_all_do(small_market) -> None:
    for dim in small_market["dimensions"]:
        for s in dim["segments"]:
            s["differential_pp"] = 0.0
    f = forecast(Assumptions.model_validate(small_market))
    shares = f.groups[("city", "")].shares
    np.testing.assert_allclose(shares.to_numpy(), 0.5)


def test_a_zero_weight_segment_stays_at_zero(small_market) -> None:
    small_market["dimensions"][1]["segments"][0]["share"] = 0
    f = forecast(Assumptions.model_validate(small_market))
    assert (f.by("city")["Lyon"] == 0).all()
    np.testing.assert_allclose(f.by("city")["Ghent"], f.totals["value"], rtol=1e-12)


# --- a second market, no code changes ---------------------------------------------------------


def test_any_market_forecasts_and_reconciles(small_market) -> None:
    a = Assumptions.model_validate(small_market)
    f = forecast(a)
    assert f.unit == "EUR thousand"
    assert list(f.totals.index) == list(range(2020, 2027))
    assert f.totals.at[2020, "value"] == 80.0
    assert f.totals.at[2021, "value"] == 100.0
    assert f.horizon_value == pytest.approx(100.0 * 1.05**5)
    assert f.cagr_pct == pytest.approx(5.0)
    assert set(f.groups) == {("customer", ""), ("customer", "commuters"), ("city", "")}
    assert_reconciles(f)


def test_a_market_without_history_starts_at_the_base(small_market) -> None:
    small_market["years"]["first"] = 2021
    small_market["reported"] = []
    f = forecast(Assumptions.model_validate(small_market))
    assert f.totals.index[0] == 2021
    assert f.totals["modelled"].all()
    assert f.totals["reported"].isna().all()


def test_a_shrinking_market_shrinks(small_market) -> None:
    small_market["growth"]["cagr_pct"]["value"] = -10.0
    f = forecast(Assumptions.model_validate(small_market))
    np.testing.assert_allclose(f.totals.loc[2022:, "growth_pct"], -10.0)
    assert_reconciles(f)


def test_deeper_levels_are_keyed_by_their_path(small_market) -> None:
    # two parents with the same id ("cloud") under different segments must both be kept
    def seg(name: str, *children: dict) -> dict:
        node = {"name": name, "share": 1, "provenance": "assumed", "rationale": "r"}
        return {**node, "segments": list(children)} if children else node

    small_market["dimensions"][1]["segments"] = [
        seg("Lyon", seg("Cloud", seg("P"), seg("Q")), seg("Shop")),
        seg("Ghent", seg("Cloud", seg("R"), seg("S"))),
    ]
    f = forecast(Assumptions.model_validate(small_market))
    assert list(f.by("city", "lyon.cloud").columns) == ["P", "Q"]
    assert list(f.by("city", "ghent.cloud").columns) == ["R", "S"]
    assert f.groups[("city", "lyon.cloud")].parent == "Cloud"
    assert_reconciles(f)
    assert len(f.segment_summary().query("dimension == 'city'")) == 9


def test_extreme_but_valid_markets_stay_finite(small_market) -> None:
    # a century of reported history and a segment shrinking faster than -100 % a year:
    # plain powers of the growth factors overflow to inf (or underflow to 0) and give NaN
    small_market["years"] = {"first": 1900, "base": 2024, "horizon": 2099}
    small_market["reported"] = [
        {"year": y, "value": 1.0, "citation": "c"} for y in range(1900, 2024)
    ]
    small_market["growth"]["cagr_pct"]["value"] = -95.0
    small_market["dimensions"][1]["segments"][1]["differential_pp"] = -10.0
    f = forecast(Assumptions.model_validate(small_market))
    for group in f.groups.values():
        assert np.isfinite(group.values.to_numpy()).all()
    assert_reconciles(f)
    first, last = f.by("city").loc[1900], f.by("city").loc[2099]
    assert first["Ghent"] == pytest.approx(1.0)  # the faster shrinker was nearly all of it once
    assert last["Ghent"] < 1e-100 * last["Lyon"]  # and is next to nothing at the end


# --- goal seek --------------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "year"), [(1651.2, 2031), (2000.0, 2030), (300.0, 2027)])
def test_goal_seek_finds_the_cagr_that_hits_the_target(default_assumptions, target, year) -> None:
    cagr = goal_seek(default_assumptions, target, year)
    hit = forecast(apply_overrides(default_assumptions, {"growth.cagr_pct": cagr}))
    assert hit.totals.at[year, "value"] == pytest.approx(target, rel=1e-12)


def test_goal_seek_to_the_report_gives_the_reported_cagr(default_assumptions) -> None:
    assert goal_seek(default_assumptions, 1651.2, 2031) == pytest.approx(20.12, abs=0.005)


@pytest.mark.parametrize("year", [2024, 2023, 2000])
def test_goal_seek_needs_a_year_after_the_base(default_assumptions, year) -> None:
    with pytest.raises(ValueError, match="after the base year 2024"):
        goal_seek(default_assumptions, 1000.0, year)


@pytest.mark.parametrize("year", [2032, 2050])
def test_goal_seek_needs_a_year_in_the_forecast(default_assumptions, year) -> None:
    with pytest.raises(ValueError, match="in the forecast, 2025 to 2031"):
        goal_seek(default_assumptions, 1000.0, year)


@pytest.mark.parametrize("target", [0.0, -5.0, float("nan"), float("inf")])
def test_goal_seek_needs_a_positive_target(default_assumptions, target) -> None:
    with pytest.raises(ValueError, match="positive number"):
        goal_seek(default_assumptions, target, 2031)


def test_implied_cagr_works_on_series() -> None:
    start = pd.Series({"a": 100.0, "b": 100.0})
    end = pd.Series({"a": 121.0, "b": 81.0})
    np.testing.assert_allclose(implied_cagr_pct(start, end, 2), [10.0, -10.0])


def test_goal_seek_starts_from_the_reported_horizon_figure(default_assumptions) -> None:
    assert goal_seek_defaults(default_assumptions, forecast(default_assumptions)) == (1651.2, 2031)


def test_goal_seek_starts_from_the_forecast_without_a_horizon_figure(default_assumptions) -> None:
    a = default_assumptions.model_copy(
        update={"reported": tuple(r for r in default_assumptions.reported if r.year != 2031)}
    )
    faster = forecast(apply_overrides(a, {"growth.cagr_pct": 25.0}))
    value, year = goal_seek_defaults(a, faster)
    assert year == 2031
    assert value == round(faster.horizon_value, 1) and value > 1651.2


# --- matching the report ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modelled", "matches"),
    [(1651.2, True), (1651.9, True), (1650.5, True), (1652.2, False), (1600.0, False)],
)
def test_a_value_matches_the_report_up_to_its_rounding(modelled, matches) -> None:
    """1651.2 * 0.05 % is about 0.83: the report's rounding, not a change of assumptions."""
    assert matches_report(modelled, 1651.2) is matches


def test_the_reports_own_cagr_matches_its_own_projection(default_forecast) -> None:
    assert default_forecast.horizon_value != REPORT[2031]  # the report rounds its CAGR
    assert matches_report(default_forecast.horizon_value, REPORT[2031])


def test_the_source_is_cited_one_way(default_assumptions) -> None:
    source = default_assumptions.market.source
    assert source.citation == (
        "Kings Research, Microservices in Healthcare Market (report summary) "
        "(kingsresearch.com, report 91610371)"
    )
    assert source.model_copy(update={"reference": ""}).citation == (
        "Kings Research, Microservices in Healthcare Market (report summary)"
    )
