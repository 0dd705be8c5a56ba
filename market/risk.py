"""Risk around the forecast: a Monte Carlo band, a tornado of sensitivities, a scenario bridge.

Units follow :mod:`market.assumptions`: values in market units, rates in %, the CAGR's
standard deviation and differentials in percentage points. Percentiles (``p5`` ... ``p95``)
are taken across paths with linear interpolation, as ``numpy.percentile`` does.

The simulation repeats :func:`market.model.forecast` on every path at once: each path
draws its own market CAGR and its own segment mix, then grows the total and the segments
through the model's own growth kernel (:func:`market.model.grow` along
:func:`market.model.market_rates`) with the same mix shift, so every path's breakdowns add
up to its total, and a path without uncertainty is the forecast. Sensitivity and
bridge move one assumption at a time through :mod:`market.parameters` and read the
deterministic forecast, so their numbers are the ones the rest of the dashboard shows.
"""

from __future__ import annotations

import functools
import math
import os
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from market.assumptions import Assumptions, Dimension, GrowthShape, Place
from market.estimates import reference
from market.model import Forecast, as_float, forecast, grow, market_rates
from market.parameter_table import BASE_VALUE_PATH, CAGR_PATH, PARAMETER_TABLE, SHAPE_PATH
from market.parameters import (
    OverrideError,
    Parameter,
    apply_overrides,
    changed_overrides,
    parameters,
)
from market.shares import served_share

__all__ = [
    "BRIDGE_COLUMNS",
    "DEFAULT_PATHS",
    "MAX_PATHS",
    "MEMORY_CEILING",
    "MIN_PATHS",
    "PATH_CHOICES",
    "PERCENTILES",
    "SENSITIVITY_COLUMNS",
    "SENSITIVITY_MOVES",
    "TOTAL",
    "Moves",
    "ServedPaths",
    "Simulation",
    "affordable_paths",
    "bridge",
    "budgeted_paths",
    "memory_paths",
    "path_choices",
    "sensitivity",
    "served_paths",
    "simulate",
]

PERCENTILES = (5, 10, 50, 90, 95)
_BAND = [f"p{q}" for q in PERCENTILES]
DEFAULT_PATHS = 10_000
"""Paths a simulation draws unless told otherwise: the Risk and Opportunity pages, the brief,
exports and ``market risk`` all start here (within the file's memory budget)."""
MAX_PATHS = 1_000_000
MEMORY_CEILING = 256 * 1024**2
"""Bytes one simulation may hold at its peak: a pod with 1 GiB serves several at once."""
MIN_PATHS = 100
"""Fewer paths make no band worth drawing; the largest file the limits allow (500
segments, 201 years) still fits this many well under the ceiling."""
_BYTES_PER_CELL = 8 * 1.2
"""One float64 of the trajectory cube (rows × years × paths), plus the temporaries the
draws and the percentiles need beside it (measured by tests/market/test_risk_memory.py)."""
SENSITIVITY_COLUMNS = [
    "path",
    "label",
    "low_input",
    "high_input",
    "base_input",
    "low_value",
    "high_value",
    "base_value",
    "swing",
]
BRIDGE_COLUMNS = ["label", "path", "kind", "from_input", "to_input", "value"]
TOTAL = "total"
"""The target that names the whole market (a segment is ``"<dimension>/<segment>"``): what
the tornado, the bridge and goal seek explain unless told otherwise."""

_MAX_CONCENTRATION = 1e100
"""Keeps gamma draws finite; at this concentration a draw equals the mean shares anyway."""
_GROWTH_PATHS = (CAGR_PATH, BASE_VALUE_PATH)


# --- Monte Carlo -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Simulation:
    """The result of :func:`simulate`.

    ``totals``: index ``year``, columns ``p5, p10, p50, p90, p95`` of the market size.
    ``segments``: one row per segment and year, columns ``dimension`` (id), ``parent``
    (display name, "" at a dimension's top level), ``segment`` (display name), ``year`` and
    the same percentiles; None when :func:`simulate` was asked for the total only.
    ``horizon_totals``: every path's horizon-year total (read-only).
    ``target``: the reported horizon-year value, if the file has one, and
    ``probability_of_target`` the share of paths reaching it.
    """

    paths: int
    seed: int | None
    cagr_sd_pct: float
    totals: pd.DataFrame = field(repr=False)
    segments: pd.DataFrame | None = field(repr=False)
    horizon_totals: np.ndarray = field(repr=False)
    target: float | None
    probability_of_target: float | None


