"""The tunable assumptions of a market, addressed by path, and overrides applied to them.

One flat vocabulary serves every place where a user changes an assumption: sidebar
sliders, ``market forecast --set``, share links in the URL, saved scenarios and the
scenario bridge. A path names one number; the paths, their labels, units, ranges and
link keys are declared once, in :data:`market.parameter_table.PARAMETER_TABLE`
(``market params`` lists them for a file).

Overrides are a plain ``{path: float}`` mapping; applying them re-validates the model,
so a user can never build assumptions that a file could not hold.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from market import parameter_table
from market.assumptions import Assumptions, Place, Provenance
from market.io import field_location
from market.parameter_table import (
    MARKET_UNIT,
    REBASE_PATH,
    Kind,
    ParameterSpec,
    grid,
    spec_for_path,
)

__all__ = [
    "ENTERED_ACTUAL",
    "OverrideError",
    "Parameter",
    "apply_actuals",
    "apply_overrides",
    "changed_overrides",
    "entered_actuals",
    "parameter_index",
    "parameters",
    "unused_paths",
]


@dataclass(frozen=True)
class Parameter:
    """One number a user may change, with its range and where its default comes from."""

    path: str
    label: str
    group: str  # "growth", "uncertainty", "share" or "diff"
    unit: str
    value: float
    low: float
    high: float
    step: float
    provenance: Provenance
    basis: str  # the citation if reported, the rationale if assumed
    key: str  # the share-link key
    help: str  # what the number means, for a slider's help
    slider: str = ""  # where its control is drawn ("sidebar", "risk", "actuals"), or ""
    slider_label: str = ""
    entry_only: bool = False  # a number entry without a slider (see ParameterSpec)
    dimension: str = ""
    segment: str = ""  # display name of the segment, for share and diff parameters
    parent: str = ""  # display name of the parent segment, for sub-segments
    kind: Kind = Kind.RANGE
    choices: tuple[str, ...] = ()  # a choice's names; its value is the position of one
    shown_with: tuple[str, str] | None = None  # (choice path, choice) that uses it alone

    def holds(self, value: float) -> bool:
        """Whether ``value`` lies in this parameter's range (its slider's bounds)."""
        try:
            self.check(value)
        except (TypeError, ValueError):
            return False
        return True

    def check(self, value: float) -> float:
        """``value`` as a float if it lies in range (for a choice, the position of one);
        ValueError naming the path otherwise."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{self.path}: {value} is not a finite number")
        if self.kind is Kind.CHOICE:
            if not value.is_integer() or not 0 <= value < len(self.choices):
                raise ValueError(f"{self.path}: {value:g} is not one of {', '.join(self.choices)}")
            return value
        if not self.low <= value <= self.high:
            raise ValueError(f"{self.path}: {value:g} is outside {self.low:g} to {self.high:g}")
        return value

    def shown(self, value: float) -> str:
        """``value`` as people read it: a choice's name, else the number."""
        return self.choices[int(value)] if self.kind is Kind.CHOICE else f"{value:,.10g}"


def parameters(a: Assumptions) -> tuple[Parameter, ...]:
    """Every tunable number of ``a``: the table's single numbers in table order, then for each
    segment its entry of every per-segment family (share, then differential)."""
    return _parameters(a, parameter_table.PARAMETER_TABLE)


# Assumptions and the table's specs are frozen and hashable, and so are the parameters: the
# same file and table give the same tuple. Cached, since every override, every slider and
# every sensitivity step asks for them (building them took 0.3-1 ms a call, 16 of the Risk
# page's 62 ms of server CPU per CAGR move).
@functools.lru_cache(maxsize=256)
def _parameters(a: Assumptions, table: tuple[ParameterSpec, ...]) -> tuple[Parameter, ...]:
    scalars = (spec for spec in table if not spec.per_segment)
    found = [_scalar_parameter(a, spec) for spec in scalars if _attribute(a, spec.field)]
    families = [spec for spec in table if spec.per_segment]
    for place in a.walk():
        found.extend(_segment_parameter(a, spec, place) for spec in families)
    return tuple(found)


def parameter_index(a: Assumptions) -> dict[str, Parameter]:
    return {p.path: p for p in parameters(a)}


def unused_paths(a: Assumptions) -> frozenset[str]:
    """The parameters ``a``'s numbers do not rest on: a growth shape's own parameter while
    another shape is chosen (the fade under the logistic shape), and the re-basing choice
    without actual figures. Controls of these are not drawn, and lists of what the numbers
    rest on (the deck's) leave them out; they still hold their values."""
    index = parameter_index(a)
    unused = {
        p.path
        for p in index.values()
        if p.shown_with is not None
        and index[p.shown_with[0]].choices[int(index[p.shown_with[0]].value)] != p.shown_with[1]
    }
    if not a.actuals:
        unused.add(REBASE_PATH)
    return frozenset(unused)


