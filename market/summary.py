"""Headline figures and a plain-words reading of a forecast, for people who skim.

Values in market units, rates in % (see :mod:`market.assumptions`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from market.assumptions import Assumptions, GrowthShape, Provenance, Rebase
from market.model import (
    Forecast,
    as_float,
    implied_cagr_pct,
    matches_report,
    written_decimals,
)
from market.parameters import parameters, unused_paths
from market.risk import TOTAL, Simulation

__all__ = [
    "RANGE",
    "RANGE_LABELS",
    "Headline",
    "actuals_statement",
    "assumption_table",
    "chance_of_target",
    "growth_statement",
    "headlines",
    "leaders",
    "leaders_intro",
    "outcome_range",
    "reading",
    "reported_table",
    "scenario_table",
    "sensitivity_targets",
    "shape_phrase",
    "shown_year",
]


@dataclass(frozen=True)
class Headline:
    """One headline figure next to what the source reported for it (None if nothing)."""

    label: str
    value: float
    kind: str  # "value" (market units) or "rate" (%)
    reported: float | None
    modelled: bool
    source: str = "the source"  # who states ``reported`` (see market.model.Reference)
    this_year: bool = False  # the figure for the year the dashboard is used in

    @property
    def decimals(self) -> int:
        """The source's precision: as many decimals as its figure has (20.12 -> 2), at least
        one; without a reported figure one for values, and for rates as many as the rate
        is written with, one or two (an assumed 9.5% is not "9.50%")."""
        if self.reported is None:
            return 1 if self.kind == "value" else max(1, written_decimals(self.value, 2))
        return max(1, written_decimals(self.reported))

    @property
    def matches(self) -> bool:
        """A modelled figure equal to the source's at the source's precision."""
        if self.reported is None:
            return False
        return abs(self.value - self.reported) < 0.5 * 10.0**-self.decimals

    @property
    def change(self) -> float | None:
        """Against the report: % difference for values, percentage points for rates."""
        if self.reported is None:
            return None
        if self.kind == "rate":
            return self.value - self.reported
        return (self.value / self.reported - 1.0) * 100.0


def headlines(a: Assumptions, f: Forecast, now: int | None = None) -> tuple[Headline, ...]:
    """Market size in three years, and the CAGR, each set against the figures of the
    estimate the numbers follow (``f.reference``).

    The years are the base year, ``now`` (this year) and the horizon when ``now`` lies
    between the base year and the horizon; otherwise the first year, the base year and
    the horizon.
    """
    source = f.reference
    first, base, horizon = a.years.first, a.years.base, a.years.horizon
    this_year = now if now is not None and base < now < horizon else None
    years = (first, base, horizon) if this_year is None else (base, this_year, horizon)
    figures = [
        Headline(
            label=f"Market size {year}",
            value=as_float(f.totals.at[year, "value"]),
            kind="value",
            reported=source.figures.get(year),
            modelled=bool(f.totals.at[year, "modelled"]),
            source=source.label,
            this_year=year == this_year,
        )
        for year in dict.fromkeys(years)
    ]
    figures.append(
        Headline(
            label=f"CAGR {a.years.base}-{a.years.horizon}",
            value=f.cagr_pct,
            kind="rate",
            reported=source.cagr_pct,
            modelled=True,
            source=source.label,
        )
    )
    return tuple(figures)


def reading(a: Assumptions, f: Forecast, unit_format: Callable[[float], str]) -> str:
    """A short paragraph that says what the numbers mean, in plain words.

    ``unit_format`` turns a value into text (the dashboard passes its money formatter), so
    the model does not decide how people read numbers.
    """
    base_value = as_float(f.totals.at[a.years.base, "value"])
    multiple = f.horizon_value / base_value
    text = (
        f"Under these assumptions the {a.market.name.lower()} market grows from "
        f"{unit_format(base_value)} in {a.years.base} to {unit_format(f.horizon_value)} in "
        f"{a.years.horizon}, a {f.cagr_pct:.1f}% compound annual rate that multiplies it "
        f"{multiple:.1f} times."
    )
    target = f.reference.figures.get(a.years.horizon)
    if target is not None:
        gap = (f.horizon_value / target - 1.0) * 100.0
        who = f.reference.label
        if matches_report(f.horizon_value, target):
            text += f" That matches the {unit_format(target)} {who} projects."
        else:
            side = "above" if gap > 0 else "below"
            text += f" That is {abs(gap):.1f}% {side} the {unit_format(target)} {who} projects."
    fastest = _fastest_segment(f)
    if fastest:
        dimension, segment, cagr = fastest
        name = a.dimension(dimension).name.lower()
        text += (
            f" By {name}, {segment} grows fastest ({cagr:.1f}% a year), an assumed differential"
            " rather than a reported figure."
        )
    return text


def shape_phrase(a: Assumptions, unit_format: Callable[[float], str]) -> str:
    """How the CAGR is spread over the years, in a few words: "every year at the CAGR",
    "spread by the fade shape (-1.0 pp a year)"."""
    how = a.growth.spread
    if how.constant:
        return "every year at the CAGR"
    return f"spread by the {how.shape.value} shape ({_shape_detail(a, unit_format)})"


def _shape_detail(a: Assumptions, unit_format: Callable[[float], str]) -> str:
    growth = a.growth
    return {
        GrowthShape.CONSTANT: "every year at the CAGR",
        GrowthShape.FADE: f"{growth.fade_pp.value:+.1f} pp a year",
        GrowthShape.DAMPED: f"φ {growth.damping.value:g}",
        GrowthShape.LOGISTIC: f"capacity {unit_format(growth.spread.capacity)}",
    }[growth.shape.value]


def _whose(provenance: Provenance, basis: str) -> str:
    """Where the shape comes from, in brackets: the basis says whether the analyst changed
    it, so a shape nobody chose is never called the analyst's."""
    if provenance is Provenance.REPORTED:
        return f"cited: {basis.rstrip('.')}"
    return f"assumed: {basis.rstrip('.')}"


