"""Our opportunity: from the market to a revenue plan, under the user's own choices.

Units follow :mod:`market.assumptions`: values in the market's unit; shares, served
fractions and growth rates in percent (``start_share_pct=1`` is 1 % of the served market).

- **Served market (SAM).** The user picks the segments they serve in any dimensions, each
  with an optional served fraction (a company may reach half of Europe). In each year a
  dimension contributes the fraction of it the picks hold (``Σ share × served %``); a
  dimension with no pick contributes all of it. SAM = market × the product of these
  fractions, which assumes the dimensions are independent (:data:`INDEPENDENCE_NOTE`).
- **Obtainable market (SOM) and revenue.** A share-capture path from a starting share in
  the base year to a target share in a target year, linear or S-shaped, held after it.
  Revenue = SAM × share. Anchoring to a known current revenue derives the starting share
  (current revenue / base-year SAM) instead of taking it as typed.
- **Uncertainty** comes from :func:`market.risk.served_paths` (the model's Monte Carlo);
  the share path is the user's plan and is the same on every path.

Every number in an :class:`Opportunity` is the user's own assumption: no source gives
it. Frames returned here have the columns :data:`PLAN_COLUMNS`, one row per year from the
base year to the horizon, so the page, the exports, the CLI and a slide deck share them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from market.assumptions import Assumptions
from market.model import Forecast, as_float, forecast
from market.parameter_table import CAGR_PATH
from market.parameters import OverrideError, apply_overrides, parameter_index
from market.risk import DEFAULT_PATHS, MAX_PATHS, PERCENTILES, budgeted_paths, served_paths
from market.shares import served_share

__all__ = [
    "ASSUMPTION_NOTE",
    "INDEPENDENCE_NOTE",
    "PLAN_COLUMNS",
    "SERVED_EXAMPLE",
    "Opportunity",
    "OpportunityError",
    "OpportunityRisk",
    "Outlook",
    "Pick",
    "Served",
    "ServedError",
    "Shape",
    "check",
    "describe",
    "fitted",
    "outlook",
    "plan",
    "read_picks",
    "read_served",
    "required_cagr_pct",
    "required_target_share_pct",
    "segment_choices",
    "served_fractions",
    "share_path",
    "simulate",
    "start_share_pct",
]

PLAN_COLUMNS = ["year", "market", "sam", "share_pct", "revenue"]
"""``year``; ``market`` and ``sam`` (served market) and ``revenue`` in market units;
``share_pct`` the share of the served market captured that year, in %."""

INDEPENDENCE_NOTE = (
    "The served market (SAM) assumes the dimensions are independent: a segment's share of "
    "one dimension is taken to be the same within every segment of another (for example, "
    "Software is the same share of the market in every region). No source reports how they "
    "combine."
)
ASSUMPTION_NOTE = (
    "The segments served, the served fractions, the share path and any current revenue or "
    "revenue target are your own assumptions, not figures from the source."
)

_S_STEEPNESS = 10.0
"""The logistic's slope over the capture period: about 1 % of the way after a tenth of it."""
_SEGMENT_KEY = r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$"
_ID = r"^[a-z0-9][a-z0-9-]*$"
_BAND = [f"p{q}" for q in PERCENTILES]

Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class OpportunityError(ValueError):
    """Choices that do not fit a market; the message says which and lists the valid ones."""


class Shape(StrEnum):
    LINEAR = "linear"
    S_CURVE = "s-curve"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Pick(_Strict):
    """One served segment: its ids below the dimension and the fraction of it served, %."""

    segment: Annotated[str, Field(pattern=_SEGMENT_KEY, max_length=200)]
    served_pct: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = 100.0


class Served(_Strict):
    """The segments served in one dimension (a dimension not listed is served whole)."""

    dimension: Annotated[str, Field(pattern=_ID, max_length=100)]
    picks: tuple[Pick, ...] = Field(min_length=1)

    @field_validator("picks")
    @classmethod
    def _distinct(cls, picks: tuple[Pick, ...]) -> tuple[Pick, ...]:
        keys = [p.segment for p in picks]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"a segment is picked twice: {', '.join(repeated)}")
        nested = sorted(k for k in keys for o in keys if k.startswith(o + "."))
        if nested:
            raise ValueError(
                f"{', '.join(nested)} lies inside another pick; pick the segment or its part"
            )
        return picks


