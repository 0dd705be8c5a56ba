"""Saved scenarios keep the Opportunity page's choices, and old files without them still load."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from market import forecast, load_assumptions
from market import opportunity as op
from market.paths import default_assumptions
from market.scenarios import (
    ScenarioFileError,
    ScenarioStore,
    dump_scenario,
    from_assumptions,
    parse_scenario,
)
from market.summary import scenario_table

A = load_assumptions(default_assumptions())
A_FILE = default_assumptions().name
CHOICES = op.Opportunity(
    served=(op.Served(dimension="region", picks=(op.Pick(segment="europe", served_pct=50),)),),
    target_share_pct=8,
    shape=op.Shape.S_CURVE,
    revenue_target=40,
)


def test_a_saved_scenario_gives_back_the_choices(tmp_path: Path) -> None:
    store = ScenarioStore(tmp_path)
    scenario = from_assumptions("Europe push", A_FILE, A, A, "half of Europe", CHOICES)
    store.save(scenario)
    assert store.load("Europe push").opportunity == CHOICES


def test_the_file_holds_only_the_choices_that_differ_from_the_defaults() -> None:
    text = dump_scenario(from_assumptions("Europe push", A_FILE, A, A, "", CHOICES))
    assert "opportunity:" in text and "target_share_pct: 8" in text
    assert "start_share_pct" not in text  # the default 1 % is not written
    assert parse_scenario(text).opportunity == CHOICES


def test_a_scenario_without_choices_has_none_and_writes_none() -> None:
    scenario = from_assumptions("Plain", A_FILE, A, A)
    assert scenario.opportunity is None
    assert "opportunity" not in dump_scenario(scenario).split("\n", 6)[-1]
    assert parse_scenario(dump_scenario(scenario)).opportunity is None


def test_a_broken_opportunity_in_a_file_is_named_with_where_it_is() -> None:
    text = "name: Bad\nbase_file: x.yaml\nopportunity:\n  target_share_pct: 300\n"
    with pytest.raises(ScenarioFileError, match=r"opportunity\.target_share_pct"):
        parse_scenario(text)


def test_compare_gets_a_revenue_per_scenario_and_none_where_there_are_no_choices() -> None:
    f = forecast(A)
    revenue = float(op.plan(A, CHOICES)["revenue"].iloc[-1])
    table = scenario_table({"With": f, "Without": f}, A, {"With": revenue})
    assert table.loc[0, "revenue"] == revenue
    assert math.isnan(table.loc[1, "revenue"])