class OverrideError(ValueError):
    """Overrides that cannot be applied; ``problems`` maps each bad path to its reason."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{p}: {m}" for p, m in self.problems.items()))


def apply_overrides(a: Assumptions, overrides: Mapping[str, float]) -> Assumptions:
    """A copy of ``a`` with each path in ``overrides`` set to its value.

    Unknown paths and out-of-range values raise :class:`OverrideError` listing each one;
    so does a combination that the schema refuses (for example every share set to zero).
    """
    if not overrides:
        return a
    index = parameter_index(a)
    problems: dict[str, str] = {}
    checked: dict[str, float] = {}
    for path, value in overrides.items():
        if path not in index:
            problems[path] = "no such assumption"
            continue
        try:
            checked[path] = index[path].check(value)
        except (TypeError, ValueError) as err:
            problems[path] = str(err).removeprefix(f"{path}: ")
    if problems:
        raise OverrideError(problems)
    data = a.model_dump()
    for path, value in checked.items():
        _set(data, path, value)
    _mark_changed(data, index, checked)
    try:
        return Assumptions.model_validate(data)
    except ValidationError as err:
        # the schema's reasons are located as in a file: dimensions[Region].segments
        reasons = {
            field_location(e["loc"], data): e["msg"].removeprefix("Value error, ")
            for e in err.errors()
        }
        raise OverrideError(reasons) from None


ENTERED_ACTUAL = "Entered by the analyst"
"""The citation of an actual figure typed into the dashboard, a link or a command."""


def apply_actuals(a: Assumptions, entered: Mapping[int, float]) -> Assumptions:
    """A copy of ``a`` with these actual figures (year -> value, market units) beside the
    file's; one in a year the file has an actual for replaces it. The figures are checked
    as a file's are (a year after the base and before the horizon, a positive value, a
    growth shape that still holds): :class:`OverrideError` names ``actuals[<year>]`` and why.
    """
    if not entered:
        return a
    problems: dict[str, str] = {}
    merged = {v.year: v.model_dump() for v in a.actuals}
    for year, value in entered.items():
        if isinstance(year, bool) or not isinstance(year, int):
            problems[f"actuals[{year}]"] = "a year is a whole number"
        elif not math.isfinite(float(value)) or float(value) <= 0:
            problems[f"actuals[{year}]"] = f"an actual figure is a positive number, got {value}"
        else:
            merged[year] = {"year": year, "value": float(value), "citation": ENTERED_ACTUAL}
    if problems:
        raise OverrideError(problems)
    data = a.model_dump()
    data["actuals"] = [merged[year] for year in sorted(merged)]
    try:
        return Assumptions.model_validate(data)
    except ValidationError as err:
        reasons = {
            field_location(e["loc"], data): e["msg"].removeprefix("Value error, ")
            for e in err.errors()
        }
        raise OverrideError(reasons) from None


def entered_actuals(base: Assumptions, current: Assumptions) -> dict[int, float]:
    """The actual figures ``current`` has beyond ``base``'s (new years or other values):
    what :func:`apply_actuals` adds to ``base`` to give ``current``'s."""
    before = base.actuals_by_year
    return {
        year: value for year, value in current.actuals_by_year.items() if before.get(year) != value
    }


def changed_overrides(base: Assumptions, current: Assumptions) -> dict[str, float]:
    """The overrides that turn ``base`` into ``current``: only the numbers that differ."""
    before = {p.path: p.value for p in parameters(base)}
    return {
        p.path: p.value
        for p in parameters(current)
        if p.path in before and not math.isclose(before[p.path], p.value, rel_tol=0, abs_tol=1e-12)
    }


def _scalar_parameter(a: Assumptions, spec: ParameterSpec) -> Parameter:
    quantity = _attribute(a, spec.field)
    value = float(spec.choices.index(quantity.value) if spec.choices else quantity.value)
    low, high, step = _range(spec, value)
    unit = a.market.unit if spec.unit == MARKET_UNIT else spec.unit
    return Parameter(
        path=spec.path,
        label=spec.label,
        group=spec.group,
        unit=unit,
        value=value,
        low=low,
        high=high,
        step=step,
        provenance=quantity.provenance,
        basis=quantity.basis,
        key=spec.key,
        help=spec.help,
        slider=spec.slider,
        slider_label=spec.slider_label or _slider_label(spec.label, unit),
        entry_only=spec.entry_only,
        kind=spec.kind,
        choices=spec.choices,
        shown_with=spec.shown_with,
    )


