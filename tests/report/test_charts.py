"""Chart builders: what a reader of each figure relies on, read back from the figure."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from market import Assumptions, forecast, goal_seek
from market.crosstab import crosstab
from market.grid import AxisSpec, Grid, GridSpec, default_spec, two_way
from market.model import Forecast
from market.parameters import apply_actuals, apply_overrides
from market.risk import bridge, sensitivity, simulate
from report import charts
from report.charts.layout import figure
from report.colors import segment_colors
from report.format import money
from report.geography import REGIONS, countries_for, region_key

YEAR = 2031


@pytest.fixture(scope="module")
def a(default_assumptions: Assumptions) -> Assumptions:
    return default_assumptions


@pytest.fixture(scope="module")
def f(a: Assumptions) -> Forecast:
    return forecast(a)


@pytest.fixture(scope="module")
def reference(f: Forecast) -> dict[int, float]:
    """The report's trajectory: the unchanged file grows at the reported CAGR."""
    return f.totals["value"].to_dict()


@pytest.fixture(scope="module")
def figures(a: Assumptions, f: Forecast, reference: dict[int, float]) -> dict[str, go.Figure]:
    palette = segment_colors(a)
    slower = apply_overrides(a, {"growth.cagr_pct": 15, "share.region.europe": 40})
    return {
        "trajectory": charts.trajectory(f, a.reported_by_year, reference),
        "growth_rates": charts.growth_rates(f),
        "stacked_area": charts.stacked_area(f, "component", "Component", palette),
        "share_bars": charts.share_bars(f, "component", "Component", YEAR, palette),
        "segment_cagr_bars": charts.segment_cagr_bars(f, "component", "Component", palette),
        "hierarchy": charts.hierarchy(f, "component", "Component", YEAR, palette),
        "region_map": charts.region_map(f, "region", YEAR, palette),
        "heatmap": charts.heatmap(
            crosstab(f, "region", "deployment", YEAR), "Region", "Deployment", f.unit, YEAR
        ),
        "fan": charts.fan(simulate(a, paths=400), f, a.reported_by_year, reference),
        "tornado": charts.tornado(sensitivity(a), f.unit, f"Market size in {YEAR}"),
        "waterfall": charts.waterfall(bridge(a, slower), f.unit, "Report", "Slower"),
        "scenario_lines": charts.scenario_lines(
            {"Report": f, "Slower": forecast(slower)}, a.reported_by_year
        ),
        "two_way": charts.two_way(_europe_grid(a, target=300.0)),
    }


def _europe_grid(a: Assumptions, target: float | None = None) -> Grid:
    """The issue's example: growth 15-25 % against Europe's share weight 20-35, for Europe."""
    rows, columns = AxisSpec("growth.cagr_pct", 15, 25, 11), AxisSpec("share.region.europe", 20, 35)
    return two_way(a, GridSpec(rows, columns, "region/europe", target=target))


# Where each figure names its unit: on its value axis, or in its title when it has no axes.
# Shares and growth rates are in %, market values in the file's unit.
UNIT_PLACES = {
    "trajectory": ("yaxis", "unit"),
    "growth_rates": ("yaxis", "%"),
    "stacked_area": ("yaxis", "unit"),
    "share_bars": ("xaxis", "%"),
    "segment_cagr_bars": ("xaxis", "%"),
    "hierarchy": ("title", "unit"),
    "region_map": ("title", "unit"),
    "heatmap": ("title", "unit"),
    "fan": ("yaxis", "unit"),
    "tornado": ("xaxis", "unit"),
    "waterfall": ("xaxis", "unit"),
    "scenario_lines": ("yaxis", "unit"),
    "two_way": ("title", "unit"),
}
NO_AXES = {"hierarchy", "region_map"}


def _text(fig: go.Figure, place: str) -> str:
    if place == "title":
        return fig.layout.title.text or ""
    return getattr(fig.layout, place).title.text or ""


def _trace(fig: go.Figure, name: str) -> Any:
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"expected one trace named {name!r}, found {len(found)}"
    return found[0]


def _names(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data if t.name]


