"""``market goal-seek``: the CAGR that makes the market reach a target size."""

from __future__ import annotations

import argparse
from functools import partial

from cli import inputs
from cli.command import Option, command
from cli.errors import CommandError
from cli.options import ACTUALS, OVERRIDES, REBASE, SCENARIO, SOURCE
from cli.output import rounded
from cli.streams import emit
from market.model import goal_seek as seek
from market.parameter_table import CAGR_PATH
from market.summary import shape_phrase
from report.format import money


@command(
    "goal-seek",
    "The CAGR that makes the market reach a target size.",
    SOURCE,
    OVERRIDES,
    ACTUALS,
    REBASE,
    SCENARIO,
    Option(
        "--target",
        type=float,
        required=True,
        metavar="VALUE",
        help="market size to reach, in the file's unit",
    ),
    Option("--year", type=int, metavar="YEAR", help="year to reach it (the horizon)"),
)
def goal_seek(args: argparse.Namespace) -> None:
    a = inputs.load(args)
    year = args.year if args.year is not None else a.years.horizon
    try:
        cagr = seek(a, args.target, year)
    except ValueError as err:
        raise CommandError([f"goal-seek: {err}"]) from None
    constant = a.growth.spread.constant and not a.anchors
    growing = f"grow {cagr:.2f}% a year" if constant else f"have a CAGR of {cagr:.2f}%"
    spread = "" if constant else ", " + shape_phrase(a, partial(money, unit=a.market.unit))
    emit(
        f"To reach {rounded(args.target)} {a.market.unit} in {year}, the market must {growing} "
        f"from {rounded(a.growth.base_value.value)} in {a.years.base} "
        f"(the assumptions say {a.growth.cagr_pct.value:.2f}%){spread}.\n"
        f"See it with: market forecast --set {CAGR_PATH}={cagr!r}\n"
    )
