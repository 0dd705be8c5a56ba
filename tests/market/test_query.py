"""The query codec on its own, as any front end uses it: a whole state (file, overrides,
page, Opportunity choices, view controls) survives a round trip exactly, and every part of
a query that is not used is a problem naming its key, in the words a page shows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from market import (
    Assumptions,
    OverrideError,
    Parameter,
    apply_overrides,
    grid,
    load_assumptions,
    parameters,
)
from market import opportunity as op
from market.query import (
    Decoded,
    QueryProblem,
    decode,
    encode,
    encode_view,
    format_number,
    key_for_path,
)
from market.view_controls import (
    CURRENT_IN_LINK,
    GRID_COLUMNS_RANGE,
    GRID_OUTCOME,
    GRID_ROWS_RANGE,
    VIEW_CONTROLS,
    Kind,
    ViewControl,
)

FOLDER = Path(__file__).resolve().parents[2] / "assumptions"
DEFAULT = "healthcare-microservices.yaml"
OTHER = "example-coffee-subscriptions.yaml"
BASES: dict[str, Assumptions] = {name: load_assumptions(FOLDER / name) for name in (DEFAULT, OTHER)}
CURRENT = "the sidebar's assumptions"
SAVED = ("Aggressive", "Base case", "Conservative")
PAGES = ("segments", "risk", "scenarios")


def opened(params: Any, saved: tuple[str, ...] = SAVED) -> Decoded:
    return decode(
        params,
        BASES,
        BASES.__getitem__,
        default_file=DEFAULT,
        pages=PAGES,
        scenarios=lambda: saved,
        current=CURRENT,
    )


def applies(file: str, overrides: dict[str, float]) -> bool:
    try:
        apply_overrides(BASES[file], overrides)
    except OverrideError:
        return False
    return True


# --- a whole state, there and back -----------------------------------------------------------


def _overrides(a: Assumptions) -> st.SearchStrategy[dict[str, float]]:
    def value(p: Parameter) -> st.SearchStrategy[float]:
        return st.floats(
            p.low,
            min(p.high, 1e12),
            exclude_min=p.path == "growth.base_value",  # a market size must be positive
            allow_nan=False,
            allow_infinity=False,
        )

    chosen = st.lists(st.sampled_from(parameters(a)), max_size=4, unique_by=lambda p: p.path)
    return chosen.flatmap(lambda ps: st.fixed_dictionaries({p.path: value(p) for p in ps}))


def _opportunity(a: Assumptions) -> st.SearchStrategy[op.Opportunity]:
    dimension = a.dimensions[0]
    picks = st.lists(
        st.sampled_from([s.id for s in dimension.segments]), max_size=2, unique=True
    ).map(lambda ids: tuple(op.Pick(segment=i, served_pct=50.0) for i in ids))
    served = picks.map(lambda p: (op.Served(dimension=dimension.id, picks=p),) if p else ())
    return st.builds(
        op.Opportunity,
        served=served,
        target_share_pct=st.floats(0, 100),
        shape=st.sampled_from(list(op.Shape)),
        target_year=st.one_of(st.none(), st.integers(a.years.base + 1, a.years.horizon)),
    )


def _ranges(a: Assumptions) -> st.SearchStrategy[object]:
    """``LOW:HIGH:STEPS``, either end left out, LOW at most HIGH."""

    def written(low: float | None, high: float | None, steps: int) -> str:
        if low is not None and high is not None and low > high:
            low, high = high, low
        return grid.format_range(grid.AxisSpec("", low, high, steps)) or "::7"

    ends = st.one_of(st.none(), st.floats(-1e6, 1e6))
    return st.builds(written, ends, ends, st.integers(1, grid.MAX_STEPS))


def _outcomes(a: Assumptions) -> st.SearchStrategy[object]:
    return st.builds(
        grid.format_outcome,
        st.sampled_from(list(grid.outcomes(a))),
        st.one_of(st.none(), st.sampled_from(list(a.years.all))),
    )


_texts = {
    GRID_ROWS_RANGE.name: _ranges,
    GRID_COLUMNS_RANGE.name: _ranges,
    GRID_OUTCOME.name: _outcomes,
}
"""Values of the controls whose text has a form of its own (:attr:`Kind.TEXT`)."""


def _choice(control: ViewControl, a: Assumptions) -> st.SearchStrategy[object]:
    """Any value the control offers on ``a``."""
    named = [CURRENT, *SAVED]
    if control.kind is Kind.SCENARIOS:
        return st.lists(st.sampled_from(named), min_size=1, max_size=4, unique=True)
    if control.kind is Kind.SCENARIO:
        return st.sampled_from(named)
    if control.kind is Kind.AMOUNT:
        return st.floats(1e-3, 1e12)
    if control.kind is Kind.TEXT:
        return _texts[control.name](a)
    assert control.options is not None
    return st.sampled_from(list(control.options(a)))


@st.composite
def states(draw: st.DrawFn) -> dict[str, Any]:
    file = draw(st.sampled_from(list(BASES)))
    a = BASES[file]
    offered = [c for c in VIEW_CONTROLS if c.options is None or c.options(a)]
    shown = draw(st.lists(st.sampled_from(offered), unique=True))
    return {
        "file": file,
        "overrides": draw(_overrides(a)),
        "page": draw(st.sampled_from([None, *PAGES])),
        "opportunity": draw(_opportunity(a)),
        "view": {c.name: draw(_choice(c, a)) for c in shown},
    }


@settings(max_examples=150, deadline=None)
@given(state=states())
def test_a_query_reopens_exactly_the_same_state(state: dict[str, Any]) -> None:
    file, overrides, choices = state["file"], state["overrides"], state["opportunity"]
    assume(applies(file, overrides))
    params = encode(file, overrides, state["page"], default_file=DEFAULT, opportunity=choices)
    params |= encode_view(state["view"], {}, BASES[file], current=CURRENT)

    decoded = opened(params)

    assert decoded.problems == ()
    assert (decoded.file, decoded.overrides, decoded.page) == (file, overrides, state["page"])
    assert decoded.opportunity == (None if choices == op.Opportunity() else choices)
    assert decoded.view == state["view"]
    assert set(decoded.applied) == set(params)
    assert encode_view(decoded.view, {}, BASES[file], current=CURRENT) == {
        key: value for key, value in params.items() if key.startswith("v.")
    }


# --- problems --------------------------------------------------------------------------------

KEYS = [
    "file",
    "page",
    "cagr",
    "s.region.europe",
    "d.plan.capsules",
    "o.target",
    "o.serve.region",
    "o.by",
    "colour",
    "../etc",
    "[x](y)",
    *(c.key for c in VIEW_CONTROLS),
]
VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["25", "1e999", "nan", "region", "europe:50", "2028", "10000", OTHER]),
    st.sampled_from([CURRENT_IN_LINK, "Base case", "Gone,Base case", "total", "region/europe"]),
    st.integers(min_value=51, max_value=400).map(lambda n: "9" * n),
    st.lists(st.sampled_from(["1", "2"]), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(params=st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), VALUES))
def test_every_part_not_used_is_a_problem_naming_its_key(params: dict[str, Any]) -> None:
    decoded = opened(params)

    named = {problem.key for problem in decoded.problems}
    assert named <= set(params) | {None}
    assert set(decoded.applied) <= set(params)
    for key in set(params) - set(decoded.applied):
        assert key in named, (key, decoded.problems)
    assert decoded.warnings == tuple(str(problem) for problem in decoded.problems)
    for warning in decoded.warnings:
        assert not re.search(r"[\x00-\x1f\x7f<>\[\]`*]", warning), warning


def test_a_problem_reads_as_the_page_shows_it() -> None:
    decoded = opened({"v.dim": "colour", "o.target": "120", "[click](x)": "1"})
    assert decoded.problems == (
        QueryProblem("[click](x)", "not a setting the dashboard knows"),
        QueryProblem("o.target", "'120' is out of range"),
        QueryProblem("v.dim", "'colour' is not a dimension of this market"),
    )
    assert decoded.warnings == (
        "'?click?x?': not a setting the dashboard knows",
        "o.target: '120' is out of range",
        "v.dim: 'colour' is not a dimension of this market",
    )


def test_a_query_that_is_not_a_mapping_is_one_problem_about_the_whole() -> None:
    decoded = opened(["cagr", "25"])
    assert decoded.problems == (QueryProblem(None, "the link's settings could not be read"),)
    assert str(decoded.problems[0]) == "the link's settings could not be read"


def test_a_front_ends_own_keys_are_passed_over_only_when_it_says_so() -> None:
    assert opened({"embed": "true"}).problems == (
        QueryProblem("embed", "not a setting the dashboard knows"),
    )
    quiet = decode({"embed": "true"}, BASES, BASES.__getitem__, ignored={"embed"})
    assert quiet.problems == () and quiet.applied == ()


def test_each_control_refuses_a_value_its_file_does_not_offer_in_its_own_words() -> None:
    coffee = BASES[OTHER]
    for control in VIEW_CONTROLS:
        decoded = opened({"file": OTHER, control.key: "mars"}, saved=())
        quoted = "'mars'"
        assert decoded.problems == (QueryProblem(control.key, control.refused(quoted, coffee)),)


def test_each_control_refuses_a_value_longer_than_its_entry_allows() -> None:
    for control in VIEW_CONTROLS:
        decoded = opened({control.key: "x" * (control.max_length + 1)})
        reason = f"the value is longer than {control.max_length} characters"
        assert decoded.problems == (QueryProblem(control.key, reason),)


def test_numbers_and_keys_are_written_as_the_parameter_table_says() -> None:
    assert key_for_path("growth.cagr_pct") == "cagr"
    assert format_number(20.12) == "20.12"
    assert encode(DEFAULT, {"share.region.europe": 30.0}, default_file=DEFAULT) == {
        "s.region.europe": "30"
    }