@pytest.mark.parametrize("name", sorted(UNIT_PLACES))
def test_every_figure_has_a_title_and_names_its_unit(
    figures: dict[str, go.Figure], f: Forecast, name: str
) -> None:
    fig = figures[name]
    assert fig.layout.title.text
    place, unit = UNIT_PLACES[name]
    assert (f.unit if unit == "unit" else unit) in _text(fig, place)
    if name not in NO_AXES:
        assert _text(fig, "xaxis") and _text(fig, "yaxis"), "both axes need a title"


@pytest.mark.parametrize("name", sorted(UNIT_PLACES))
def test_every_figure_passes_plotlys_validation(figures: dict[str, go.Figure], name: str) -> None:
    # The builders skip Plotly's validation for speed (charts/layout.py); a misspelt
    # property or an out-of-range value must still fail here, as it would have there.
    go.Figure(figures[name].to_plotly_json())


def test_a_misspelt_property_fails_the_validation(figures: dict[str, go.Figure]) -> None:
    spec = figures["trajectory"].to_plotly_json()
    broken = {**spec, "layout": {**spec["layout"], "xaxsi": {"title": {"text": "Year"}}}}
    with pytest.raises(ValueError, match="xaxsi"):
        go.Figure(broken)


@pytest.mark.parametrize("name", sorted(UNIT_PLACES))
def test_no_figure_fixes_the_background(figures: dict[str, go.Figure], name: str) -> None:
    """Streamlit's light and dark themes set the backgrounds; a chart that fixed one would
    be unreadable in the other."""
    layout = figures[name].layout
    assert layout.paper_bgcolor is None
    assert layout.plot_bgcolor is None
    assert layout.font.color is None


@pytest.mark.parametrize("name", sorted(UNIT_PLACES))
def test_hover_labels_format_values_for_people(
    figures: dict[str, go.Figure], f: Forecast, name: str
) -> None:
    hovers = [
        str(text)
        for trace in figures[name].data
        if trace.customdata is not None
        for text in np.ravel(np.asarray(trace.customdata, dtype=object))
    ]
    assert hovers, "the figure has no hover text"
    assert all("USD " in h or "%" in h for h in hovers), "a hover label without a value"
    assert not any("e+" in h or ".000" in h for h in hovers), "raw float formatting"


def test_a_second_market_names_its_own_unit(small_market: dict[str, Any]) -> None:
    g = forecast(Assumptions.model_validate(small_market))
    fig = charts.trajectory(g, {2020: 80.0})
    assert "EUR thousand" in fig.layout.yaxis.title.text
    assert "EUR 100.0K" in " ".join(map(str, _trace(fig, "Modelled").customdata))


# --- Trajectory --------------------------------------------------------------------------


def test_reported_points_are_their_own_trace_with_the_three_reported_values(
    figures: dict[str, go.Figure],
) -> None:
    fig = figures["trajectory"]
    reported = _trace(fig, "Reported (Kings Research)")
    modelled = _trace(fig, "Modelled")
    assert reported is not modelled
    assert list(reported.x) == [2023, 2024, 2031]
    assert list(reported.y) == [389.3, 457.6, 1651.2]
    assert reported.mode == "markers"
    assert reported.marker.symbol != modelled.marker.symbol


def test_modelled_line_runs_from_base_year_and_history_is_dotted(
    figures: dict[str, go.Figure], f: Forecast
) -> None:
    fig = figures["trajectory"]
    modelled = _trace(fig, "Modelled")
    assert list(modelled.x) == list(range(2024, 2032))
    np.testing.assert_allclose(modelled.y, f.totals.loc[2024:, "value"])
    history = _trace(fig, "History (reported by Kings Research)")
    assert list(history.x) == [2023, 2024]
    assert history.line.dash == "dot"
    assert modelled.line.dash in (None, "solid")


def test_reference_line_only_when_the_cagr_moves_away(
    a: Assumptions, figures: dict[str, go.Figure], reference: dict[int, float]
) -> None:
    assert "Report's trajectory" not in _names(figures["trajectory"])
    moved = forecast(apply_overrides(a, {"growth.cagr_pct": 25}))
    fig = charts.trajectory(moved, a.reported_by_year, reference)
    line = _trace(fig, "Report's trajectory")
    assert line.line.dash == "dash"
    assert list(line.x) == list(range(2024, 2032))
    np.testing.assert_allclose(line.y, [reference[y] for y in range(2024, 2032)])


