"""The dashboard through Streamlit's AppTest: started from the entry, moved with switch_page."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.layout import PAGES
from dashboard.state import entry_name, panel_key, widget_key
from market import Assumptions, apply_overrides, forecast
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from market.summary import shown_year
from report.format import money, plain
from tests.pages.conftest import (
    charts,
    headline_cards,
    metric,
    open_shares,
    passages,
    values,
    whole_page,
)

PROJECT = Path(__file__).resolve().parents[2]
CAGR = "growth.cagr_pct"


@pytest.fixture
def assumptions_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_path: Path) -> Path:
    """A private assumptions folder holding a copy of the default market."""
    folder = tmp_path / "assumptions"
    folder.mkdir()
    shutil.copy(default_path, folder / default_path.name)
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    return folder


@pytest.fixture
def app(assumptions_folder: Path) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def open_panel(at: AppTest, name: str) -> AppTest:
    """Open a sidebar panel, as a click on its expander would; closed panels draw nothing."""
    at.session_state[panel_key(name)] = True
    return at.run()


def label_shares(at: AppTest, path: str) -> dict[int, str]:
    """The shares a share slider's label gives, by year: ``{2024: "27.0%", 2031: "25.4%"}``."""
    label = at.slider(key=widget_key(path, at.session_state)).label
    return {int(year): share for share, year in re.findall(r"([\d.]+%) in (\d{4})", label)}


def shown_shares(at: AppTest, dimension_id: str, segment_ids: list[str]) -> list[float]:
    """The normalised base-year shares the sidebar prints in each share slider's label."""
    shares = []
    for segment_id in segment_ids:
        shown = label_shares(at, f"share.{dimension_id}.{segment_id}")
        shares.append(float(shown[min(shown)].removesuffix("%")))
    return shares


def chart_shares(at: AppTest, year: int) -> dict[str, str]:
    """What the Segments page's share bars label each segment with in ``year``."""
    (figure,) = [c for c in charts(at) if c["layout"]["title"]["text"].endswith(f"in {year}")]
    return {trace["name"]: trace["text"][0] for trace in figure["data"]}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.title)
def test_every_page_renders_on_the_default_file(app: AppTest, page) -> None:
    if page.script != "app.py":
        app.switch_page(page.script).run()
    assert not app.exception, app.exception
    assert app.title[0].value
    assert not app.error, [e.value for e in app.error]


def test_overview_shows_the_report_figures(app: AppTest, default_assumptions: Assumptions) -> None:
    unit = default_assumptions.market.unit
    assert metric(app, "Market size 2024") == money(457.6, unit)
    assert metric(app, "Market size 2031") == money(1651.2, unit)
    assert metric(app, "CAGR 2024-2031") == "20.12%"  # the source's precision, not 20.1%
    trajectory, growth = charts(app)  # the market size, and each year's growth under it
    assert trajectory["layout"]["title"]["text"].startswith("Market size")
    assert growth["layout"]["title"]["text"].startswith("Growth each year")


def test_overview_shows_this_years_estimate(app: AppTest, default_assumptions: Assumptions) -> None:
    """The dashboard is used in a year between the base year and the horizon: its card
    shows that year's modelled size, beside the base year, the horizon and the CAGR (the
    first year, history, gives way); outside those years, the first year's card stays."""
    now = date.today().year
    f = forecast(default_assumptions)
    labels = [c["label"] for c in headline_cards(app)]
    if 2024 < now < 2031:
        years = ["Market size 2024", f"Market size {now}", "Market size 2031"]
        assert labels == [*years, "CAGR 2024-2031"]
        assert metric(app, f"Market size {now}") == money(f.totals.at[now, "value"], f.unit)
        assert card_origin(app, f"Market size {now}") == "modelled · this year's estimate"
    else:
        assert labels[0] == "Market size 2023" and len(labels) == 4