@dataclass(frozen=True)
class _Group:
    """Where one sibling group's paths sit in the cube of trajectories."""

    dimension: str
    parent: str
    names: tuple[str, ...]
    rows: slice
    parent_row: int  # 0, the total, for a dimension's top level
    key: str = ""  # the forecast's group key: ancestor ids joined by dots, "" at the top
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Trajectories:
    """Every path: ``cube[0]`` is the total, later rows the segments; shape (rows, years, paths)."""

    years: np.ndarray
    cube: np.ndarray
    groups: tuple[_Group, ...]


@dataclass(frozen=True)
class _Draw:
    """What each sibling group of one dimension needs to draw its mix and grow it."""

    rng: np.random.Generator
    rates: np.ndarray  # (paths, years - 1): each path's market rates, fractions
    base: int  # the base year's index among the years
    concentration: float
    cube: np.ndarray


def simulate(
    a: Assumptions,
    paths: int = DEFAULT_PATHS,
    seed: int | None = 0,
    cagr_sd_pct: float | None = None,
    *,
    by_segment: bool = True,
) -> Simulation:
    """A Monte Carlo band around the forecast, so a reader sees how sure the line is.

    Each path draws its CAGR from Normal(CAGR, sd) and each sibling group's shares from a
    Dirichlet centred on the assumed shares (``uncertainty.share_concentration``). The same
    ``seed`` gives the same result; ``seed=None`` draws fresh entropy. ``by_segment=False``
    leaves out the segments (``segments`` is None): the same totals, from the CAGR draws
    alone, without drawing every segment's paths and sorting them for their percentiles.
    """
    paths = _checked_paths(paths)
    sd = a.uncertainty.cagr_sd_pct.value if cagr_sd_pct is None else float(cagr_sd_pct)
    if not math.isfinite(sd) or sd < 0:
        raise ValueError(f"cagr_sd_pct must be a non-negative number, got {cagr_sd_pct}")
    rng = np.random.default_rng(seed)
    t = _trajectories(a, paths, rng, sd, by_segment=by_segment, sort=True)
    horizon_totals = t.cube[0, -1].copy()
    horizon_totals.setflags(write=False)
    t.cube[0].sort(axis=-1)  # the total last: every dimension's top level shares it out
    band = _percentiles(t.cube)
    target = reference(a).figures.get(a.years.horizon)
    probability = None if target is None else float(np.mean(horizon_totals >= target))
    return Simulation(
        paths=paths,
        seed=seed,
        cagr_sd_pct=sd,
        totals=pd.DataFrame(band[0], index=pd.Index(t.years, name="year"), columns=_BAND),
        segments=_segment_frame(t, band[1:]) if by_segment else None,
        horizon_totals=horizon_totals,
        target=target,
        probability_of_target=probability,
    )


@dataclass(frozen=True, eq=False)
class ServedPaths:
    """The result of :func:`served_paths`: arrays of shape (years, paths), read-only.

    ``years`` are the file's years (history included); ``market`` is each path's total and
    ``served`` the part of it held by the picked segments.
    """

    paths: int
    seed: int | None
    years: np.ndarray = field(repr=False)
    market: np.ndarray = field(repr=False)
    served: np.ndarray = field(repr=False)


def served_paths(
    a: Assumptions,
    served: Mapping[str, Mapping[str, float]],
    paths: int = DEFAULT_PATHS,
    seed: int | None = 0,
) -> ServedPaths:
    """Each simulated path's market and the part of it some segments hold (a served market).

    ``served`` maps a dimension id to ``{segment key: fraction served}``, the key being the
    ids below the dimension joined by dots (``"software"``, ``"software.ehr-systems"``) and
    the fraction in 0..1. On every path, each dimension contributes the fraction of it the
    picked segments hold *on that path* (their drawn mix, grown), and the dimensions are
    multiplied: the independence assumption of :mod:`market.opportunity`. Paths are drawn
    exactly as in :func:`simulate`, so the same seed gives the same markets.
    """
    paths = _checked_paths(paths)
    t = _trajectories(a, paths, np.random.default_rng(seed), a.uncertainty.cagr_sd_pct.value)
    rows: dict[tuple[str, str], int] = {}
    top: dict[str, slice] = {}
    for g in t.groups:
        if not g.key:
            top[g.dimension] = g.rows
        for i, sid in enumerate(g.ids):
            rows[(g.dimension, f"{g.key}.{sid}" if g.key else sid)] = g.rows.start + i
    fraction = np.ones(t.cube.shape[1:])
    for dimension, picks in served.items():
        unknown = [key for key in picks if (dimension, key) not in rows]
        if unknown:
            raise ValueError(f"no segment {', '.join(unknown)} in dimension {dimension!r}")
        part = sum(t.cube[rows[(dimension, key)]] * float(f) for key, f in picks.items())
        whole = t.cube[top[dimension]].sum(axis=0)
        fraction *= served_share(part, whole)
    market = t.cube[0].copy()
    sam = market * fraction
    for array in (market, sam):
        array.setflags(write=False)
    return ServedPaths(paths=paths, seed=seed, years=t.years, market=market, served=sam)


