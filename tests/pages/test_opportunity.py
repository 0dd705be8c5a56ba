"""The Opportunity page through AppTest: the choices move the numbers the model gives, the
page follows the sidebar, goal seek applies with one click, and every typed number is
labelled as the user's assumption. Expected numbers come from :mod:`market.opportunity`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import store
from dashboard.comparison import CURRENT_KEY
from dashboard.layout import PAGES
from dashboard.state import widget_key
from market import Assumptions, apply_overrides
from market import opportunity as op
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from report.format import money, pct
from report.formats import FORMATS
from tests.pages.conftest import caption_under, charts

PROJECT = Path(__file__).resolve().parents[2]
PAGE = "pages/opportunity.py"


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_path: Path) -> AppTest:
    folder = tmp_path / "assumptions"
    folder.mkdir()
    shutil.copy(default_path, folder / default_path.name)
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def revenue_card(a: Assumptions, opp: op.Opportunity) -> str:
    return money(float(op.plan(a, opp)["revenue"].iloc[-1]), a.market.unit)


def key(field: str) -> str:
    return widget_key(f"opportunity.{field}")


def goal_key(at: AppTest) -> str:
    """The key of the revenue target box now: a new one whenever the app changes what it
    shows (dashboard.state.show_app_value)."""
    return widget_key("opportunity.goal", at.session_state)


def test_the_page_comes_after_regions_in_the_navigation() -> None:
    scripts = [p.script for p in PAGES]
    assert scripts.index(PAGE) == scripts.index("pages/regions.py") + 1


def test_with_no_choices_the_served_market_is_the_whole_market(
    at: AppTest, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    horizon = a.years.horizon
    frame = op.plan(a, op.Opportunity())
    assert metric(at, f"SAM {horizon} (independence assumed)") == money(
        frame["market"].iloc[-1], a.market.unit
    )
    assert metric(at, f"Revenue {horizon} (plan)") == revenue_card(a, op.Opportunity())
    assert len(charts(at)) == 2
    assert not at.error


def test_picking_segments_and_a_share_path_moves_the_cards_to_the_models_numbers(
    at: AppTest, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    at.multiselect(key=key("serve.region")).set_value(["north-america", "europe"]).run()
    at.multiselect(key=key("serve.component")).set_value(["software"]).run()
    at.number_input(key=key("reach.region.europe")).set_value(50.0).run()
    at.number_input(key=key("target")).set_value(8.0).run()
    at.radio(key=key("shape")).set_value(op.Shape.S_CURVE).run()
    assert not at.exception, at.exception
    opp = op.Opportunity(
        served=(
            op.Served(dimension="component", picks=(op.Pick(segment="software"),)),
            op.Served(
                dimension="region",
                picks=(op.Pick(segment="north-america"), op.Pick(segment="europe", served_pct=50)),
            ),
        ),
        target_share_pct=8.0,
        shape=op.Shape.S_CURVE,
    )
    frame = op.plan(a, opp)
    horizon = a.years.horizon
    assert metric(at, f"SAM {horizon} (independence assumed)") == money(
        frame["sam"].iloc[-1], a.market.unit
    )
    assert metric(at, f"Revenue {horizon} (plan)") == revenue_card(a, opp)


def test_the_plan_follows_the_sidebar(at: AppTest, default_assumptions: Assumptions) -> None:
    at.slider(key=widget_key("growth.cagr_pct", at.session_state)).set_value(25.0).run()
    moved = apply_overrides(default_assumptions, {"growth.cagr_pct": 25.0})
    horizon = moved.years.horizon
    assert metric(at, f"Revenue {horizon} (plan)") == revenue_card(moved, op.Opportunity())


def test_anchoring_to_a_current_revenue_shows_the_derived_starting_share(
    at: AppTest, default_assumptions: Assumptions
) -> None:
    at.toggle(key=key("anchor")).set_value(True).run()
    at.number_input(key=key("revenue")).set_value(20.0).run()
    assert not at.exception, at.exception
    opp = op.Opportunity(current_revenue=20.0)
    derived = op.start_share_pct(default_assumptions, opp)
    assert metric(at, f"Share of SAM {default_assumptions.years.base} (derived)") == pct(derived, 2)


def test_a_current_revenue_above_the_served_market_says_so_instead_of_failing(
    at: AppTest,
) -> None:
    at.multiselect(key=key("serve.region")).set_value(["europe"]).run()
    at.toggle(key=key("anchor")).set_value(True).run()
    at.number_input(key=key("revenue")).set_value(100_000.0).run()
    assert not at.exception
    assert any("more than the whole served market" in e.value for e in at.error)


def test_the_revenue_target_reads_with_thousands_separators_under_its_box(at: AppTest) -> None:
    at.number_input(key=goal_key(at)).set_value(4321.5).run()
    assert caption_under(at, goal_key(at)) == "USD 4,321.5M"


def test_one_click_applies_the_target_share_that_reaches_the_revenue_target(
    at: AppTest, default_assumptions: Assumptions
) -> None:
    a = default_assumptions
    at.number_input(key=goal_key(at)).set_value(150.0).run()
    needed = op.required_target_share_pct(a, op.Opportunity(revenue_target=150.0), 150.0, 2031)
    at.button[[b.label for b in at.button].index("Apply this target share")].click().run()
    assert not at.exception, at.exception
    assert at.number_input(key=key("target")).value == pytest.approx(needed, abs=1e-4)
    assert metric(at, f"Revenue {a.years.horizon} (plan)") == money(150.0, a.market.unit)


def test_one_click_applies_the_cagr_that_reaches_the_revenue_target(
    at: AppTest, default_assumptions: Assumptions
) -> None:
    at.number_input(key=goal_key(at)).set_value(150.0).run()
    at.button[[b.label for b in at.button].index("Apply this CAGR to the sidebar")].click().run()
    cagr = at.slider(key=widget_key("growth.cagr_pct", at.session_state)).value
    assert cagr > default_assumptions.growth.cagr_pct.value
    assert metric(at, f"Revenue {default_assumptions.years.horizon} (plan)") == money(
        150.0, default_assumptions.market.unit
    )


def test_every_number_the_user_types_is_labelled_as_their_assumption(at: AppTest) -> None:
    at.multiselect(key=key("serve.region")).set_value(["europe"]).run()
    at.toggle(key=key("anchor")).set_value(True).run()
    labels = [n.label for n in at.main.number_input]  # the sidebar's are the file's numbers
    assert len(labels) >= 4  # a served fraction, current revenue, target share, revenue target
    # what the user typed is theirs; the revenue target is only suggested until they type one
    assert all("your assumption" in label for label in labels[:-1]), labels
    assert labels[-1].endswith("suggested)")
    at.number_input(key=goal_key(at)).set_value(150.0).run()
    assert at.number_input(key=goal_key(at)).label.endswith("your assumption)")
    captions = " ".join(c.value for c in at.caption)
    assert op.ASSUMPTION_NOTE in captions and op.INDEPENDENCE_NOTE in captions


def test_the_choices_survive_a_visit_to_another_page(at: AppTest) -> None:
    at.multiselect(key=key("serve.region")).set_value(["europe"]).run()
    at.number_input(key=key("target")).set_value(12.0).run()
    at.switch_page("pages/risk.py").run()
    at.switch_page(PAGE).run()
    assert at.multiselect(key=key("serve.region")).value == ["europe"]
    assert at.number_input(key=key("target")).value == 12.0


def test_a_share_link_opens_the_same_choices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_path: Path
) -> None:
    folder = tmp_path / "assumptions"
    folder.mkdir()
    shutil.copy(default_path, folder / default_path.name)
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    app.query_params.update({"o.serve.region": "europe:50", "o.target": "9", "o.shape": "s-curve"})
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    assert app.multiselect(key=key("serve.region")).value == ["europe"]
    assert app.number_input(key=key("reach.region.europe")).value == 50.0
    assert app.number_input(key=key("target")).value == 9.0
    assert app.radio(key=key("shape")).value == op.Shape.S_CURVE


def test_a_changed_choice_is_written_into_the_address(at: AppTest) -> None:
    at.multiselect(key=key("serve.region")).set_value(["europe"]).run()
    at.number_input(key=key("target")).set_value(7.5).run()
    assert at.query_params["o.serve.region"] == "europe"
    assert at.query_params["o.target"] == "7.5"


def test_a_saved_scenario_keeps_the_choices_and_compare_shows_its_revenue(
    at: AppTest, default_assumptions: Assumptions, tmp_path: Path
) -> None:
    at.multiselect(key=key("serve.region")).set_value(["europe"]).run()
    at.number_input(key=key("target")).set_value(9.0).run()
    at.switch_page("pages/scenarios.py").run()
    at.text_input(key=widget_key("scenario.name")).input("Europe push")
    next(b for b in at.button if b.label == "Save scenario").click()
    at.run()
    assert not at.exception, at.exception
    engine = store.open_store()  # the page's own database (the scenarios folder's)
    with store.session(engine) as opened:
        saved = store.load(opened, "Europe push").scenario.opportunity
    engine.dispose()
    assert saved is not None and saved.target_share_pct == 9.0

    at.multiselect(key=widget_key("scenarios.compare")).set_value(
        [CURRENT_KEY, "Europe push"]
    ).run()
    table = next(
        d.value for d in at.dataframe if "revenue" in d.value.columns and len(d.value) == 2
    )
    opp = op.Opportunity(
        served=(op.Served(dimension="region", picks=(op.Pick(segment="europe"),)),),
        target_share_pct=9.0,
    )
    expected = float(op.plan(default_assumptions, opp)["revenue"].iloc[-1])
    assert table["revenue"].tolist() == [round(expected, 1)] * 2  # as the table shows it

    # another session's choices: loading the scenario brings them back
    at.session_state["market.opportunity"] = None
    at.button(key="load-europe-push.yaml").click().run()
    at.switch_page(PAGE).run()
    assert at.multiselect(key=key("serve.region")).value == ["europe"]
    assert at.number_input(key=key("target")).value == 9.0


def test_the_page_offers_the_plan_and_every_export_of_this_view(at: AppTest) -> None:
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Opportunity plan (CSV)", *(f.label for f in FORMATS)]


def target_marker(at: AppTest) -> str:
    """The legend name of the revenue fan's target marker."""
    (fan,) = [c for c in charts(at) if c["layout"]["title"]["text"].startswith("Our revenue")]
    return next(t["name"] for t in fan["data"] if t.get("name", "").startswith("Revenue target"))


