"""The one table of adjustable assumptions: every number a user may change, declared once.

Each :class:`ParameterSpec` says where a number lives in the schema, what it is called,
its unit and range, its short key in a share link, the help a slider shows and the line
``market --help`` prints. Everything else is derived from this table: the parameters of a
file (:mod:`market.parameters`), the link keys (:mod:`market.query`), the sliders
(:mod:`dashboard.sidebar`), ``market params`` and the ``--set`` help. To add an assumption,
add its field to the schema (:mod:`market.assumptions`) and one entry here.

A range is the same everywhere: the slider's bounds are the values a link, ``--set`` and a
scenario may hold, and ``market params`` prints them. A file's own value widens the range,
so every file that validates can be shown, and re-applied, as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from market.growth_shapes import GrowthShape, Rebase

__all__ = [
    "BASE_VALUE_PATH",
    "CAGR_PATH",
    "MARKET_UNIT",
    "PARAMETER_TABLE",
    "REBASE_PATH",
    "SHAPE_PATH",
    "Kind",
    "ParameterSpec",
    "grid",
    "spec_for_path",
]

MARKET_UNIT = "value"
"""A spec's ``unit`` for numbers in the file's own market unit (e.g. USD million)."""

CAGR_PATH = "growth.cagr_pct"
"""The market CAGR's parameter path: goal seek, calibration, the tornado and the sidebar
name it through this constant."""
BASE_VALUE_PATH = "growth.base_value"
"""The base-year market size's parameter path."""
SHAPE_PATH = "growth.shape"
"""The growth shape's parameter path: the shape's own parameters are shown with it."""
REBASE_PATH = "growth.rebase"
"""What the latest actual figure does to the forecast: drawn in the sidebar's Actuals entry."""


class Kind(StrEnum):
    """What kind of value a parameter holds, which says how it is entered and written."""

    RANGE = "a number within a range: a slider and an exact entry (or the entry alone)"
    CHOICE = "one of named choices: a select box; its value is the choice's position"


@dataclass(frozen=True)
class ParameterSpec:
    """One adjustable number, or one family of them (a number per segment).

    ``path`` is the override path (``growth.cagr_pct``); for a family (``per_segment``)
    it is the prefix that ``.<dimension>.<segment>[.<sub>]`` follows. ``field`` is where
    the value and its provenance live: a dotted attribute of :class:`Assumptions` holding a
    ``Quantity``, or for a family the attribute of each :class:`Segment` (whose provenance
    covers it). ``key`` is the share-link key (for a family, the prefix of its keys).
    ``steps`` are the slider's candidate steps, coarsest first (see :func:`grid`).
    ``slider`` names where its control is drawn (``"sidebar"``, ``"risk"``, ``"actuals"``),
    or "": a slider with an exact number entry beside it, or the entry alone when
    ``entry_only`` (a range too wide for a slider to be of use, such as a market size).
    ``kind`` says what the value is (:class:`Kind`): a number, or a choice, which lists its
    ``choices`` and is drawn as a select box: overrides hold the position of the one chosen
    (a number like every other override), links, ``--set`` and scenario files write its
    name. ``shown_with`` (a choice parameter's path and one of its choices) marks a
    parameter that only that choice uses: its control is drawn only while that choice is
    made.
    """

    path: str
    label: str
    unit: str
    group: str
    low: float
    high: float
    steps: tuple[float, ...]
    key: str
    summary: str
    help: str
    field: str
    per_segment: bool = False
    slider: str = ""
    slider_label: str = ""
    entry_only: bool = False
    kind: Kind = Kind.RANGE
    choices: tuple[str, ...] = ()
    shown_with: tuple[str, str] | None = None

    def read(self, text: str) -> float:
        """A value from text (a link, ``--set``, a scenario file): a choice's name gives its
        position; anything else must be a number. ValueError saying why not."""
        if self.kind is Kind.CHOICE:
            if text.strip() in self.choices:
                return float(self.choices.index(text.strip()))
            raise ValueError(f"{text!r} is not one of {', '.join(self.choices)}")
        return float(text)

    def written(self, value: float) -> str | None:
        """A choice's name for ``value`` (its position), or None for a number."""
        if self.kind is not Kind.CHOICE:
            return None
        position = int(value)
        if position != value or not 0 <= position < len(self.choices):
            raise ValueError(f"{self.path}: {value!r} is not the position of one of its choices")
        return self.choices[position]

    def shown_path(self) -> str:
        """The path as help texts show it: ``growth.cagr_pct``, ``share.DIM.SEG[.SUB]``."""
        return f"{self.path}.DIM.SEG[.SUB]" if self.per_segment else self.path

    def shown_key(self) -> str:
        """The link key as docs show it: ``cagr``, ``s.<dim>.<seg>[.<sub>]``."""
        return f"{self.key}.<dim>.<seg>[.<sub>]" if self.per_segment else self.key


