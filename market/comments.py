"""Comments: a viewer's plain-text note on a chart point or on a saved scenario.

The concept is defined here once, so the store (:mod:`store.comments`) keeps it, the
dashboard lists and marks it on its charts, and the brief and the deck list the open ones,
all from the same values. A note is on a point of a chart (:class:`Point`: the page, the
chart, the year and the series) of an assumptions file, or on a scenario of that file.
Its text is at most :data:`TEXT_LENGTH` characters and never empty (:func:`check_text`),
and it is plain text everywhere: never read as Markdown, HTML or a spreadsheet formula.
Times are UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "MARKET_SIZE",
    "TEXT_LENGTH",
    "Chart",
    "Comment",
    "CommentError",
    "Point",
    "check_text",
    "on_chart",
    "segments_chart",
]

TEXT_LENGTH = 2_000
"""The longest comment kept, in characters."""


class CommentError(ValueError):
    """A comment that cannot be left, resolved or reopened; the message says what and where."""


@dataclass(frozen=True)
class Chart:
    """A chart that takes comments: the page it is on and its id there."""

    page: str
    chart: str

    def point(self, year: int, series: str) -> Point:
        return Point(self.page, self.chart, int(year), series)


MARKET_SIZE = Chart("Overview", "market-size")
"""The Overview's market size over time (the deck's market-size slide)."""


def segments_chart(dimension_id: str) -> Chart:
    """The Segments page's stacked area for one dimension (the deck's slide on it)."""
    return Chart("Segments", f"segments-{dimension_id}")


@dataclass(frozen=True)
class Point:
    """Where on a chart a note is: its page, chart id, year and series (a trace's name)."""

    page: str
    chart: str
    year: int
    series: str

    @property
    def on(self) -> Chart:
        return Chart(self.page, self.chart)

    def __str__(self) -> str:
        return f"{self.page}, {self.chart}: {self.series}, {self.year}"


@dataclass(frozen=True)
class Comment:
    """One note: where it is (``point``, or None for a note on ``scenario`` itself), what
    it says, who left it and when, and who resolved it and when (None while it is open).
    ``scenario`` is also the scenario a chart note was left on, when one was loaded."""

    id: int
    file: str
    scenario: str | None
    point: Point | None
    text: str
    author: str
    created: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    def where(self) -> str:
        """Where the note is, in words: ``Overview, market-size: Modelled, 2028``."""
        if self.point is None:
            return f"the scenario {self.scenario}"
        return str(self.point) + (f" (scenario {self.scenario})" if self.scenario else "")

    def byline(self) -> str:
        """Who left it and when, and who resolved it: ``ana@example.com, 2026-12-06 16:50 UTC``."""
        said = f"{self.author}, {_when(self.created)}"
        if self.resolved_at is not None:
            said += f"; resolved by {self.resolved_by}, {_when(self.resolved_at)}"
        return said

    def line(self) -> str:
        """The note on one line, as the brief and the deck's speaker notes list it."""
        return f"{self.where()} ({self.byline()}): {' '.join(self.text.split())}"


def check_text(text: str, where: str) -> str:
    """``text`` as kept (ends trimmed); CommentError saying what and where if it is empty
    or longer than :data:`TEXT_LENGTH` characters."""
    cleaned = str(text).strip()
    if not cleaned:
        raise CommentError(f"The comment on {where} is empty; write what you want to say")
    if len(cleaned) > TEXT_LENGTH:
        raise CommentError(
            f"The comment on {where} is {len(cleaned):,} characters long; "
            f"at most {TEXT_LENGTH:,} are kept"
        )
    return cleaned


def on_chart(comments: Iterable[Comment], chart: Chart) -> tuple[Comment, ...]:
    """The comments on points of ``chart``, in the order given."""
    return tuple(c for c in comments if c.point is not None and c.point.on == chart)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
