"""What a command prints: the writer of each ``--format``, and tables for people.

Writers return text; :func:`write` sends it through :func:`cli.streams.emit`. Tables round
for people (:func:`rounded`); CSV and JSON keep full float precision.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cli.command import Option
from cli.streams import emit, warn
from market.model import as_float

__all__ = [
    "Column",
    "Writer",
    "exact",
    "format_option",
    "rounded",
    "table",
    "write",
]

V = TypeVar("V")
R = TypeVar("R")


# --- output formats --------------------------------------------------------------------------


@dataclass(frozen=True)
class Writer(Generic[V]):
    """One ``--format`` of a command: ``render`` gives the whole output for a view of the
    result. A format ``for_people`` (a table, a text) states the command's notes itself; a
    data format (CSV, JSON) leaves them to stderr, so standard output stays parseable."""

    render: Callable[[V], str]
    for_people: bool = False


def format_option(writers: Mapping[str, Writer[Any]]) -> Option:
    """``--format``: the writers' names are its choices, the first one the default."""
    names = tuple(writers)
    return Option("--format", choices=names, default=names[0])


def write(writer: Writer[V], view: V, notes: Iterable[str] = ()) -> None:
    """The view in one format on standard output; ``notes`` on stderr unless it says them."""
    emit(writer.render(view))
    if not writer.for_people:
        for note in notes:
            warn(note)


# --- tables for people ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a table: its title, its cell for a row, and which side it lines up on
    (numbers on the right, the default; words on the ``left``)."""

    title: str
    cell: Callable[[R], str]
    left: bool = False


def table(columns: Sequence[Column[R]], rows: Iterable[R]) -> str:
    """A plain-text table: the titles, a rule, a line per row; columns two spaces apart and
    no space at the end of a line."""
    grid = [[c.title for c in columns], *([c.cell(row) for c in columns] for row in rows)]
    widths = [max(map(len, cells)) for cells in zip(*grid, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.ljust(width) if column.left else cell.rjust(width)
            for cell, width, column in zip(cells, widths, columns, strict=True)
        )
        return "  ".join(padded).rstrip()

    return "\n".join([line(grid[0]), "  ".join("-" * w for w in widths), *map(line, grid[1:])])


def rounded(value: object) -> str:
    """A value rounded for reading: ``1,651.2``; blank when missing."""
    number = as_float(value)
    return "" if math.isnan(number) else f"{number:,.1f}"


def exact(value: object) -> str:
    """A value as typed in a file or on the command line: ``20.12``, ``-1.5``, ``200``."""
    return f"{as_float(value):.12g}"
