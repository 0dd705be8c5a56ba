"""The options several commands share, and the types that check an option's value.

A type that refuses a value raises :class:`argparse.ArgumentTypeError`, so argparse reports
it as a usage error: the command's usage and one line naming the option (exit 2).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from cli.command import Option
from market import parameter_table
from market.parameter_table import CAGR_PATH, REBASE_PATH
from market.risk import MAX_PATHS

__all__ = [
    "ACTUALS",
    "CALIBRATE",
    "OVERRIDES",
    "REBASE",
    "SCENARIO",
    "SOURCE",
    "path_count",
    "paths_help",
    "percent",
    "positive",
]

_EXAMPLES = f"""\
examples:
  market forecast --set {CAGR_PATH}=25
  market forecast --by region --set share.region.north-america=40
  market forecast --by component --set diff.component.software.ehr-systems=-2
  market export --format xlsx --out forecast.xlsx --set {CAGR_PATH}=18
  market forecast --set growth.shape=fade --set growth.fade_pp=-1
  market forecast --actual 2025=535.64 --rebase hold-end
"""


def paths_help() -> str:
    """The ``--set`` paths, one line each from :data:`~market.parameter_table.PARAMETER_TABLE`,
    then examples: the end of ``market --help`` and of each command that takes ``--set``."""
    lines = ["assumption paths for --set PATH=VALUE (`market params` lists every path of a file):"]
    for spec in parameter_table.PARAMETER_TABLE:
        lines.extend(_help_lines(spec.shown_path(), spec.summary))
    return "\n".join(lines) + "\n\n" + _EXAMPLES


def _help_lines(path: str, summary: str, width: int = 88) -> list[str]:
    """``  path  summary``, the summary wrapped in a column of its own."""
    indent = 37  # where the summaries start
    words, lines, line = summary.split(), [], ""
    for word in words:
        if line and indent + len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    first = f"  {path}".ljust(indent - 1) + " "
    return [first + lines[0], *(" " * indent + rest for rest in lines[1:])]


SOURCE = Option(
    "--assumptions",
    type=Path,
    metavar="FILE",
    help="assumptions file (default: the project's default market)",
)
OVERRIDES = Option(
    "--set",
    action="extend",
    nargs="+",
    default=[],
    metavar="PATH=VALUE",
    help="override assumptions, one or more PATH=VALUE (paths below)",
    epilog=paths_help,
)
ACTUALS = Option(
    "--actual",
    action="append",
    metavar="YEAR=VALUE",
    help="an actual market size published after the base year, in the file's unit "
    "(repeatable); the forecast states its drift, and --rebase says what it does",
)
REBASE = Option(
    "--rebase",
    choices=next(s.choices for s in parameter_table.PARAMETER_TABLE if s.path == REBASE_PATH),
    help="what the latest actual does: none (the drift is shown), hold-end (the path runs "
    "through it to the horizon value), hold-growth (through it at the model's yearly rates); "
    f"the same as --set {REBASE_PATH}=...",
)
CALIBRATE = Option(
    "--calibrate",
    metavar="SOURCE",
    help="set the base value and CAGR to reproduce a published estimate (its id, see "
    "`market estimates`) or `median`; the horizon stays, figures past it are named; "
    "--set applies on top",
)

SCENARIO = Option(
    "--scenario",
    metavar="NAME",
    help="start from a saved scenario (its base file and overrides; see the Scenarios "
    "page); --calibrate and --set, where a command takes them, apply on top",
)
"""Every command that computes takes it (:func:`cli.inputs.load` reads it)."""


def number(text: str) -> float:
    """A finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def percent(text: str) -> float:
    """A percentage from 0 to 100."""
    value = number(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be a percentage from 0 to 100, got {text}")
    return value


def positive(text: str) -> float:
    """A number above 0."""
    value = number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def path_count(text: str) -> int:
    """A number of simulated paths, 1 to :data:`market.risk.MAX_PATHS`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_PATHS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_PATHS:,}, got {value}")
    return value
