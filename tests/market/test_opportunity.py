"""Our opportunity on the default market: served market, share path, revenue, its risk and
goal seek, and ``market opportunity`` as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import math
import re

import numpy as np
import pytest
from pydantic import ValidationError

from cli import EXIT_OK, EXIT_USAGE, main
from market import Assumptions, apply_overrides, forecast, load_assumptions
from market import opportunity as op
from market.paths import ASSUMPTIONS_ENV, DEFAULT_FILE_ENV, SCENARIOS_ENV, default_assumptions
from market.risk import simulate as simulate_market


@pytest.fixture(autouse=True)
def _project_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ASSUMPTIONS_ENV, SCENARIOS_ENV, DEFAULT_FILE_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def a() -> Assumptions:
    return load_assumptions(default_assumptions())


def serve(**picks: str) -> tuple[op.Served, ...]:
    """``serve(region="north-america,europe:50")`` in the CLI's own spelling."""
    served = []
    for dimension, text in picks.items():
        items = [part.partition(":") for part in text.split(",")]
        served.append(
            op.Served(
                dimension=dimension.replace("_", "-"),
                picks=tuple(
                    op.Pick(segment=s, served_pct=float(p) if p else 100.0) for s, _, p in items
                ),
            )
        )
    return tuple(served)


def weight(a: Assumptions, dimension: str, segment: str) -> float:
    """A top-level segment's share of its dimension in the base year: its normalised weight."""
    segments = a.dimension(dimension).segments
    return next(s.share for s in segments if s.id == segment) / sum(s.share for s in segments)


def test_sam_in_the_base_year_is_the_market_times_the_picked_weights_of_each_dimension(
    a: Assumptions,
) -> None:
    opp = op.Opportunity(served=serve(component="software", region="north-america,europe:50"))
    frame = op.plan(a, opp).set_index("year")
    region = weight(a, "region", "north-america") + 0.5 * weight(a, "region", "europe")
    expected = a.growth.base_value.value * weight(a, "component", "software") * region
    assert math.isclose(frame.at[a.years.base, "sam"], expected, rel_tol=1e-12)
    assert list(op.plan(a, opp).columns) == op.PLAN_COLUMNS
    assert frame.index[0] == a.years.base and frame.index[-1] == a.years.horizon


def test_a_sub_segment_pick_serves_its_part_of_the_parent(a: Assumptions) -> None:
    f = forecast(a)
    opp = op.Opportunity(served=serve(component="software.ehr-systems"))
    sam = op.plan(a, opp, f).set_index("year")["sam"]
    ehr = f.by("component", "software")["EHR systems"]
    np.testing.assert_allclose(sam.to_numpy(), ehr.loc[sam.index].to_numpy(), rtol=1e-12)


def test_no_pick_serves_the_whole_market(a: Assumptions) -> None:
    frame = op.plan(a, op.Opportunity())
    np.testing.assert_array_equal(frame["sam"], frame["market"])


def test_the_plan_follows_the_market_assumptions(a: Assumptions) -> None:
    opp = op.Opportunity(served=serve(region="europe"), target_share_pct=10)
    faster = apply_overrides(a, {"growth.cagr_pct": a.growth.cagr_pct.value + 5})
    assert op.plan(faster, opp)["revenue"].iloc[-1] > op.plan(a, opp)["revenue"].iloc[-1]


def test_anchoring_derives_the_starting_share_from_the_current_revenue(a: Assumptions) -> None:
    opp = op.Opportunity(served=serve(region="europe"), current_revenue=3.0, start_share_pct=50)
    frame = op.plan(a, opp).set_index("year")
    assert math.isclose(frame.at[a.years.base, "revenue"], 3.0, rel_tol=1e-12)
    derived = op.start_share_pct(a, opp)
    assert math.isclose(derived, 3.0 / frame.at[a.years.base, "sam"] * 100, rel_tol=1e-12)
    assert ("Share of SAM in 2024 (derived)", f"{derived:.2f}%") in op.describe(a, opp)


def test_a_current_revenue_above_the_served_market_is_refused_with_the_sam(a: Assumptions) -> None:
    with pytest.raises(op.OpportunityError, match="more than the whole served market"):
        op.plan(a, op.Opportunity(served=serve(region="europe"), current_revenue=1e6))


def test_the_s_curve_starts_slow_and_meets_the_linear_path_at_both_ends(a: Assumptions) -> None:
    linear = op.Opportunity(start_share_pct=1, target_share_pct=9, target_year=2030)
    s_curve = linear.model_copy(update={"shape": op.Shape.S_CURVE})
    lin, s = (op.plan(a, o).set_index("year")["share_pct"] for o in (linear, s_curve))
    assert lin.loc[2024] == s.loc[2024] == 1 and lin.loc[2030] == s.loc[2030] == 9
    assert s.loc[2025] < lin.loc[2025] and s.loc[2029] > lin.loc[2029]
    assert s.loc[2031] == 9


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"served": serve(regio="europe")}, "no dimension 'regio'; valid: component, deployment"),
        ({"served": serve(region="mars")}, "no segment 'mars' in region; valid: north-america"),
        ({"target_year": 2040}, "target year must lie from 2025 to 2031"),
    ],
)
def test_choices_that_do_not_fit_the_market_name_the_valid_ones(
    a: Assumptions, choices: dict, message: str
) -> None:
    with pytest.raises(op.OpportunityError, match=message):
        op.plan(a, op.Opportunity(**choices))


