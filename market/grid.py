"""Two-way sensitivity: any two assumptions against one outcome, as a grid (a What-If table).

Units follow :mod:`market.assumptions`: outcomes in market units, an input in its own unit
(a CAGR in %, a differential in percentage points, a share as the file's weight, the
opportunity's target share in % of the served market).

An input is a parameter path (:mod:`market.parameters`: the CAGR, the base value, any
segment's share weight or growth differential) or, when an opportunity is set,
:data:`TARGET_SHARE` (the plan's target share of the served market). An axis runs from a
low to a high value in a number of equal steps (default: :data:`DEFAULT_STEPS` steps
across ±:data:`DEFAULT_SPAN_PCT` % of the current value), clamped to the parameter's range
with a warning. The outcome is :data:`market.risk.TOTAL`, a segment
(``"<dimension>/<segment>[/<sub>]"``, as the tornado spells it) or :data:`REVENUE` (the
opportunity's planned revenue), in one year (default: the horizon).

Each cell is the outcome of the forecast with the two inputs set as ordinary overrides:
exactly ``forecast(apply_overrides(a, {row: r, column: c}))`` read at the outcome, the
tests prove it cell by cell. The market's total and segments are worked for every cell at
once through the model's growth kernel (:func:`market.model.market_rates`,
:func:`~market.model.grow`, :func:`~market.model.log_growth`): the total grows from the
base value at the market's rates and each sibling group shares its parent out by weight
grown at those rates plus its differential (the mix shift of :func:`market.model.forecast`),
only along the outcome's line of groups, read in the outcome's year. The opportunity's
revenue is read from :func:`market.opportunity.plan`, once per distinct set of market
overrides (a few milliseconds a cell: not vectorised).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from market.assumptions import Assumptions, Segment
from market.estimates import reference
from market.model import Forecast, as_float, forecast, grow, log_growth, market_rates
from market.opportunity import Opportunity, OpportunityError, plan
from market.parameter_table import BASE_VALUE_PATH, CAGR_PATH, Kind
from market.parameters import OverrideError, Parameter, apply_overrides, parameters
from market.risk import TOTAL

__all__ = [
    "DEFAULT_SPAN_PCT",
    "DEFAULT_STEPS",
    "GRID_COLUMNS",
    "MAX_STEPS",
    "REVENUE",
    "TARGET_SHARE",
    "Axis",
    "AxisSpec",
    "Grid",
    "GridSpec",
    "Input",
    "default_range",
    "default_spec",
    "format_axis",
    "format_outcome",
    "format_range",
    "inputs",
    "outcomes",
    "parse_axis",
    "parse_outcome",
    "parse_range",
    "two_way",
]

DEFAULT_STEPS = 7
DEFAULT_SPAN_PCT = 25.0
"""An axis runs across ± this many % of the input's current value unless told otherwise."""
MAX_STEPS = 50
"""The most steps an axis may have: a grid holds at most 50 × 50 cells."""
TARGET_SHARE = "opportunity.target_share_pct"
"""The input that names the opportunity's target share of the served market, %."""
REVENUE = "revenue"
"""The outcome that names the opportunity's planned revenue."""
GRID_COLUMNS = ["row_value", "column_value", "value"]
"""The long form of a grid (:meth:`Grid.frame`): both inputs' values and the outcome's."""

_MARKET_GROUPS = ("growth", "share", "diff")
"""Parameter groups that move a forecast; the uncertainty moves only the Monte Carlo."""


@dataclass(frozen=True)
class Input:
    """One number a grid axis may vary: its path, label, unit, current value and range."""

    path: str
    label: str
    unit: str
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class AxisSpec:
    """What the user asked of one axis: the input, and its ends and steps (None: default)."""

    path: str
    low: float | None = None
    high: float | None = None
    steps: int = DEFAULT_STEPS


@dataclass(frozen=True)
class GridSpec:
    """What the user asked of a grid: its two axes, its outcome (``of`` in ``year``;
    ``year`` None is the horizon) and a ``target`` for the outcome to reach (None: none),
    in market units."""

    rows: AxisSpec
    columns: AxisSpec
    of: str = TOTAL
    year: int | None = None
    target: float | None = None


