"""The one table of view controls: every page control a share link carries, declared once.

A view control changes what a page shows, not the numbers: the dimension Segments shows,
Risk's number of paths, the scenarios compared. Its :class:`ViewControl` entry says
everything the rest of the code needs: its key in a link (``v.dim``), the name the
dashboard remembers it under, what it names, the values it offers on a file, why a value
is refused, how long a link's value may be and what its page first shows. Everything else
is derived from :data:`VIEW_CONTROLS`: the share-link codec (:mod:`market.query`), the
pages' controls (they name an entry, never a string) and the README's key list. To add a
page control that a link carries, add one entry here and draw it on its page with it.

A link carries a control only when its value differs from what the page first shows.
In ``v.compare``, ``v.from`` and ``v.to``, ``~current`` (:data:`CURRENT_IN_LINK`) stands
for the sidebar's own assumptions and ``~base`` (:data:`BASE_IN_LINK`) for the file's own
values (the base case); every other name is a saved scenario's.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from market import grid
from market.assumptions import Assumptions
from market.opportunity import Opportunity
from market.risk import DEFAULT_PATHS, TOTAL, path_choices
from market.scenarios import MAX_NAME_LENGTH
from market.summary import sensitivity_targets

__all__ = [
    "BASE_IN_LINK",
    "BRIDGE_FROM",
    "BRIDGE_SEGMENT",
    "BRIDGE_TARGET",
    "BRIDGE_TO",
    "COMPARED",
    "CURRENT_IN_LINK",
    "DIMENSION",
    "GRID_COLUMNS",
    "GRID_COLUMNS_RANGE",
    "GRID_OUTCOME",
    "GRID_ROWS",
    "GRID_ROWS_RANGE",
    "GRID_TARGET",
    "MAX_COMPARED",
    "MAX_VALUE_LENGTH",
    "MIX_DIMENSION",
    "PATHS",
    "REGIONS_BY",
    "TORNADO_TARGET",
    "VIEW_CONTROLS",
    "YEAR",
    "Kind",
    "ViewControl",
    "control_for_key",
]

MAX_VALUE_LENGTH = 50
"""The longest value a link may give a number, a page or a view control (unless its entry
allows more); a file name may have up to 255 characters."""
CURRENT_IN_LINK = "~current"
"""A link's name for the sidebar's own assumptions among scenarios: no scenario can be named so."""
BASE_IN_LINK = "~base"
"""A link's name for the file's own values (the base case): no scenario can be named so."""
MAX_COMPARED = 4
"""The most scenarios compared at once."""


class Kind(Enum):
    """What a control's value is, which says how a link writes and reads it."""

    CHOICE = "one of the values the file offers, as it is"
    NUMBER = "a whole number the file offers; a value another file had is written as the nearest"
    SCENARIO = f"a saved scenario's name, {CURRENT_IN_LINK} or {BASE_IN_LINK}"
    SCENARIOS = (
        f"saved scenarios' names (or {CURRENT_IN_LINK}, {BASE_IN_LINK}) in order, comma-separated"
    )
    TEXT = "text of the form its entry checks (``check``), as the page writes it"
    AMOUNT = "a positive number"


@dataclass(frozen=True)
class ViewControl:
    """One page control that a share link carries.

    ``key`` is its key in a link; ``name`` the name the dashboard remembers its value under
    (and the key of :attr:`market.query.Decoded.view`); ``meaning`` and ``example`` describe
    it for people. ``options(a)`` are the values it offers on the file ``a`` (None for the
    scenario kinds, which offer the saved scenarios); ``refused(quoted, a)`` says why a
    value it does not offer is refused, given the value quoted for a message.
    ``default(a, options)`` is what its page first shows, given the options the page offers.
    ``max_length`` is the longest value a link may give it; ``plain_names`` quotes refused
    values as names (spaces and ``/`` kept). ``check(text, a)`` says whether a
    :attr:`Kind.TEXT` control takes ``text`` on ``a``.
    """

    key: str
    name: str
    meaning: str
    example: str
    kind: Kind
    options: Callable[[Assumptions], Sequence[str | int]] | None
    refused: Callable[[str, Assumptions], str]
    default: Callable[[Assumptions, Sequence[Any]], Any]
    max_length: int = MAX_VALUE_LENGTH
    plain_names: bool = False
    check: Callable[[str, Assumptions], bool] | None = None


def _dimensions(a: Assumptions) -> list[str]:
    return [d.id for d in a.dimensions]


def _split_by(a: Assumptions) -> list[str]:
    """The dimensions the regions can be crossed with: every one but the regions'."""
    region = a.geographic_dimension
    return [] if region is None else [d.id for d in a.dimensions if d.id != region.id]


