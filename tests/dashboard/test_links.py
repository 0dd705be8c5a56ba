"""Share links: short, exact, and safe to open whatever someone did to them."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from dashboard.links import (
    IGNORED_KEYS,
    MAX_LINK_CHARACTERS,
    MAX_LINK_PARAMETERS,
    Decoded,
    decode,
    encode,
    format_number,
    key_for_path,
    path_for_key,
    too_long,
)
from market import (
    Assumptions,
    OverrideError,
    Parameter,
    apply_overrides,
    load_assumptions,
    parameters,
)
from market.query import ACTUALS_KEY, FILE_KEY, OPPORTUNITY_KEYS, PAGE_KEY, VIEW_KEYS
from market.view_controls import VIEW_CONTROLS, Kind
from tests.conftest import examples

FOLDER = Path(__file__).resolve().parents[2] / "assumptions"
DEFAULT = "healthcare-microservices.yaml"
OTHER = "example-coffee-subscriptions.yaml"
BASES: dict[str, Assumptions] = {name: load_assumptions(FOLDER / name) for name in (DEFAULT, OTHER)}


def opened(params: dict[str, object], catalog: dict[str, Assumptions] = BASES) -> Decoded:
    """What the dashboard makes of a link, with the project's two markets in the catalogue."""
    return decode(params, catalog, catalog.__getitem__, default_file=DEFAULT)  # type: ignore[arg-type]


def applies(file: str, overrides: dict[str, float]) -> bool:
    try:
        apply_overrides(BASES[file], overrides)
    except OverrideError:
        return False
    return True


# --- encoding -------------------------------------------------------------------------


def test_the_default_file_without_changes_needs_no_parameters() -> None:
    assert encode(DEFAULT, {}, default_file=DEFAULT) == {}
    assert encode(OTHER, {}, default_file=DEFAULT) == {"file": OTHER}


def test_the_default_file_is_the_projects_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARKET_DEFAULT_FILE", raising=False)
    assert encode(DEFAULT, {"growth.cagr_pct": 25.0}) == {"cagr": "25"}
    assert opened({}).file == DEFAULT


def test_a_link_carries_each_change_under_a_short_key() -> None:
    overrides = {
        "share.region.europe": 30.0,
        "growth.cagr_pct": 25.0,
        "diff.component.software.ehr-systems": -0.5,
        "growth.base_value": 500.0,
        "uncertainty.cagr_sd_pct": 4.5,
        "uncertainty.share_concentration": 150.0,
    }
    assert encode(DEFAULT, overrides, page="segments", default_file=DEFAULT) == {
        "page": "segments",
        "d.component.software.ehr-systems": "-0.5",
        "base": "500",
        "cagr": "25",
        "s.region.europe": "30",
        "sd": "4.5",
        "conc": "150",
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (25.0, "25"),
        (20.5, "20.5"),
        (0.125, "0.125"),
        (0.1, "0.1"),
        (-3.25, "-3.25"),
        (20.12, "20.12"),
        (1e16, "1e16"),
        (1e-7, "1e-07"),
        (1 / 3, "0.3333333333333333"),
    ],
)
def test_numbers_use_the_fewest_digits_that_read_back_exactly(value: float, text: str) -> None:
    assert format_number(value) == text
    assert float(text) == value


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_number_that_is_not_finite_cannot_be_encoded(value: float) -> None:
    with pytest.raises(ValueError):
        format_number(value)


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("growth.cagr_pct", "cagr"),
        ("growth.base_value", "base"),
        ("uncertainty.cagr_sd_pct", "sd"),
        ("uncertainty.share_concentration", "conc"),
        ("share.region.europe", "s.region.europe"),
        ("diff.component.software.ehr-systems", "d.component.software.ehr-systems"),
    ],
)
def test_the_key_table(path: str, key: str) -> None:
    assert key_for_path(path) == key
    assert path_for_key(key) == path


def test_every_parameter_of_every_market_has_a_distinct_key() -> None:
    for a in BASES.values():
        keys = [key_for_path(p.path) for p in parameters(a)]
        assert len(set(keys)) == len(keys)
        assert all(path_for_key(k) == p.path for k, p in zip(keys, parameters(a), strict=True))


@pytest.mark.parametrize("path", ["growth", "share.region", "colour.red", "share.Region.x"])
def test_a_path_outside_the_vocabulary_cannot_be_encoded(path: str) -> None:
    with pytest.raises(ValueError):
        key_for_path(path)


# --- round trip -----------------------------------------------------------------------


def _value(p: Parameter) -> st.SearchStrategy[float]:
    return st.floats(
        min_value=p.low,
        max_value=min(p.high, 1e12),
        exclude_min=p.path == "growth.base_value",  # a market size must be positive
        allow_nan=False,
        allow_infinity=False,
    )


def _overrides(file: str) -> st.SearchStrategy[dict[str, float]]:
    chosen = st.lists(st.sampled_from(parameters(BASES[file])), unique_by=lambda p: p.path)
    return chosen.flatmap(lambda ps: st.fixed_dictionaries({p.path: _value(p) for p in ps}))