def growth_statement(a: Assumptions, f: Forecast, unit_format: Callable[[float], str]) -> str:
    """Which growth shape the numbers follow and what it does to the yearly rates, labelled
    with its provenance: one sentence for the Overview, the brief and the deck."""
    growth = a.growth
    rates = f.totals["growth_pct"].loc[a.years.base + 1 :]
    first, last = as_float(rates.iloc[0]), as_float(rates.iloc[-1])
    horizon = f"{unit_format(f.horizon_value)} in {a.years.horizon}"
    label = _whose(growth.shape.provenance, growth.shape.basis)
    value = growth.cagr_pct.value
    cagr = f"{value:.{max(1, written_decimals(value))}f}%"  # as precise as it is written
    if growth.spread.constant and not (a.actuals and growth.rebase.value is not Rebase.NONE):
        return (
            f"Growth shape: {growth.shape.value}, every year at the CAGR of "
            f"{cagr}, reaching {horizon} ({label})."
        )
    return (
        f"Growth shape: {growth.shape.value} ({_shape_detail(a, unit_format)}): the yearly "
        f"rate goes from {first:.1f}% in {a.years.base + 1} to {last:.1f}% in "
        f"{a.years.horizon}, and the CAGR of {cagr} still gives "
        f"{horizon} ({label})."
    )


def actuals_statement(a: Assumptions, f: Forecast, unit_format: Callable[[float], str]) -> str:
    """Each actual figure against the model (the drift, in % and in the unit) and what the
    re-basing does with the latest; "" without actual figures."""
    if not a.actuals:
        return ""
    cited = {v.year: v.citation for v in a.actuals}
    parts = [
        f"the {d.year} actual of {unit_format(d.actual)} ({cited[d.year]}) is {d.pct:+.2f}% "
        f"({'+' if d.amount >= 0 else '-'}{unit_format(abs(d.amount))}) from the modelled "
        f"{unit_format(d.modelled)}"
        for d in f.drifts
    ]
    text = "Actual figures: " + "; ".join(parts) + "."
    rebase = a.growth.rebase
    latest = a.actuals[-1]
    label = _whose(rebase.provenance, rebase.basis)
    if rebase.value is Rebase.NONE:
        return f"{text} Re-basing: none, the forecast stays as modelled ({label})."
    left = a.years.horizon - latest.year
    rate = float(implied_cagr_pct(latest.value, f.horizon_value, left))
    what = (
        "still reaches"
        if rebase.value is Rebase.HOLD_END
        else "keeps the yearly growth rates, reaching"
    )
    return (
        f"{text} Re-basing: {rebase.value}, the path runs through the {latest.year} actual and "
        f"{what} {unit_format(f.horizon_value)} in {a.years.horizon} ({rate:.2f}% a year from "
        f"{latest.year}; {label})."
    )


