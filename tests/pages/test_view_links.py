"""A share link opens the view, not only the numbers: each page's own controls (Segments'
dimension and year, Regions' year and split, Risk's paths and tornado target, the scenarios
compared) come from the link, and changing one writes it into the address."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.comparison import CURRENT_KEY
from dashboard.state import widget_key
from tests.pages.conftest import charts

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def two_markets(folders: Path) -> Path:
    """The shared private folders (a fresh install), with the second market beside the first."""
    shutil.copy(
        PROJECT / "assumptions" / "example-coffee-subscriptions.yaml", folders / "assumptions"
    )
    return folders


def opened(page: str, query: dict[str, str] | None = None) -> AppTest:
    """A fresh browser session opening ``query`` (a copied link) and going to ``page``."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [c["layout"]["title"]["text"] for c in charts(at)]


def address(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def warnings(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def test_segments_opens_on_the_linked_dimension_and_year() -> None:
    at = opened("pages/segments.py", {"v.dim": "region", "v.year": "2028"})
    assert at.segmented_control(key=widget_key("segments.dimension")).value == "region"
    assert at.select_slider(key=widget_key("year")).value == 2028
    assert "Region: share of the market in 2028" in titles(at)
    assert not at.warning


def test_regions_opens_on_the_linked_year_and_split() -> None:
    at = opened("pages/regions.py", {"v.year": "2026", "v.by": "deployment"})
    assert at.selectbox(key=widget_key("regions.by")).value == "deployment"
    assert "Region × Deployment model, 2026 (USD million)" in titles(at)


def test_risk_opens_on_the_linked_tornado_target_and_paths() -> None:
    at = opened("pages/risk.py", {"v.target": "region/europe", "v.paths": "2000"})
    assert at.selectbox(key=widget_key("risk.target")).value == "region/europe"
    assert at.select_slider(key=widget_key("risk.paths")).value == 2000
    assert any(t.startswith("Region: Europe in 2031: what moves it most") for t in titles(at))
    assert any("2,000 simulated paths" in m.value for m in at.markdown)


def test_scenarios_opens_comparing_the_linked_scenarios() -> None:
    at = opened("pages/scenarios.py", {"v.compare": "Conservative,~current", "v.mix": "end-user"})
    compared = at.multiselect(key=widget_key("scenarios.compare")).value
    assert compared == ["Conservative", CURRENT_KEY]
    table = next(d.value for d in at.dataframe if "scenario" in d.value.columns)
    assert table["scenario"].tolist() == ["Conservative", "Your current assumptions"]
    assert at.selectbox(key=widget_key("scenarios.mix-dimension")).value == "end-user"
    mixes = [
        c["layout"] for c in charts(at) if c["layout"]["title"]["text"] in table["scenario"].values
    ]
    assert [m["yaxis"]["title"]["text"] for m in mixes] == ["End-user", "End-user"]


def test_scenarios_opens_on_the_linked_bridge() -> None:
    at = opened(
        "pages/scenarios.py",
        {
            "v.compare": "~current,Conservative",
            "v.from": "Conservative",
            "v.to": "~current",
            "v.bridge": "region",
            "v.segment": "europe",
        },
    )
    assert at.selectbox(key=widget_key("scenarios.from")).value == "Conservative"
    assert at.selectbox(key=widget_key("scenarios.to")).value == CURRENT_KEY
    assert at.selectbox(key=widget_key("scenarios.bridge-segment")).value == "europe"
    assert any(t.startswith("Bridge of Europe (Region)") for t in titles(at)), titles(at)
    assert not at.warning


def test_the_view_is_checked_against_the_linked_file() -> None:
    at = opened(
        "pages/segments.py", {"file": "example-coffee-subscriptions.yaml", "v.dim": "channel"}
    )
    assert at.segmented_control(key=widget_key("segments.dimension")).value == "channel"


def test_a_part_that_does_not_fit_is_warned_about_and_the_rest_applies() -> None:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.query_params.update({"v.dim": "colour", "v.year": "2028", "v.compare": "Gone,Base case"})
    at.run()
    shown = warnings(at)  # on the page the link opens
    assert "v.dim: 'colour' is not a dimension of this market" in shown
    assert "v.compare: 'Gone' is not a saved scenario" in shown
    assert address(at) == {"v.year": "2028", "v.compare": "Base case"}

    at.switch_page("pages/segments.py").run()
    assert at.segmented_control(key=widget_key("segments.dimension")).value == "component"
    assert at.select_slider(key=widget_key("year")).value == 2028

    at.switch_page("pages/scenarios.py").run()
    assert at.multiselect(key=widget_key("scenarios.compare")).value == ["Base case"]


def test_changing_a_control_writes_it_into_the_address_and_the_default_removes_it() -> None:
    at = opened("pages/segments.py")
    assert address(at) == {}
    at.segmented_control(key=widget_key("segments.dimension")).set_value("region").run()
    at.select_slider(key=widget_key("year")).set_value(2027).run()
    assert address(at) == {"v.dim": "region", "v.year": "2027"}
    at.select_slider(key=widget_key("year")).set_value(2031).run()
    assert address(at) == {"v.dim": "region"}


def test_the_tornado_target_and_paths_are_written_when_they_change() -> None:
    at = opened("pages/risk.py")
    at.selectbox(key=widget_key("risk.target")).set_value("deployment/cloud").run()
    assert address(at) == {"v.target": "deployment/cloud"}
    at.select_slider(key=widget_key("risk.paths")).set_value(20_000).run()
    assert address(at) == {"v.target": "deployment/cloud", "v.paths": "20000"}


def test_the_regional_split_and_the_comparison_are_written_when_they_change() -> None:
    at = opened("pages/regions.py")
    at.selectbox(key=widget_key("regions.by")).set_value("end-user").run()
    assert address(at) == {"v.by": "end-user"}
    at.switch_page("pages/scenarios.py").run()
    assert address(at) == {"v.by": "end-user"}  # the comparison as first shown is the default
    at.multiselect(key=widget_key("scenarios.compare")).set_value(
        ["Conservative", CURRENT_KEY]
    ).run()
    assert address(at) == {"v.by": "end-user", "v.compare": "Conservative,~current"}
    at.selectbox(key=widget_key("scenarios.mix-dimension")).set_value("region").run()
    assert address(at) == {
        "v.by": "end-user",
        "v.compare": "Conservative,~current",
        "v.mix": "region",
    }


def test_a_link_copied_after_changes_opens_the_same_view_elsewhere() -> None:
    first = opened("pages/segments.py", {"cagr": "25"})
    first.segmented_control(key=widget_key("segments.dimension")).set_value("deployment").run()
    first.select_slider(key=widget_key("year")).set_value(2029).run()
    copied = address(first)

    again = opened("pages/segments.py", copied)  # another browser, or a reconnect elsewhere
    assert again.segmented_control(key=widget_key("segments.dimension")).value == "deployment"
    assert again.select_slider(key=widget_key("year")).value == 2029
    assert titles(again) == titles(first)
    assert address(again) == copied
