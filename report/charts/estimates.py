"""Published estimates side by side: each source's path, the spread between them, the model."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from report import colors as palette
from report.charts.layout import figure
from report.format import money, money_axis_title, pct


def estimate_paths(
    paths: pd.DataFrame,
    spread: pd.DataFrame,
    model: pd.Series,
    labels: Mapping[str, str],
    unit: str,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Every estimate's path (its stated figures as markers, the years between as a thin
    line), the low-high band and median where two or more overlap, and the model's line.

    ``paths`` and ``spread`` are :func:`market.estimates.paths` and
    :func:`market.estimates.spread`; ``model`` is the forecast's total by year; ``labels``
    maps an estimate id to its legend name; ``colors`` an id to its colour (by default
    :func:`report.colors.estimate_colors` in the order of ``labels``).
    """
    chosen = colors or palette.estimate_colors(labels)
    traces: list[dict[str, Any]] = [*_spread_traces(spread, unit)]
    for rank, (estimate, label) in enumerate(labels.items()):
        rows = paths[paths["estimate"] == estimate]
        # a label comes from the file: Plotly would read tags in it, so escape them
        traces += _source_traces(rows, escape(label, quote=False), chosen[estimate], unit, rank)
    years = model.index.to_numpy()
    values = model.to_numpy(dtype=float)
    traces.append(
        {
            "type": "scatter",
            "x": years,
            "y": values,
            "name": "Model (your assumptions)",
            "mode": "lines",
            "legendrank": 1,
            "line": {"color": palette.MODELLED, "width": 3},
            "customdata": [f"Model: {money(v, unit)}" for v in values],
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    )
    every = np.union1d(years, paths["year"].to_numpy()) if not paths.empty else years
    title = f"Published estimates and the model ({unit})"
    # two short lines, so a phone-width chart shows all of it
    subtitle = f"{every[0]}-{every[-1]}. Diamonds: figures each source states.\n"
    subtitle += "Dotted lines between them, the band and the median: derived."
    room = {"margin": {"t": 120}, "height": 540}  # room for a wrapped legend
    return figure(
        traces, title, "Year", money_axis_title(unit), years=every, subtitle=subtitle, layout=room
    )


def _spread_traces(spread: pd.DataFrame, unit: str) -> list[dict[str, Any]]:
    if spread.empty:
        return []
    years = spread.index.to_numpy()
    low, high, median = (spread[c].to_numpy(dtype=float) for c in ("low", "high", "median"))
    hover = [
        f"Range (derived): {money(lo, unit)} to {money(hi, unit)}, {pct(s)} of the median"
        for lo, hi, s in zip(low, high, spread["spread_pct"].to_numpy(), strict=True)
    ]
    return [
        {
            "type": "scatter",
            "x": years,
            "y": low,
            "mode": "lines",
            "line": {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
            "legendgroup": "spread",
        },
        {
            "type": "scatter",
            "x": years,
            "y": high,
            "name": "Range across estimates (derived)",
            "mode": "lines",
            "fill": "tonexty",
            "fillcolor": palette.SPREAD,
            "line": {"width": 0},
            "legendgroup": "spread",
            "legendrank": 90,
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": years,
            "y": median,
            "name": "Median of estimates (derived)",
            "mode": "lines",
            "line": {"color": palette.NEUTRAL, "width": 2, "dash": "dash"},
            "legendrank": 91,
            "customdata": [f"Median (derived): {money(v, unit)}" for v in median],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
    ]


def _source_traces(
    rows: pd.DataFrame, label: str, color: str, unit: str, rank: int
) -> list[dict[str, Any]]:
    """One source: its path as a thin line (derived between figures) and its stated figures."""
    years, values = rows["year"].to_numpy(), rows["value"].to_numpy(dtype=float)
    stated = rows["stated"].to_numpy(dtype=bool)
    rates = rows["rate_pct"].to_numpy(dtype=float)
    path_hover = [
        f"{label}: {money(v, unit)} (stated)"
        if s
        else f"{label}: {money(v, unit)} (derived, {pct(r, 2)} a year between its figures)"
        for v, s, r in zip(values, stated, rates, strict=True)
    ]
    return [
        {
            "type": "scatter",
            "x": years,
            "y": values,
            "name": label,
            "mode": "lines",
            "legendgroup": label,
            "showlegend": False,  # one legend entry per source: its stated figures
            "line": {"color": color, "width": 1.5, "dash": "dot"},
            "customdata": path_hover,
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": years[stated],
            "y": values[stated],
            "name": label,
            "mode": "lines+markers",
            "legendgroup": label,
            "legendrank": 10 + rank,
            "line": {"width": 0},
            "marker": {
                "symbol": "diamond",
                "size": 13,
                "color": color,
                "line": {"color": palette.REPORTED_RIM, "width": 1.5},
            },
            "hoverinfo": "skip",
        },
    ]
