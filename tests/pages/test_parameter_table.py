"""One entry in the parameter table is all an adjustable number needs: it gets a slider, a
share-link key, a line in ``market params`` and in the ``--set`` help, with one range."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cli import main
from dashboard import links
from dashboard.state import entry_name, widget_key
from market import Assumptions, apply_overrides, forecast, parameter_index, parameter_table
from market.parameter_table import MARKET_UNIT, ParameterSpec
from market.parameters import unused_paths
from tests.pages.conftest import charts, values

PROJECT = Path(__file__).resolve().parents[2]

NEW = ParameterSpec(
    path="growth.starting_size",
    label="Starting size",
    unit=MARKET_UNIT,
    group="growth",
    low=10.0,
    high=5_000.0,
    steps=(0.1,),
    key="start",
    summary="where the market starts (a made-up entry for this test)",
    help="The size the forecast starts from, in the file's unit.",
    field="growth.base_value",  # an existing schema field, so only the table changes
    slider="sidebar",
    slider_label="Starting size (test)",
)


@pytest.fixture
def with_new_entry(monkeypatch: pytest.MonkeyPatch) -> ParameterSpec:
    monkeypatch.setattr(parameter_table, "PARAMETER_TABLE", (*parameter_table.PARAMETER_TABLE, NEW))
    return NEW


def test_without_the_entry_the_number_is_nowhere(
    default_assumptions: Assumptions, capsys: pytest.CaptureFixture[str]
) -> None:
    assert NEW.path not in parameter_index(default_assumptions)
    assert links.path_for_key(NEW.key) is None
    main(["params"])
    main(["forecast", "--help"])
    assert NEW.path not in capsys.readouterr().out


def test_a_new_entry_is_a_parameter_with_the_tables_range(
    with_new_entry: ParameterSpec, default_assumptions: Assumptions
) -> None:
    p = parameter_index(default_assumptions)[NEW.path]
    assert (p.label, p.unit, p.key) == ("Starting size", "USD million", "start")
    assert (p.low, p.high, p.step) == (10.0, 5_000.0, 0.1)
    assert p.value == default_assumptions.growth.base_value.value
    assert p.provenance is default_assumptions.growth.base_value.provenance
    changed = apply_overrides(default_assumptions, {NEW.path: 500.0})
    assert forecast(changed).totals.at[default_assumptions.years.base, "value"] == 500.0


def test_a_new_entry_is_in_market_params_and_the_set_help(
    with_new_entry: ParameterSpec, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["params"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if NEW.path in line)
    assert row.split()[:3] == [NEW.path, "Starting", "size"]
    assert "10 to 5000" in row and row.rstrip().endswith("start")
    assert main(["forecast", "--help"]) == 0
    assert NEW.summary in " ".join(capsys.readouterr().out.split())
    assert main(["forecast", "--set", f"{NEW.path}=6000"]) == 2
    assert "outside 10 to 5000" in capsys.readouterr().err


def test_a_new_entry_has_a_link_key_with_the_same_range(
    with_new_entry: ParameterSpec, default_assumptions: Assumptions
) -> None:
    assert links.key_for_path(NEW.path) == "start"
    assert links.path_for_key("start") == NEW.path

    def opened(value: str) -> links.Decoded:
        name = "healthcare-microservices.yaml"
        return links.decode({"start": value}, [name], lambda _: default_assumptions)

    assert opened("500").overrides == {NEW.path: 500.0}
    refused = opened("5001")
    assert refused.overrides == {}
    assert refused.warnings == ("start: 5001 is outside 10 to 5000",)


def test_a_new_entry_gets_a_sidebar_slider_that_writes_the_link(
    with_new_entry: ParameterSpec, folders: None, default_assumptions: Assumptions
) -> None:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    slider = at.slider(key=widget_key(NEW.path, at.session_state))
    assert slider.label == "Starting size (test)"
    assert (slider.min, slider.max, slider.step) == (10.0, 5_000.0, 0.1)
    assert NEW.help in slider.help
    slider.set_value(600.0).run()
    assert not at.exception, at.exception
    assert dict(at.query_params) in ({"start": ["600"]}, {"start": "600"})
    entry = at.number_input(key=widget_key(entry_name(NEW.path), at.session_state))
    assert (entry.min, entry.max, entry.step) == (10.0, 5_000.0, 0.1)
    assert entry.value == 600.0  # the slider's move shows in the entry beside it


def test_every_slider_has_an_exact_entry_over_its_range_and_the_base_value_has_one(
    folders: None, default_assumptions: Assumptions
) -> None:
    """Type 25 and press Enter: each slider of the sidebar and the Risk page has a number
    entry beside it over the same range; the base-year size, too wide-ranging for a
    slider, has the entry alone."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    index = parameter_index(default_assumptions)
    unused = unused_paths(default_assumptions)  # a growth shape's own, under another shape
    placed = [
        p
        for p in index.values()
        if p.slider == "sidebar" and not p.dimension and p.path not in unused and not p.choices
    ]
    assert [p.path for p in placed] == ["growth.cagr_pct", "growth.base_value"]
    for p in placed:
        entry = at.number_input(key=widget_key(entry_name(p.path), at.session_state))
        assert (entry.min, entry.max, entry.value) == (p.low, p.high, p.value)
    assert not [s for s in at.slider if s.key == widget_key("growth.base_value")]
    at.switch_page("pages/risk.py").run()
    sd = index["uncertainty.cagr_sd_pct"]
    entry = at.number_input(key=widget_key(entry_name(sd.path), at.session_state))
    slider = at.slider(key=widget_key(sd.path, at.session_state))
    assert (entry.min, entry.max) == (slider.min, slider.max) == (sd.low, sd.high)


def test_a_choice_gets_a_select_box_and_its_own_parameters_follow_it(folders: None) -> None:
    """The growth shape is a choice: a select box writes its name to the link, and the
    fade slider is drawn only while the fade shape is chosen."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    shape = at.selectbox(key=widget_key("growth.shape"))
    assert list(shape.options) == [
        "Constant",
        "Fade",
        "Damped",
        "Logistic",
    ]
    assert not [s for s in at.slider if s.key == widget_key("growth.fade_pp")]
    shape.set_value(1).run()
    assert not at.exception, at.exception
    at.slider(key=widget_key("growth.fade_pp", at.session_state)).set_value(-1.0).run()
    assert not at.exception, at.exception
    assert dict(at.query_params) in (
        {"shape": ["fade"], "fade": ["-1"]},
        {"shape": "fade", "fade": "-1"},
    )
    modelled = next(t for t in charts(at)[0]["data"] if t.get("name") == "Modelled")
    assert [round(v, 1) for v in values(modelled)][1:3] == [563.5, 688.2]  # the fade's path
