"""``market risk``: Monte Carlo percentiles and what moves the horizon value most."""

from __future__ import annotations

import argparse
from collections.abc import Hashable
from functools import partial
from typing import Any

from cli import inputs
from cli.command import Option, command
from cli.errors import CommandError
from cli.options import ACTUALS, OVERRIDES, REBASE, SCENARIO, SOURCE, path_count
from cli.output import Column, exact, rounded, table
from cli.streams import emit, warn
from market import risk as model
from market.assumptions import Assumptions

Row = dict[Hashable, Any]


def _percentiles(simulation: model.Simulation) -> str:
    """One row a year (``year``), one column a percentile (``p10``...)."""
    frame = simulation.totals
    columns: list[Column[Row]] = [
        Column("Year", lambda r: str(r["year"]), left=True),
        *(Column(str(q), partial(_rounded, q)) for q in frame.columns),
    ]
    return table(columns, frame.reset_index().to_dict("records"))


def _rounded(column: Hashable, row: Row) -> str:
    return rounded(row[column])


def _sensitivity(a: Assumptions, target: str) -> str:
    horizon = a.years.horizon
    columns: list[Column[Row]] = [
        Column("Path", lambda r: str(r["path"]), left=True),
        Column("Low input", lambda r: exact(r["low_input"])),
        Column("High input", lambda r: exact(r["high_input"])),
        Column(f"Low {horizon}", lambda r: rounded(r["low_value"])),
        Column(f"High {horizon}", lambda r: rounded(r["high_value"])),
        Column("Swing", lambda r: rounded(r["swing"])),
    ]
    try:
        rows = model.sensitivity(a, target=target).to_dict("records")
    except ValueError as err:
        raise CommandError([f"risk: {err}"]) from None
    return table(columns, rows)


def _chance(a: Assumptions, simulation: model.Simulation) -> str:
    horizon = a.years.horizon
    if simulation.target is None or simulation.probability_of_target is None:
        return f"The source reports no {horizon} value to compare the paths with."
    return (
        f"Chance the {horizon} total reaches the reported {rounded(simulation.target)}: "
        f"{simulation.probability_of_target * 100:.1f}%"
    )


@command(
    "risk",
    "Monte Carlo percentiles and the sensitivity of the horizon total.",
    SOURCE,
    OVERRIDES,
    ACTUALS,
    REBASE,
    SCENARIO,
    Option(
        "--paths",
        type=path_count,
        default=model.DEFAULT_PATHS,
        help=f"simulated paths ({model.DEFAULT_PATHS})",
    ),
    Option("--seed", type=int, default=0, help="random seed (0)"),
    Option(
        "--of",
        default=model.TOTAL,
        metavar="TARGET",
        help="sensitivity of: total (default) or DIM/SEG[/SUB], e.g. region/europe",
    ),
)
def risk(args: argparse.Namespace) -> None:
    a = inputs.load(args)
    try:
        paths = model.budgeted_paths(a, args.paths)
        simulation = model.simulate(a, paths=paths, seed=args.seed)
    except ValueError as err:
        raise CommandError([f"risk: {err}"]) from None
    sensitivity = _sensitivity(a, args.of)
    if paths < args.paths:
        warn(
            f"risk: {args.paths:,} paths of this file would need more than "
            f"{model.MEMORY_CEILING // 2**20} MB; simulating {paths:,} instead"
        )
    emit(
        f"{a.market.name}: {paths:,} simulated paths, seed {args.seed}, {a.market.unit}\n\n"
        f"{_percentiles(simulation)}\n\n{_chance(a, simulation)}\n\n"
        f"What moves the {a.years.horizon} value of {args.of} most "
        f"(each input alone, low to high):\n\n{sensitivity}\n"
    )
