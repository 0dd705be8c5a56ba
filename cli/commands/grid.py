"""``market grid``: any two assumptions against one outcome, as a table (a What-If table).

    market grid --rows growth.cagr_pct=15:25:11 --cols share.region.europe=20:35:7 \\
        --of region/europe@2031 --format csv

Each axis is ``PATH=LOW:HIGH[:STEPS]`` (7 steps by default; ``PATH`` alone runs ±25 % of the
current value), paths as ``market params`` lists them; the outcome is ``total``, a segment
``DIM/SEG[/SUB]`` or either with ``@YEAR`` (the horizon by default). Ranges outside an
assumption's range are clamped, with a warning on stderr. See :mod:`market.grid`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import NamedTuple, TypeVar

from cli import inputs
from cli.command import Option, command
from cli.errors import CommandError
from cli.options import OVERRIDES, SCENARIO, SOURCE
from cli.output import Column, Writer, exact, format_option, rounded, table, write
from cli.streams import warn
from market.grid import MAX_STEPS, AxisSpec, Grid, GridSpec, parse_axis, parse_outcome, two_way
from market.risk import TOTAL
from report.export import grid_csv, grid_json

T = TypeVar("T")


def _parsed(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse type from a model parser: its ValueError becomes a usage error."""

    def read(text: str) -> T:
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    return read


Row = tuple[int, float]
"""A table row: its position and the row input's value."""


class Shown(NamedTuple):
    """What the writers show: the grid, and the market it is of."""

    market: str
    grid: Grid


def _text(shown: Shown) -> str:
    grid = shown.grid
    rows, columns = grid.rows.input, grid.columns.input
    lines = [
        f"{shown.market}: {grid.label} ({grid.unit}), modelled, for every pair of",
        f"  rows:    {rows.label} ({rows.path}, now {exact(rows.value)})",
        f"  columns: {columns.label} ({columns.path}, now {exact(columns.value)})",
    ]
    if grid.target is not None:
        lines.append(f"* reaches the target {rounded(grid.target)}")
    reached = grid.reaching()
    mark = {True: "*", False: " " if grid.target is not None else ""}

    def cell(j: int, row: Row) -> str:
        i = row[0]
        return rounded(grid.values[i, j]) + mark[bool(reached[i, j])]

    cells: list[Column[Row]] = [
        Column(f"{rows.path} \\ {columns.path}", lambda row: exact(row[1]), left=True),
        *(Column(exact(v), partial(cell, j)) for j, v in enumerate(grid.columns.values)),
    ]
    return "\n".join([*lines, "", table(cells, enumerate(grid.rows.values))]) + "\n"


WRITERS: dict[str, Writer[Shown]] = {
    "text": Writer(_text, for_people=True),
    "csv": Writer(lambda shown: grid_csv(shown.grid)),
    "json": Writer(lambda shown: grid_json(shown.grid)),
}


@command(
    "grid",
    "Two assumptions against one outcome: the outcome for every pair of their values.",
    SOURCE,
    OVERRIDES,
    SCENARIO,
    Option(
        "--rows",
        type=_parsed(parse_axis),
        default=AxisSpec("growth.cagr_pct"),
        metavar="PATH=LOW:HIGH[:STEPS]",
        help=f"the input down the rows, at most {MAX_STEPS} steps (growth.cagr_pct, 7 steps "
        "across ±25%% of its value)",
    ),
    Option(
        "--cols",
        type=_parsed(parse_axis),
        default=AxisSpec("growth.base_value"),
        metavar="PATH=LOW:HIGH[:STEPS]",
        help="the input across the columns (growth.base_value, likewise)",
    ),
    Option(
        "--of",
        type=_parsed(parse_outcome),
        default=(TOTAL, None),
        metavar="OUTCOME[@YEAR]",
        help="total (default) or DIM/SEG[/SUB], e.g. region/europe@2030 (the horizon)",
    ),
    Option(
        "--target",
        type=float,
        metavar="VALUE",
        help="mark the cells at or above this value, in the file's unit",
    ),
    format_option(WRITERS),
)
def grid(args: argparse.Namespace) -> None:
    a = inputs.load(args)
    of, year = args.of
    try:
        made = two_way(a, GridSpec(args.rows, args.cols, of, year, args.target))
    except ValueError as err:
        raise CommandError([f"grid: {err}"]) from None
    for warning in made.warnings:  # on stderr in every format, before the table
        warn(f"grid: warning: {warning}")
    write(WRITERS[args.format], Shown(a.market.name, made))
