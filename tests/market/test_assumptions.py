"""The assumptions schema: what a file may say, and how a wrong file is refused.

Files are built inline from the small second market (see ``conftest.small_market``) and
read through ``parse_assumptions``, the way the dashboard and the CLI read them, so each
test also checks that the refusal names the place an analyst has to fix.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from market import (
    Assumptions,
    AssumptionsError,
    Problem,
    Provenance,
    apply_overrides,
    forecast,
    parse_assumptions,
)


def problems_of(data: dict[str, Any]) -> tuple[Problem, ...]:
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(yaml.safe_dump(data, sort_keys=False))
    return err.value.problems


def only_problem(data: dict[str, Any]) -> Problem:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    return problems[0]


def city(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The segments of the small market's second dimension (Lyon, Ghent)."""
    return data["dimensions"][1]["segments"]


def segment(name: str, share: float = 1.0, **extra: Any) -> dict[str, Any]:
    return {"name": name, "share": share, "provenance": "assumed", "rationale": "r", **extra}


def test_the_small_market_is_valid(small_market) -> None:
    a = parse_assumptions(yaml.safe_dump(small_market))
    assert a.market.unit == "EUR thousand"
    assert [d.id for d in a.dimensions] == ["customer", "city"]
    assert a.cagr == pytest.approx(0.05)


# --- shares are weights -----------------------------------------------------------------------


def test_percent_and_fraction_weights_give_the_same_forecast(small_market) -> None:
    as_percent, as_fraction = small_market, yaml.safe_load(yaml.safe_dump(small_market))
    for data, shares in ((as_percent, (45, 35, 20)), (as_fraction, (0.45, 0.35, 0.20))):
        data["dimensions"][1]["segments"] = [
            segment("Lyon", shares[0], differential_pp=1),
            segment("Ghent", shares[1]),
            segment("Porto", shares[2], differential_pp=-2),
        ]
    f1 = forecast(Assumptions.model_validate(as_percent))
    f2 = forecast(Assumptions.model_validate(as_fraction))
    assert f1.groups.keys() == f2.groups.keys()
    for key in f1.groups:
        pd.testing.assert_frame_equal(f1.groups[key].values, f2.groups[key].values, rtol=1e-12)
    assert f1.groups[("city", "")].shares.loc[2021].tolist() == pytest.approx([0.45, 0.35, 0.20])


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "a lot"])
def test_a_share_must_be_a_finite_non_negative_number(small_market, bad) -> None:
    city(small_market)[0]["share"] = bad
    problem = only_problem(small_market)
    assert problem.location == "dimensions[City].segments[Lyon].share"
    assert problem.line is not None


def test_a_zero_share_is_allowed_beside_a_positive_one(small_market) -> None:
    city(small_market)[0]["share"] = 0
    assert parse_assumptions(yaml.safe_dump(small_market)).dimensions[1].segments[0].share == 0


def test_all_zero_shares_are_refused(small_market) -> None:
    for s in city(small_market):
        s["share"] = 0
    problem = only_problem(small_market)
    assert problem.location == "dimensions[City].segments"
    assert "all zero" in problem.message


def test_all_zero_sub_segment_shares_are_refused(small_market) -> None:
    for s in small_market["dimensions"][0]["segments"][0]["segments"]:
        s["share"] = 0.0
    problem = only_problem(small_market)
    assert problem.location == "dimensions[Customer].segments[Commuters].segments"
    assert "all zero" in problem.message


def test_a_dimension_needs_a_segment(small_market) -> None:
    small_market["dimensions"][1]["segments"] = []
    assert only_problem(small_market).location == "dimensions[City].segments"


# --- growth -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -5.0])
def test_the_base_value_must_be_positive(small_market, bad) -> None:
    small_market["growth"]["base_value"]["value"] = bad
    problem = only_problem(small_market)
    assert problem.location == "growth.base_value"
    assert "must be positive" in problem.message


@pytest.mark.parametrize("bad", [-100, -150.0])
def test_a_cagr_of_minus_100_or_less_is_refused(small_market, bad) -> None:
    small_market["growth"]["cagr_pct"]["value"] = bad
    problem = only_problem(small_market)
    assert problem.location == "growth.cagr_pct"
    assert "above -100" in problem.message


