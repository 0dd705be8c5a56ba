"""The market over time: the forecast against the report, the Monte Carlo fan, scenarios."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from market.model import Forecast, matches_report
from market.risk import Simulation
from report import colors as palette
from report.charts.layout import Series, figure, pick
from report.format import money, money_axis_title, pct, signed_pct

_DASHES = ("solid", "dash", "dot", "dashdot")


def trajectory(
    f: Forecast,
    reported: Series | None,
    reference: Series | None = None,
) -> go.Figure:
    """The market size year by year: the model's line, the source's figures, and the
    report's own trajectory once the user's assumptions move the horizon away from it.

    ``reported``: year -> the source's figure (drawn as dark diamonds, a separate trace;
    ``f.reference`` names who states it).
    ``reference``: year -> the report's trajectory (its base value at its CAGR); drawn
    dashed from the base year only when the modelled horizon value differs from the
    reported one (or, without one, from the reference's): see :func:`market.model.matches_report`.
    Actual figures (the forecast's ``actual`` column) are green triangles of their own,
    their hover giving the drift from the model.
    """
    years, values = f.totals.index.to_numpy(), f.totals["value"].to_numpy()
    modelled = f.totals["modelled"].to_numpy(dtype=bool)
    forecast_years = years >= f.base_year
    source = f.reference.label
    traces = [*_reported_trace(reported, f.unit, source)]
    traces.append(_history_trace(years, values, modelled, f.base_year, source))
    traces.append(_modelled_trace(f, years[forecast_years], values[forecast_years]))
    traces.extend(_actual_trace(f))
    if reference and _moved(f, reported, reference):
        traces.append(_reference_trace(reference, f.base_year, f.unit))
    title = f"Market size, {years[0]}-{years[-1]} ({f.unit})"
    return figure(traces, title, "Year", money_axis_title(f.unit), years=years)


def growth_rates(f: Forecast) -> go.Figure:
    """Every year's growth rate, the trajectory's companion: bars for the modelled years
    (the growth shape at work), lighter bars for the history the source reports, and the
    CAGR from base to horizon as a dashed line (its compound average).

    Each bar stands at the year it grows into: the bar at 2025 is 2024 to 2025.
    """
    totals = f.totals
    rates = totals["growth_pct"]
    years = totals.index.to_numpy()
    modelled = (years > f.base_year) & np.isfinite(rates.to_numpy())
    history = (years <= f.base_year) & np.isfinite(rates.to_numpy())
    traces: list[dict[str, Any]] = []
    if history.any():
        traces.append(_rate_bars(years[history], rates.to_numpy()[history], "History (reported)"))
    traces.append(_rate_bars(years[modelled], rates.to_numpy()[modelled], "Modelled"))
    span = years[modelled]
    traces.append(
        {
            "type": "scatter",
            "x": [span[0] - 0.5, span[-1] + 0.5],
            "y": [f.cagr_pct, f.cagr_pct],
            "name": f"CAGR {f.base_year}-{f.horizon}",
            "mode": "lines",
            "legendrank": 3,
            "line": {"color": palette.NEUTRAL, "width": 2, "dash": "dash"},
            "customdata": [f"CAGR {f.base_year}-{f.horizon}: {pct(f.cagr_pct, 2)}"] * 2,
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    )
    title = f"Growth each year, {years[0] + 1}-{years[-1]} (% a year)"
    return figure(
        traces,
        title,
        "Year",
        "Growth (% a year)",
        years=years[1:],
        layout={
            "height": 300,
            "yaxis": {"range": _headroom([*rates.to_numpy()[history | modelled], f.cagr_pct])},
            "hovermode": "closest",
            "uniformtext": {"minsize": 10, "mode": "hide"},
        },
    )


def _headroom(values: list[float]) -> list[float]:
    """The growth axis's range: zero and every rate, with room beyond the tallest bar and
    the CAGR line, so neither meets the chart's edge as if cut off."""
    low, high = min(0.0, *values), max(0.0, *values)
    room = 0.12 * ((high - low) or 1.0)
    return [float(low - room) if low < 0 else 0.0, float(high + room)]


def _rate_bars(years: np.ndarray, rates: np.ndarray, name: str) -> dict[str, Any]:
    history = name.startswith("History")
    return {
        "type": "bar",
        "x": years,
        "y": rates,
        "name": name,
        "legendrank": 2 if history else 1,
        "marker": {"color": palette.BAND_INNER if history else palette.MODELLED},
        "text": [pct(r) for r in rates],
        # inside the bar's top: hidden where a narrow bar cannot hold it (a phone), rather
        # than overlapping its neighbour's or the CAGR line
        "textposition": "inside",
        "insidetextanchor": "end",
        "customdata": [
            f"{y - 1}-{y}: {signed_pct(r)} ({'reported' if history else 'modelled'})"
            for y, r in zip(years, rates, strict=True)
        ],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def fan(
    sim: Simulation,
    f: Forecast,
    reported: Series | None,
    reference: Series | None = None,
) -> go.Figure:
    """The Monte Carlo range around the forecast: p5-p95 and p10-p90 bands, the median,
    the report's trajectory (always, as the yardstick) and the reported figures.

    ``sim``: its ``totals`` (index year; columns p5, p10, p50, p90, p95), ``paths``,
    ``target`` and ``probability_of_target``.
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
    traces.extend(_reported_trace(reported, unit, f.reference.label))
    title = f"Market size range, {years[0]}-{years[-1]} ({unit})"
    subtitle = _fan_subtitle(sim, f)
    return figure(traces, title, "Year", money_axis_title(unit), years=years, subtitle=subtitle)


def scenario_lines(
    forecasts: Mapping[str, Forecast],
    reported: Series | None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Several scenarios' trajectories on one chart, each with its own colour and dash (so
    they stay apart in greyscale too), and the reported figures.

    ``colors``: scenario name -> colour; by default :func:`report.colors.scenario_colors`
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
                    "color": pick(chosen, name, i),
                    "width": 2.5,
                    "dash": _DASHES[i % len(_DASHES)],
                },
                "marker": {"size": 6},
                "customdata": [f"{name}: {money(v, f.unit)}" for v in values],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    traces.extend(_reported_trace(reported, first.unit, first.reference.label))
    years = first.totals.index.to_numpy()
    title = f"Scenarios compared, {years[0]}-{years[-1]} ({first.unit})"
    return figure(traces, title, "Year", money_axis_title(first.unit), years=years)


def _modelled_trace(f: Forecast, years: np.ndarray, values: np.ndarray) -> dict[str, Any]:
    """The model's line from the base year (whose value may be the source's own figure)."""
    growth = f.totals["growth_pct"].to_numpy()[-len(years) :]
    modelled = f.totals["modelled"].to_numpy(dtype=bool)[-len(years) :]
    hover = [
        (f"Modelled: {money(v, f.unit)}" if m else f"Reported: {money(v, f.unit)}")
        + (f" ({signed_pct(g)} a year)" if np.isfinite(g) else "")
        for v, g, m in zip(values, growth, modelled, strict=True)
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


def _history_trace(
    years: np.ndarray, values: np.ndarray, modelled: np.ndarray, base_year: int, source: str
) -> dict[str, Any]:
    """Years before the base year, dotted, joined to the base year; named for what they
    are: the figures ``source`` states, or grown back from the base year where it states
    none (so one source's history is never joined to another's base year unsaid)."""
    upto = int(np.searchsorted(years, base_year)) + 1
    before = modelled[: upto - 1]
    if not before.any():
        name = f"History (reported by {source})"
    elif before.all():
        name = f"History (modelled: {source} states none)"
    else:
        name = f"History (reported by {source} where it states a figure)"
    return {
        "type": "scatter",
        "x": years[:upto],
        "y": values[:upto],
        "name": name,
        "mode": "lines",
        "line": {"color": palette.MODELLED, "width": 2.5, "dash": "dot"},
        "hoverinfo": "skip",
        "legendrank": 2,
        "showlegend": upto > 1,
    }


def _reported_trace(reported: Series | None, unit: str, source: str) -> list[dict[str, Any]]:
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
            "name": f"Reported ({source})",
            "mode": "markers",
            "legendrank": 3,
            "marker": {
                "symbol": "diamond",
                "size": 16,
                "color": palette.REPORTED,
                "line": {"color": palette.REPORTED_RIM, "width": 1.5},
            },
            "customdata": [f"Reported by {source}: {money(v, unit)}" for v in values],
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    ]


def _actual_trace(f: Forecast) -> list[dict[str, Any]]:
    """Actual figures, drawn over the line: a green triangle with a light rim (see
    :data:`report.colors.ACTUAL`), the drift from the model in the hover."""
    drifts = f.drifts
    if not drifts:
        return []
    return [
        {
            "type": "scatter",
            "x": [d.year for d in drifts],
            "y": [d.actual for d in drifts],
            "name": "Actual",
            "mode": "markers",
            "legendrank": 2,
            "marker": {
                "symbol": "triangle-up",
                "size": 15,
                "color": palette.ACTUAL,
                "line": {"color": palette.ACTUAL_RIM, "width": 1.5},
            },
            "customdata": [
                f"Actual: {money(d.actual, f.unit)} ({signed_pct(d.pct, 2)} vs the modelled "
                f"{money(d.modelled, f.unit)})"
                for d in drifts
            ],
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
    """Whether the modelled horizon value no longer matches the report's."""
    anchor = (reported or {}).get(f.horizon, reference.get(f.horizon))
    if anchor is None or anchor == 0:
        return False
    return not matches_report(f.horizon_value, anchor)


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


def _fan_subtitle(sim: Simulation, f: Forecast) -> str:
    paths = f"{sim.paths:,} simulated paths" if isinstance(sim.paths, int) else "Simulated paths"
    if sim.target is None or sim.probability_of_target is None:
        return paths
    return (
        f"{paths}; {pct(100 * sim.probability_of_target, 0)} reach the reported "
        f"{money(sim.target, f.unit)} by {f.horizon}"
    )
