"""The one registry of export formats: each file a user can take away, declared once.

An :class:`ExportFormat` names its renderer, MIME type, file suffix, button label and icon.
``market export`` takes its ``--format`` choices and the suffixes ``--out`` recognises from
:data:`FORMATS`, and the dashboard draws one download button per entry, in this order. To
add a format, write its renderer (a function of one :class:`ExportRequest`) and add one
entry here.

Renderers are plain functions. The brief and the deck load Plotly, Jinja2 and python-pptx,
which a command that writes a CSV never needs, so their modules are imported inside the two
small functions below, the first time such a file is written (start-up stays as quick as
the CSV writer's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from market.assumptions import Assumptions, slugify
from report import export
from report.request import ExportRequest, Rendered

__all__ = ["FORMATS", "ExportFormat", "ExportRequest", "format_for", "format_named"]


def _brief_file(request: ExportRequest) -> Rendered:
    """The HTML brief (:mod:`report.brief`), imported on first use: it loads Plotly and Jinja2."""
    from report.brief import brief_file

    return brief_file(request)


def _deck_file(request: ExportRequest) -> Rendered:
    """The PPTX deck (:mod:`report.deck`), imported on first use: it loads python-pptx."""
    from report.deck import deck_file

    return deck_file(request)


@dataclass(frozen=True)
class ExportFormat:
    """One kind of file. ``name`` is the ``--format`` value, ``suffix`` the file ending
    (``--out``'s suffix picks the format), ``label`` the download button's text, ``icon`` its
    Material icon, ``help`` its tooltip. ``renderer`` is a function of an
    :class:`ExportRequest` returning text (written as UTF-8) or bytes. The file is named
    ``<market>-<stem>[-<dimension>][-<date>]<suffix>``: ``by_dimension`` formats take the
    dimension (``--by``), ``dated`` ones the day they were made. ``lists_comments`` formats
    list the open comments viewers left (:attr:`ExportRequest.comments`): a front end reads
    them from the store only for these."""

    name: str
    label: str
    suffix: str
    mime: str
    renderer: Callable[[ExportRequest], Rendered]
    icon: str
    stem: str
    help: str = ""
    by_dimension: bool = False
    dated: bool = False
    lists_comments: bool = False

    def render(self, request: ExportRequest) -> Rendered:
        """The file's content: text (to be written as UTF-8) or bytes."""
        return self.renderer(request)

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
        renderer=export.csv_file,
        icon=":material/table_view:",
        stem="forecast",
        by_dimension=True,
    ),
    ExportFormat(
        name="json",
        label="Forecast (JSON)",
        suffix=".json",
        mime="application/json",
        renderer=export.json_file,
        icon=":material/data_object:",
        stem="forecast",
        by_dimension=True,
    ),
    ExportFormat(
        name="xlsx",
        label="Workbook (XLSX)",
        suffix=".xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        renderer=export.xlsx_file,
        icon=":material/grid_on:",
        stem="forecast",
    ),
    ExportFormat(
        name="yaml",
        label="Assumptions (YAML)",
        suffix=".yaml",
        mime="application/x-yaml",
        renderer=export.yaml_file,
        icon=":material/description:",
        stem="assumptions",
    ),
    ExportFormat(
        name="html",
        label="Executive brief (HTML)",
        suffix=".html",
        mime="text/html",
        renderer=_brief_file,
        icon=":material/summarize:",
        stem="brief",
        help="One file with the key figures, charts, risk range and every assumption; "
        "opens offline.",
        dated=True,
        lists_comments=True,
    ),
    ExportFormat(
        name="pptx",
        label="Deck (PPTX)",
        suffix=".pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        renderer=_deck_file,
        icon=":material/slideshow:",
        stem="deck",
        help="A PowerPoint deck of this view with native, editable charts and the sources "
        "in the speaker notes.",
        dated=True,
        lists_comments=True,
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
