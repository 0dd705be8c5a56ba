"""Monte Carlo band, sensitivity tornado and scenario bridge (market.risk)."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
import pytest

from market.assumptions import Assumptions
from market.io import load_assumptions
from market.model import forecast
from market.parameters import apply_overrides
from market.paths import default_assumptions
from market.risk import (
    DEFAULT_PATHS,
    PATH_CHOICES,
    _trajectories,
    bridge,
    path_choices,
    sensitivity,
    simulate,
)

BAND = ["p5", "p10", "p50", "p90", "p95"]


@pytest.fixture(scope="module")
def default() -> Assumptions:
    return load_assumptions(default_assumptions())


@pytest.fixture(scope="module")
def default_run(default: Assumptions):
    return simulate(default, paths=10_000, seed=0)


def _assumed(value: float) -> dict[str, Any]:
    return {"value": value, "provenance": "assumed", "rationale": "test"}


def _segment(name: str, share: float, diff: float = 0.0) -> dict[str, Any]:
    return {
        "name": name,
        "share": share,
        "differential_pp": diff,
        "provenance": "assumed",
        "rationale": "test",
    }


def small_market(
    *,
    cagr: float = 10.0,
    sd: float = 2.0,
    concentration: float = 100.0,
    horizon: int = 2030,
    reported: float | None = 200.0,
    regions: list[dict[str, Any]] | None = None,
) -> Assumptions:
    """A two-region market growing from 100 in 2025: small enough to check by hand."""
    regions = regions or [_segment("North", 60, -1.0), _segment("South", 40, 2.0)]
    data = {
        "market": {
            "name": "Test market",
            "unit": "USD million",
            "source": {"title": "Test", "publisher": "Test"},
        },
        "years": {"first": 2025, "base": 2025, "horizon": horizon},
        "reported": []
        if reported is None
        else [{"year": horizon, "value": reported, "citation": "test"}],
        "growth": {"base_value": _assumed(100.0), "cagr_pct": _assumed(cagr)},
        "uncertainty": {
            "cagr_sd_pct": _assumed(sd),
            "share_concentration": _assumed(concentration),
        },
        "dimensions": [{"name": "Region", "id": "region", "segments": regions}],
    }
    return Assumptions.model_validate(data)


# --- simulate ----------------------------------------------------------------------------


def test_percentiles_are_ordered_every_year(default_run) -> None:
    for frame in (default_run.totals, default_run.segments):
        values = frame[BAND].to_numpy()
        assert (np.diff(values, axis=1) >= 0).all()


def test_frames_cover_every_year_and_segment(default: Assumptions, default_run) -> None:
    years = list(range(default.years.first, default.years.horizon + 1))
    assert list(default_run.totals.index) == years
    assert list(default_run.totals.columns) == BAND
    assert list(default_run.segments.columns) == ["dimension", "parent", "segment", "year", *BAND]
    region = default_run.segments[default_run.segments["dimension"] == "region"]
    assert set(region["segment"]) == {s.name for s in default.dimension("region").segments}
    assert set(region["parent"]) == {""}
    software = default.dimension("component").segments[0]
    subs = default_run.segments[default_run.segments["parent"] == software.name]
    assert list(subs["segment"].unique()) == [s.name for s in software.segments]
    assert list(subs["year"]) == years * len(software.segments)


def test_history_years_stay_at_reported_values(default: Assumptions, default_run) -> None:
    history = default_run.totals.loc[default.years.first]
    assert (history == default.reported_by_year[default.years.first]).all()


def test_median_total_matches_the_forecast_at_the_horizon(
    default: Assumptions, default_run
) -> None:
    # The horizon total is an increasing function of the path's CAGR, so its median is the
    # forecast at the median CAGR, which is the assumed one. The sample median of 10,000
    # normal draws has a standard error of 1.2533 * 3 pp / 100 = 0.038 pp; through
    # 7 years of growth at 1.2012 that is 7 * 0.00038 / 1.2012 = 0.22 % of the value,
    # so 1 % is more than four standard errors.
    expected = forecast(default).horizon_value
    assert default_run.totals.at[default.years.horizon, "p50"] == pytest.approx(expected, rel=0.01)


def test_outer_percentiles_follow_the_normal_cagr(default: Assumptions, default_run) -> None:
    # p5 and p95 of the total are the forecast at the 5th and 95th percentiles of the CAGR.
    # Their sampling error is about 0.02 sd = 0.064 pp of CAGR, 0.4 % of the value.
    a, n = default, default.years.horizon - default.years.base
    z = NormalDist().inv_cdf(0.95)
    for column, sign in (("p5", -1), ("p95", 1)):
        g = (a.growth.cagr_pct.value + sign * z * a.uncertainty.cagr_sd_pct.value) / 100
        expected = a.growth.base_value.value * (1 + g) ** n
        assert default_run.totals.at[a.years.horizon, column] == pytest.approx(expected, rel=0.015)


def test_same_seed_same_result_other_seed_differs(default: Assumptions) -> None:
    first, again = simulate(default, paths=2_000, seed=7), simulate(default, paths=2_000, seed=7)
    pd.testing.assert_frame_equal(first.totals, again.totals)
    pd.testing.assert_frame_equal(first.segments, again.segments)
    np.testing.assert_array_equal(first.horizon_totals, again.horizon_totals)
    other = simulate(default, paths=2_000, seed=8)
    assert not np.array_equal(first.horizon_totals, other.horizon_totals)
    assert not first.segments[BAND].equals(other.segments[BAND])


def test_zero_sd_gives_a_band_equal_to_the_forecast(default: Assumptions) -> None:
    run = simulate(default, paths=500, cagr_sd_pct=0.0)
    assert run.cagr_sd_pct == 0.0
    expected = forecast(default).totals["value"]
    for column in BAND:
        np.testing.assert_allclose(run.totals[column], expected, rtol=1e-12)


def test_sd_defaults_to_the_file_and_can_be_overridden(default: Assumptions) -> None:
    assert simulate(default, paths=10).cagr_sd_pct == default.uncertainty.cagr_sd_pct.value
    narrow = simulate(default, paths=2_000, cagr_sd_pct=1.0).totals.loc[default.years.horizon]
    wide = simulate(default, paths=2_000, cagr_sd_pct=5.0).totals.loc[default.years.horizon]
    assert narrow["p95"] - narrow["p5"] < wide["p95"] - wide["p5"]


def test_every_path_reconciles_to_its_total(default: Assumptions) -> None:
    t = _trajectories(default, 1_000, np.random.default_rng(3), 3.0)
    assert len(t.groups) == len(default.dimensions) + 2  # Software and Services have subs
    for group in t.groups:
        parent = t.cube[group.parent_row]
        np.testing.assert_allclose(t.cube[group.rows].sum(axis=0), parent, rtol=1e-12)


def test_segment_medians_add_up_to_about_the_total(default: Assumptions, default_run) -> None:
    # A sum of medians is not the median of a sum. In the base year a segment is the fixed
    # total times a Beta(c*m, c*(1-m)) share, whose median is about (c*m - 1/3) / (c - 2/3);
    # summed over k segments that is 1 - (k - 2) / (3c): 0.67 % low for six segments at
    # c = 200. Later years add the CAGR's spread through mix shift, which moves each
    # segment the same way as the total, so the gap stays of that order: allow 2 %.
    c = default.uncertainty.share_concentration.value
    seg, totals = default_run.segments, default_run.totals
    top = seg[seg["parent"] == ""].groupby(["dimension", "year"])["p50"].sum()
    for (dimension, year), total in top.items():
        assert total == pytest.approx(totals.at[year, "p50"], rel=0.02), (dimension, year)
        if year == default.years.base:
            k = len(default.dimension(dimension).segments)
            expected = totals.at[year, "p50"] * (1 - (k - 2) / (3 * c))
            assert total == pytest.approx(expected, rel=0.003), dimension


def test_concentration_sets_the_spread_of_the_mix() -> None:
    # In the base year North = 100 * share with share ~ Beta(c*0.6, c*0.4): its sd is
    # sqrt(0.6 * 0.4 / (c + 1)), so the p5-p95 width is about 2 * 1.645 * sd.
    for c in (50.0, 800.0):
        run = simulate(small_market(sd=0.0, concentration=c), paths=20_000, seed=1)
        north = run.segments.query("segment == 'North' and year == 2025").iloc[0]
        expected = 2 * NormalDist().inv_cdf(0.95) * math.sqrt(0.6 * 0.4 / (c + 1)) * 100
        assert north["p95"] - north["p5"] == pytest.approx(expected, rel=0.1)


def test_zero_share_segments_stay_zero() -> None:
    a = small_market(
        regions=[_segment("North", 60), _segment("South", 40), _segment("Nowhere", 0, 5.0)]
    )
    run = simulate(a, paths=2_000)
    nowhere = run.segments[run.segments["segment"] == "Nowhere"]
    assert (nowhere[BAND] == 0).all().all()


def test_sure_mix_reproduces_the_forecast_segments(default: Assumptions) -> None:
    # Beyond the slider's range, so set in the data: shares then vary by about 1e-6.
    data = default.model_dump()
    data["uncertainty"]["cagr_sd_pct"]["value"] = 0.0
    data["uncertainty"]["share_concentration"]["value"] = 1e12
    sure = Assumptions.model_validate(data)
    run = simulate(sure, paths=200)
    expected = forecast(sure).by("component", "software")
    got = run.segments[run.segments["parent"] == "Software"].pivot(
        index="year", columns="segment", values="p50"
    )[expected.columns]
    np.testing.assert_allclose(got, expected, rtol=1e-5)


@pytest.mark.parametrize(("cagr", "probability"), [(21.0, 1.0), (19.0, 0.0)])
def test_probability_of_target_without_uncertainty(
    default: Assumptions, cagr: float, probability: float
) -> None:
    a = apply_overrides(default, {"growth.cagr_pct": cagr, "uncertainty.cagr_sd_pct": 0.0})
    run = simulate(a, paths=1_000)
    assert run.target == default.reported_by_year[default.years.horizon]
    assert run.probability_of_target == probability


def test_probability_of_target_counts_paths(default_run) -> None:
    reached = np.mean(default_run.horizon_totals >= default_run.target)
    assert default_run.probability_of_target == reached
    assert 0.0 < reached < 1.0
    assert default_run.horizon_totals.shape == (10_000,)


def test_no_reported_horizon_means_no_target() -> None:
    run = simulate(small_market(reported=None), paths=100)
    assert run.target is None and run.probability_of_target is None


def test_collapsing_paths_never_go_negative() -> None:
    # A CAGR of -90 % with a 50-point spread draws many paths below -100 %.
    run = simulate(small_market(cagr=-90.0, sd=50.0), paths=5_000)
    assert (run.totals[BAND] >= 0).all().all()
    assert np.isfinite(run.segments[BAND].to_numpy()).all()
    assert (run.segments[BAND] >= 0).all().all()


@pytest.mark.parametrize("paths", [0, -5, 1_000_001, 2.5, True, "100"])
def test_paths_out_of_range_are_refused(paths: Any) -> None:
    with pytest.raises(ValueError, match="paths must be"):
        simulate(small_market(), paths=paths)


def test_negative_sd_is_refused() -> None:
    with pytest.raises(ValueError, match="cagr_sd_pct"):
        simulate(small_market(), cagr_sd_pct=-1.0)


# --- sensitivity -------------------------------------------------------------------------


def test_cagr_swing_of_the_total_matches_the_closed_form(default: Assumptions) -> None:
    base, g = default.growth.base_value.value, default.growth.cagr_pct.value / 100
    n = default.years.horizon - default.years.base
    rows = sensitivity(default).set_index("path")
    cagr = rows.loc["growth.cagr_pct"]
    assert cagr["low_value"] == pytest.approx(base * (1 + g - 0.02) ** n, rel=1e-12)
    assert cagr["high_value"] == pytest.approx(base * (1 + g + 0.02) ** n, rel=1e-12)
    assert cagr["swing"] == pytest.approx(base * ((1 + g + 0.02) ** n - (1 + g - 0.02) ** n))
    size = rows.loc["growth.base_value"]
    assert size["swing"] == pytest.approx(0.2 * base * (1 + g) ** n)
    assert (size["low_input"], size["high_input"]) == pytest.approx((0.9 * base, 1.1 * base))


def test_sensitivity_is_sorted_by_swing_with_stable_columns(default: Assumptions) -> None:
    rows = sensitivity(default, "region/north-america")
    assert list(rows.columns) == [
        "path",
        "label",
        "low_input",
        "high_input",
        "base_input",
        "low_value",
        "high_value",
        "base_value",
        "swing",
    ]
    assert rows["swing"].is_monotonic_decreasing
    assert (rows["swing"] == (rows["high_value"] - rows["low_value"]).abs()).all()
    assert not rows["path"].str.startswith("uncertainty").any()


def test_shares_do_not_move_the_total(default: Assumptions) -> None:
    rows = sensitivity(default, "total")
    assert set(rows["path"]) == {"growth.cagr_pct", "growth.base_value"}
    reshuffled = apply_overrides(
        default, {"share.region.north-america": 5.0, "share.region.asia-pacific": 80.0}
    )
    pd.testing.assert_frame_equal(sensitivity(reshuffled, "total"), rows)


def test_a_region_share_moves_that_region(default: Assumptions) -> None:
    rows = sensitivity(default, "region/north-america").set_index("path")
    own = rows.loc["share.region.north-america"]
    assert own["low_value"] < own["base_value"] < own["high_value"]
    other = rows.loc["share.region.europe"]
    assert other["low_value"] > other["base_value"] > other["high_value"]
    assert not rows.index.str.contains(r"\.component\.").any()


def test_share_swing_matches_the_mix_shift_formula() -> None:
    # North = total * wN * fN^n / (wN * fN^n + wS * fS^n), with f = 1 + CAGR + differential.
    a = small_market(cagr=10.0)
    total = 100 * 1.10**5

    def north(w_north: float) -> float:
        fn, fs = (1.10 - 0.01) ** 5, (1.10 + 0.02) ** 5
        return total * w_north * fn / (w_north * fn + 40 * fs)

    rows = sensitivity(a, "region/north", share_pct=20.0).set_index("path")
    share = rows.loc["share.region.north"]
    assert share["low_value"] == pytest.approx(north(48.0), rel=1e-12)
    assert share["high_value"] == pytest.approx(north(72.0), rel=1e-12)
    assert share["base_value"] == pytest.approx(north(60.0), rel=1e-12)


def test_zero_swing_rows_are_dropped(default: Assumptions) -> None:
    rows = sensitivity(default, "component/software/ehr-systems")
    assert (rows["swing"] > 0).all()
    assert "share.component.software.ehr-systems" in set(rows["path"])
    # Services' sub-segments share out a different parent: they cannot move EHR systems.
    assert not rows["path"].str.contains("component.services.").any()


def test_moves_are_clamped_into_the_parameter_range() -> None:
    rows = sensitivity(small_market(cagr=99.5), cagr_pp=2.0).set_index("path")
    assert rows.at["growth.cagr_pct", "high_input"] == 100.0
    assert rows.at["growth.cagr_pct", "low_input"] == 97.5


def test_unknown_target_lists_the_valid_ones(default: Assumptions) -> None:
    with pytest.raises(ValueError, match="region/north-america") as err:
        sensitivity(default, "region/atlantis")
    assert "component/software/ehr-systems" in str(err.value)


@pytest.mark.parametrize(
    "moves", [{"cagr_pp": -1.0}, {"base_value_pct": 100.0}, {"share_pct": math.nan}]
)
def test_bad_move_sizes_are_refused(moves: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        sensitivity(small_market(), **moves)


# --- bridge ------------------------------------------------------------------------------


def test_bridge_steps_add_up(default: Assumptions) -> None:
    b = apply_overrides(
        default,
        {
            "growth.cagr_pct": 22.0,
            "growth.base_value": 480.0,
            "share.region.north-america": 50.0,
            "diff.region.europe": 0.5,
            "uncertainty.cagr_sd_pct": 5.0,
        },
    )
    for target in ("total", "region/north-america"):
        frame = bridge(default, b, target)
        start, steps, end = frame.iloc[0], frame.iloc[1:-1], frame.iloc[-1]
        assert (start["kind"], end["kind"]) == ("start", "end")
        assert set(steps["kind"]) == {"step"}
        assert steps["value"].sum() == pytest.approx(end["value"] - start["value"], rel=1e-9)
    assert list(steps["path"]) == [
        "growth.cagr_pct",
        "growth.base_value",
        "uncertainty.cagr_sd_pct",
        "share.region.north-america",
        "diff.region.europe",
    ]
    assert frame.set_index("path").at["uncertainty.cagr_sd_pct", "value"] == 0.0
    assert end["value"] == pytest.approx(
        forecast(b).by("region").at[default.years.horizon, "North America"], rel=1e-12
    )


def test_bridge_of_growth_matches_the_closed_form(default: Assumptions) -> None:
    # CAGR first (parameter order): base_a * ((1+g_b)^n - (1+g_a)^n); then the base value
    # at the new CAGR: (base_b - base_a) * (1+g_b)^n.
    b = apply_overrides(default, {"growth.cagr_pct": 18.0, "growth.base_value": 500.0})
    n = default.years.horizon - default.years.base
    base_a, g_a = default.growth.base_value.value, default.growth.cagr_pct.value / 100
    frame = bridge(default, b).set_index("path")
    assert list(frame.columns) == ["label", "kind", "from_input", "to_input", "value"]
    assert frame.at["growth.cagr_pct", "value"] == pytest.approx(
        base_a * (1.18**n - (1 + g_a) ** n), rel=1e-12
    )
    assert frame.at["growth.base_value", "value"] == pytest.approx((500.0 - base_a) * 1.18**n)
    assert frame.at["growth.base_value", "from_input"] == base_a
    assert frame.at["growth.base_value", "to_input"] == 500.0


def test_bridge_from_a_scenario_to_itself_has_no_steps(default: Assumptions) -> None:
    frame = bridge(default, default, "region/europe")
    assert list(frame["kind"]) == ["start", "end"]
    assert frame["value"].iloc[0] == frame["value"].iloc[1]


def test_bridge_can_swap_a_share_through_zero() -> None:
    a = small_market(regions=[_segment("North", 100), _segment("South", 0, 3.0)])
    b = small_market(regions=[_segment("North", 0), _segment("South", 100, 3.0)])
    frame = bridge(a, b, "region/south")
    steps = frame[frame["kind"] == "step"]
    assert set(steps["path"]) == {"share.region.north", "share.region.south"}
    assert frame["value"].iloc[0] == 0.0
    assert steps["value"].sum() == pytest.approx(frame["value"].iloc[-1], rel=1e-9)


def test_bridge_refuses_different_structures() -> None:
    a = small_market()
    with pytest.raises(ValueError, match="years differ"):
        bridge(a, small_market(horizon=2031))
    three = small_market(
        regions=[_segment("North", 60), _segment("South", 40), _segment("East", 10)]
    )
    with pytest.raises(ValueError, match=r"only in the second: diff\.region\.east"):
        bridge(a, three)
    with pytest.raises(ValueError, match="only in the first"):
        bridge(three, a)


def test_targets_three_levels_deep_where_ids_repeat() -> None:
    # Lyon > Cloud > {P, Q} and Ghent > Cloud > {R, S}: "cloud" names two different groups.
    # With no differentials R = total * 1/2 (Ghent) * 1 (its Cloud) * 1/2 (R).
    cloud_lyon = _segment("Cloud", 1) | {"segments": [_segment("P", 1), _segment("Q", 3)]}
    cloud_ghent = _segment("Cloud", 1) | {"segments": [_segment("R", 1), _segment("S", 1)]}
    a = small_market(
        sd=0.0,
        concentration=1e12,
        regions=[
            _segment("Lyon", 1) | {"segments": [cloud_lyon, _segment("Edge", 1)]},
            _segment("Ghent", 1) | {"segments": [cloud_ghent]},
        ],
    )
    total = 100 * 1.10**5
    rows = sensitivity(a, "region/ghent/cloud/r")
    assert rows["base_value"].iloc[0] == pytest.approx(total / 4, rel=1e-12)
    assert "share.region.ghent.cloud.r" in set(rows["path"])
    assert "share.region.lyon.cloud.p" not in set(rows["path"])
    run = simulate(a, paths=100).segments.set_index(["segment", "year"])
    assert run.loc[("R", 2030), "p50"] == pytest.approx(total / 4, rel=1e-5)
    assert run.loc[("P", 2030), "p50"] == pytest.approx(total / 16, rel=1e-5)


def test_band_is_numpys_percentile_of_the_paths(default: Assumptions) -> None:
    run = simulate(default, paths=999, seed=5)
    expected = np.percentile(run.horizon_totals, [5, 10, 50, 90, 95])
    np.testing.assert_allclose(run.totals.loc[default.years.horizon, BAND], expected, rtol=1e-14)
    single = simulate(default, paths=1, seed=None)
    assert (single.totals.loc[default.years.horizon] == single.horizon_totals[0]).all()


def test_every_segment_s_band_is_numpys_percentile_of_its_own_paths(default: Assumptions) -> None:
    # 10,000 paths: the dimensions are drawn at once on two threads, each sorting its own
    # rows when done; a row sorted before its sub-segments were shared out of it, or a
    # dimension drawn from another's generator, would give bands these paths do not have
    run = simulate(default, paths=10_000, seed=11)
    drawn = _trajectories(default, 10_000, np.random.default_rng(11), 3.0)
    expected = np.percentile(drawn.cube, [5, 10, 50, 90, 95], axis=-1)  # (5, rows, years)
    segments = run.segments
    assert segments is not None
    for row, (group, name) in enumerate(((g, n) for g in drawn.groups for n in g.names), start=1):
        mine = segments[(segments["dimension"] == group.dimension) & (segments["segment"] == name)]
        mine = mine[mine["parent"] == group.parent]
        np.testing.assert_allclose(mine[BAND].to_numpy(), expected[:, row].T, rtol=1e-14)
    np.testing.assert_allclose(run.totals[BAND].to_numpy(), expected[:, 0].T, rtol=1e-14)


def test_affordable_paths_shrink_as_segments_grow(default_assumptions) -> None:
    from market.risk import affordable_paths, memory_paths

    # the default market: as many as fit under the memory ceiling (35 rows x 9 years)
    assert affordable_paths(default_assumptions) == memory_paths(default_assumptions) >= 50_000
    assert affordable_paths(default_assumptions, budget=1_000) == 1_000  # never below 1,000
    segments = 34  # 6 dimensions' segments and sub-segments in the default file
    assert affordable_paths(default_assumptions, budget=340_000) == 340_000 // segments


def test_the_total_alone_gives_the_same_paths_and_band_without_the_segments(
    default_assumptions: Assumptions,
) -> None:
    full = simulate(default_assumptions, paths=2_000, seed=3)
    total = simulate(default_assumptions, paths=2_000, seed=3, by_segment=False)
    assert total.segments is None
    pd.testing.assert_frame_equal(total.totals, full.totals)
    np.testing.assert_array_equal(total.horizon_totals, full.horizon_totals)
    assert total.probability_of_target == full.probability_of_target


def test_the_default_number_of_paths_is_one_the_risk_page_offers(default: Assumptions) -> None:
    assert DEFAULT_PATHS in PATH_CHOICES
    assert DEFAULT_PATHS in path_choices(default)
