"""Plotly figures for the dashboard: pure functions, forecast frames in, ``go.Figure`` out.

Conventions every builder keeps, so pages stay thin and both Streamlit themes read:
- a title, axis titles naming the unit (or the title does, for charts without axes),
  hover labels with the value formatted by :mod:`dashboard.format` and the share where
  it means something, and segment colours from :mod:`dashboard.colors`;
- no background, font or template colours: ``st.plotly_chart(theme="streamlit")`` styles
  them for the light and the dark theme alike;
- figures are built from plain dicts and lists (numpy arrays via ``to_numpy``) because
  they are rebuilt on every slider move; no builder calls Streamlit.

Colour arguments accept either the whole :func:`dashboard.colors.segment_colors` result
or one dimension's mapping; a segment missing from it gets its palette slot by position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import colors as palette
from dashboard.format import money, money_axis_title, pct, pp, signed_pct
from dashboard.geography import REGION_LABEL_POSITIONS, countries_for, region_key
from market.model import Forecast, implied_cagr_pct

__all__ = [
    "MAP_CONFIG",
    "fan",
    "heatmap",
    "hierarchy",
    "region_map",
    "scenario_lines",
    "segment_cagr_bars",
    "share_bars",
    "stacked_area",
    "tornado",
    "trajectory",
    "waterfall",
]

MOVED_TOLERANCE = 0.0005
"""The modelled horizon value counts as moved from the report's when it differs by more
than 0.05 %: the report rounds its figures, so its own CAGR misses them by less."""

Colors = Mapping[str, Mapping[str, str]] | Mapping[str, str]
Series = Mapping[int, float]

_LEGEND = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "xanchor": "left",
    "x": 0,
}
"""Legend under the chart, anchored to the container's bottom: Plotly then grows the bottom
margin to fit it, so a legend that wraps in a narrow column never covers the title or
the axis title (a legend above the plot did, once it wrapped to two rows)."""
_DASHES = ("solid", "dash", "dot", "dashdot")


# --- Trajectories --------------------------------------------------------------------------


def trajectory(
    f: Forecast,
    reported: Series | None,
    reference: Series | None = None,
) -> go.Figure:
    """The market size year by year: the model's line, the source's figures, and the
    report's own trajectory once the user's assumptions move the horizon away from it.

    ``reported``: year -> the source's figure (drawn as dark diamonds, a separate trace).
    ``reference``: year -> the report's trajectory (its base value at its CAGR); drawn
    dashed from the base year only when the modelled horizon value differs from the
    reported one (or, without one, from the reference's) by more than 0.05 %.
    """
    years, values = f.totals.index.to_numpy(), f.totals["value"].to_numpy()
    modelled = f.totals["modelled"].to_numpy(dtype=bool)
    traces = [*_reported_trace(reported, f.unit)]
    traces.append(_history_trace(years, values, modelled))
    traces.append(_modelled_trace(f, years[modelled], values[modelled]))
    if reference and _moved(f, reported, reference):
        traces.append(_reference_trace(reference, f.base_year, f.unit))
    title = f"Market size, {years[0]}-{years[-1]} ({f.unit})"
    return _figure(traces, title, "Year", money_axis_title(f.unit), years=years)


def fan(
    sim: Any,
    f: Forecast,
    reported: Series | None,
    reference: Series | None = None,
) -> go.Figure:
    """The Monte Carlo range around the forecast: p5-p95 and p10-p90 bands, the median,
    the report's trajectory (always, as the yardstick) and the reported figures.

    ``sim`` is a :class:`market.risk.Simulation`: ``totals`` (index year; columns p5, p10,
    p50, p90, p95), ``paths``, ``target`` and ``probability_of_target``.
    """
    band = sim.totals
    years = band.index.to_numpy()
    p5, p10, p50, p90, p95 = (band[c].to_numpy() for c in ("p5", "p10", "p50", "p90", "p95"))
    unit = f.unit
    inner = [f"{money(lo, unit)} to {money(hi, unit)}" for lo, hi in zip(p10, p90, strict=True)]
    outer = [f"{money(lo, unit)} to {money(hi, unit)}" for lo, hi in zip(p5, p95, strict=True)]
    traces: list[dict[str, Any]] = [
        _edge(years, p95, "p5-p95"),
        _band(years, p5, "5-95% of paths", palette.BAND_OUTER, outer, 3),
        _edge(years, p90, "p10-p90"),
        _band(years, p10, "10-90% of paths", palette.BAND_INNER, inner, 2),
        {
            "type": "scatter",
            "x": years,
            "y": p50,
            "name": "Median (p50)",
            "mode": "lines",
            "line": {"color": palette.MODELLED, "width": 3},
            "legendrank": 1,
            "customdata": [f"Median: {money(v, unit)}" for v in p50],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
    ]
    if reference:
        traces.append(_reference_trace(reference, f.base_year, unit))
    traces.extend(_reported_trace(reported, unit))
    title = f"Market size range, {years[0]}-{years[-1]} ({unit})"
    subtitle = _fan_subtitle(sim, f)
    return _figure(traces, title, "Year", money_axis_title(unit), years=years, subtitle=subtitle)


def scenario_lines(
    forecasts: Mapping[str, Forecast],
    reported: Series | None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Several scenarios' trajectories on one chart, each with its own colour and dash (so
    they stay apart in greyscale too), and the reported figures.

    ``colors``: scenario name -> colour; by default :func:`dashboard.colors.scenario_colors`
    in the order given, so the same call elsewhere matches.
    """
    if not forecasts:
        raise ValueError("scenario_lines needs at least one forecast")
    chosen = colors or palette.scenario_colors(forecasts)
    first = next(iter(forecasts.values()))
    traces: list[dict[str, Any]] = []
    for i, (name, f) in enumerate(forecasts.items()):
        years, values = f.totals.index.to_numpy(), f.totals["value"].to_numpy()
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": values,
                "name": name,
                "mode": "lines+markers",
                "legendrank": 1 + i,
                "line": {
                    "color": _pick(chosen, name, i),
                    "width": 2.5,
                    "dash": _DASHES[i % len(_DASHES)],
                },
                "marker": {"size": 6},
                "customdata": [f"{name}: {money(v, f.unit)}" for v in values],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    traces.extend(_reported_trace(reported, first.unit))
    years = first.totals.index.to_numpy()
    title = f"Scenarios compared, {years[0]}-{years[-1]} ({first.unit})"
    return _figure(traces, title, "Year", money_axis_title(first.unit), years=years)


def _modelled_trace(f: Forecast, years: np.ndarray, values: np.ndarray) -> dict[str, Any]:
    growth = f.totals["growth_pct"].to_numpy()[-len(years) :]
    hover = [
        f"Modelled: {money(v, f.unit)}" + (f" ({signed_pct(g)} a year)" if np.isfinite(g) else "")
        for v, g in zip(values, growth, strict=True)
    ]
    labels = [""] * (len(values) - 1) + [money(values[-1], f.unit)]
    return {
        "type": "scatter",
        "x": years,
        "y": values,
        "name": "Modelled",
        "legendrank": 1,
        "mode": "lines+markers+text",
        "text": labels,
        "textposition": "top left",
        "line": {"color": palette.MODELLED, "width": 3},
        "marker": {"size": 7},
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def _history_trace(years: np.ndarray, values: np.ndarray, modelled: np.ndarray) -> dict[str, Any]:
    """Years before the base year, dotted, joined to the base year: reported, not modelled."""
    upto = int(np.argmax(modelled)) + 1 if modelled.any() else len(years)
    return {
        "type": "scatter",
        "x": years[:upto],
        "y": values[:upto],
        "name": "History (reported)",
        "mode": "lines",
        "line": {"color": palette.MODELLED, "width": 2.5, "dash": "dot"},
        "hoverinfo": "skip",
        "legendrank": 2,
        "showlegend": upto > 1,
    }


def _reported_trace(reported: Series | None, unit: str) -> list[dict[str, Any]]:
    """The source's figures: large dark diamonds with a light rim (reads on both themes),
    drawn first so the model's markers sit inside them where the two agree."""
    if not reported:
        return []
    years = sorted(reported)
    values = [float(reported[y]) for y in years]
    return [
        {
            "type": "scatter",
            "x": years,
            "y": values,
            "name": "Reported (source)",
            "mode": "markers",
            "legendrank": 3,
            "marker": {
                "symbol": "diamond",
                "size": 16,
                "color": palette.REPORTED,
                "line": {"color": palette.REPORTED_RIM, "width": 1.5},
            },
            "customdata": [f"Reported: {money(v, unit)}" for v in values],
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    ]


def _reference_trace(reference: Series, base_year: int, unit: str) -> dict[str, Any]:
    years = sorted(y for y in reference if y >= base_year)
    values = [float(reference[y]) for y in years]
    return {
        "type": "scatter",
        "x": years,
        "y": values,
        "name": "Report's trajectory",
        "mode": "lines",
        "legendrank": 4,
        "line": {"color": palette.REFERENCE, "width": 2, "dash": "dash"},
        "customdata": [f"Report's trajectory: {money(v, unit)}" for v in values],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def _moved(f: Forecast, reported: Series | None, reference: Series) -> bool:
    """Whether the modelled horizon value differs from the report's by more than 0.05 %."""
    anchor = (reported or {}).get(f.horizon, reference.get(f.horizon))
    if anchor is None or anchor == 0:
        return False
    return abs(f.horizon_value / anchor - 1.0) > MOVED_TOLERANCE


def _edge(years: np.ndarray, values: np.ndarray, group: str) -> dict[str, Any]:
    """The invisible upper edge of a band; the next trace fills down to it."""
    return {
        "type": "scatter",
        "x": years,
        "y": values,
        "mode": "lines",
        "legendgroup": group,
        "line": {"width": 0},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _band(
    years: np.ndarray, lower: np.ndarray, name: str, fill: str, text: list[str], rank: int
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": years,
        "y": lower,
        "name": name,
        "mode": "lines",
        "legendgroup": "p10-p90" if rank == 2 else "p5-p95",
        "legendrank": rank,
        "fill": "tonexty",
        "fillcolor": fill,
        "line": {"width": 0},
        "customdata": [f"{name}: {t}" for t in text],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def _fan_subtitle(sim: Any, f: Forecast) -> str:
    paths = f"{sim.paths:,} simulated paths" if isinstance(sim.paths, int) else "Simulated paths"
    if sim.target is None or sim.probability_of_target is None:
        return paths
    return (
        f"{paths}; {pct(100 * sim.probability_of_target, 0)} reach the reported "
        f"{money(sim.target, f.unit)} by {f.horizon}"
    )


# --- Segments --------------------------------------------------------------------------------


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
    shares = values / values.sum(axis=1, keepdims=True)
    chosen = palette.colors_for(colors, dimension_id)
    traces = []
    for i, name in enumerate(frame.columns):
        color = _pick(chosen, name, i)
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
    fig = _figure(traces, title, "Year", money_axis_title(f.unit), years=years)
    fig.update_layout(legend_traceorder="reversed")
    return fig


def share_bars(
    f: Forecast,
    dimension_id: str,
    dimension_name: str,
    year: int,
    colors: Colors,
    parent_id: str = "",
) -> go.Figure:
    """Each segment's share of the market in ``year``, one horizontal bar per segment, in
    file order; the value is in the label and the hover. The segment names on the axis
    serve as the legend."""
    row = f.by(dimension_id, parent_id).loc[year]
    names, values = list(row.index), row.to_numpy()
    shares = 100 * values / values.sum()
    chosen = palette.colors_for(colors, dimension_id)
    traces = [
        _segment_bar(
            name,
            _pick(chosen, name, i),
            length=share,
            label=pct(share),
            hover=f"{name}: {pct(share)} of the market, {money(value, f.unit)}",
        )
        for i, (name, value, share) in enumerate(zip(names, values, shares, strict=True))
    ]
    title = f"{dimension_name}: share of the market in {year}"
    fig = _figure(traces, title, f"Share of the {year} market (%)", dimension_name)
    fig.update_layout(
        xaxis={"range": [0, max(shares) * 1.2], "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": names},
        hovermode="closest",
        bargap=0.3,
    )
    return fig


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
            _pick(chosen, name, i),
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
    fig = _figure(traces, title, f"CAGR {span} (% a year)", dimension_name)
    gaps = np.abs(rates - reference)  # NaN for a segment with no value in the base year
    spread = max(float(np.nanmax(gaps)) if np.isfinite(gaps).any() else 0.0, 0.5)
    fig.update_layout(
        xaxis={"range": [reference - 1.5 * spread, reference + 1.5 * spread], "ticksuffix": "%"},
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": list(frame.columns),
        },
        hovermode="closest",
        bargap=0.3,
        shapes=[_vline(reference)],
        annotations=[
            {
                "x": reference,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"{against} {pct(reference)}",
                "showarrow": False,
            }
        ],
    )
    return fig


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
    total = float(f.totals.at[year, "value"])
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
        "text": [_wrap(label) for label in nodes.labels],
        "texttemplate": "%{text}<br>%{percentRoot:.1%}",
        "textposition": "middle center",
        "tiling": {"pad": 2},
        "pathbar": {"visible": False},
    }
    title = f"{dimension_name} breakdown, {year} ({f.unit})"
    fig = _figure([trace], title, "", "")
    fig.update_layout(margin={"l": 10, "r": 10, "b": 10})
    return fig


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
    parent_value = float(row.sum())
    for i, (segment_id, name) in enumerate(zip(group.ids, row.index, strict=True)):
        value = float(row.iloc[i])
        node = f"{parent_node}/{segment_id}"
        has_children = (dimension, segment_id) in f.groups
        of_parent = f"{pct(100 * value / parent_value)} of {group.parent}, " if parent_id else ""
        nodes.ids.append(node)
        nodes.labels.append(name)
        nodes.parents.append(parent_node or "root")
        nodes.values.append(0.0 if has_children else value)
        nodes.colors.append(_pick(colors, name, i))
        nodes.hover.append(
            f"{name}: {money(value, f.unit)} ({of_parent}{pct(100 * value / total)} of the market)"
        )
        if has_children:
            _add_nodes(f, dimension, segment_id, node, year, total, colors, nodes)


# --- Regions ---------------------------------------------------------------------------------


MAP_CONFIG = {"topojsonURL": "app/static/topojson/"}
"""Pass as ``st.plotly_chart(..., config=MAP_CONFIG)``: Plotly reads the world geometry from
the app's own static folder (``static/topojson``) instead of its CDN, which an internal
host cannot reach. Relative, so it also works under a path prefix."""


def region_map(
    f: Forecast,
    dimension_id: str,
    year: int,
    colors: Colors,
    dimension_name: str = "region",
) -> go.Figure:
    """A world map where every country of a region carries the region's value in ``year``,
    coloured by value on a colour-blind-safe sequential scale, with each region labelled
    (beside a dot in its segment colour). Regions whose names match no known world region
    are listed under the map instead of being silently dropped."""
    row = f.by(dimension_id).loc[year]
    total = float(row.sum())
    chosen = palette.colors_for(colors, dimension_id)
    locations: list[str] = []
    z: list[float] = []
    hover: list[str] = []
    labels: dict[str, list[Any]] = {"lon": [], "lat": [], "text": [], "color": []}
    unplaced: list[str] = []
    for i, (name, value) in enumerate(row.items()):
        text = f"{name}: {money(value, f.unit)} ({pct(100 * value / total)})"
        codes = countries_for(name)
        if not codes:
            unplaced.append(text)
            continue
        locations.extend(codes)
        z.extend([float(value)] * len(codes))
        hover.extend([text] * len(codes))
        lon, lat = REGION_LABEL_POSITIONS[region_key(name)]
        labels["lon"].append(lon)
        labels["lat"].append(lat)
        labels["text"].append(f"{name}<br>{money(value, f.unit, 0)}")
        labels["color"].append(_pick(chosen, name, i))
    traces = [_choropleth(locations, z, hover, f.unit), _region_labels(labels)]
    title = f"Market by {dimension_name.lower()}, {year} ({f.unit})"
    fig = _figure(traces, title, "", "")
    fig.update_layout(geo=_GEO, margin={"l": 0, "r": 0, "b": 0}, hovermode="closest")
    if unplaced:
        fig.add_annotation(
            text="Not on the map: " + "; ".join(unplaced),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
        )
    return fig


_GEO = {
    "projection": {"type": "natural earth"},
    "showframe": False,
    "showcoastlines": False,
    "showland": True,
    "landcolor": "rgba(140, 140, 140, 0.2)",
    "showcountries": True,
    "countrycolor": "rgba(140, 140, 140, 0.5)",
    "bgcolor": "rgba(0, 0, 0, 0)",
    "lataxis": {"range": [-57, 84]},
}


_HALO = "0 0 2px #000, 0 0 3px #000, 0 0 4px #000"
"""A dark halo around the white map labels: they sit on fills from the whole colour scale,
on either theme, so they carry their own contrast instead of the theme's text colour."""


def _choropleth(locations: list[str], z: list[float], hover: list[str], unit: str) -> dict:
    return {
        "type": "choropleth",
        "locationmode": "ISO-3",
        "locations": locations,
        "z": z,
        "colorscale": [list(stop) for stop in palette.SEQUENTIAL],
        "name": "Market size",
        "marker": {"line": {"color": "rgba(140, 140, 140, 0.6)", "width": 0.4}},
        "colorbar": {"title": {"text": unit}, "thickness": 12, "len": 0.7},
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "showlegend": False,
    }


def _region_labels(labels: dict[str, list[Any]]) -> dict[str, Any]:
    return {
        "type": "scattergeo",
        "lon": labels["lon"],
        "lat": labels["lat"],
        "text": labels["text"],
        "mode": "markers+text",
        "textposition": "middle right",
        "marker": {"size": 10, "color": labels["color"], "line": {"width": 1, "color": "white"}},
        "textfont": {"size": 12, "color": "#FFFFFF", "shadow": _HALO},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def heatmap(
    table: pd.DataFrame,
    row_title: str,
    column_title: str,
    unit: str,
    year: int,
) -> go.Figure:
    """A crosstab (see :func:`market.crosstab.crosstab`) as a labelled heatmap: each cell's
    value written in it, its share of the market and of its row in the hover."""
    values = table.to_numpy(dtype=float)
    of_market = 100 * _safe_share(values, values.sum())
    of_row = 100 * _safe_share(values, values.sum(axis=1, keepdims=True))
    rows, columns = [str(r) for r in table.index], [str(c) for c in table.columns]
    text = [[money(v, unit, 0) for v in line] for line in values]
    hover = [
        [
            f"{r} × {c}: {money(values[i, j], unit)} ({pct(of_market[i, j])} of the market, "
            f"{pct(of_row[i, j])} of {r})"
            for j, c in enumerate(columns)
        ]
        for i, r in enumerate(rows)
    ]
    trace = {
        "type": "heatmap",
        "z": values,
        "x": columns,
        "y": rows,
        "name": "Market size",
        "colorscale": [list(stop) for stop in palette.SEQUENTIAL],
        "text": text,
        "texttemplate": "%{text}",
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "colorbar": {"title": {"text": unit}, "thickness": 12},
        "xgap": 2,
        "ygap": 2,
    }
    title = f"{row_title} × {column_title}, {year} ({unit})"
    subtitle = "Assumes the two dimensions are independent"
    fig = _figure([trace], title, column_title, row_title, subtitle=subtitle)
    fig.update_layout(
        xaxis={"tickmode": "array", "tickvals": columns, "ticktext": [_wrap(c) for c in columns]},
        yaxis={"autorange": "reversed"},
        hovermode="closest",
    )
    return fig


# --- Risk and scenarios ----------------------------------------------------------------------


def tornado(table: pd.DataFrame, unit: str, target_label: str) -> go.Figure:
    """How far each assumption swings the target: bars from the base value to the value
    at the assumption's low and at its high end, largest swing at the top.

    ``table``: :func:`market.risk.sensitivity` (columns path, label, low_input,
    high_input, base_input, low_value, high_value, base_value, swing). ``target_label``
    names the value, e.g. "Market size in 2031".
    """
    ordered = table.sort_values("swing", ascending=False, kind="stable")
    labels = [
        f"{label} ({_input(lo)} to {_input(hi)})"
        for label, lo, hi in zip(
            ordered["label"], ordered["low_input"], ordered["high_input"], strict=True
        )
    ]
    base = float(ordered["base_value"].iloc[0]) if len(ordered) else 0.0
    traces = [
        _tornado_side(ordered, labels, "low", unit, base),
        _tornado_side(ordered, labels, "high", unit, base),
    ]
    title = f"{target_label}: what moves it most ({unit})"
    fig = _figure(traces, title, f"{target_label} ({unit})", "Assumption (low to high)")
    fig.update_layout(
        barmode="overlay",
        bargap=0.35 if len(labels) > 3 else 0.6,
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": labels,
            "automargin": True,
        },
        hovermode="closest",
        shapes=[_vline(base)],
        annotations=[
            {
                "x": base,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"Base {money(base, unit)}",
                "showarrow": False,
            }
        ],
    )
    return fig


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
            f"{label} at {_input(x)}: {money(v, unit)} ({_signed_money(v - base, unit)})"
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
) -> go.Figure:
    """A bridge from one scenario's value to another's, one bar per changed assumption.

    ``bridge_table``: :func:`market.risk.bridge` (columns label, path, kind, from_input,
    to_input, value); ``start`` and ``end`` rows are levels, ``step`` rows are changes.
    Horizontal, so long assumption names stay readable; increases blue, decreases orange.
    ``year`` (the bridged value's year, usually the horizon) goes into the title.
    """
    kinds = bridge_table["kind"].tolist()
    measures = [_MEASURE[k] for k in kinds]
    values = bridge_table["value"].to_numpy()
    labels = [
        from_name if k == "start" else to_name if k == "end" else str(label)
        for k, label in zip(kinds, bridge_table["label"], strict=True)
    ]
    labels = _unique(labels)
    text = [
        money(v, unit) if k != "step" else _signed_money(v, unit)
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
    title = f"Bridge: {from_name} to {to_name}{when} ({unit})"
    fig = _figure([trace], title, money_axis_title(unit), "Step")
    levels = np.cumsum(np.where(np.array(kinds) == "end", 0.0, values))
    fig.update_layout(
        # room on the right for the labels written outside the longest bars
        xaxis={"range": [min(0.0, levels.min()) * 1.25, max(0.0, levels.max()) * 1.25]},
        yaxis={"autorange": "reversed", "automargin": True},
        hovermode="closest",
    )
    return fig


_MEASURE = {"start": "absolute", "step": "relative", "end": "total"}


def _bridge_hover(row: Any, unit: str) -> str:
    if row.kind == "start":
        return f"Start: {money(row.value, unit)}"
    if row.kind == "end":
        return f"End: {money(row.value, unit)}"
    return (
        f"{row.label}: {_input(row.from_input)} to {_input(row.to_input)}, "
        f"{_signed_money(row.value, unit)}"
    )


# --- Shared pieces ---------------------------------------------------------------------------


def _figure(
    traces: Sequence[dict[str, Any]],
    title: str,
    x_title: str,
    y_title: str,
    years: np.ndarray | None = None,
    subtitle: str = "",
) -> go.Figure:
    """A figure with the house layout: title, axis titles, legend below, unified hover
    on time axes; no colours, so the Streamlit theme decides them."""
    xaxis: dict[str, Any] = {"title": {"text": x_title}}
    if years is not None:
        xaxis.update(tickmode="array", tickvals=list(years), tickformat="d")
    layout = {
        "title": {"text": title, "subtitle": {"text": subtitle}},
        "xaxis": xaxis,
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "legend": _LEGEND,
        "hovermode": "x unified" if years is not None else "closest",
        "margin": {"t": 90 if subtitle else 60, "r": 30},
    }
    return go.Figure(data=list(traces), layout=layout)


def _safe_share(part: np.ndarray, whole: np.ndarray | float) -> np.ndarray:
    """``part / whole``, NaN (shown as "n/a") where the whole is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole != 0, np.divide(part, whole), np.nan)


def _vline(x: float) -> dict[str, Any]:
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": {"color": palette.NEUTRAL, "width": 2, "dash": "dash"},
    }


def _pick(colors: Mapping[str, str], name: str, position: int) -> str:
    return colors.get(name) or palette.palette_color(position)


def _input(value: float) -> str:
    """An assumption's value, which may be a %, pp or a weight: three significant digits."""
    return f"{value:.3g}" if np.isfinite(value) else "n/a"


def _signed_money(value: float, unit: str) -> str:
    text = money(abs(value), unit)
    return f"+{text}" if value >= 0 else f"-{text}"


def _unique(labels: list[str]) -> list[str]:
    """Category labels made distinct (a bar chart merges equal categories)."""
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result


def _wrap(text: str, width: int = 14) -> str:
    """Break a long label into lines of about ``width`` characters, at spaces, for tiles."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)