def test_reference_appears_beyond_five_hundredths_of_a_percent(
    a: Assumptions, f: Forecast, reference: dict[int, float]
) -> None:
    """The file's own CAGR reaches 1,651.18 against a reported 1,651.2: rounding, not a move;
    the line shows once the horizon value is more than 0.05 % away from the reported one."""
    assert "Report's trajectory" not in _names(charts.trajectory(f, a.reported_by_year, reference))
    reported = a.reported_by_year[2031]
    for ratio, shown in [(1.0004, False), (0.9996, False), (1.0006, True), (0.9994, True)]:
        cagr = goal_seek(a, reported * ratio, 2031)
        g = forecast(apply_overrides(a, {"growth.cagr_pct": cagr}))
        names = _names(charts.trajectory(g, a.reported_by_year, reference))
        assert ("Report's trajectory" in names) is shown, ratio


def test_trajectory_without_reported_figures(f: Forecast) -> None:
    fig = charts.trajectory(f, None)
    assert "Reported (Kings Research)" not in _names(fig)
    assert "Modelled" in _names(fig)


# --- Segments ----------------------------------------------------------------------------


def _segment_colours(fig: go.Figure) -> dict[str, str]:
    return {
        t.name: t.fillcolor if t.type == "scatter" else t.marker.color for t in fig.data if t.name
    }


@pytest.mark.parametrize("dimension", ["component", "application", "region"])
def test_a_segment_has_one_colour_across_charts(
    a: Assumptions, f: Forecast, dimension: str
) -> None:
    palette = segment_colors(a)
    name = a.dimension(dimension).name
    area = _segment_colours(charts.stacked_area(f, dimension, name, palette))
    bars = _segment_colours(charts.share_bars(f, dimension, name, YEAR, palette[dimension]))
    growth = _segment_colours(charts.segment_cagr_bars(f, dimension, name, palette))
    expected = {s.name: palette[dimension][s.name] for s in a.dimension(dimension).segments}
    assert area == bars == growth == expected


def test_sub_segments_keep_their_colours(a: Assumptions, f: Forecast) -> None:
    palette = segment_colors(a)
    area = charts.stacked_area(f, "component", "Component", palette, parent_id="software")
    colours = _segment_colours(area)
    assert set(colours) == set(f.by("component", "software").columns)
    assert all(colours[n] == palette["component"][n] for n in colours)
    assert "Software" in area.layout.title.text


def test_stacked_area_stacks_the_values_with_shares_in_the_hover(
    figures: dict[str, go.Figure], f: Forecast
) -> None:
    fig = figures["stacked_area"]
    frame = f.by("component")
    for trace in fig.data:
        assert trace.stackgroup == "one"
        np.testing.assert_allclose(trace.y, frame[trace.name])
    software = _trace(fig, "Software").customdata[-1]
    share = frame.at[YEAR, "Software"] / f.totals.at[YEAR, "value"]
    assert f"{100 * share:.1f}%" in software


def test_share_bars_add_up_to_100(figures: dict[str, go.Figure]) -> None:
    shares = [t.x[0] for t in figures["share_bars"].data]
    assert sum(shares) == pytest.approx(100.0)
    assert all(t.text[0].endswith("%") for t in figures["share_bars"].data)


def test_segment_cagr_bars_end_at_each_segments_cagr_and_start_at_the_market(
    figures: dict[str, go.Figure], f: Forecast
) -> None:
    expected = f.groups[("component", "")].cagr_pct(f.base_year, f.horizon)
    for trace in figures["segment_cagr_bars"].data:
        assert trace.base == pytest.approx(f.cagr_pct)
        assert trace.base + trace.x[0] == pytest.approx(expected[trace.name])
    assert figures["segment_cagr_bars"].layout.shapes[0].x0 == pytest.approx(f.cagr_pct)


