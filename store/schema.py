"""The store's tables, as typed SQLAlchemy 2 mappings: scenarios, their versions, comments.

A scenario row is a name and a pointer: ``version`` is the number of its current version,
the column every change compares and swaps (:mod:`store.scenarios`). Each save adds a
version row holding the whole scenario (base file, rationale, overrides, opportunity, actual
figures) with
who saved it, when, and why; nothing is ever overwritten. Deleting sets ``hidden_at``;
only a purge removes rows. A comment row is one note (:mod:`market.comments`) on a chart
point or a scenario of one assumptions file; resolving it sets ``resolved_at``.

Times are UTC. SQLite keeps them without a zone, so they are read back through
:func:`utc`. A change to these classes needs a migration in ``store/migrations/versions``
(one per schema change); ``tests/store/test_migrations.py`` checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "AUTHOR_LENGTH",
    "NOTE_LENGTH",
    "Base",
    "CommentRow",
    "ScenarioRow",
    "Setting",
    "VersionRow",
    "utc",
]

AUTHOR_LENGTH = 320
"""The longest author kept: an e-mail address may be 320 characters."""
NOTE_LENGTH = 2_000
"""The longest note a version (or a comment) may carry."""


class Base(DeclarativeBase):
    # Named constraints, so a migration can name what it changes on every engine.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class ScenarioRow(Base):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    """The name's slug (``"Base case"`` -> ``base-case``): names differing only in case,
    spaces, ``-`` or ``_`` are one scenario, as they were one file."""
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    """The current version's number: the compare-and-swap column."""
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_by: Mapped[str | None] = mapped_column(String(AUTHOR_LENGTH))

    versions: Mapped[list[VersionRow]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", passive_deletes=True
    )


class VersionRow(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    author: Mapped[str] = mapped_column(String(AUTHOR_LENGTH))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH))
    base_file: Mapped[str] = mapped_column(String(255))
    rationale: Mapped[str] = mapped_column(Text)
    overrides: Mapped[dict[str, float]] = mapped_column(JSON)
    opportunity: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actuals: Mapped[dict[str, float] | None] = mapped_column(JSON)
    """Actual figures typed beside the file's, year (as text: a JSON key) -> value."""

    scenario: Mapped[ScenarioRow] = relationship(back_populates="versions")


class Setting(Base):
    """Facts about the database itself, such as when the scenarios folder was imported."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CommentRow(Base):
    """A note on a chart point (page, chart, year, series) or on a scenario of ``file``."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(String(255), index=True)
    """The assumptions file's name, as the dashboard selects it."""
    scenario_key: Mapped[str | None] = mapped_column(String(80))
    scenario: Mapped[str | None] = mapped_column(String(60))
    page: Mapped[str | None] = mapped_column(String(80))
    chart: Mapped[str | None] = mapped_column(String(120))
    year: Mapped[int | None] = mapped_column(Integer)
    series: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(NOTE_LENGTH))
    author: Mapped[str] = mapped_column(String(AUTHOR_LENGTH))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(AUTHOR_LENGTH))


def utc(moment: datetime) -> datetime:
    """A time read from the database, in UTC (SQLite returns it without a zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
