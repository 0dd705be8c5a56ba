"""Published estimates side by side: each one's path, the spread between them, calibration.

Values are in the market's unit, rates in % a year (as in :mod:`market.assumptions`).

- A source's **path** runs through the figures it states; between two of them it grows at
  the rate those two imply. Those in-between values are derived, never the source's.
- The **spread** is the low, high and median of the paths in every year that two or more
  cover; the median is derived.
- A stated CAGR **fits** two of the source's own figures when it lies within
  :data:`CAGR_FIT_PP` of the rate they imply (published figures are rounded). When the
  source gives no period, the best-fitting pair is the inferred one.
- **Calibrating** to a source (or to the median path) sets the base value and the CAGR so
  that the model passes through its first figure from the base year on and its last one.
  The file's base year and horizon stay: a figure past the horizon is reproduced on the
  path but not shown, and :attr:`Calibration.left_out` says which.

A file without ``estimates`` has one: its ``reported`` figures, published by its source.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from market.assumptions import Assumptions, Estimate, StatedCagr, slugify
from market.model import (
    Reference,
    as_float,
    as_int,
    by_year,
    cagr_reaching,
    grow,
    implied_cagr_pct,
    market_rates,
    written_decimals,
)
from market.parameter_table import BASE_VALUE_PATH, CAGR_PATH

__all__ = [
    "CAGR_FIT_PP",
    "MEDIAN",
    "REPRODUCE_TOLERANCE",
    "Calibration",
    "Comparison",
    "Consistency",
    "Followed",
    "calibration",
    "comparison",
    "consistency",
    "estimates_of",
    "figure_text",
    "figures_table",
    "followed",
    "paths",
    "reference",
    "sources_table",
    "spread",
    "spread_note",
    "statement",
    "table",
    "targets",
    "warnings",
]

CAGR_FIT_PP = 0.05
"""A stated CAGR fits two figures when within this many percentage points of their rate."""

REPRODUCE_TOLERANCE = 0.05
"""A model value reproduces a figure when within this many market units of it."""

MEDIAN = "median"
"""The calibration target that is the estimates' median path rather than one source."""


def figure_text(value: float) -> str:
    """A figure with the decimals a source states it with (one or two): ``2,153.98``, ``389.3``;
    blank for NaN."""
    value = float(value)
    if math.isnan(value):
        return ""
    decimals = 1 if round(value, 1) == value else 2
    return f"{value:,.{decimals}f}"


def _plain(value: float) -> str:
    return f"{value:,.1f}"


def estimates_of(a: Assumptions) -> tuple[Estimate, ...]:
    """The file's published estimates; a file without any has its reported figures as one."""
    if a.estimates:
        return a.estimates
    if not a.reported:
        return ()
    source = a.market.source
    cagr = a.reported_cagr_pct
    stated = (
        StatedCagr(value=cagr.value, citation=cagr.citation)
        if cagr is not None and cagr.citation
        else None
    )
    return (
        Estimate(
            id=slugify(source.publisher) or "source",
            publisher=source.publisher,
            title=source.title,
            reference=source.reference,
            values=a.reported,
            cagr_pct=stated,
        ),
    )


def _market_at(
    a: Assumptions, value: float, year: int, cagr_pct: float, years: tuple[int, ...]
) -> tuple[float, ...]:
    """The model's market in ``years`` when it is ``value`` in ``year`` and grows at the
    yearly rates ``a``'s growth gives a CAGR of ``cagr_pct`` (past the horizon too)."""
    first, last = min(year, *years), max(year, *years)
    rates = market_rates(a, cagr=cagr_pct / 100, start=first, end=last)
    path = grow(value, rates, year - first)
    return tuple(float(path[y - first]) for y in years)