def test_a_steep_decline_above_minus_100_is_allowed(small_market) -> None:
    small_market["growth"]["cagr_pct"]["value"] = -99.9
    assert parse_assumptions(yaml.safe_dump(small_market)).cagr == pytest.approx(-0.999)


@pytest.mark.parametrize(
    "years",
    [
        {"first": 2020, "base": 2021, "horizon": 2021},  # horizon is the base
        {"first": 2020, "base": 2021, "horizon": 2019},  # horizon before the base
        {"first": 2022, "base": 2021, "horizon": 2026},  # history starts after the base
        {"first": 1800, "base": 2021, "horizon": 2026},  # more than 200 years
    ],
)
def test_years_out_of_order_are_refused(small_market, years) -> None:
    small_market["years"] = years
    small_market["reported"] = []
    problem = only_problem(small_market)
    assert problem.location == "years"


def test_every_history_year_needs_a_reported_value(small_market) -> None:
    small_market["years"]["first"] = 2018
    problem = only_problem(small_market)
    assert "missing: 2018, 2019" in problem.message


def test_a_reported_year_outside_the_years_is_refused(small_market) -> None:
    small_market["reported"].append({"year": 2030, "value": 1.0, "citation": "c"})
    assert "2030 lies outside the years 2020-2026" in only_problem(small_market).message


def test_a_year_is_reported_once(small_market) -> None:
    small_market["reported"].append({"year": 2020, "value": 81.0, "citation": "c"})
    problem = only_problem(small_market)
    assert problem.location == "reported"
    assert "once" in problem.message


def test_reported_values_are_kept_in_year_order(small_market) -> None:
    small_market["reported"].insert(0, {"year": 2026, "value": 130.0, "citation": "outlook"})
    a = parse_assumptions(yaml.safe_dump(small_market))
    assert [r.year for r in a.reported] == [2020, 2026]
    assert a.reported_by_year == {2020: 80.0, 2026: 130.0}


# --- names ------------------------------------------------------------------------------------


def test_ids_are_made_from_names(small_market) -> None:
    city(small_market).append(segment("Middle East & Africa"))
    a = parse_assumptions(yaml.safe_dump(small_market))
    assert a.dimensions[1].segments[-1].id == "middle-east-africa"


def test_a_segment_name_used_twice_is_refused(small_market) -> None:
    city(small_market).append(segment("Lyon"))
    problem = only_problem(small_market)
    assert problem.location == "dimensions[City].segments"
    assert "distinct names, repeated: Lyon" in problem.message


NON_LATIN = ["Облако", "製品", "سحابة", "Ürün", "É", "Ελλάδα", "★"]


def test_a_name_in_any_script_gets_a_valid_id_of_its_own(small_market) -> None:
    city(small_market)[:] = [segment(name) for name in NON_LATIN]
    a = parse_assumptions(yaml.safe_dump(small_market, allow_unicode=True))
    ids = [s.id for s in a.dimensions[1].segments]
    assert len(set(ids)) == len(NON_LATIN)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids), ids
    assert ids[4] == "e"  # accents go first: a Latin letter stays readable


def test_an_id_made_from_a_non_latin_name_is_stable_and_addresses_its_segment(
    small_market,
) -> None:
    city(small_market)[:] = [segment("Облако"), segment("Земля")]
    text = yaml.safe_dump(small_market, allow_unicode=True)
    cloud = parse_assumptions(text).dimensions[1].segments[0].id
    assert (
        parse_assumptions(text.replace("Облако", " Облако ")).dimensions[1].segments[0].id == cloud
    )
    a = apply_overrides(parse_assumptions(text), {f"share.city.{cloud}": 0.25})
    assert a.dimensions[1].segments[0].share == 0.25


