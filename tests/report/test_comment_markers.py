"""Comment markers on a chart: on the series' drawn value, escaped hover, open notes only."""

from __future__ import annotations

import datetime as dt

from market import Assumptions, forecast
from market.comments import MARKET_SIZE, Comment, Point, segments_chart
from report import charts
from report.charts.comments import HOVER_LENGTH

WHEN = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)


def note(point: Point, text: str = "note", resolved: bool = False) -> Comment:
    return Comment(
        1,
        "f.yaml",
        None,
        point,
        text,
        "ana",
        WHEN,
        WHEN if resolved else None,
        "bo" if resolved else None,
    )


def marks(figure) -> list:
    return [t for t in figure.data if t.name == charts.COMMENT_TRACE]


def test_a_marker_sits_on_the_series_value_and_its_hover_is_text(
    default_assumptions: Assumptions,
) -> None:
    f = forecast(default_assumptions)
    figure = charts.trajectory(f, reported=f.reported_by_year)
    years, series = charts.commentable(figure)
    assert years == list(f.totals.index) and series[0] == "Modelled"
    marked = charts.with_comments(figure, [note(MARKET_SIZE.point(2028, "Modelled"), "<b>x</b>")])
    [trace] = marks(marked)
    assert list(trace.x) == [2028]
    assert trace.y[0] == f.totals.at[2028, "value"]
    assert "&lt;b&gt;x&lt;/b&gt;" in trace.hovertext[0] and "<b>x" not in trace.hovertext[0]
    assert marks(figure) == []  # the figure given is left as it was


def test_in_a_stack_the_marker_sits_on_top_of_its_band(default_assumptions: Assumptions) -> None:
    a = default_assumptions
    f = forecast(a)
    d = a.dimensions[0]
    figure = charts.stacked_area(f, d.id, d.name, {})
    first, second = list(f.by(d.id).columns)[:2]
    marked = charts.with_comments(figure, [note(segments_chart(d.id).point(2030, second))])
    [trace] = marks(marked)
    assert trace.y[0] == f.by(d.id).at[2030, first] + f.by(d.id).at[2030, second]


def test_resolved_notes_are_not_marked_and_long_ones_are_cut_in_the_hover(
    default_assumptions: Assumptions,
) -> None:
    f = forecast(default_assumptions)
    figure = charts.trajectory(f, reported=f.reported_by_year)
    point = MARKET_SIZE.point(2029, "Modelled")
    assert charts.with_comments(figure, [note(point, resolved=True)]) is figure
    [trace] = marks(charts.with_comments(figure, [note(point, "y" * 500)]))
    assert "y" * (HOVER_LENGTH - 1) + "…" in trace.hovertext[0]
    assert "y" * HOVER_LENGTH not in trace.hovertext[0]


def test_a_series_no_longer_drawn_marks_the_top_of_the_chart(
    default_assumptions: Assumptions,
) -> None:
    f = forecast(default_assumptions)
    figure = charts.trajectory(f, reported=f.reported_by_year)
    [trace] = marks(charts.with_comments(figure, [note(MARKET_SIZE.point(2031, "Gone"))]))
    assert trace.y[0] == max(f.totals.at[2031, "value"], f.reported_by_year[2031])
