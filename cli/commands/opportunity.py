"""``market opportunity``: the served market (SAM), a share path and the revenue it gives."""

from __future__ import annotations

import argparse
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import ValidationError

from cli import inputs
from cli.command import Option, command
from cli.errors import CommandError
from cli.options import OVERRIDES, SCENARIO, SOURCE, percent, positive
from cli.output import Column, Writer, format_option, rounded, table, write
from market import opportunity as model
from market.assumptions import Assumptions
from report.export import plan_csv, plan_json

Row = dict[Hashable, Any]
"""A year of :func:`market.opportunity.plan`: :data:`~market.opportunity.PLAN_COLUMNS`."""


@dataclass(frozen=True)
class View:
    a: Assumptions
    opportunity: model.Opportunity
    plan: pd.DataFrame


COLUMNS: tuple[Column[Row], ...] = (
    Column("Year", lambda r: str(r["year"]), left=True),
    Column("Market", lambda r: rounded(r["market"])),
    Column("SAM", lambda r: rounded(r["sam"])),
    Column("Share", lambda r: f"{r['share_pct']:.2f}%"),
    Column("Revenue", lambda r: rounded(r["revenue"])),
)


def _text(v: View) -> str:
    a, opp = v.a, v.opportunity
    lines = [f"{a.market.name}: our opportunity in {a.market.unit}", ""]
    lines += [f"{what}: {value}" for what, value in model.describe(a, opp)]
    lines += ["", model.ASSUMPTION_NOTE, model.INDEPENDENCE_NOTE, ""]
    lines.append(table(COLUMNS, v.plan.to_dict("records")))
    risk = model.simulate(a, opp)
    horizon = risk.horizon
    lines += [
        "",
        f"Revenue in {a.years.horizon} over {risk.paths:,} simulated paths (seed 0): "
        f"P10 {rounded(horizon['p10'])}, P50 {rounded(horizon['p50'])}, "
        f"P90 {rounded(horizon['p90'])}",
    ]
    if opp.revenue_target is not None:
        year = opp.revenue_target_year or a.years.horizon
        target = opp.revenue_target
        chance = risk.chance(target, year)
        lines.append(
            f"Chance revenue reaches {rounded(target)} by {year}: {chance * 100:.1f}% of paths"
        )
        try:
            needed = model.required_target_share_pct(a, opp, target, year)
            lines.append(f"Target share that reaches it: {needed:.2f}% of SAM")
        except ValueError as err:
            lines.append(f"Target share that reaches it: none ({err})")
    return "\n".join(lines) + "\n"


WRITERS: dict[str, Writer[View]] = {
    "text": Writer(_text, for_people=True),
    "csv": Writer(lambda v: plan_csv(v.plan)),
    "json": Writer(lambda v: plan_json(v.plan)),
}


def _served(a: Assumptions, item: str) -> model.Served:
    """One ``--serve DIM=SEG[:PCT],...``; a wrong id names the valid ones."""
    try:
        return model.read_served(a, item)
    except model.ServedError as err:
        valid = f"; valid: {', '.join(err.valid)}" if err.valid else ""
        raise CommandError([f"--serve {item}: {err}{valid}"]) from None


def _reason(err: Exception) -> str:
    if isinstance(err, ValidationError):
        return "; ".join(e["msg"].removeprefix("Value error, ") for e in err.errors())
    return str(err)


@command(
    "opportunity",
    "Our opportunity: the served market (SAM), a share path and the revenue it gives.",
    SOURCE,
    OVERRIDES,
    SCENARIO,
    Option(
        "--serve",
        action="append",
        default=[],
        metavar="DIM=SEG[:PCT],...",
        help="segments served in a dimension, ids as in `market params` (sub-segments as "
        "software.ehr-systems), each optionally with the %% of it served (europe:50); "
        "repeat for more dimensions; a dimension left out is served whole",
    ),
    Option("--share-start", type=percent, metavar="PCT", help="share of SAM in the base year, %%"),
    Option(
        "--current-revenue",
        type=positive,
        metavar="VALUE",
        help="anchor the base year to this revenue (file's unit); the starting share is derived",
    ),
    Option(
        "--share-target", type=percent, required=True, metavar="PCT", help="target share of SAM, %%"
    ),
    Option("--by", type=int, metavar="YEAR", help="year the target share is reached (the horizon)"),
    Option("--shape", choices=[s.value for s in model.Shape], default=model.Shape.LINEAR.value),
    Option(
        "--revenue-target",
        type=positive,
        metavar="VALUE",
        help="a revenue to reach (file's unit): the text adds its chance and the share it needs",
    ),
    Option(
        "--target-year", type=int, metavar="YEAR", help="year of --revenue-target (the horizon)"
    ),
    format_option(WRITERS),
)
def opportunity(args: argparse.Namespace) -> None:
    a = inputs.load(args)
    if args.current_revenue is None and args.share_start is None:
        raise CommandError(["opportunity: give --share-start PCT or --current-revenue VALUE"])
    if args.current_revenue is not None and args.share_start is not None:
        raise CommandError(
            ["opportunity: --current-revenue derives the starting share; leave --share-start out"]
        )
    served = tuple(_served(a, item) for item in args.serve)
    try:
        opp = model.Opportunity(
            served=served,
            start_share_pct=args.share_start if args.share_start is not None else 0.0,
            target_share_pct=args.share_target,
            target_year=args.by,
            shape=model.Shape(args.shape),
            current_revenue=args.current_revenue,
            revenue_target=args.revenue_target,
            revenue_target_year=args.target_year,
        )
        model.check(a, opp)
        plan = model.plan(a, opp)
    except (ValidationError, ValueError) as err:
        raise CommandError([f"opportunity: {_reason(err)}"]) from None
    write(WRITERS[args.format], View(a, opp, plan))