def _bridge_targets(a: Assumptions) -> list[str]:
    return [TOTAL, *_dimensions(a)]


def _segments(a: Assumptions) -> list[str]:
    """Every top-level segment: a link's bridge segment belongs to whichever dimension
    the bridge explains."""
    return [s.id for d in a.dimensions for s in d.segments]


def _not_a_dimension(quoted: str, a: Assumptions) -> str:
    return f"{quoted} is not a dimension of this market"


def _not_a_split(quoted: str, a: Assumptions) -> str:
    if a.geographic_dimension is None:
        return "this market has no regions"
    return f"{quoted} is not a dimension the regions can be split by"


def _not_a_year(quoted: str, a: Assumptions) -> str:
    return f"must be a year from {a.years.first} to {a.years.horizon}"


def _not_offered_paths(quoted: str, a: Assumptions) -> str:
    return f"must be one of {', '.join(map(str, path_choices(a)))} for this file"


def _not_saved(quoted: str, a: Assumptions) -> str:
    return f"{quoted} is not a saved scenario"


def _first(a: Assumptions, options: Sequence[Any]) -> Any:
    return options[0]


def _second(a: Assumptions, options: Sequence[Any]) -> Any:
    return options[1]


def _total(a: Assumptions, options: Sequence[Any]) -> Any:
    return TOTAL


DIMENSION = ViewControl(
    key="v.dim",
    name="segments.dimension",
    meaning="Segments: the dimension shown (its id)",
    example="region",
    kind=Kind.CHOICE,
    options=_dimensions,
    refused=_not_a_dimension,
    default=_first,
)
YEAR = ViewControl(
    key="v.year",
    name="year",
    meaning="the year of Segments, Regions and the Scenarios mix (one control, shared)",
    example="2028",
    kind=Kind.NUMBER,
    options=lambda a: list(a.years.all),
    refused=_not_a_year,
    default=lambda a, options: a.years.horizon,
)
REGIONS_BY = ViewControl(
    key="v.by",
    name="regions.by",
    meaning="Regions: the dimension the regions are split by",
    example="deployment",
    kind=Kind.CHOICE,
    options=_split_by,
    refused=_not_a_split,
    default=_first,
)
PATHS = ViewControl(
    key="v.paths",
    name="risk.paths",
    meaning="Risk: the number of simulated paths",
    example="50000",
    kind=Kind.NUMBER,
    options=path_choices,
    refused=_not_offered_paths,
    default=lambda a, options: min(DEFAULT_PATHS, options[-1]),
)
TORNADO_TARGET = ViewControl(
    key="v.target",
    name="risk.target",
    meaning="Risk: the value the tornado explains",
    example="region/europe",
    kind=Kind.CHOICE,
    options=lambda a: list(sensitivity_targets(a)),
    refused=lambda quoted, a: f"{quoted} is not a value the tornado can explain",
    default=_total,
    plain_names=True,
)
COMPARED = ViewControl(
    key="v.compare",
    name="scenarios.compare",
    meaning="Scenarios: the scenarios compared, in order",
    example=f"{CURRENT_IN_LINK},Bear",
    kind=Kind.SCENARIOS,
    options=None,
    refused=_not_saved,
    default=lambda a, options: list(options[:3]),
    max_length=MAX_COMPARED * (MAX_NAME_LENGTH + 1) + 20,
    plain_names=True,
)
MIX_DIMENSION = ViewControl(
    key="v.mix",
    name="scenarios.mix-dimension",
    meaning="Scenarios: the dimension of the segment mix",
    example="deployment",
    kind=Kind.CHOICE,
    options=_dimensions,
    refused=_not_a_dimension,
    default=_first,
)
BRIDGE_FROM = ViewControl(
    key="v.from",
    name="scenarios.from",
    meaning=f"Scenarios: the bridge's first end (a scenario, {CURRENT_IN_LINK} or {BASE_IN_LINK})",
    example=BASE_IN_LINK,
    kind=Kind.SCENARIO,
    options=None,
    refused=_not_saved,
    default=_first,
    max_length=MAX_NAME_LENGTH,
    plain_names=True,
)
BRIDGE_TO = ViewControl(
    key="v.to",
    name="scenarios.to",
    meaning=f"Scenarios: the bridge's other end (a scenario, {CURRENT_IN_LINK} or {BASE_IN_LINK})",
    example="Bear",
    kind=Kind.SCENARIO,
    options=None,
    refused=_not_saved,
    default=_second,
    max_length=MAX_NAME_LENGTH,
    plain_names=True,
)
BRIDGE_TARGET = ViewControl(
    key="v.bridge",
    name="scenarios.bridge-dimension",
    meaning=f"Scenarios: what the bridge explains: {TOTAL} or a dimension",
    example="region",
    kind=Kind.CHOICE,
    options=_bridge_targets,
    refused=lambda quoted, a: f"{quoted} is neither {TOTAL} nor a dimension of this market",
    default=_total,
)
BRIDGE_SEGMENT = ViewControl(
    key="v.segment",
    name="scenarios.bridge-segment",
    meaning="Scenarios: the segment the bridge explains, of its dimension",
    example="asia-pacific",
    kind=Kind.CHOICE,
    options=_segments,
    refused=lambda quoted, a: f"{quoted} is not a segment of this market",
    default=_first,
)


