"""``market scenarios``: the saved scenarios in the store, from a terminal.

``list``, ``history NAME``, ``restore NAME VERSION``, ``export DIR``, ``import DIR`` and
``purge NAME``, each with ``--format text|json``, on the database the dashboard uses
(:func:`cli.inputs.opened_store`). Changes are recorded as ``--author`` (by default the
system user). JSON versions carry ``version``, ``author``, ``created`` (ISO 8601, UTC) and
``note``.
"""

from __future__ import annotations

import argparse
import getpass
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import store
from cli.command import Command, Option, Parser, command
from cli.errors import CommandError
from cli.inputs import opened_store
from cli.output import Column, Writer, format_option, table, write

__all__ = ["scenarios"]

WHERE = "market scenarios"


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _when(v: store.Version) -> str:
    return v.created.strftime("%Y-%m-%d %H:%M UTC")


def _version_json(v: store.Version) -> dict[str, Any]:
    return {
        "version": v.number,
        "author": v.author,
        "created": v.created.isoformat(),
        "note": v.note,
    }


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's numeric user)
        return store.ANONYMOUS


def _version_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a version number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("versions are numbered from 1")
    return number


NAME = Option("name", metavar="NAME", help="the scenario's name (case, spaces, - and _ aside)")
FOLDER = Option("folder", metavar="DIR", type=Path, help="a folder of scenario YAML files")
AUTHOR = Option(
    "--author", default=_system_user(), help="who the change is recorded as (the system user)"
)

# --- list ------------------------------------------------------------------------------------

LISTED: tuple[Column[store.Saved], ...] = (
    Column("Scenario", lambda s: s.name, left=True),
    Column("Version", lambda s: str(s.version)),
    Column("Author", lambda s: s.current.author, left=True),
    Column("Saved", lambda s: _when(s.current), left=True),
    Column("Base file", lambda s: s.scenario.base_file, left=True),
)
LIST_WRITERS: dict[str, Writer[store.Listing]] = {
    "text": Writer(lambda found: table(LISTED, found.scenarios) + "\n", for_people=True),
    "json": Writer(
        lambda found: _json(
            [
                {"name": s.name, **_version_json(s.current), "base_file": s.scenario.base_file}
                for s in found.scenarios
            ]
        )
    ),
}


@command("list", "Every saved scenario at its current version.", format_option(LIST_WRITERS))
def list_action(args: argparse.Namespace) -> None:
    with opened_store(WHERE) as session:
        found = store.listing(session)
    notes = [f"{name}: cannot be read: {why}" for name, why in found.unreadable.items()]
    write(LIST_WRITERS[args.format], found, notes)


# --- history ---------------------------------------------------------------------------------

VERSIONS: tuple[Column[store.Version], ...] = (
    Column("Version", lambda v: str(v.number)),
    Column("Author", lambda v: v.author, left=True),
    Column("Saved", _when, left=True),
    Column("Note", lambda v: _one_line(v.note), left=True),
)
HISTORY_WRITERS: dict[str, Writer[tuple[store.Version, ...]]] = {
    "text": Writer(lambda versions: table(VERSIONS, versions) + "\n", for_people=True),
    "json": Writer(lambda versions: _json([_version_json(v) for v in versions])),
}


@command(
    "history",
    "Every version of one scenario, newest first.",
    NAME,
    format_option(HISTORY_WRITERS),
)
def history(args: argparse.Namespace) -> None:
    with opened_store(WHERE) as session:
        versions = store.history(session, args.name)
    write(HISTORY_WRITERS[args.format], versions)


# --- restore ---------------------------------------------------------------------------------

RESTORE_WRITERS: dict[str, Writer[tuple[int, store.Saved]]] = {
    "text": Writer(
        lambda done: (
            f"Restored version {done[0]} of {done[1].name!r} as version {done[1].version}.\n"
        ),
        for_people=True,
    ),
    "json": Writer(lambda done: _json({"name": done[1].name, **_version_json(done[1].current)})),
}


