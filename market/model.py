"""The forecast: the market's trajectory and every segment's share of it.

Units follow :mod:`market.assumptions`: values in market units, rates in percent.

The total grows from the base-year value at the market's yearly rates; years before
the base show what the source reported. Within each dimension a segment grows at the
market's rate plus its differential, and the results are rescaled each year so that they
add up to the total (mix shift). Sub-segments are rescaled the same way to add up to their
parent, so every breakdown reconciles with the total.

Every path through the years goes through one growth kernel: :func:`market_rates` says
how fast the market grows in each year (today, at the CAGR every year) and :func:`grow`
compounds a value along yearly rates (:func:`log_growth` is the same in logs). The
forecast, the Monte Carlo (:mod:`market.risk`) and the published estimates' paths and
calibration (:mod:`market.estimates`) all call them, so a new way of growing over the
years is written once, in :func:`market_rates`.

Frames returned here have stable, documented columns, so charts, exports and tests can
rely on them (see :class:`Forecast`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from market.assumptions import Assumptions, GrowthShape, Place, Rebase
from market.growth_shapes import path_rates
from market.shares import share_of


def as_float(value: object) -> float:
    """A number read from one cell of a frame of numbers, as a float.

    pandas' types cannot say that a column holds numbers, so a cell may be anything to a
    type checker; this says it is a number, and fails loudly if it is not.
    """
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    raise TypeError(f"expected a number, got {value!r}")


def as_int(value: object) -> int:
    """A whole number (a year) read from a frame's index or cells, as an int."""
    if isinstance(value, int | np.integer):
        return int(value)
    raise TypeError(f"expected a whole number, got {value!r}")


def by_year(column: pd.Series) -> dict[int, float]:
    """A column of numbers indexed by year, as ``{year: value}``."""
    return {as_int(year): as_float(value) for year, value in column.items()}


__all__ = [
    "MATCHES_REPORT_PCT",
    "Drift",
    "Forecast",
    "Reference",
    "SegmentGroup",
    "forecast",
    "goal_seek",
    "goal_seek_defaults",
    "grow",
    "implied_cagr_pct",
    "log_growth",
    "market_rates",
    "matches_report",
    "written_decimals",
]

MATCHES_REPORT_PCT = 0.05
"""A modelled value matches the source's figure when within this many percent of it. The
source rounds its figures, so its own CAGR applied to its own base value misses its own
projection by less than this; a larger gap means the assumptions really moved the result."""


def matches_report(modelled: float, reported: float) -> bool:
    """Whether ``modelled`` is the source's ``reported`` figure, up to its rounding
    (:data:`MATCHES_REPORT_PCT`)."""
    return abs(modelled / reported - 1.0) * 100.0 <= MATCHES_REPORT_PCT


def written_decimals(value: float, most: int = 4) -> int:
    """How many decimals ``value`` is written with (``20.12`` -> 2), up to ``most``; a value
    computed to within rounding of a short one counts as that (``9.500000001`` -> 1)."""
    text = f"{value:.{most}f}".rstrip("0")
    return len(text.partition(".")[2])


_MIN_GROWTH_FACTOR = 1e-6
"""A value shrinking at -100 % or faster (a segment's differential, a simulated CAGR) is held
at a vanishing size instead of going negative."""


# --- the growth kernel -----------------------------------------------------------------------


