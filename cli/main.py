"""The ``market`` command: forecasts, checks and exports of an assumptions file, in a terminal.

Every command reads the default market file (:func:`market.paths.default_assumptions`)
unless ``--assumptions`` names another, and most take ``--set PATH=VALUE`` overrides in the
vocabulary of :mod:`market.parameters`. Values are in the file's unit, rates in percent.
Tables round for people; ``--format csv|json`` and exports keep full float precision.

The commands are in :mod:`cli.commands`; this module runs one and turns every way it can
end into an exit status and at most one line per problem on stderr (:mod:`cli.errors` has
the table). It imports the model only inside :func:`main`, so that Ctrl-C while pandas
loads (about a second) is an interrupt like any other, not a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from cli.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    CommandError,
    OutputError,
)
from cli.streams import silence, warn

__all__ = ["EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

_FAILURES = (
    CommandError,
    OutputError,
    KeyboardInterrupt,
    # anything else the model or the system raises is still one line and exit 2
    ValueError,
    ArithmeticError,
    KeyError,
    OSError,
    RecursionError,
    MemoryError,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command in :data:`cli.commands.COMMANDS`; each sets
    ``run`` to the function that runs it."""
    from cli.command import Parser
    from cli.commands import COMMANDS
    from cli.options import paths_help

    parser = Parser(
        prog="market",
        description="Market-size forecasts from an assumptions file.",
        epilog=paths_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_to(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one ``market`` command; the return value is the process exit status."""
    who = "market"
    try:
        if sys.stdout is None:  # started with it closed (`>&-`): refuse before any work
            raise OutputError("it is closed")
        parsed = _parse(argv)
        if isinstance(parsed, int):
            return parsed
        who = f"market {parsed.command}"
        with warnings.catch_warnings():
            # overflow is reported as a problem, never as numpy's warning with its path
            warnings.simplefilter("ignore", RuntimeWarning)
            parsed.run(parsed)
    except _FAILURES as err:
        return _failed(err, who)
    return EXIT_OK


def _parse(argv: list[str] | None) -> argparse.Namespace | int:
    """The parsed command line, or the exit status of ``--help`` or of a usage error (whose
    usage and one line argparse has printed)."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE


def _failed(err: BaseException, who: str) -> int:
    """The exit status of a failure, once its lines are on stderr."""
    if isinstance(err, CommandError):
        for line in err.lines:
            warn(line)
        return EXIT_USAGE
    if isinstance(err, KeyboardInterrupt):
        warn(f"{who}: interrupted")
        return EXIT_INTERRUPTED
    if isinstance(err, OutputError):
        silence()
        if err.broken_pipe:  # the reader has all it wanted (`| head`): stop as SIGPIPE would
            return EXIT_BROKEN_PIPE
        warn(f"{who}: cannot write to standard output: {err}")
        return EXIT_OUTPUT
    warn(f"{who}: {_one_line(err)}")
    return EXIT_USAGE


def _one_line(err: BaseException) -> str:
    text = (err.strerror if isinstance(err, OSError) else None) or str(err) or type(err).__name__
    return " ".join(text.split())[:300]