@pytest.mark.parametrize(
    "choices",
    [
        {"start_share_pct": 101},
        {"target_share_pct": -1},
        {"served": [{"dimension": "region", "picks": [{"segment": "europe", "served_pct": 0}]}]},
        {"served": [{"dimension": "region", "picks": [{"segment": "europe"}] * 2}]},
        {"served": [{"dimension": "c", "picks": [{"segment": "a"}, {"segment": "a.b"}]}]},
        {"served": [{"dimension": "region", "picks": [{"segment": "europe"}]}] * 2},
        {"served": [{"dimension": "region", "picks": []}]},
        {"current_revenue": 0},
        {"unknown": 1},
    ],
)
def test_choices_no_user_could_mean_are_refused(choices: dict) -> None:
    with pytest.raises(ValidationError):
        op.Opportunity.model_validate(choices)


def test_the_revenue_fan_is_ordered_and_centred_on_the_plan(a: Assumptions) -> None:
    opp = op.Opportunity(served=serve(component="software", region="europe"), target_share_pct=8)
    risk = op.simulate(a, opp, paths=4_000, seed=1)
    band = risk.revenue
    assert list(band.index) == list(range(a.years.base, a.years.horizon + 1))
    assert (band["p10"] <= band["p50"]).all() and (band["p50"] <= band["p90"]).all()
    planned = op.plan(a, opp)["revenue"].iloc[-1]
    assert band.at[a.years.horizon, "p10"] < planned < band.at[a.years.horizon, "p90"]
    assert (risk.revenue_paths <= risk.sam.to_numpy().max() + 1e-9).all()


def test_the_market_paths_are_the_risk_pages_paths(a: Assumptions) -> None:
    """Serving everything gives the market's own fan, path for path."""
    risk = op.simulate(a, op.Opportunity(start_share_pct=100, target_share_pct=100), 2_000, 3)
    market = simulate_market(a, 2_000, 3).totals
    np.testing.assert_allclose(risk.revenue.to_numpy(), market.loc[risk.revenue.index].to_numpy())


def test_the_chance_of_a_revenue_target_falls_as_the_target_rises(a: Assumptions) -> None:
    opp = op.Opportunity(served=serve(region="europe"), target_share_pct=10)
    risk = op.simulate(a, opp, paths=4_000)
    median = risk.revenue.at[a.years.horizon, "p50"]
    assert math.isclose(risk.chance(median, a.years.horizon), 0.5, abs_tol=0.02)
    assert risk.chance(median * 10, a.years.horizon) == 0.0
    assert risk.chance(median / 10, a.years.horizon) == 1.0
    assert risk.chance(median, 2027) < risk.chance(median, a.years.horizon)


def test_anchored_paths_all_start_from_the_current_revenue(a: Assumptions) -> None:
    opp = op.Opportunity(served=serve(region="europe"), current_revenue=2.5, target_share_pct=5)
    risk = op.simulate(a, opp, paths=1_000)
    np.testing.assert_allclose(risk.revenue_paths[0], 2.5, rtol=1e-12)


def test_goal_seek_gives_the_share_and_the_cagr_that_reach_a_revenue(a: Assumptions) -> None:
    opp = op.Opportunity(served=serve(region="europe"), target_share_pct=5, target_year=2029)
    share = op.required_target_share_pct(a, opp, 40.0, 2031)
    moved = opp.model_copy(update={"target_share_pct": share})
    assert math.isclose(op.plan(a, moved).set_index("year").at[2031, "revenue"], 40.0)
    cagr = op.required_cagr_pct(a, opp, 40.0, 2031)
    faster = apply_overrides(a, {"growth.cagr_pct": cagr})
    assert math.isclose(op.plan(faster, opp).set_index("year").at[2031, "revenue"], 40.0)
    with pytest.raises(op.OpportunityError, match="outside 0-100%"):
        op.required_target_share_pct(a, opp, 1e6, 2031)


# --- the served segments as text: one grammar for --serve and the share link ---------------


def test_the_served_text_reads_as_the_picks_it_names(a: Assumptions) -> None:
    served = op.read_served(a, " region = north-america, europe:50 ")
    assert served == op.Served(
        dimension="region",
        picks=(op.Pick(segment="north-america"), op.Pick(segment="europe", served_pct=50)),
    )
    assert op.read_served(a, op.SERVED_EXAMPLE) == served
    assert op.read_picks(a, "component", "software.ehr-systems:12.5e0").picks == (
        op.Pick(segment="software.ehr-systems", served_pct=12.5),
    )