def market_rates(
    a: Assumptions,
    *,
    cagr: float | np.ndarray | None = None,
    start: int | None = None,
    end: int | None = None,
    rebased: bool = True,
    base_value: float | np.ndarray | None = None,
) -> np.ndarray:
    """The market's growth rate in each year from ``start`` to ``end``, as fractions.

    Entry ``i`` takes the market from year ``start + i`` to the next, so there are
    ``end - start`` of them; ``start`` and ``end`` default to the file's first year and
    horizon. ``cagr`` (a fraction) defaults to the file's; an array of them (a Monte Carlo's
    draws, one per path) gives one row of rates per path: shape ``(*cagr.shape, end - start)``.

    This is the one place that says how the CAGR is spread over the years: the file's
    growth shape (:mod:`market.growth_shapes`) spreads it from the base year to the horizon,
    keeping the CAGR the compound average between them, so the horizon value is the one the
    CAGR alone gives; past the horizon the shape carries on, and years before the base year
    grow at the first forecast year's rate. With actual figures and a re-basing
    (``growth.rebase``) the path runs through them; ``rebased=False`` asks for the path
    before re-basing, which an actual's drift is measured against. The forecast, the Monte
    Carlo and the calibration all follow. The constant shape gives a read-only view of the
    CAGR, not a copy per year.

    ``base_value`` (market units; an array like ``cagr``'s, one per path or grid cell) is the
    size each path starts from, where it is not the file's: the logistic curve and a path
    re-based on actuals depend on it, every other shape only on the CAGR.
    """
    first = a.years.first if start is None else start
    last = a.years.horizon if end is None else end
    rate = np.asarray(a.cagr if cagr is None else cagr, dtype=float)
    growth, base = a.growth, a.years.base
    anchors = a.anchors if rebased else ()
    if growth.spread.constant and (not anchors or growth.rebase.value is Rebase.NONE):
        return np.broadcast_to(rate[..., None], (*rate.shape, last - first))
    if base_value is not None:
        return _rates_from(a, rate, np.asarray(base_value, dtype=float), first, last, rebased)
    low, high = min(first, base), max(last, a.years.horizon)
    ahead = path_rates(
        growth.spread,
        growth.rebase.value,
        rate,
        a.years.horizon - base,
        high - base,
        start_value=growth.base_value.value,
        anchors=anchors,
    )
    before = np.broadcast_to(ahead[..., :1], (*ahead.shape[:-1], base - low))
    rates = np.concatenate((before, ahead), axis=-1)[..., first - low : last - low]
    rates.flags.writeable = False
    return rates


def _rates_from(
    a: Assumptions, rate: np.ndarray, starts: np.ndarray, first: int, last: int, rebased: bool
) -> np.ndarray:
    """:func:`market_rates` where each path starts from its own base value: one call per
    distinct value (a grid's axis has a few dozen)."""
    rate, starts = np.broadcast_arrays(rate, starts)
    rates = np.empty((*rate.shape, last - first))
    for value in np.unique(starts):
        moved = a.growth.base_value.model_copy(update={"value": float(value)})
        at = a.model_copy(update={"growth": a.growth.model_copy(update={"base_value": moved})})
        where = starts == value
        rates[where] = market_rates(at, cagr=rate[where], start=first, end=last, rebased=rebased)
    rates.flags.writeable = False
    return rates


def _factors(
    rates: np.ndarray,
    differential: float | np.ndarray,
    out: np.ndarray | None = None,
    *,
    floored: bool = True,
) -> np.ndarray:
    """One plus each rate plus the differential, held above zero (see _MIN_GROWTH_FACTOR);
    into ``out`` if given, so that growing year by year reuses one array. ``floored=False``
    says no factor can fall below the floor, which saves a pass over ``out``."""
    if out is None:
        return np.maximum(1.0 + rates + differential, _MIN_GROWTH_FACTOR)
    np.add(1.0 + rates, differential, out=out)  # ``1.0 + rates``: one year's, small
    return np.maximum(out, _MIN_GROWTH_FACTOR, out=out) if floored else out


