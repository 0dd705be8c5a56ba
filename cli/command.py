"""How a ``market`` command is declared: its options beside the one function that runs it.

A command module reads top to bottom as its help does::

    @command(
        "goal-seek",
        "The CAGR that makes the market reach a target size.",
        SOURCE,
        OVERRIDES,
        Option("--target", type=float, required=True, metavar="VALUE", help="market size ..."),
        Option("--year", type=int, metavar="YEAR", help="year to reach it (the horizon)"),
    )
    def goal_seek(args: argparse.Namespace) -> None: ...

and :data:`cli.commands.COMMANDS` lists it. The options are argparse's, in the order
``--help`` shows them; argparse rather than Click keeps ``market --help`` and every usage
error exactly as they were.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cli.streams import emit

__all__ = ["Command", "Option", "Parser", "Text", "command"]

Text = str | Callable[[], str]
"""Help text, or a function that gives it when the parser is built: for text drawn from a
registry such as :data:`report.formats.FORMATS`, so a format added to it shows up."""

Choices = Sequence[str] | Callable[[], Sequence[str]]


def _text(text: Text) -> str:
    return text if isinstance(text, str) else text()


@dataclass(frozen=True)
class Option:
    """One argument of a command, as :meth:`argparse.ArgumentParser.add_argument` takes it
    (``flag`` is ``--name``, or a bare name for a positional argument). ``epilog`` adds a
    section to the help of every command that has the option."""

    flag: str
    help: Text | None = None
    metavar: str | None = None
    type: Callable[[str], Any] | None = None
    default: Any = None
    choices: Choices | None = None
    required: bool = False
    action: str | None = None
    nargs: str | None = None
    epilog: Callable[[], str] | None = None

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        given = {
            "help": None if self.help is None else _text(self.help),
            "metavar": self.metavar,
            "type": self.type,
            "default": self.default,
            "choices": self.choices() if callable(self.choices) else self.choices,
            "required": self.required or None,
            "action": self.action,
            "nargs": self.nargs,
        }
        parser.add_argument(self.flag, **{k: v for k, v in given.items() if v is not None})


Run = Callable[[argparse.Namespace], None]


class Parser(argparse.ArgumentParser):
    """argparse's parser, with ``--help`` written like any other output (:func:`emit`):
    argparse's own ignores a failure to write, so the help could be lost with exit 0."""

    def print_help(self, file: object = None) -> None:
        emit(self.format_help())


@dataclass(frozen=True)
class Command:
    """A ``market`` command: its name, its one-line help, its options and what runs it."""

    name: str
    help: Text
    options: tuple[Option, ...]
    run: Run

    def add_to(self, commands: argparse._SubParsersAction[Parser]) -> None:
        text = _text(self.help)
        epilogs = [option.epilog() for option in self.options if option.epilog is not None]
        parser = commands.add_parser(
            self.name,
            help=text,
            description=text,
            epilog="\n".join(epilogs) or None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for option in self.options:
            option.add_to(parser)
        parser.set_defaults(run=self.run)


def command(name: str, help: Text, *options: Option) -> Callable[[Run], Command]:
    """Declare the function below as the command ``name``, with its help and options."""

    def declare(run: Run) -> Command:
        return Command(name, help, options, run)

    return declare