# --- consistency ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Consistency:
    """Whether an estimate's stated CAGR matches its own figures, and over which years."""

    estimate: Estimate
    period: tuple[int, int] | None  # stated, or inferred from the best-fitting pair
    inferred: bool  # True when the source does not state the period
    implied_pct: float | None  # the rate the figures imply over ``period``
    fits: bool | None  # None: no CAGR stated, or its stated years have no figures

    @property
    def stated_pct(self) -> float | None:
        return None if self.estimate.cagr_pct is None else self.estimate.cagr_pct.value

    @property
    def warning(self) -> str | None:
        """A sentence naming the figures when the stated CAGR fits none of them."""
        e, cagr = self.estimate, self.estimate.cagr_pct
        if self.fits is not False or cagr is None:
            return None
        figures = ", ".join(f"{v.value:,.2f} ({v.year})" for v in e.values)
        if self.inferred:
            return (
                f"estimates[{e.id}].cagr_pct: the stated {cagr.value:g}% fits no pair of the "
                f"estimate's own figures {figures} (within {CAGR_FIT_PP:g} points)"
            )
        start, end = self.period or (0, 0)
        return (
            f"estimates[{e.id}].cagr_pct: the stated {cagr.value:g}% for {start}-{end} does not "
            f"fit {e.by_year[start]:,.2f} ({start}) to {e.by_year[end]:,.2f} ({end}), which imply "
            f"{self.implied_pct:.2f}%"
        )


def consistency(e: Estimate) -> Consistency:
    """Check ``e``'s stated CAGR against its own figures; infer the period if none is stated."""
    cagr, figures = e.cagr_pct, e.by_year
    if cagr is None:
        return Consistency(e, None, inferred=False, implied_pct=None, fits=None)
    if cagr.start is not None and cagr.end is not None:
        period = (cagr.start, cagr.end)
        if cagr.start not in figures or cagr.end not in figures:
            return Consistency(e, period, inferred=False, implied_pct=None, fits=None)
        implied = float(
            implied_cagr_pct(figures[cagr.start], figures[cagr.end], cagr.end - cagr.start)
        )
        fits = abs(implied - cagr.value) <= CAGR_FIT_PP
        return Consistency(e, period, inferred=False, implied_pct=implied, fits=fits)
    pairs = [
        ((y0, y1), float(implied_cagr_pct(figures[y0], figures[y1], y1 - y0)))
        for y0, y1 in itertools.combinations(sorted(figures), 2)
    ]
    if not pairs:
        return Consistency(e, None, inferred=True, implied_pct=None, fits=None)
    period, implied = min(pairs, key=lambda pair: abs(pair[1] - cagr.value))
    if abs(implied - cagr.value) > CAGR_FIT_PP:
        return Consistency(e, None, inferred=True, implied_pct=None, fits=False)
    return Consistency(e, period, inferred=True, implied_pct=implied, fits=True)


def warnings(a: Assumptions) -> tuple[str, ...]:
    """One line per estimate whose stated CAGR does not fit its own figures."""
    return tuple(w for e in a.estimates if (w := consistency(e).warning) is not None)


# --- paths and the spread ------------------------------------------------------------------


def paths(a: Assumptions) -> pd.DataFrame:
    """Every estimate's path through its own figures, one row per estimate and year.

    Columns: ``estimate`` (id), ``year``, ``value`` (market units), ``stated`` (True for the
    source's own figure, False for a derived in-between value) and ``rate_pct`` (the rate
    the two stated figures around the year imply, %; NaN at the first figure).
    """
    return _paths(estimates_of(a)).copy()


# Paths, their pivots and the spread depend on the published estimates alone, which no slider moves:
# computed once per set of estimates (pandas pivots, ~6 ms), not on every rerun. The
# cached frames are never handed out; callers get copies.
@functools.lru_cache(maxsize=64)
def _paths(found: tuple[Estimate, ...]) -> pd.DataFrame:
    rows: list[tuple[str, int, float, bool, float]] = []
    for e in found:
        figures = e.values
        rows.append((e.id, figures[0].year, figures[0].value, True, math.nan))
        for left, right in itertools.pairwise(figures):
            span = right.year - left.year
            rate = float(implied_cagr_pct(left.value, right.value, span))
            between = grow(left.value, np.full(span, rate / 100))  # the source's own rate
            for step in range(1, span + 1):
                stated = step == span
                value = right.value if stated else float(between[step])
                rows.append((e.id, left.year + step, value, stated, rate))
    return pd.DataFrame(rows, columns=["estimate", "year", "value", "stated", "rate_pct"])


@functools.lru_cache(maxsize=64)
def _wide(found: tuple[Estimate, ...]) -> pd.DataFrame:
    """Year x estimate id, NaN where an estimate's path does not reach."""
    long = _paths(found)
    ids = [e.id for e in found]
    if long.empty:
        return pd.DataFrame(columns=ids, index=pd.Index([], name="year"), dtype=float)
    wide = long.pivot(index="year", columns="estimate", values="value")
    return wide.reindex(columns=ids)


