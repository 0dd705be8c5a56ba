"""What an export renders: the one request every renderer of :mod:`report.formats` takes.

Kept apart from the registry so a renderer (:mod:`report.export`) can name it without
importing the registry that lists the renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from market.assumptions import Assumptions
from market.grid import Grid, GridSpec, two_way
from market.model import Forecast
from market.opportunity import Opportunity
from market.risk import DEFAULT_PATHS, TOTAL

__all__ = ["ExportRequest", "Rendered"]


@dataclass(frozen=True)
class ExportRequest:
    """What every renderer gets: the assumptions to write (``current``, with the analyst's
    changes), the file they depart from (``base``), their forecast, and for the formats
    that split by one dimension, its id (``dimension``, None for the total only).

    The rest describes the view for the formats that show it whole (the deck): the
    assumptions file's name (``file_label``), the loaded scenario's name (``scenario``),
    the scenarios being compared (``compared``: name -> resolved assumptions), the user's
    revenue plan (``opportunity``; the workbook and the brief add a section on it too),
    the Risk page's path count and tornado target, and its two-way grid (``grid``; the
    workbook, the brief and the deck add it when given)."""

    current: Assumptions
    base: Assumptions
    forecast: Forecast
    dimension: str | None = None
    file_label: str = ""
    scenario: str | None = None
    compared: Mapping[str, Assumptions] = field(default_factory=dict)
    opportunity: Opportunity | None = None
    paths: int = DEFAULT_PATHS
    risk_target: str = TOTAL
    grid: GridSpec | None = None

    def two_way(self) -> Grid | None:
        """The requested grid on the current assumptions, or None if none was asked for;
        ValueError (one line) if it no longer fits them."""
        return None if self.grid is None else two_way(self.current, self.grid, self.opportunity)


Rendered = str | bytes
"""A file's content: text (written as UTF-8) or bytes."""