def grow(
    start: float | np.ndarray,
    rates: np.ndarray,
    base: int = 0,
    *,
    differential: float | np.ndarray = 0.0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Values year by year: ``start`` in year ``base`` (an index into the years), each later
    year the one before times one plus its rate, each earlier year the one after divided by it.

    ``rates`` holds the yearly rates (fractions) on its last axis, as :func:`market_rates`
    gives them: shape ``(years - 1,)`` or ``(paths, years - 1)``. A segment grows at the
    market's rate plus its ``differential`` (a fraction, broadcast against one year's rates:
    shape ``(segments, 1)`` against ``(paths,)`` gives every segment on every path). The
    result has the years on its last axis: ``(*shape, years)``, where ``shape`` is that of
    ``start``, one year's rates and ``differential`` broadcast together; ``out`` (any view
    of that shape, a transposed one too) receives it in place.

    Without ``out`` the years are compounded by ufunc accumulation, left to right from
    ``base`` (and right to left before it): the same products in the same order as a loop,
    without a Python step per year, which took most of a single path's time. With ``out``
    the years are worked one after the other, each one vectorised over everything else: a
    Monte Carlo writes every segment's paths into its cube without a temporary as large as
    the cube, and a rate that stays the same every year (a broadcast view, as
    :func:`market_rates` gives for the constant shape) is turned into growth factors once.
    """
    if out is None:
        return _accumulated(start, rates, base, differential)
    steps = rates.shape[-1]
    constant = steps > 0 and rates.strides[-1] == 0
    year_rates = np.moveaxis(rates, -1, 0)
    if not constant:  # each year's rates side by side in memory, read once per segment
        year_rates = np.ascontiguousarray(year_rates)
    years = np.moveaxis(out, -1, 0)
    if constant:
        factor = _factors(year_rates[0], differential)
    else:  # a rate that changes by year: each year's factors into the same array
        factor = np.empty(np.broadcast_shapes(year_rates.shape[1:], np.shape(differential)))
        lowest = 1.0 + float(np.min(rates, initial=np.inf)) + float(np.min(differential))
        floored = lowest <= _MIN_GROWTH_FACTOR
    years[base, ...] = start
    for year in range(base + 1, steps + 1):  # ``years[year, ...]``: a view even of one value
        if not constant:
            _factors(year_rates[year - 1], differential, out=factor, floored=floored)
        np.multiply(years[year - 1, ...], factor, out=years[year, ...])
    for year in range(base - 1, -1, -1):
        if not constant:
            _factors(year_rates[year], differential, out=factor, floored=floored)
        np.divide(years[year + 1, ...], factor, out=years[year, ...])
    return out


def _accumulated(
    start: float | np.ndarray, rates: np.ndarray, base: int, differential: float | np.ndarray
) -> np.ndarray:
    """:func:`grow` into a new array: ``start`` followed by the factors after ``base``,
    multiplied along; ``start`` followed by the factors before it, in reverse, divided along."""
    factors = _factors(rates, np.asarray(differential)[..., None])  # the years' axis last
    shape = np.broadcast_shapes(np.shape(start), factors.shape[:-1])
    steps = factors.shape[-1]
    out = np.empty((*shape, steps + 1))
    out[..., base] = start
    out[..., base + 1 :] = factors[..., base:]
    np.multiply.accumulate(out[..., base:], axis=-1, out=out[..., base:])
    if base > 0:
        before = np.empty((*shape, base + 1))
        before[..., 0] = start
        before[..., 1:] = factors[..., base - 1 :: -1]
        np.divide.accumulate(before, axis=-1, out=before)
        out[..., :base] = before[..., :0:-1]
    return out


def log_growth(
    rates: np.ndarray, base: int = 0, *, differential: float | np.ndarray = 0.0
) -> np.ndarray:
    """The natural log of ``grow(1.0, rates, base, differential=differential)``: 0 in year
    ``base``, the sum of the yearly log-factors after it, minus it before.

    For ratios between values that may pass a float's range over a long span (one
    segment against its siblings): their logs stay finite where the values would not.
    """
    logs = np.log(_factors(rates, differential))
    since_first = np.cumsum(logs, axis=-1)
    since_first = np.concatenate((np.zeros((*logs.shape[:-1], 1)), since_first), axis=-1)
    relative: np.ndarray = since_first - since_first[..., base : base + 1]
    return relative


# --- the forecast ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The published figures a forecast is set against, and who states them.

    They are those of the estimate the numbers follow (:func:`market.estimates.reference`
    decides which): the history before the base year, the reported diamonds, the cards'
    "against the source" and the chance of reaching the source's horizon figure all read
    them, so none of them mixes one publisher's figures with another's.

    ``label`` names who states them ("Kings Research", "360iResearch (2024-2032
    edition)"); ``figures`` maps a year of the file (first to horizon) to the figure
    stated for it; ``cagr_pct`` is the CAGR they state, in %, if any; ``estimate`` is the
    estimate's id, or None for the file's own ``reported`` figures.
    """

    label: str
    figures: Mapping[int, float]
    cagr_pct: float | None = None
    estimate: str | None = None

    @classmethod
    def of(
        cls,
        label: str,
        figures: Mapping[int, float],
        cagr_pct: float | None = None,
        estimate: str | None = None,
    ) -> Reference:
        """A reference whose figures nobody can change (references are shared by caches)."""
        return cls(label, MappingProxyType(dict(figures)), cagr_pct, estimate)


