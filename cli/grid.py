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
import sys
from collections.abc import Callable, Sequence

from cli.main import CommandError, _exact, _load, _num, _render
from market.grid import MAX_STEPS, AxisSpec, Grid, GridSpec, parse_axis, parse_outcome, two_way
from market.risk import TOTAL
from report.export import grid_csv, grid_json

__all__ = ["register"]

Add = Callable[
    [str, Callable[[argparse.Namespace], None], str, Sequence[argparse.ArgumentParser]],
    argparse.ArgumentParser,
]


def register(add: Add, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare the command and its options with ``add`` (:func:`cli.main.build_parser`'s)."""
    sub = add(
        "grid",
        run,
        "Two assumptions against one outcome: the outcome for every pair of their values.",
        parents,
    )
    sub.add_argument(
        "--rows",
        type=_axis,
        default=AxisSpec("growth.cagr_pct"),
        metavar="PATH=LOW:HIGH[:STEPS]",
        help=f"the input down the rows, at most {MAX_STEPS} steps (growth.cagr_pct, 7 steps "
        "across ±25%% of its value)",
    )
    sub.add_argument(
        "--cols",
        type=_axis,
        default=AxisSpec("growth.base_value"),
        metavar="PATH=LOW:HIGH[:STEPS]",
        help="the input across the columns (growth.base_value, likewise)",
    )
    sub.add_argument(
        "--of",
        type=_outcome,
        default=(TOTAL, None),
        metavar="OUTCOME[@YEAR]",
        help="total (default) or DIM/SEG[/SUB], e.g. region/europe@2030 (the horizon)",
    )
    sub.add_argument(
        "--target",
        type=float,
        metavar="VALUE",
        help="mark the cells at or above this value, in the file's unit",
    )
    sub.add_argument("--format", choices=("text", "csv", "json"), default="text")


def _axis(text: str) -> AxisSpec:
    try:
        return parse_axis(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _outcome(text: str) -> tuple[str, int | None]:
    try:
        return parse_outcome(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def run(args: argparse.Namespace) -> None:
    a = _load(args)
    of, year = args.of
    try:
        grid = two_way(a, GridSpec(args.rows, args.cols, of, year, args.target))
    except ValueError as err:
        raise CommandError([f"grid: {err}"]) from None
    for warning in grid.warnings:
        print(f"grid: warning: {warning}", file=sys.stderr)
    if args.format == "csv":
        sys.stdout.write(grid_csv(grid))
    elif args.format == "json":
        sys.stdout.write(grid_json(grid))
    else:
        print(_text(a.market.name, grid))


def _text(market: str, grid: Grid) -> str:
    rows, columns = grid.rows.input, grid.columns.input
    lines = [
        f"{market}: {grid.label} ({grid.unit}), modelled, for every pair of",
        f"  rows:    {rows.label} ({rows.path}, now {_exact(rows.value)})",
        f"  columns: {columns.label} ({columns.path}, now {_exact(columns.value)})",
    ]
    if grid.target is not None:
        lines.append(f"* reaches the target {_num(grid.target)}")
    reached = grid.reaching()
    mark = {True: "*", False: " " if grid.target is not None else ""}
    header = [f"{rows.path} \\ {columns.path}", *(_exact(v) for v in grid.columns.values)]
    body = [
        [_exact(r), *(_num(v) + mark[bool(reached[i, j])] for j, v in enumerate(line))]
        for i, (r, line) in enumerate(zip(grid.rows.values, grid.values, strict=True))
    ]
    table = _render(header, body, "l" + "r" * len(grid.columns.values))
    return "\n".join([*lines, "", table])
