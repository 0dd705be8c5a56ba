"""Parameter paths and overrides: the one vocabulary that sliders, --set, URLs and scenarios use."""

from __future__ import annotations

import pytest

from market import (
    Assumptions,
    OverrideError,
    Provenance,
    apply_overrides,
    changed_overrides,
    forecast,
    parameter_index,
    parameters,
)
from market.parameter_table import grid


def test_every_path_is_unique(default_assumptions: Assumptions) -> None:
    paths = [p.path for p in parameters(default_assumptions)]
    assert len(paths) == len(set(paths))


def test_every_number_a_user_may_tune_has_a_path(default_assumptions: Assumptions) -> None:
    index = parameter_index(default_assumptions)
    a = default_assumptions
    segments = sum(
        1 + len(s.segments) for d in a.dimensions for s in d.segments
    )  # the default file nests one level deep
    assert len(index) == 9 + 2 * segments  # growth (with its shape), uncertainty, segments
    assert index["growth.cagr_pct"].value == 20.12
    assert index["growth.base_value"].unit == "USD million"
    assert index["share.region.europe"].value == 27
    assert index["diff.region.asia-pacific"].value == 3.5
    sub = index["share.component.software.ehr-systems"]
    assert (sub.value, sub.dimension, sub.segment, sub.parent) == (
        35,
        "component",
        "EHR systems",
        "Software",
    )


def test_a_parameter_carries_its_provenance(default_assumptions: Assumptions) -> None:
    index = parameter_index(default_assumptions)
    assert index["growth.cagr_pct"].provenance is Provenance.REPORTED
    assert "Kings Research" in index["growth.cagr_pct"].basis
    assert index["share.region.europe"].provenance is Provenance.ASSUMED
    assert index["share.region.europe"].basis.startswith("Steady growth")


def test_every_default_value_lies_in_its_range(default_assumptions: Assumptions) -> None:
    for p in parameters(default_assumptions):
        assert p.low <= p.value <= p.high, p.path
        assert p.check(p.value) == p.value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("growth.cagr_pct", 15.0),
        ("growth.base_value", 500.0),
        ("uncertainty.cagr_sd_pct", 5.0),
        ("uncertainty.share_concentration", 20.0),
        ("share.region.europe", 40.0),
        ("diff.deployment.cloud", -3.0),
        ("share.component.services.integration", 0.0),
        ("diff.component.software.telemedicine-solutions", 7.5),
    ],
)
def test_an_override_changes_exactly_that_number(default_assumptions, path, value) -> None:
    changed = apply_overrides(default_assumptions, {path: value})
    before, after = parameter_index(default_assumptions), parameter_index(changed)
    assert after[path].value == value
    differing = {p for p in before if before[p].value != after[p].value}
    assert differing == {path}
    assert changed.market == default_assumptions.market
    assert changed.reported == default_assumptions.reported
    assert default_assumptions.growth.cagr_pct.value == 20.12  # the original is untouched


def test_an_override_moves_the_forecast(default_assumptions) -> None:
    changed = apply_overrides(default_assumptions, {"growth.cagr_pct": 10.0})
    assert forecast(changed).horizon_value == pytest.approx(457.6 * 1.1**7)


def test_applying_nothing_returns_the_same_model(default_assumptions) -> None:
    assert apply_overrides(default_assumptions, {}) is default_assumptions


def test_an_unknown_path_is_refused_by_name(default_assumptions) -> None:
    with pytest.raises(OverrideError) as err:
        apply_overrides(default_assumptions, {"share.region.atlantis": 5, "growth.cagr_pct": 10})
    assert err.value.problems == {"share.region.atlantis": "no such assumption"}
    assert "share.region.atlantis" in str(err.value)


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("growth.cagr_pct", 150.0, "outside -50 to 100"),
        ("growth.cagr_pct", float("nan"), "not a finite number"),
        ("growth.base_value", 0.0, "outside 1e-06 to 1e+15"),
        ("growth.base_value", 1e308, "outside 1e-06 to 1e+15"),
        ("share.region.europe", -1.0, "outside 0 to 100"),
        ("diff.region.europe", 25.0, "outside -20 to 20"),
        ("uncertainty.cagr_sd_pct", float("inf"), "not a finite number"),
        ("share.region.europe", "lots", "could not convert"),
        ("share.region.europe", None, "not 'NoneType'"),
    ],
)
def test_a_bad_value_is_refused_naming_its_path(default_assumptions, path, value, reason) -> None:
    with pytest.raises(OverrideError) as err:
        apply_overrides(default_assumptions, {path: value})
    assert list(err.value.problems) == [path]
    assert reason in err.value.problems[path]


def test_every_bad_override_is_listed(default_assumptions) -> None:
    with pytest.raises(OverrideError) as err:
        apply_overrides(
            default_assumptions, {"growth.cagr_pct": 500, "nope": 1, "diff.region.europe": 1}
        )
    assert set(err.value.problems) == {"growth.cagr_pct", "nope"}


def test_setting_every_share_of_a_dimension_to_zero_is_refused(default_assumptions) -> None:
    zeros = {f"share.deployment.{s}": 0 for s in ("on-premises", "cloud", "hybrid")}
    with pytest.raises(OverrideError) as err:
        apply_overrides(default_assumptions, zeros)
    [(where, reason)] = err.value.problems.items()
    assert where == "dimensions[Deployment model].segments"
    assert "all zero" in reason