@dataclass(frozen=True)
class SegmentGroup:
    """Siblings that share out one value: a dimension's segments, or one segment's sub-segments.

    ``values``: index ``year``, one column per segment (display names, in file order),
    market units; each row adds up to the parent's value in that year. The frame is built
    from ``array`` the first time it is asked for: a page draws one dimension at a time,
    and building every frame up front cost more than the forecast itself.
    """

    dimension: str
    parent: str  # display name of the parent segment; "" for a dimension's top level
    ids: tuple[str, ...]
    names: tuple[str, ...]
    array: np.ndarray = field(repr=False)  # years x segments
    index: pd.Index = field(repr=False)

    @functools.cached_property
    def values(self) -> pd.DataFrame:
        return pd.DataFrame(self.array, index=self.index, columns=list(self.names))

    @property
    def shares(self) -> pd.DataFrame:
        """Each segment's fraction of its parent, year by year (rows add up to 1; NaN in a
        year the parent is zero)."""
        shares = share_of(self.array, self.array.sum(axis=1, keepdims=True))
        return pd.DataFrame(shares, index=self.index, columns=list(self.names))

    def cagr_pct(self, start: int, end: int) -> pd.Series:
        """Each segment's own compound growth rate between two years, in %."""
        values = self.values
        rates = implied_cagr_pct(
            values.loc[start].to_numpy(), values.loc[end].to_numpy(), end - start
        )
        return pd.Series(rates, index=values.columns)


@dataclass(frozen=True)
class Drift:
    """An actual figure against the model: ``modelled`` is the total the growth assumptions
    give that year before any re-basing, ``pct`` the actual's distance from it in %."""

    year: int
    actual: float
    modelled: float
    pct: float

    @property
    def amount(self) -> float:
        """The actual less the modelled value, in market units."""
        return self.actual - self.modelled