def test_overview_names_the_largest_and_fastest_segment_of_each_dimension(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    """One line per dimension, from the forecast: the largest segment in the year shown
    (this year) and the fastest-growing one; the region line names the largest region."""
    text = "\n".join(passages(app))
    year = shown_year(default_assumptions, date.today().year)
    f = forecast(default_assumptions)
    assert f"Largest in {year}" in text
    for dimension in default_assumptions.dimensions:
        shares = f.by(dimension.id).loc[year]
        growth = f.groups[(dimension.id, "")].cagr_pct(2024, 2031)
        what = "region" if dimension.geographic else "segment"
        expected = (
            f"{dimension.name}: {shares.idxmax()} is the largest {what} "
            f"({shares.max() / shares.sum() * 100:.1f}%), {growth.idxmax()} grows fastest "
            f"({growth.max():.1f}% a year)."
        )
        assert expected in text, expected
    assert "North America is the largest region" in text


def card_origin(at: AppTest, label: str) -> str:
    """What a headline card says under its value: its delta and the words beside it."""
    card = next(c for c in headline_cards(at) if c["label"] == label)
    return f"{card['delta']} · {card['description']}"


def test_cards_tell_reported_figures_from_modelled_ones_that_match(app: AppTest) -> None:
    """The base year's 457.6 is the source's own figure, which the model grows from: it is
    reported, as every figure the source states and the view shows as it is."""
    assert card_origin(app, "Market size 2024") == "reported · stated by Kings Research"
    for label in ("Market size 2031", "CAGR 2024-2031"):
        assert card_origin(app, label) == "modelled · matches Kings Research"
    assert not any("as reported" in card_origin(app, c["label"]) for c in headline_cards(app))


def test_a_moved_cagr_says_how_far_the_model_is_from_the_report(app: AppTest) -> None:
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(22.12).run()
    assert metric(app, "CAGR 2024-2031") == "22.12%"
    assert card_origin(app, "CAGR 2024-2031") == (
        "+2.00 pp · modelled · vs 20.12% from Kings Research"
    )
    assert card_origin(app, "Market size 2024").startswith("reported")


def test_calibrated_to_another_source_the_cards_compare_with_it(app: AppTest) -> None:
    """After calibrating to 360iResearch's 2024-2032 edition, the cards no longer compare
    with Kings Research's figures: 437.10 in 2024 is 360iResearch's own, reported."""
    app.switch_page("pages/estimates.py").run()
    button = next(b for b in app.button if b.label == plain("360iResearch (2024-2032 edition)"))
    button.click().run()
    app.switch_page("app.py").run()
    assert card_origin(app, "Market size 2024") == (
        "reported · stated by 360iResearch (2024-2032 edition)"
    )
    said = " ".join(card_origin(app, c["label"]) for c in headline_cards(app))
    assert "Kings Research" not in said
    names = [trace.get("name") for trace in charts(app)[0]["data"]]
    assert "History (modelled: 360iResearch (2024-2032 edition) states none)" in names
    assert "Reported (360iResearch (2024-2032 edition))" in names


def test_cagr_slider_moves_the_horizon_kpi_to_the_model_value(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(25.0).run()
    expected = forecast(apply_overrides(default_assumptions, {"growth.cagr_pct": 25.0}))
    assert metric(app, "Market size 2031") == money(expected.horizon_value, expected.unit)
    assert metric(app, "Market size 2031") != money(1651.2, expected.unit)
    drawn = [y for trace in charts(app)[0]["data"] for y in values(trace)]
    assert any(y == pytest.approx(expected.horizon_value, rel=1e-9) for y in drawn)


def test_a_cagr_move_sends_again_only_what_follows_the_assumptions(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(25.0).run()

    expected = forecast(apply_overrides(default_assumptions, {"growth.cagr_pct": 25.0}))
    assert metric(app, "Market size 2031") == money(expected.horizon_value, expected.unit)
    assert len(charts(app)) == 2  # the trajectory and the yearly growth
    assert not app.title, "the page title was sent again"
    assert not app.slider, "the sidebar was sent again"
    (entry,) = app.number_input  # the exact entry beside the slider, and nothing else of it
    assert entry.key == widget_key(entry_name(CAGR), app.session_state) and entry.value == 25.0
    assert app.query_params["cagr"] == "25"  # the share link still follows


def test_a_cagr_move_on_a_page_without_such_parts_reruns_it_whole(app: AppTest) -> None:
    app.switch_page("pages/sources.py").run()
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(25.0).run()
    assert app.title[0].value == "Sources & method"
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == pytest.approx(25.0)


def test_the_table_behind_a_chart_is_built_only_while_it_is_open(
    app: AppTest, default_assumptions: Assumptions
) -> None:
    assert not app.dataframe
    open_panel(app, "table.overview")
    (table,) = app.dataframe
    assert list(table.value.index) == list(default_assumptions.years.all)
    app.switch_page("pages/segments.py").run()
    assert not app.dataframe  # each page's table has its own expander


def test_one_share_slider_renormalises_the_others(app: AppTest) -> None:
    segments = ["north-america", "europe", "asia-pacific", "latin-america", "middle-east-africa"]
    open_shares(app, "region")
    before = shown_shares(app, "region", segments)
    assert sum(before) == pytest.approx(100, abs=0.3)

    app.slider(key=widget_key("share.region.north-america", app.session_state)).set_value(84).run()

    after = shown_shares(app, "region", segments)
    assert sum(after) == pytest.approx(100, abs=0.3)
    assert after[0] > before[0]
    assert all(a < b for a, b in zip(after[1:], before[1:], strict=True))
    # the others keep their proportions to one another
    assert after[1] / after[2] == pytest.approx(before[1] / before[2], rel=0.02)


def test_a_share_slider_speaks_the_shares_the_charts_show_in_both_years(app: AppTest) -> None:
    """The slider holds a weight; its label gives the share that weight makes in the base
    year, as the share chart shows it, and the horizon's share with the reason it differs."""
    app.switch_page("pages/segments.py").run()
    app.segmented_control(key=widget_key("segments.dimension")).set_value("region").run()
    open_shares(app, "region")
    whole_page(
        app.slider(key=widget_key("share.region.europe", app.session_state)).set_value(60).run()
    )
    for year in (2024, 2031):
        app.select_slider(key=widget_key("year")).set_value(year).run()
        assert label_shares(app, "share.region.europe")[year] == chart_shares(app, year)["Europe"]
    shown = label_shares(app, "share.region.asia-pacific")
    assert shown[2031] != shown[2024]  # Asia-Pacific grows 3.5 pp faster than the market
    explained = " ".join(c.value for c in app.sidebar.caption)
    assert "grow at different rates" in explained and "growth differentials" in explained
    europe = app.slider(key=widget_key("share.region.europe", app.session_state))
    assert europe.value == 60  # the slider keeps the weight the file and the link hold
    assert f"in 2031: **{label_shares(app, 'share.region.europe')[2031]}**" in europe.help
    assert app.query_params["s.region.europe"] in ("60", ["60"])


def test_the_regions_page_opens_the_share_and_differential_panels_on_the_regions(
    app: AppTest,
) -> None:
    def visit(script: str) -> None:
        app.switch_page(script).run()
        open_panel(app, "shares")
        open_panel(app, "differentials")

    def picked(widget: str) -> str:
        return app.selectbox(key=widget_key(widget, app.session_state)).value

    visit("app.py")
    assert picked("share-dimension") == picked("diff-dimension") == "component"
    visit("pages/regions.py")
    assert picked("share-dimension") == picked("diff-dimension") == "region"
    assert app.slider(key=widget_key("share.region.europe", app.session_state)).value == 27
    visit("pages/segments.py")
    assert picked("share-dimension") == "component"
    # once the user picks a dimension, it stays picked on every page, the Regions page too
    app.selectbox(key=widget_key("share-dimension", app.session_state)).set_value("application")
    app.run()
    visit("pages/regions.py")
    assert picked("share-dimension") == "application"
    assert picked("diff-dimension") == "region"


def test_values_persist_across_page_switches(app: AppTest, default_assumptions) -> None:
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(30.0).run()
    app.switch_page("pages/segments.py").run()
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == pytest.approx(30.0)
    app.switch_page("pages/sources.py").run()
    app.switch_page("app.py").run()
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == pytest.approx(30.0)
    expected = forecast(apply_overrides(default_assumptions, {"growth.cagr_pct": 30.0}))
    assert metric(app, "Market size 2031") == money(expected.horizon_value, expected.unit)


def test_reset_restores_the_report(app: AppTest) -> None:
    app.slider(key=widget_key(CAGR, app.session_state)).set_value(12.0).run()
    open_shares(app, "region")
    whole_page(
        app.slider(key=widget_key("share.region.europe", app.session_state)).set_value(90).run()
    )
    next(b for b in app.button if b.label == "Reset to report").click().run()
    assert app.slider(key=widget_key(CAGR, app.session_state)).value == pytest.approx(20.12)
    assert app.slider(
        key=widget_key("share.region.europe", app.session_state)
    ).value == pytest.approx(27)
    assert metric(app, "Market size 2031") == "USD 1,651.2M"


def test_zeroing_every_share_is_refused_and_the_last_good_values_stay(app: AppTest) -> None:
    open_shares(app, "deployment")
    for segment in ("hybrid", "cloud"):
        app.slider(key=widget_key(f"share.deployment.{segment}", app.session_state)).set_value(
            0
        ).run()
    app.slider(key=widget_key("share.deployment.on-premises", app.session_state)).set_value(0).run()
    assert not app.exception
    assert any("not applied" in w.value for w in app.warning)
    assert app.slider(
        key=widget_key("share.deployment.on-premises", app.session_state)
    ).value == pytest.approx(30)
    assert metric(app, "Market size 2031") == "USD 1,651.2M"


def test_an_invalid_file_is_listed_with_its_reason_and_cannot_be_selected(
    assumptions_folder: Path,
) -> None:
    (assumptions_folder / "broken.yaml").write_text("market: [unclosed\n", encoding="utf-8")
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    assert not at.exception
    options = at.selectbox(key=widget_key("file")).options
    assert options and all("broken" not in option for option in options)
    listed = " ".join(c.value for c in at.get("code"))
    assert "YAML syntax" in listed and "line" in listed
    assert metric(at, "Market size 2031") == "USD 1,651.2M"


def test_selecting_another_file_shows_that_market(assumptions_folder: Path) -> None:
    shutil.copy(PROJECT / "assumptions" / "example-coffee-subscriptions.yaml", assumptions_folder)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    whole_page(at.slider(key=widget_key(CAGR, at.session_state)).set_value(33.0).run())
    at.selectbox(key=widget_key("file")).select("example-coffee-subscriptions.yaml").run()
    assert not at.exception
    assert "coffee" in at.title[0].value.lower()
    for page in PAGES[1:]:
        at.switch_page(page.script).run()
        assert not at.exception, (page.title, at.exception)


@pytest.mark.parametrize("first", ["file", "slider"])
def test_a_file_chosen_in_the_same_rerun_as_a_slider_move_is_taken_without_a_crash(
    assumptions_folder: Path, first: str
) -> None:
    # issue 23: selecting a file forgets every widget's key, and the callbacks of the same
    # rerun that came after it read theirs: KeyError, the whole app replaced by the error
    shutil.copy(PROJECT / "assumptions" / "example-coffee-subscriptions.yaml", assumptions_folder)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/segments.py").run()
    moves = {
        "file": lambda: at.selectbox(key=widget_key("file")).select(
            "example-coffee-subscriptions.yaml"
        ),
        "slider": lambda: at.slider(key=widget_key(CAGR, at.session_state)).set_value(33.0),
    }
    for name in sorted(moves, key=lambda name: name != first):
        moves[name]()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key=widget_key("file")).value == "example-coffee-subscriptions.yaml"
    whole_page(at)
    assert "cagr" not in at.query_params  # the move was on the other file: dropped with it


def test_closed_panels_draw_no_sliders_and_open_ones_do(app: AppTest) -> None:
    assert [s.key for s in app.slider] == [widget_key(CAGR)]
    open_shares(app, "component")
    keys = {s.key for s in app.slider}
    assert widget_key("share.component.software") in keys
    assert widget_key("share.component.software.ehr-systems") in keys
    assert widget_key("share.region.europe") not in keys


def test_a_cagr_move_on_risk_sends_again_its_charts_not_its_headings_or_own_sliders(
    app: AppTest,
) -> None:
    app.switch_page("pages/risk.py").run()
    assert [s.value for s in app.subheader][:1] == ["Range of outcomes"]
    sd = widget_key("uncertainty.cagr_sd_pct")  # a slider the parameter table puts on Risk
    assert sd in [s.key for s in app.slider]
    before = charts(app)

    app.slider(key=widget_key(CAGR, app.session_state)).set_value(25.0).run()

    assert not app.subheader, "the headings were sent again"
    assert sd not in [s.key for s in app.slider], "the page's own sliders were sent again"
    after = charts(app)
    assert len(after) == len(before) == 3  # the fan, the tornado and the two-way grid
    assert values(after[0]["data"][0]) != values(before[0]["data"][0])  # the fan moved
    assert app.query_params["cagr"] == "25"


def test_a_segment_with_no_share_renders_the_segments_page(assumptions_folder: Path) -> None:
    # issue 23: /segments?s.component.software=0 raised ZeroDivisionError in the treemap
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.query_params["s.component.software"] = "0"
    at.run().switch_page("pages/segments.py").run()
    assert not at.exception, [e.message for e in at.exception]
    treemap = next(
        trace for figure in charts(at) for trace in figure["data"] if trace["type"] == "treemap"
    )
    hovers = dict(zip(treemap["labels"], treemap["customdata"], strict=True))
    assert "(n/a of Software, 0.0% of the market)" in hovers["EHR systems"]
