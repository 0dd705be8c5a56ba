"""Our opportunity: the market, the part we serve, and the revenue a share of it gives.

Both builders take the frames of :mod:`market.opportunity`: ``plan`` with the columns
``year, market, sam, share_pct, revenue`` and the revenue percentiles of its Monte Carlo.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from market.shares import share_of
from report import colors as palette
from report.charts.layout import figure
from report.charts.trajectories import _band, _edge
from report.format import money, pct

SAM_NAME = "Served market (SAM, dimensions assumed independent)"


def served_market(plan: pd.DataFrame, unit: str) -> go.Figure:
    """The market and the served market year by year, with the share of it served."""
    years = plan["year"].to_numpy()
    market, sam = plan["market"].to_numpy(), plan["sam"].to_numpy()
    served = 100 * share_of(sam, market)
    traces = [
        {
            "type": "bar",
            "x": years,
            "y": market,
            "name": "Market (modelled)",
            "width": 0.8,
            "marker": {"color": palette.NEUTRAL},
            "customdata": [f"Market: {money(v, unit)}" for v in market],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        {
            "type": "bar",
            "x": years,
            "y": sam,
            "name": SAM_NAME,
            "width": 0.5,
            "marker": {"color": palette.MODELLED},
            "customdata": [
                f"SAM: {money(v, unit)} ({pct(s)} of the market)"
                for v, s in zip(sam, served, strict=True)
            ],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
    ]
    return figure(
        traces,
        f"Market and served market ({unit})",
        "Year",
        f"Market size ({unit})",
        years=years,
        subtitle="SAM: your segments, dimensions assumed independent",
        layout={"barmode": "overlay"},
    )


def revenue_fan(
    band: pd.DataFrame,
    plan: pd.DataFrame,
    unit: str,
    target: tuple[float, int] | None = None,
    *,
    suggested: bool = False,
) -> go.Figure:
    """The revenue plan with its Monte Carlo range: p5-p95 and p10-p90 bands, the plan's
    own line, and the revenue target (value, year) as a marker if there is one: the
    user's, or ``suggested`` by the page (then labelled so, never "yours").

    ``band``: index ``year``, columns ``p5, p10, p50, p90, p95`` (market units).
    """
    years = band.index.to_numpy()
    p5, p10, p90, p95 = (band[c].to_numpy() for c in ("p5", "p10", "p90", "p95"))
    inner = [f"{money(lo, unit)} to {money(hi, unit)}" for lo, hi in zip(p10, p90, strict=True)]
    outer = [f"{money(lo, unit)} to {money(hi, unit)}" for lo, hi in zip(p5, p95, strict=True)]
    revenue = plan["revenue"].to_numpy()
    shares = plan["share_pct"].to_numpy()
    traces: list[dict[str, Any]] = [
        _edge(years, p95, "p5-p95"),
        _band(years, p5, "5-95% of paths", palette.BAND_OUTER, outer, 3),
        _edge(years, p90, "p10-p90"),
        _band(years, p10, "10-90% of paths", palette.BAND_INNER, inner, 2),
        {
            "type": "scatter",
            "x": plan["year"].to_numpy(),
            "y": revenue,
            "name": "Revenue plan (your share path)",
            "mode": "lines+markers",
            "line": {"color": palette.MODELLED, "width": 3},
            "legendrank": 1,
            "customdata": [
                f"Plan: {money(v, unit)} at {pct(s, 2)} of SAM"
                for v, s in zip(revenue, shares, strict=True)
            ],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
    ]
    if target is not None:
        value, year = target
        traces.append(
            {
                "type": "scatter",
                "x": [year],
                "y": [value],
                "name": "Revenue target (suggested)" if suggested else "Revenue target (yours)",
                "mode": "markers",
                "legendrank": 4,
                "marker": {"symbol": "star", "size": 16, "color": palette.REFERENCE},
                "customdata": [
                    f"{'Suggested target' if suggested else 'Target'}: {money(value, unit)} "
                    f"in {year}"
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    return figure(
        traces,
        f"Our revenue, {years[0]}-{years[-1]} ({unit})",
        "Year",
        f"Revenue ({unit})",
        years=years,
        subtitle="Band: assumed market uncertainty. Line: your plan",
    )
