"""Analyst tools through AppTest: scenarios, goal seek, share links, uploads and downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

import store
from dashboard.comparison import BASE_KEY, CURRENT_KEY
from dashboard.state import widget_key
from market import Assumptions, apply_overrides, forecast
from market.io import MAX_FILE_BYTES
from market.scenarios import ScenarioNotFoundError
from report.format import money
from tests.pages.conftest import (
    caption_under,
    charts,
    headline_cards,
    open_shares,
    values,
    whole_page,
)
from tests.store.conftest import PostgresServer, free_port

PROJECT = Path(__file__).resolve().parents[2]
CAGR = "growth.cagr_pct"


def start(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def horizon_kpi(at: AppTest) -> str:
    return next(c["value"] for c in headline_cards(at) if c["label"].startswith("Market size 2031"))


def button(at: AppTest, label: str, key: str | None = None):
    matches = [b for b in at.button if b.label == label and (key is None or b.key == key)]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


def save_scenario(at: AppTest, name: str, rationale: str = "") -> AppTest:
    at.text_input(key=widget_key("scenario.name")).input(name)
    at.text_area(key=widget_key("scenario.rationale")).input(rationale)
    next(b for b in at.button if b.label == "Save scenario").click()
    return at.run()


def shown(elements) -> str:
    """What the elements read as on screen: Markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in elements))


def messages(at: AppTest) -> str:
    """The warnings, errors and notes as read on screen (file text in them is escaped)."""
    return shown([*at.warning, *at.error, *at.info])


# --- scenarios -----------------------------------------------------------------------------


def compared_table(at: AppTest):
    """The comparison's table (the history's tables come before it)."""
    return next(d.value for d in at.dataframe if "scenario" in d.value.columns)


def stored(name: str) -> store.Saved | None:
    """What the store holds under ``name`` now (the page's own database), or None."""
    engine = store.open_store()
    try:
        with store.session(engine) as opened:
            return store.load(opened, name)
    except ScenarioNotFoundError:
        return None
    finally:
        engine.dispose()


def saved_elsewhere(name: str, expected: int, **changes: object) -> None:
    """Another replica (or a script) saves a new version of ``name``."""
    engine = store.open_store()
    try:
        with store.session(engine) as opened:
            current = store.load(opened, name).scenario.model_copy(update=changes)
            store.save(opened, current, author="someone else", expected=expected)
    finally:
        engine.dispose()


