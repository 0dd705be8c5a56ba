"""Comments in the database: a plain-text note on a chart point or on a scenario, per file.

What a comment is (:class:`market.comments.Comment`, its text rule, the charts that take
them) is defined in :mod:`market.comments`; this module keeps them. Each function takes a
:class:`~sqlalchemy.orm.Session` with no transaction open and runs exactly one transaction,
as :mod:`store.scenarios` does. A comment is recorded with its author (the rule of
:func:`store.scenarios.recorded_author`: "anonymous" without a login) and time; resolving
records who and when, reopening clears both. Anyone who can leave a comment can resolve or
reopen any comment; nothing here deletes one.

Refused text and unknown comments are :class:`~market.comments.CommentError`, with a
message fit to show a user; everything the database refuses is a
:class:`~store.database.StoreUnavailableError`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.comments import Chart, Comment, CommentError, Point, check_text
from market.scenarios import check_name
from store.database import transaction
from store.scenarios import key, recorded_author
from store.schema import CommentRow, utc

__all__ = ["add", "for_export", "listing", "reopen", "resolve"]


def add(
    session: Session,
    file: str,
    text: str,
    *,
    author: str,
    point: Point | None = None,
    scenario: str | None = None,
) -> Comment:
    """Leave ``text`` on ``point`` of ``file``'s charts (with the scenario loaded then, if
    any), or, without a point, on ``scenario`` itself. CommentError (what and where) if
    the text is empty or longer than :data:`market.comments.TEXT_LENGTH`."""
    if point is None and scenario is None:
        raise CommentError("A comment is on a chart point or on a scenario; neither was given")
    if scenario is not None:
        check_name(scenario)
    where = str(point) if point is not None else f"the scenario {scenario}"
    row = CommentRow(
        file=file,
        scenario_key=None if scenario is None else key(scenario),
        scenario=scenario,
        page=None if point is None else point.page,
        chart=None if point is None else point.chart,
        year=None if point is None else point.year,
        series=None if point is None else point.series,
        text=check_text(text, where),
        author=recorded_author(author),
        created=datetime.now(UTC),
    )
    with transaction(session, write=True):
        session.add(row)
        session.flush()
        return _comment(row)


def listing(
    session: Session,
    file: str,
    *,
    scenario: str | None = None,
    chart: Chart | None = None,
    page: str | None = None,
    open_only: bool = False,
) -> tuple[Comment, ...]:
    """The comments on ``file``, oldest first; each filter given narrows them: on (or left
    while on) ``scenario``, on points of ``chart``, on ``page``, and only the open ones."""
    query = select(CommentRow).where(CommentRow.file == file)
    if scenario is not None:
        query = query.where(CommentRow.scenario_key == key(scenario))
    if chart is not None:
        query = query.where(CommentRow.page == chart.page, CommentRow.chart == chart.chart)
    if page is not None:
        query = query.where(CommentRow.page == page)
    if open_only:
        query = query.where(CommentRow.resolved_at.is_(None))
    with transaction(session, write=False):
        rows = session.scalars(query.order_by(CommentRow.created, CommentRow.id)).all()
        return tuple(_comment(row) for row in rows)


def for_export(session: Session, file: str, scenario: str | None) -> tuple[Comment, ...]:
    """What an export of ``file`` (with ``scenario`` loaded, if any) lists: the open
    comments on its charts, and the open ones on that scenario itself. The dashboard's
    downloads and ``market export`` both ask this."""
    found = listing(session, file, open_only=True)
    wanted = None if scenario is None else key(scenario)
    return tuple(
        c
        for c in found
        if c.point is not None or (c.scenario is not None and key(c.scenario) == wanted)
    )


def resolve(session: Session, comment: int, *, author: str) -> Comment:
    """Mark ``comment`` resolved by ``author``, now; CommentError if it already is."""
    with transaction(session, write=True):
        row = _row(session, comment)
        if row.resolved_at is not None:
            raise CommentError(
                f"The comment on {_comment(row).where()} was already resolved by {row.resolved_by}"
            )
        row.resolved_at, row.resolved_by = datetime.now(UTC), recorded_author(author)
        session.flush()
        return _comment(row)


def reopen(session: Session, comment: int) -> Comment:
    """Open ``comment`` again (who resolved it is cleared); CommentError if it is open.
    Any viewer may reopen any comment."""
    with transaction(session, write=True):
        row = _row(session, comment)
        if row.resolved_at is None:
            raise CommentError(f"The comment on {_comment(row).where()} is already open")
        row.resolved_at, row.resolved_by = None, None
        session.flush()
        return _comment(row)


def _row(session: Session, comment: int) -> CommentRow:
    row = session.get(CommentRow, comment)
    if row is None:
        raise CommentError(f"There is no comment {comment}; it may have been removed")
    return row


def _comment(row: CommentRow) -> Comment:
    point = None
    if row.page is not None and row.chart is not None and row.year is not None:
        point = Point(row.page, row.chart, row.year, row.series or "")
    return Comment(
        id=row.id,
        file=row.file,
        scenario=row.scenario,
        point=point,
        text=row.text,
        author=row.author,
        created=utc(row.created),
        resolved_at=None if row.resolved_at is None else utc(row.resolved_at),
        resolved_by=row.resolved_by,
    )
