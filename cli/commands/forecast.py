"""``market forecast``: the market size year by year, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import math
from collections.abc import Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from cli import inputs
from cli.command import Option, command
from cli.options import ACTUALS, CALIBRATE, OVERRIDES, REBASE, SCENARIO, SOURCE
from cli.output import Column, Writer, exact, format_option, rounded, table, write
from market import estimates
from market.assumptions import Assumptions
from market.model import Forecast
from market.parameter_table import spec_for_path
from market.summary import actuals_statement, growth_statement
from report.export import to_csv, to_json
from report.format import money


@dataclass(frozen=True)
class View:
    a: Assumptions
    forecast: Forecast
    dimension: str | None
    overrides: dict[str, float]
    calibration: estimates.Calibration | None


Row = dict[Hashable, Any]
"""A year of :attr:`Forecast.totals`: ``year``, ``value``, ``reported``, ``modelled``,
``growth_pct``, ``actual``, ``drift``, ``drift_pct``."""


def _table(v: View) -> str:
    segments = v.forecast.by(v.dimension) if v.dimension else pd.DataFrame()
    columns: list[Column[Row]] = [
        Column("Year", lambda r: str(r["year"]), left=True),
        Column("Basis", lambda r: "modelled" if r["modelled"] else "reported", left=True),
        Column("Total", lambda r: rounded(r["value"])),
        *(Column(str(name), partial(_segment, segments, name)) for name in segments.columns),
        Column("Reported", lambda r: rounded(r["reported"])),
        Column(
            "Growth", lambda r: "" if math.isnan(r["growth_pct"]) else f"{r['growth_pct']:.1f}%"
        ),
    ]
    a = v.a
    if a.actuals:
        columns += [
            Column("Actual", lambda r: "" if math.isnan(r["actual"]) else rounded(r["actual"])),
            Column(
                "Drift",
                lambda r: "" if math.isnan(r["drift_pct"]) else f"{r['drift_pct']:+.2f}%",
            ),
        ]
    lines = [f"{a.market.name}: market size in {a.market.unit}", *_basis_note(a, v.forecast)]
    shown = partial(money, unit=a.market.unit)
    lines += [growth_statement(a, v.forecast, shown)]
    if a.actuals:
        lines.append(actuals_statement(a, v.forecast, shown))
    if v.calibration is not None:
        lines.append(v.calibration.note())
    if v.overrides:
        lines.append("With " + ", ".join(f"{p}={_value(p, x)}" for p, x in v.overrides.items()))
    rows = v.forecast.totals.reset_index().to_dict("records")
    return "\n".join([*lines, "", table(columns, rows)]) + "\n"


def _value(path: str, value: float) -> str:
    """An override as ``--set`` takes it: a choice by its name, a number exactly."""
    spec = spec_for_path(path)
    return (spec.written(value) if spec is not None else None) or exact(value)


def _segment(segments: pd.DataFrame, name: Hashable, row: Row) -> str:
    return rounded(segments.at[row["year"], name])


def _basis_note(a: Assumptions, f: Forecast) -> list[str]:
    """Which years are the source's and which the model's, in two lines; the source is the
    estimate the numbers follow (:class:`market.model.Reference`)."""
    first, base, horizon = a.years.first, a.years.base, a.years.horizon
    cagr = a.growth.cagr_pct.value
    every_year = a.growth.spread.constant and not a.anchors
    how = f"at {cagr:g}% a year" if every_year else f"at a CAGR of {cagr:g}%, spread as below"
    modelled = f"{base}-{horizon} modelled from the {base} base {how}"
    stated = [y for y in range(first, base) if not f.totals.at[y, "modelled"]]
    if stated:
        history = str(stated[0]) if len(stated) == 1 else f"{stated[0]}-{stated[-1]}"
        modelled = f"{history} as reported by {f.reference.label}; {modelled}"
    if len(stated) < base - first:
        modelled += f" (back to {first} where {f.reference.label} states no figure)"
    return [f"{modelled}.", f"Reported: a figure {f.reference.label} states, where it gives one."]


WRITERS: dict[str, Writer[View]] = {
    "table": Writer(_table, for_people=True),
    "csv": Writer(lambda v: to_csv(v.forecast, v.dimension)),
    "json": Writer(lambda v: to_json(v.forecast, v.dimension)),
}


@command(
    "forecast",
    "The market size year by year.",
    SOURCE,
    OVERRIDES,
    ACTUALS,
    REBASE,
    Option("--by", metavar="DIMENSION", help="add one column per segment of a dimension"),
    format_option(WRITERS),
    CALIBRATE,
    SCENARIO,
)
def forecast(args: argparse.Namespace) -> None:
    file, a = inputs.load_with_file(args, scenario=inputs.scenario(args))
    calibration = inputs.calibration(args, file)
    view = View(
        a,
        inputs.finite_forecast(a),
        inputs.dimension(a, args.by),
        inputs.overrides(args.set)[0],
        calibration,
    )
    # the table names the calibration in its header; after CSV or JSON it goes to stderr
    write(WRITERS[args.format], view, notes=[calibration.note()] if calibration else [])
