"""Where the market is: the world map of regions and the two-dimension crosstab heatmap."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from market.model import Forecast, as_float
from market.shares import share_of
from report import colors as palette
from report.charts.layout import Colors, figure, pick, plain_labels, wrap
from report.format import chart_text, money, pct
from report.geography import REGION_LABEL_POSITIONS, countries_for, region_key

MAP_CONFIG = {"topojsonURL": "app/static/topojson/"}
"""Pass as ``chart_element.show(..., config=MAP_CONFIG)``: Plotly reads the world geometry from
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
    total = as_float(row.sum())
    chosen = palette.colors_for(colors, dimension_id)
    locations: list[str] = []
    z: list[float] = []
    hover: list[str] = []
    labels: list[dict[str, Any]] = []
    unplaced: list[str] = []
    for i, (label, value) in enumerate(row.items()):
        name = str(label)
        text = f"{name}: {money(value, f.unit)} ({pct(100 * float(share_of(value, total)))})"
        codes, key = countries_for(name), region_key(name)
        if not codes or key is None:
            unplaced.append(text)
            continue
        locations.extend(codes)
        z.extend([float(value)] * len(codes))
        hover.extend([text] * len(codes))
        labels.append(_region_label(name, money(value, f.unit, 0), key, pick(chosen, name, i)))
    traces = [_choropleth(locations, z, hover, f.unit), *labels]
    title = f"Market by {dimension_name.lower()}, {year} ({f.unit})"
    layout: dict[str, Any] = {
        "geo": _GEO,
        "margin": {"l": 0, "r": 0, "b": 0},
        "hovermode": "closest",
        # a phone's column: names beside the dots would overlap and run off the map, so
        # they move to a legend under it (the dots' colours), and the colour bar gives the
        # map its width (dashboard/chart_element.js draws this variant)
        "meta": {
            "narrow": {
                "data": [{"showscale": False}]
                + [{"mode": "markers", "showlegend": True} for _ in labels],
            }
        },
    }
    if unplaced:
        note = {
            "text": "Not on the map: " + "; ".join(unplaced),
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "top",
        }
        layout["annotations"] = [note]
    return figure(traces, title, "", "", layout=layout)


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


def _choropleth(
    locations: list[str], z: list[float], hover: list[str], unit: str
) -> dict[str, Any]:
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


def _region_label(name: str, amount: str, key: str, color: str) -> dict[str, Any]:
    """A region's dot at its place on the map, its name and amount beside it; on a phone
    (the figure's narrow variant) the dot alone, named in the legend."""
    lon, lat = REGION_LABEL_POSITIONS[key]
    return {
        "type": "scattergeo",
        "lon": [lon],
        "lat": [lat],
        "text": [f"{chart_text(name)}<br>{chart_text(amount)}"],
        "name": f"{name}: {amount}",
        "mode": "markers+text",
        "textposition": "middle right",
        "marker": {"size": 10, "color": color, "line": {"width": 1, "color": "white"}},
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
    of_market = 100 * share_of(values, values.sum())
    of_row = 100 * share_of(values, values.sum(axis=1, keepdims=True))
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
    layout = {
        "xaxis": {
            "tickmode": "array",
            "tickvals": plain_labels(columns),
            "ticktext": [wrap(c) for c in columns],
        },
        "yaxis": {"autorange": "reversed"},
        "hovermode": "closest",
    }
    return figure([trace], title, column_title, row_title, subtitle=subtitle, layout=layout)
