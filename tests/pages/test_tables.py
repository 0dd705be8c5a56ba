"""Tables as people read them, on every page: empty cells for missing values, a "Year"
header, no "-0.0", and on Sources & method names in full with "Changed" in view."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.layout import PAGES
from dashboard.state import panel_key, widget_key
from market.summary import assumption_table
from tests.pages.conftest import open_shares

PROJECT = Path(__file__).resolve().parents[2]


TABLES_BEHIND_CHARTS = ("overview", "segments", "regions", "opportunity", "risk-range")


def start(page: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    for name in TABLES_BEHIND_CHARTS:  # open, as a click would: closed ones draw nothing
        at.session_state[panel_key(f"table.{name}")] = True
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def headers(table) -> list[str]:
    """The column headers a table shows: configured labels, else the frame's own names."""
    config = json.loads(table.proto.columns or "{}")
    frame = table.value
    names = [*([frame.index.name] if frame.index.name else []), *map(str, frame.columns)]
    index = config.get("_index", {}).get("label")
    shown = [config.get(n, {}).get("label") or n for n in map(str, frame.columns)]
    return ([index or frame.index.name] if frame.index.name else []) + shown if names else []


@pytest.mark.parametrize("page", [p.script for p in PAGES])
def test_no_table_shows_none_or_a_lowercase_year(folders: Path, page: str) -> None:
    at = start(page)
    for table in at.dataframe:
        assert table.proto.HasField("placeholder") and table.proto.placeholder == "", page
        assert "year" not in headers(table), (page, headers(table))


def test_the_table_behind_a_chart_heads_its_years_year(folders: Path) -> None:
    at = start("app.py")
    table = at.dataframe[0]
    assert table.value.index.name == "year"  # the model's frame, as documented
    assert headers(table)[0] == "Year"
    assert table.value.isna().any().any()  # there are missing values, shown as empty cells


def test_compare_never_reads_minus_zero(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.multiselect(key=widget_key("scenarios.compare")).set_value(
        ["Base case", "Conservative", "Aggressive"]
    ).run()
    table = next(d for d in at.dataframe if "scenario" in d.value.columns)  # after the history
    config = json.loads(table.proto.columns)
    for column, setting in config.items():
        number_format = setting.get("type_config", {}).get("format")
        if not number_format or column not in table.value:
            continue
        for value in table.value[column]:
            if isinstance(value, float) and not math.isnan(value):
                shown = number_format.replace(",", "") % value
                assert not re.fullmatch(r"-0\.?0*", shown), (column, value, shown)
    base = table.value.set_index("scenario").loc["Base case (saved)", "vs_reported_pct"]
    assert base == 0.0 and math.copysign(1, base) == 1  # the base case matches the report


def test_sources_keeps_names_whole_and_changed_in_view(folders: Path, default_assumptions) -> None:
    """Every column up to "Changed" has a fixed width that fits beside the sidebar at
    1440 px (the main area is about 1,000 px), and the name column fits the longest name."""
    at = start("pages/sources.py")
    table = at.dataframe[1]
    order = list(table.proto.column_order)
    config = json.loads(table.proto.columns)
    assert order.index("changed") < order.index("basis")
    widths = [config[c].get("width") for c in order[: order.index("changed") + 1]]
    assert all(isinstance(w, int) for w in widths), widths
    assert sum(widths) <= 800
    longest = assumption_table(default_assumptions, default_assumptions)["assumption"].str.len()
    assert config["assumption"]["width"] >= 6 * longest.max()
    open_shares(at, "region")  # what the caption points to works
    at.slider(key=widget_key("share.region.europe", at.session_state)).set_value(40).run()
    changed = at.dataframe[1].value.set_index("path")["changed"]
    assert changed[changed].index.tolist() == ["share.region.europe"]
