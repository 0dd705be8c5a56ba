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
    return at.number_input(key=widget_key(entry_name(path), at.session_state))


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
    assert app.session_state[widget_key(CAGR, app.session_state)] == 25.0


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
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(22.0).run()
    whole_page(app)
    entry(app, BASE).set_value(480.0).run()
    click(app, "Undo")
    assert app.query_params.get("base") is None and app.query_params["cagr"] == "22"
    assert entry(app, BASE).value == default_assumptions.growth.base_value.value
    click(app, "Undo")
    assert "cagr" not in app.query_params
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == 20.12
    assert entry(app, CAGR).value == 20.12
    assert metric(app, "CAGR 2024-2031") == "20.12%"
    click(app, "Undo")
    assert "Nothing to undo" in " ".join(w.value for w in app.warning)


def test_undo_takes_back_a_reset(app: AppTest) -> None:
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(23.0).run()
    click(app, "Reset to report")
    assert "cagr" not in app.query_params
    click(app, "Undo")
    assert app.query_params["cagr"] == "23"
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == 23.0


def test_a_quick_press_is_not_put_back_by_the_entrys_report_from_before(app: AppTest) -> None:
    """Each move reports every control's value. Pressed quickly, the next press leaves the
    browser before the redraw of the last one has reached it, so the exact entry beside
    the slider still shows the value from before. Taken as typed, that report sent the
    slider a value to show over the user's: it snapped back a step, and the press after
    it was lost (now and then on a loaded machine). ``slider`` and ``before`` stay the
    elements of the page as first drawn, as that browser still has them."""
    slider, before = app.slider(key=widget_key(CAGR)), entry(app, CAGR)
    shown = before.value
    slider.set_value(22.0).run()
    before.set_value(shown)  # what the browser's entry still shows
    slider.set_value(22.5).run()
    assert not app.exception, app.exception
    assert app.query_params["cagr"] == "22.5"
    sent = [s for s in app.slider if s.key.startswith(widget_key(CAGR))]
    assert not [s.value for s in sent if s.proto.set_value], "the slider was put back"
    whole_page(app)
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == 22.5
    assert entry(app, CAGR).value == 22.5


def test_typing_quickly_is_not_put_back_by_the_sliders_report_from_before(app: AppTest) -> None:
    """The same for two values typed quickly: the slider's report from before the first
    does not take the second back."""
    slider, typed = app.slider(key=widget_key(CAGR)), entry(app, CAGR)
    shown = slider.value
    typed.set_value(24.0).run()
    slider.set_value(shown)  # what the browser's slider still shows
    typed.set_value(26.0).run()
    assert not app.exception, app.exception
    assert app.query_params["cagr"] == "26"
    whole_page(app)
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == 26.0
    assert entry(app, CAGR).value == 26.0