@dataclass(frozen=True)
class Forecast:
    """The result of :func:`forecast`.

    ``totals``: index ``year``; columns ``value`` (the model's market size, market units),
    ``reported`` (the figure ``reference`` states, NaN where it gives none), ``modelled``
    (False where ``value`` is that stated figure as is: a history year the source states,
    and the base year when the base value is the source's own figure; True where the
    growth model made it, history years the source states nothing for included, grown
    back from the base year), ``growth_pct`` (year-on-year growth, %, NaN in the first
    year), ``actual`` (the file's actual figure, NaN where it gives none), ``drift`` (the
    actual less the total the growth assumptions give before any re-basing, market units)
    and ``drift_pct`` (the same as % of that total); both NaN without an actual.
    ``reference`` says whose figures ``reported`` holds. The frame is built the first time
    it is read, from ``columns`` (the same columns as read-only arrays, first year to
    horizon): the tornado and the bridge read dozens of forecasts for one number each, and
    building the frame cost a quarter of a forecast.

    ``groups``: keyed by ``(dimension id, parent segment id)``; the top level of a
    dimension has parent ``""``, and deeper levels join the ids of their ancestors with
    dots (``"software.cloud"``), as parameter paths do. Each :class:`SegmentGroup`
    reconciles to its parent.
    """

    unit: str
    base_year: int
    horizon: int
    columns: Mapping[str, np.ndarray] = field(repr=False)
    index: pd.Index = field(repr=False)
    groups: dict[tuple[str, str], SegmentGroup] = field(repr=False)
    reference: Reference = field(default_factory=lambda: Reference.of("the source", {}))

    @functools.cached_property
    def totals(self) -> pd.DataFrame:
        return pd.DataFrame(dict(self.columns), index=self.index, copy=False)

    def _total_in(self, year: int) -> float:
        """The modelled total in ``year``, read off the arrays (the horizon is the last)."""
        values = self.columns["value"]
        return float(values[len(values) - 1 - (self.horizon - year)])

    @property
    def reported_by_year(self) -> dict[int, float]:
        """The figures the forecast is set against, ``{year: value}`` (see ``reference``)."""
        return dict(self.reference.figures)

    def by(self, dimension: str, parent: str = "") -> pd.DataFrame:
        """Values by segment for one dimension (or one parent's sub-segments), year × segment."""
        return self.groups[(dimension, parent)].values

    @property
    def horizon_value(self) -> float:
        return self._total_in(self.horizon)

    @property
    def cagr_pct(self) -> float:
        """The CAGR of the modelled total from base year to horizon, in %."""
        start, end = self._total_in(self.base_year), self.horizon_value
        return float(implied_cagr_pct(start, end, self.horizon - self.base_year))

    @property
    def drifts(self) -> list[Drift]:
        """Every actual figure against the modelled value of its year, in year order.

        Read as arrays: asked on every slider move, mostly of a forecast with no actuals.
        """
        actual = self.columns["actual"]
        given = ~np.isnan(actual)
        if not given.any():
            return []
        drift = self.columns["drift"][given]
        pct = self.columns["drift_pct"][given]
        years = self.index.to_numpy()[given]
        return [
            Drift(year=int(y), actual=float(a), modelled=float(a - d), pct=float(p))
            for y, a, d, p in zip(years, actual[given], drift, pct, strict=True)
        ]

    def shares_in(self, year: int) -> dict[str, float]:
        """Every segment's fraction of its parent in ``year`` (siblings add up to 1), keyed
        by its path below the dimensions as parameter paths spell it: ``"region.europe"``,
        ``"component.software.ehr-systems"``. In the base year these are the normalised
        weights; later, growth differentials have moved them. NaN where the parent is zero."""
        row = self.index.get_loc(year)
        shares: dict[str, float] = {}
        for (dimension, parent), group in self.groups.items():
            values = group.array[row]
            prefix = f"{dimension}.{parent}" if parent else dimension
            fractions = share_of(values, values.sum())
            for segment_id, share in zip(group.ids, fractions, strict=True):
                shares[f"{prefix}.{segment_id}"] = float(share)
        return shares

    def segment_summary(self) -> pd.DataFrame:
        """One row per segment at every level: columns ``dimension``, ``parent``, ``segment``,
        ``segment_id``, ``share_base``, ``share_horizon`` (fractions of the parent),
        ``value_base``, ``value_horizon`` (market units) and ``cagr_pct``."""
        rows = []
        for (dimension, _), group in self.groups.items():
            shares = group.shares
            cagr = group.cagr_pct(self.base_year, self.horizon)
            for sid, name in zip(group.ids, group.values.columns, strict=True):
                rows.append(
                    {
                        "dimension": dimension,
                        "parent": group.parent,
                        "segment": name,
                        "segment_id": sid,
                        "share_base": shares.at[self.base_year, name],
                        "share_horizon": shares.at[self.horizon, name],
                        "value_base": group.values.at[self.base_year, name],
                        "value_horizon": group.values.at[self.horizon, name],
                        "cagr_pct": cagr[name],
                    }
                )
        return pd.DataFrame(rows)


def forecast(a: Assumptions) -> Forecast:
    """The market's trajectory and its breakdown by every dimension.

    The years before the base show the figures of the estimate the numbers follow where it
    states one (:class:`Reference`); a year it states nothing for is grown back from the
    base year like the years after it.
    """
    # estimates grows its paths with this module's kernel, so it is imported when called
    from market.estimates import reference as reference_of

    reference = reference_of(a)
    years = range(a.years.first, a.years.horizon + 1)
    rates, base = market_rates(a), a.years.base - a.years.first
    total = grow(a.growth.base_value.value, rates, base)
    reported = np.array([reference.figures.get(y, np.nan) for y in years])
    stated = ~np.isnan(reported)
    history = stated.copy()
    history[base:] = False
    total[history] = reported[history]
    taken = history.copy()  # the base value is the source's own figure: it is shown as such
    taken[base] = stated[base] and math.isclose(
        total[base], reported[base], rel_tol=1e-12, abs_tol=1e-12
    )

    index = _year_index(a.years.first, a.years.horizon)
    actuals = a.actuals_by_year
    actual = np.array([actuals.get(y, np.nan) for y in years])
    before = total if not actuals else _before_rebasing(a, total, base)
    growth = np.concatenate(([np.nan], (share_of(total[1:], total[:-1]) - 1) * 100))
    drift_pct = (share_of(actual, before) - 1) * 100
    columns = {
        "value": total,
        "reported": reported,
        "modelled": ~taken,
        "growth_pct": growth,
        "actual": actual,
        "drift": actual - before,
        "drift_pct": drift_pct,
    }
    for array in columns.values():
        array.flags.writeable = False  # shared through caches: nobody may change it
    return Forecast(
        unit=a.market.unit,
        base_year=a.years.base,
        horizon=a.years.horizon,
        columns=MappingProxyType(columns),
        index=index,
        groups=_breakdown(a, total, rates, base, index),
        reference=reference,
    )


