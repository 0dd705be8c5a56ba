"""The assumptions schema: what an analyst may write in an assumptions file.

Conventions, stated once for the whole model:
- market values are in the file's ``market.unit`` (for example USD million);
- growth rates are percentages (``cagr_pct: 20.12`` means 20.12 % a year) and growth
  differentials are percentage points added to the market CAGR;
- shares are non-negative weights, normalised within each dimension (and within each
  parent for sub-segments), so ``45, 35, 20`` and ``0.45, 0.35, 0.20`` mean the same.

Every number carries its provenance: ``reported`` with a citation to the source, or
``assumed`` with a one-line rationale. The schema knows nothing about any one market.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Self

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from market.growth_shapes import FLOOR, GrowthShape, Rebase, Spread, path_rates

__all__ = [
    "MAX_ESTIMATES",
    "MAX_YEAR",
    "MAX_YEARS_SPAN",
    "MIN_YEAR",
    "Actual",
    "Assumptions",
    "Dimension",
    "Estimate",
    "Factors",
    "Growth",
    "GrowthShape",
    "Market",
    "Place",
    "Provenance",
    "Quantity",
    "Rebase",
    "RebaseChoice",
    "ReportedValue",
    "Segment",
    "ShapeChoice",
    "Source",
    "StatedCagr",
    "Uncertainty",
    "Years",
    "slugify",
]

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


def slugify(name: str) -> str:
    """A stable identifier for a display name: ``"Middle East & Africa"`` -> ``middle-east-africa``.

    Ids address segments in parameter paths and URLs, so they must survive any name. A
    name without a letter a-z or a digit loses its accents first (``"É"`` -> ``e``); a name
    in another script (``"Облако"``, ``"製品"``) gets eight hex digits of a hash of it
    (``market params`` lists them; give ``id:`` in the file for a readable one).
    """
    slug = _slug(name)
    if not slug:
        decomposed = unicodedata.normalize("NFKD", name)
        slug = _slug("".join(c for c in decomposed if not unicodedata.combining(c)))
    if not slug:
        named = unicodedata.normalize("NFC", name.strip()).encode("utf-8", "surrogatepass")
        slug = hashlib.blake2s(named, digest_size=4).hexdigest()
    return slug


def _slug(name: str) -> str:
    return _SLUG_RE.sub("-", name.lower()).strip("-")


def _valid_id(value: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise ValueError(
            f"an id holds only lowercase letters a-z, digits and '-', starting with a letter"
            f" or digit; got {value!r}"
        )
    return value


_Id = Annotated[str, AfterValidator(_valid_id)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


MIN_YEAR, MAX_YEAR = 1, 9999
"""Every year a file names lies in this range, the years of the calendar written with at
most four digits (as ISO 8601 and Python's dates have them): a year such as
9223372036854775807 would otherwise validate and then overflow the model's arithmetic."""
MAX_YEARS_SPAN = 200
"""Every year a file names (``years``, ``reported``, each estimate's figures and CAGR
period) lies within this many years of every other: the model, the estimates' paths and
every chart walk the years one by one, so a far figure would cost memory and time in
proportion to its distance (a figure a million years away cost a gigabyte)."""

MAX_ESTIMATES = 50
"""Files with more published estimates are refused: each is a line on the Estimates chart
and two columns of its table, and comparing them costs time in proportion to their
number times their years (2,000 estimates, 290 KB of YAML, took 100 s)."""


def _calendar_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"a year must lie from {MIN_YEAR} to {MAX_YEAR}, got {year}")
    return year