class Opportunity(_Strict):
    """The user's choices: what they serve and the share of it they plan to capture.

    ``target_year`` None means the horizon. ``current_revenue`` (market units), when
    given, anchors the base year: the starting share is derived from it and
    ``start_share_pct`` is not used. ``revenue_target`` and ``revenue_target_year`` are
    a goal to measure the plan against (None: the horizon).
    """

    served: tuple[Served, ...] = ()
    start_share_pct: Percent = 1.0
    target_share_pct: Percent = 5.0
    target_year: int | None = None
    shape: Shape = Shape.LINEAR
    current_revenue: Positive | None = None
    revenue_target: Positive | None = None
    revenue_target_year: int | None = None

    @field_validator("served")
    @classmethod
    def _one_entry_per_dimension(cls, served: tuple[Served, ...]) -> tuple[Served, ...]:
        ids = [s.dimension for s in served]
        repeated = sorted({d for d in ids if ids.count(d) > 1})
        if repeated:
            raise ValueError(f"a dimension is listed twice: {', '.join(repeated)}")
        return served

    def picks(self, dimension: str) -> dict[str, float]:
        """``{segment key: served %}`` in one dimension; empty when it is served whole."""
        for s in self.served:
            if s.dimension == dimension:
                return {p.segment: p.served_pct for p in s.picks}
        return {}


# --- checking choices against a market -----------------------------------------------------


def segment_choices(a: Assumptions, dimension: str) -> dict[str, str]:
    """Every segment key one may pick in a dimension, with a label: ``"software.ehr-systems"``
    -> ``"Software › EHR systems"``, in file order, parents before their parts."""
    return {
        place.key: " › ".join(s.name for s in (*place.ancestors, place.segment))
        for place in a.dimension(dimension).walk()
    }


def check(a: Assumptions, opp: Opportunity) -> None:
    """OpportunityError if the choices do not fit ``a``: each message names the valid values."""
    dimensions = [d.id for d in a.dimensions]
    for s in opp.served:
        if s.dimension not in dimensions:
            raise OpportunityError(f"no dimension {s.dimension!r}; valid: {', '.join(dimensions)}")
        known = segment_choices(a, s.dimension)
        unknown = [p.segment for p in s.picks if p.segment not in known]
        if unknown:
            raise OpportunityError(
                f"no segment {', '.join(map(repr, unknown))} in {s.dimension}; "
                f"valid: {', '.join(known)}"
            )
    base, horizon = a.years.base, a.years.horizon
    for name, year in (
        ("target year", opp.target_year),
        ("revenue target year", opp.revenue_target_year),
    ):
        if year is not None and not base < year <= horizon:
            raise OpportunityError(f"the {name} must lie from {base + 1} to {horizon}, got {year}")


def fitted(a: Assumptions, opp: Opportunity) -> Opportunity:
    """``opp`` with what ``a`` cannot hold dropped: dimensions and segments it lacks, picks
    inside another pick, and years outside its forecast (which fall back to the horizon).

    For choices made on one market and carried to another (a file switch, an old link)."""
    dimensions = {d.id for d in a.dimensions}
    served = []
    for s in opp.served:
        if s.dimension not in dimensions:
            continue
        known = segment_choices(a, s.dimension)
        picks = [p for p in s.picks if p.segment in known]
        keys = {p.segment for p in picks}
        picks = [p for p in picks if not any(p.segment.startswith(k + ".") for k in keys)]
        if picks:
            served.append(Served(dimension=s.dimension, picks=tuple(picks)))

    def year(value: int | None) -> int | None:
        return value if value is not None and a.years.base < value <= a.years.horizon else None

    return opp.model_copy(
        update={
            "served": tuple(served),
            "target_year": year(opp.target_year),
            "revenue_target_year": year(opp.revenue_target_year),
        }
    )


# --- the served segments as text: DIM=SEG[:PCT],... ----------------------------------------

