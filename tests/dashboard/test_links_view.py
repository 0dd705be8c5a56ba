"""The pages' own controls in share links (``v.`` keys): exact round trips, written only when
they differ from the page's default, and every unusable part dropped with a warning while
the rest applies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.links import CURRENT_IN_LINK, VIEW_KEYS, Decoded, decode, encode_view
from market import Assumptions, load_assumptions
from market.risk import path_choices
from market.summary import sensitivity_targets
from tests.conftest import examples

FOLDER = Path(__file__).resolve().parents[2] / "assumptions"
DEFAULT = "healthcare-microservices.yaml"
OTHER = "example-coffee-subscriptions.yaml"
BASES: dict[str, Assumptions] = {name: load_assumptions(FOLDER / name) for name in (DEFAULT, OTHER)}
A = BASES[DEFAULT]
CURRENT = "Your current assumptions"
SAVED = ("Aggressive", "Base case", "Conservative")
DEFAULTS: dict[str, object] = {
    "segments.dimension": "component",
    "year": 2031,
    "regions.by": "component",
    "risk.paths": 10_000,
    "risk.target": "total",
    "scenarios.compare": [CURRENT, "Aggressive", "Base case"],
    "scenarios.mix-dimension": "component",
    "scenarios.from": CURRENT,
    "scenarios.to": "Aggressive",
    "scenarios.bridge-dimension": "total",
    "scenarios.bridge-segment": "software",
}


def opened(params: dict[str, object], saved: tuple[str, ...] = SAVED) -> Decoded:
    return decode(
        params,  # type: ignore[arg-type]
        BASES,
        BASES.__getitem__,
        default_file=DEFAULT,
        scenarios=lambda: saved,
        current=CURRENT,
    )


def link(choices: dict[str, object], a: Assumptions = A) -> dict[str, str]:
    return encode_view(choices, DEFAULTS, a, current=CURRENT)


@st.composite
def views(draw: st.DrawFn, a: Assumptions = A) -> dict[str, object]:
    """Any choice each control offers on ``a``, or none."""
    region = a.geographic_dimension
    assert region is not None
    options: dict[str, st.SearchStrategy[object]] = {
        "segments.dimension": st.sampled_from([d.id for d in a.dimensions]),
        "year": st.sampled_from(list(a.years.all)),
        "regions.by": st.sampled_from([d.id for d in a.dimensions if d.id != region.id]),
        "risk.paths": st.sampled_from(path_choices(a)),
        "risk.target": st.sampled_from(list(sensitivity_targets(a))),
        "scenarios.compare": st.lists(
            st.sampled_from([CURRENT, *SAVED]), min_size=1, max_size=4, unique=True
        ),
        "scenarios.mix-dimension": st.sampled_from([d.id for d in a.dimensions]),
        "scenarios.from": st.sampled_from([CURRENT, *SAVED]),
        "scenarios.to": st.sampled_from([CURRENT, *SAVED]),
        "scenarios.bridge-dimension": st.sampled_from(["total", *(d.id for d in a.dimensions)]),
        "scenarios.bridge-segment": st.sampled_from(
            [s.id for d in a.dimensions for s in d.segments]
        ),
    }
    return {name: draw(value) for name, value in options.items() if draw(st.booleans())}


@settings(max_examples=examples(150), deadline=None)
@given(views())
def test_a_link_reopens_exactly_the_same_view(view: dict[str, object]) -> None:
    decoded = opened(link(view))
    assert decoded.warnings == ()
    differing = {name: value for name, value in view.items() if value != DEFAULTS[name]}
    assert decoded.view == differing
    assert set(decoded.applied) == set(link(view))


def test_what_the_page_shows_first_adds_nothing_to_the_link() -> None:
    assert link(dict(DEFAULTS)) == {}
    assert link({}) == {}


def test_the_link_is_short_and_readable() -> None:
    view = {
        "segments.dimension": "region",
        "year": 2028,
        "regions.by": "deployment",
        "risk.paths": 50_000,
        "risk.target": "region/europe",
        "scenarios.compare": [CURRENT, "Base case"],
        "scenarios.mix-dimension": "end-user",
        "scenarios.from": "Base case",
        "scenarios.to": "Conservative",
        "scenarios.bridge-dimension": "region",
        "scenarios.bridge-segment": "europe",
        "risk.grid.rows": "diff.region.europe",
        "risk.grid.rows-range": "-2:0:5",
        "risk.grid.cols": "share.region.europe",
        "risk.grid.cols-range": "20:35:7",
        "risk.grid.of": "region/europe@2030",
        "risk.grid.target": 450.0,
    }
    assert link(view) == {
        "v.dim": "region",
        "v.year": "2028",
        "v.by": "deployment",
        "v.paths": "50000",
        "v.target": "region/europe",
        "v.compare": f"{CURRENT_IN_LINK},Base case",
        "v.mix": "end-user",
        "v.from": "Base case",
        "v.to": "Conservative",
        "v.bridge": "region",
        "v.segment": "europe",
        "v.grid-rows": "diff.region.europe",
        "v.grid-rows-range": "-2:0:5",
        "v.grid-cols": "share.region.europe",
        "v.grid-cols-range": "20:35:7",
        "v.grid-of": "region/europe@2030",
        "v.grid-target": "450",
    }
    assert set(VIEW_KEYS) == set(link(view))


def test_a_control_whose_page_never_ran_is_written_whenever_it_has_a_value() -> None:
    # opened from a link, before the page with the control drew it: its default is unknown
    assert encode_view({"year": 2031}, {}, A, current=CURRENT) == {"v.year": "2031"}


def test_a_choice_made_on_another_file_is_written_as_this_file_shows_it() -> None:
    coffee = BASES[OTHER]  # years 2022-2030; no "component" dimension, paths up to 100,000
    chosen = {"segments.dimension": "component", "year": 2031, "risk.paths": 100_000}
    assert encode_view(chosen, {"year": 2030}, coffee, current=CURRENT) == {"v.paths": "100000"}
    assert link({"year": 2040, "risk.paths": 100_000}) == {"v.paths": "50000"}  # nearest offered
    assert link({"year": 2019}) == {"v.year": "2023"}


BAD_PARTS: dict[str, tuple[dict[str, str], str]] = {
    "unknown dimension": ({"v.dim": "colour"}, "v.dim: 'colour' is not a dimension"),
    "unknown mix": ({"v.mix": "colour"}, "v.mix: 'colour' is not a dimension of this market"),
    "year past the horizon": ({"v.year": "2040"}, "v.year: must be a year from 2023 to 2031"),
    "year before the first": ({"v.year": "1999"}, "v.year: must be a year from 2023 to 2031"),
    "year not whole": ({"v.year": "2028.5"}, "v.year: must be a year from 2023 to 2031"),
    "year not a number": ({"v.year": "soon"}, "v.year: must be a year from 2023 to 2031"),
    "regions by themselves": ({"v.by": "region"}, "v.by: 'region' is not a dimension the"),
    "paths not offered": ({"v.paths": "100000"}, "v.paths: must be one of 1000, 2000"),
    "paths not whole": ({"v.paths": "1e3x"}, "v.paths: must be one of"),
    "unknown tornado target": ({"v.target": "region/mars"}, "v.target: 'region/mars' is not"),
    "no longer saved": ({"v.compare": "Gone,Base case"}, "v.compare: 'Gone' is not a saved"),
    "too long": ({"v.compare": "x" * 400}, "v.compare: the value is longer than"),
}


@pytest.mark.parametrize("kind", list(BAD_PARTS))
def test_a_bad_part_is_dropped_with_one_warning_and_the_rest_applies(kind: str) -> None:
    bad, warning = BAD_PARTS[kind]
    decoded = opened({"v.target": "deployment/cloud", "cagr": "25"} | bad)
    assert len(decoded.warnings) == 1 and decoded.warnings[0].startswith(warning), decoded.warnings
    assert decoded.overrides == {"growth.cagr_pct": 25.0}
    if "v.target" not in bad:
        assert decoded.view["risk.target"] == "deployment/cloud"


def test_a_link_is_checked_against_its_own_file() -> None:
    decoded = opened({"file": OTHER, "v.dim": "plan", "v.year": "2022", "v.by": "channel"})
    assert decoded.warnings == ()
    assert decoded.view == {"segments.dimension": "plan", "year": 2022, "regions.by": "channel"}
    refused = opened({"file": OTHER, "v.dim": "component", "v.year": "2031"})
    assert len(refused.warnings) == 2 and refused.view == {}


def test_a_market_without_regions_cannot_split_them() -> None:
    flat = A.model_copy(
        update={
            "dimensions": tuple(d.model_copy(update={"geographic": False}) for d in A.dimensions)
        }
    )
    assert flat.geographic_dimension is None
    decoded = decode({"v.by": "component"}, {DEFAULT: flat}, {DEFAULT: flat}.__getitem__)
    assert decoded.warnings == ("v.by: this market has no regions",)


def test_compared_scenarios_keep_their_order_and_the_saved_spelling() -> None:
    decoded = opened({"v.compare": f"conservative,{CURRENT_IN_LINK},BASE CASE,Conservative"})
    assert decoded.warnings == ()
    assert decoded.view == {"scenarios.compare": ["Conservative", CURRENT, "Base case"]}


def test_each_scenario_no_longer_saved_is_dropped_with_its_own_warning() -> None:
    decoded = opened({"v.compare": "Gone,Base case,Also gone"})
    assert decoded.view == {"scenarios.compare": ["Base case"]}
    assert decoded.warnings == (
        "v.compare: 'Gone' is not a saved scenario",
        "v.compare: 'Also gone' is not a saved scenario",
    )
    nothing_left = opened({"v.compare": "Gone"}, saved=())
    assert nothing_left.view == {} and "v.compare" not in nothing_left.applied
    assert len(nothing_left.warnings) == 1


def test_at_most_four_scenarios_are_compared() -> None:
    saved = tuple(f"S{i}" for i in range(6))
    decoded = opened({"v.compare": ",".join(saved)}, saved=saved)
    assert decoded.view == {"scenarios.compare": list(saved[:4])}
    assert decoded.warnings == (
        "v.compare: at most 4 scenarios are compared; the rest were left out",
    )


def test_an_unreadable_scenarios_folder_leaves_the_rest_of_the_link() -> None:
    def broken() -> tuple[str, ...]:
        raise OSError("permission denied")

    decoded = decode(
        {"v.compare": "Base case", "v.dim": "region"},
        BASES,
        BASES.__getitem__,
        default_file=DEFAULT,
        scenarios=broken,
        current=CURRENT,
    )
    assert decoded.view == {"segments.dimension": "region"}
    assert decoded.warnings == ("v.compare: 'Base case' is not a saved scenario",)


def test_the_saved_scenarios_are_read_only_for_a_link_that_compares_some() -> None:
    def listed() -> tuple[str, ...]:
        raise AssertionError("read the scenarios folder for a link without v.compare")

    decode({"v.dim": "region"}, BASES, BASES.__getitem__, default_file=DEFAULT, scenarios=listed)


@pytest.mark.parametrize(
    "hostile",
    ["**bold** [x](http://e.vil)", "<img src=x onerror=alert(1)>", ":red[alarm]", "`code`\n# h"],
)
def test_a_scenario_name_in_a_warning_is_plain_text(hostile: str) -> None:
    (warning,) = opened({"v.compare": hostile}).warnings
    assert not re.search(r"[\x00-\x1f\x7f<>\[\]`*:()#]", warning.removeprefix("v.compare: "))


def test_a_link_to_an_unusable_file_applies_no_view() -> None:
    decoded = opened({"file": "gone.yaml", "v.dim": "region"})
    assert decoded.view == {}
    assert "v.dim: not applied, the link's file is not available" in decoded.warnings


view_texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["region", "2028", "2028.0", "1e4", "10000", "total", "region/europe"]),
    st.sampled_from([CURRENT_IN_LINK, "Base case", "base case,~current", ",,", "Gone,Gone"]),
    st.lists(st.sampled_from(SAVED), max_size=8).map(",".join),
    st.integers(min_value=300, max_value=3000).map(lambda n: "x" * n),
)


@settings(max_examples=examples(300), deadline=None)
@given(params=st.dictionaries(st.sampled_from(list(VIEW_KEYS)), view_texts, max_size=6))
def test_any_view_in_a_link_opens_and_what_is_dropped_is_warned_about(
    params: dict[str, str],
) -> None:
    decoded = opened(params)
    assert set(decoded.applied) <= set(params)
    for key in set(params) - set(decoded.applied):
        assert any(w.startswith(f"{key}: ") for w in decoded.warnings), (key, decoded.warnings)
    assert set(decoded.view) == {VIEW_KEYS[key] for key in decoded.applied}
    assert link(decoded.view).keys() <= set(decoded.applied)  # what it shows links back
    for warning in decoded.warnings:
        assert len(warning) < 250
        assert not re.search(r"[\x00-\x1f\x7f<>\[\]`*]", warning), warning


def test_the_bridge_is_in_the_link_with_its_ends_and_segment() -> None:
    view = {
        "scenarios.from": "Conservative",
        "scenarios.to": CURRENT,
        "scenarios.bridge-dimension": "region",
        "scenarios.bridge-segment": "asia-pacific",
    }
    params = link(view)
    assert params == {
        "v.from": "Conservative",
        "v.to": CURRENT_IN_LINK,
        "v.bridge": "region",
        "v.segment": "asia-pacific",
    }
    assert opened(params).view == view


def test_a_bridge_end_no_longer_saved_or_an_unknown_segment_is_dropped_with_a_warning() -> None:
    decoded = opened({"v.from": "Gone", "v.segment": "atlantis", "v.bridge": "region"})
    assert decoded.view == {"scenarios.bridge-dimension": "region"}
    assert "v.from: 'Gone' is not a saved scenario" in decoded.warnings
    assert "v.segment: 'atlantis' is not a segment of this market" in decoded.warnings


def test_the_file_own_values_travel_as_base_in_the_comparison_and_the_bridge() -> None:
    """The base case (the file's own values) has a link name of its own, like ~current."""
    choices = {
        "scenarios.compare": [":base", "Aggressive"],
        "scenarios.from": ":base",
        "scenarios.to": "Aggressive",
    }
    written = encode_view(choices, {}, A, current=CURRENT, file_own=":base")
    assert written == {"v.compare": "~base,Aggressive", "v.from": "~base", "v.to": "Aggressive"}
    decoded = decode(
        written,
        BASES,
        BASES.__getitem__,
        default_file=DEFAULT,
        scenarios=lambda: SAVED,
        current=CURRENT,
        file_own=":base",
    )
    assert decoded.view == choices and not decoded.warnings
