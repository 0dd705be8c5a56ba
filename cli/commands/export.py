"""``market export``: write a file the dashboard offers for download, or send it to stdout.

The formats are :data:`report.formats.FORMATS`: a format added there is a ``--format``
choice and an ``--out`` suffix here with nothing else to change. ``--out -`` writes the
file's bytes to standard output instead (``--format`` then says which). With a store (the
dashboard's database), the brief and the deck list the open comments viewers left, as the
dashboard's downloads do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli import inputs
from cli.command import Option, command
from cli.errors import CommandError
from cli.options import ACTUALS, CALIBRATE, OVERRIDES, REBASE, SCENARIO, SOURCE
from cli.streams import emit
from market.io import write_atomically
from report import formats

STDOUT = "-"
"""``--out -``: standard output. A file of that name is ``--out ./-``."""


def _chosen(args: argparse.Namespace) -> formats.ExportFormat:
    """The format ``--format`` names, else the one ``--out``'s suffix names."""
    if args.format:
        return formats.format_named(args.format)
    chosen = None if args.out == STDOUT else formats.format_for(Path(args.out).suffix)
    if chosen is None:
        names = ", ".join(f.name for f in formats.FORMATS)
        raise CommandError(
            [f"--out {Path(args.out)}: cannot tell the format; add --format ({names})"]
        )
    return chosen


def _check_writable(out: Path) -> None:
    """Refuse, before writing, an output that is a folder, a link, a device or a FIFO,
    or lies under a file: only a regular file is ever replaced."""
    if out.is_symlink():
        raise CommandError([f"--out {out}: is a symbolic link; name the file itself"])
    if out.is_dir():
        raise CommandError([f"--out {out}: is a folder; name a file"])
    if out.exists() and not out.is_file():
        raise CommandError([f"--out {out}: is not a regular file (a device or a FIFO)"])
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise CommandError([f"--out {out}: {parent} is a file, not a folder"])


def _to_stdout(data: str | bytes, chosen: formats.ExportFormat) -> None:
    """The file's bytes on standard output; a binary one never onto a terminal."""
    if isinstance(data, bytes) and sys.stdout is not None and sys.stdout.isatty():
        raise CommandError(
            [
                f"--out -: a {chosen.name} file is binary and standard output is a terminal; "
                f"redirect it (> file{chosen.suffix}) or name a file"
            ]
        )
    emit(data.encode("utf-8") if isinstance(data, str) else data)


def _to_file(data: str | bytes, out: Path) -> None:
    try:
        write_atomically(out, data)
    except OSError as err:
        raise CommandError([f"--out {out}: cannot write it ({err.strerror or err})"]) from None


@command(
    "export",
    lambda: (
        "Write a file the dashboard offers for download: "
        + ", ".join(f.label for f in formats.FORMATS)
        + "."
    ),
    SOURCE,
    OVERRIDES,
    ACTUALS,
    REBASE,
    Option(
        "--format",
        choices=lambda: [f.name for f in formats.FORMATS],
        help=lambda: (
            "file format (by default from --out's suffix: "
            + ", ".join(f.suffix for f in formats.FORMATS)
            + ")"
        ),
    ),
    Option(
        "--out",
        required=True,
        metavar="PATH",
        help="file to write (replaced whole); missing folders are created",
    ),
    Option(
        "--by",
        metavar="DIMENSION",
        help=lambda: (
            "one column per segment ("
            + " and ".join(f.name for f in formats.FORMATS if f.by_dimension)
            + ")"
        ),
    ),
    CALIBRATE,
    SCENARIO,
)
def export(args: argparse.Namespace) -> None:
    chosen = _chosen(args)
    if args.by and not chosen.by_dimension:
        raise CommandError([f"--by: {chosen.label} is not split by a dimension; leave --by out"])
    scenario = inputs.scenario(args)
    file, a = inputs.load_with_file(args, scenario=scenario)
    file_label = scenario.base_file if scenario else inputs.source(args).name
    named = scenario.name if scenario else None
    request = formats.ExportRequest(
        a,
        file,
        inputs.finite_forecast(a),
        inputs.dimension(a, args.by),
        file_label=file_label,
        scenario=named,
        comments=inputs.export_comments(file_label, named) if chosen.lists_comments else (),
    )
    if args.out == STDOUT:
        _to_stdout(chosen.render(request), chosen)
        return
    out = Path(args.out)
    _check_writable(out)
    _to_file(chosen.render(request), out)
    emit(f"Wrote {out} ({chosen.name}, {a.market.name}, {a.years.first}-{a.years.horizon})\n")
