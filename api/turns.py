"""The dashboard's sessions first: while one is drawing, the API takes a small share of time.

The API is served by the dashboard's own process, and Python runs one thread at a time:
an answer computed while an analyst's slider move is drawn makes the move slower, and
twenty scripts asking back to back made every move a third slower. So while the server
says its sessions are busy (``app.py`` passes :func:`dashboard.activity.busy`), each
answer is followed by a pause before the next one starts: answers take at most
:data:`SHARE_WHILE_BUSY` of the processor time (each answer's own, on its thread), and no
pause is longer than :data:`MAX_PAUSE_SECONDS`. A script refreshing a board pack gets its
numbers a little later; the analyst's move is not held up. With the dashboard idle
nothing waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio

__all__ = ["MAX_PAUSE_SECONDS", "SHARE_WHILE_BUSY", "Pacer", "never_busy"]

SHARE_WHILE_BUSY = 0.15
"""The share of the processor time answers may take while a session is drawing: after an
answer that took 3 ms, the next one starts 17 ms later at the earliest. Measured with 20
clients asking back to back and a slider moved without pause (``benchmarks.api_bench``):
the move within 14% of its time alone, the API still 15 answers a second (BENCHMARKS.md)."""
MAX_PAUSE_SECONDS = 1.0
"""However long an answer took (a deck, a simulation), the next one waits at most this."""
POLL_SECONDS = 0.02
"""How often a paused answer looks again whether the dashboard went idle."""


def never_busy() -> bool:
    """For a server with no dashboard sessions: answers never pause."""
    return False


class Pacer:
    """Paces the answers while ``busy()``: call :meth:`wait` before computing one and
    :meth:`spent` with the seconds it took after."""

    def __init__(
        self,
        busy: Callable[[], bool],
        *,
        share: float = SHARE_WHILE_BUSY,
        max_pause: float = MAX_PAUSE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], not {share}")
        self._busy = busy
        self._share = share
        self._max_pause = max_pause
        self._clock = clock
        self._resume_at = float("-inf")

    async def wait(self) -> float:
        """Wait until the last answer's pause is over, or the dashboard is idle; return
        the seconds waited."""
        start = self._clock()
        while (left := self._resume_at - self._clock()) > 0 and self._busy():
            await anyio.sleep(min(left, POLL_SECONDS))
        return self._clock() - start

    def spent(self, seconds: float) -> None:
        """An answer took ``seconds``: the next one may start after its pause."""
        pause = min(seconds * (1 / self._share - 1), self._max_pause)
        self._resume_at = self._clock() + pause