@dataclass(frozen=True)
class Axis:
    """One axis as drawn: the input and the values its steps take, low to high."""

    input: Input
    values: tuple[float, ...]

    @property
    def current(self) -> int | None:
        """The index of the step at the input's current value, or None if none is."""
        for i, v in enumerate(self.values):
            if math.isclose(v, self.input.value, rel_tol=1e-9, abs_tol=1e-12):
                return i
        return None


@dataclass(frozen=True, eq=False)
class Grid:
    """The result of :func:`two_way`.

    ``values``: shape (rows, columns), read-only, in market units: cell ``[i, j]`` is the
    outcome with the row input at ``rows.values[i]`` and the column input at
    ``columns.values[j]``; NaN where the model refuses the pair (every sibling share zero,
    or a plan anchored to a revenue above the served market).
    ``label`` names the outcome ("Total market in 2031"); ``warnings`` say which ends were
    clamped into an input's range; ``target`` is the spec's (see :meth:`reaching`).
    """

    rows: Axis
    columns: Axis
    of: str
    year: int
    label: str
    unit: str
    values: np.ndarray = field(repr=False)
    warnings: tuple[str, ...] = ()
    target: float | None = None

    @property
    def current(self) -> tuple[int, int] | None:
        """The cell of the current assumptions, or None if they lie between cells."""
        row, column = self.rows.current, self.columns.current
        return None if row is None or column is None else (row, column)

    def reaching(self, target: float | None = None) -> np.ndarray:
        """Which cells reach ``target`` (the grid's own by default; none without one) at or
        above it: the two-variable goal seek."""
        target = self.target if target is None else target
        if target is None:
            return np.zeros(self.values.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            return np.asarray(self.values >= target)

    def frame(self) -> pd.DataFrame:
        """One row per cell, rows first: columns :data:`GRID_COLUMNS`."""
        rows, columns = np.meshgrid(self.rows.values, self.columns.values, indexing="ij")
        return pd.DataFrame(
            {
                "row_value": rows.ravel(),
                "column_value": columns.ravel(),
                "value": self.values.ravel(),
            }
        )

    def overrides(self, row: int, column: int) -> dict[str, float]:
        """The two inputs' values at cell ``[row, column]``, by path."""
        return {
            self.rows.input.path: self.rows.values[row],
            self.columns.input.path: self.columns.values[column],
        }


# --- what a grid can vary and show -----------------------------------------------------------


def inputs(a: Assumptions, opp: Opportunity | None = None) -> dict[str, Input]:
    """Every input an axis may vary on ``a``, by path, in the parameter table's order: the
    growth assumptions, each segment's share weight and differential, and the opportunity's
    target share when ``opp`` is given."""
    chosen = [p for p in parameters(a) if p.group in _MARKET_GROUPS and _numeric(p)]
    counts = Counter(p.label for p in chosen)
    found = {p.path: _input(p, qualified=counts[p.label] > 1) for p in chosen}
    if opp is not None:
        found[TARGET_SHARE] = Input(
            TARGET_SHARE, "Target share of the served market", "%", opp.target_share_pct, 0, 100
        )
    return found


def _numeric(p: Parameter) -> bool:
    """Whether an axis can vary ``p``: a number (not a choice such as the growth shape) that
    every shape uses (not one shape's own parameter, which the others ignore)."""
    return p.kind is not Kind.CHOICE and p.shown_with is None


def _input(p: Parameter, *, qualified: bool) -> Input:
    """The parameter as an input; its label names the dimension (and parent) where two
    inputs' labels would read the same, as the tornado's do."""
    where = f"{p.dimension} / {p.parent}" if p.parent else p.dimension
    label = f"{p.label} ({where})" if qualified else p.label
    return Input(p.path, label, p.unit, p.value, p.low, p.high)


def outcomes(a: Assumptions, opp: Opportunity | None = None) -> dict[str, str]:
    """Every outcome a grid may show on ``a``, with a label: the total, each segment at
    every level (``"component/software/ehr-systems"``), and the opportunity's revenue when
    ``opp`` is given."""
    found = {TOTAL: "Total market"}

    def walk(prefix: str, label: str, segments: tuple[Segment, ...]) -> None:
        for s in segments:
            found[f"{prefix}/{s.id}"] = f"{label} › {s.name}"
            walk(f"{prefix}/{s.id}", f"{label} › {s.name}", s.segments)

    for d in a.dimensions:
        for s in d.segments:
            found[f"{d.id}/{s.id}"] = f"{d.name}: {s.name}"
            walk(f"{d.id}/{s.id}", f"{d.name}: {s.name}", s.segments)
    if opp is not None:
        found[REVENUE] = "Our revenue (opportunity plan)"
    return found


def default_spec(a: Assumptions) -> GridSpec:
    """The grid a page first shows: the CAGR against the base value (the two inputs that
    move the total), the total at the horizon."""
    return GridSpec(AxisSpec(CAGR_PATH), AxisSpec(BASE_VALUE_PATH))


# --- building a grid -------------------------------------------------------------------------


def two_way(a: Assumptions, spec: GridSpec, opp: Opportunity | None = None) -> Grid:
    """The outcome ``spec.of`` in ``spec.year`` for every pair of the two axes' values.

    ValueError (one line, naming what is wrong) for an unknown input or outcome, the same
    input on both axes, a year outside the forecast, more than :data:`MAX_STEPS` steps on an
    axis, or an axis whose range lies wholly outside its input's range.
    """
    if spec.rows.path == spec.columns.path:
        raise ValueError(f"rows and columns both vary {spec.rows.path}: choose two inputs")
    offered = inputs(a, opp)
    warnings: list[str] = []
    rows = _axis(spec.rows, offered, warnings)
    columns = _axis(spec.columns, offered, warnings)
    known = outcomes(a, opp)
    if spec.of not in known:
        raise ValueError(f"unknown outcome {spec.of!r}; valid: {', '.join(known)}")
    year = a.years.horizon if spec.year is None else int(spec.year)
    first = a.years.base if spec.of == REVENUE else a.years.first
    if not first <= year <= a.years.horizon:
        raise ValueError(f"the year must lie from {first} to {a.years.horizon}, got {year}")
    r, c = np.meshgrid(rows.values, columns.values, indexing="ij")
    cells = {rows.input.path: r.ravel(), columns.input.path: c.ravel()}
    if spec.of == REVENUE and opp is not None:  # outcomes() offers it only with one
        flat = _revenue(a, opp, cells, year)
    else:  # the target share does not move the market
        flat = _market(a, spec.of, {p: v for p, v in cells.items() if p != TARGET_SHARE}, year)
    values = flat.reshape(len(rows.values), len(columns.values))
    values.setflags(write=False)
    return Grid(
        rows=rows,
        columns=columns,
        of=spec.of,
        year=year,
        label=f"{known[spec.of]} in {year}",
        unit=a.market.unit,
        values=values,
        warnings=tuple(warnings),
        target=_target(spec.target),
    )


def _target(target: float | None) -> float | None:
    if target is not None and not (math.isfinite(target) and target > 0):
        raise ValueError(f"the target must be a positive number, got {target}")
    return None if target is None else float(target)


def default_range(i: Input) -> tuple[float, float]:
    """An axis's ends when none are given: ±:data:`DEFAULT_SPAN_PCT` % of the input's
    current value, or of half its range when the value is zero (before clamping)."""
    span = abs(i.value) * DEFAULT_SPAN_PCT / 100.0 or (i.high - i.low) * DEFAULT_SPAN_PCT / 200.0
    return i.value - span, i.value + span


def _axis(spec: AxisSpec, offered: Mapping[str, Input], warnings: list[str]) -> Axis:
    """The axis ``spec`` asks for: defaults filled in, ends clamped into the input's range."""
    if spec.path not in offered:
        raise ValueError(f"unknown input {spec.path!r}; valid: {', '.join(offered)}")
    steps = spec.steps
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or not steps >= 1:
        raise ValueError(f"{spec.path}: the number of steps must be a whole number from 1")
    if steps > MAX_STEPS:
        raise ValueError(
            f"{spec.path}: {steps} steps is more than a grid may hold; at most "
            f"{MAX_STEPS} × {MAX_STEPS} cells ({MAX_STEPS} steps an axis)"
        )
    i = offered[spec.path]
    default_low, default_high = default_range(i)
    low = default_low if spec.low is None else float(spec.low)
    high = default_high if spec.high is None else float(spec.high)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"{spec.path}: the range must be finite numbers, got {low} to {high}")
    if low > high:
        raise ValueError(f"{spec.path}: the range runs from {low:g} down to {high:g}")
    if high < i.low or low > i.high:
        raise ValueError(
            f"{spec.path}: {low:g} to {high:g} lies outside its range, {i.low:g} to {i.high:g}"
        )
    clamped = max(low, i.low), min(high, i.high)
    if clamped != (low, high):
        warnings.append(
            f"{spec.path}: {low:g} to {high:g} was clamped to {clamped[0]:g} to "
            f"{clamped[1]:g}, its range"
        )
    values = np.linspace(*clamped, steps) if steps > 1 else np.array([clamped[0]])
    # the current value itself, not a float a rounding away from it, where a step lands on it
    shown = [i.value if math.isclose(v, i.value, rel_tol=1e-12) else float(v) for v in values]
    return Axis(i, tuple(shown))