Year = Annotated[int, AfterValidator(_calendar_year)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
PositiveValue = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Differential = Annotated[float, Field(ge=-100, le=100, allow_inf_nan=False)]
"""A segment's growth differential in percentage points a year: beyond 100 points either
way it is no market assumption, and a slider around it would span more than a float holds."""
NonEmpty = Annotated[str, Field(min_length=1)]


class Provenance(StrEnum):
    REPORTED = "reported"
    ASSUMED = "assumed"


class _Sourced(_Strict):
    """A value with where it comes from: a citation if reported, a rationale if assumed."""

    provenance: Provenance
    citation: str | None = None
    rationale: str | None = None

    @model_validator(mode="after")
    def _explained(self) -> Self:
        if self.provenance is Provenance.REPORTED and not self.citation:
            raise ValueError("a reported value needs a citation")
        if self.provenance is Provenance.ASSUMED and not self.rationale:
            raise ValueError("an assumed value needs a rationale")
        return self

    @property
    def basis(self) -> str:
        """The citation or the rationale, whichever explains this value."""
        return (self.citation if self.provenance is Provenance.REPORTED else self.rationale) or ""


class Quantity(_Sourced):
    value: FiniteFloat


class ReportedValue(_Strict):
    """A market size the source states for one year."""

    year: Year
    value: PositiveValue
    citation: NonEmpty


class Actual(ReportedValue):
    """A market size published after the base year (a newer edition, a company's filing): a
    fact the forecast is checked against, and re-based on if ``growth.rebase`` says so."""


class StatedCagr(_Strict):
    """The CAGR a published estimate states; ``start``-``end`` only when the source says so."""

    value: FiniteFloat
    citation: NonEmpty
    start: Year | None = Field(None, description="First year of the stated period, if stated.")
    end: Year | None = Field(None, description="Last year of the stated period, if stated.")

    @model_validator(mode="after")
    def _period(self) -> Self:
        if (self.start is None) != (self.end is None):
            raise ValueError("a CAGR's period needs both start and end, or neither")
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValueError(f"a CAGR's period must run forward, got {self.start}-{self.end}")
        if self.value <= -100:
            raise ValueError(f"a CAGR must be above -100 %, got {self.value}")
        return self


class Estimate(_Strict):
    """One published estimate of the market: the sizes it states by year and its CAGR.

    A file may hold several (one per publisher or edition); the model follows the one
    ``calibrated_to`` names. The years may run past the file's horizon.
    """

    id: _Id
    publisher: NonEmpty
    title: NonEmpty
    edition: str = Field("", description="Edition or publication date, as the source gives it.")
    reference: str = ""
    values: tuple[ReportedValue, ...] = Field(min_length=1)
    cagr_pct: StatedCagr | None = None

    @field_validator("values")
    @classmethod
    def _distinct_years(cls, values: tuple[ReportedValue, ...]) -> tuple[ReportedValue, ...]:
        return _by_year(values)

    @property
    def by_year(self) -> dict[int, float]:
        return {v.year: v.value for v in self.values}

    @property
    def label(self) -> str:
        """``Publisher (edition)``, for legends and tables."""
        return f"{self.publisher} ({self.edition})" if self.edition else self.publisher


def _by_year(values: tuple[ReportedValue, ...]) -> tuple[ReportedValue, ...]:
    years = [v.year for v in values]
    if len(set(years)) != len(years):
        raise ValueError("each year may be reported once")
    return tuple(sorted(values, key=lambda v: v.year))


class Source(_Strict):
    title: NonEmpty
    publisher: NonEmpty
    reference: str = ""
    note: str = ""

    @property
    def citation(self) -> str:
        """How every page and export cites the source: "publisher, title (reference)"."""
        return f"{self.publisher}, {self.title}" + (
            f" ({self.reference})" if self.reference else ""
        )


class Market(_Strict):
    name: NonEmpty
    unit: NonEmpty = Field(description="Unit of every market value, e.g. 'USD million'.")
    currency: str = ""
    description: str = ""
    source: Source


class Years(_Strict):
    first: Year = Field(description="First year shown (history starts here).")
    base: Year = Field(description="Year the forecast grows from.")
    horizon: Year = Field(description="Last forecast year.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.first <= self.base < self.horizon:
            raise ValueError(
                f"years must satisfy first <= base < horizon, got "
                f"first={self.first}, base={self.base}, horizon={self.horizon}"
            )
        if self.horizon - self.first > MAX_YEARS_SPAN:
            raise ValueError(f"the years span more than {MAX_YEARS_SPAN} years")
        return self

    @property
    def all(self) -> range:
        return range(self.first, self.horizon + 1)


def _assumed(value: float, rationale: str) -> Quantity:
    return Quantity(value=value, provenance=Provenance.ASSUMED, rationale=rationale)


class ShapeChoice(_Sourced):
    """Which growth shape spreads the CAGR over the years, and why."""

    value: GrowthShape


class RebaseChoice(_Sourced):
    """What the latest actual figure does to the forecast, and why."""

    value: Rebase


_NO_SHAPE = "No growth shape given: every year grows at the CAGR."
_NO_FADE = "No fade given: used only by the fade shape."
_NO_DAMPING = "No damping given: used only by the damped shape."
_NO_REBASE = "No re-basing given: actual figures show their drift from the forecast only."
_NO_CAPACITY = (
    "No capacity given: the next round number above three times the horizon value the CAGR"
    " gives, used only by the logistic shape."
)
CAPACITY_MULTIPLE = 3.0
"""A file without ``growth.capacity`` gets the next round number above this many times its
horizon value, so choosing the logistic shape draws a curve at once."""


class Growth(_Strict):
    """How the market grows from the base year: its size then, the CAGR to the horizon, and
    the growth shape that spreads the CAGR over the years (see :mod:`market.growth_shapes`).

    The CAGR is the compound average from the base year to the horizon under every shape,
    so the horizon value is the one the CAGR alone gives; ``fade_pp`` (percentage points a
    year), ``damping`` (φ) and ``capacity`` (market units) are each used by one shape only.
    ``rebase`` says what the latest of the file's actual figures does to the forecast.
    """

    base_value: Quantity = Field(description="Market size in the base year, in market units.")
    cagr_pct: Quantity = Field(description="Compound annual growth rate from base to horizon, %.")
    shape: ShapeChoice = ShapeChoice(
        value=GrowthShape.CONSTANT, provenance=Provenance.ASSUMED, rationale=_NO_SHAPE
    )
    fade_pp: Quantity = Field(
        _assumed(0.0, _NO_FADE), description="The fade shape's change of rate a year, pp."
    )
    damping: Quantity = Field(
        _assumed(1.0, _NO_DAMPING), description="The damped shape's factor φ on each year's rate."
    )
    capacity: Quantity | None = Field(
        None, description="The logistic shape's ceiling, in market units (above the horizon)."
    )
    rebase: RebaseChoice = RebaseChoice(
        value=Rebase.NONE, provenance=Provenance.ASSUMED, rationale=_NO_REBASE
    )

    @field_validator("base_value")
    @classmethod
    def _positive(cls, q: Quantity) -> Quantity:
        if q.value <= 0:
            raise ValueError(f"the base value must be positive, got {q.value}")
        return q

    @field_validator("cagr_pct")
    @classmethod
    def _above_minus_100(cls, q: Quantity) -> Quantity:
        if q.value <= -100:
            raise ValueError(f"a CAGR must be above -100 %, got {q.value}")
        return q

    @field_validator("damping")
    @classmethod
    def _damping_positive(cls, q: Quantity) -> Quantity:
        if q.value <= 0:
            raise ValueError(f"φ must be above 0, got {q.value:g}")
        return q

    @field_validator("capacity")
    @classmethod
    def _capacity_positive(cls, q: Quantity | None) -> Quantity | None:
        if q is not None and q.value <= 0:
            raise ValueError(f"the ceiling must be positive, got {q.value:g}")
        return q

    @property
    def spread(self) -> Spread:
        """The shape with its parameters, as :mod:`market.growth_shapes` takes them."""
        return Spread(
            shape=self.shape.value,
            fade=self.fade_pp.value / 100.0,
            damping=self.damping.value,
            capacity=math.inf if self.capacity is None else self.capacity.value,
        )


def _round_up(value: float) -> float:
    """The next number at or above ``value`` with one significant digit: 4,953 -> 5,000."""
    if not math.isfinite(value) or value <= 0:
        return value
    scale = 10.0 ** math.floor(math.log10(value))
    return math.ceil(value / scale) * scale


class Uncertainty(_Strict):
    """How unsure the forecast is; the source gives none of this, so it is always assumed."""

    cagr_sd_pct: Quantity = Field(description="Standard deviation of the CAGR across paths, pp.")
    share_concentration: Quantity = Field(
        description="Dirichlet concentration around the assumed shares: higher is surer."
    )

    @field_validator("cagr_sd_pct")
    @classmethod
    def _non_negative(cls, q: Quantity) -> Quantity:
        if q.value < 0:
            raise ValueError(f"a standard deviation cannot be negative, got {q.value}")
        return q

    @field_validator("share_concentration")
    @classmethod
    def _positive(cls, q: Quantity) -> Quantity:
        if q.value <= 0:
            raise ValueError(f"the concentration must be positive, got {q.value}")
        return q


class _Named(_Strict):
    """Something with a display name and a stable id, derived from the name unless given."""

    name: NonEmpty
    id: _Id = ""

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("id") and isinstance(data.get("name"), str):
            return {**data, "id": slugify(data["name"])}
        return data


class Segment(_Sourced, _Named):
    """One segment of a dimension; its share and growth differential share one provenance."""

    share: Weight
    differential_pp: Differential = 0.0
    segments: tuple[Segment, ...] = ()

    @field_validator("segments")
    @classmethod
    def _children(cls, children: tuple[Segment, ...]) -> tuple[Segment, ...]:
        _check_siblings(children, "sub-segments")
        return children


class Dimension(_Named):
    """A way of cutting the market (component, region, ...): segments whose shares add to 100 %."""

    description: str = ""
    geographic: bool = Field(False, description="Segments are world regions (drawn on a map).")
    segments: tuple[Segment, ...] = Field(min_length=1)

    def walk(self) -> Iterator[Place]:
        """Every segment and sub-segment with where it sits, in file order, each parent
        before its parts. The one walk of the segment tree: parameters, share sliders,
        served-market choices, the forecast's and the Monte Carlo's sibling groups and the
        segment limits all follow it, so they list the segments alike."""
        places: list[Place] = []
        _walk(self, self.segments, None, places)
        return iter(places)

    @property
    def segment_count(self) -> int:
        """Its segments and sub-segments: the Monte Carlo gives each one a row of paths."""
        return sum(1 for _ in self.walk())

    @field_validator("segments")
    @classmethod
    def _siblings(cls, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        _check_siblings(segments, "segments")
        return segments


@dataclass(frozen=True, slots=True)  # slots: made in half the time, and every forecast walks
class Place:
    """One segment where it sits in its dimension: what :meth:`Dimension.walk` yields."""

    dimension: Dimension
    segment: Segment
    siblings: tuple[Segment, ...]  # its parent's segments (itself among them), in file order
    index: int  # its position among ``siblings``: 0 where a sibling group begins
    parent: Place | None  # where its parent sits; None at the dimension's top level
    key: str
    """The ids below the dimension joined by dots (``software.ehr-systems``), as parameter
    paths, share links, served-market choices and the forecast's groups spell a segment."""

    @property
    def parent_key(self) -> str:
        """The parent's :attr:`key`, "" at the top level: its sibling group's key in
        :attr:`market.model.Forecast.groups`."""
        return "" if self.parent is None else self.parent.key

    @property
    def ancestors(self) -> tuple[Segment, ...]:
        """The segments above it, from the top level down to its parent."""
        return () if self.parent is None else (*self.parent.ancestors, self.parent.segment)

    @property
    def depth(self) -> int:
        """0 at a dimension's top level, 1 for a sub-segment, and so on."""
        return 0 if self.parent is None else self.parent.depth + 1


def _walk(
    dimension: Dimension, siblings: tuple[Segment, ...], parent: Place | None, into: list[Place]
) -> None:
    """Append every place below ``parent`` to ``into``, depth first: a list, as every
    forecast walks the tree and nested generators took twice as long."""
    for index, segment in enumerate(siblings):
        key = segment.id if parent is None else f"{parent.key}.{segment.id}"
        place = Place(dimension, segment, siblings, index, parent, key)
        into.append(place)
        if segment.segments:
            _walk(dimension, segment.segments, place, into)


def _check_siblings(segments: tuple[Segment, ...], what: str) -> None:
    # Both must differ: ids address parameters, names label the forecast's columns.
    _check_distinct_names(segments, what)
    _check_distinct_ids(segments, what)
    if segments and not any(s.share > 0 for s in segments):
        raise ValueError(f"the shares of these {what} are all zero; at least one must be positive")


def _check_distinct_names(items: tuple[_Named, ...], what: str) -> None:
    """Refuse two of ``items`` with one name, or with names that differ only in how Unicode
    writes them (``Café`` with one character é, or with e and a combining accent): they
    look the same on every page, so they would be two segments no reader can tell apart."""
    _check_distinct([item.name for item in items], f"{what} must have distinct names")
    first: dict[str, str] = {}
    for item in items:
        same = first.setdefault(unicodedata.normalize("NFC", item.name), item.name)
        if same != item.name:
            raise ValueError(
                f"{what} {same!r} and {item.name!r} are one name written two ways in Unicode"
                f" ({same!a} and {item.name!a}): write it the same way, or rename one"
            )


def _check_distinct_ids(items: tuple[_Named, ...], what: str) -> None:
    """Refuse two of ``items`` with one id, naming both and the id (names may differ)."""
    first: dict[str, str] = {}
    for item in items:
        if item.id in first:
            raise ValueError(
                f"{what} {first[item.id]!r} and {item.name!r} have the same id, {item.id}"
                f" (an id is made from the name unless the file gives one): give one of them"
                f" its own, e.g. id: {item.id}-2"
            )
        first[item.id] = item.name


def _check_distinct(keys: list[str], message: str) -> None:
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"{message}, repeated: {', '.join(duplicates)}")


def _refuse(loc: tuple[str | int, ...], given: object, message: str) -> None:
    """Raise a validation error at ``loc`` (a place in the file, so ``market validate`` gives
    its line and column), from a check of the whole file."""
    error = PydanticCustomError("value_error", "{reason}", {"reason": message})
    raise ValidationError.from_exception_data(
        "Assumptions", [InitErrorDetails(type=error, loc=loc, input=given)]
    )


def _check_shape(a: Assumptions) -> None:
    """Refuse a growth shape that cannot hold the horizon value (with its one-line reason
    naming the parameter): a logistic ceiling not above every value the curve must pass, or
    a fade or damping that needs a year at or below -100 % or a value beyond a float's range."""
    growth, span = a.growth, a.years.horizon - a.years.base
    how, start = growth.spread, growth.base_value.value
    rebased = growth.rebase.value is not Rebase.NONE and bool(a.actuals)
    if how.constant and not rebased:
        return  # the kernel's own path: every year at the CAGR
    with np.errstate(all="ignore"):
        horizon_value = float(start * np.power(1.0 + a.cagr, span))
    if how.shape is GrowthShape.LOGISTIC and growth.capacity is not None:
        passed = {"the base value": start, "the horizon value": horizon_value}
        if rebased:
            passed[f"the {a.actuals[-1].year} actual"] = max(v.value for v in a.actuals)
        for what, value in passed.items():
            if not growth.capacity.value > value:
                _refuse(
                    ("growth", "capacity"),
                    growth.capacity.value,
                    f"the logistic ceiling (growth.capacity, {growth.capacity.value:,.6g}) "
                    f"must lie above {what} ({value:,.6g})",
                )
    rates = path_rates(how, growth.rebase.value, a.cagr, span, start_value=start, anchors=a.anchors)
    with np.errstate(all="ignore"):
        factors = 1.0 + rates
        values = start * np.cumprod(factors)
    if np.all(np.isfinite(values)) and np.all(factors > FLOOR) and np.all(values > 0):
        return
    field, amount = {
        GrowthShape.FADE: ("fade_pp", f"a fade of {growth.fade_pp.value:g} pp a year"),
        GrowthShape.DAMPED: ("damping", f"a damping of {growth.damping.value:g}"),
    }.get(how.shape, ("cagr_pct", f"a CAGR of {growth.cagr_pct.value:g} %"))
    amount += f" (growth.{field})"
    low = np.all(factors > FLOOR)
    why = "a value beyond a float's range" if low else "a year at or below -100 %"
    _refuse(
        ("growth", field),
        getattr(growth, field).value,
        f"{amount} cannot reach the horizon value over {span} years without {why}",
    )


def _estimate_years(e: Estimate) -> list[tuple[int, tuple[str, ...]]]:
    """Each year an estimate names, with the field that names it."""
    named: list[tuple[int, tuple[str, ...]]] = [(v.year, ("values", "year")) for v in e.values]
    if e.cagr_pct is not None:
        named += [
            (year, ("cagr_pct", end))
            for end, year in (("start", e.cagr_pct.start), ("end", e.cagr_pct.end))
            if year is not None
        ]
    return named


def _raw_place(data: Any, e: int, where: tuple[str, ...], year: int) -> tuple[str | int, ...]:
    """Where in the file (``data``, as read) estimate ``e`` names ``year`` in ``where``: the
    figure's position in the file's order, which validation sorted."""
    if where != ("values", "year"):
        return where
    try:
        values = data["estimates"][e]["values"]
        found = next(i for i, v in enumerate(values) if int(v["year"]) == year)
    except (KeyError, IndexError, TypeError, ValueError, StopIteration):
        return ("values",)
    return ("values", found, "year")


class Factors(_Strict):
    """What the source says moves the market, in the project's own words."""

    drivers: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    outlook: tuple[str, ...] = ()


class Assumptions(_Strict):
    """A whole market: what the source reports and what the analyst assumes."""

    market: Market
    years: Years
    reported: tuple[ReportedValue, ...] = ()
    reported_cagr_pct: Quantity | None = Field(
        None, description="The CAGR the source states for base->horizon, as a reference."
    )
    estimates: tuple[Estimate, ...] = ()
    calibrated_to: str | None = Field(
        None, description="The id of the estimate the file's growth reproduces."
    )
    growth: Growth
    actuals: tuple[Actual, ...] = Field(
        (), description="Market sizes published since the base year, each with its citation."
    )
    uncertainty: Uncertainty
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    factors: Factors = Factors()

    @model_validator(mode="before")
    @classmethod
    def _default_capacity(cls, data: object) -> object:
        """A file without ``growth.capacity`` gets one (see :data:`CAPACITY_MULTIPLE`), worked
        out once from its own growth: moving the CAGR later does not move it."""
        if not isinstance(data, dict) or not isinstance(data.get("growth"), dict):
            return data
        growth, years = data["growth"], data.get("years")
        if growth.get("capacity") is not None or not isinstance(years, dict):
            return data
        try:
            value = float(growth["base_value"]["value"])
            rate = float(growth["cagr_pct"]["value"]) / 100.0
            span = int(years["horizon"]) - int(years["base"])
            horizon_value = value * (1.0 + rate) ** span
        except (KeyError, TypeError, ValueError, OverflowError, ZeroDivisionError):
            return data  # the fields' own checks say what is wrong
        if not isinstance(horizon_value, float) or not 0 < horizon_value < 1e300:
            return data
        capacity = {
            "value": _round_up(CAPACITY_MULTIPLE * max(horizon_value, value)),
            "provenance": Provenance.ASSUMED.value,
            "rationale": _NO_CAPACITY,
        }
        return {**data, "growth": {**growth, "capacity": capacity}}

    @field_validator("actuals")
    @classmethod
    def _distinct_actual_years(cls, values: tuple[Actual, ...]) -> tuple[Actual, ...]:
        years = [v.year for v in values]
        if len(set(years)) != len(years):
            raise ValueError("each year may have one actual figure")
        return tuple(sorted(values, key=lambda v: v.year))

    @model_validator(mode="before")
    @classmethod
    def _reported_from_estimate(cls, data: object) -> object:
        """Without a ``reported`` block, the calibrated estimate's figures are the reported ones."""
        if not isinstance(data, dict) or data.get("reported") or not data.get("calibrated_to"):
            return data
        estimates = data.get("estimates")
        estimate = next(
            (
                e
                for e in (estimates if isinstance(estimates, list) else ())
                if isinstance(e, dict) and e.get("id") == data["calibrated_to"]
            ),
            None,
        )
        years = data.get("years")
        if estimate is None or not isinstance(years, dict):
            return data  # _calibrated names the missing estimate, or estimates' own check
        first, horizon = years.get("first"), years.get("horizon")
        values = estimate.get("values")
        values = values if isinstance(values, list) else ()  # estimates' check says why
        reported = [
            v
            for v in values
            if isinstance(v, dict)
            and isinstance(v.get("year"), int)
            and isinstance(first, int)
            and isinstance(horizon, int)
            and first <= v["year"] <= horizon
        ]
        derived: dict[str, object] = {**data, "reported": reported}
        cagr = estimate.get("cagr_pct")
        if not data.get("reported_cagr_pct") and isinstance(cagr, dict) and "value" in cagr:
            derived["reported_cagr_pct"] = {
                "value": cagr["value"],
                "provenance": "reported",
                "citation": cagr.get("citation"),
            }
        return derived

    @field_validator("reported")
    @classmethod
    def _distinct_years(cls, values: tuple[ReportedValue, ...]) -> tuple[ReportedValue, ...]:
        return _by_year(values)

    @field_validator("estimates")
    @classmethod
    def _distinct_estimates(cls, estimates: tuple[Estimate, ...]) -> tuple[Estimate, ...]:
        if len(estimates) > MAX_ESTIMATES:
            raise ValueError(f"{len(estimates):,} estimates; at most {MAX_ESTIMATES} are allowed")
        _check_distinct([e.id for e in estimates], "estimates must have distinct ids")
        return estimates

    @field_validator("calibrated_to")
    @classmethod
    def _calibrated(cls, estimate_id: str | None, info: ValidationInfo) -> str | None:
        """``calibrated_to`` names one of ``estimates`` (checked here, so it is located)."""
        estimates = info.data.get("estimates")
        if estimate_id is None or estimates is None:  # estimates' own check says why
            return estimate_id
        if all(e.id != estimate_id for e in estimates):
            known = ", ".join(e.id for e in estimates) or "none"
            raise ValueError(f"names no estimate: {estimate_id}; known ids in estimates: {known}")
        return estimate_id

    @field_validator("dimensions")
    @classmethod
    def _distinct_dimensions(cls, dims: tuple[Dimension, ...]) -> tuple[Dimension, ...]:
        _check_distinct_names(dims, "dimensions")
        _check_distinct_ids(dims, "dimensions")
        return dims

    @model_validator(mode="wrap")
    @classmethod
    def _one_span_of_years(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        """Every year the file names lies within :data:`MAX_YEARS_SPAN` of every other.

        ``years`` holds its own span and ``reported`` lies inside it, so only an estimate
        can reach further; the one farthest out is named where the file has it (the model
        sorts an estimate's figures by year, so its place is looked up in ``data``).
        """
        a = handler(data)
        named = [
            (year, e, where)
            for e, estimate in enumerate(a.estimates)
            for year, where in _estimate_years(estimate)
        ]
        if not named:
            return a
        first, horizon = a.years.first, a.years.horizon
        earliest = min(first, *(year for year, _, _ in named))
        latest = max(horizon, *(year for year, _, _ in named))
        if latest - earliest <= MAX_YEARS_SPAN:
            return a
        year, e, where = max(named, key=lambda n: max(first - n[0], n[0] - horizon))
        if year > horizon:
            message = f"{year} is more than {MAX_YEARS_SPAN} years after {earliest}"
        else:
            message = f"{year} is more than {MAX_YEARS_SPAN} years before {latest}"
        message += (
            f"; every year the file names (years, reported, estimates) must lie within "
            f"{MAX_YEARS_SPAN} years of every other"
        )
        loc = ("estimates", e, *_raw_place(data, e, where, year))
        error = InitErrorDetails(
            type=PydanticCustomError("year_span", message), loc=loc, input=year
        )
        raise ValidationError.from_exception_data(cls.__name__, [error])

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for r in self.reported:
            if not self.years.first <= r.year <= self.years.horizon:
                raise ValueError(
                    f"reported year {r.year} lies outside the years "
                    f"{self.years.first}-{self.years.horizon}"
                )
        reported = self.reported_by_year
        history = [y for y in range(self.years.first, self.years.base) if y not in reported]
        if history:
            raise ValueError(
                f"years before the base year need a reported value, in reported or in the "
                f"estimates entry calibrated_to names; missing: {', '.join(map(str, history))}"
            )
        for index, actual in enumerate(self.actuals):
            if not self.years.base < actual.year < self.years.horizon:
                _refuse(
                    ("actuals", index),
                    actual.year,
                    f"an actual figure falls after the base year and before the horizon "
                    f"({self.years.base + 1}-{self.years.horizon - 1}), got {actual.year}",
                )
        _check_shape(self)
        return self

    @property
    def reported_by_year(self) -> dict[int, float]:
        return {r.year: r.value for r in self.reported}

    @property
    def actuals_by_year(self) -> dict[int, float]:
        return {v.year: v.value for v in self.actuals}

    @property
    def anchors(self) -> tuple[tuple[int, float], ...]:
        """The actual figures as :func:`market.growth_shapes.path_rates` takes them: (years
        after the base year, value)."""
        return tuple((v.year - self.years.base, v.value) for v in self.actuals)

    @property
    def cagr(self) -> float:
        """The market CAGR as a fraction (0.2012), for the model's arithmetic."""
        return self.growth.cagr_pct.value / 100.0

    def estimate(self, estimate_id: str) -> Estimate | None:
        return next((e for e in self.estimates if e.id == estimate_id), None)

    @property
    def geographic_dimension(self) -> Dimension | None:
        """The dimension whose segments are world regions (the first with ``geographic:
        true``), drawn on the Regions page's map; None if the file has none."""
        return next((d for d in self.dimensions if d.geographic), None)

    def walk(self) -> Iterator[Place]:
        """Every segment of every dimension, dimension by dimension (see :meth:`Dimension.walk`)."""
        for dimension in self.dimensions:
            yield from dimension.walk()

    @property
    def segment_count(self) -> int:
        """Segments and sub-segments in all dimensions: the limits and the Monte Carlo's
        memory budget count them."""
        return sum(d.segment_count for d in self.dimensions)

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        known = ", ".join(d.id for d in self.dimensions)
        raise KeyError(f"no dimension {dimension_id!r}; known: {known}")