@functools.lru_cache(maxsize=64)
def _stated(found: tuple[Estimate, ...]) -> pd.DataFrame:
    """Year x estimate id: True where the figure is the source's own, not interpolated."""
    long, wide = _paths(found), _wide(found)
    if long.empty:
        return wide.notna()
    return (
        long.pivot(index="year", columns="estimate", values="stated")
        .reindex(index=wide.index, columns=wide.columns)
        .fillna(False)
        .astype(bool)
    )


def spread(a: Assumptions) -> pd.DataFrame:
    """The spread across estimates in every year two or more cover.

    Index ``year``; columns ``low``, ``high``, ``median`` (derived), ``count`` (estimates
    covering the year) and ``spread_pct`` ((high - low) as % of the median).
    """
    return _spread(estimates_of(a)).copy()


@functools.lru_cache(maxsize=64)
def _spread(found: tuple[Estimate, ...]) -> pd.DataFrame:
    wide = _wide(found)
    count = wide.notna().sum(axis=1)
    covered = wide[count >= 2]
    frame = pd.DataFrame(
        {
            "low": covered.min(axis=1),
            "high": covered.max(axis=1),
            "median": covered.median(axis=1),
            "count": count[count >= 2].astype(int),
        },
        index=covered.index,
    )
    frame["spread_pct"] = (frame["high"] - frame["low"]) / frame["median"] * 100.0
    return frame


@dataclass(frozen=True)
class Comparison:
    """Each source's value in each year, the spread, and where the model sits in it.

    ``values``: index ``year`` (every year any estimate covers), one column per estimate
    id, NaN where its path does not reach; ``stated`` the same shape, True where the value
    is the source's own figure. ``spread`` as :func:`spread`. ``model``: index ``year``,
    columns ``value`` (the forecast, NaN outside its years) and ``position_pct`` (0 at the
    low, 100 at the high; below 0 or above 100 outside the range; NaN without a spread).
    """

    estimates: tuple[Estimate, ...]
    values: pd.DataFrame
    stated: pd.DataFrame
    spread: pd.DataFrame
    model: pd.DataFrame

    def position(self, year: int) -> str:
        """Where the model sits in ``year``'s range, in words."""
        if year not in self.spread.index or math.isnan(as_float(self.model.at[year, "value"])):
            return ""
        low, high = as_float(self.spread.at[year, "low"]), as_float(self.spread.at[year, "high"])
        value = as_float(self.model.at[year, "value"])
        if value < low - REPRODUCE_TOLERANCE:
            return "below the range"
        if value > high + REPRODUCE_TOLERANCE:
            return "above the range"
        if high - low <= REPRODUCE_TOLERANCE:
            return "at the estimates"
        if abs(value - low) <= REPRODUCE_TOLERANCE:
            return "at the low end"
        if abs(value - high) <= REPRODUCE_TOLERANCE:
            return "at the high end"
        return f"within, {as_float(self.model.at[year, 'position_pct']):.0f}% of the way up"


def table(c: Comparison) -> pd.DataFrame:
    """The comparison as one flat frame, for CSV, JSON and the workbook.

    Columns: ``year``; per estimate ``<id>`` (value, NaN where its path does not reach)
    and ``<id> basis`` (``stated``, ``derived`` or empty); ``low``, ``high``, ``median``
    (derived), ``spread_pct``; ``model`` and ``model_position`` (in words).
    """
    frame = pd.DataFrame({"year": c.values.index.to_numpy()})
    for e in c.estimates:
        values, stated = c.values[e.id], c.stated[e.id]
        frame[e.id] = values.to_numpy()
        basis = stated.map({True: "stated", False: "derived"}).where(values.notna(), "")
        frame[f"{e.id} basis"] = basis.to_numpy()
    band = c.spread.reindex(c.values.index)
    for column in ("low", "high", "median", "spread_pct"):
        frame[column] = band[column].to_numpy()
    frame["model"] = c.model["value"].to_numpy()
    frame["model_position"] = [c.position(int(year)) for year in c.values.index]
    return frame