# --- the market's outcomes, every cell at once ------------------------------------------------


def _market(a: Assumptions, of: str, cells: Mapping[str, np.ndarray], year: int) -> np.ndarray:
    """The total or a segment in ``year`` for every cell: ``cells`` maps each varied path
    to its value in each cell (arrays of one length). The years are grown by the model's
    kernel (:func:`market.model.market_rates`, :func:`~market.model.grow`,
    :func:`~market.model.log_growth`), every cell at once."""
    n = len(next(iter(cells.values()), ()))

    def value(path: str, current: float) -> np.ndarray:
        return np.asarray(cells[path], dtype=float) if path in cells else np.full(n, current)

    base, column = a.years.base - a.years.first, year - a.years.first
    start = value(BASE_VALUE_PATH, a.growth.base_value.value)
    cagr = value(CAGR_PATH, a.growth.cagr_pct.value) / 100.0
    varied = BASE_VALUE_PATH in cells  # a logistic curve and a re-based path depend on it
    rates = market_rates(a, cagr=cagr, base_value=start if varied else None)
    history = reference(a).figures  # as the forecast shows it (market.model.forecast)
    if year < a.years.base and year in history:  # the source's figure, whatever the growth
        result = np.full(n, history[year])
    else:
        total = grow(start, rates, base)
        result = total[:, column]
    if of == TOTAL:
        return result
    dimension, *ids = of.split("/")
    segments = a.dimension(dimension).segments
    prefix = dimension
    for sid in ids:
        weights = np.stack([value(f"share.{prefix}.{s.id}", s.share) for s in segments], axis=1)
        diffs = np.stack(
            [value(f"diff.{prefix}.{s.id}", s.differential_pp) for s in segments], axis=1
        )
        # cells x siblings, each weight grown at the market's rate plus its differential
        grown = log_growth(rates[:, None, :], base, differential=diffs[:, :, None] / 100.0)
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero weight: log 0 = -inf
            log_raw = np.log(weights) + grown[:, :, column]
            raw = np.exp(log_raw - log_raw.max(axis=1, keepdims=True))
            place = [s.id for s in segments].index(sid)
            result = result * raw[:, place] / raw.sum(axis=1)
        result[~(weights > 0).any(axis=1)] = np.nan  # the model refuses all-zero siblings
        segments, prefix = segments[place].segments, f"{prefix}.{sid}"
    return result


