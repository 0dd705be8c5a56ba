"""Whether this server's dashboard sessions are drawing, for work that should give way to them.

The HTTP API (:mod:`api`) answers scripts from the same process as the pages, and Python runs
one thread at a time: an answer computed while an analyst's slider move is being drawn
delays that move. The API asks :func:`busy` before computing and waits while it says yes.

Process-wide, not per session: any session drawing is reason to wait. A page part that
follows the assumptions (:func:`dashboard.layout.follows_assumptions`, what a slider move
reruns) counts from its start to its end; a full page run counts from its start
(:func:`started`, its parts follow within it). Each stays busy :data:`SETTLE_SECONDS` after,
while its messages go out and the next move of a burst (a dragged slider, a held arrow key)
arrives.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["SETTLE_SECONDS", "Activity", "busy", "drawing", "started"]

SETTLE_SECONDS = 0.25
"""How long a session counts as busy after it last drew: its messages are on their way to
the browser, and in a burst of moves the next one usually comes within it."""


class Activity:
    """A count of parts being drawn now, and when the last one started or ended."""

    def __init__(
        self, settle: float = SETTLE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._settle = settle
        self._clock = clock
        self._lock = threading.Lock()
        self._drawing = 0
        self._last = float("-inf")

    def started(self) -> None:
        """A run began whose end is not marked: busy for the settle time from now."""
        with self._lock:
            self._last = self._clock()

    @contextmanager
    def drawing(self) -> Iterator[None]:
        """Busy from entering to leaving, and for the settle time after."""
        with self._lock:
            self._drawing += 1
            self._last = self._clock()
        try:
            yield
        finally:
            with self._lock:
                self._drawing -= 1
                self._last = self._clock()

    def busy(self) -> bool:
        with self._lock:
            return self._drawing > 0 or self._clock() - self._last < self._settle


_SESSIONS = Activity()
"""Every session of this server process."""

started = _SESSIONS.started
drawing = _SESSIONS.drawing
busy = _SESSIONS.busy
