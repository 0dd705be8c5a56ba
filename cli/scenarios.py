"""``market scenarios``: the saved scenarios in the store, from a terminal.

``list``, ``history NAME``, ``restore NAME VERSION``, ``export DIR``, ``import DIR`` and
``purge NAME``; each takes ``--format text|json`` and works on the database the dashboard
uses (``MARKET_DATABASE_URL``, else ``market.db`` in the scenarios folder), opened as the
dashboard opens it: schema upgraded, and a new database's first opening imports the
scenarios folder. Changes are recorded as ``--author`` (by default the system user).
JSON versions carry ``version``, ``author``, ``created`` (ISO 8601, UTC) and ``note``.
"""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

import store
from cli.main import CommandError, render_table
from market.scenarios import Scenario, ScenarioError

__all__ = ["load", "register"]

FORMATS = ("text", "json")


def register(commands: Any) -> None:
    """Add ``market scenarios`` and its subcommands to the parser's ``commands``."""
    text = "Saved scenarios: list them, see and restore versions, export, import, purge."
    parser = commands.add_parser("scenarios", help=text, description=text)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    def add(name: str, run: Callable[[argparse.Namespace], None], help_text: str) -> Any:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--format", choices=FORMATS, default="text")
        sub.set_defaults(run=run)
        return sub

    add("list", _list, "Every saved scenario at its current version.")
    sub = add("history", _history, "Every version of one scenario, newest first.")
    sub.add_argument("name", metavar="NAME")
    sub = add("restore", _restore, "Save an old version of a scenario as its newest version.")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("number", metavar="VERSION", type=_version_number)
    _author_option(sub)
    sub = add("export", _export, "Write every saved scenario to DIR as YAML files.")
    sub.add_argument("folder", metavar="DIR", type=Path)
    sub = add(
        "import",
        _import,
        "Read the YAML files in DIR: new names are added, changed ones get a version.",
    )
    sub.add_argument("folder", metavar="DIR", type=Path)
    _author_option(sub)
    sub = add("purge", _purge, "Remove a scenario and every version of it, for good.")
    sub.add_argument("name", metavar="NAME")


def load(name: str) -> Scenario:
    """The saved scenario ``name`` at its current version (``market export --scenario``);
    CommandError (one line) if it cannot be had."""
    with _opened(f"--scenario {name}") as session:
        return store.load(session, name).scenario


# --- the actions ---------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> None:
    with _opened() as session:
        listing = store.listing(session)
    if args.format == "json":
        _json(
            [
                {"name": s.name, **_version_json(s.current), "base_file": s.scenario.base_file}
                for s in listing.scenarios
            ]
        )
        return
    rows = [
        [s.name, str(s.version), s.current.author, _when(s.current), s.scenario.base_file]
        for s in listing.scenarios
    ]
    print(render_table(["scenario", "version", "author", "saved", "base file"], rows, "lrlll"))
    for name, reason in listing.unreadable.items():
        print(f"{name}: cannot be read: {reason}")


def _history(args: argparse.Namespace) -> None:
    with _opened() as session:
        versions = store.history(session, args.name)
    if args.format == "json":
        _json([_version_json(v) for v in versions])
        return
    rows = [[str(v.number), v.author, _when(v), _one_line(v.note)] for v in versions]
    print(render_table(["version", "author", "saved", "note"], rows, "rlll"))


def _restore(args: argparse.Namespace) -> None:
    with _opened() as session:
        seen = store.load(session, args.name).version
        saved = store.restore(session, args.name, args.number, author=args.author, expected=seen)
    if args.format == "json":
        _json({"name": saved.name, **_version_json(saved.current)})
        return
    print(f"Restored version {args.number} of {saved.name!r} as version {saved.version}.")


def _export(args: argparse.Namespace) -> None:
    with _opened() as session:
        written = store.export_folder(session, args.folder)
    if args.format == "json":
        _json([path.name for path in written])
        return
    print(f"Wrote {len(written)} scenario file{'s' if len(written) != 1 else ''} to {args.folder}.")


def _import(args: argparse.Namespace) -> None:
    if not args.folder.is_dir():
        raise CommandError([f"market scenarios import: {args.folder} is not a folder"])
    with _opened() as session:
        done = store.import_folder(session, args.folder, author=args.author)
    if args.format == "json":
        _json(
            {
                "added": list(done.added),
                "updated": list(done.updated),
                "unchanged": list(done.unchanged),
                "unreadable": done.unreadable,
            }
        )
        return
    for what, names in (("added", done.added), ("new version", done.updated)):
        for name in names:
            print(f"{what}: {name}")
    print(f"unchanged: {len(done.unchanged)}")
    for file, reason in done.unreadable.items():
        print(f"not imported: {file}: {reason}")


def _purge(args: argparse.Namespace) -> None:
    with _opened() as session:
        removed = store.purge(session, args.name)
    if args.format == "json":
        _json({"name": args.name, "versions_removed": removed})
        return
    print(f"Purged {args.name!r}: {removed} version{'s' if removed != 1 else ''} removed for good.")


# --- helpers -------------------------------------------------------------------------------


@contextmanager
def _opened(where: str = "market scenarios") -> Iterator[Session]:
    """A session on the store; every store problem becomes one line (starting with
    ``where``) and exit status 2."""
    try:
        engine = store.open_store()
    except store.StoreUnavailableError as err:
        raise CommandError([f"{where}: the scenario store is unavailable: {err}"]) from None
    try:
        with store.session(engine) as session:
            yield session
    except store.StoreUnavailableError as err:
        raise CommandError([f"{where}: the scenario store is unavailable: {err}"]) from None
    except ScenarioError as err:
        raise CommandError([f"{where}: {err}"]) from None
    finally:
        engine.dispose()


def _author_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--author",
        default=_system_user(),
        help="who the change is recorded as (by default the system user)",
    )


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


def _version_json(v: store.Version) -> dict[str, Any]:
    return {
        "version": v.number,
        "author": v.author,
        "created": v.created.isoformat(),
        "note": v.note,
    }


def _when(v: store.Version) -> str:
    return v.created.strftime("%Y-%m-%d %H:%M UTC")


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))