states = st.sampled_from([DEFAULT, OTHER]).flatmap(lambda f: st.tuples(st.just(f), _overrides(f)))


@settings(max_examples=examples(150), deadline=None)
@given(state=states, page=st.sampled_from([None, "segments", "risk"]))
def test_a_link_reopens_exactly_the_same_state(
    state: tuple[str, dict[str, float]], page: str | None
) -> None:
    file, overrides = state
    assume(applies(file, overrides))
    d = opened(encode(file, overrides, page=page, default_file=DEFAULT))
    assert (d.file, d.overrides, d.page) == (file, overrides, page)
    assert d.warnings == ()


# --- bad links ------------------------------------------------------------------------

REGION_ZERO = {f"s.region.{s.id}": "0" for s in BASES[DEFAULT].dimension("region").segments}

BAD_PARTS: dict[str, tuple[dict[str, object], str]] = {
    "unknown key": ({"colour": "red"}, "colour: not a setting"),
    "full path as key": ({"growth.cagr_pct": "25"}, "growth.cagr_pct: not a setting"),
    "path-like key": ({"../../etc/passwd": "1"}, "not a setting"),
    "not a number": ({"sd": "fast"}, "sd: 'fast' is not a number"),
    "NaN": ({"sd": "nan"}, "sd: 'nan' is not a number"),
    "infinity": ({"sd": "-inf"}, "is not a number"),
    "overflow": ({"sd": "1e999"}, "sd: inf is not a finite number"),
    "hex": ({"sd": "0x10"}, "is not a number"),
    "underscores": ({"sd": "1_0"}, "is not a number"),
    "full-width digits": ({"sd": "２"}, "is not a number"),
    "out of range": ({"s.region.europe": "-5"}, "s.region.europe: -5 is outside 0 to 100"),
    "differential out of range": ({"d.region.europe": "50"}, "is outside -20 to 20"),
    "zero market size": ({"base": "0"}, "base: 0 is outside 1e-06 to 1e+15"),
    "huge market size": ({"base": "1e308"}, "base: 1e+308 is outside 1e-06 to 1e+15"),
    "tiny market size": ({"base": "5e-324"}, "base: 4.94066e-324 is outside 1e-06 to 1e+15"),
    "repeated": ({"sd": ["2", "3"]}, "sd: given more than once with different values"),
    "empty list": ({"sd": []}, "sd: has no value"),
    "empty": ({"sd": ""}, "sd: has no value"),
    "not text": ({"sd": [None]}, "sd: the value is not text"),
    "too long": ({"sd": "1" * 51}, "sd: the value is longer than 50 characters"),
    "padded to be long": ({"sd": "0" * 49 + "2.5"}, "longer than 50"),
    "unknown segment": ({"s.region.atlantis": "3"}, "s.region.atlantis: no such assumption"),
    "segment of another market": ({"s.plan.capsules": "3"}, "no such assumption"),
    "unknown page": ({"page": "../admin"}, "page: '..?admin' is not a page"),
    "all shares zero": (REGION_ZERO, "not applied with the others (the shares"),
}


@pytest.mark.parametrize("kind", list(BAD_PARTS))
def test_a_bad_part_is_dropped_with_a_warning_and_the_rest_applies(kind: str) -> None:
    bad, warning = BAD_PARTS[kind]
    d = opened({"cagr": "25", **bad})
    assert len(d.warnings) == 1
    assert d.warnings[0].startswith(warning) or warning in d.warnings[0]
    assert d.overrides["growth.cagr_pct"] == 25.0
    assert d.file == DEFAULT
    assert applies(DEFAULT, d.overrides)


def test_of_shares_that_cannot_all_be_zero_the_others_still_apply() -> None:
    d = opened(REGION_ZERO)
    assert len(d.overrides) == len(REGION_ZERO) - 1
    assert all(value == 0.0 for value in d.overrides.values())


@pytest.mark.parametrize(
    "file",
    ["../../etc/passwd", "/etc/passwd", "missing.yaml", f"{DEFAULT}/..", "..", "", "x" * 300],
)
def test_a_file_outside_the_catalogue_is_never_opened(file: str) -> None:
    asked: list[str] = []

    def base_for(name: str) -> Assumptions:
        asked.append(name)
        return BASES[name]

    d = decode({"file": file, "cagr": "25"}, BASES, base_for, default_file=DEFAULT)
    assert asked in ([], [DEFAULT])
    assert d.file == DEFAULT
    assert d.overrides == {}  # they were meant for another market
    assert len(d.warnings) == 2
    assert d.warnings[1] == "cagr: not applied, the link's file is not available"


def test_a_link_to_another_file_is_checked_against_that_file() -> None:
    d = opened({"file": OTHER, "s.plan.capsules": "5", "s.component.software": "30"})
    assert d.file == OTHER
    assert d.overrides == {"share.plan.capsules": 5.0}
    assert d.warnings == ("s.component.software: no such assumption in this market",)
    assert d.applied == ("file", "s.plan.capsules")


def test_a_file_that_breaks_after_listing_gives_a_warning() -> None:
    def broken(name: str) -> Assumptions:
        raise OSError("gone")

    d = decode({"cagr": "25"}, BASES, broken, default_file=DEFAULT)
    assert d.overrides == {}
    assert d.file is None
    assert d.warnings[0].startswith("file:")