def memory_paths(a: Assumptions) -> int:
    """The most paths one simulation of ``a`` may draw and stay under :data:`MEMORY_CEILING`.

    The simulation holds every path of the total and of every segment in every year, so
    its memory grows with paths × (segments + 1) × years; this is the one place that budget
    is computed (the Risk page, the brief and ``market risk`` all ask here).
    """
    cells = (1 + a.segment_count) * len(a.years.all)
    return max(MIN_PATHS, min(MAX_PATHS, int(MEMORY_CEILING / (_BYTES_PER_CELL * cells))))


def budgeted_paths(a: Assumptions, wanted: int) -> int:
    """``wanted`` paths, or fewer if that many would pass the memory ceiling."""
    return min(_checked_paths(wanted), memory_paths(a))


def affordable_paths(a: Assumptions, budget: int = 5_000_000) -> int:
    """The most paths an interactive page offers: within the memory ceiling, and with
    paths × segments at most ``budget`` values per year, so a file with hundreds of
    segments stays responsive."""
    segments = a.segment_count
    return min(memory_paths(a), max(1_000, budget // max(segments, 1)))


PATH_CHOICES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
"""The numbers of paths an interactive page offers, where the file affords them
(:data:`DEFAULT_PATHS` among them)."""


def path_choices(a: Assumptions) -> list[int]:
    """The numbers of paths the Risk page offers for ``a``: those of :data:`PATH_CHOICES`
    it affords (:func:`affordable_paths`), or that most alone when it affords fewer."""
    most = affordable_paths(a)
    return [n for n in PATH_CHOICES if n <= most] or [most]


def _checked_paths(paths: int) -> int:
    if isinstance(paths, bool) or not isinstance(paths, int | np.integer):
        raise ValueError(f"paths must be a whole number from 1 to {MAX_PATHS:,}, got {paths!r}")
    if not 1 <= paths <= MAX_PATHS:
        raise ValueError(f"paths must be from 1 to {MAX_PATHS:,}, got {paths:,}")
    return int(paths)


def _trajectories(
    a: Assumptions,
    paths: int,
    rng: np.random.Generator,
    sd: float,
    *,
    by_segment: bool = True,
    sort: bool = False,
) -> _Trajectories:
    """Every path's total and segments, drawn so that a seed reproduces them.

    The CAGRs are drawn first, from ``rng``; each dimension then draws its mixes from a
    generator of its own, spawned from ``rng`` in the dimensions' order, so the dimensions
    can be drawn at once on :data:`_WORKERS` and still give the same paths every time.
    Without ``by_segment`` only the totals are drawn: they depend on the CAGR draws alone,
    since each segment group is scaled to add up to its parent. ``sort`` sorts each
    dimension's rows along the paths once they are final (a simulation's percentiles), on
    the thread that drew them; the total's row is left as it is, as every dimension reads it.
    """
    if paths > memory_paths(a):
        raise ValueError(
            f"{paths:,} paths of this file would need more than {MEMORY_CEILING // 2**20} MB; "
            f"at most {memory_paths(a):,} fit (see budgeted_paths)"
        )
    years = np.arange(a.years.first, a.years.horizon + 1)
    rows = 1 + a.segment_count if by_segment else 1
    cube = np.empty((rows, len(years), paths))
    rates = market_rates(a, cagr=rng.normal(a.growth.cagr_pct.value, sd, size=paths) / 100.0)
    if rates.strides[-1] != 0:  # rates that change by year: laid out year after year, once,
        rates = np.asfortranarray(rates)  # as grow reads them for every sibling group
    base = a.years.base - a.years.first
    grow(a.growth.base_value.value, rates, base, out=cube[0].T)  # (paths, years) of the cube
    reported = reference(a).figures  # history as the forecast shows it (market.model.forecast)
    history = (years < a.years.base) & np.array([int(y) in reported for y in years])
    if history.any():
        cube[0, history] = np.array([reported[int(y)] for y in years[history]])[:, None]
    if not by_segment:
        return _Trajectories(years=years, cube=cube, groups=())
    concentration = min(a.uncertainty.share_concentration.value, _MAX_CONCENTRATION)
    generators = rng.spawn(len(a.dimensions))
    draws = [_Draw(g, rates, base, concentration, cube) for g in generators]
    return _Trajectories(years=years, cube=cube, groups=_share_all(a, draws, sort))


_WORKER_THREADS = min(2, os.cpu_count() or 1)
"""Threads drawing a simulation's dimensions at once (numpy lets go of the interpreter while
it draws, grows and sorts): two at most, since the server has other sessions to serve."""
_WORKERS = ThreadPoolExecutor(max_workers=_WORKER_THREADS, thread_name_prefix="market-paths")
_HANDOFF_SIZE = 500_000
"""Cubes holding fewer values than this are drawn on the calling thread: a hand-off costs
more than it saves."""


def _share_all(a: Assumptions, draws: list[_Draw], sort: bool) -> tuple[_Group, ...]:
    """Every sibling group's paths, in the cube's rows after the total's, in the walk's
    order (the forecast's groups' order too): each dimension's groups on rows of their own,
    drawn with that dimension's :class:`_Draw`, on :data:`_WORKERS` for a large cube.

    Drawing, growing and sorting the segments is nearly all of a simulation; the calling
    thread drew them one dimension after another while the sort ran beside it, and used
    one and a half of two cores. A dimension at a time on each worker uses both.
    """
    jobs = []
    row = 1
    for dimension, draw in zip(a.dimensions, draws, strict=True):
        jobs.append(functools.partial(_share_dimension, draw, dimension, row, sort))
        row += dimension.segment_count
    cube = draws[0].cube  # one for all: a file has at least one dimension
    if cube.size < _HANDOFF_SIZE or _WORKER_THREADS < 2 or len(jobs) < 2:
        shared = [job() for job in jobs]
    else:
        shared = [future.result() for future in [_WORKERS.submit(job) for job in jobs]]
    return tuple(group for groups in shared for group in groups)


def _share_dimension(draw: _Draw, dimension: Dimension, first_row: int, sort: bool) -> list[_Group]:
    """One dimension's sibling groups, from ``first_row`` of the cube on, each sharing out
    its parent's paths (the total's for the top level); with ``sort``, its rows sorted."""
    groups: list[_Group] = []
    group_row: dict[str, int] = {}  # each sibling group's first row, by its parent's key
    row = first_row
    for place in dimension.walk():
        if place.index == 0:  # a sibling group begins: share its parent's paths out among it
            group_row[place.parent_key] = row
            parent = place.parent
            parent_row = 0 if parent is None else group_row[parent.parent_key] + parent.index
            groups.append(_share_out(draw, place, parent_row, row))
            row += len(place.siblings)
    if sort:
        draw.cube[first_row:row].sort(axis=-1)
    return groups


def _share_out(draw: _Draw, place: Place, parent_row: int, row: int) -> _Group:
    """Share the parent's paths among the siblings ``place`` begins, from ``row`` on, with
    mix shift."""
    segments = place.siblings
    rows = slice(row, row + len(segments))
    shares = _dirichlet(draw, np.array([s.share for s in segments]))
    differentials = np.array([s.differential_pp for s in segments])[:, None] / 100.0
    values = draw.cube[rows]  # (segments, years, paths), grown in place: no temporary as large
    grow(shares, draw.rates, draw.base, differential=differentials, out=values.transpose(0, 2, 1))
    scale = values.sum(axis=0)
    np.divide(draw.cube[parent_row], scale, out=scale)
    values *= scale
    parent = "" if place.parent is None else place.parent.segment.name
    names, ids = tuple(s.name for s in segments), tuple(s.id for s in segments)
    return _Group(place.dimension.id, parent, names, rows, parent_row, place.parent_key, ids)


def _dirichlet(draw: _Draw, weights: np.ndarray) -> np.ndarray:
    """Shares per path, shape (segments, paths): Dirichlet around the normalised weights.

    Zero-weight segments stay at zero; if every gamma draw of a path underflows (a tiny
    concentration), that path keeps the mean shares rather than dividing by zero.
    """
    mean = weights / weights.sum()
    live = mean > 0
    alpha = np.maximum(draw.concentration * mean[live], np.finfo(float).tiny)
    paths = draw.rates.shape[0]
    gammas = np.empty((len(alpha), paths))
    for row, shape in zip(gammas, alpha.tolist(), strict=True):  # the draws of one call with
        draw.rng.standard_gamma(shape, out=row)  # every alpha, in its order, a fifth faster
    sums = gammas.sum(axis=0)
    drawn = sums > 0
    shares = np.zeros((len(weights), paths))
    shares[live] = np.where(drawn, gammas / np.where(drawn, sums, 1.0), mean[live][:, None])
    return shares


def _percentiles(cube: np.ndarray) -> np.ndarray:
    """Percentiles over the last axis of a ``cube`` sorted along it, shape (..., 5).

    One sort of every row is several times faster than ``np.percentile``'s partitions
    (:func:`_share_dimension` sorts them); the interpolation is numpy's "linear" method,
    including its rounding-safe form.
    """
    n = cube.shape[-1]
    h = (n - 1) * np.array(PERCENTILES) / 100.0
    lo = np.floor(h).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    t = h - lo
    below, above = cube[..., lo], cube[..., hi]
    step = above - below
    between: np.ndarray = np.where(t >= 0.5, above - step * (1.0 - t), below + step * t)
    return between


def _segment_frame(t: _Trajectories, band: np.ndarray) -> pd.DataFrame:
    """The long frame of segment percentiles; ``band`` has shape (segments, years, 5)."""
    n_years = len(t.years)
    dimension = [g.dimension for g in t.groups for _ in g.names]
    parent = [g.parent for g in t.groups for _ in g.names]
    segment = [name for g in t.groups for name in g.names]
    labels = {
        "dimension": np.repeat(dimension, n_years).astype(object),
        "parent": np.repeat(parent, n_years).astype(object),
        "segment": np.repeat(segment, n_years).astype(object),
        "year": np.tile(t.years, len(segment)),
    }
    values = band.reshape(len(segment) * n_years, len(PERCENTILES))
    return pd.DataFrame({**labels, **dict(zip(_BAND, values.T, strict=True))})


# --- Targets shared by sensitivity and bridge --------------------------------------------


@dataclass(frozen=True)
class _Target:
    """A number read off a forecast: the total, or one segment, in the horizon year."""

    dimension: str = ""  # "" for the total
    parent: str = ""  # the forecast's group key: ancestor ids joined by dots, "" at the top
    segment: str = ""

    def value(self, f: Forecast) -> float:
        if not self.dimension:
            return f.horizon_value
        group = f.groups[(self.dimension, self.parent)]
        return as_float(group.values.loc[f.horizon].iloc[group.ids.index(self.segment)])


def _target(a: Assumptions, target: str) -> _Target:
    """:data:`TOTAL` or ``"<dimension>/<segment>[/<sub>]"``; ValueError listing the valid ones."""
    if target == TOTAL:
        return _Target()
    known = [
        p.path.removeprefix("share.").replace(".", "/") for p in parameters(a) if p.group == "share"
    ]
    if target not in known:
        raise ValueError(f"unknown target {target!r}; valid targets: {TOTAL}, {', '.join(known)}")
    dimension, *ids = target.split("/")
    return _Target(dimension, ".".join(ids[:-1]), ids[-1])


def _labels(params: Sequence[Parameter]) -> list[str]:
    """Parameter labels, qualified by dimension (and parent) where two would read the same."""
    counts = Counter(p.label for p in params)
    return [
        p.label
        if counts[p.label] == 1
        else f"{p.label} ({p.dimension}{' / ' + p.parent if p.parent else ''})"
        for p in params
    ]


# --- Sensitivity -------------------------------------------------------------------------


@dataclass(frozen=True)
class Moves:
    """How far the tornado moves each kind of assumption, down and up: the CAGR and a
    growth differential by percentage points, the base value and a share weight by a
    percentage of themselves."""

    cagr_pp: float = 2.0
    base_value_pct: float = 10.0
    share_pct: float = 20.0
    diff_pp: float = 1.0


SENSITIVITY_MOVES = Moves()
"""The moves :func:`sensitivity` makes unless told otherwise: every tornado (the Risk page,
the deck, ``market risk``), and the Risk page's caption says them."""


def sensitivity(
    a: Assumptions,
    target: str = TOTAL,
    *,
    cagr_pp: float = SENSITIVITY_MOVES.cagr_pp,
    base_value_pct: float = SENSITIVITY_MOVES.base_value_pct,
    share_pct: float = SENSITIVITY_MOVES.share_pct,
    diff_pp: float = SENSITIVITY_MOVES.diff_pp,
) -> pd.DataFrame:
    """How far the horizon-year value of ``target`` swings when each assumption moves.

    Moves: the CAGR by ``cagr_pp`` points, the base value by ``base_value_pct`` %, each
    share weight of the target's dimension by ``share_pct`` % of itself and each of its
    differentials by ``diff_pp`` points, down and up, clamped into the parameter's range.
    The total has no dimension, so only the growth assumptions can move it; uncertainty
    never moves a deterministic value. Columns: :data:`SENSITIVITY_COLUMNS`, largest swing
    first, rows that do not move the target left out (a tornado chart's input).
    """
    where = _target(a, target)
    moves = _moves(cagr_pp, base_value_pct, share_pct, diff_pp)
    base = where.value(forecast(a))
    chosen = [p for p in parameters(a) if _moves_target(p, where)]
    rows = []
    for p, label in zip(chosen, _labels(chosen), strict=True):
        (low, low_value), (high, high_value) = (
            _moved_end(a, where, p, x, base) for x in _moved(p, moves)
        )
        swing = abs(high_value - low_value)
        rows.append((p.path, label, low, high, p.value, low_value, high_value, base, swing))
    frame = pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
    frame = frame[frame["swing"] > 1e-12 * abs(base)]
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def _moved_end(
    a: Assumptions, where: _Target, p: Parameter, x: float, base: float
) -> tuple[float, float]:
    """The input at one end of a bar and the target's value there. A move the assumptions
    cannot take is not made: the end stays at the parameter's own value (a CAGR whose high
    end would carry the horizon past a logistic ceiling), so the tornado still draws."""
    if x == p.value:
        return x, base
    try:
        moved = apply_overrides(a, {p.path: x})
    except OverrideError:
        return p.value, base
    return x, where.value(forecast(moved))


_Moves = dict[str, tuple[float, bool]]


def _moves(cagr_pp: float, base_value_pct: float, share_pct: float, diff_pp: float) -> _Moves:
    """Each kind of parameter's move as (amount, relative?), after checking the amounts."""
    given = {
        "cagr_pp": cagr_pp,
        "base_value_pct": base_value_pct,
        "share_pct": share_pct,
        "diff_pp": diff_pp,
    }
    for name, amount in given.items():
        if not math.isfinite(amount) or amount < 0:
            raise ValueError(f"{name} must be a non-negative number, got {amount}")
    for name in ("base_value_pct", "share_pct"):
        if given[name] >= 100:
            raise ValueError(f"{name} must be below 100 so a value never falls to zero")
    return {
        CAGR_PATH: (cagr_pp, False),
        BASE_VALUE_PATH: (base_value_pct, True),
        "share": (share_pct, True),
        "diff": (diff_pp, False),
    }


def _moves_target(p: Parameter, where: _Target) -> bool:
    if p.path in _GROWTH_PATHS:
        return True
    return bool(where.dimension) and p.group in ("share", "diff") and p.dimension == where.dimension


def _moved(p: Parameter, moves: _Moves) -> tuple[float, float]:
    amount, relative = moves.get(p.path) or moves[p.group]
    delta = abs(p.value) * amount / 100.0 if relative else amount
    low, high = (min(max(p.value + sign * delta, p.low), p.high) for sign in (-1.0, 1.0))
    return low, high


# --- Bridge ------------------------------------------------------------------------------


def bridge(a: Assumptions, b: Assumptions, target: str = TOTAL) -> pd.DataFrame:
    """How the horizon-year value of ``target`` moves from scenario ``a`` to scenario ``b``.

    Each changed assumption is switched from a's value to b's, one at a time in the order
    of :func:`market.parameters.parameters`, and takes the change it causes; the steps add
    up to ``end - start``. A change of growth shape is one step, with the shape's own
    parameters (label "Growth shape: constant → fade"), and different actual figures are
    a last step ("Actual figures"); neither has a single number before and after (their
    inputs are NaN). A step that would leave a sibling group with no positive share on the
    way waits until a sibling has been raised. Columns: :data:`BRIDGE_COLUMNS`; rows are
    ``start``, one ``step`` per changed assumption (zero changes kept), then ``end``.
    """
    _check_comparable(a, b)
    where = _target(a, target)
    start = where.value(forecast(a))
    changed = changed_overrides(a, b)
    params = {p.path: p for p in parameters(a) if p.path in changed}
    labels = dict(zip(params, _labels(list(params.values())), strict=True))
    shape_paths = [path for path in params if path in _SHAPE_FAMILY]
    steps = {path: {path: value} for path, value in changed.items() if path not in _SHAPE_FAMILY}
    if shape_paths:  # one step, where the first of them comes
        order = list(params)
        steps[shape_paths[0]] = {path: changed[path] for path in shape_paths}
        steps = dict(sorted(steps.items(), key=lambda item: order.index(item[0])))
        labels[shape_paths[0]] = f"Growth shape: {_shape_text(a)} → {_shape_text(b)}"
    rows: list[tuple[str, str, str, float, float, float]] = [
        ("Start", "", "start", math.nan, math.nan, start)
    ]
    previous = start
    current = a
    for path, current in _substitutions(a, steps):
        value = where.value(forecast(current))
        grouped = path in _SHAPE_FAMILY
        before, after = (math.nan, math.nan) if grouped else (params[path].value, changed[path])
        rows.append((labels[path], path, "step", before, after, value - previous))
        previous = value
    if a.actuals != b.actuals:
        current = Assumptions.model_validate(
            {**current.model_dump(), "actuals": [v.model_dump() for v in b.actuals]}
        )
        value = where.value(forecast(current))
        rows.append(("Actual figures", "actuals", "step", math.nan, math.nan, value - previous))
    rows.append(("End", "", "end", math.nan, math.nan, where.value(forecast(b))))
    return pd.DataFrame(rows, columns=BRIDGE_COLUMNS)


_SHAPE_FAMILY = frozenset(
    {SHAPE_PATH}
    | {
        spec.path
        for spec in PARAMETER_TABLE
        if spec.shown_with and spec.shown_with[0] == SHAPE_PATH
    }
)
"""The growth shape and its own parameters: one step of a bridge."""


def _shape_text(a: Assumptions) -> str:
    growth = a.growth
    detail = {
        GrowthShape.FADE: f" ({growth.fade_pp.value:+g} pp a year)",
        GrowthShape.DAMPED: f" (φ {growth.damping.value:g})",
        GrowthShape.LOGISTIC: f" (capacity {growth.spread.capacity:,.6g})",
    }.get(growth.shape.value, "")
    return growth.shape.value.value + detail


def _substitutions(
    a: Assumptions, steps: dict[str, dict[str, float]]
) -> Iterator[tuple[str, Assumptions]]:
    """Yield ``(step, assumptions so far)`` as each step's changes are applied in turn.

    A step the schema refuses at this point (a share set to zero before its sibling is
    raised) is retried after the next one; a step that never fits raises ValueError.
    """
    current, pending = a, list(steps)
    while pending:
        errors = {}
        for step in pending:
            try:
                current = apply_overrides(current, steps[step])
            except OverrideError as err:
                errors[step] = str(err)
                continue
            pending.remove(step)
            yield step, current
            break
        else:
            raise ValueError(f"cannot move to the second scenario: {'; '.join(errors.values())}")


def _check_comparable(a: Assumptions, b: Assumptions) -> None:
    """ValueError naming what differs if ``a`` and ``b`` are not the same market structure."""
    problems = []
    if a.years != b.years:
        problems.append(f"years differ ({_years(a)} against {_years(b)})")
    paths_a, paths_b = ({p.path for p in parameters(x)} for x in (a, b))
    if paths_a - paths_b:
        problems.append(f"only in the first: {', '.join(sorted(paths_a - paths_b))}")
    if paths_b - paths_a:
        problems.append(f"only in the second: {', '.join(sorted(paths_b - paths_a))}")
    if problems:
        raise ValueError(f"the scenarios have different structures: {'; '.join(problems)}")


def _years(a: Assumptions) -> str:
    return f"{a.years.first}-{a.years.base}-{a.years.horizon}"