def comparison(a: Assumptions, model: pd.Series) -> Comparison:
    """The comparison table's parts; ``model`` is the forecast's total by year."""
    ests = estimates_of(a)
    wide, stated = _wide(ests).copy(), _stated(ests).copy()
    band = spread(a)
    values = model.reindex(wide.index).astype(float)
    low, high = band["low"].reindex(wide.index), band["high"].reindex(wide.index)
    width = (high - low).where(high - low > 0)
    position = ((values - low) / width * 100.0).where(width.notna(), 50.0)
    position = position.where(low.notna() & values.notna())
    frame = pd.DataFrame({"value": values, "position_pct": position}, index=wide.index)
    return Comparison(ests, wide, stated, band, frame)


def sources_table(a: Assumptions) -> pd.DataFrame:
    """One row per estimate: ``id``, ``source`` (label), ``title``, ``reference``,
    ``stated_cagr_pct``, ``period`` ("2024-2031"), ``period_basis`` (stated, inferred or
    empty), ``implied_cagr_pct`` (what its figures imply over that period) and ``fits``
    ("yes", "no", or "cannot check")."""
    rows = []
    for e in estimates_of(a):
        check = consistency(e)
        fits = {True: "yes", False: "no", None: "cannot check"}[check.fits]
        rows.append(
            {
                "id": e.id,
                "source": e.label,
                "title": e.title,
                "reference": e.reference,
                "stated_cagr_pct": math.nan if check.stated_pct is None else check.stated_pct,
                "period": "" if check.period is None else f"{check.period[0]}-{check.period[1]}",
                "period_basis": ""
                if check.period is None
                else ("inferred" if check.inferred else "stated"),
                "implied_cagr_pct": math.nan if check.implied_pct is None else check.implied_pct,
                "fits": fits if check.stated_pct is not None else "",
            }
        )
    return pd.DataFrame(rows, columns=_SOURCE_COLUMNS)


_SOURCE_COLUMNS = [
    "id",
    "source",
    "title",
    "reference",
    "stated_cagr_pct",
    "period",
    "period_basis",
    "implied_cagr_pct",
    "fits",
]


def figures_table(a: Assumptions) -> pd.DataFrame:
    """Every figure a source states: ``source`` (label), ``year``, ``value``, ``citation``."""
    rows = [
        {"source": e.label, "year": v.year, "value": v.value, "citation": v.citation}
        for e in estimates_of(a)
        for v in e.values
    ]
    return pd.DataFrame(rows, columns=["source", "year", "value", "citation"])


# --- calibration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """The base value and CAGR that make the model reproduce one target's figures."""

    target: str  # an estimate id or MEDIAN
    label: str
    start: tuple[int, float]  # the figure reproduced first (year, value)
    end: tuple[int, float]  # the last figure reproduced
    base_value: float  # in the file's base year
    cagr_pct: float
    left_out: tuple[tuple[int, float], ...]  # figures past the horizon: on the path, not shown

    @property
    def overrides(self) -> dict[str, float]:
        """As parameter paths (:mod:`market.parameters`), for sliders, links and scenarios."""
        return {BASE_VALUE_PATH: self.base_value, CAGR_PATH: self.cagr_pct}

    def note(self, unit_format: Callable[[float], str] = figure_text) -> str:
        """What was reproduced, and what lies past the horizon."""
        (y0, v0), (y1, v1) = self.start, self.end
        text = (
            f"Calibrated to {self.label}: {unit_format(v0)} in {y0} growing "
            f"{self.cagr_pct:.2f}% a year to {unit_format(v1)} in {y1}."
        )
        if self.left_out:
            past = ", ".join(f"{unit_format(v)} in {y}" for y, v in self.left_out)
            text += f" Past the horizon, so reproduced but not shown: {past}."
        return text


def targets(a: Assumptions) -> tuple[str, ...]:
    """What the model can be calibrated to: estimates with two figures from the base year
    on, then ``median`` when two or more estimates overlap."""
    return _targets(estimates_of(a), a.years.base)


# Which estimates can be calibrated to depends on the estimates and the base year alone: worked
# out once (the median's pandas lookups were a quarter of `followed`, asked on every move).
@functools.lru_cache(maxsize=64)
def _targets(found: tuple[Estimate, ...], base: int) -> tuple[str, ...]:
    ids = [e.id for e in found if sum(1 for y in e.by_year if y >= base) >= 2]
    if sum(1 for y in by_year(_spread(found)["median"]) if y >= base) >= 2:
        ids.append(MEDIAN)
    return tuple(ids)


