"""``market estimates``: the published estimates side by side, as text, CSV or JSON."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from cli import inputs
from cli.command import command
from cli.options import OVERRIDES, SCENARIO, SOURCE
from cli.output import Column, Writer, format_option, rounded, table, write
from market import estimates
from market.assumptions import Assumptions, Estimate

Row = dict[Hashable, Any]
"""A year of :func:`market.estimates.table`."""


@dataclass(frozen=True)
class View:
    a: Assumptions
    comparison: estimates.Comparison
    frame: pd.DataFrame


def _text(v: View) -> str:
    a, c = v.a, v.comparison
    lines = [f"{a.market.name}: published estimates in {a.market.unit}", ""]
    for e in c.estimates:
        lines.append(f"{e.id}: {e.label}, {e.title}")
        lines.append(f"  {_cagr_line(estimates.consistency(e))}")
    columns: list[Column[Row]] = [
        Column("Year", lambda r: str(r["year"]), left=True),
        *(Column(e.id, partial(_figure, e.id)) for e in c.estimates),
        Column("Low", lambda r: rounded(r["low"])),
        Column("High", lambda r: rounded(r["high"])),
        Column("Median", lambda r: rounded(r["median"])),
        Column(
            "Spread", lambda r: "" if math.isnan(r["spread_pct"]) else f"{r['spread_pct']:.1f}%"
        ),
        Column("Model", lambda r: rounded(r["model"])),
        Column("", lambda r: str(r["model_position"]), left=True),
    ]
    lines += [
        "",
        table(columns, v.frame.to_dict("records")),
        "",
        "~ derived: between a source's stated figures, at the rate they imply. Low, high and the "
        "median are derived; the spread is high minus low as % of the median.",
        estimates.statement(a, unit_format=rounded),
    ]
    return "\n".join(lines) + "\n"


def _figure(estimate: str, row: Row) -> str:
    """A source's figure: as stated, or ``~`` and rounded where it is derived."""
    value = row[estimate]
    if row[f"{estimate} basis"] == "derived":
        return f"~{rounded(value)}"
    return estimates.figure_text(value)


def _cagr_line(check: estimates.Consistency) -> str:
    if check.stated_pct is None:
        return "states no CAGR"
    stated = f"stated CAGR {check.stated_pct:g}%"
    if check.fits is None:
        return f"{stated}; its figures cannot check it"
    if not check.fits:
        return f"{stated}: fits none of its own figures"
    start, end = check.period or (0, 0)
    how = "inferred" if check.inferred else "stated"
    return f"{stated} over {start}-{end} ({how}), its figures imply {check.implied_pct:.2f}%"


def _json(v: View) -> str:
    a = v.a
    years = [
        {k: (None if isinstance(x, float) and math.isnan(x) else x) for k, x in row.items()}
        for row in v.frame.to_dict("records")
    ]
    document = {
        "market": a.market.name,
        "unit": a.market.unit,
        "calibrated_to": a.calibrated_to,
        "follows": estimates.followed(a).target,
        "estimates": [_source(e) for e in estimates.estimates_of(a)],
        "years": years,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=_plain)
    return text + "\n"


def _source(e: Estimate) -> dict[str, object]:
    check = estimates.consistency(e)
    cagr = e.cagr_pct
    return {
        "id": e.id,
        "publisher": e.publisher,
        "title": e.title,
        "edition": e.edition,
        "reference": e.reference,
        "values": {str(v.year): v.value for v in e.values},
        "cagr_pct": None if cagr is None else cagr.value,
        "stated_period": None if cagr is None or cagr.start is None else [cagr.start, cagr.end],
        "inferred_period": list(check.period) if check.inferred and check.period else None,
        "implied_cagr_pct": check.implied_pct,
        "cagr_fits": check.fits,
    }


def _plain(value: object) -> object:
    """numpy scalars in a frame's records as Python numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


WRITERS: dict[str, Writer[View]] = {
    "text": Writer(_text, for_people=True),
    "csv": Writer(lambda v: v.frame.to_csv(index=False, lineterminator="\n")),
    "json": Writer(_json),
}


@command(
    "estimates",
    "The published estimates side by side: paths, spread, where the model sits.",
    SOURCE,
    OVERRIDES,
    SCENARIO,
    format_option(WRITERS),
)
def published(args: argparse.Namespace) -> None:
    a = inputs.load(args)
    c = estimates.comparison(a, inputs.finite_forecast(a).totals["value"])
    write(WRITERS[args.format], View(a, c, estimates.table(c)))
