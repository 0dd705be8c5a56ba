"""The tunable assumptions of a market, addressed by path, and overrides applied to them.

One flat vocabulary serves every place where a user changes an assumption: sidebar
sliders, ``market forecast --set``, share links in the URL, saved scenarios and the
scenario bridge. A path names one number:

===================================  ==============================================
``growth.cagr_pct``                  market CAGR, % a year
``growth.base_value``                market size in the base year, market units
``uncertainty.cagr_sd_pct``          standard deviation of the CAGR, percentage points
``uncertainty.share_concentration``  Dirichlet concentration of the segment mix
``share.<dim>.<seg>[.<sub>]``        a segment's weight within its dimension (or parent)
``diff.<dim>.<seg>[.<sub>]``         a segment's growth differential, percentage points
===================================  ==============================================

Overrides are a plain ``{path: float}`` mapping; applying them re-validates the model,
so a user can never build assumptions that a file could not hold.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from market.assumptions import Assumptions, Provenance, Segment
from market.io import field_location

__all__ = [
    "OverrideError",
    "Parameter",
    "apply_overrides",
    "changed_overrides",
    "parameter_index",
    "parameters",
]

_SCALARS: dict[str, tuple[str, str, str, float, float, float]] = {
    # path: (label, unit, group, low, high, step); a file's own value widens the range, so
    # every file that validates can be shown, and re-applied, as it is
    "growth.cagr_pct": ("CAGR", "%", "growth", -50.0, 100.0, 0.1),
    "growth.base_value": ("Base-year market size", "value", "growth", 0.0, math.inf, 0.1),
    "uncertainty.cagr_sd_pct": ("CAGR uncertainty (1 sd)", "pp", "uncertainty", 0.0, 20.0, 0.1),
    "uncertainty.share_concentration": (
        "Mix concentration",
        "",
        "uncertainty",
        1.0,
        10_000.0,
        1.0,
    ),
}
SHARE_RANGE = (0.0, 100.0, 1.0)
DIFF_RANGE = (-20.0, 20.0, 0.1)


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
    dimension: str = ""
    segment: str = ""  # display name of the segment, for share and diff parameters
    parent: str = ""  # display name of the parent segment, for sub-segments

    def check(self, value: float) -> float:
        """``value`` as a float if it lies in range; ValueError naming the path otherwise."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{self.path}: {value} is not a finite number")
        if not self.low <= value <= self.high:
            raise ValueError(f"{self.path}: {value:g} is outside {self.low:g} to {self.high:g}")
        if self.path == "growth.base_value" and value <= 0:
            raise ValueError(f"{self.path}: the base value must be positive, got {value:g}")
        return value


def parameters(a: Assumptions) -> tuple[Parameter, ...]:
    """Every tunable number of ``a``, in the order a sidebar would show them."""
    found = list(_scalar_parameters(a))
    for dim in a.dimensions:
        for prefix, parent, segment in _walk(dim.id, dim.segments):
            for group in ("share", "diff"):
                found.append(_segment_parameter(group, prefix, dim.id, parent, segment))
    return tuple(found)


def parameter_index(a: Assumptions) -> dict[str, Parameter]:
    return {p.path: p for p in parameters(a)}


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


def changed_overrides(base: Assumptions, current: Assumptions) -> dict[str, float]:
    """The overrides that turn ``base`` into ``current``: only the numbers that differ."""
    before = {p.path: p.value for p in parameters(base)}
    return {
        p.path: p.value
        for p in parameters(current)
        if p.path in before and not math.isclose(before[p.path], p.value, rel_tol=0, abs_tol=1e-12)
    }


def _scalar_parameters(a: Assumptions) -> Iterator[Parameter]:
    for path, (label, unit, group, low, high, step) in _SCALARS.items():
        section, name = path.split(".")
        quantity = getattr(getattr(a, section), name)
        yield Parameter(
            path=path,
            label=label,
            group=group,
            unit=a.market.unit if unit == "value" else unit,
            value=quantity.value,
            low=min(low, quantity.value),
            high=max(high, quantity.value),
            step=step,
            provenance=quantity.provenance,
            basis=quantity.basis,
        )


def _walk(
    prefix: str, segments: tuple[Segment, ...], parent: str = ""
) -> Iterator[tuple[str, str, Segment]]:
    for segment in segments:
        yield prefix, parent, segment
        yield from _walk(f"{prefix}.{segment.id}", segment.segments, segment.name)


def _segment_parameter(
    group: str, prefix: str, dimension: str, parent: str, segment: Segment
) -> Parameter:
    low, high, step = SHARE_RANGE if group == "share" else DIFF_RANGE
    value = segment.share if group == "share" else segment.differential_pp
    label = f"{segment.name} share" if group == "share" else f"{segment.name} growth differential"
    return Parameter(
        path=f"{group}.{prefix}.{segment.id}",
        label=label,
        group=group,
        unit="weight" if group == "share" else "pp",
        value=value,
        low=min(low, value),
        high=max(high, value),
        step=step,
        provenance=segment.provenance,
        basis=segment.basis,
        dimension=dimension,
        segment=segment.name,
        parent=parent,
    )


def _node(data: dict[str, Any], path: str) -> dict[str, Any]:
    """The mapping in ``data`` that holds the number at ``path`` and its provenance."""
    group, *rest = path.split(".")
    if group in ("growth", "uncertainty"):
        quantity: dict[str, Any] = data[group][rest[0]]
        return quantity
    dimension_id, *segment_ids = rest
    node: dict[str, Any] = next(d for d in data["dimensions"] if d["id"] == dimension_id)
    for segment_id in segment_ids:
        node = next(s for s in node["segments"] if s["id"] == segment_id)
    return node


def _set(data: dict[str, Any], path: str, value: float) -> None:
    group = path.split(".", 1)[0]
    key = {"share": "share", "diff": "differential_pp"}.get(group, "value")
    _node(data, path)[key] = value


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
        node = _node(data, path)
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
    return f"{value:,.10g}{unit}"