@command(
    "restore",
    "Save an old version of a scenario as its newest version.",
    NAME,
    Option("number", metavar="VERSION", type=_version_number, help="the version to restore"),
    AUTHOR,
    format_option(RESTORE_WRITERS),
)
def restore(args: argparse.Namespace) -> None:
    with opened_store(WHERE) as session:
        seen = store.load(session, args.name).version
        saved = store.restore(session, args.name, args.number, author=args.author, expected=seen)
    write(RESTORE_WRITERS[args.format], (args.number, saved))


# --- export and import -------------------------------------------------------------------------

EXPORT_WRITERS: dict[str, Writer[tuple[Path, tuple[Path, ...]]]] = {
    "text": Writer(
        lambda done: (
            f"Wrote {len(done[1])} scenario file{'s' if len(done[1]) != 1 else ''} to {done[0]}.\n"
        ),
        for_people=True,
    ),
    "json": Writer(lambda done: _json([path.name for path in done[1]])),
}


@command(
    "export",
    "Write every saved scenario to DIR as YAML files (deleted ones aside).",
    FOLDER,
    format_option(EXPORT_WRITERS),
)
def export(args: argparse.Namespace) -> None:
    with opened_store(WHERE) as session:
        written = store.export_folder(session, args.folder)
    write(EXPORT_WRITERS[args.format], (args.folder, written))


def _imported_text(done: store.Imported) -> str:
    lines = [f"added: {name}" for name in done.added]
    lines += [f"new version: {name}" for name in done.updated]
    lines.append(f"unchanged: {len(done.unchanged)}")
    lines += [f"not imported: {file}: {why}" for file, why in done.unreadable.items()]
    return "\n".join(lines) + "\n"


IMPORT_WRITERS: dict[str, Writer[store.Imported]] = {
    "text": Writer(_imported_text, for_people=True),
    "json": Writer(
        lambda done: _json(
            {
                "added": list(done.added),
                "updated": list(done.updated),
                "unchanged": list(done.unchanged),
                "unreadable": done.unreadable,
            }
        )
    ),
}


@command(
    "import",
    "Read the YAML files in DIR: new names are added, changed ones get a new version.",
    FOLDER,
    AUTHOR,
    format_option(IMPORT_WRITERS),
)
def import_action(args: argparse.Namespace) -> None:
    if not args.folder.is_dir():
        raise CommandError([f"{WHERE} import: {args.folder} is not a folder"])
    with opened_store(WHERE) as session:
        done = store.import_folder(session, args.folder, author=args.author)
    write(IMPORT_WRITERS[args.format], done)


# --- purge -----------------------------------------------------------------------------------

PURGE_WRITERS: dict[str, Writer[tuple[str, int]]] = {
    "text": Writer(
        lambda done: (
            f"Purged {done[0]!r}: {done[1]} version{'s' if done[1] != 1 else ''} "
            "removed for good.\n"
        ),
        for_people=True,
    ),
    "json": Writer(lambda done: _json({"name": done[0], "versions_removed": done[1]})),
}


@command(
    "purge",
    "Remove a scenario and every version of it, for good.",
    NAME,
    format_option(PURGE_WRITERS),
)
def purge(args: argparse.Namespace) -> None:
    with opened_store(WHERE) as session:
        removed = store.purge(session, args.name)
    write(PURGE_WRITERS[args.format], (args.name, removed))


# --- the command -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Actions(Command):
    """A command whose first argument is an action with options of its own."""

    actions: tuple[Command, ...] = ()

    def add_to(self, commands: argparse._SubParsersAction[Parser]) -> None:
        text = str(self.help)
        parser = commands.add_parser(self.name, help=text, description=text)
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for action in self.actions:
            action.add_to(actions)


def _no_action(args: argparse.Namespace) -> None:  # argparse requires an action first
    raise CommandError([f"{WHERE}: name an action: list, history, restore, export, import, purge"])


scenarios = Actions(
    "scenarios",
    "Saved scenarios: list them, see and restore versions, export, import, purge.",
    (),
    _no_action,
    (list_action, history, restore, export, import_action, purge),
)
