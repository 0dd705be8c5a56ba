"""Viewers' comments on a chart: where a note can be left, and the open ones as markers.

A note is on a year and a series (a trace's name) of a chart (:mod:`market.comments`).
:func:`commentable` lists the years and series a figure offers; :func:`with_comments`
adds the open notes as one scatter trace named :data:`COMMENT_TRACE`, each marker on its
series' value that year (the top of its band in a stacked chart), its hover the notes'
authors and words as plain text. Pure functions: the page draws what they return.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import plotly.graph_objects as go

from market.comments import Comment
from report import colors
from report.format import chart_text

__all__ = ["COMMENT_TRACE", "HOVER_LENGTH", "commentable", "with_comments"]

COMMENT_TRACE = "Comment"
"""The name of the markers' trace (its legend entry)."""
HOVER_LENGTH = 140
"""How much of a note a marker's hover shows; the list under the chart has it whole."""


def commentable(figure: go.Figure) -> tuple[list[int], list[str]]:
    """The years (whole x values) and the series (trace names, as the file spells them)
    a note on ``figure`` can be left on: the series with the most years first (the
    model's line before the source's few figures), else in the figure's order."""
    years: set[int] = set()
    counts: dict[str, int] = {}
    for trace in _traces(figure):
        found = {int(x) for x in _values(trace.get("x")) if _whole(x)}
        years.update(found)
        name = trace.get("name")
        if isinstance(name, str):
            counts[name] = max(counts.get(name, 0), len(found))
    return sorted(years), sorted(counts, key=lambda name: -counts[name])


def with_comments(figure: go.Figure, comments: Iterable[Comment]) -> go.Figure:
    """``figure`` and a trace marking each point that has open ``comments`` (the figure
    itself when none has). A series no longer drawn marks the top of the chart that year."""
    heights = _heights(figure)
    notes: dict[tuple[int, str], list[Comment]] = defaultdict(list)
    for c in comments:
        if c.open and c.point is not None:
            notes[c.point.year, c.point.series].append(c)
    if not notes:
        return figure
    top: dict[int, float] = defaultdict(float)
    for values in heights.values():
        for year, value in values.items():
            top[year] = max(top[year], value)
    x, y, hover = [], [], []
    for (year, series), said in sorted(notes.items()):
        x.append(year)
        y.append(heights.get(series, {}).get(year, top.get(year, 0.0)))
        hover.append(_hover(series, year, said))
    markers = {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "markers",
        "name": COMMENT_TRACE,
        "marker": {
            "symbol": "star",
            "size": 15,
            "color": colors.COMMENT,
            "line": {"width": 1, "color": colors.REPORTED_RIM},
        },
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    # a new figure of the same traces and layout (the template comes back as the default):
    # copying the figure whole, or with validation, took 5-20 ms on every slider move
    data = [trace.to_plotly_json() for trace in figure.data]
    layout = {k: v for k, v in figure.layout.to_plotly_json().items() if k != "template"}
    marked = go.Figure(data=[*data, markers], layout=layout, _validate=False)
    return marked


def _hover(series: str, year: int, said: Sequence[Comment]) -> str:
    lines = [chart_text(f"{len(said)} comment{'s' if len(said) > 1 else ''} on {series}, {year}")]
    for c in said:
        words = " ".join(c.text.split())
        if len(words) > HOVER_LENGTH:
            words = words[: HOVER_LENGTH - 1] + "…"
        lines.append(chart_text(f"{c.author}: {words}"))
    return "<br>".join(lines)


def _heights(figure: go.Figure) -> dict[str, dict[int, float]]:
    """Each series' drawn height by year: its value, or in a stack the stack up to it."""
    stacks: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    heights: dict[str, dict[int, float]] = {}
    for trace in _traces(figure):
        name = trace.get("name")
        if not isinstance(name, str):
            continue
        group = trace.get("stackgroup")
        points: dict[int, float] = {}
        for x, value in zip(_values(trace.get("x")), _values(trace.get("y")), strict=False):
            if not _whole(x) or not isinstance(value, int | float) or value != value:
                continue
            if group:
                stacks[group][int(x)] += float(value)
                points[int(x)] = stacks[group][int(x)]
            else:
                points[int(x)] = float(value)
        heights.setdefault(name, points)
    return heights


def _traces(figure: go.Figure) -> list[dict[str, Any]]:
    """The figure's traces as plain values (arrays as lists), their names as the file
    spells them; the comment markers left out."""
    traces = []
    for trace in figure.data:
        name = getattr(trace, "name", None)
        if name == COMMENT_TRACE:
            continue
        traces.append(
            {
                "name": html.unescape(name) if isinstance(name, str) else name,
                "x": getattr(trace, "x", None),
                "y": getattr(trace, "y", None),
                "stackgroup": getattr(trace, "stackgroup", None),
            }
        )
    return traces


def _values(values: Any) -> list[Any]:
    if values is None:
        return []
    return [v.item() if hasattr(v, "item") else v for v in values]


def _whole(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and float(x).is_integer()
