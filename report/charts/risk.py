"""What moves the forecast: the tornado of assumptions, the bridge between scenarios and the
two-way grid of any two assumptions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from market.grid import Grid
from report import colors as palette
from report.charts.layout import (
    figure,
    input_text,
    plain_labels,
    reference_line,
    signed_money,
    wrap,
)
from report.format import assumption_value, distinct_labels, money, money_axis_title


def tornado(table: pd.DataFrame, unit: str, target_label: str) -> go.Figure:
    """How far each assumption swings the target: bars from the base value to the value
    at the assumption's low and at its high end, largest swing at the top.

    ``table``: :func:`market.risk.sensitivity` (columns path, label, low_input,
    high_input, base_input, low_value, high_value, base_value, swing). ``target_label``
    names the value, e.g. "Market size in 2031".
    """
    ordered = table.sort_values("swing", ascending=False, kind="stable")
    labels = [
        f"{label} ({input_text(lo)} to {input_text(hi)})"
        for label, lo, hi in zip(
            ordered["label"], ordered["low_input"], ordered["high_input"], strict=True
        )
    ]
    base = float(ordered["base_value"].iloc[0]) if len(ordered) else 0.0
    traces = [
        _tornado_side(ordered, labels, "low", unit, base),
        _tornado_side(ordered, labels, "high", unit, base),
    ]
    title = f"{target_label}: what moves it most\n({unit})"  # two lines: whole on a phone
    ends = np.concatenate([ordered["low_value"].to_numpy(), ordered["high_value"].to_numpy()])
    yardstick = reference_line(base, f"Base {money(base, unit)}")
    layout = {
        "barmode": "overlay",
        "xaxis": {"range": _room_for_labels(ends, base)},
        "bargap": 0.35 if len(labels) > 3 else 0.6,
        "yaxis": {
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": plain_labels(labels),
            "automargin": True,
        },
        "hovermode": "closest",
        **yardstick,
        "meta": {"narrow": _narrow_tornado(labels, ends, base, yardstick["annotations"])},
    }
    return figure(
        traces, title, f"{target_label}\n({unit})", "Assumption (low to high)", layout=layout
    )


def _tornado_side(
    table: pd.DataFrame, labels: list[str], side: str, unit: str, base: float
) -> dict[str, Any]:
    values = table[f"{side}_value"].to_numpy()
    inputs = table[f"{side}_input"].to_numpy()
    return {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": values - base,
        "base": base,
        "name": f"Assumption at its {side} end",
        "marker": {"color": palette.LOW_INPUT if side == "low" else palette.HIGH_INPUT},
        # each bar says the value it ends at, so nobody has to hover to read it
        "text": [money(v, unit) for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [
            f"{label} at {input_text(x)}: {money(v, unit)} ({signed_money(v - base, unit)})"
            for label, x, v in zip(table["label"], inputs, values, strict=True)
        ],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


_NARROW_BARGAP = 0.5
_NARROW_ROW_PX = 80  # a name above its bar, the bar, and the gap to the next name


def _narrow_tornado(
    labels: list[str], ends: np.ndarray, base: float, annotations: list[dict[str, Any]]
) -> dict[str, Any]:
    """The tornado on a phone (see ``dashboard/chart_element.js``): beside the bars, the
    assumptions' names left the bars too little room for the values written at their ends,
    which overlapped the names and ran off the chart. Each name moves above its bar, and
    the bars take less of the width than on a desktop."""
    half_bar = (1 - _NARROW_BARGAP) / 2
    names = [
        {
            "text": name,
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "yref": "y",
            "y": row - half_bar,  # the top of the bar: the axis runs top to bottom
            "yanchor": "bottom",
            "showarrow": False,
        }
        for row, name in enumerate(plain_labels(labels))
    ]
    return {
        "layout": {
            "xaxis": {"range": _room_for_labels(ends, base, pad=0.6)},
            "yaxis": {"showticklabels": False, "title": {"text": ""}},
            "bargap": _NARROW_BARGAP,
            "height": 200 + _NARROW_ROW_PX * len(labels),  # the title, the axis, the rows
            "annotations": [*annotations, *names],
        }
    }


def _room_for_labels(ends: np.ndarray, base: float, *, pad: float = 0.3) -> list[float]:
    """An axis range around the bars with room past each end for the value written there:
    ``pad`` times the bars' span on each side."""
    finite = ends[np.isfinite(ends)]
    low = min(float(finite.min()), base) if finite.size else base
    high = max(float(finite.max()), base) if finite.size else base
    room = max(high - low, abs(base) * 0.02, 1e-9) * pad
    return [low - room, high + room]