@functools.lru_cache(maxsize=64)
def _grid_inputs(a: Assumptions) -> tuple[str, ...]:
    """What the grid's axes may vary on ``a``: the opportunity's target share is among them,
    the page offers it only when an opportunity is set. Kept per file: every share link
    written (each slider move) checks the grid's axes against them."""
    return tuple(grid.inputs(a, Opportunity()))


def _is_range(text: str, a: Assumptions) -> bool:
    try:
        axis = grid.parse_range("", text)
    except ValueError:
        return False
    ends = [end for end in (axis.low, axis.high) if end is not None]
    ordered = len(ends) < 2 or ends[0] <= ends[1]
    return 1 <= axis.steps <= grid.MAX_STEPS and all(map(math.isfinite, ends)) and ordered


def _is_outcome(text: str, a: Assumptions) -> bool:
    try:
        of, year = grid.parse_outcome(text)
    except ValueError:
        return False
    return of in grid.outcomes(a, Opportunity()) and (year is None or year in a.years.all)


def _grid_axis(
    rows: bool, default: str, example: str, range_example: str
) -> tuple[ViewControl, ViewControl]:
    which, name = ("row", "rows") if rows else ("column", "cols")
    path = ViewControl(
        key=f"v.grid-{name}",
        name=f"risk.grid.{name}",
        meaning=f"Risk: the grid's {which} input (an assumption's path)",
        example=example,
        kind=Kind.CHOICE,
        options=_grid_inputs,
        refused=lambda quoted, a: f"{quoted} is not an assumption the grid can vary",
        default=lambda a, options: default,
    )
    span = ViewControl(
        key=f"v.grid-{name}-range",
        name=f"risk.grid.{name}-range",
        meaning=f"Risk: the {which} input's LOW:HIGH:STEPS (an empty end: ±25% of its value)",
        example=range_example,
        kind=Kind.TEXT,
        options=None,
        refused=lambda quoted, a: (
            f"must be LOW:HIGH:STEPS, LOW at most HIGH, with 1 to {grid.MAX_STEPS} steps"
        ),
        default=lambda a, options: "",
        check=_is_range,
        max_length=60,  # two floats written in full (-1.3266595607349473e-47) and the steps
    )
    return path, span


GRID_ROWS, GRID_ROWS_RANGE = _grid_axis(True, "growth.cagr_pct", "diff.region.europe", "15:25:11")
GRID_COLUMNS, GRID_COLUMNS_RANGE = _grid_axis(
    False, "growth.base_value", "share.region.europe", "20:35:7"
)
GRID_OUTCOME = ViewControl(
    key="v.grid-of",
    name="risk.grid.of",
    meaning="Risk: the grid's outcome and its year (the horizon if none)",
    example="region/europe@2030",
    kind=Kind.TEXT,
    options=None,
    refused=lambda quoted, a: f"{quoted} is not an outcome the grid can show",
    default=_total,
    plain_names=True,
    check=_is_outcome,
)
GRID_TARGET = ViewControl(
    key="v.grid-target",
    name="risk.grid.target",
    meaning="Risk: the value the grid's cells are marked for reaching, in the file's unit",
    example="2000",
    kind=Kind.AMOUNT,
    options=None,
    refused=lambda quoted, a: f"{quoted} is not a positive number",
    default=lambda a, options: None,
)

VIEW_CONTROLS: tuple[ViewControl, ...] = (
    DIMENSION,
    YEAR,
    REGIONS_BY,
    PATHS,
    TORNADO_TARGET,
    COMPARED,
    MIX_DIMENSION,
    BRIDGE_FROM,
    BRIDGE_TO,
    BRIDGE_TARGET,
    BRIDGE_SEGMENT,
    GRID_ROWS,
    GRID_ROWS_RANGE,
    GRID_COLUMNS,
    GRID_COLUMNS_RANGE,
    GRID_OUTCOME,
    GRID_TARGET,
)
"""Every view control, in the order a link writes them."""


def control_for_key(key: str) -> ViewControl | None:
    """The view control a link key names, or None if it names none."""
    return next((c for c in VIEW_CONTROLS if c.key == key), None)