@pytest.mark.parametrize(
    ("text", "reason", "valid"),
    [
        ("region", "expected DIM=SEG[:PCT]", ()),
        ("planet=earth", "no such dimension in this market", ("component", "region")),
        ("region=europe,mars", "'mars' is not a segment of region", ("europe", "asia-pacific")),
        ("region=", "'' is not a segment of region", ("europe",)),
        ("region=europe:lots", "'lots' is not a number", ()),
        ("region=europe:nan", "'nan' is not a number", ()),
        ("region=europe:1_0", "'1_0' is not a number", ()),
        ("region=europe:0", "the served share of europe must be above 0 and at most 100", ()),
        ("region=europe:1e999", "must be above 0 and at most 100", ()),
        ("region=europe,europe", "a segment is picked twice: europe", ()),
        ("component=software,software.ehr-systems", "lies inside another pick", ()),
    ],
)
def test_served_text_that_cannot_be_read_says_why_and_what_would_do(
    a: Assumptions, text: str, reason: str, valid: tuple[str, ...]
) -> None:
    with pytest.raises(op.ServedError, match=re.escape(reason)) as refused:
        op.read_served(a, text)
    assert set(valid) <= set(refused.value.valid)
    assert bool(refused.value.valid) == bool(valid)


def test_the_user_text_in_a_reason_is_shown_as_the_caller_quotes_it(a: Assumptions) -> None:
    with pytest.raises(op.ServedError, match=r"^<MARS\?> is not a segment of region$"):
        op.read_picks(a, "region", "mars\x07", quote=lambda t: f"<{t.upper()[:4]}?>")


# --- the command line ----------------------------------------------------------------------

ISSUE_COMMAND = [
    "opportunity",
    "--serve",
    "component=software",
    "--serve",
    "region=north-america,europe",
    "--share-start",
    "1",
    "--share-target",
    "8",
    "--by",
    "2031",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_issues_command_prints_one_json_object_per_year(
    capsys: pytest.CaptureFixture[str], a: Assumptions
) -> None:
    code, out, err = run(capsys, *ISSUE_COMMAND, "--format", "json")
    assert code == EXIT_OK and not err
    rows = json.loads(out)
    opp = op.Opportunity(
        served=serve(component="software", region="north-america,europe"),
        start_share_pct=1,
        target_share_pct=8,
        target_year=2031,
    )
    assert rows == op.plan(a, opp).to_dict("records")
    assert list(rows[0]) == ["year", "market", "sam", "share_pct", "revenue"]


def test_csv_keeps_full_precision_and_the_s_curve_is_chosen_by_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, linear, _ = run(capsys, *ISSUE_COMMAND, "--format", "csv")
    code, out, _ = run(capsys, *ISSUE_COMMAND, "--format", "csv", "--shape", "s-curve")
    assert code == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["year", "market", "sam", "share_pct", "revenue"]
    assert float(rows[-1]["share_pct"]) == 8.0 and float(rows[0]["share_pct"]) == 1.0
    assert out != linear


def test_the_text_labels_the_users_assumptions_and_the_independence_of_dimensions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, *ISSUE_COMMAND, "--revenue-target", "50")
    assert code == EXIT_OK
    assert op.ASSUMPTION_NOTE in out and op.INDEPENDENCE_NOTE in out
    assert "Served: Region: North America, Europe" in out
    assert "P10" in out and "P90" in out
    assert "Chance revenue reaches 50.0 by 2031" in out
    assert "Target share that reaches it" in out


@pytest.mark.parametrize(
    ("serve_item", "names"),
    [
        ("regio=europe", "valid: component, deployment, application, end-user, region, use-case"),
        ("region=europe,mars", "valid: north-america, europe, asia-pacific"),
    ],
)
def test_unknown_ids_exit_2_with_one_line_naming_the_valid_ones(
    capsys: pytest.CaptureFixture[str], serve_item: str, names: str
) -> None:
    code, out, err = run(
        capsys, "opportunity", "--serve", serve_item, "--share-start", "1", "--share-target", "8"
    )
    assert code == EXIT_USAGE and not out
    assert len(err.strip().splitlines()) == 1 and names in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--share-target", "8"],  # neither a start share nor a current revenue
        ["--share-start", "1", "--share-target", "8", "--by", "2040"],
        ["--share-start", "1", "--share-target", "8", "--serve", "region=europe:0"],
        ["--share-start", "1", "--share-target", "8", "--serve", "region"],
        ["--current-revenue", "1e9", "--share-target", "8"],
    ],
)
def test_unusable_choices_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, "opportunity", *argv)
    assert code == EXIT_USAGE and not out
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