def test_hierarchy_reconciles_leaves_with_the_model(
    figures: dict[str, go.Figure], f: Forecast
) -> None:
    trace = figures["hierarchy"].data[0]
    parents = set(trace.parents)
    leaves = {
        label: value
        for node, label, value in zip(trace.ids, trace.labels, trace.values, strict=True)
        if node not in parents
    }
    assert sum(leaves.values()) == pytest.approx(f.totals.at[YEAR, "value"])
    software = f.by("component", "software").loc[YEAR]
    assert [leaves[n] for n in software.index] == pytest.approx(list(software))
    assert leaves["Platforms"] == pytest.approx(f.by("component").at[YEAR, "Platforms"])
    # parents carry nothing of their own, so Plotly sums their children
    assert all(v == 0 for node, v in zip(trace.ids, trace.values, strict=True) if node in parents)


# --- Regions -----------------------------------------------------------------------------


def test_every_country_of_a_region_carries_its_value(
    figures: dict[str, go.Figure], f: Forecast
) -> None:
    choropleth = next(t for t in figures["region_map"].data if t.type == "choropleth")
    assert choropleth.locationmode == "ISO-3"
    value_of = dict(zip(choropleth.locations, choropleth.z, strict=True))
    for region, value in f.by("region").loc[YEAR].items():
        codes = countries_for(region)
        assert codes
        assert [value_of[c] for c in codes] == pytest.approx([value] * len(codes))
    assert "USA" in countries_for("North America")
    assert value_of["USA"] == pytest.approx(f.by("region").at[YEAR, "North America"])


def test_map_hover_gives_region_value_and_share(figures: dict[str, go.Figure]) -> None:
    choropleth = next(t for t in figures["region_map"].data if t.type == "choropleth")
    hover = dict(zip(choropleth.locations, choropleth.customdata, strict=True))
    assert hover["DEU"].startswith("Europe: USD ")
    assert hover["DEU"].endswith("%)")


def test_map_names_regions_it_cannot_place(a: Assumptions) -> None:
    data = a.model_dump()
    region = next(d for d in data["dimensions"] if d["id"] == "region")
    region["segments"][4]["name"] = "Atlantis"
    region["segments"][4]["id"] = "atlantis"
    g = forecast(Assumptions.model_validate(data))
    fig = charts.region_map(g, "region", YEAR, segment_colors(a))
    notes = " ".join(n.text for n in fig.layout.annotations)
    assert "Atlantis" in notes
    assert "Europe" not in notes


def test_region_names_tolerate_common_spellings() -> None:
    for spelling in ("North America", "north-america", "NORTH AMERICA"):
        assert region_key(spelling) == "North America"
    for spelling in ("Middle East & Africa", "Middle East and Africa", "MEA"):
        assert region_key(spelling) == "Middle East & Africa"
    for spelling in ("Asia-Pacific", "Asia Pacific", "APAC"):
        assert region_key(spelling) == "Asia-Pacific"
    assert countries_for("Latin America & the Caribbean") == countries_for("LATAM")
    assert countries_for("Mars") == ()


def test_a_country_belongs_to_one_region() -> None:
    codes = [c for region in REGIONS.values() for c in region]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 3 and c.isupper() for c in codes)
    for country, region in [
        ("USA", "North America"),
        ("BRA", "Latin America"),
        ("DEU", "Europe"),
        ("IND", "Asia-Pacific"),
        ("ZAF", "Middle East & Africa"),
        ("SAU", "Middle East & Africa"),
        ("AUS", "Asia-Pacific"),
    ]:
        assert country in REGIONS[region]


def test_heatmap_labels_are_the_two_dimensions_segments(
    figures: dict[str, go.Figure], f: Forecast
) -> None:
    fig = figures["heatmap"]
    cell = fig.data[0]
    assert list(cell.y) == list(f.by("region").columns)
    assert list(cell.x) == list(f.by("deployment").columns)
    assert fig.layout.xaxis.title.text == "Deployment"
    assert fig.layout.yaxis.title.text == "Region"
    table = crosstab(f, "region", "deployment", YEAR)
    np.testing.assert_allclose(np.asarray(cell.z, dtype=float), table.to_numpy())
    assert cell.text[0][0] == f"USD {table.iat[0, 0]:,.0f}M"
    assert "independent" in fig.layout.title.subtitle.text


# --- Risk and scenarios ------------------------------------------------------------------


