"""What can go wrong in a ``market`` command, and the exit status it gives.

Exit status is 0 on success and 2 for anything the user can fix (a bad file, an unknown
dimension, a bad number, an output that cannot be written): the problems go to stderr,
one a line, each starting with where it is. No traceback is shown for any of them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

__all__ = ["EXIT_OK", "EXIT_USAGE", "CommandError", "warn"]

EXIT_OK = 0
EXIT_USAGE = 2


class CommandError(Exception):
    """Something the user can fix; each line names where it is and what is wrong."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


def warn(line: str) -> None:
    """One line on stderr."""
    print(line, file=sys.stderr)