# --- outcomes read through the public model, one set of assumptions at a time ---------------


def _revenue(
    a: Assumptions, opp: Opportunity, cells: Mapping[str, np.ndarray], year: int
) -> np.ndarray:
    """The plan's revenue in ``year`` for every cell, through :func:`market.opportunity.plan`:
    the forecast once per distinct set of market overrides, the plan once per cell."""
    n = len(next(iter(cells.values())))
    forecasts: dict[tuple[tuple[str, float], ...], tuple[Assumptions, Forecast] | None] = {}
    result = np.full(n, np.nan)
    for k in range(n):
        market = tuple((p, float(v[k])) for p, v in cells.items() if p != TARGET_SHARE)
        if market not in forecasts:
            try:
                moved = apply_overrides(a, dict(market))
            except OverrideError:
                forecasts[market] = None
            else:
                forecasts[market] = (moved, forecast(moved))
        found = forecasts[market]
        if found is None:
            continue
        choices = opp
        if TARGET_SHARE in cells:
            choices = opp.model_copy(update={"target_share_pct": float(cells[TARGET_SHARE][k])})
        try:
            frame = plan(found[0], choices, found[1]).set_index("year")
        except OpportunityError:  # an anchoring revenue above the served market: no plan
            continue
        result[k] = as_float(frame.at[year, "revenue"])
    return result