def test_fan_bands_are_nested_around_the_median(figures: dict[str, go.Figure]) -> None:
    fig = figures["fan"]
    order = [t.name for t in fig.data]
    outer = order.index("5-95% of paths")
    inner = order.index("10-90% of paths")
    p95, p5 = fig.data[outer - 1].y, fig.data[outer].y
    p90, p10 = fig.data[inner - 1].y, fig.data[inner].y
    p50 = _trace(fig, "Median (p50)").y
    assert fig.data[outer].fill == fig.data[inner].fill == "tonexty"
    assert np.all(p5 <= p10) and np.all(p10 <= p50) and np.all(p50 <= p90)
    assert np.all(p90 <= p95)
    assert np.any(p5 < p95), "the bands have no width"
    assert "Report's trajectory" in order and "Reported (Kings Research)" in order


def test_fan_subtitle_states_the_chance_of_the_reported_value(a: Assumptions, f: Forecast) -> None:
    sim = simulate(a, paths=200)
    fig = charts.fan(sim, f, a.reported_by_year)
    subtitle = fig.layout.title.subtitle.text
    assert f"{round(100 * sim.probability_of_target)}%" in subtitle
    assert "USD 1,651.2M" in subtitle


def test_tornado_bars_run_from_the_base_to_each_end(
    a: Assumptions, figures: dict[str, go.Figure]
) -> None:
    table = sensitivity(a)
    fig = figures["tornado"]
    low, high = fig.data
    np.testing.assert_allclose(np.asarray(low.x) + low.base, table["low_value"])
    np.testing.assert_allclose(np.asarray(high.x) + high.base, table["high_value"])
    assert low.marker.color != high.marker.color
    # each bar carries the value it ends at as text, readable without hovering
    assert list(low.text) == [money(v, a.market.unit) for v in table["low_value"]]
    assert list(high.text) == [money(v, a.market.unit) for v in table["high_value"]]
    assert low.textposition == high.textposition == "outside"
    assert list(fig.layout.yaxis.categoryarray) == list(low.y)  # largest swing first
    assert low.y[0].startswith(table["label"].iloc[0])


def test_waterfall_measures_match_the_bridge_kinds(a: Assumptions) -> None:
    slower = apply_overrides(a, {"growth.cagr_pct": 15, "diff.region.europe": 2})
    table = bridge(a, slower, "region/europe")
    fig = charts.waterfall(table, "USD million", "Report", "Slower", year=2031)
    trace = fig.data[0]
    expected = {"start": "absolute", "step": "relative", "end": "total"}
    assert list(trace.measure) == [expected[k] for k in table["kind"]]
    np.testing.assert_allclose(trace.x, table["value"])
    assert trace.y[0] == "Report" and trace.y[-1] == "Slower"
    assert "2031" in fig.layout.title.text
    # the steps lead from the start to the end, as the total bar will show
    assert table["value"].iloc[0] + table["value"].iloc[1:-1].sum() == pytest.approx(
        table["value"].iloc[-1]
    )


def test_a_bridge_keeps_a_short_title_and_names_the_scenarios_below_it(a: Assumptions) -> None:
    """On a phone the title line holds about fifty characters: long scenario names go to
    the subtitle, so the title (what is bridged, the year, the unit) stays whole."""
    long_name = "Your current assumptions after the board's second review"
    table = bridge(a, apply_overrides(a, {"growth.cagr_pct": 15}))
    fig = charts.waterfall(table, "USD million", long_name, "Conservative", year=2031)
    assert fig.layout.title.text == "Bridge, 2031 (USD million)"
    assert fig.layout.title.subtitle.text == f"{long_name} to Conservative"
    table = bridge(a, apply_overrides(a, {"diff.region.europe": 2}), "region/europe")
    segment = charts.waterfall(table, "USD million", "A", "B", 2031, subject="Europe (Region)")
    assert segment.layout.title.text == "Bridge of Europe (Region), 2031 (USD million)"


