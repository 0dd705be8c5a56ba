"""The only code that writes to standard output and standard error.

:func:`emit` flushes what it writes, so a closed or broken standard output surfaces while
the command runs, as :class:`~cli.errors.OutputError` (an exit status and one line), not
in the interpreter's last flush as a traceback, and never silently (``print`` drops its
text when Python started with standard output closed).
"""

from __future__ import annotations

import os
import sys

from cli.errors import OutputError

__all__ = ["emit", "silence", "warn"]


def emit(text: str | bytes) -> None:
    """Write ``text`` (or bytes, as they are) to standard output and flush it."""
    stream = sys.stdout
    if stream is None:  # started with it closed (`>&-`)
        raise OutputError("it is closed")
    try:
        if isinstance(text, bytes):
            stream.flush()
            stream.buffer.write(text)
        else:
            stream.write(text)
        stream.flush()
    except OSError as err:
        raise OutputError.of(err) from None


def warn(line: str) -> None:
    """One line on stderr (dropped if stderr is closed: print would send it to stdout)."""
    if sys.stderr is not None:
        print(line, file=sys.stderr, flush=True)


def silence() -> None:
    """Point standard output at /dev/null once writing to it failed, so that the
    interpreter's own last flush of what is still buffered cannot fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # closed from the start, or not a file
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
