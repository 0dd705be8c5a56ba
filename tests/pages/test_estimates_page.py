"""The Estimates page through AppTest: started from the entry, calibrated with one click."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.state import widget_key
from market import Assumptions, apply_overrides, forecast
from market import estimates as est
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from report.format import plain
from tests.pages.conftest import charts, passages

PROJECT = Path(__file__).resolve().parents[2]
COFFEE = PROJECT / "assumptions" / "example-coffee-subscriptions.yaml"
CAGR = "growth.cagr_pct"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_path: Path) -> AppTest:
    folder = tmp_path / "assumptions"
    folder.mkdir()
    shutil.copy(default_path, folder / default_path.name)
    shutil.copy(COFFEE, folder / COFFEE.name)
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/estimates.py").run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):
    """The button showing ``label``: labels from the file are escaped for Markdown."""
    found = [b for b in at.button if b.label == plain(label)]
    assert found, f"no button {label!r}; have {[b.label for b in at.button]}"
    return found[0]


def test_the_year_by_year_table_is_at_one_precision(app: AppTest) -> None:
    """One decimal throughout: a source's own 2,153.98 and 535.64 are shown as 2,154.0 and
    535.6 beside derived values of one decimal (its exact figures are in the sources'
    table below), never two precisions side by side."""
    table = app.dataframe[0].value
    assert table.at[2032, "360iResearch (2026-2032 edition)"] == "2,154.0 ◆"
    assert table.at[2025, "360iResearch (2024-2032 edition)"] == "535.6 ◆"
    texts = [v for column in table.columns[2:5] for v in table[column] if v]
    assert all(v.removesuffix(" ◆").rpartition(".")[2].isdigit() for v in texts)
    assert {len(v.removesuffix(" ◆").rpartition(".")[2]) for v in texts} == {1}


def chart_traces(at: AppTest) -> dict[str, dict]:
    return {t.get("name", ""): t for t in charts(at)[0]["data"]}


def test_the_page_shows_every_source_the_spread_and_the_model(app: AppTest) -> None:
    assert app.title[0].value.endswith("published estimates")
    spec = charts(app)[0]
    names = {t["name"] for t in spec["data"] if t.get("showlegend", True)}
    for label in ("Kings Research", "360iResearch (2024-2032 edition)"):
        assert label in names
    assert {"Range across estimates (derived)", "Median of estimates (derived)"} <= names
    assert "Model (your assumptions)" in names
    table = app.dataframe[0].value
    assert table.at[2031, "Kings Research"] == "1,651.2 ◆"
    assert table.at[2030, "360iResearch (2026-2032 edition)"] == "1,454.5"
    assert table.at[2032, "Kings Research"] == ""
    assert table.at[2031, "Model in the range"] == "at the low end"
    assert "The numbers follow Kings Research" in app.markdown[0].value
    assert list(table.columns[:2]) == ["Model", "Model in the range"]
    # the estimate followed now cannot be chosen again
    assert button(app, "Kings Research").disabled


def test_calibrate_sets_ordinary_overrides_that_reset_undoes(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    button(app, "360iResearch (2026-2032 edition)").click().run()
    assert not app.exception
    cal = est.calibration(default_assumptions, "360iresearch-2026-2032")
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == pytest.approx(cal.cagr_pct)
    assert app.query_params["cagr"] == str(cal.cagr_pct)
    assert "Past the horizon" in app.success[0].value
    calibrated = forecast(apply_overrides(default_assumptions, cal.overrides))
    assert calibrated.totals.at[2025, "value"] == pytest.approx(535.64, abs=0.1)
    model = chart_traces(app)["Model (your assumptions)"]
    assert "Model: USD 535.6M" in model["customdata"]
    assert plain("follow 360iResearch (2026-2032 edition)") in app.markdown[0].value
    assert button(app, "360iResearch (2026-2032 edition)").disabled

    next(b for b in app.button if b.label == "Reset to report").click().run()
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == pytest.approx(20.12)
    assert "The numbers follow Kings Research" in app.markdown[0].value


def test_calibrating_keeps_other_changes(app: AppTest) -> None:
    app.session_state["market.overrides"] = {"share.region.europe": 40.0}
    app.run()
    button(app, "Median of the estimates").click().run()
    assert app.query_params["s.region.europe"] == "40"
    assert "cagr" in app.query_params and "base" in app.query_params


def test_a_file_with_one_estimate_shows_it_without_a_spread(app: AppTest) -> None:
    app.sidebar.selectbox[0].set_value(COFFEE.name).run()
    assert not app.exception
    assert "no spread" in app.markdown[0].value
    assert [b.label for b in app.button] == ["Undo", "Reset to report"]  # nothing to calibrate to
    assert "two figures from the base year on" in app.info[0].value
    assert "Range across estimates (derived)" not in chart_traces(app)


def test_the_overview_says_which_estimate_it_follows_and_the_spread(app: AppTest) -> None:
    app.switch_page("app.py").run()
    said = passages(app)
    assert any("The numbers follow Kings Research" in p for p in said)
    assert any("a spread of 6.7% of their median" in p for p in said)
    app.switch_page("pages/estimates.py").run()
    button(app, "Median of the estimates").click().run()
    app.switch_page("app.py").run()
    assert any("The numbers follow the median of the estimates." in p for p in passages(app))