def test_query_parameter_lists_and_streamlit_keys_are_understood() -> None:
    d = opened({"cagr": ["25", " 25 "], "embed": "true", "embed_options": ["dark_theme"]})
    assert d.overrides == {"growth.cagr_pct": 25.0}
    assert d.warnings == ()


def test_input_that_is_not_a_mapping_is_refused_with_a_warning() -> None:
    d = decode(None, BASES, BASES.__getitem__, default_file=DEFAULT)  # type: ignore[arg-type]
    assert (d.file, d.overrides, len(d.warnings)) == (DEFAULT, {}, 1)

    d = opened({1: "2", None: "x", ("cagr",): "25", "cagr": ("25",)})  # type: ignore[dict-item]
    assert (d.overrides, len(d.warnings)) == ({"growth.cagr_pct": 25.0}, 3)


def test_a_warning_cannot_smuggle_markdown_or_html_into_the_page() -> None:
    d = opened({"[click](https://evil.example)": "1", "cagr": "<img src=x onerror=alert(1)>"})
    assert len(d.warnings) == 2
    for warning in d.warnings:
        assert not set("[]<>()`*") & set(warning), warning


# --- fuzz -----------------------------------------------------------------------------

KNOWN_KEYS = sorted({key_for_path(p.path) for a in BASES.values() for p in parameters(a)})
HOSTILE = ["file", "page", "embed", "../../etc/passwd", "/etc/passwd", "s.region/../../x", "C:\\x"]
texts = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["25", "-0", "1e308", "1e999", "nan", "inf", "２５", "1_0", DEFAULT, OTHER]),
    st.sampled_from(HOSTILE),
    st.floats().map(repr),
    st.integers(min_value=51, max_value=5000).map(lambda n: "9" * n),
)
# Keys that carry something besides an override: the file and page, typed actual figures,
# the Opportunity page's choices and the pages' controls (each fuzzed in its own file too:
# test_links_opportunity.py, test_links_view.py).
NOT_OVERRIDES = frozenset({FILE_KEY, PAGE_KEY, ACTUALS_KEY, *OPPORTUNITY_KEYS, *VIEW_KEYS})
SCENARIO_LIST_KEYS = frozenset(c.key for c in VIEW_CONTROLS if c.kind is Kind.SCENARIOS)
keys = st.one_of(
    st.sampled_from(KNOWN_KEYS),
    st.sampled_from(sorted(NOT_OVERRIDES)),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    st.text(min_size=200, max_size=300),
)
values = st.one_of(
    texts,
    st.lists(texts, max_size=3),
    st.lists(st.one_of(st.none(), st.integers()), max_size=2),
)


@settings(max_examples=examples(400), deadline=None)
@given(params=st.dictionaries(keys, values, max_size=12))
@example(params={"o.goal": "1"})  # the long exploration: an Opportunity choice is no override,
@example(params={"v.grid-target": "1"})  # nor is a page's control
@example(params={"v.compare": "0,0"})  # the long exploration: one name twice, two warnings
def test_any_link_opens_and_every_dropped_part_is_warned_about(params: dict[str, object]) -> None:
    d = opened(params)

    assert d.file in BASES
    assert applies(d.file, d.overrides)
    counted = [key for key in params if key not in IGNORED_KEYS]
    assert set(d.applied) <= set(counted)
    # one warning for each part left out and none for a part applied, but a list of
    # scenarios has one for each name no longer saved (a name given twice is one)
    left_out = Counter(str(key) for key in counted if key not in d.applied)
    warned = Counter(problem.key for problem in d.problems)
    assert set(warned) <= {str(key) for key in counted}
    for key in set(left_out) | set(warned):
        if key in SCENARIO_LIST_KEYS:
            assert warned[key] >= left_out[key]
        else:
            assert warned[key] == left_out[key], key
    said = [(problem.key, problem.message) for problem in d.problems]
    assert len(set(said)) == len(said)  # nothing said twice of one key
    overriding = [k for k in d.applied if k not in NOT_OVERRIDES and not k.startswith("o.serve.")]
    assert {path_for_key(k) for k in overriding} == set(d.overrides)
    for warning in d.warnings:
        assert len(warning) < 250
        assert not re.search(r"[\x00-\x1f\x7f<>\[\]`]", warning), warning


def test_a_link_within_streamlits_limits_is_not_too_long() -> None:
    assert too_long(MAX_LINK_PARAMETERS, MAX_LINK_CHARACTERS) is None


@pytest.mark.parametrize(
    ("parameters", "characters", "said"),
    [
        (MAX_LINK_PARAMETERS + 1, 9_000, "1,001 parameters"),
        (3, MAX_LINK_CHARACTERS + 1, "524,289 characters"),
    ],
)
def test_a_link_past_streamlits_limits_says_how_big_and_that_nothing_applied(
    parameters: int, characters: int, said: str
) -> None:
    warning = too_long(parameters, characters)
    assert warning is not None
    assert said in warning
    assert "nothing in it was applied" in warning