def _shaped_rate(a: Assumptions, start: tuple[int, float], end: tuple[int, float]) -> float:
    """The market CAGR (%) whose path, in ``a``'s growth shape, runs from ``start`` to
    ``end`` (year, value): the two figures' own rate when every year grows at the CAGR, or
    when they are the base year and the horizon (every shape keeps that rate); otherwise
    the one the shaped path needs (:func:`market.model.cagr_reaching`)."""
    (y0, v0), (y1, v1) = start, end
    rate = float(implied_cagr_pct(v0, v1, y1 - y0))
    if a.growth.spread.constant or (y0, y1) == (a.years.base, a.years.horizon):
        return rate
    first, last = min(y0, a.years.base), max(y1, a.years.horizon)

    def reached(cagr: np.ndarray) -> np.ndarray:
        rates = market_rates(a, cagr=cagr, start=first, end=last, rebased=False)
        with np.errstate(over="ignore", invalid="ignore"):
            path: np.ndarray = grow(v0, rates, y0 - first)[..., y1 - first]
        return path

    try:
        return cagr_reaching(a, reached, v1) * 100.0
    except ValueError:  # the shape cannot pass through both: the figures' own rate
        return rate


def _from_base(a: Assumptions, figures: dict[int, float]) -> list[tuple[int, float]]:
    return sorted((y, v) for y, v in figures.items() if y >= a.years.base)


def calibration(a: Assumptions, target: str) -> Calibration:
    """The growth that reproduces ``target`` (an estimate id or ``median``) in ``a``'s years.

    Where ``a``'s own base value or CAGR already reproduces the figures to within
    :data:`REPRODUCE_TOLERANCE`, it is kept, so calibrating to the estimate a file is
    calibrated to gives back the file's own values. ValueError if ``target`` is unknown or
    has fewer than two figures from the base year on.
    """
    by_id = {e.id: e for e in estimates_of(a)}
    if target == MEDIAN:
        figures = by_year(_spread(estimates_of(a))["median"])
        label = "the median of the estimates"
    elif target in by_id:
        figures, label = by_id[target].by_year, by_id[target].label
    else:
        known = ", ".join(targets(a)) or "none"
        raise ValueError(f"no estimate {target!r} to calibrate to; known: {known}")
    points = _from_base(a, figures)
    if len(points) < 2:
        raise ValueError(f"{label} has fewer than two figures from {a.years.base} on")
    (y0, v0), (y1, v1) = points[0], points[-1]
    base = a.years.base
    rate = _shaped_rate(a, (y0, v0), (y1, v1))
    # rounded for links and sliders (cagr=22.0626); still within 0.03 of both figures
    rate = round(rate, 4)
    base_value = round(_market_at(a, v0, y0, rate, (base,))[0], 2)
    own_value, own_rate = a.growth.base_value.value, a.growth.cagr_pct.value
    if abs(own_value - base_value) <= REPRODUCE_TOLERANCE:
        own_path = _market_at(a, own_value, base, own_rate, (y0, y1))
        base_value = own_value
        if all(abs(p - v) <= REPRODUCE_TOLERANCE for p, v in zip(own_path, (v0, v1), strict=True)):
            rate = own_rate
    left_out = tuple((y, v) for y, v in points if y > a.years.horizon)
    return Calibration(target, label, (y0, v0), (y1, v1), base_value, rate, left_out)


# --- which estimate the numbers follow -----------------------------------------------------


@dataclass(frozen=True)
class Followed:
    """Which estimate the current numbers follow: ``target`` None when they follow none."""

    target: str | None
    label: str
    text: str