def parse_axis(text: str) -> AxisSpec:
    """``"growth.cagr_pct=15:25:11"`` (path, low, high, steps), ``"path=15:25"`` (7 steps)
    or ``"path"`` (the defaults); ValueError saying the form otherwise."""
    path, _, rest = text.partition("=")
    path = path.strip()
    if not path:
        raise ValueError(f"{text!r}: expected PATH=LOW:HIGH[:STEPS]")
    try:
        return parse_range(path, rest)
    except ValueError:
        raise ValueError(
            f"{text!r}: expected PATH=LOW:HIGH[:STEPS], LOW and HIGH numbers, STEPS a whole number"
        ) from None


def parse_range(path: str, text: str) -> AxisSpec:
    """The axis of ``path`` that ``text`` gives: ``"LOW:HIGH[:STEPS]"``, either end empty
    for its default (``"::11"``: the default ends, 11 steps), or empty for every default;
    ValueError if it is not of that form. :func:`format_range` writes it."""
    if not text.strip():
        return AxisSpec(path)
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"{text!r} is not LOW:HIGH[:STEPS]")
    low, high = (float(p) if p.strip() else None for p in parts[:2])
    steps = int(parts[2]) if len(parts) == 3 and parts[2].strip() else DEFAULT_STEPS
    return AxisSpec(path, low, high, steps)


def format_range(axis: AxisSpec) -> str:
    """The range part of an axis as :func:`parse_range` reads it; "" for every default."""
    if axis.low is None and axis.high is None and axis.steps == DEFAULT_STEPS:
        return ""
    low, high = ("" if v is None else _shortest(v) for v in (axis.low, axis.high))
    return f"{low}:{high}:{axis.steps}"


def _shortest(value: float) -> str:
    """The fewest digits that read back as the same float: 15, 20.5, 1e-07, 1e16 (no '+',
    which a link would read back as a space)."""
    return repr(float(value)).replace("e+", "e").removesuffix(".0")


def format_axis(axis: AxisSpec) -> str:
    """An axis as ``market grid --rows`` and :func:`parse_axis` read it."""
    shown = format_range(axis)
    return f"{axis.path}={shown}" if shown else axis.path


def format_outcome(of: str, year: int | None) -> str:
    """An outcome as ``market grid --of`` and :func:`parse_outcome` read it."""
    return of if year is None else f"{of}@{year}"


def parse_outcome(text: str) -> tuple[str, int | None]:
    """``"total@2031"``, ``"region/europe"`` or ``"revenue@2030"``: the outcome and its year
    (None: the horizon); ValueError saying the form otherwise."""
    of, at, year = text.strip().partition("@")
    if not at:
        return of, None
    if not year.strip().lstrip("-").isdigit():
        raise ValueError(f"{text!r}: the year after @ must be a whole number")
    return of, int(year)