def test_the_suggested_revenue_target_is_never_written_as_the_users_choice(
    at: AppTest, default_assumptions: Assumptions
) -> None:
    """The page suggests a target (half again the plan); it follows the plan and stays out
    of the link, the workbook's "Your choices" and the deck until the user types one."""
    at.number_input(key=key("target")).set_value(12.0).run()  # a choice: the plan moves
    assert not at.exception, at.exception
    choices = at.session_state["market.opportunity"]
    assert choices.target_share_pct == 12.0 and choices.revenue_target is None
    assert "o.goal" not in at.query_params and at.query_params["o.target"] == "12"
    a = default_assumptions
    suggested = round(float(op.plan(a, choices)["revenue"].iloc[-1]) * 1.5, 1)
    assert at.number_input(key=goal_key(at)).value == suggested  # it follows the new plan
    assert "Suggested" in caption_under(at, goal_key(at))
    assert all("Revenue target" not in what for what, _ in op.describe(a, choices))
    assert target_marker(at) == "Revenue target (suggested)"  # not "yours" on the chart either

    at.number_input(key=goal_key(at)).set_value(150.0).run()  # typed: now it is theirs
    choices = at.session_state["market.opportunity"]
    assert choices.revenue_target == 150.0 and at.query_params["o.goal"] == "150"
    assert target_marker(at) == "Revenue target (yours)"
    at.number_input(key=key("target")).set_value(10.0).run()  # and it stays put
    assert at.number_input(key=goal_key(at)).value == 150.0
    assert at.session_state["market.opportunity"].revenue_target == 150.0


def test_the_box_as_drawn_before_the_plan_moved_does_not_make_the_suggestion_yours(
    at: AppTest,
) -> None:
    """While reruns overlap, the browser may report the revenue target box as it was drawn
    with the last plan's suggestion, beside the next change. That report is no typing: the
    target stays a suggestion, out of the link. ``box`` and ``target`` stay the elements of
    the page as first drawn, as that browser still has them."""
    box, target = at.number_input(key=goal_key(at)), at.number_input(key=key("target"))
    shown = box.value
    target.set_value(12.0).run()  # the plan moves, and the suggestion with it
    assert at.number_input(key=goal_key(at)).value != shown
    box.set_value(shown)  # what the browser's box still shows
    target.set_value(12.0).run()
    assert not at.exception, at.exception
    assert at.session_state["market.opportunity"].revenue_target is None
    assert "o.goal" not in at.query_params
    assert "Suggested" in caption_under(at, goal_key(at))