@functools.lru_cache(maxsize=64)
def _year_index(first: int, horizon: int) -> pd.Index:
    """The years as a forecast's frames are indexed: one immutable index per span."""
    return pd.Index(np.arange(first, horizon + 1), name="year")


def _before_rebasing(a: Assumptions, total: np.ndarray, base: int) -> np.ndarray:
    """The total as the growth assumptions alone give it: what an actual's drift is
    measured against (the total itself unless a re-basing moved it)."""
    if a.growth.rebase.value is Rebase.NONE:
        return total
    return grow(a.growth.base_value.value, market_rates(a, rebased=False), base)


def _values(groups: dict[tuple[str, str], SegmentGroup], place: Place) -> np.ndarray:
    """The values of the segment at ``place``: its group is already shared out, since the
    walk comes to a parent before its parts."""
    column: np.ndarray = groups[(place.dimension.id, place.parent_key)].array[:, place.index]
    return column


def _breakdown(
    a: Assumptions, total: np.ndarray, rates: np.ndarray, base: int, index: pd.Index
) -> dict[tuple[str, str], SegmentGroup]:
    """Every sibling group's values, keyed by the path of ids below the dimension (two
    parents may share an id): each segment's weight grown at the market's rate plus its
    differential (mix shift), as a share of its siblings', times its parent's values.

    The shares of every group are one vectorised computation over all segments and years,
    worked in logs and each group scaled by its largest term (the plain values overflow,
    or underflow to 0/0, over long histories or steep declines). The walk over the segment
    tree (:meth:`market.assumptions.Dimension.walk`) then hands each group its parent's
    values: it comes to a parent before its parts.
    """
    starts = [place for place in a.walk() if place.index == 0]
    segments = [segment for place in starts for segment in place.siblings]
    counts = np.array([len(place.siblings) for place in starts])
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    weights = np.array([segment.share for segment in segments])
    differentials = np.array([segment.differential_pp for segment in segments])[:, None] / 100.0
    with np.errstate(divide="ignore"):  # log(0) = -inf for a zero weight, which exp undoes
        logs = np.log(weights)[:, None] + log_growth(rates, base, differential=differentials)
    raw = np.exp(logs - np.repeat(np.maximum.reduceat(logs, firsts), counts, axis=0))
    shares = raw / np.repeat(np.add.reduceat(raw, firsts), counts, axis=0)
    shares = np.ascontiguousarray(shares.T)  # years x segments, as the groups hold them
    groups: dict[tuple[str, str], SegmentGroup] = {}
    for place, first, count in zip(starts, firsts, counts, strict=True):
        parent = total if place.parent is None else _values(groups, place.parent)
        values = parent[:, None] * shares[:, first : first + count]
        values.flags.writeable = False  # shared through caches: nobody may change it
        groups[(place.dimension.id, place.parent_key)] = SegmentGroup(
            dimension=place.dimension.id,
            parent="" if place.parent is None else place.parent.segment.name,
            ids=tuple(s.id for s in place.siblings),
            names=tuple(s.name for s in place.siblings),
            array=values,
            index=index,
        )
    return groups