SERVED_EXAMPLE = "region=north-america,europe:50"
"""The grammar by example: the segments served in one dimension, each optionally with the %
of it served (100 when left out); sub-segments as ``software.ehr-systems``. ``market
opportunity --serve`` takes it whole; a share link's ``o.serve.<dim>`` key holds the part
after ``=``."""
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class ServedError(OpportunityError):
    """Served segments written wrongly; ``valid`` lists what the wrong part could have been
    (the dimensions, or the segments of the dimension), empty when that is not the problem."""

    def __init__(self, reason: str, valid: Iterable[str] = ()) -> None:
        super().__init__(reason)
        self.valid = tuple(valid)


def read_served(a: Assumptions, text: str, *, quote: Callable[[str], str] = repr) -> Served:
    """``region=north-america,europe:50`` as :class:`Served`, checked against ``a``.

    ServedError says what is wrong; ``quote`` shows the user's own text in it (a front
    end that shows other people's text passes one that cleans it)."""
    dimension, equals, picks = text.partition("=")
    if not equals:
        raise ServedError(f"expected DIM=SEG[:PCT],..., for example {SERVED_EXAMPLE}")
    return read_picks(a, dimension.strip(), picks, quote=quote)


def read_picks(
    a: Assumptions, dimension: str, text: str, *, quote: Callable[[str], str] = repr
) -> Served:
    """``north-america,europe:50``, the part after ``=``, as the picks of ``dimension``."""
    dimensions = [d.id for d in a.dimensions]
    if dimension not in dimensions:
        raise ServedError("no such dimension in this market", valid=dimensions)
    known = segment_choices(a, dimension)
    picks = [_pick(part.strip(), dimension, known, quote) for part in text.split(",")]
    try:
        return Served(dimension=dimension, picks=tuple(picks))
    except ValidationError as err:  # a segment picked twice, or with a part of itself
        reason = "; ".join(e["msg"].removeprefix("Value error, ") for e in err.errors())
        raise ServedError(reason) from None


def _pick(text: str, dimension: str, known: Collection[str], quote: Callable[[str], str]) -> Pick:
    segment, colon, pct = text.partition(":")
    if segment not in known:
        raise ServedError(f"{quote(segment)} is not a segment of {dimension}", valid=known)
    if colon and not _NUMBER.fullmatch(pct.strip()):
        raise ServedError(f"{quote(pct)} is not a number")
    try:
        return Pick(segment=segment, served_pct=float(pct) if colon else 100.0)
    except ValidationError:
        raise ServedError(
            f"the served share of {segment} must be above 0 and at most 100"
        ) from None


# --- the plan ------------------------------------------------------------------------------


def served_fractions(a: Assumptions, opp: Opportunity, f: Forecast | None = None) -> pd.Series:
    """The fraction of the market served each year (0..1), index ``year`` (all the file's years).

    Per dimension, ``Σ value of the pick × served % / value of the dimension``; the
    dimensions are multiplied (:data:`INDEPENDENCE_NOTE`). Picking every top-level segment
    of a dimension at 100 % gives exactly 1 for it.
    """
    check(a, opp)
    f = forecast(a) if f is None else f
    fraction = np.ones(len(f.totals))
    for s in opp.served:
        top = f.groups[(s.dimension, "")]
        whole = top.array.sum(axis=1)
        weights = np.zeros(len(top.ids))
        parts = []
        for pick in s.picks:
            parent, _, sid = pick.segment.rpartition(".")
            if parent:
                group = f.groups[(s.dimension, parent)]
                parts.append(group.array[:, group.ids.index(sid)] * (pick.served_pct / 100.0))
            else:
                weights[top.ids.index(sid)] = pick.served_pct / 100.0
        # the same sum as ``whole`` when every segment is picked whole: exactly 1
        part = (top.array * weights).sum(axis=1)
        for sub in parts:
            part = part + sub
        fraction *= served_share(part, whole)
    return pd.Series(fraction, index=f.totals.index, name="served")


