"""Shared pieces of every chart: the house layout, the reference line, label helpers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from report import colors as palette
from report.format import chart_text, money

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


_TICKS = ",~f"
"""Axis numbers with thousands separators and no trailing zeros: 1,500, 0.25."""


def figure(
    traces: Sequence[dict[str, Any]],
    title: str,
    x_title: str,
    y_title: str,
    years: np.ndarray | None = None,
    subtitle: str = "",
    *,
    layout: Mapping[str, Any] | None = None,
) -> go.Figure:
    """A figure with the house layout: title, axis titles, legend below, unified hover
    on time axes; no colours, so the Streamlit theme decides them. ``layout`` adds to the
    house layout or replaces parts of it, key by key (as ``update_layout`` would).

    The figure is built without Plotly's per-property validation, which took most of a
    chart's build time (2-30 ms a chart, on every slider move); the builders' figures are
    validated in full by the chart tests instead (``tests/dashboard/test_charts.py``).
    """
    # numbers on axes read like the cards' (1,500 beside USD 1,651.2M); years stay 2031
    xaxis: dict[str, Any] = {"title": {"text": _lines(x_title)}, "tickformat": _TICKS}
    if years is not None:
        xaxis.update(tickmode="array", tickvals=list(years), tickformat="d")
    house = {
        "title": {"text": _lines(title), "subtitle": {"text": _lines(subtitle)}},
        "xaxis": xaxis,
        "yaxis": {
            "title": {"text": _lines(y_title)},
            "rangemode": "tozero",
            "tickformat": _TICKS,
        },
        "legend": _LEGEND,
        # upright along the right edge: lying across the top it covered the title on a phone
        "modebar": {"orientation": "v"},
        "hovermode": "x unified" if years is not None else "closest",
        "margin": {"t": 90 if subtitle else 60, "r": 30},
    }
    return go.Figure(
        data=[_plain_trace(t) for t in traces],
        layout=_merged(house, layout or {}),
        _validate=False,
    )


def _lines(text: str) -> str:
    """Plain text for a title: each ``\n`` breaks the line (Plotly's ``<br>``), and
    nothing else in it is read as markup."""
    return "<br>".join(chart_text(line) for line in text.split("\n"))


def _merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra``'s keys; nested dicts are merged, anything else replaced."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


_TEXT_FIELDS = ("name", "legendgroup", "customdata", "labels", "x", "y", "hovertext")
"""Trace fields that may carry names from the file; ``text`` is escaped where it is built
(:func:`wrap`, the map's labels), since it holds line breaks of its own."""


def plain_labels(labels: Iterable[Any]) -> list[Any]:
    """Category names as the traces hold them (see :func:`figure`), for ``categoryarray``."""
    return [chart_text(v) if isinstance(v, str) else v for v in labels]


def _plain_trace(trace: dict[str, Any]) -> dict[str, Any]:
    """The trace with every string from a file shown as text: Plotly reads ``<b>`` in
    names and labels as HTML."""
    plain = dict(trace)
    for key in _TEXT_FIELDS:
        value = plain.get(key)
        if isinstance(value, str):
            plain[key] = chart_text(value)
        elif isinstance(value, list | tuple) and any(isinstance(v, str) for v in value):
            plain[key] = [chart_text(v) if isinstance(v, str) else v for v in value]
    return plain


def reference_line(x: float, label: str) -> dict[str, list[dict[str, Any]]]:
    """A dashed vertical yardstick at ``x`` with ``label`` written above the plot, as
    layout keys: ``figure(..., layout={..., **reference_line(x, label)})``."""
    line = {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": {"color": palette.NEUTRAL, "width": 2, "dash": "dash"},
    }
    text = {
        "x": x,
        "y": 1.0,
        "xref": "x",
        "yref": "paper",
        "yanchor": "bottom",
        "text": label,
        "showarrow": False,
    }
    return {"shapes": [line], "annotations": [text]}


def pick(colors: Mapping[str, str], name: str, position: int) -> str:
    """A segment's colour, or its palette slot by position when ``colors`` lacks it."""
    return colors.get(name) or palette.palette_color(position)


def input_text(value: float) -> str:
    """An assumption's value, which may be a %, pp or a weight: three significant digits."""
    return f"{value:.3g}" if np.isfinite(value) else "n/a"


def signed_money(value: float, unit: str) -> str:
    """A change in money with its sign: "+USD 12.0M", "-USD 3.4M"."""
    text = money(abs(value), unit)
    return f"+{text}" if value >= 0 else f"-{text}"


def wrap(text: str, width: int = 14) -> str:
    """Break a long label into lines of about ``width`` characters, at spaces, for tiles."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(chart_text(line) for line in lines)
