"""``market validate FILE``: check an assumptions file and list every problem."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import inputs
from cli.command import Option, command
from cli.streams import emit, warn
from market import estimates
from market.parameters import parameters


@command(
    "validate",
    "Check an assumptions file; list every problem.",
    Option("file", metavar="FILE", type=Path),
)
def validate(args: argparse.Namespace) -> None:
    a = inputs.read(args.file)
    dims = ", ".join(d.name for d in a.dimensions)
    emit(
        f"OK {args.file}: {a.market.name}, {a.market.unit}, {a.years.first}-{a.years.horizon} "
        f"(base {a.years.base}), {len(parameters(a))} assumptions, dimensions: {dims}\n"
    )
    # a source that contradicts itself is worth knowing, but it is not the file's error
    for warning in estimates.warnings(a):
        warn(f"{args.file}: warning: {warning}")
