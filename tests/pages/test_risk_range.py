"""The Risk page: the range of outcomes as numbers, not only as a fan to hover over."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.state import panel_key
from market import Assumptions
from market.risk import simulate
from report.format import money
from tests.pages.conftest import metric

PROJECT = Path(__file__).resolve().parents[2]


def test_p10_p50_and_p90_are_written_out_for_the_horizon_and_every_year(
    folders: Path, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.session_state[panel_key("table.risk-range")] = True  # opened, as a click would
    at.run()
    at.switch_page("pages/risk.py").run()
    assert not at.exception, at.exception
    # the page's simulation: 10,000 paths, seed 0
    band = simulate(a, 10_000, seed=0, by_segment=False).totals.loc[a.years.base :]
    unit, horizon = a.market.unit, a.years.horizon
    for q, label in (("p10", "P10 (low)"), ("p50", "P50 (median)"), ("p90", "P90 (high)")):
        assert metric(at, f"{label}, {horizon}") == money(band.at[horizon, q], unit)
    (table,) = [t for t in at.dataframe if "P10 (low) (USD million)" in t.value.columns]
    assert list(table.value.index) == list(band.index)
    shown = table.value["P90 (high) (USD million)"].to_numpy()
    assert shown.tolist() == band["p90"].round(1).tolist()