def implied_cagr_pct(start: float | np.ndarray, end: float | np.ndarray, years: int) -> np.ndarray:
    """The compound growth rate, in %, that takes ``start`` to ``end`` in ``years``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.power(np.divide(end, start), 1.0 / years) - 1.0) * 100.0


def goal_seek(a: Assumptions, target: float, year: int) -> float:
    """The market CAGR, in %, that makes the total reach ``target`` in ``year``, under the
    file's growth shape and re-basing.

    Every year at the CAGR (the constant shape), and in the horizon year under any shape
    that keeps the horizon value, the total is ``base_value * (1 + CAGR) ** (year - base)``,
    so the answer is exact. Otherwise the year's total rises with the CAGR, and the answer
    is found by bisection to a float's precision. ValueError when no CAGR reaches the target
    (a logistic ceiling below it, a year the actual figures fix).
    """
    if not np.isfinite(target) or target <= 0:
        raise ValueError(f"the target must be a positive number, got {target}")
    base, horizon = a.years.base, a.years.horizon
    if year <= base:
        raise ValueError(f"the target year must come after the base year {base}, got {year}")
    if year > horizon:
        raise ValueError(
            f"the target year must be in the forecast, {base + 1} to {horizon}, got {year}"
        )
    start = a.growth.base_value.value
    closed = float(implied_cagr_pct(start, target, year - base))
    rebase = a.growth.rebase.value if a.actuals else Rebase.NONE
    if a.growth.spread.constant and rebase is Rebase.NONE:
        return closed
    if year == horizon and rebase is not Rebase.HOLD_GROWTH:
        return closed  # every shape, and re-basing that holds the end, keep the horizon value
    if rebase is not Rebase.NONE and year <= a.actuals[-1].year:
        raise ValueError(
            f"the {year} value follows the actual figures ({rebase.value}): no CAGR moves it"
        )
    return _bisect_cagr(a, target, year)


_SEEK_GRID = 512
"""CAGRs tried at once to bracket a goal seek's or a calibration's answer
(:func:`cagr_reaching`)."""


def _bisect_cagr(a: Assumptions, target: float, year: int) -> float:
    """The CAGR (%) whose shaped path from the base value reaches ``target`` in ``year``."""
    base, start = a.years.base, a.growth.base_value.value

    def reached(cagr: np.ndarray) -> np.ndarray:
        rates = market_rates(a, cagr=cagr, start=base, end=year)
        with np.errstate(over="ignore", invalid="ignore"):
            values: np.ndarray = grow(start, rates)[..., -1]
        return values

    return cagr_reaching(a, reached, target, f" in {year}") * 100.0


def cagr_reaching(
    a: Assumptions,
    reached: Callable[[np.ndarray], np.ndarray],
    target: float,
    where: str = "",
) -> float:
    """The market CAGR (a fraction) at which ``reached`` (a value the model gives for each
    of an array of CAGRs, rising with the CAGR: one vectorised call of the kernel) equals
    ``target``, under ``a``'s growth shape. A grid of CAGRs from -100 % to 1,000 % (or the
    logistic ceiling's) brackets it; each further round narrows the bracket 511-fold, a
    float's precision in six. ValueError "no CAGR reaches ..." (``where`` ends it) if none does.
    """
    span = a.years.horizon - a.years.base
    start = a.growth.base_value.value
    highest = 10.0  # 1,000 % a year
    how = a.growth.spread
    if how.shape is GrowthShape.LOGISTIC:  # the horizon value must stay under the ceiling
        highest = min(highest, (how.capacity / start) ** (1.0 / span) - 1.0)
    lowest = -1.0 + 1e-9
    low, high = lowest, highest * (1.0 - 1e-9)
    for _ in range(8):
        grid = np.linspace(low, high, _SEEK_GRID)
        values = reached(grid)
        above = np.nonzero(np.isfinite(values) & (values >= target))[0]
        if len(above) == 0 or (values[0] > target and low == lowest):
            ceiling = f" under the logistic ceiling of {how.capacity:,.6g}" if highest < 10 else ""
            raise ValueError(f"no CAGR reaches {target:,.6g}{where}{ceiling}")
        first = int(above[0])
        if first == 0:
            return float(grid[0])
        low_c, high_c = float(grid[first - 1]), float(grid[first])
        if high_c - low_c <= 1e-14 * max(1.0, abs(high_c)):
            break
        low, high = low_c, high_c
    return 0.5 * (low_c + high_c)


def goal_seek_defaults(a: Assumptions, f: Forecast) -> tuple[float, int]:
    """The target and year a goal seek starts from: the source's own figure for the horizon
    year if it reports one (the estimate the numbers follow), else the forecast's horizon
    value (to one decimal)."""
    horizon = a.years.horizon
    return float(f.reference.figures.get(horizon, round(f.horizon_value, 1))), horizon