def followed(current: Assumptions, base: Assumptions | None = None) -> Followed:
    """Which estimate (or the median) ``current``'s growth reproduces; the file's
    calibration is tried first. Growth that reproduces none is the file's own or, when
    ``base`` (the file as written) is given and differs, the analyst's change."""
    found = targets(current)
    order = [t for t in found if t == current.calibrated_to]
    order += [t for t in found if t != current.calibrated_to]
    growth = current.growth
    for target in order:
        cal = calibration(current, target)
        (y0, v0), (y1, v1) = cal.start, cal.end
        modelled = _market_at(
            current, growth.base_value.value, current.years.base, growth.cagr_pct.value, (y0, y1)
        )
        reproduced = all(
            abs(m - v) <= REPRODUCE_TOLERANCE for m, v in zip(modelled, (v0, v1), strict=True)
        )
        if reproduced:
            how = " (the file's calibration)" if target == current.calibrated_to else ""
            return Followed(target, cal.label, f"The numbers follow {cal.label}{how}.")
    count = len(estimates_of(current))
    value = growth.cagr_pct.value  # as written: an assumed 9.5% is not "9.50%"
    rate = f"{value:.{max(1, written_decimals(value, 2))}f}% a year"
    if base is None or growth == base.growth:
        whose, label = f"the file's own growth assumptions ({rate})", "the file's own growth"
    else:
        whose, label = f"changed growth assumptions ({rate})", "changed growth assumptions"
    if count == 0:
        return Followed(None, label, f"The numbers follow {whose}; the file cites no estimate.")
    which = "its published estimate" if count == 1 else f"any of its {count} published estimates"
    return Followed(None, label, f"The numbers follow {whose}, not {which}.")


def reference(a: Assumptions) -> Reference:
    """The published figures ``a``'s numbers are set against (history, diamonds, "against
    the source"): those of the estimate they follow, within the file's years, once they
    follow another estimate than the file's calibration; none when they follow the median
    (derived, so nobody reports it); otherwise (the file's own calibration, or growth of
    the analyst's own) the file's ``reported`` figures, named after the estimate the file
    is calibrated to, or its source."""
    return _reference(_ReferenceKey(a))


_NOT_IN_REFERENCE = frozenset({"dimensions", "uncertainty", "factors"})


class _ReferenceKey:
    """``a`` as far as its reference goes: the segments, the uncertainty and the factors
    decide nothing in it, so a share or differential move (the tornado makes dozens)
    finds it in the cache instead of trying every estimate again."""

    __slots__ = ("a", "key")

    def __init__(self, a: Assumptions) -> None:
        self.a = a
        self.key = tuple(
            getattr(a, name) for name in type(a).model_fields if name not in _NOT_IN_REFERENCE
        )

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ReferenceKey) and self.key == other.key


@functools.lru_cache(maxsize=256)
def _reference(key: _ReferenceKey) -> Reference:
    a = key.a
    target = followed(a).target
    if target == MEDIAN:
        return Reference.of("the median of the estimates", {}, None, MEDIAN)
    chosen = None if target in (None, a.calibrated_to) else a.estimate(str(target))
    if chosen is not None:
        figures = {y: v for y, v in chosen.by_year.items() if a.years.first <= y <= a.years.horizon}
        cagr = None if chosen.cagr_pct is None else chosen.cagr_pct.value
        return Reference.of(chosen.label, figures, cagr, chosen.id)
    own = a.estimate(a.calibrated_to) if a.calibrated_to else None
    label = own.label if own is not None else a.market.source.publisher
    cagr = None if a.reported_cagr_pct is None else a.reported_cagr_pct.value
    return Reference.of(label, a.reported_by_year, cagr, a.calibrated_to)


def spread_note(a: Assumptions, unit_format: Callable[[float], str] = _plain) -> str:
    """The spread across estimates in the horizon year (or the last year before it)."""
    band = _spread(estimates_of(a))
    shown = band[band.index <= a.years.horizon]
    count = len(estimates_of(a))
    if shown.empty:
        if count <= 1:
            return "One published estimate: there is no spread between sources to show."
        years = f"{a.years.first}-{a.years.horizon}"
        return f"The {count} published estimates do not overlap in {years}."
    year = as_int(shown.index[-1])
    row = shown.iloc[-1]
    return (
        f"In {year} the {int(row['count'])} estimates covering it range from "
        f"{unit_format(row['low'])} to {unit_format(row['high'])}, a spread of "
        f"{row['spread_pct']:.1f}% of their median (derived) {unit_format(row['median'])}."
    )


def statement(
    current: Assumptions,
    base: Assumptions | None = None,
    unit_format: Callable[[float], str] = _plain,
) -> str:
    """Which estimate the numbers follow, and the spread: one paragraph for any export
    (the Overview, the workbook, the brief, a deck)."""
    return f"{followed(current, base).text} {spread_note(current, unit_format)}"