def test_names_that_make_the_same_id_are_refused_naming_both_and_the_id(small_market) -> None:
    city(small_market)[:] = [segment("Component"), segment("component!")]
    problem = only_problem(small_market)
    assert problem.location == "dimensions[City].segments"
    assert "'Component' and 'component!' have the same id, component" in problem.message
    assert "distinct names" not in problem.message
    assert "id: component-2" in problem.message  # what to add


def test_dimensions_whose_names_make_the_same_id_are_refused_naming_both(small_market) -> None:
    small_market["dimensions"].append(dict(small_market["dimensions"][1], name="city!"))
    problem = only_problem(small_market)
    assert "distinct names" not in problem.message
    assert "'City' and 'city!' have the same id, city" in problem.message


def test_one_name_twice_is_refused_even_with_distinct_ids(small_market) -> None:
    # the forecast labels its columns with display names, so two "Other" would collide
    city(small_market)[:] = [segment("Other", id="other-a"), segment("Other", id="other-b")]
    assert "distinct names, repeated: Other" in only_problem(small_market).message


def test_a_sub_segment_name_used_twice_is_refused(small_market) -> None:
    subs = small_market["dimensions"][0]["segments"][0]["segments"]
    subs.append(dict(subs[0]))
    problem = only_problem(small_market)
    assert problem.location == "dimensions[Customer].segments[Commuters].segments"


def test_a_dimension_name_used_twice_is_refused(small_market) -> None:
    small_market["dimensions"].append(dict(small_market["dimensions"][1]))
    problem = only_problem(small_market)
    assert problem.location == "dimensions"
    assert "distinct" in problem.message


def test_an_id_must_be_a_slug(small_market) -> None:
    city(small_market)[0]["id"] = "Lyon centre"
    problem = only_problem(small_market)
    assert problem.location == "dimensions[City].segments[Lyon].id"
    assert "lowercase letters a-z, digits and '-'" in problem.message
    assert "pattern" not in problem.message


def test_a_dimension_is_found_by_id(small_market) -> None:
    a = Assumptions.model_validate(small_market)
    assert a.dimension("city").name == "City"
    with pytest.raises(KeyError, match="known: customer, city"):
        a.dimension("region")


# --- strictness and provenance ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "location"),
    [
        (lambda d: d, "notes"),
        (lambda d: d["market"], "market.notes"),
        (lambda d: d["growth"]["cagr_pct"], "growth.cagr_pct.notes"),
        (lambda d: d["dimensions"][1]["segments"][1], "dimensions[City].segments[Ghent].notes"),
    ],
)
def test_unknown_fields_are_refused(small_market, place, location) -> None:
    place(small_market)["notes"] = "a typo or a field from another version"
    problem = only_problem(small_market)
    assert problem.location == location


def test_a_reported_quantity_needs_a_citation(small_market) -> None:
    del small_market["growth"]["base_value"]["citation"]
    problem = only_problem(small_market)
    assert problem.location == "growth.base_value"
    assert "needs a citation" in problem.message


def test_an_assumed_segment_needs_a_rationale(small_market) -> None:
    city(small_market)[1]["rationale"] = ""
    problem = only_problem(small_market)
    assert problem.location == "dimensions[City].segments[Ghent]"
    assert "needs a rationale" in problem.message


@pytest.mark.parametrize("citation", [None, ""])
def test_a_reported_market_size_needs_a_citation(small_market, citation) -> None:
    small_market["reported"][0]["citation"] = citation
    assert only_problem(small_market).location == "reported[2020].citation"


def test_provenance_is_reported_or_assumed(small_market) -> None:
    small_market["growth"]["cagr_pct"]["provenance"] = "guessed"
    assert only_problem(small_market).location == "growth.cagr_pct.provenance"


def test_basis_is_the_citation_or_the_rationale(small_market) -> None:
    a = Assumptions.model_validate(small_market)
    assert a.growth.base_value.provenance is Provenance.REPORTED
    assert a.growth.base_value.basis == "survey, table 1"
    assert a.growth.cagr_pct.basis == "in line with inflation"


def test_assumptions_cannot_be_changed_in_place(small_market) -> None:
    a = Assumptions.model_validate(small_market)
    with pytest.raises(ValidationError):
        a.years.base = 2022  # type: ignore[misc]
