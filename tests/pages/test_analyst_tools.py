"""Analyst tools through AppTest: scenarios, goal seek, share links, uploads and downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.comparison import BASE_KEY, CURRENT_KEY
from dashboard.state import panel_key, widget_key
from market import Assumptions, apply_overrides, forecast
from market.io import MAX_FILE_BYTES
from report.format import money
from tests.pages.conftest import caption_under, charts, headline_cards, values, whole_page

PROJECT = Path(__file__).resolve().parents[2]
CAGR = widget_key("growth.cagr_pct")


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


def test_saving_a_scenario_writes_only_what_differs(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=CAGR).set_value(27.5).run()
    save_scenario(at, "Board review", "What the board asked for.")
    saved = yaml.safe_load((folders / "scenarios" / "board-review.yaml").read_text())
    assert saved["name"] == "Board review"
    assert saved["base_file"] == "healthcare-microservices.yaml"
    assert saved["overrides"] == {"growth.cagr_pct": 27.5}
    assert saved["rationale"] == "What the board asked for."
    assert any("Board review" in m.value for m in at.markdown), "listed at once"


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/b", "NUL", "x" * 61, "   "])
def test_a_bad_name_gets_a_message_and_writes_nothing(folders: Path, name: str) -> None:
    before = sorted(p.relative_to(folders) for p in folders.rglob("*"))
    at = start("pages/scenarios.py")
    save_scenario(at, name)
    assert not at.exception
    assert "name" in messages(at).lower()
    assert sorted(p.relative_to(folders) for p in folders.rglob("*")) == before


def test_saving_over_a_scenario_asks_first(folders: Path) -> None:
    target = folders / "scenarios" / "aggressive.yaml"
    original = target.read_text()
    at = start("pages/scenarios.py")
    at.slider(key=CAGR).set_value(11.0).run()
    save_scenario(at, "Aggressive")
    assert "exists already" in messages(at)
    assert target.read_text() == original

    button(at, "Keep the old one").click().run()
    assert target.read_text() == original

    save_scenario(at, "Aggressive")
    button(at, "Replace it").click().run()
    assert yaml.safe_load(target.read_text())["overrides"] == {"growth.cagr_pct": 11.0}


def test_replacing_keeps_a_version_someone_else_saved_after_the_question(folders: Path) -> None:
    target = folders / "scenarios" / "aggressive.yaml"
    at = start("pages/scenarios.py")
    at.slider(key=CAGR).set_value(11.0).run()
    save_scenario(at, "Aggressive")
    assert "exists already" in messages(at)
    # another replica (or a script) saves the scenario while this user reads the question
    theirs = yaml.safe_load(target.read_text()) | {"rationale": "Saved by someone else."}
    target.write_text(yaml.safe_dump(theirs))

    button(at, "Replace it").click().run()
    assert yaml.safe_load(target.read_text())["rationale"] == "Saved by someone else."
    assert "changed by someone else" in messages(at)
    button(at, "Replace it").click().run()  # asked again about the new version: now it goes
    assert yaml.safe_load(target.read_text())["overrides"] == {"growth.cagr_pct": 11.0}


def test_deleting_keeps_a_version_someone_else_saved_after_the_question(folders: Path) -> None:
    target = folders / "scenarios" / "base-case.yaml"
    at = start("pages/scenarios.py")
    button(at, "Delete", key="delete-base-case.yaml").click().run()
    changed = yaml.safe_load(target.read_text()) | {"rationale": "Edited meanwhile."}
    target.write_text(yaml.safe_dump(changed))
    button(at, "Delete it").click().run()
    assert target.exists()
    assert "changed by someone else" in messages(at)


def test_loading_a_scenario_moves_the_sidebar(folders: Path, default_assumptions) -> None:
    at = start("pages/scenarios.py")
    button(at, "Load", key="load-conservative.yaml").click().run()
    scenario = yaml.safe_load((folders / "scenarios" / "conservative.yaml").read_text())
    assert at.slider(key=CAGR).value == pytest.approx(scenario["overrides"]["growth.cagr_pct"])
    at.switch_page("app.py").run()
    expected = forecast(apply_overrides(default_assumptions, scenario["overrides"]))
    assert horizon_kpi(at) == money(expected.horizon_value, expected.unit)


def test_deleting_a_scenario_needs_a_confirmation(folders: Path) -> None:
    target = folders / "scenarios" / "base-case.yaml"
    at = start("pages/scenarios.py")
    button(at, "Delete", key="delete-base-case.yaml").click().run()
    assert target.exists()
    assert "cannot be undone" in messages(at)
    button(at, "Delete it").click().run()
    assert not target.exists()
    assert not any("Base case" in m.value for m in at.markdown)


def test_a_scenario_named_like_the_current_view_is_compared_as_itself(
    folders: Path, default_assumptions: Assumptions
) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=CAGR).set_value(12.0).run()
    save_scenario(at, "Your current assumptions")
    assert (folders / "scenarios" / "your-current-assumptions.yaml").exists()
    at.slider(key=CAGR).set_value(25.0).run()

    picker = at.multiselect(key=widget_key("scenarios.compare"))
    assert "Your current assumptions" in picker.options  # the built-in entry
    assert "Your current assumptions (saved)" in picker.options
    picker.set_value([CURRENT_KEY, "Your current assumptions"]).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value.set_index("scenario")["horizon_value"]
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
    assert list(at.dataframe[0].value["scenario"]) == [
        "Your current assumptions",
        "Base case (saved)",  # the saved scenario of that name, told from the file's own
    ]

    button(at, "Load what still fits", key="load-conservative.yaml").click().run()
    assert not at.exception
    assert at.slider(key=CAGR).value == pytest.approx(15.5)  # what still fits is loaded
    assert "diff.region.asia-pacific (no such assumption)" in shown(at.warning)
    button(at, "Delete", key="delete-conservative.yaml").click().run()
    button(at, "Delete it").click().run()
    assert not (folders / "scenarios" / "conservative.yaml").exists()


def test_comparing_scenarios_draws_lines_mix_and_bridge(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.multiselect(key=widget_key("scenarios.compare")).set_value(
        [BASE_KEY, "Conservative", "Aggressive"]  # the file's own values, then two saved
    ).run()
    assert not at.exception
    titles = [chart["layout"]["title"]["text"] for chart in charts(at)]
    assert len(titles) == 1 + 3 + 1  # trajectories, one mix per scenario, the bridge
    assert titles[1:4] == ["Base case", "Conservative", "Aggressive"]  # one mix each
    table = at.dataframe[0].value
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
    table = at.dataframe[0].value
    assert list(table["scenario"]) == ["Base case", "Aggressive", "Conservative"]
    assert table["horizon_value"][0] == pytest.approx(1651.2, abs=0.05)
    assert table["horizon_value"].notna().all() and table["cagr_pct"].notna().all()
    # nothing chosen yet: once the sidebar moves, the comparison shows the moved view too
    at.slider(key=CAGR).set_value(25.0).run()
    assert compared(at) == [BASE_KEY, CURRENT_KEY, "Aggressive"]
    assert at.selectbox(key=widget_key("scenarios.from")).value == BASE_KEY


def test_a_new_session_after_saving_compares_the_base_case_with_it(folders: Path) -> None:
    at = start("pages/scenarios.py")
    at.slider(key=CAGR).set_value(26.0).run()
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


def test_a_corrupted_scenario_is_listed_as_unreadable_and_the_rest_load(folders: Path) -> None:
    (folders / "scenarios" / "broken.yaml").write_text("name: [oops\n")
    at = start("pages/scenarios.py")
    assert "broken.yaml could not be read" in messages(at)
    assert any("Aggressive" in m.value for m in at.markdown)


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
    slider = start().slider(key=CAGR)
    assert (slider.min, slider.max) == (-50.0, 100.0)  # the model's range, round ends
    value = default_assumptions.growth.cagr_pct.value
    steps = (value - slider.min) / slider.step  # the file's 20.12 lies on the grid
    assert steps == pytest.approx(round(steps), abs=1e-6)
    assert slider.value == value


# --- share links ---------------------------------------------------------------------------


def test_a_link_restores_the_assumptions(folders: Path, default_assumptions: Assumptions) -> None:
    at = start(query={"cagr": "25", "s.region.europe": "40"})
    assert at.slider(key=CAGR).value == pytest.approx(25.0)
    expected = forecast(
        apply_overrides(default_assumptions, {"growth.cagr_pct": 25, "share.region.europe": 40})
    )
    assert horizon_kpi(at) == money(expected.horizon_value, expected.unit)
    assert not at.warning


def test_every_change_is_written_to_the_url_compactly(folders: Path) -> None:
    at = start()
    assert at.query_params == {}
    at.slider(key=CAGR).set_value(22.5).run()
    assert at.query_params == {"cagr": ["22.5"]} or at.query_params == {"cagr": "22.5"}


def test_bad_link_parts_are_ignored_with_a_warning(folders: Path) -> None:
    at = start(query={"cagr": "abc", "s.region.europe": "40", "bogus": "1", "sd": "-5"})
    assert not at.exception
    warned = messages(at)
    assert "cagr" in warned and "bogus" in warned and "sd" in warned
    assert at.slider(key=CAGR).value == pytest.approx(20.12)
    at.session_state[panel_key("shares.region")] = True
    europe = at.run().slider(key=widget_key("share.region.europe"))
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
    whole_page(at.slider(key=CAGR).set_value(30.0).run())
    broken = b"market:\n  name: x\nyears: {first: 2030, base: 2020, horizon: 2025}\n"
    at.file_uploader(key=widget_key("upload")).upload("broken.yaml", broken).run()
    assert not at.exception
    assert "broken.yaml was refused" in messages(at)
    assert "years" in messages(at)
    assert at.slider(key=CAGR).value == pytest.approx(30.0)
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
