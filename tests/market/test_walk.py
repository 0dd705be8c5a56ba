"""The one walk of the segment tree, and that everything listing segments follows it."""

from __future__ import annotations

from typing import Any

from market import Assumptions, forecast, parameters
from market.opportunity import segment_choices
from market.risk import simulate


def _segment(name: str, *parts: dict[str, Any], segment_id: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "share": 1, "provenance": "assumed", "rationale": "r"}
    if segment_id:
        found["id"] = segment_id
    if parts:
        found["segments"] = list(parts)
    return found


def _nested(small_market: dict[str, Any]) -> Assumptions:
    """Two parents that share a child's id, and a grandchild, in one dimension."""
    small_market["dimensions"][0]["segments"] = [
        _segment("Cloud", _segment("Core", _segment("Deep")), _segment("Edge")),
        _segment("On-premise", _segment("Core 2", segment_id="core")),
        _segment("Hybrid"),
    ]
    return Assumptions.model_validate(small_market)


def test_the_walk_visits_every_segment_once_in_file_order_parents_first(
    small_market: dict[str, Any],
) -> None:
    a = _nested(small_market)
    places = list(a.dimension("customer").walk())
    assert [p.key for p in places] == [
        "cloud",
        "cloud.core",
        "cloud.core.deep",
        "cloud.edge",
        "on-premise",
        "on-premise.core",
        "hybrid",
    ]
    deep = places[2]
    assert deep.parent_key == "cloud.core"
    assert [s.name for s in deep.ancestors] == ["Cloud", "Core"]
    assert deep.depth == 2
    assert places[3].index == 1
    assert places[3].siblings == a.dimension("customer").segments[0].segments
    assert [p.key for p in a.walk()] == [p.key for p in places] + ["lyon", "ghent"]
    assert a.segment_count == 9


def test_a_sibling_group_begins_where_the_walk_meets_its_first_segment(
    small_market: dict[str, Any],
) -> None:
    a = _nested(small_market)
    starts = [(p.dimension.id, p.parent_key) for p in a.walk() if p.index == 0]
    assert list(forecast(a).groups) == starts
    run = simulate(a, paths=20)
    assert run.segments is not None
    names = {(p.dimension.id, p.segment.name) for p in a.walk()}
    assert set(zip(run.segments["dimension"], run.segments["segment"], strict=True)) == names


def test_parameters_and_served_market_choices_name_the_walk_s_segments(
    small_market: dict[str, Any],
) -> None:
    a = _nested(small_market)
    shares = [p.path for p in parameters(a) if p.group == "share"]
    assert shares == [f"share.{p.dimension.id}.{p.key}" for p in a.walk()]
    choices = segment_choices(a, "customer")
    assert list(choices) == [p.key for p in a.dimension("customer").walk()]
    assert choices["cloud.core.deep"] == "Cloud › Core › Deep"