def share_path(
    opp: Opportunity, years: np.ndarray, base_year: int, horizon: int, start: float
) -> np.ndarray:
    """The share of the served market captured each year, %, from ``start`` in the base
    year to the target share in the target year (exactly), held after it."""
    progress = _progress(opp, years, base_year, horizon)
    # written so that progress 0 gives ``start`` and 1 the target, both exactly
    return start * (1.0 - progress) + opp.target_share_pct * progress


def _progress(opp: Opportunity, years: np.ndarray, base_year: int, horizon: int) -> np.ndarray:
    """How far along the path each year is: 0 in the base year, 1 from the target year on."""
    end = horizon if opp.target_year is None else opp.target_year
    progress = np.clip((np.asarray(years, dtype=float) - base_year) / (end - base_year), 0.0, 1.0)
    return _s_curve(progress) if opp.shape is Shape.S_CURVE else progress


def _s_curve(progress: np.ndarray) -> np.ndarray:
    """A logistic rescaled to run from exactly 0 at the start to exactly 1 at the end."""
    k = _S_STEEPNESS
    low, high = 1.0 / (1.0 + math.exp(k / 2)), 1.0 / (1.0 + math.exp(-k / 2))
    value = (1.0 / (1.0 + np.exp(-k * (progress - 0.5))) - low) / (high - low)
    return np.where(progress >= 1.0, 1.0, np.where(progress <= 0.0, 0.0, value))


def start_share_pct(a: Assumptions, opp: Opportunity, f: Forecast | None = None) -> float:
    """The starting share, %: as typed, or current revenue / base-year SAM when anchored."""
    if opp.current_revenue is None:
        return opp.start_share_pct
    f = forecast(a) if f is None else f
    base = a.years.base
    sam = as_float(f.totals.at[base, "value"]) * as_float(served_fractions(a, opp, f).at[base])
    if sam <= 0:
        raise OpportunityError(
            f"the served market is empty in {a.years.base}: a current revenue cannot anchor it"
        )
    share = opp.current_revenue / sam * 100.0
    if share > 100.0:
        raise OpportunityError(
            f"the current revenue {opp.current_revenue:,.1f} is more than the whole served "
            f"market in {a.years.base} ({sam:,.1f} {a.market.unit}); serve more segments or "
            "check the revenue's unit"
        )
    return share


def plan(a: Assumptions, opp: Opportunity, f: Forecast | None = None) -> pd.DataFrame:
    """Market, served market, share and revenue year by year: columns :data:`PLAN_COLUMNS`,
    one row per year from the base year to the horizon."""
    f = forecast(a) if f is None else f
    fraction = served_fractions(a, opp, f)
    years = np.arange(a.years.base, a.years.horizon + 1)
    market = f.totals["value"].loc[years.tolist()].to_numpy()
    sam = market * fraction.loc[years.tolist()].to_numpy()
    share = share_path(opp, years, a.years.base, a.years.horizon, start_share_pct(a, opp, f))
    return pd.DataFrame(
        {
            "year": years,
            "market": market,
            "sam": sam,
            "share_pct": share,
            "revenue": sam * share / 100.0,
        }
    )


# --- goal seek -----------------------------------------------------------------------------


def required_target_share_pct(a: Assumptions, opp: Opportunity, revenue: float, year: int) -> float:
    """The target share, %, that makes revenue reach ``revenue`` in ``year`` (same path
    shape, start and target year). OpportunityError if no share up to 100 % does."""
    _check_goal(a, revenue, year)
    f = forecast(a)
    frame = plan(a, opp, f).set_index("year")
    sam = as_float(frame.at[year, "sam"])
    if sam <= 0:
        raise OpportunityError(
            f"the served market is empty in {year}: no share can reach a revenue"
        )
    start = start_share_pct(a, opp, f)
    progress = float(_progress(opp, np.array([year]), a.years.base, a.years.horizon)[0])
    needed_share = revenue / sam * 100.0
    if progress <= 0.0:
        raise OpportunityError(
            f"{year} is the plan's first year: the share then is the starting share"
        )
    target = (needed_share - start * (1.0 - progress)) / progress
    if not 0.0 <= target <= 100.0:
        raise OpportunityError(
            f"{_amount(revenue, a)} in {year} needs a target share of {target:,.1f}% of the "
            "served market, outside 0-100%; serve more segments or aim lower"
        )
    return target


