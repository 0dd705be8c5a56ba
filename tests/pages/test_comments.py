"""Comments through the page: left under a chart, listed as typed, marked on the chart,
resolved and reopened; refused text and a store that is down each said in one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import store
from dashboard.state import panel_key, widget_key
from market.comments import MARKET_SIZE, TEXT_LENGTH, segments_chart
from market.paths import default_assumptions
from report.charts import COMMENT_TRACE
from tests.pages.conftest import charts
from tests.store.conftest import free_port

PROJECT = Path(__file__).resolve().parents[2]
MARKUP = "**bold** <b>tag</b> :red[red] [link](https://example.com) <script>x()</script>"
OVERVIEW = "trajectory.market-size"


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def open_panel(at: AppTest, slot: str) -> None:
    """Open the Comments panel under a chart (or a scenario), as a click on it does: its
    contents are drawn only while it is open."""
    at.session_state[panel_key(f"comments.{slot}")] = True
    at.run()
    assert not at.exception, at.exception


def leave(at: AppTest, slot: str, text: str, *, year: int, series: str | None = None) -> None:
    open_panel(at, slot)
    at.selectbox(key=widget_key(f"comment.{slot}.year")).set_value(year)
    if series is not None:
        at.selectbox(key=widget_key(f"comment.{slot}.series")).set_value(series)
    at.text_area(key=widget_key(f"comment.{slot}.text", at.session_state)).input(text)
    [submit] = [b for b in at.button if b.label == "Leave comment"]
    submit.click().run()
    assert not at.exception, at.exception


def markers(at: AppTest, index: int = 0) -> dict[str, Any] | None:
    traces = [t for t in charts(at)[index]["data"] if t.get("name") == COMMENT_TRACE]
    return traces[0] if traces else None


def button(at: AppTest, label: str) -> Any:
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; have {[b.label for b in at.button]}"
    return found[0]


def stored(chart: Any) -> tuple[Any, ...]:
    engine = store.open_store()
    try:
        with store.session(engine) as opened:
            return store.comments.listing(opened, default_assumptions().name, chart=chart)
    finally:
        engine.dispose()


def test_a_comment_is_listed_as_typed_and_marked_on_the_chart(folders: Path) -> None:
    at = start()
    leave(at, OVERVIEW, MARKUP, year=2028, series="Modelled")
    assert [t.value for t in at.text] == [MARKUP]  # st.text: never Markdown or HTML
    assert not any("<b>tag</b>" in m.value or "**bold**" in m.value for m in at.markdown)
    assert any("Modelled, 2028 · anonymous" in c.value for c in at.caption)
    assert "1 open, 0 resolved." in [c.value for c in at.caption]
    marked = markers(at)
    assert marked is not None and marked["x"] == [2028]
    [hover] = marked["hovertext"]
    assert "&lt;b&gt;tag&lt;/b&gt;" in hover and "<b>" not in hover  # Plotly shows it as text
    [kept] = stored(MARKET_SIZE)
    assert kept.text == MARKUP and kept.point == MARKET_SIZE.point(2028, "Modelled")
    assert at.text_area(key=widget_key(f"comment.{OVERVIEW}.text", at.session_state)).value == ""


def test_resolving_removes_the_marker_and_reopening_brings_it_back(folders: Path) -> None:
    at = start()
    leave(at, OVERVIEW, "Check 2030 against the source", year=2030)
    button(at, "Resolve").click().run()
    assert markers(at) is None
    assert any("resolved by anonymous" in c.value for c in at.caption)
    assert [t.value for t in at.text] == ["Check 2030 against the source"]  # still listed
    button(at, "Reopen").click().run()
    assert markers(at) is not None
    assert stored(MARKET_SIZE)[0].open


def test_a_comment_on_a_segment_is_kept_for_its_dimension(folders: Path) -> None:
    at = start("pages/segments.py")
    slot = "segments-area.segments-component"
    leave(at, slot, "Services look low", year=2029, series="Services")
    assert [t.value for t in at.text] == ["Services look low"]
    marked = markers(at)
    assert marked is not None and marked["x"] == [2029]
    assert [c.text for c in stored(segments_chart("component"))] == ["Services look low"]
    assert stored(MARKET_SIZE) == ()


def test_the_box_takes_at_most_the_limit_and_an_empty_comment_is_refused_in_one_line(
    folders: Path,
) -> None:
    at = start()
    open_panel(at, OVERVIEW)
    box = at.text_area(key=widget_key(f"comment.{OVERVIEW}.text", at.session_state))
    assert box.proto.max_chars == TEXT_LENGTH  # the browser stops typing there
    leave(at, OVERVIEW, "   ", year=2028, series="Modelled")
    [said] = [e.value for e in at.error]
    assert "Modelled, 2028 is empty" in said and "\n" not in said
    assert stored(MARKET_SIZE) == ()


def test_when_the_store_is_down_the_page_draws_and_says_why(
    folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(store.DATABASE_ENV, f"postgresql+psycopg://u@127.0.0.1:{free_port()}/m")
    for page, slot in ((None, OVERVIEW), ("pages/segments.py", "segments-area.segments-component")):
        at = start(page)
        open_panel(at, slot)
        assert charts(at), "the chart is drawn"
        said = [c.value for c in at.caption if "Comments are unavailable" in c.value]
        assert said == ["Comments are unavailable: the database server cannot be reached\\."]
        assert not [b for b in at.button if b.label == "Leave comment"]


def test_a_read_only_store_lists_comments_and_keeps_what_was_typed(
    folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = start()
    leave(at, OVERVIEW, "kept before", year=2027)
    database = (folders / "scenarios" / "market.db").resolve()
    monkeypatch.setenv(store.DATABASE_ENV, f"sqlite:///file:{database}?mode=ro&uri=true")
    at = start()
    open_panel(at, OVERVIEW)
    assert [t.value for t in at.text] == ["kept before"]
    leave(at, OVERVIEW, "typed while read-only", year=2028)
    assert [e.value for e in at.error] == ["Not saved: the database is read\\-only\\."]
    assert (
        at.text_area(key=widget_key(f"comment.{OVERVIEW}.text", at.session_state)).value
        == "typed while read-only"
    )


def test_a_comment_on_a_saved_scenario_is_listed_under_its_history(folders: Path) -> None:
    at = start("pages/scenarios.py")
    [first] = [s for s in at.selectbox if s.label == "Scenario"]
    name = str(first.value)
    slot = f"scenario.{store.key(name)}"
    open_panel(at, slot)
    at.text_area(key=widget_key(f"comment.{slot}.text", at.session_state)).input(MARKUP)
    [submit] = [b for b in at.button if b.label == "Leave comment"]
    submit.click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.text] == [MARKUP]
    engine = store.open_store()
    try:
        with store.session(engine) as opened:
            [kept] = store.comments.listing(opened, default_assumptions().name, scenario=name)
    finally:
        engine.dispose()
    assert kept.point is None and kept.scenario == name and kept.text == MARKUP


def test_a_closed_panel_sends_only_the_markers_and_opens_with_its_notes(folders: Path) -> None:
    at = start()
    leave(at, OVERVIEW, "Check 2030 against the source", year=2030)
    at.session_state[panel_key(f"comments.{OVERVIEW}")] = False
    at.run()
    assert markers(at) is not None  # the chart still shows where the notes are
    assert not at.text and not [b for b in at.button if b.label == "Leave comment"]
    open_panel(at, OVERVIEW)
    assert [t.value for t in at.text] == ["Check 2030 against the source"]
