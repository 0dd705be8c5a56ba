"""The Opportunity page's choices in share links: exact round trips, and every unusable part
dropped with a warning while the rest applies."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.links import Decoded, decode, encode, encode_opportunity
from market import Assumptions, load_assumptions
from market import opportunity as op
from tests.conftest import examples

FOLDER = Path(__file__).resolve().parents[2] / "assumptions"
DEFAULT = "healthcare-microservices.yaml"
A = load_assumptions(FOLDER / DEFAULT)


def opened(params: dict[str, str]) -> Decoded:
    return decode(params, [DEFAULT], {DEFAULT: A}.__getitem__, default_file=DEFAULT)


@st.composite
def choices(draw: st.DrawFn, a: Assumptions = A) -> op.Opportunity:
    served = []
    for dim in a.dimensions:
        keys = [k for k in op.segment_choices(a, dim.id) if "." not in k]
        chosen = draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
        if chosen:
            pct = st.one_of(st.just(100.0), st.floats(0.01, 100.0))
            picks = tuple(op.Pick(segment=k, served_pct=draw(pct)) for k in chosen)
            served.append(op.Served(dimension=dim.id, picks=picks))
    year = st.one_of(st.none(), st.integers(a.years.base + 1, a.years.horizon))
    money = st.one_of(st.none(), st.floats(0.001, 1e6))
    return op.Opportunity(
        served=tuple(served),
        start_share_pct=draw(st.floats(0, 100)),
        target_share_pct=draw(st.floats(0, 100)),
        target_year=draw(year),
        shape=draw(st.sampled_from(list(op.Shape))),
        current_revenue=draw(money),
        revenue_target=draw(money),
        revenue_target_year=draw(year),
    )


@settings(max_examples=examples(80), deadline=None)
@given(choices())
def test_a_link_reproduces_the_choices_exactly(opp: op.Opportunity) -> None:
    decoded = opened(encode(DEFAULT, {}, default_file=DEFAULT, opportunity=opp))
    assert decoded.warnings == ()
    expected = None if opp == op.Opportunity() else opp
    assert decoded.opportunity == expected


def test_untouched_choices_add_nothing_to_the_link() -> None:
    assert encode_opportunity(op.Opportunity()) == {}
    assert encode(DEFAULT, {}, default_file=DEFAULT, opportunity=op.Opportunity()) == {}


def test_a_link_is_short_and_readable() -> None:
    opp = op.Opportunity(
        served=(
            op.Served(
                dimension="region",
                picks=(op.Pick(segment="north-america"), op.Pick(segment="europe", served_pct=50)),
            ),
        ),
        target_share_pct=8,
        shape=op.Shape.S_CURVE,
    )
    assert encode_opportunity(opp) == {
        "o.serve.region": "north-america,europe:50",
        "o.target": "8",
        "o.shape": "s-curve",
    }


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"o.serve.region": "mars"}, "o.serve.region: 'mars' is not a segment of region"),
        ({"o.serve.planet": "earth"}, "o.serve.planet: no such dimension in this market"),
        ({"o.serve.region": "europe:0"}, "must be above 0 and at most 100"),
        ({"o.serve.region": "europe:lots"}, "'lots' is not a number"),
        ({"o.serve.region": "europe,europe"}, "picked twice"),
        ({"o.target": "120"}, "o.target: '120' is out of range"),
        ({"o.start": "ten"}, "o.start: 'ten' is not a number"),
        ({"o.by": "2040"}, "o.by: must be a year from 2025 to 2031"),
        ({"o.goal-year": "2027.5"}, "o.goal-year: must be a year"),
        ({"o.shape": "zigzag"}, "o.shape: 'zigzag' is not a share path shape"),
        ({"o.revenue": "-3"}, "o.revenue: '-3' is out of range"),
        ({"o.other": "1"}, "o.other: not a setting the dashboard knows"),
    ],
)
def test_an_unusable_part_is_dropped_with_a_warning_and_the_rest_applies(
    params: dict[str, str], warning: str
) -> None:
    decoded = opened({**params, "o.target": params.get("o.target", "9"), "cagr": "25"})
    assert any(warning in w for w in decoded.warnings), decoded.warnings
    assert decoded.overrides == {"growth.cagr_pct": 25.0}
    if "o.target" not in params:
        assert decoded.opportunity is not None
        assert decoded.opportunity.target_share_pct == 9.0