def _segment_parameter(a: Assumptions, spec: ParameterSpec, place: Place) -> Parameter:
    segment, parent = place.segment, place.parent
    value = float(getattr(segment, spec.field))
    scale = 1.0
    if spec.group == "share" and all(s.share <= 1.0 for s in place.siblings):
        scale = 0.01  # weights written as fractions
    low, high, step = _range(spec, value, scale)
    label = spec.label.format(segment=segment.name)
    below = f"{place.dimension.id}.{place.key}"
    return Parameter(
        path=f"{spec.path}.{below}",
        label=label,
        group=spec.group,
        unit=a.market.unit if spec.unit == MARKET_UNIT else spec.unit,
        value=value,
        low=low,
        high=high,
        step=step,
        provenance=segment.provenance,
        basis=segment.basis,
        key=f"{spec.key}.{below}",
        help=spec.help.format(within="of its parent" if parent is not None else "of the total"),
        slider=spec.slider,
        slider_label=spec.slider_label.format(segment=segment.name)
        or _slider_label(label, spec.unit),
        dimension=place.dimension.id,
        segment=segment.name,
        parent="" if parent is None else parent.segment.name,
    )


def _range(spec: ParameterSpec, value: float, scale: float = 1.0) -> tuple[float, float, float]:
    """The parameter's range and step: the slider's bounds where it has a slider (see
    :func:`market.parameter_table.grid`), else the table's range widened to hold ``value``."""
    low, high = spec.low * scale, spec.high * scale
    steps = tuple(step * scale for step in spec.steps)
    if spec.slider and not spec.entry_only and spec.kind is Kind.RANGE:
        return grid(low, high, steps, value)
    return min(low, value), max(high, value), steps[0]


def _slider_label(label: str, unit: str) -> str:
    shown = {"": "", MARKET_UNIT: ""}.get(unit, unit)
    return f"{label} ({shown})" if shown else label


def _attribute(a: Assumptions, dotted: str) -> Any:
    node: Any = a
    for name in dotted.split("."):
        node = getattr(node, name)
    return node


def _node(data: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    """The mapping in ``data`` that holds the number at ``path`` and its provenance, and the
    number's key in it (``value`` for a quantity, the segment's field for a segment)."""
    spec = spec_for_path(path)
    if spec is None:  # paths are checked against the parameter index before
        raise KeyError(path)
    if not spec.per_segment:
        node: dict[str, Any] = data
        for name in spec.field.split("."):
            node = node[name]
        return node, "value"
    dimension_id, *segment_ids = path.removeprefix(f"{spec.path}.").split(".")
    node = next(d for d in data["dimensions"] if d["id"] == dimension_id)
    for segment_id in segment_ids:
        node = next(s for s in node["segments"] if s["id"] == segment_id)
    return node, spec.field


def _set(data: dict[str, Any], path: str, value: float) -> None:
    node, key = _node(data, path)
    spec = spec_for_path(path)
    written = None if spec is None else spec.written(value)
    node[key] = value if written is None else written


def _mark_changed(
    data: dict[str, Any], index: Mapping[str, Parameter], values: Mapping[str, float]
) -> None:
    """A changed number is the analyst's own: it becomes ``assumed``, and its rationale says
    what it was changed from and where the file's value came from, so a changed value never
    carries the source's citation as if the source reported it."""
    changes: dict[int, tuple[dict[str, Any], Parameter, list[str]]] = {}
    for path, value in values.items():
        p = index[path]
        if math.isclose(p.value, value, rel_tol=0, abs_tol=1e-12):
            continue
        node, _ = _node(data, path)
        # a segment's share and differential share one provenance, so one rationale
        _, _, parts = changes.setdefault(id(node), (node, p, []))
        parts.append(f"{_what(p)} from {_amount(p, p.value)} to {_amount(p, value)}")
    for node, p, parts in changes.values():
        changed = "; ".join(parts)
        if p.provenance is Provenance.REPORTED:
            why = f"Changed by the analyst from the cited figure: {changed} (cited: {p.basis})."
        else:
            why = f"Changed by the analyst: {changed}. The file's assumption: {p.basis}"
        node.update(provenance=Provenance.ASSUMED, citation=None, rationale=why)


def _what(p: Parameter) -> str:
    return {"share": "share weight", "diff": "growth differential"}.get(p.group, p.label)


def _amount(p: Parameter, value: float) -> str:
    unit = "" if p.unit in ("", "weight") else f" {p.unit}"
    return f"{p.shown(value)}{unit}"
