"""Exact entries beside the sliders, the base value's entry, and Undo (issue 26, items 6
and 9), through AppTest from the entry. Expected numbers come from the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.state import entry_name, widget_key
from market import Assumptions, apply_overrides, forecast
from report.format import money
from tests.pages.conftest import headline_cards, metric, whole_page

PROJECT = Path(__file__).resolve().parents[2]
CAGR, BASE = "growth.cagr_pct", "growth.base_value"


@pytest.fixture
def app(folders: None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def entry(at: AppTest, path: str):
    return at.number_input(key=widget_key(entry_name(path)))


def click(at: AppTest, label: str) -> AppTest:
    """Click a sidebar button: after a move that reran only part of the page, the whole
    page is drawn first, as the browser shows it."""
    whole_page(at)
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_typing_25_sets_the_cagr_and_the_slider_beside_it(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    entry(app, CAGR).set_value(25.0).run()
    assert not app.exception, app.exception
    expected = forecast(apply_overrides(default_assumptions, {CAGR: 25.0}))
    assert metric(app, "CAGR 2024-2031") == "25.00%"
    assert metric(app, "Market size 2031") == money(expected.horizon_value, expected.unit)
    assert app.query_params["cagr"] == "25"
    assert app.session_state[widget_key(CAGR)] == 25.0


def test_the_base_value_has_a_control_of_its_own(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    entry(app, BASE).set_value(500.0).run()
    expected = forecast(apply_overrides(default_assumptions, {BASE: 500.0}))
    assert metric(app, "Market size 2024") == money(500.0, expected.unit)
    assert metric(app, "Market size 2031") == money(expected.horizon_value, expected.unit)
    card = next(c for c in headline_cards(app) if c["label"] == "Market size 2024")
    assert card["delta"] != "reported"  # 500 is the analyst's, not the source's 457.6
    assert app.query_params["base"] == "500"


def test_undo_takes_back_the_last_change_one_at_a_time(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    app.slider(key=widget_key(CAGR)).set_value(22.0).run()
    whole_page(app)
    entry(app, BASE).set_value(480.0).run()
    click(app, "Undo")
    assert app.query_params.get("base") is None and app.query_params["cagr"] == "22"
    assert entry(app, BASE).value == default_assumptions.growth.base_value.value
    click(app, "Undo")
    assert "cagr" not in app.query_params
    assert app.slider(key=widget_key(CAGR)).value == 20.12
    assert entry(app, CAGR).value == 20.12
    assert metric(app, "CAGR 2024-2031") == "20.12%"
    click(app, "Undo")
    assert "Nothing to undo" in " ".join(w.value for w in app.warning)


def test_undo_takes_back_a_reset(app: AppTest) -> None:
    app.slider(key=widget_key(CAGR)).set_value(23.0).run()
    click(app, "Reset to report")
    assert "cagr" not in app.query_params
    click(app, "Undo")
    assert app.query_params["cagr"] == "23"
    assert app.slider(key=widget_key(CAGR)).value == 23.0
