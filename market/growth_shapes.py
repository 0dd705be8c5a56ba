"""Growth shapes: how a compound average growth rate is spread over the years.

Units: rates are fractions (0.2012 for 20.12 % a year), a fade is a fraction a year
(-0.01 for -1 percentage point a year), the damping factor φ has no unit and a capacity
is in the market's unit.

The CAGR keeps its meaning under every shape: the compound average growth from the start
value to the end of the span, so the value at the end of the span is the one the CAGR
alone gives. A shape only decides how that growth is spread over the years:

- ``constant``: every year at the CAGR;
- ``fade``: the rate moves by ``fade`` every year, ``g₁ + fade·(t-1)``;
- ``damped``: the rate is multiplied by ``φ`` every year, ``g₁·φ^(t-1)`` (exponential
  smoothing's damped trend);
- ``logistic``: the logistic curve through the start value and the end value with the
  ceiling ``capacity`` (Prophet's logistic growth with a cap).

``g₁``, the first year's rate, is solved so that the span's end value holds: a safeguarded
Newton iteration on the sum of the yearly log-factors, vectorised over any number of CAGRs
at once (one per Monte Carlo path). The sum is increasing and concave in ``g₁``, so the
iteration converges from any start and a step that would leave a year at or below -100 %
is halved towards the edge instead. The logistic curve is written down directly.

This module is below the schema (:mod:`market.assumptions` checks a file's shape with it)
and the model (:func:`market.model.market_rates`, the one place the forecast, the Monte
Carlo and the calibration ask for yearly rates, spreads the CAGR with it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

import numpy as np

__all__ = [
    "FLOOR",
    "GrowthShape",
    "Rebase",
    "Spread",
    "path_rates",
    "spread",
]

FLOOR = 1e-6
"""The smallest growth factor a year may have (a year at -99.9999 %): the growth kernel
holds a value shrinking faster at this size, so a shape needing a smaller factor cannot
keep its end value, and a file asking for one is refused."""

_NEWTON_STEPS = 100
"""More than enough: from the linear first guess the iteration settles in under ten."""

_SETTLED = 1e-12
"""How close to the CAGR's end value the spread must come: the iteration stops one step
after the log of the ratio of the two is this small (relative to the log the CAGR gives,
where that is above one). A step size says less: next to the edge, where a year's factor
is near zero, a tiny step still leaves the end value 1e-9 off."""


class GrowthShape(StrEnum):
    """How the CAGR is spread over the years (see the module's docstring)."""

    CONSTANT = "constant"
    FADE = "fade"
    DAMPED = "damped"
    LOGISTIC = "logistic"


class Rebase(StrEnum):
    """What a newer actual figure does to the forecast.

    ``none``: nothing, the drift is shown; ``hold-end``: the path runs through the latest
    actual and still reaches the horizon value (as a publisher's new edition does);
    ``hold-growth``: the path runs through the latest actual and keeps the yearly rates.
    """

    NONE = "none"
    HOLD_END = "hold-end"
    HOLD_GROWTH = "hold-growth"


@dataclass(frozen=True)
class Spread:
    """A growth shape with its parameters: ``fade`` (a fraction a year), ``damping`` (φ)
    and ``capacity`` (market units; infinite for none)."""

    shape: GrowthShape = GrowthShape.CONSTANT
    fade: float = 0.0
    damping: float = 1.0
    capacity: float = math.inf

    @property
    def constant(self) -> bool:
        """Whether every year grows at the CAGR itself: the constant shape, or a shape whose
        parameter is neutral (no fade, φ = 1, no ceiling), which gives exactly that path."""
        return (
            self.shape is GrowthShape.CONSTANT
            or (self.shape is GrowthShape.FADE and self.fade == 0.0)
            or (self.shape is GrowthShape.DAMPED and self.damping == 1.0)
            or (self.shape is GrowthShape.LOGISTIC and math.isinf(self.capacity))
        )


def spread(
    how: Spread,
    cagr: float | np.ndarray,
    span: int,
    count: int | None = None,
    *,
    start_value: float = 1.0,
) -> np.ndarray:
    """The yearly rates that spread ``cagr`` over ``span`` years the way ``how`` says.

    Entry ``t`` is the rate from year ``t`` to ``t + 1`` after the start; the first ``span``
    of them compound to ``(1 + cagr) ** span``. ``count`` (at least ``span``, default
    ``span``) asks for more years: the shape carries on past the span (a fade keeps fading,
    a logistic curve keeps levelling off). ``cagr`` may be an array (one per path): the
    result has shape ``(*cagr.shape, count)``. ``start_value`` (the value the span starts
    from, market units) places the logistic curve under its ceiling; where the end value
    would reach the ceiling (a path drawn far above the assumption), that path grows at its
    CAGR every year. A constant spread is a read-only broadcast view.
    """
    count = span if count is None else count
    rate = np.asarray(cagr, dtype=float)
    if how.constant:
        return np.broadcast_to(rate[..., None], (*rate.shape, count))
    years = np.arange(count, dtype=float)  # t - 1 for the years t = 1 .. count
    if how.shape is GrowthShape.LOGISTIC:
        return _logistic(rate, span, years, how.capacity, start_value)
    if how.shape is GrowthShape.FADE:
        weights, offsets = np.ones(count), how.fade * years
    else:  # damped
        weights, offsets = how.damping**years, np.zeros(count)
    first = _first_rate(rate, span, weights[:span], offsets[:span])
    rates: np.ndarray = first[..., None] * weights + offsets
    return rates


def path_rates(
    how: Spread,
    rebase: Rebase,
    cagr: float | np.ndarray,
    span: int,
    count: int | None = None,
    *,
    start_value: float,
    anchors: Sequence[tuple[int, float]] = (),
) -> np.ndarray:
    """The yearly rates of a forecast: :func:`spread` from ``start_value``, re-based on the
    ``anchors`` (actual figures: ``(years after the start, value)``, each inside the span)
    as ``rebase`` says.

    With anchors and a re-basing, the path runs through the start and every anchor, at the
    constant rate between each two (as published figures are read), then from the latest
    anchor on: ``hold-end`` spreads the growth that still reaches the span's end value (the
    CAGR's) over the years left, in the same shape; ``hold-growth`` keeps the rates the
    shape gives those years. Every path passes through the anchors: they are known.
    """
    count = span if count is None else count
    rate = np.asarray(cagr, dtype=float)
    if rebase is Rebase.NONE or not anchors:
        return spread(how, rate, span, count, start_value=start_value)
    points = [(0, start_value), *sorted(anchors)]
    head = np.concatenate(
        [
            np.full(t1 - t0, (v1 / v0) ** (1.0 / (t1 - t0)) - 1.0)
            for (t0, v0), (t1, v1) in pairwise(points)
        ]
    )
    last, value = points[-1]
    if rebase is Rebase.HOLD_GROWTH:
        tail = spread(how, rate, span, count, start_value=start_value)[..., last:]
    else:  # hold-end: from the latest anchor to the end value the CAGR gives
        left = span - last
        ratio = np.power(np.maximum(1.0 + rate, FLOOR), span / left) * (start_value / value) ** (
            1.0 / left
        )
        tail = spread(how, ratio - 1.0, left, count - last, start_value=value)
    head = np.broadcast_to(head, (*rate.shape, last))
    rates: np.ndarray = np.concatenate(
        (head, np.broadcast_to(tail, (*rate.shape, count - last))), axis=-1
    )
    return rates


def _first_rate(
    cagr: np.ndarray, span: int, weights: np.ndarray, offsets: np.ndarray
) -> np.ndarray:
    """``g`` such that the factors ``1 + g·w_t + a_t`` of the span multiply to
    ``(1 + cagr) ** span``, for every CAGR at once (``weights`` all positive).

    ``F(g) = Σ log(1 + g·w_t + a_t) - span·log(1 + cagr)`` rises from -∞ at the edge
    ``g_min`` (where a year's factor reaches 0) to +∞ and is concave, so Newton's iteration
    from the left of the root climbs to it without overshooting; a step from the right that
    lands beyond the edge is replaced by the midpoint towards the edge.
    """
    if cagr.ndim == 0:  # one CAGR (the forecast): floats, ten times faster than arrays
        return np.asarray(_first_rate_of(float(cagr), span, weights.tolist(), offsets.tolist()))
    flat = cagr.ravel()
    target = span * np.log(np.maximum(1.0 + flat, FLOOR))
    edge = float(np.max((-1.0 - offsets) / weights))  # every factor is positive above it
    # Start from the tangent at the mean CAGR, solved in floats: the paths' CAGRs lie close
    # around it, so two or three steps settle every path.
    mean = float(flat.mean())
    at_mean = _first_rate_of(mean, span, weights.tolist(), offsets.tolist())
    # A CAGR the shape cannot spread (a steep fade over a long span) takes g to the edge,
    # where a year's factor is 0: its log and slope are infinite there, by design
    with np.errstate(divide="ignore", invalid="ignore"):
        factors_at_mean = 1.0 + at_mean * weights + offsets
        slope = span / max(1.0 + mean, FLOOR) / float((weights / factors_at_mean).sum())
        g = at_mean + (flat - mean) * slope
        g = np.where(g > edge, g, edge + 1.0)
        column_weights, column_offsets = weights[:, None], offsets[:, None]  # (span, 1)
        tolerance = _SETTLED * np.maximum(1.0, np.abs(target))
        for _ in range(_NEWTON_STEPS):
            # years down the rows, paths along them: each sum adds a few long rows
            factors = g * column_weights
            factors += column_offsets
            factors += 1.0
            value = np.log(factors).sum(axis=0) - target
            moved = g - value / (column_weights / factors).sum(axis=0)
            g = np.where(moved > edge, moved, 0.5 * (g + edge))
            if bool((np.abs(value) <= tolerance).all()):  # every path settled, and one more step
                break
    return np.asarray(g, dtype=float).reshape(cagr.shape)


def _first_rate_of(cagr: float, span: int, weights: list[float], offsets: list[float]) -> float:
    """:func:`_first_rate` for one CAGR, the same iteration in plain floats."""
    target = span * math.log(max(1.0 + cagr, FLOOR))
    pairs = list(zip(weights, offsets, strict=True))
    edge = max((-1.0 - a) / w for w, a in pairs)
    g = (span * cagr - sum(offsets)) / sum(weights)
    if not g > edge:
        g = edge + 1.0
    tolerance = _SETTLED * max(1.0, abs(target))
    for _ in range(_NEWTON_STEPS):
        factors = [1.0 + g * w + a for w, a in pairs]
        if min(factors) <= 0.0:  # halved onto the edge itself: no float lies between them
            break
        value = sum(map(math.log, factors)) - target
        moved = g - value / sum(w / f for (w, _), f in zip(pairs, factors, strict=True))
        g = moved if moved > edge else 0.5 * (g + edge)
        if abs(value) <= tolerance:
            break
    return g


def _logistic(
    cagr: np.ndarray, span: int, years: np.ndarray, capacity: float, start_value: float
) -> np.ndarray:
    """Rates along ``capacity / (1 + A·exp(-k·t))`` through ``start_value`` (t = 0) and the
    value the CAGR gives after ``span`` years; the CAGR itself where the curve cannot hold."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        end_value = start_value * np.power(1.0 + cagr, span)
        fits = (capacity > start_value) & (capacity > end_value) & (end_value > 0)
        log_a = math.log(capacity / start_value - 1.0) if capacity > start_value else 0.0
        log_b = np.log(np.where(fits, capacity / np.where(fits, end_value, 1.0) - 1.0, 1.0))
        k = np.where(fits, (log_a - log_b) / span, 0.0)
        steps = np.arange(len(years) + 1, dtype=float)
        # value_t = capacity / (1 + x_t) with x_t = A·e^(-kt), so the rate from t to t + 1
        # is x_t·(1 - e^(-k)) / (1 + x_(t+1)); x_t <= A, as k >= 0 wherever the curve holds
        x = np.exp(log_a - k[..., None] * steps)
        rates = x[..., :-1] * -np.expm1(-k)[..., None] / (1.0 + x[..., 1:])
    constant = np.broadcast_to(cagr[..., None], rates.shape)
    shaped: np.ndarray = np.where(fits[..., None], rates, constant)
    return shaped
