"""The Risk page's two-way grid as a user drives it: controls, assumptions, links, exports."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.state import widget_key
from market import Assumptions, apply_overrides, forecast
from market.grid import AxisSpec, GridSpec
from tests.pages.conftest import charts
from tests.pages.conftest import values as values_of

PROJECT = Path(__file__).resolve().parents[2]
TITLE = "two-way sensitivity"


@pytest.fixture(autouse=True)
def _private(folders: Path) -> Path:
    return folders


def opened(query: dict[str, str] | None = None) -> AppTest:
    """A fresh session opening ``query`` (a copied link), then the Risk page."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    at.switch_page("pages/risk.py").run()
    assert not at.exception, at.exception
    return at


def grid_figure(at: AppTest) -> dict[str, Any]:
    found = [c for c in charts(at) if TITLE in c["layout"]["title"]["text"]]
    assert len(found) == 1, [c["layout"]["title"]["text"] for c in charts(at)]
    return found[0]


def cells(figure: dict[str, Any]) -> np.ndarray:
    """The heatmap's values (Plotly 7 sends a 2-D array as base64 ``bdata`` with its shape)."""
    z = figure["data"][0]["z"]
    if isinstance(z, dict):
        flat = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"])
        return flat.reshape([int(n) for n in str(z["shape"]).split(",")])
    return np.asarray(z, dtype=float)


def address(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def test_the_grid_sits_beside_the_tornado_with_the_current_forecast_at_its_centre(
    default_assumptions: Assumptions,
) -> None:
    at = opened()
    subheaders = [s.value for s in at.subheader]
    assert (
        subheaders.index("Two assumptions at once")
        == subheaders.index("What moves the forecast most") + 1
    )
    figure = grid_figure(at)
    assert figure["layout"]["title"]["text"].startswith("Total market in 2031")
    values = cells(figure)
    assert values.shape == (7, 7)
    assert values[3, 3] == pytest.approx(forecast(default_assumptions).horizon_value)
    assert not address(at), "the page's own defaults are not written into the link"


def test_a_slider_move_moves_the_grid_with_it(default_assumptions: Assumptions) -> None:
    at = opened()
    at.slider(key=widget_key("growth.cagr_pct", at.session_state)).set_value(25.0).run()
    moved = apply_overrides(default_assumptions, {"growth.cagr_pct": 25.0})
    assert cells(grid_figure(at))[3, 3] == pytest.approx(forecast(moved).horizon_value)


def test_choosing_inputs_outcome_range_and_target_redraws_the_grid_and_the_link(
    default_assumptions: Assumptions,
) -> None:
    at = opened()
    at.selectbox(key=widget_key("risk.grid.cols")).set_value("share.region.europe").run()
    at.selectbox(key=widget_key("risk.grid.of.of")).set_value("region/europe").run()
    at.selectbox(key=widget_key("risk.grid.of.year")).set_value(2029).run()
    at.number_input(key=widget_key("risk.grid.rows-range.low")).set_value(15.0).run()
    at.number_input(key=widget_key("risk.grid.rows-range.high")).set_value(25.0).run()
    at.number_input(key=widget_key("risk.grid.rows-range.steps")).set_value(11).run()
    at.number_input(key=widget_key("risk.grid.target.value")).set_value(300.0).run()
    assert not at.exception, at.exception
    figure = grid_figure(at)
    assert figure["layout"]["title"]["text"].startswith("Region: Europe in 2029")
    values = cells(figure)
    assert values.shape == (11, 7)
    moved = apply_overrides(
        default_assumptions, {"growth.cagr_pct": 15.0, "share.region.europe": 27.0}
    )
    assert values[0, 3] == pytest.approx(forecast(moved).by("region").at[2029, "Europe"])
    (marks,) = [t for t in figure["data"] if t.get("name") == "Reaches USD 300.0M"]
    marked = len(values_of(marks, "x"))
    assert marked == int((values >= 300).sum()) > 0
    assert f"{marked} of 77 combinations reach USD 300.0M" in " ".join(c.value for c in at.caption)
    assert address(at) == {
        "v.grid-cols": "share.region.europe",
        "v.grid-of": "region/europe@2029",
        "v.grid-rows-range": "15:25:11",
        "v.grid-target": "300",
    }
    # the exports get the grid the page draws
    assert at.session_state["market.grid"] == GridSpec(
        AxisSpec("growth.cagr_pct", 15.0, 25.0, 11),
        AxisSpec("share.region.europe"),
        "region/europe",
        2029,
        300.0,
    )


def test_a_link_opens_the_same_grid() -> None:
    query = {
        "v.grid-rows": "diff.region.europe",
        "v.grid-cols": "share.region.europe",
        "v.grid-cols-range": "20:35:7",
        "v.grid-of": "region/europe@2030",
        "v.grid-target": "400",
    }
    at = opened(query)
    assert not at.warning
    assert at.selectbox(key=widget_key("risk.grid.rows")).value == "diff.region.europe"
    assert at.number_input(key=widget_key("risk.grid.cols-range.low")).value == 20
    assert at.number_input(key=widget_key("risk.grid.target.value")).value == 400
    figure = grid_figure(at)
    assert figure["layout"]["title"]["text"].startswith("Region: Europe in 2030")
    assert figure["layout"]["xaxis"]["ticktext"] == ["20", "22.5", "25", "27.5", "30", "32.5", "35"]
    assert address(at) == query


def test_a_link_with_a_grid_it_cannot_hold_warns_and_draws_the_default() -> None:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.query_params.update({"v.grid-rows-range": "30:10:7", "v.grid-of": "region/atlantis"})
    at.run()  # the page the link opens says what it ignored
    said = " ".join(w.value for w in at.warning)
    assert "v.grid-rows-range" in said and "LOW at most HIGH" in said
    assert "v.grid-of" in said and "not an outcome the grid can show" in said
    at.switch_page("pages/risk.py").run()
    assert grid_figure(at)["layout"]["title"]["text"].startswith("Total market in 2031")


def test_a_range_past_an_inputs_bounds_is_clamped_and_says_so() -> None:
    at = opened()
    at.number_input(key=widget_key("risk.grid.rows-range.low")).set_value(-80.0).run()
    said = " ".join(c.value for c in at.caption)
    assert "growth.cagr_pct: -80 to 25.15 was clamped to -50 to 25.15, its range" in said
    assert grid_figure(at)["layout"]["yaxis"]["ticktext"][0] == "-50.0%"


def test_a_grid_that_cannot_be_drawn_says_why_and_the_page_goes_on() -> None:
    at = opened()
    at.number_input(key=widget_key("risk.grid.rows-range.low")).set_value(30.0).run()
    at.number_input(key=widget_key("risk.grid.rows-range.high")).set_value(10.0).run()
    assert not at.exception
    assert "This grid cannot be drawn: growth.cagr_pct: the range runs from 30 down to 10" in (
        " ".join(w.value for w in at.warning)
    )
    assert "Goal seek" in [s.value for s in at.subheader]


def test_another_input_starts_from_its_own_default_range() -> None:
    at = opened()
    at.number_input(key=widget_key("risk.grid.rows-range.low")).set_value(15.0).run()
    at.selectbox(key=widget_key("risk.grid.rows")).set_value("diff.region.europe").run()
    assert at.number_input(key=widget_key("risk.grid.rows-range.low")).value is None
    assert "v.grid-rows-range" not in address(at)
    # Europe's differential is -1 pp: ±25 % of it
    assert grid_figure(at)["layout"]["yaxis"]["ticktext"][0] == "-1.25 pp"