def test_saving_a_scenario_keeps_only_what_differs_with_who_and_why(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(27.5).run()
    at.text_input(key=widget_key("scenario.note")).input("first cut for the board")
    save_scenario(at, "Board review", "What the board asked for.")
    saved = stored("Board review")
    assert saved is not None
    assert saved.scenario.base_file == "healthcare-microservices.yaml"
    assert saved.scenario.overrides == {"growth.cagr_pct": 27.5}
    assert saved.scenario.rationale == "What the board asked for."
    assert (saved.version, saved.current.author) == (1, "anonymous")
    assert saved.current.note == "first cut for the board"
    assert any("Board review" in m.value for m in at.markdown), "listed at once"
    assert "saved by anonymous" in shown(at.caption)


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/b", "NUL", "x" * 61, "   "])
def test_a_bad_name_gets_a_message_and_saves_nothing(folders: Path, name: str) -> None:
    at = start("pages/scenarios.py")
    save_scenario(at, name)
    assert not at.exception
    assert "name" in messages(at).lower()
    engine = store.open_store()
    with store.session(engine) as opened:
        assert store.listing(opened).names == ("Aggressive", "Base case", "Conservative")
    engine.dispose()


def test_saving_over_a_scenario_asks_first_and_keeps_the_old_version(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(11.0).run()
    save_scenario(at, "Aggressive")
    assert "exists already (version 1)" in messages(at)
    before = stored("Aggressive")
    assert before is not None and before.version == 1

    button(at, "Keep the old one").click().run()
    assert stored("Aggressive") == before

    save_scenario(at, "Aggressive")
    button(at, "Save as a new version").click().run()
    after = stored("Aggressive")
    assert after is not None and after.version == 2
    assert after.scenario.overrides == {"growth.cagr_pct": 11.0}
    assert "Version 2, saved by anonymous" in shown(at.caption)


def test_replacing_keeps_a_version_someone_else_saved_after_the_question(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(11.0).run()
    save_scenario(at, "Aggressive")
    assert "exists already" in messages(at)
    saved_elsewhere("Aggressive", 1, rationale="Saved by someone else.")

    button(at, "Save as a new version").click().run()
    theirs = stored("Aggressive")
    assert theirs is not None and theirs.scenario.rationale == "Saved by someone else."
    assert "changed by someone else" in messages(at)
    assert "exists already (version 2)" in messages(at)  # asked again, about theirs
    button(at, "Save as a new version").click().run()
    ours = stored("Aggressive")
    assert ours is not None and ours.version == 3
    assert ours.scenario.overrides == {"growth.cagr_pct": 11.0}


def test_deleting_keeps_a_version_someone_else_saved_meanwhile(folders: Path) -> None:
    at = start("pages/scenarios.py")
    saved_elsewhere("Base case", 1, rationale="Edited meanwhile.")
    button(at, "Delete", key="delete-base-case.yaml").click().run()
    assert stored("Base case") is not None
    assert "changed by someone else" in messages(at) and "it was kept" in messages(at)


def test_loading_a_scenario_moves_the_sidebar(folders: Path, default_assumptions) -> None:
    at = start("pages/scenarios.py")
    button(at, "Load", key="load-conservative.yaml").click().run()
    scenario = yaml.safe_load((folders / "scenarios" / "conservative.yaml").read_text())
    assert at.slider(key=widget_key(CAGR, at.session_state)).value == pytest.approx(
        scenario["overrides"]["growth.cagr_pct"]
    )
    at.switch_page("app.py").run()
    expected = forecast(apply_overrides(default_assumptions, scenario["overrides"]))
    assert horizon_kpi(at) == money(expected.horizon_value, expected.unit)


def test_deleting_a_scenario_can_be_undone(folders: Path) -> None:
    at = start("pages/scenarios.py")
    button(at, "Delete", key="delete-base-case.yaml").click().run()
    assert stored("Base case") is None
    assert not any("Base case" in m.value for m in at.markdown)
    assert "Deleted “Base case”" in messages(at)
    assert (folders / "scenarios" / "base-case.yaml").exists()  # the imported file is kept

    button(at, "Undo").click().run()
    assert not at.exception, at.exception
    assert stored("Base case") is not None
    assert any("Base case" in m.value for m in at.markdown)


def test_a_deleted_scenario_can_be_brought_back_later(folders: Path) -> None:
    at = start("pages/scenarios.py")
    button(at, "Delete", key="delete-aggressive.yaml").click().run()
    at = start("pages/scenarios.py")  # another session: no undo line, the deleted list
    assert "Aggressive: deleted by anonymous" in " ".join(t.value for t in at.text)
    button(at, "Bring back", key="undelete-aggressive.yaml").click().run()
    assert stored("Aggressive") is not None


def test_the_history_lists_versions_bridges_two_and_restores_one(folders: Path) -> None:
    saved_elsewhere("Aggressive", 1, overrides={"growth.cagr_pct": 30.0})
    at = start("pages/scenarios.py")
    at.selectbox(key=widget_key("scenarios.history")).set_value("Aggressive").run()
    table = next(d.value for d in at.dataframe if "author" in d.value.columns)
    assert list(table["version"]) == [2, 1]
    assert list(table["author"]) == ["someone else", "import from the scenarios folder"]
    assert list(table["note"]) == ["", "Imported from aggressive.yaml"]

    (bridge,) = [
        c
        for c in charts(at)
        if c["layout"]["title"]["subtitle"]["text"] == "Version 1 to Version 2"
    ]
    steps = next(d.value for d in at.dataframe if "label" in d.value.columns)
    assert len(steps) == 7  # the CAGR, and six differentials back to the file's
    cagr = steps[steps["to_input"] == 30.0]
    assert cagr["from_input"].tolist() == [24.5]
    start_value, *_, end_value = values(bridge["data"][0], "x")
    assert steps["value"].sum() == pytest.approx(end_value - start_value, abs=0.1)  # to 0.1

    button(at, "Restore version 1").click().run()
    assert not at.exception, at.exception
    restored = stored("Aggressive")
    assert restored is not None and restored.version == 3
    assert restored.current.note == "Restored version 1"
    file = yaml.safe_load((folders / "scenarios" / "aggressive.yaml").read_text())
    assert restored.scenario.overrides == file["overrides"]


def test_a_scenario_named_like_the_current_view_is_compared_as_itself(
    folders: Path, default_assumptions: Assumptions
) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(12.0).run()
    save_scenario(at, "Your current assumptions")
    assert stored("Your current assumptions") is not None
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(25.0).run()

    picker = at.multiselect(key=widget_key("scenarios.compare"))
    assert "Your current assumptions" in picker.options  # the built-in entry
    assert "Your current assumptions (saved)" in picker.options
    picker.set_value([CURRENT_KEY, "Your current assumptions"]).run()
    assert not at.exception, at.exception
    table = compared_table(at)
    table = table.set_index("scenario")["horizon_value"]
    expected = {
        "Your current assumptions": 25.0,
        "Your current assumptions (saved)": 12.0,
    }
    for name, cagr in expected.items():
        a = apply_overrides(default_assumptions, {"growth.cagr_pct": cagr})
        assert table[name] == pytest.approx(forecast(a).horizon_value, abs=0.05)  # shown to 0.1


def test_a_scenario_that_no_longer_fits_its_file_is_named_and_loads_what_fits(
    folders: Path,
) -> None:
    # the analyst renames a segment in the file the shipped scenarios override
    default = folders / "assumptions" / "healthcare-microservices.yaml"
    data = yaml.safe_load(default.read_text())
    region = next(d for d in data["dimensions"] if d["id"] == "region")
    asia = next(s for s in region["segments"] if s["name"] == "Asia-Pacific")
    asia["name"] = "APAC"
    default.write_text(yaml.safe_dump(data, sort_keys=False))

    at = start("pages/scenarios.py")
    assert "Conservative" in " ".join(m.value for m in at.markdown)
    warning = shown(at.warning)
    assert "no longer fits healthcare-microservices.yaml" in warning
    assert "diff.region.asia-pacific" in warning

    at.multiselect(key=widget_key("scenarios.compare")).set_value(
        [CURRENT_KEY, "Conservative", "Base case"]
    ).run()
    assert not at.exception
    assert "no longer fits" in shown(at.error)
    assert list(compared_table(at)["scenario"]) == [
        "Your current assumptions",
        "Base case (saved)",  # the saved scenario of that name, told from the file's own
    ]

    button(at, "Load what still fits", key="load-conservative.yaml").click().run()
    assert not at.exception
    assert at.slider(key=widget_key(CAGR, at.session_state)).value == pytest.approx(
        15.5
    )  # what still fits is loaded
    assert "diff.region.asia-pacific (no such assumption)" in shown(at.warning)
    button(at, "Delete", key="delete-conservative.yaml").click().run()
    assert stored("Conservative") is None


def test_comparing_scenarios_draws_lines_mix_and_bridge(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.multiselect(key=widget_key("scenarios.compare")).set_value(
        [BASE_KEY, "Conservative", "Aggressive"]  # the file's own values, then two saved
    ).run()
    assert not at.exception
    titles = [chart["layout"]["title"]["text"] for chart in charts(at)]
    assert len(titles) == 1 + 3 + 1  # trajectories, one mix per scenario, the bridge
    assert titles[1:4] == ["Base case", "Conservative", "Aggressive"]  # one mix each
    table = compared_table(at)
    assert list(table["scenario"]) == ["Base case", "Conservative", "Aggressive"]
    assert table["horizon_value"].is_monotonic_increasing is False  # conservative is lowest
    assert table["horizon_value"][1] < table["horizon_value"][0] < table["horizon_value"][2]


def compared(at: AppTest) -> list[str]:
    return list(at.multiselect(key=widget_key("scenarios.compare")).value)


def test_the_comparison_starts_from_the_base_case_not_the_first_names(folders: Path) -> None:
    """A new session compares the file's own values with the saved scenarios that change
    something; the bridge starts from the base case; each row carries its numbers."""
    at = start("pages/scenarios.py")
    # "Base case" as saved changes nothing: the file's own values stand for it
    assert compared(at) == [BASE_KEY, "Aggressive", "Conservative"]
    assert at.selectbox(key=widget_key("scenarios.from")).value == BASE_KEY
    table = compared_table(at)
    assert list(table["scenario"]) == ["Base case", "Aggressive", "Conservative"]
    assert table["horizon_value"][0] == pytest.approx(1651.2, abs=0.05)
    assert table["horizon_value"].notna().all() and table["cagr_pct"].notna().all()
    # nothing chosen yet: once the sidebar moves, the comparison shows the moved view too
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(25.0).run()
    assert compared(at) == [BASE_KEY, CURRENT_KEY, "Aggressive"]
    assert at.selectbox(key=widget_key("scenarios.from")).value == BASE_KEY


def test_a_new_session_after_saving_compares_the_base_case_with_it(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(26.0).run()
    save_scenario(at, "Aggressive EU")
    fresh = start("pages/scenarios.py")
    assert compared(fresh) == [BASE_KEY, "Aggressive", "Aggressive EU"]
    # the viewer may still take the base case out: their choice is kept
    fresh.multiselect(key=widget_key("scenarios.compare")).set_value(
        ["Aggressive", "Aggressive EU"]
    ).run()
    fresh.switch_page("app.py").run()
    fresh.switch_page("pages/scenarios.py").run()
    assert compared(fresh) == ["Aggressive", "Aggressive EU"]


def bridge_chart(at: AppTest) -> dict:
    (chart,) = [c for c in charts(at) if c["layout"]["title"]["text"].startswith("Bridge")]
    return chart


def test_the_bridge_explains_a_chosen_segment_where_differentials_move_it(
    folders: Path, default_assumptions: Assumptions
) -> None:
    at = start("pages/scenarios.py")
    at.multiselect(key=widget_key("scenarios.compare")).set_value([BASE_KEY, "Aggressive"]).run()
    assert at.selectbox(key=widget_key("scenarios.bridge-dimension")).value == "total"
    assert bridge_chart(at)["layout"]["title"]["text"] == "Bridge, 2031 (USD million)"
    at.selectbox(key=widget_key("scenarios.bridge-dimension")).set_value("region").run()
    at.selectbox(key=widget_key("scenarios.bridge-segment")).set_value("asia-pacific").run()
    assert not at.exception, at.exception

    chart = bridge_chart(at)
    assert chart["layout"]["title"]["text"] == "Bridge of Asia-Pacific (Region), 2031 (USD million)"
    assert chart["layout"]["title"]["subtitle"]["text"] == "Base case to Aggressive"
    (trace,) = chart["data"]
    steps = dict(zip(trace["y"], values(trace, "x"), strict=True))
    measures = dict(zip(trace["y"], trace["measure"], strict=True))
    aggressive = yaml.safe_load((folders / "scenarios" / "aggressive.yaml").read_text())
    before = forecast(default_assumptions).by("region")["Asia-Pacific"].iloc[-1]
    after = forecast(apply_overrides(default_assumptions, aggressive["overrides"]))
    change = after.by("region")["Asia-Pacific"].iloc[-1] - before
    moved = sum(v for name, v in steps.items() if measures[name] == "relative")
    assert moved == pytest.approx(change, rel=1e-9)  # the steps add up to the segment's change
    assert steps["Base case"] == pytest.approx(before, rel=1e-9)
    differential = steps["Asia-Pacific growth differential"]
    assert measures["Asia-Pacific growth differential"] == "relative"
    assert differential > 0.05  # visible: +5.5 pp instead of +3.5 pp lifts Asia-Pacific


def test_a_broken_file_in_the_folder_is_left_out_of_the_first_import(folders: Path) -> None:
    (folders / "scenarios" / "broken.yaml").write_text("name: [oops\n")
    at = start("pages/scenarios.py")
    assert not at.exception, at.exception
    listed = [m.value for m in at.markdown if "based on" in m.value]
    assert [line.split("**")[1] for line in listed] == ["Aggressive", "Base case", "Conservative"]
    assert (folders / "scenarios" / "broken.yaml").exists()  # nothing deleted


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("postgresql+psycopg://u@127.0.0.1:{port}/market", "the database server cannot be reached"),
        ("not a database url", "MARKET_DATABASE_URL is not a database URL"),
    ],
)
def test_without_a_database_every_page_renders_and_the_scenarios_page_says_why(
    folders: Path, monkeypatch: pytest.MonkeyPatch, url: str, why: str
) -> None:
    monkeypatch.setenv(store.DATABASE_ENV, url.format(port=free_port()))
    at = start()
    for page in ("pages/segments.py", "pages/scenarios.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
    said = messages(at)
    assert f"Saving is unavailable: {why}." in said
    assert f"Saved scenarios are unavailable: {why}." in said
    picker = at.multiselect(key=widget_key("scenarios.compare"))
    assert picker.options == ["Base case", "Your current assumptions"]  # the file, the view


def test_a_read_only_database_lists_but_saving_says_why(
    folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stored("Aggressive") is not None  # the database exists, the folder imported
    database = (folders / "scenarios" / "market.db").resolve()
    monkeypatch.setenv(store.DATABASE_ENV, f"sqlite:///file:{database}?mode=ro&uri=true")
    at = start("pages/scenarios.py")
    assert any("Aggressive" in m.value for m in at.markdown)
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(11.0).run()
    save_scenario(at, "Read only")
    assert "Not saved: the database is read-only." in messages(at)
    assert "cagr" in at.query_params  # what was typed stays in the address


def test_a_read_only_postgresql_database_lists_but_saving_says_why(
    folders: Path, monkeypatch: pytest.MonkeyPatch, postgres: PostgresServer
) -> None:
    """Item 7 on the replicas' engine: an administrator made the database read-only (a
    standby, a full disk); the pages still draw and saving says why in one line."""
    database = postgres.new_database()
    monkeypatch.setenv(store.DATABASE_ENV, database.render_as_string(hide_password=False))
    assert stored("Aggressive") is not None  # the schema made, the folder imported
    engine = store.connect(database)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(
                f'ALTER DATABASE "{database.database}" SET default_transaction_read_only = on'
            )
    finally:
        engine.dispose()
    at = start("pages/scenarios.py")
    assert any("Aggressive" in m.value for m in at.markdown)
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(11.0).run()
    save_scenario(at, "Read only")
    assert not at.exception, at.exception
    assert "Not saved: the database is read-only." in messages(at)
    assert "cagr" in at.query_params  # what was typed stays in the address
    assert stored("Read only") is None


# --- goal seek -----------------------------------------------------------------------------


def test_goal_seek_applies_the_needed_cagr(folders: Path, default_assumptions: Assumptions) -> None:
    at = start("pages/risk.py")
    at.number_input(key=widget_key("risk.goal-value")).set_value(2500.0).run()
    button(at, "Apply this CAGR to the sidebar").click().run()
    at.switch_page("app.py").run()
    assert horizon_kpi(at) == money(2500.0, default_assumptions.market.unit)


def test_the_goal_seek_target_reads_with_thousands_separators_under_its_box(
    folders: Path, default_assumptions: Assumptions
) -> None:
    """The number box cannot group digits (1651.2): the amount is spelled out under it."""
    unit = default_assumptions.market.unit
    at = start("pages/risk.py")
    goal = widget_key("risk.goal-value")
    assert caption_under(at, goal) == money(1651.2, unit) == "USD 1,651.2M"
    at.number_input(key=goal).set_value(12345.6).run()
    assert caption_under(at, goal) == "USD 12,345.6M"


def test_the_tornado_says_how_far_it_moves_each_assumption(folders: Path) -> None:
    at = start("pages/risk.py")
    caption = next(c.value for c in at.caption if c.value.startswith("Each bar moves"))
    assert caption == (
        "Each bar moves one assumption at a time: the CAGR by ±2 points, the base value by "
        "±10%, a share weight by ±20% and a growth differential by ±1 point."
    )


@pytest.mark.parametrize(("target", "year"), [(1e9, 2025), (1.0, 2031)])
def test_goal_seek_offers_apply_only_for_a_cagr_the_slider_can_hold(
    folders: Path, target: float, year: int
) -> None:
    """A billion in one year needs far over 100 %, one dollar far under -50 %: the page
    says why the answer cannot be applied instead of offering a button that only warns."""
    at = start("pages/risk.py")
    at.number_input(key=widget_key("risk.goal-value")).set_value(target).run()
    at.selectbox(key=widget_key("risk.goal-year")).set_value(year).run()
    assert not at.exception, at.exception
    assert all(b.label != "Apply this CAGR to the sidebar" for b in at.button)
    why = " ".join(i.value for i in at.info)
    assert "cannot be applied" in why and "-50.00% to 100.00%" in why


def test_the_cagr_slider_covers_the_models_range_and_steps_from_the_files_value(
    folders: Path, default_assumptions: Assumptions
) -> None:
    slider = start().slider(key=widget_key(CAGR))
    assert (slider.min, slider.max) == (-50.0, 100.0)  # the model's range, round ends
    value = default_assumptions.growth.cagr_pct.value
    steps = (value - slider.min) / slider.step  # the file's 20.12 lies on the grid
    assert steps == pytest.approx(round(steps), abs=1e-6)
    assert slider.value == value


# --- share links ---------------------------------------------------------------------------


def test_a_link_restores_the_assumptions(folders: Path, default_assumptions: Assumptions) -> None:
    at = start(query={"cagr": "25", "s.region.europe": "40"})
    assert at.slider(key=widget_key(CAGR, at.session_state)).value == pytest.approx(25.0)
    expected = forecast(
        apply_overrides(default_assumptions, {"growth.cagr_pct": 25, "share.region.europe": 40})
    )
    assert horizon_kpi(at) == money(expected.horizon_value, expected.unit)
    assert not at.warning


def test_every_change_is_written_to_the_url_compactly(folders: Path) -> None:
    at = start()
    assert at.query_params == {}
    at.slider(key=widget_key(CAGR, at.session_state)).set_value(22.5).run()
    assert at.query_params == {"cagr": ["22.5"]} or at.query_params == {"cagr": "22.5"}


def test_bad_link_parts_are_ignored_with_a_warning(folders: Path) -> None:
    at = start(query={"cagr": "abc", "s.region.europe": "40", "bogus": "1", "sd": "-5"})
    assert not at.exception
    warned = messages(at)
    assert "cagr" in warned and "bogus" in warned and "sd" in warned
    assert at.slider(key=widget_key(CAGR, at.session_state)).value == pytest.approx(20.12)
    europe = open_shares(at, "region").slider(key=widget_key("share.region.europe"))
    assert europe.value == pytest.approx(40)


# --- uploads -------------------------------------------------------------------------------


def test_a_valid_upload_becomes_selectable_in_this_session(folders: Path) -> None:
    coffee = (PROJECT / "assumptions" / "example-coffee-subscriptions.yaml").read_bytes()
    at = start()
    at.file_uploader(key=widget_key("upload")).upload("coffee.yaml", coffee).run()
    assert not at.exception
    assert "coffee" in at.title[0].value.lower()
    options = at.selectbox(key=widget_key("file")).options
    assert "Coffee subscriptions (example) (uploaded)" in options
    assert not (folders / "assumptions" / "coffee.yaml").exists()


def test_an_invalid_upload_is_refused_with_reasons_and_nothing_changes(folders: Path) -> None:
    at = start()
    whole_page(at.slider(key=widget_key(CAGR, at.session_state)).set_value(30.0).run())
    broken = b"market:\n  name: x\nyears: {first: 2030, base: 2020, horizon: 2025}\n"
    at.file_uploader(key=widget_key("upload")).upload("broken.yaml", broken).run()
    assert not at.exception
    assert "broken.yaml was refused" in messages(at)
    assert "years" in messages(at)
    assert at.slider(key=widget_key(CAGR, at.session_state)).value == pytest.approx(30.0)
    assert all("broken" not in o for o in at.selectbox(key=widget_key("file")).options)


def test_an_oversized_upload_is_refused(folders: Path) -> None:
    at = start()
    at.file_uploader(key=widget_key("upload")).upload("big.yaml", b"#" * (MAX_FILE_BYTES + 1)).run()
    assert "larger than" in messages(at)


def test_a_refused_upload_is_told_in_the_main_area_too(folders: Path) -> None:
    """On a phone the sidebar is closed: the reasons and what the page still shows are
    in the page itself, not only in the sidebar."""
    at = start()
    at.file_uploader(key=widget_key("upload")).upload("broken.yaml", b"market: [oops\n").run()
    in_page = shown(at.main.error)
    assert "broken.yaml was refused" in in_page and "YAML syntax" in in_page
    assert "still shows Microservices in healthcare" in in_page
    assert "broken.yaml was refused" in shown(at.sidebar.warning)
    at.run()  # said once: the next run no longer repeats it
    assert not [e for e in at.main.error if "refused" in e.value]


def test_the_file_selector_names_markets_shortly_and_files_only_where_needed(
    folders: Path,
) -> None:
    """The sidebar is narrow: "Microservices in healthcare (healthcare-microservices.yaml)"
    was cut; the market's name is enough unless two files hold the same market."""
    default = (folders / "assumptions" / "healthcare-microservices.yaml").read_bytes()
    at = start()
    assert at.selectbox(key=widget_key("file")).options == ["Microservices in healthcare"]
    assert "healthcare-microservices.yaml" in shown(at.sidebar.caption)  # the file, in full
    at.file_uploader(key=widget_key("upload")).upload("mine.yaml", default).run()
    assert at.selectbox(key=widget_key("file")).options == [
        "Microservices in healthcare",
        "Microservices in healthcare (uploaded)",
    ]