def test_a_bridge_folds_the_steps_that_do_not_move_it_into_one_bar(a: Assumptions) -> None:
    """Growth differentials shift the mix, not the total: one bar names them all, rather
    than a row of "+USD 0.0M"."""
    diffs = {"diff.region.europe": 2.0, "diff.region.asia-pacific": 3.0, "diff.deployment.cloud": 4}
    faster = apply_overrides(a, {"growth.cagr_pct": 25, **diffs})
    table = bridge(a, faster)
    trace = charts.waterfall(table, "USD million", "Report", "Faster").data[0]
    assert len(trace.y) == 4  # start, the CAGR, the folded three, end
    assert trace.y[2].startswith("3 changes") and trace.text[2] == "≈ 0"
    assert "+USD 0.0M" not in list(trace.text)
    for name in ("Europe", "Asia-Pacific", "Cloud"):
        assert name in trace.customdata[2]
    assert trace.x[0] + sum(trace.x[1:-1]) == pytest.approx(trace.x[-1])


def test_scenario_lines_keep_each_scenario_apart(
    figures: dict[str, go.Figure], f: Forecast
) -> None:
    fig = figures["scenario_lines"]
    report, slower = _trace(fig, "Report"), _trace(fig, "Slower")
    assert report.line.color != slower.line.color
    assert report.line.dash != slower.line.dash
    np.testing.assert_allclose(report.y, f.totals["value"])
    assert "Reported (Kings Research)" in _names(fig)


def test_scenario_lines_need_a_scenario() -> None:
    with pytest.raises(ValueError, match="at least one"):
        charts.scenario_lines({}, None)


def test_a_segment_set_to_zero_still_draws(a: Assumptions) -> None:
    """A share slider can reach zero: that segment has no growth rate and no row share, and
    every chart must still draw (finite axis ranges, "n/a" where a number has no meaning)."""
    zeroed = apply_overrides(a, {"share.application.billing": 0, "share.region.europe": 0})
    g = forecast(zeroed)
    palette = segment_colors(zeroed)
    growth = charts.segment_cagr_bars(g, "application", "Application", palette)
    assert np.isfinite(growth.layout.xaxis.range).all()
    assert "n/a" in _trace(growth, "Billing").text[0]
    table = crosstab(g, "region", "application", YEAR)
    heat = charts.heatmap(table, "Region", "Application", g.unit, YEAR)
    assert "n/a of Europe" in heat.data[0].customdata[1][0]
    for fig in (growth, heat, charts.region_map(g, "region", YEAR, palette)):
        fig.to_json()


def test_builders_are_pure(a: Assumptions, f: Forecast, reference: dict[int, float]) -> None:
    """Building a figure twice gives the same figure and leaves the forecast untouched."""
    before = f.totals.copy()
    first = charts.trajectory(f, a.reported_by_year, reference).to_json()
    second = charts.trajectory(f, a.reported_by_year, reference).to_json()
    assert first == second
    assert f.totals.equals(before)


_REPORT = Path(__file__).parents[2] / "report"
_CHART_MODULES = [
    *sorted(p.relative_to(_REPORT).as_posix() for p in (_REPORT / "charts").glob("*.py")),
    "colors.py",
    "geography.py",
]


@pytest.mark.parametrize("module", _CHART_MODULES)
def test_chart_modules_never_import_streamlit(module: str) -> None:
    source = (_REPORT / module).read_text()
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "streamlit" not in imported


def test_hierarchy_follows_sub_segments_by_path_even_when_ids_repeat(
    write_yaml, small_market: dict[str, Any]
) -> None:
    # a sub-segment may share its id with its parent: groups are keyed by the whole path
    from market import load_assumptions

    commuters = small_market["dimensions"][0]["segments"][0]
    commuters["segments"][0]["name"] = "Commuters"
    commuters["segments"][0]["segments"] = [
        {"name": "Cargo", "share": 1, "provenance": "assumed", "rationale": "r"},
        {"name": "Folding", "share": 1, "provenance": "assumed", "rationale": "r"},
    ]
    a = load_assumptions(write_yaml(small_market))
    f = forecast(a)
    dimension = a.dimensions[0]
    trace = charts.hierarchy(
        f, dimension.id, dimension.name, 2026, segment_colors(a)[dimension.id]
    ).data[0]
    assert {"Cargo", "Folding"} <= set(trace.labels)  # the third level is drawn
    assert len(trace.ids) == len(set(trace.ids))