def shown_year(a: Assumptions, now: int) -> int:
    """The year a page shows "now" for: ``now`` (this year) when the file's years cover
    it, else the base year."""
    return now if a.years.first <= now <= a.years.horizon else a.years.base


def leaders(a: Assumptions, f: Forecast, year: int) -> tuple[str, ...]:
    """One line per dimension naming its largest segment in ``year`` (its share of the
    market, %) and its fastest-growing one (its own CAGR from the base year to the
    horizon, % a year), top-level segments only; the geographic dimension's line names
    the largest region: "Region: North America is the largest region (41.0%), Asia-Pacific
    grows fastest (23.6% a year)." See :func:`leaders_intro` for the words above them.
    """
    row = f.totals.index.get_loc(year)
    years = f.horizon - f.base_year
    base = f.totals.index.get_loc(f.base_year)
    lines = []
    for dimension in a.dimensions:
        group = f.groups[(dimension.id, "")]
        values = group.array
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = values[row] / values[row].sum() * 100.0
        rates = implied_cagr_pct(values[base], values[-1], years)
        if not (np.isfinite(shares).any() and np.isfinite(rates).any()):
            continue  # a market shrunk below a float's range: nothing to rank
        largest, fastest = int(np.nanargmax(shares)), int(np.nanargmax(rates))
        what = "region" if dimension.geographic else "segment"
        line = (
            f"{dimension.name}: {group.names[largest]} is the largest {what} "
            f"({shares[largest]:.1f}%)"
        )
        if np.allclose(rates, rates[fastest], rtol=0, atol=1e-9):
            line += f", every {what} grows at the same rate."
        else:
            line += f", {group.names[fastest]} grows fastest ({rates[fastest]:.1f}% a year)."
        lines.append(line)
    return tuple(lines)


def leaders_intro(f: Forecast, year: int) -> str:
    """What the lines of :func:`leaders` measure, and that they rest on assumptions."""
    return (
        f"Largest in {year} (share of the market) and fastest-growing {f.base_year}-"
        f"{f.horizon}, by the assumed segment shares and growth differentials:"
    )


def _fastest_segment(f: Forecast) -> tuple[str, str, float] | None:
    """The top-level segment, across all dimensions, with the highest own CAGR."""
    years = f.horizon - f.base_year
    best: tuple[str, str, float] | None = None
    for (dimension, parent), group in f.groups.items():
        if parent:
            continue
        # the group's array, not its frame: a frame per group is built only when drawn
        values = group.array
        rates = implied_cagr_pct(values[f.base_year - int(group.index[0])], values[-1], years)
        column = int(np.nanargmax(rates))
        if best is None or rates[column] > best[2]:
            best = (dimension, str(group.names[column]), float(rates[column]))
    if best is None or math.isclose(best[2], f.cagr_pct, abs_tol=1e-9):
        return None
    return best


