"""``market params``: every assumption path of a file, with its value, range and provenance."""

from __future__ import annotations

import argparse
import math

from cli import inputs
from cli.command import command
from cli.options import SOURCE
from cli.output import Column, exact, table
from cli.streams import emit
from market.parameters import Parameter, parameters


def _range(p: Parameter) -> str:
    if p.choices:
        return " | ".join(p.choices)
    if math.isinf(p.high):
        return f"above {p.low:g}"
    return f"{p.low:g} to {p.high:g}"


COLUMNS: tuple[Column[Parameter], ...] = (
    Column("Path", lambda p: p.path, left=True),
    Column("Label", lambda p: p.label, left=True),
    Column("Value", lambda p: p.choices[int(p.value)] if p.choices else exact(p.value)),
    Column("Range", _range),
    Column("Unit", lambda p: p.unit, left=True),
    Column("Provenance", lambda p: p.provenance.value, left=True),
    Column("Link key", lambda p: p.key, left=True),
)


@command("params", "Every assumption path with its value, range and provenance.", SOURCE)
def params(args: argparse.Namespace) -> None:
    a = inputs.load(args)
    found = parameters(a)
    heading = f"{a.market.name}: {len(found)} assumptions; change any with --set PATH=VALUE."
    emit(f"{heading}\n\n{table(COLUMNS, found)}\n")
