"""The one registry of export formats: each file a user can take away, declared once.

An :class:`ExportFormat` names its renderer, MIME type, file suffix, button label and icon.
``market export`` takes its ``--format`` choices and the suffixes ``--out`` recognises from
:data:`FORMATS`, and the dashboard draws one download button per entry, in this order. To
add a format, write its renderer (a function of one :class:`ExportRequest`) and add one
entry here.

A renderer is named by module and function and imported only when a file is written: the
brief draws its charts with the dashboard's Plotly builders, and importing :mod:`market`
must not load the front end (only ``market export --format html`` does, to draw them).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from market.assumptions import Assumptions, slugify
from market.model import Forecast
from market.opportunity import Opportunity
from market.risk import DEFAULT_PATHS, TOTAL

__all__ = ["FORMATS", "ExportFormat", "ExportRequest", "format_for", "format_named"]


@dataclass(frozen=True)
class ExportRequest:
    """What every renderer gets: the assumptions to write (``current``, with the analyst's
    changes), the file they depart from (``base``), their forecast, and for the formats
    that split by one dimension, its id (``dimension``, None for the total only).

    The rest describes the view for the formats that show it whole (the deck): the
    assumptions file's name (``file_label``), the loaded scenario's name (``scenario``),
    the scenarios being compared (``compared``: name -> resolved assumptions), the user's
    revenue plan (``opportunity``; the workbook and the brief add a section on it too),
    and the Risk page's path count and tornado target."""

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


Rendered = str | bytes


@dataclass(frozen=True)
class ExportFormat:
    """One kind of file. ``name`` is the ``--format`` value, ``suffix`` the file ending
    (``--out``'s suffix picks the format), ``label`` the download button's text, ``icon`` its
    Material icon, ``help`` its tooltip. ``renderer`` is ``"module:function"``, a function of
    an :class:`ExportRequest` returning text (written as UTF-8) or bytes. The file is named
    ``<market>-<stem>[-<dimension>][-<date>]<suffix>``: ``by_dimension`` formats take the
    dimension (``--by``), ``dated`` ones the day they were made."""

    name: str
    label: str
    suffix: str
    mime: str
    renderer: str
    icon: str
    stem: str
    help: str = ""
    by_dimension: bool = False
    dated: bool = False

    def render(self, request: ExportRequest) -> Rendered:
        """The file's content: text (to be written as UTF-8) or bytes."""
        module, _, function = self.renderer.partition(":")
        # The one import by name in app code (banned elsewhere, pyproject.toml): the names
        # are this file's own constants in FORMATS, never text from a file or a viewer.
        loaded = importlib.import_module(module)  # noqa: TID251
        render: Callable[[ExportRequest], Rendered] = getattr(loaded, function)
        return render(request)

    def file_name(
        self, a: Assumptions, dimension: str | None = None, day: dt.date | None = None
    ) -> str:
        """A download name such as ``microservices-in-healthcare-forecast-region.csv``."""
        parts = [slugify(a.market.name) or "market", self.stem]
        if self.by_dimension and dimension:
            parts.append(dimension)
        if self.dated:
            parts.append((day or dt.date.today()).isoformat())
        return "-".join(parts) + self.suffix


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        name="csv",
        label="Forecast (CSV)",
        suffix=".csv",
        mime="text/csv",
        renderer="market.export:csv_file",
        icon=":material/table_view:",
        stem="forecast",
        by_dimension=True,
    ),
    ExportFormat(
        name="json",
        label="Forecast (JSON)",
        suffix=".json",
        mime="application/json",
        renderer="market.export:json_file",
        icon=":material/data_object:",
        stem="forecast",
        by_dimension=True,
    ),
    ExportFormat(
        name="xlsx",
        label="Workbook (XLSX)",
        suffix=".xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        renderer="market.export:xlsx_file",
        icon=":material/grid_on:",
        stem="forecast",
    ),
    ExportFormat(
        name="yaml",
        label="Assumptions (YAML)",
        suffix=".yaml",
        mime="application/x-yaml",
        renderer="market.export:yaml_file",
        icon=":material/description:",
        stem="assumptions",
    ),
    ExportFormat(
        name="html",
        label="Executive brief (HTML)",
        suffix=".html",
        mime="text/html",
        renderer="dashboard.brief:brief_file",
        icon=":material/summarize:",
        stem="brief",
        help="One file with the key figures, charts, risk range and every assumption; "
        "opens offline.",
        dated=True,
    ),
    ExportFormat(
        name="pptx",
        label="Deck (PPTX)",
        suffix=".pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        renderer="dashboard.deck:deck_file",
        icon=":material/slideshow:",
        stem="deck",
        help="A PowerPoint deck of this view with native, editable charts and the sources "
        "in the speaker notes.",
        dated=True,
    ),
)
"""Every export format, in the order the download buttons show them."""


def format_named(name: str) -> ExportFormat:
    """The format whose ``--format`` value is ``name``; KeyError if there is none."""
    for f in FORMATS:
        if f.name == name:
            return f
    raise KeyError(f"no export format {name!r}; known: {', '.join(f.name for f in FORMATS)}")


def format_for(suffix: str) -> ExportFormat | None:
    """The format a file ending (``.CSV``, ``.xlsx``) stands for, or None."""
    wanted = suffix.lower()
    return next((f for f in FORMATS if f.suffix == wanted), None)
