"""What moves the forecast: the tornado of assumptions and the bridge between scenarios."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from report import colors as palette
from report.charts.layout import (
    figure,
    input_text,
    plain_labels,
    reference_line,
    signed_money,
    unique_labels,
    wrap,
)
from report.format import money, money_axis_title


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
    layout = {
        "barmode": "overlay",
        "bargap": 0.35 if len(labels) > 3 else 0.6,
        "yaxis": {
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": plain_labels(labels),
            "automargin": True,
        },
        "hovermode": "closest",
        **reference_line(base, f"Base {money(base, unit)}"),
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
        "customdata": [
            f"{label} at {input_text(x)}: {money(v, unit)} ({signed_money(v - base, unit)})"
            for label, x, v in zip(table["label"], inputs, values, strict=True)
        ],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


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
    labels = unique_labels(labels)
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