def test_money_axes_separate_thousands_like_the_cards(figures: dict[str, go.Figure]) -> None:
    """The cards say USD 1,651.2M: the axis beside them says 1,500, not 1500."""
    trajectory = figures["trajectory"]
    assert "," in trajectory.layout.yaxis.tickformat
    assert trajectory.layout.xaxis.tickformat == "d"  # years stay 2031


def test_a_scenario_small_multiple_is_titled_by_the_scenario_alone(f: Forecast) -> None:
    """Side by side in a third of the page, "Aggressive: Component: share of the market
    in 2031" was cut; the scenario is the title, the rest a subtitle."""
    fig = charts.share_bars(f, "component", "Component", 2031, {}, scenario="Aggressive")
    assert fig.layout.title.text == "Aggressive"
    assert fig.layout.title.subtitle.text == "Component: share in 2031"


def test_the_toolbar_stands_clear_of_the_title(figures: dict[str, go.Figure]) -> None:
    """Plotly's toolbar lies across the top right by default, over a title on a phone."""
    for name, fig in figures.items():
        if fig.layout.title.text:
            assert fig.layout.modebar.orientation == "v", name


def test_a_title_breaks_only_where_the_builder_breaks_it_and_reads_no_markup() -> None:
    fig = figure([], "Europe <b>2031</b>\n(USD million)", "x\ny", "y", subtitle="a\nb")
    assert fig.layout.title.text == "Europe &lt;b&gt;2031&lt;/b&gt;<br>(USD million)"
    assert fig.layout.title.subtitle.text == "a<br>b"
    assert fig.layout.xaxis.title.text == "x<br>y"


def test_on_a_phone_the_map_names_its_regions_in_a_legend(figures: dict[str, go.Figure]) -> None:
    """Beside their dots the names overlapped and ran off a phone-wide map ("Asia-Pacif"):
    the figure's narrow variant (drawn by the chart element on a screen under 640 px)
    keeps the dots, names each region with its amount in the legend, and gives the map
    the colour bar's width."""
    fig = figures["region_map"]
    labels = [t for t in fig.data if t.type == "scattergeo"]
    assert len(labels) == 5 and all(t.mode == "markers+text" for t in labels)
    narrow = fig.layout.meta["narrow"]["data"]
    assert narrow[0] == {"showscale": False}
    assert narrow[1:] == [{"mode": "markers", "showlegend": True}] * len(labels)
    assert [t.name.partition(":")[0] for t in labels] == [
        "North America",
        "Europe",
        "Asia-Pacific",
        "Latin America",
        "Middle East & Africa",
    ]
    assert all(t.name.partition(": ")[2].startswith("USD ") for t in labels)


# --- Two-way grid ------------------------------------------------------------------------


def test_the_grid_writes_each_cells_value_and_labels_the_axes_with_the_inputs_values(
    a: Assumptions, figures: dict[str, go.Figure]
) -> None:
    grid = _europe_grid(a)
    heat = figures["two_way"].data[0]
    assert heat.type == "heatmap"
    assert np.asarray(heat.z).shape == (11, 7)
    # the unit is in the title; the cells hold four digits at most, or whole thousands
    assert heat.text[0][0] == f"{grid.values[0, 0]:,.1f}"
    assert "USD" in figures["two_way"].layout.title.text
    layout = figures["two_way"].layout
    assert list(layout.yaxis.ticktext) == [f"{v:.1f}%" for v in np.linspace(15, 25, 11)]
    assert list(layout.xaxis.ticktext) == ["20", "22.5", "25", "27.5", "30", "32.5", "35"]
    assert layout.xaxis.title.text == "Europe share (weight)"
    assert layout.yaxis.title.text == "CAGR (%)"


def test_the_current_assumptions_cell_is_outlined(a: Assumptions) -> None:
    fig = charts.two_way(two_way(a, default_spec(a)))
    outline = _trace(fig, "Current assumptions")
    assert (min(outline.x), max(outline.x), min(outline.y), max(outline.y)) == (2.5, 3.5, 2.5, 3.5)
    elsewhere = charts.two_way(
        two_way(a, GridSpec(AxisSpec("growth.cagr_pct", 10, 30, 2), AxisSpec("growth.base_value")))
    )
    assert "Current assumptions" not in _names(elsewhere)