def assumption_table(
    base: Assumptions, current: Assumptions, *, used_only: bool = False
) -> pd.DataFrame:
    """Every tunable assumption with its file value, current value and provenance; with
    ``used_only``, only those ``current``'s numbers rest on (not a growth shape's parameter
    under another shape, see :func:`market.parameters.unused_paths`): what a brief or a deck
    lists.

    Columns: ``path`` (see :mod:`market.parameters`), ``assumption``, ``dimension``,
    ``file_value``, ``current_value`` (the value used), ``unit``, ``provenance``
    ("reported"/"assumed") and ``basis`` (citation or rationale) of the file's value,
    ``changed``, ``choices`` (a choice's names, whose position the values are, as in the
    overrides; empty for a number), and ``file_shown`` and ``current_shown`` (the values as
    people read them: a choice's name, a number with separators). A changed value is the
    analyst's own: the provenance describes the file's.
    """
    now = {p.path: p.value for p in parameters(current)}
    unused = unused_paths(current) if used_only else frozenset()
    names = {d.id: d.name for d in base.dimensions}
    rows = [
        {
            "path": p.path,
            "assumption": p.label if not p.parent else f"{p.parent} › {p.label}",
            "dimension": names.get(p.dimension, ""),
            "file_value": p.value,
            "current_value": now.get(p.path, p.value),
            "unit": p.unit,
            "provenance": p.provenance.value,
            "basis": p.basis,
            "changed": not math.isclose(now.get(p.path, p.value), p.value, abs_tol=1e-12),
            "choices": p.choices,
            "file_shown": p.shown(p.value),
            "current_shown": p.shown(now.get(p.path, p.value)),
        }
        for p in parameters(base)
        if not used_only or p.path not in unused
    ]
    return pd.DataFrame(rows)


def reported_table(a: Assumptions) -> pd.DataFrame:
    """The source's market sizes: columns ``year``, ``value`` (market units), ``citation``."""
    return pd.DataFrame(
        [{"year": r.year, "value": r.value, "citation": r.citation} for r in a.reported],
        columns=["year", "value", "citation"],
    )


def chance_of_target(sim: Simulation, horizon: int, unit_format: Callable[[float], str]) -> str:
    """The Monte Carlo's answer to "how likely is the reported horizon value?", in words."""
    if sim.target is None or sim.probability_of_target is None:
        return f"The source reports no value for {horizon}, so there is no target to reach."
    hits = round(sim.probability_of_target * sim.paths)
    return (
        f"In {hits:,} of {sim.paths:,} simulated paths ({sim.probability_of_target:.0%}) "
        f"the market reaches the source's {unit_format(sim.target)} by {horizon}. The spread "
        f"comes from the assumed CAGR uncertainty of ±{sim.cagr_sd_pct:.1f} points (one "
        "standard deviation) and the assumed variation of the segment mix."
    )


RANGE = ("p10", "p50", "p90")
"""The range of outcomes people read: the low (P10), median (P50) and high (P90) paths."""
RANGE_LABELS = {"p10": "P10 (low)", "p50": "P50 (median)", "p90": "P90 (high)"}
"""What the page, the workbook, the brief and the deck call them."""


def outcome_range(sim: Simulation, from_year: int) -> pd.DataFrame:
    """The simulated market's P10, P50 and P90 each year from ``from_year`` (usually the
    base year): index ``year``, columns :data:`RANGE`, market units. Eight paths in ten
    end between the P10 and the P90."""
    totals = sim.totals
    return totals.loc[totals.index >= from_year, list(RANGE)].copy()


def sensitivity_targets(a: Assumptions) -> dict[str, str]:
    """What a tornado can be drawn for: the total and each top-level segment, with labels."""
    targets = {TOTAL: "Total market"}
    for dimension in a.dimensions:
        for segment in dimension.segments:
            targets[f"{dimension.id}/{segment.id}"] = f"{dimension.name}: {segment.name}"
    return targets


def scenario_table(
    forecasts: Mapping[str, Forecast],
    reference: Assumptions,
    revenues: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Scenarios side by side at the horizon: columns ``scenario``, ``horizon_value``
    (market units), ``cagr_pct`` (base to horizon), ``vs_reported_pct`` (against the
    reference file's reported horizon value; NaN if it reports none) and ``revenue`` (our
    horizon-year revenue under each scenario's opportunity choices, from ``revenues``; NaN
    for a scenario without any)."""
    target = reference.reported_by_year.get(reference.years.horizon)
    revenues = revenues or {}
    return pd.DataFrame(
        [
            {
                "scenario": name,
                "horizon_value": f.horizon_value,
                "cagr_pct": f.cagr_pct,
                "vs_reported_pct": (f.horizon_value / target - 1.0) * 100.0 if target else math.nan,
                "revenue": revenues.get(name, math.nan),
            }
            for name, f in forecasts.items()
        ],
        columns=["scenario", "horizon_value", "cagr_pct", "vs_reported_pct", "revenue"],
    )