def waterfall(
    bridge_table: pd.DataFrame,
    unit: str,
    from_name: str,
    to_name: str,
    year: int | None = None,
    *,
    subject: str = "",
) -> go.Figure:
    """A bridge from one scenario's value to another's, one bar per changed assumption.

    ``bridge_table``: :func:`market.risk.bridge` (columns label, path, kind, from_input,
    to_input, value); ``start`` and ``end`` rows are levels, ``step`` rows are changes.
    Horizontal, so long assumption names stay readable; increases blue, decreases orange.
    The title stays short, so a phone shows it whole: what is bridged (``subject``, a
    segment such as "Europe (Region)"; the total if empty), ``year`` (usually the horizon)
    and the unit; the scenarios' names, which may be long, are the subtitle.
    Steps too small to show (growth differentials move the mix, not the total) are folded
    into one bar that names them, rather than a row of "+USD 0.0M".
    """
    bridge_table = _fold_small_steps(bridge_table, unit)
    kinds = bridge_table["kind"].tolist()
    measures = [_MEASURE[k] for k in kinds]
    values = bridge_table["value"].to_numpy()
    labels = [
        from_name if k == "start" else to_name if k == "end" else str(label)
        for k, label in zip(kinds, bridge_table["label"], strict=True)
    ]
    labels = distinct_labels(labels)  # a bar chart merges equal categories
    text = [
        money(v, unit) if k != "step" else signed_money(v, unit) if abs(v) >= 0.05 else "≈ 0"
        for k, v in zip(kinds, values, strict=True)
    ]
    hover = [_bridge_hover(row, unit) for row in bridge_table.itertuples(index=False)]
    trace = {
        "type": "waterfall",
        "orientation": "h",
        "y": labels,
        "x": values,
        "measure": measures,
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "name": "Bridge",
        "showlegend": False,
        "increasing": {"marker": {"color": palette.INCREASE}},
        "decreasing": {"marker": {"color": palette.DECREASE}},
        "totals": {"marker": {"color": palette.TOTAL}},
        "connector": {"line": {"color": palette.NEUTRAL, "width": 1, "dash": "dot"}},
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    when = f", {year}" if year is not None else ""
    title = f"Bridge{' of ' + subject if subject else ''}{when} ({unit})"
    levels = np.cumsum(np.where(np.array(kinds) == "end", 0.0, values))
    layout = {
        "xaxis": {"range": [min(0.0, levels.min()) * 1.05, max(0.0, levels.max()) * 1.05]},
        # long step names on two lines, so a phone keeps room for the bars
        "yaxis": {
            "autorange": "reversed",
            "automargin": True,
            "tickmode": "array",
            "tickvals": plain_labels(labels),
            "ticktext": [wrap(label, 22) for label in labels],
        },
        # the amounts are written past the bars' ends: a margin in pixels that holds the
        # longest, so it shows whole at any width (a share of the axis would not on a phone)
        "margin": {"r": _TOOLBAR_PX + _CHAR_PX * max(len(t) for t in text)},
        "hovermode": "closest",
    }
    return figure(
        [trace],
        title,
        money_axis_title(unit),
        "Step",
        subtitle=f"{from_name} to {to_name}",
        layout=layout,
    )


_MEASURE = {"start": "absolute", "step": "relative", "end": "total"}
_CHAR_PX = 7
"""About the widest a character of a bar's label draws at the chart font (12 px)."""
_TOOLBAR_PX = 36
"""Plotly's toolbar stands upright along the right edge (see :func:`figure`)."""


def _fold_small_steps(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The bridge with every step that shows as zero at money's precision (0.0) folded
    into one step just before the end; its hover lists what it holds. Unchanged when
    fewer than two steps are that small."""
    steps = table["kind"] == "step"
    small = steps & (table["value"].abs() < 0.05)
    if small.sum() < 2:
        return table
    names = table.loc[small, "label"].astype(str).tolist()
    folded = {
        "label": f"{len(names)} changes under {money(0.05, unit, 2)} each",
        "path": "",
        "kind": "step",
        "from_input": np.nan,
        "to_input": np.nan,
        "value": float(table.loc[small, "value"].sum()),
        "folded": "; ".join(names),
    }
    kept = table.loc[~small]
    end = kept["kind"] == "end"
    return pd.concat([kept.loc[~end], pd.DataFrame([folded]), kept.loc[end]], ignore_index=True)


def _bridge_hover(row: Any, unit: str) -> str:
    if isinstance(getattr(row, "folded", None), str):
        return f"{row.label}: {row.folded}; {signed_money(row.value, unit)} together"
    if row.kind == "start":
        return f"Start: {money(row.value, unit)}"
    if row.kind == "end":
        return f"End: {money(row.value, unit)}"
    if np.isnan(row.from_input) and np.isnan(row.to_input):  # the label says what changed
        return f"{row.label}, {signed_money(row.value, unit)}"
    return (
        f"{row.label}: {input_text(row.from_input)} to {input_text(row.to_input)}, "
        f"{signed_money(row.value, unit)}"
    )


# --- two-way grid -------------------------------------------------------------------------


_MAX_TICKS = 11
"""The most values an axis of the grid writes; longer axes write every second or third."""


def two_way(grid: Grid) -> go.Figure:
    """A two-way sensitivity (:func:`market.grid.two_way`) as a heatmap: the row input up,
    the column input across, each cell's outcome written in it, the current assumptions'
    cell outlined, and with the grid's target the cells at or above it marked (a small
    triangle in their corner) and the boundary between them and the rest drawn (the
    two-variable goal seek).

    The axes are the steps' positions (0, 1, ...) labelled with the inputs' values, so a
    click reports a cell as ``x`` (column) and ``y`` (row). An input in the market's unit
    (the base value) reads as money.
    """
    unit = grid.unit
    values = grid.values
    reached = grid.reaching()
    rows, columns = grid.rows, grid.columns
    row_text = [assumption_value(v, rows.input.unit, unit) for v in rows.values]
    column_text = [assumption_value(v, columns.input.unit, unit) for v in columns.values]
    text = [[_cell_number(v) for v in line] for line in values]
    hover = [
        [
            f"{rows.input.label} {row_text[i]}, {columns.input.label} {column_text[j]}: "
            f"{money(v, grid.unit)}" + (" (reaches the target)" if reached[i, j] else "")
            for j, v in enumerate(line)
        ]
        for i, line in enumerate(values)
    ]
    heat = {
        "type": "heatmap",
        "z": values,
        "x": list(range(len(columns.values))),
        "y": list(range(len(rows.values))),
        "name": grid.label,
        "colorscale": [list(stop) for stop in palette.SEQUENTIAL],
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 12 if len(columns.values) <= 5 else 10},
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        # the values are written in the cells: no colour bar, so a phone keeps the width
        "showscale": False,
        "showlegend": False,
    }
    traces: list[dict[str, Any]] = [heat]
    if grid.target is not None:
        target = money(grid.target, grid.unit)
        traces += _boundary(reached, f"Boundary of {target}")
        traces.append(_marks(reached, f"Reaches {target}"))
    if grid.current is not None:
        i, j = grid.current
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [j - 0.5, j + 0.5, j + 0.5, j - 0.5, j - 0.5],
                "y": [i - 0.5, i - 0.5, i + 0.5, i + 0.5, i - 0.5],
                "name": "Current assumptions",
                "line": {"color": palette.GRID_CURRENT, "width": 3},
                "hoverinfo": "skip",
            }
        )
    title = f"{grid.label}: two-way sensitivity\n({grid.unit})"  # two lines: whole on a phone
    layout = {
        # labels leaning left: leaning right (Plotly's choice when they crowd) the last one
        # ran past the chart's right edge and was cut
        "xaxis": {**_grid_axis(column_text), "tickangle": -30},
        "yaxis": {**_grid_axis(row_text), "rangemode": "normal"},
        "hovermode": "closest",
        "height": 300 + 22 * min(len(rows.values), 20),
    }
    return figure(
        traces,
        title,
        _axis_title(columns.input.label, columns.input.unit, unit),
        _axis_title(rows.input.label, rows.input.unit, unit),
        layout=layout,
    )


def _cell_number(value: float) -> str:
    """A cell's value in the title's unit, short enough for a phone: four significant
    digits at most below 1,000 (12.35, 123.5), whole numbers with separators above (1,651)."""
    if not np.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    decimals = 0 if abs(value) >= 1_000 else max(0, 3 - int(np.floor(np.log10(abs(value) or 1))))
    return f"{value:,.{decimals}f}"


def _grid_axis(labels: list[str]) -> dict[str, Any]:
    every = -(-len(labels) // _MAX_TICKS)  # ceil: at most _MAX_TICKS written
    shown = list(range(0, len(labels), every))
    return {
        "tickmode": "array",
        "tickvals": shown,
        "ticktext": [labels[k] for k in shown],
        "range": [-0.5, len(labels) - 0.5],
        "showgrid": False,
        "zeroline": False,
    }


def _axis_title(label: str, unit: str, market_unit: str) -> str:
    shown = {"": "", "weight": "weight", market_unit: market_unit}.get(unit, unit)
    return f"{label} ({shown})" if shown else label


def _boundary(reached: np.ndarray, name: str) -> list[dict[str, Any]]:
    """The edges between a cell that reaches the target and one that does not (or the
    grid's edge is not drawn), as one line with gaps, over a wider white one."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    rows, columns = reached.shape
    for i in range(rows):
        for j in range(columns):
            if j + 1 < columns and reached[i, j] != reached[i, j + 1]:
                xs += [j + 0.5, j + 0.5, None]
                ys += [i - 0.5, i + 0.5, None]
            if i + 1 < rows and reached[i, j] != reached[i + 1, j]:
                xs += [j - 0.5, j + 0.5, None]
                ys += [i + 0.5, i + 0.5, None]
    line = {"type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip"}
    return [
        {**line, "showlegend": False, "line": {"color": palette.GRID_BOUNDARY_HALO, "width": 5}},
        {**line, "name": name, "line": {"color": palette.GRID_BOUNDARY, "width": 2.5}},
    ]


def _marks(reached: np.ndarray, name: str) -> dict[str, Any]:
    """A small mark in the top left corner of every cell that reaches the target, beside
    its number rather than in front of it, so the number keeps the cell's width."""
    rows, columns = np.nonzero(reached)
    return {
        "type": "scatter",
        "mode": "markers",
        "x": (columns - 0.36).tolist(),
        "y": (rows + 0.3).tolist(),
        "name": name,
        "marker": {
            "symbol": "triangle-up",
            "size": 7,
            "color": palette.GRID_BOUNDARY,
            "line": {"color": palette.GRID_BOUNDARY_HALO, "width": 1},
        },
        "hoverinfo": "skip",
    }