def test_a_target_marks_the_cells_reaching_it_and_draws_the_boundary(a: Assumptions) -> None:
    centre = float(two_way(a, default_spec(a)).values[3, 3])
    # rises with both inputs: a staircase boundary
    grid = two_way(a, replace(default_spec(a), target=centre))
    fig = charts.two_way(grid)
    marks = _trace(fig, "Reaches USD 1,651.2M")
    marked = np.zeros(grid.values.shape, dtype=bool)
    for x, y in zip(marks.x, marks.y, strict=True):  # in the top left corner of its cell
        marked[round(y), round(x)] = True
    assert (marked == (grid.values >= centre)).all()
    assert marked[3, 3] and not marked[2, 2]
    boundary = [t for t in fig.data if t.name == "Boundary of USD 1,651.2M"]
    assert len(boundary) == 1
    edges = _segments(boundary[0])
    # every edge lies between a reaching cell and one that does not
    for (x0, y0), (x1, y1) in edges:
        if x0 == x1:  # vertical: between columns x - 0.5 and x + 0.5 of row y
            row, left = round((y0 + y1) / 2), round(x0 - 0.5)
            assert marked[row, left] != marked[row, left + 1]
        else:
            column, below = round((x0 + x1) / 2), round(y0 - 0.5)
            assert marked[below, column] != marked[below + 1, column]
    changes = (marked[:, 1:] != marked[:, :-1]).sum() + (marked[1:] != marked[:-1]).sum()
    assert len(edges) == changes
    untargeted = charts.two_way(two_way(a, default_spec(a)))
    assert not any(n.startswith(("Reaches", "Boundary")) for n in _names(untargeted))


def _segments(trace: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    points = list(zip(trace.x, trace.y, strict=True))
    return [(points[k], points[k + 1]) for k in range(0, len(points), 3)]


def test_the_growth_chart_shows_each_year_s_rate_under_the_shape(a: Assumptions) -> None:
    faded = forecast(apply_overrides(a, {"growth.shape": 1.0, "growth.fade_pp": -1.0}))
    fig = charts.growth_rates(faded)
    modelled = _trace(fig, "Modelled")
    assert list(modelled.x) == list(range(2025, 2032))
    assert [round(r, 1) for r in modelled.y] == [23.1, 22.1, 21.1, 20.1, 19.1, 18.1, 17.1]
    history = _trace(fig, "History (reported)")
    assert list(history.x) == [2024] and round(history.y[0], 1) == 17.5  # 389.3 to 457.6
    assert list(_trace(fig, "CAGR 2024-2031").y) == pytest.approx([20.12, 20.12])
    assert modelled.customdata[0] == "2024-2025: +23.1% (modelled)"


@pytest.mark.parametrize("fade", [0.0, -1.0, -5.0])
def test_no_growth_bar_or_the_cagr_line_meets_the_charts_edge(a: Assumptions, fade: float) -> None:
    """The constant shape's bars all stand at the CAGR: with Plotly's own range they and the
    dashed line touched the top edge, as if cut off."""
    shaped = forecast(apply_overrides(a, {"growth.shape": 1.0, "growth.fade_pp": fade}))
    fig = charts.growth_rates(shaped)
    low, high = fig.layout.yaxis.range
    rates = [*_trace(fig, "Modelled").y, *_trace(fig, "History (reported)").y, shaped.cagr_pct]
    assert high > max(rates) * 1.05 and low == 0  # no year shrinks under these shapes


def test_actual_figures_are_their_own_marker_with_the_drift(a: Assumptions) -> None:
    with_actual = forecast(apply_actuals(a, {2025: 535.64}))
    fig = charts.trajectory(with_actual, a.reported_by_year)
    actual = _trace(fig, "Actual")
    assert (list(actual.x), list(actual.y)) == ([2025], [535.64])
    reported, modelled = _trace(fig, "Reported (Kings Research)"), _trace(fig, "Modelled")
    assert actual.marker.symbol not in (reported.marker.symbol, modelled.marker.symbol)
    assert actual.marker.color not in (reported.marker.color, modelled.line.color)
    assert actual.customdata[0] == "Actual: USD 535.6M (-2.55% vs the modelled USD 549.7M)"