PARAMETER_TABLE: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        path=CAGR_PATH,
        label="CAGR",
        unit="%",
        group="growth",
        low=-50.0,
        high=100.0,
        steps=(0.1, 0.01),
        key="cagr",
        summary="market CAGR, % a year",
        help="The market's compound annual growth rate from the base year to the horizon.",
        field="growth.cagr_pct",
        slider="sidebar",
        slider_label="CAGR (%)",
    ),
    ParameterSpec(
        path=BASE_VALUE_PATH,
        label="Base-year market size",
        unit=MARKET_UNIT,
        group="growth",
        # Twelve orders of magnitude either way of a million, and every value the model
        # computes from it stays a finite, non-zero float over the longest span allowed.
        low=1e-6,
        high=1e15,
        steps=(0.1, 0.01),
        key="base",
        summary="market size in the base year, in the file's unit",
        help="The market's size in the base year, in the file's unit; the forecast grows from it.",
        field="growth.base_value",
        slider="sidebar",
        entry_only=True,
    ),
    ParameterSpec(
        path=SHAPE_PATH,
        label="Growth shape",
        unit="",
        group="growth",
        low=0.0,
        high=float(len(GrowthShape) - 1),
        steps=(1.0,),
        key="shape",
        summary="how the CAGR is spread over the years: "
        + ", ".join(shape.value for shape in GrowthShape),
        help="How the growth is spread over the years; the CAGR stays the average from the "
        "base year to the horizon, so the horizon value does not move. Constant: every year "
        "at the CAGR. Fade: the rate changes by the fade every year. Damped: each year's "
        "rate is φ times the year before's. Logistic: levels off towards the capacity.",
        field="growth.shape",
        slider="sidebar",
        kind=Kind.CHOICE,
        choices=tuple(shape.value for shape in GrowthShape),
    ),
    ParameterSpec(
        path="growth.fade_pp",
        label="Fade",
        unit="pp",
        group="growth",
        low=-5.0,
        high=5.0,
        steps=(0.1, 0.01),
        key="fade",
        summary="the fade shape's change of the growth rate each year, percentage points",
        help="Percentage points the growth rate moves each year under the fade shape "
        "(negative: growth slows); the first year's rate is set so the horizon value holds.",
        field="growth.fade_pp",
        slider="sidebar",
        slider_label="Fade (pp a year)",
        shown_with=(SHAPE_PATH, GrowthShape.FADE.value),
    ),
    ParameterSpec(
        path="growth.damping",
        label="Damping (φ)",
        unit="",
        group="growth",
        low=0.5,
        high=1.5,
        steps=(0.01, 0.001),
        key="phi",
        summary="the damped shape's factor φ on each year's growth rate (1: none)",
        help="Each year's growth rate is φ times the year before's under the damped shape "
        "(below 1: growth slows); the first year's rate is set so the horizon value holds.",
        field="growth.damping",
        slider="sidebar",
        shown_with=(SHAPE_PATH, GrowthShape.DAMPED.value),
    ),
    ParameterSpec(
        path="growth.capacity",
        label="Capacity (K)",
        unit=MARKET_UNIT,
        group="growth",
        low=1e-6,
        high=1e15,
        steps=(1.0, 0.1, 0.01),
        key="cap",
        summary="the logistic shape's ceiling, in the file's unit (above the horizon value)",
        help="The size the market levels off towards under the logistic shape (the total "
        "market it could ever reach), in the file's unit; it must lie above the horizon value.",
        field="growth.capacity",
        slider="sidebar",
        entry_only=True,
        shown_with=(SHAPE_PATH, GrowthShape.LOGISTIC.value),
    ),
    ParameterSpec(
        path=REBASE_PATH,
        label="Re-basing on actuals",
        unit="",
        group="growth",
        low=0.0,
        high=float(len(Rebase) - 1),
        steps=(1.0,),
        key="rebase",
        summary="what the latest actual figure does: " + ", ".join(r.value for r in Rebase),
        help="What the latest actual figure does to the forecast. None: the drift is shown, "
        "the forecast stays. Hold-end: the path runs through the actual and still reaches "
        "the horizon value. Hold-growth: the path runs through the actual and keeps the "
        "yearly growth rates.",
        field="growth.rebase",
        slider="actuals",
        kind=Kind.CHOICE,
        choices=tuple(rebase.value for rebase in Rebase),
    ),
    ParameterSpec(
        path="uncertainty.cagr_sd_pct",
        label="CAGR uncertainty (1 sd)",
        unit="pp",
        group="uncertainty",
        low=0.0,
        high=20.0,
        steps=(0.1, 0.01),
        key="sd",
        summary="standard deviation of the CAGR, percentage points",
        help="How unsure the forecast is, used by the Monte Carlo on the Risk page: "
        "the standard deviation of the CAGR across simulated paths.",
        field="uncertainty.cagr_sd_pct",
        slider="risk",
        slider_label="CAGR uncertainty (pp, one standard deviation)",
    ),
    ParameterSpec(
        path="uncertainty.share_concentration",
        label="Mix concentration",
        unit="",
        group="uncertainty",
        low=1.0,
        high=10_000.0,
        steps=(1.0, 0.1, 0.01),
        key="conc",
        summary="how firmly the Monte Carlo holds the segment mix",
        help="How unsure the forecast is, used by the Monte Carlo on the Risk page: how "
        "firmly the simulated segment mix stays at the assumed shares (higher is surer).",
        field="uncertainty.share_concentration",
    ),
    ParameterSpec(
        path="share",
        label="{segment} share",
        unit="weight",
        group="share",
        # Weights written as fractions (every sibling at most 1) use a range of 0 to 1.
        low=0.0,
        high=100.0,
        steps=(1.0, 0.1, 0.01),
        key="s",
        summary="a segment's weight in its dimension (or parent); weights are normalised, "
        "so only their ratios matter",
        help="This segment's weight in the base year; weights are normalised so the shares "
        "add up to 100 % ({within}).",
        field="share",
        per_segment=True,
        slider="sidebar",
    ),
    ParameterSpec(
        path="diff",
        label="{segment} growth differential",
        unit="pp",
        group="diff",
        low=-20.0,
        high=20.0,
        steps=(0.1, 0.01),
        key="d",
        summary="a segment's growth differential, percentage points",
        help="How many percentage points faster (or slower) this segment grows than the market.",
        field="differential_pp",
        per_segment=True,
        slider="sidebar",
    ),
)
"""Every adjustable assumption, in the order sliders, ``market params`` and help list them."""


def spec_for_path(path: str) -> ParameterSpec | None:
    """The entry a parameter path belongs to, or None."""
    for spec in PARAMETER_TABLE:
        if path == spec.path if not spec.per_segment else path.startswith(f"{spec.path}."):
            return spec
    return None


def grid(
    low: float, high: float, steps: tuple[float, ...], value: float
) -> tuple[float, float, float]:
    """A slider's bounds and step for a file's ``value``: the range widened to hold the value,
    and the coarsest of ``steps`` whose grid from ``low`` runs through it and the high end, so
    arrow keys step from the file's value (20.12, 20.13, ...) rather than jump to a grid
    beside it. A value finer than every step (20.125) keeps the finest step, and its first
    step lands on the grid; if no grid through the value reaches the high end, the last
    grid point below it is the high end.
    """
    low, high = min(low, value), max(high, value)
    for step in steps:
        if _on_grid(value - low, step) and _on_grid(high - low, step):
            return low, high, step
    step = steps[-1]
    return low, round(low + math.floor((high - low) / step) * step, 9), step


def _on_grid(distance: float, step: float) -> bool:
    ratio = distance / step
    return math.isclose(ratio, round(ratio), rel_tol=0, abs_tol=1e-6)