def required_cagr_pct(a: Assumptions, opp: Opportunity, revenue: float, year: int) -> float:
    """The market CAGR, %, that makes this plan's revenue reach ``revenue`` in ``year``.

    Found by bisection over the CAGR's range (:mod:`market.parameters`): the served
    fraction moves a little with the CAGR through the mix shift, so there is no closed
    form. The market grows in the file's growth shape; a CAGR the shape cannot take (one
    that would lift the horizon above a logistic ceiling) counts as overshooting.
    OpportunityError if the whole range falls short or overshoots.
    """
    _check_goal(a, revenue, year)
    p = parameter_index(a)[CAGR_PATH]
    refused: list[str] = []

    def gap(cagr: float) -> float:
        try:
            moved = apply_overrides(a, {p.path: cagr})
        except OverrideError as err:  # beyond what the growth shape allows
            refused[:] = [str(err)]
            return math.inf
        return as_float(plan(moved, opp).set_index("year").at[year, "revenue"]) - revenue

    low, high = p.low, min(p.high, 1_000.0)
    if gap(low) > 0 or gap(high) < 0:
        raise OpportunityError(
            f"no market CAGR from {low:g}% to {high:g}% brings this plan to "
            f"{_amount(revenue, a)} in {year}"
        )
    for _ in range(80):
        middle = (low + high) / 2
        low, high = (middle, high) if gap(middle) < 0 else (low, middle)
        if high - low < 1e-9:
            break
    if math.isinf(gap(high)):
        raise OpportunityError(
            f"no market CAGR the growth shape allows brings this plan to "
            f"{_amount(revenue, a)} in {year} ({refused[0]})"
        )
    return (low + high) / 2


def _check_goal(a: Assumptions, revenue: float, year: int) -> None:
    if not math.isfinite(revenue) or revenue <= 0:
        raise OpportunityError(f"the revenue target must be a positive number, got {revenue}")
    if not a.years.base < year <= a.years.horizon:
        raise OpportunityError(
            f"the target year must lie from {a.years.base + 1} to {a.years.horizon}, got {year}"
        )


def _amount(value: float, a: Assumptions) -> str:
    return f"{value:,.1f} {a.market.unit}"


# --- uncertainty ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class OpportunityRisk:
    """The Monte Carlo carried through the plan.

    ``revenue`` and ``sam``: index ``year`` (base year to horizon), columns ``p5, p10,
    p50, p90, p95`` in market units. ``revenue_paths``: every path's revenue, shape
    (years, paths), read-only, rows in the index's order.
    """

    paths: int
    seed: int | None
    revenue: pd.DataFrame = field(repr=False)
    sam: pd.DataFrame = field(repr=False)
    revenue_paths: np.ndarray = field(repr=False)

    @property
    def horizon(self) -> pd.Series:
        """P5 ... P95 of revenue in the last year."""
        return self.revenue.iloc[-1]

    def chance(self, target: float, year: int) -> float:
        """The share of paths whose revenue reaches ``target`` in some year up to ``year``."""
        years = self.revenue.index.to_numpy()
        if year not in years:
            raise OpportunityError(f"{year} is not a year of the plan ({years[0]}-{years[-1]})")
        reached = self.revenue_paths[: int(np.searchsorted(years, year)) + 1] >= target
        return float(reached.any(axis=0).mean())