def test_the_changes_between_two_models_round_trip(default_assumptions) -> None:
    overrides = {
        "growth.cagr_pct": 18.5,
        "share.region.north-america": 30.0,
        "diff.component.services.consulting": 1.25,
        "uncertainty.share_concentration": 50.0,
    }
    changed = apply_overrides(default_assumptions, overrides)
    assert changed_overrides(default_assumptions, changed) == overrides
    assert changed_overrides(default_assumptions, default_assumptions) == {}
    assert (
        apply_overrides(default_assumptions, changed_overrides(default_assumptions, changed))
        == changed
    )


def test_a_file_value_outside_the_slider_range_widens_it(small_market) -> None:
    # a file may hold values that the sliders would not offer; it must still be shown and re-applied
    small_market["growth"]["cagr_pct"]["value"] = 150.0
    small_market["uncertainty"]["share_concentration"]["value"] = 0.5
    small_market["dimensions"][1]["segments"][1]["differential_pp"] = -30.0
    a = Assumptions.model_validate(small_market)
    index = parameter_index(a)
    for path in ("growth.cagr_pct", "uncertainty.share_concentration", "diff.city.ghent"):
        p = index[path]
        assert p.low <= p.value <= p.high, path
    file_values = {p.path: p.value for p in parameters(a)}
    assert apply_overrides(a, file_values) == a


def test_paths_work_for_any_market(small_market) -> None:
    a = Assumptions.model_validate(small_market)
    paths = [p.path for p in parameters(a)]
    assert paths[9:] == [
        "share.customer.commuters",
        "diff.customer.commuters",
        "share.customer.commuters.e-bikes",
        "diff.customer.commuters.e-bikes",
        "share.customer.commuters.pedal",
        "diff.customer.commuters.pedal",
        "share.customer.sport",
        "diff.customer.sport",
        "share.city.lyon",
        "diff.city.lyon",
        "share.city.ghent",
        "diff.city.ghent",
    ]
    changed = apply_overrides(a, {"share.customer.commuters.pedal": 0.0})
    assert forecast(changed).by("customer", "commuters")["Pedal"].eq(0).all()
    assert parameter_index(a)["growth.base_value"].high == 1e15  # finite, whatever the unit


def test_a_changed_reported_value_becomes_assumed_and_says_what_it_was(
    default_assumptions: Assumptions,
) -> None:
    """22.12 % is not the source's figure: it must not keep the citation of the 20.12 %."""
    cited = default_assumptions.growth.cagr_pct.citation
    changed = apply_overrides(default_assumptions, {"growth.cagr_pct": 22.12}).growth.cagr_pct
    assert changed.provenance is Provenance.ASSUMED and changed.citation is None
    assert "changed" in changed.rationale.lower()
    assert "20.12" in changed.rationale and "22.12" in changed.rationale
    assert cited in changed.rationale


def test_a_changed_segment_keeps_the_files_reason_beside_the_change(
    default_assumptions: Assumptions,
) -> None:
    before = next(s for s in default_assumptions.dimension("region").segments if s.id == "europe")
    changed = apply_overrides(
        default_assumptions, {"share.region.europe": 30, "diff.region.europe": 2}
    )
    europe = next(s for s in changed.dimension("region").segments if s.id == "europe")
    assert europe.provenance is Provenance.ASSUMED
    assert "27" in europe.rationale and "30" in europe.rationale and "2 pp" in europe.rationale
    assert before.rationale in europe.rationale
    others = [s for s in changed.dimension("region").segments if s.id != "europe"]
    originals = [s for s in default_assumptions.dimension("region").segments if s.id != "europe"]
    assert others == originals


def test_an_override_equal_to_the_file_keeps_its_provenance(
    default_assumptions: Assumptions,
) -> None:
    same = apply_overrides(default_assumptions, {"growth.cagr_pct": 20.12})
    assert same.growth.cagr_pct == default_assumptions.growth.cagr_pct


# --- slider grids --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20.0, (-50.0, 100.0, 0.1)),  # on the coarse grid: the coarse step
        (20.12, (-50.0, 100.0, 0.01)),  # the source's two decimals: a grid through them
        (-60.12, (-60.12, 100.0, 0.01)),  # below the range: widened, still round at the top
        (20.125, (-50.0, 100.0, 0.01)),  # finer than every step: the finest, round ends
    ],
)
def test_a_slider_grid_runs_through_the_files_value_between_round_ends(
    value: float, expected: tuple[float, float, float]
) -> None:
    assert grid(-50.0, 100.0, (0.1, 0.01), value) == pytest.approx(expected)


def test_every_range_is_the_sliders_range(default_assumptions: Assumptions) -> None:
    """The bounds a slider shows are the ones a link and --set accept, and no wider."""
    for p in parameters(default_assumptions):
        assert p.check(p.low) == p.low and p.check(p.high) == p.high
        for outside in (p.low - p.step, p.high + p.step):
            with pytest.raises(ValueError, match=r"is outside|is not one of"):
                p.check(outside)
