"""How the market splits: segments over time, their shares, their growth, the hierarchy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from market.model import Forecast, as_float, implied_cagr_pct
from market.shares import share_of
from report import colors as palette
from report.charts.layout import Colors, figure, pick, plain_labels, reference_line, wrap
from report.format import money, money_axis_title, pct, pp


def stacked_area(
    f: Forecast,
    dimension_id: str,
    dimension_name: str,
    colors: Colors,
    parent_id: str = "",
) -> go.Figure:
    """A dimension's segments stacked year by year (or one segment's sub-segments, with
    ``parent_id``); each band's hover gives its value and its share of the stack."""
    group = f.groups[(dimension_id, parent_id)]
    frame = group.values
    years = frame.index.to_numpy()
    values = frame.to_numpy()
    shares = share_of(values, values.sum(axis=1, keepdims=True))
    chosen = palette.colors_for(colors, dimension_id)
    traces = []
    for i, name in enumerate(frame.columns):
        color = pick(chosen, name, i)
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": values[:, i],
                "name": name,
                "mode": "lines",
                "stackgroup": "one",
                "legendrank": i + 1,
                "line": {"color": color, "width": 0.5},
                "fillcolor": color,
                "customdata": [
                    f"{name}: {money(v, f.unit)} ({pct(100 * s)})"
                    for v, s in zip(values[:, i], shares[:, i], strict=True)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    what = f"{group.parent} by sub-segment" if parent_id else f"Market by {dimension_name.lower()}"
    title = f"{what}, {years[0]}-{years[-1]} ({f.unit})"
    return figure(
        traces,
        title,
        "Year",
        money_axis_title(f.unit),
        years=years,
        layout={"legend": {"traceorder": "reversed"}},
    )


def share_bars(
    f: Forecast,
    dimension_id: str,
    dimension_name: str,
    year: int,
    colors: Colors,
    parent_id: str = "",
    scenario: str = "",
) -> go.Figure:
    """Each segment's share of the market in ``year``, one horizontal bar per segment, in
    file order; the value is in the label and the hover. The segment names on the axis
    serve as the legend. With ``scenario`` (small multiples side by side) the scenario's
    name is the title and the rest a subtitle, so narrow charts keep a whole title."""
    row = f.by(dimension_id, parent_id).loc[year]
    names, values = list(row.index), row.to_numpy()
    shares = 100 * share_of(values, values.sum())
    chosen = palette.colors_for(colors, dimension_id)
    traces = [
        _segment_bar(
            name,
            pick(chosen, name, i),
            length=share,
            label=pct(share),
            hover=f"{name}: {pct(share)} of the market, {money(value, f.unit)}",
        )
        for i, (name, value, share) in enumerate(zip(names, values, shares, strict=True))
    ]
    title = f"{dimension_name}: share of the market in {year}"
    subtitle = ""
    if scenario:
        title, subtitle = scenario, f"{dimension_name}: share in {year}"
    layout = {
        "xaxis": {"range": [0, _longest(shares) * 1.2], "ticksuffix": "%"},
        "yaxis": {
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": plain_labels(names),
        },
        "hovermode": "closest",
        "bargap": 0.3,
    }
    x_title = f"Share of the {year} market (%)"
    return figure(traces, title, x_title, dimension_name, None, subtitle, layout=layout)


def _longest(shares: np.ndarray) -> float:
    """The longest share bar, %; a market of nothing has no shares (NaN): then 100."""
    return float(np.nanmax(shares)) if np.isfinite(shares).any() else 100.0


def _segment_bar(
    name: str, color: str, *, length: float, label: str, hover: str, base: float = 0.0
) -> dict[str, Any]:
    """One segment's horizontal bar, labelled at its end; the axis names the segment."""
    return {
        "type": "bar",
        "orientation": "h",
        "x": [length],
        "base": base,
        "y": [name],
        "name": name,
        "marker": {"color": color},
        "showlegend": False,
        "text": [label],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [hover],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def segment_cagr_bars(
    f: Forecast,
    dimension_id: str,
    dimension_name: str,
    colors: Colors,
    parent_id: str = "",
) -> go.Figure:
    """Each segment's own growth rate from the base year to the horizon, drawn as a bar
    from the market's CAGR (a dashed line) to the segment's, so faster segments point
    right and slower ones left. With ``parent_id`` the yardstick is the parent's CAGR."""
    group = f.groups[(dimension_id, parent_id)]
    frame = group.values
    start, end = frame.loc[f.base_year].to_numpy(), frame.loc[f.horizon].to_numpy()
    rates = group.cagr_pct(f.base_year, f.horizon).to_numpy()
    years = f.horizon - f.base_year
    reference = float(implied_cagr_pct(start.sum(), end.sum(), years))
    against = group.parent if parent_id else "Market"
    chosen = palette.colors_for(colors, dimension_id)
    traces = [
        _segment_bar(
            name,
            pick(chosen, name, i),
            length=rate - reference,
            base=reference,
            label=pct(rate),
            hover=f"{name}: {pct(rate)} a year ({pp(rate - reference)} on {against.lower()}), "
            f"{money(s, f.unit)} to {money(e, f.unit)}",
        )
        for i, (name, rate, s, e) in enumerate(zip(frame.columns, rates, start, end, strict=True))
    ]
    span = f"{f.base_year}-{f.horizon}"
    title = f"{dimension_name}: segment growth, CAGR {span} (%)"
    gaps = np.abs(rates - reference)  # NaN for a segment with no value in the base year
    spread = max(float(np.nanmax(gaps)) if np.isfinite(gaps).any() else 0.0, 0.5)
    layout = {
        "xaxis": {
            "range": [reference - 1.5 * spread, reference + 1.5 * spread],
            "ticksuffix": "%",
        },
        "yaxis": {
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": plain_labels(frame.columns),
        },
        "hovermode": "closest",
        "bargap": 0.3,
        **reference_line(reference, f"{against} {pct(reference)}"),
    }
    return figure(traces, title, f"CAGR {span} (% a year)", dimension_name, layout=layout)


def hierarchy(
    f: Forecast,
    dimension_id: str,
    dimension_name: str,
    year: int,
    colors: Colors,
) -> go.Figure:
    """A treemap of the dimension in ``year``: segments as boxes, sub-segments inside them
    in shades of their parent's colour (a treemap, not a sunburst, because long segment
    names fit in its tiles and stay legible in a narrow column).

    Only leaves carry values (``branchvalues="remainder"`` with zero on every parent), so
    Plotly adds each box up from the model's leaves and the boxes reconcile by
    construction; the hover still shows each node's own model value and shares.
    """
    chosen = palette.colors_for(colors, dimension_id)
    total = as_float(f.totals.at[year, "value"])
    nodes = _Nodes(dimension_name, money(total, f.unit))
    _add_nodes(f, dimension_id, "", "", year, total, chosen, nodes)
    trace = {
        "type": "treemap",
        "ids": nodes.ids,
        "labels": nodes.labels,
        "parents": nodes.parents,
        "values": nodes.values,
        "branchvalues": "remainder",
        "sort": False,
        "marker": {"colors": nodes.colors, "line": {"width": 1}},
        "customdata": nodes.hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "text": [wrap(label) for label in nodes.labels],
        "texttemplate": "%{text}<br>%{percentRoot:.1%}",
        "textposition": "middle center",
        "tiling": {"pad": 2},
        "pathbar": {"visible": False},
    }
    title = f"{dimension_name} breakdown, {year} ({f.unit})"
    return figure([trace], title, "", "", layout={"margin": {"l": 10, "r": 10, "b": 10}})


class _Nodes:
    """The parallel lists a treemap trace takes, starting with the root."""

    def __init__(self, name: str, total: str) -> None:
        self.ids, self.labels, self.parents = ["root"], [name], [""]
        self.values: list[float] = [0.0]
        self.colors = ["rgba(140, 140, 140, 0.25)"]
        self.hover = [f"{name}: {total} (the whole market)"]


def _add_nodes(
    f: Forecast,
    dimension: str,
    parent_id: str,
    parent_node: str,
    year: int,
    total: float,
    colors: Mapping[str, str],
    nodes: _Nodes,
) -> None:
    group = f.groups[(dimension, parent_id)]
    row = group.values.loc[year]
    parent_value = as_float(row.sum())
    for i, (segment_id, name) in enumerate(zip(group.ids, row.index, strict=True)):
        value = as_float(row.iloc[i])
        node = f"{parent_node}/{segment_id}"
        key = f"{parent_id}.{segment_id}" if parent_id else segment_id  # groups are keyed by path
        has_children = (dimension, key) in f.groups
        share = pct(100 * float(share_of(value, parent_value)))
        of_parent = f"{share} of {group.parent}, " if parent_id else ""
        nodes.ids.append(node)
        nodes.labels.append(name)
        nodes.parents.append(parent_node or "root")
        nodes.values.append(0.0 if has_children else value)
        nodes.colors.append(pick(colors, name, i))
        of_market = pct(100 * float(share_of(value, total)))
        nodes.hover.append(f"{name}: {money(value, f.unit)} ({of_parent}{of_market} of the market)")
        if has_children:
            _add_nodes(f, dimension, key, node, year, total, colors, nodes)
