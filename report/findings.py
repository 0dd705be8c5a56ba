"""What the numbers say, one sentence a finding: the deck's action titles, the brief's headings.

A strategy deck titles each slide with its finding ("The market grows 3.6× to USD 1,651.2M
by 2031"), not with the chart's name. Each function here writes one such sentence from the
model's numbers, so it reads right for any valid assumptions file (a shrinking market, one
segment, no reported figures); the deck (:mod:`report.deck`) and the brief
(:mod:`report.brief`) both call them, so a board slide and a mailed brief say the same words.
Numbers are formatted by :mod:`report.format` only: values in the market's unit, the CAGR
at the source's precision, assumed rates without spurious decimals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from market.assumptions import Assumptions
from market.model import Forecast, as_float, matches_report
from market.risk import SENSITIVITY_MOVES, Moves
from market.summary import headlines
from report.format import headline_text, money, pct, points, rate, times

__all__ = [
    "foundations",
    "growth",
    "mix",
    "opportunity",
    "outcome_range",
    "regions",
    "scenarios",
    "sensitivity",
    "sensitivity_moves",
    "sources",
    "trajectory",
]

_FLAT = 0.005
"""A market within half a percent of its base-year size over the forecast "holds steady"."""


def growth(a: Assumptions, f: Forecast) -> str:
    """How much the market grows from the base year to the horizon, and to what.

    ``"The market grows 3.6× to USD 1,651.2M by 2031"``; under twice its size the growth
    is a percentage (``grows 45%``), and a market that shrinks says so.
    """
    base = as_float(f.totals.at[a.years.base, "value"])
    end, horizon = f.horizon_value, a.years.horizon
    amount = money(end, a.market.unit)
    multiple = end / base if base else math.nan
    if not math.isfinite(multiple):
        return f"The market reaches {amount} by {horizon}"
    if abs(multiple - 1.0) < _FLAT:
        return f"The market holds steady at {amount} through {horizon}"
    if multiple < 1.0:
        return f"The market shrinks {pct((1.0 - multiple) * 100.0, 0)} to {amount} by {horizon}"
    if multiple < 2.0:
        return f"The market grows {pct((multiple - 1.0) * 100.0, 0)} to {amount} by {horizon}"
    return f"The market grows {times(multiple)} to {amount} by {horizon}"


def trajectory(a: Assumptions, f: Forecast) -> str:
    """The CAGR (at the source's precision) and where it lands against the source's
    horizon figure, if the source gives one."""
    cagr = headline_text(headlines(a, f)[-1], a.market.unit).value
    start = f"At {cagr} a year from {a.years.base}, the market"
    unit, horizon = a.market.unit, a.years.horizon
    target, who = f.reference.figures.get(horizon), f.reference.label
    if target is None:
        return f"{start} reaches {money(f.horizon_value, unit)} in {horizon}"
    if matches_report(f.horizon_value, target):
        return f"{start} reaches the {money(target, unit)} {who} projects for {horizon}"
    gap = (f.horizon_value / target - 1.0) * 100.0
    side = "above" if gap > 0 else "below"
    return (
        f"{start} ends {pct(abs(gap))} {side} the {money(target, unit)} {who} projects "
        f"for {horizon}"
    )


def _biggest(values: pd.Series) -> int:
    """The position of the largest value (the first of equals); NaN counts as smallest, and
    when every value is NaN (shares of a market that has shrunk to nothing) the first."""
    numbers = values.to_numpy(dtype=float)
    return int(np.argmax(np.where(np.isnan(numbers), -np.inf, numbers)))


def _top_level(summary: pd.DataFrame, dimension_id: str) -> pd.DataFrame:
    return summary[(summary["dimension"] == dimension_id) & (summary["parent"] == "")]


def mix(a: Assumptions, summary: pd.DataFrame, dimension_id: str) -> str:
    """The largest segment of a dimension at the horizon and the fastest growing one.
    ``summary``: :meth:`market.model.Forecast.segment_summary` (built once by the caller).

    ``"By Deployment model, Cloud is the largest in 2031 (58.3%) and Hybrid grows fastest
    (24.1% a year)"``. Segment growth comes from assumed differentials: one decimal.
    """
    name = a.dimension(dimension_id).name
    top = _top_level(summary, dimension_id)
    horizon = a.years.horizon
    largest = top.iloc[_biggest(top["share_horizon"])]
    share = pct(as_float(largest["share_horizon"]) * 100.0)
    lead = f"By {name}, {largest['segment']} is the largest in {horizon} ({share})"
    if len(top) == 1:
        return f"By {name}, {largest['segment']} is the whole market"
    rates = top["cagr_pct"].astype(float)
    if rates.max() - rates.min() < 0.05:
        return f"{lead}; every segment grows at the market's rate ({pct(rates.iloc[0])} a year)"
    fastest = top.iloc[_biggest(rates)]
    speed = f"{pct(as_float(fastest['cagr_pct']))} a year"
    if fastest["segment"] == largest["segment"]:
        return f"{lead} and grows fastest ({speed})"
    return f"{lead} and {fastest['segment']} grows fastest ({speed})"


def regions(a: Assumptions, summary: pd.DataFrame, dimension_id: str) -> str:
    """The largest region at the horizon, its value and its part of the market.
    ``summary``: :meth:`market.model.Forecast.segment_summary`."""
    name = a.dimension(dimension_id).name
    top = _top_level(summary, dimension_id)
    at = _biggest(top["value_horizon"])
    largest = top.iloc[at]
    value = money(as_float(largest["value_horizon"]), a.market.unit)
    share = pct(as_float(largest["share_horizon"]) * 100.0)
    verb = "stays" if _biggest(top["value_base"]) == at else "becomes"
    return (
        f"By {name}, {largest['segment']} {verb} the largest: {value} in {a.years.horizon}, "
        f"{share} of the market"
    )


def outcome_range(a: Assumptions, band: pd.DataFrame) -> str:
    """Where eight simulated paths in ten end at the horizon: between the P10 and the P90.

    ``band``: :func:`market.summary.outcome_range` (index year, columns p10, p50, p90).
    """
    horizon = int(band.index[-1])
    low, mid, high = (as_float(band.at[horizon, q]) for q in ("p10", "p50", "p90"))
    unit = a.market.unit
    return (
        f"Eight in ten simulated paths end {horizon} between {money(low, unit)} and "
        f"{money(high, unit)} (median {money(mid, unit)})"
    )


def sensitivity(table: pd.DataFrame, what: str, unit: str) -> str:
    """The assumption that moves ``what`` (e.g. "the market in 2031") most, and how far.

    ``table``: :func:`market.risk.sensitivity`, largest swing first.
    """
    if table.empty:
        return f"No assumption moves {what}"
    top = table.iloc[0]
    low, high = as_float(top["low_value"]), as_float(top["high_value"])
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
        return f"No single assumption moves {what}"
    lo, hi = sorted((low, high))
    return f"{top['label']} moves {what} most: from {money(lo, unit)} to {money(hi, unit)}"


def sensitivity_moves(moves: Moves = SENSITIVITY_MOVES) -> str:
    """How far the tornado moves each assumption, as the Risk page and the deck say it."""
    return (
        f"Each bar moves one assumption at a time: the CAGR by ±{points(moves.cagr_pp)}, the "
        f"base value by ±{moves.base_value_pct:g}%, a share weight by ±{moves.share_pct:g}% "
        f"and a growth differential by ±{points(moves.diff_pp)}."
    )


def scenarios(table: pd.DataFrame, unit: str, horizon: int) -> str:
    """How far apart the compared scenarios end at the horizon.
    ``table``: :func:`market.summary.scenario_table`."""
    values = table["horizon_value"].astype(float)
    low, high = table.iloc[_biggest(-values)], table.iloc[_biggest(values)]
    if money(values.min(), unit) == money(values.max(), unit):
        same = money(values.max(), unit)
        return f"The {len(table)} scenarios compared all end at {same} in {horizon}"
    return (
        f"The scenarios end {horizon} between {money(as_float(low['horizon_value']), unit)} "
        f"({low['scenario']}) and {money(as_float(high['horizon_value']), unit)} "
        f"({high['scenario']})"
    )


def opportunity(plan: pd.DataFrame, unit: str) -> str:
    """Our planned revenue in the plan's last year and its share of the served market.
    ``plan``: :func:`market.opportunity.plan`."""
    last = plan.iloc[-1]
    return (
        f"Our plan reaches {money(as_float(last['revenue']), unit)} in {int(last['year'])}: "
        f"{rate(as_float(last['share_pct']))} of a {money(as_float(last['sam']), unit)} "
        "served market"
    )


def foundations(table: pd.DataFrame) -> str:
    """What the numbers rest on, counted. ``table``: :func:`market.summary.assumption_table`."""
    changed = int(table["changed"].sum())
    reported = int(((table["provenance"] == "reported") & ~table["changed"]).sum())
    assumed = len(table) - reported
    noun = "assumption" if assumed == 1 else "assumptions"
    if reported:
        inputs = "input" if reported == 1 else "inputs"
        text = f"The numbers rest on {reported} reported {inputs} and {assumed} {noun}"
    else:
        text = f"The numbers rest on {assumed} {noun}; the source reports none of them"
    if changed:
        text += f", {changed} of them changed by the analyst"
    return text


def sources(a: Assumptions) -> str:
    """Which figures the source states (by year); everything else is modelled."""
    publisher = a.market.source.publisher
    years = [str(r.year) for r in a.reported]
    if not years:
        return f"{publisher} states no figure used here; everything is modelled"
    noun = "figure" if len(years) == 1 else "figures"
    return (
        f"{publisher} states {len(years)} {noun} ({', '.join(years)}); everything else is modelled"
    )
