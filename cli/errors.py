"""What can go wrong in a ``market`` command, and the exit status each gives.

=====  ==========================================================================================
0      done
1      standard output cannot be written: closed (``>&-``), a full disk; one line on stderr, as
       coreutils report a write error
2      anything the user can fix: a bad file, option or number, an ``--out`` that cannot be
       written; one line per problem on stderr, as argparse reports a usage error
130    interrupted (Ctrl-C): 128 + SIGINT, the status a shell shows; one line on stderr
141    the reader of a pipe stopped early (``market forecast | head -3``): 128 + SIGPIPE, the
       status of a program that SIGPIPE stops, and as silent as one
=====  ==========================================================================================

No traceback is shown for any of them, and nothing is left behind: an ``--out`` file is
written whole or not at all (:func:`market.io.write_atomically`).
"""

from __future__ import annotations

import errno
import signal
from collections.abc import Iterable

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "EXIT_USAGE",
    "CommandError",
    "OutputError",
]

EXIT_OK = 0
EXIT_OUTPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


class CommandError(Exception):
    """Something the user can fix; each line names where it is and what is wrong."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


class OutputError(Exception):
    """Standard output could not be written; ``broken_pipe`` when its reader went away."""

    def __init__(self, reason: str, *, broken_pipe: bool = False) -> None:
        super().__init__(reason)
        self.broken_pipe = broken_pipe

    @classmethod
    def of(cls, err: OSError) -> OutputError:
        return cls(err.strerror or str(err), broken_pipe=err.errno == errno.EPIPE)