def simulate(
    a: Assumptions, opp: Opportunity, paths: int = DEFAULT_PATHS, seed: int | None = 0
) -> OpportunityRisk:
    """Revenue percentiles over the model's Monte Carlo paths (:func:`market.risk.served_paths`).

    The market and its mix vary by path; the share path is the user's plan. When the plan
    is anchored to a current revenue, each path derives its own starting share from it, so
    the base-year revenue is the known one on every path. ``paths`` is bounded by
    :data:`market.risk.MAX_PATHS`; a page offers only :func:`market.risk.affordable_paths`.
    """
    check(a, opp)
    if not 1 <= paths <= MAX_PATHS:
        raise OpportunityError(f"paths must be from 1 to {MAX_PATHS:,}, got {paths:,}")
    served = {s.dimension: {p.segment: p.served_pct / 100.0 for p in s.picks} for s in opp.served}
    sp = served_paths(a, served, budgeted_paths(a, paths), seed)  # under the memory ceiling
    keep = sp.years >= a.years.base
    years, sam = sp.years[keep], sp.served[keep]
    if opp.current_revenue is None:
        start = np.full(sam.shape[1], opp.start_share_pct)
    else:
        start = np.minimum(opp.current_revenue / sam[0] * 100.0, 100.0)
    progress = _progress(opp, years, a.years.base, a.years.horizon)
    share = start[None, :] * (1.0 - progress[:, None]) + opp.target_share_pct * progress[:, None]
    revenue = sam * share / 100.0
    revenue.setflags(write=False)
    index = pd.Index(years, name="year")
    return OpportunityRisk(
        paths=sp.paths,
        seed=seed,
        revenue=pd.DataFrame(
            np.percentile(revenue, PERCENTILES, axis=1).T, index=index, columns=_BAND
        ),
        sam=pd.DataFrame(np.percentile(sam, PERCENTILES, axis=1).T, index=index, columns=_BAND),
        revenue_paths=revenue,
    )


@dataclass(frozen=True)
class Outlook:
    """The headline of a plan, for a card, a sheet or a slide: the horizon year's served
    market and planned revenue (market units), the shares at both ends (%), and revenue's
    P10/P50/P90 over ``paths`` simulated markets."""

    year: int
    sam: float
    revenue: float
    start_share_pct: float
    end_share_pct: float
    p10: float
    p50: float
    p90: float
    paths: int


def outlook(
    a: Assumptions, opp: Opportunity, paths: int = DEFAULT_PATHS, seed: int | None = 0
) -> Outlook:
    """:class:`Outlook` of ``opp`` on ``a`` (OpportunityError if the choices do not fit)."""
    frame = plan(a, opp)
    risk = simulate(a, opp, paths, seed)
    first, last, band = frame.iloc[0], frame.iloc[-1], risk.horizon
    return Outlook(
        year=int(last["year"]),
        sam=float(last["sam"]),
        revenue=float(last["revenue"]),
        start_share_pct=float(first["share_pct"]),
        end_share_pct=float(last["share_pct"]),
        p10=float(band["p10"]),
        p50=float(band["p50"]),
        p90=float(band["p90"]),
        paths=risk.paths,
    )


# --- in words ------------------------------------------------------------------------------


def describe(a: Assumptions, opp: Opportunity) -> list[tuple[str, str]]:
    """The choices as ``(what, value)`` pairs for people, each one the user's assumption:
    the segments served per dimension, the share path, any anchor and revenue target."""
    rows: list[tuple[str, str]] = []
    for dim in a.dimensions:
        picks = opp.picks(dim.id)
        if not picks:
            rows.append((f"Served: {dim.name}", "all of it"))
            continue
        labels = segment_choices(a, dim.id)
        rows.append(
            (
                f"Served: {dim.name}",
                ", ".join(
                    labels.get(k, k) + ("" if pct == 100 else f" ({pct:g}% of it)")
                    for k, pct in picks.items()
                ),
            )
        )
    f = forecast(a)
    target_year = opp.target_year or a.years.horizon
    if opp.current_revenue is None:
        rows.append((f"Share of SAM in {a.years.base}", f"{opp.start_share_pct:g}%"))
    else:
        rows.append((f"Revenue in {a.years.base}", _amount(opp.current_revenue, a)))
        try:
            derived = f"{start_share_pct(a, opp, f):.2f}%"
        except OpportunityError:
            derived = "none: the revenue is more than the served market"
        rows.append((f"Share of SAM in {a.years.base} (derived)", derived))
    rows.append((f"Target share of SAM by {target_year}", f"{opp.target_share_pct:g}%"))
    rows.append(("Share path", "S-curve" if opp.shape is Shape.S_CURVE else "linear"))
    if opp.revenue_target is not None:
        year = opp.revenue_target_year or a.years.horizon
        rows.append((f"Revenue target for {year}", _amount(opp.revenue_target, a)))
    return rows
