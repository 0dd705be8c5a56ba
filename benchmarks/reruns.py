"""Section 2: the server-side rerun of each page after a CAGR change, through ``AppTest``.

Each page starts from the entry (``app.py``) as a user would, switches to the page, takes
one untimed move, then times ``n`` moves of the sidebar CAGR slider: ``set_value`` and
``run()``, which includes Streamlit's own widget and message handling. Every move sets a
value never used before in this process, so the model's caches miss as they do for a
user exploring. A move reruns only the page's parts that follow the assumptions (see
``layout.follows_assumptions``), and AppTest's tree then holds only what that run sent;
an untimed plain rerun after each move brings back the sidebar, as the browser keeps it,
so the next move finds the slider (as ``whole_page`` does in the page tests).
The reference app is timed the same way before and after the pages, and each page's
median and p95 are divided by the reference's.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from streamlit import logger
from streamlit.testing.v1 import AppTest

from benchmarks.servers import DASHBOARD, REFERENCE_APP
from benchmarks.stats import Row, summarize
from dashboard.layout import PAGES
from dashboard.state import widget_key
from market.parameter_table import CAGR_PATH

__all__ = [
    "CAGR_KEY",
    "environment",
    "quiet_streamlit_logs",
    "rerun_rows",
    "started",
    "timed_moves",
]

CAGR_KEY = widget_key(CAGR_PATH)
TARGET_RATIO = 2.0
_values = (round(5.0 + 0.01 * k, 2) for k in itertools.count())


def quiet_streamlit_logs() -> None:
    """AppTest outside a server warns about a missing runtime and context on every run."""
    logger.set_log_level("error")
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True


def rerun_rows(quick: bool, env: dict[str, str]) -> list[Row]:
    """One row per page and one for the reference app (rows compare with it)."""
    n = 3 if quick else 30
    with environment(env):
        before = timed_moves(started(None), n)
        pages = [(p.title, timed_moves(started(p.script), n)) for p in PAGES]
        after = timed_moves(started(None), n)
    reference = summarize("reruns", "reference app", before + after)
    rows = [reference]
    for title, samples in pages:
        row = summarize("reruns", f"page: {title}", samples).compare(reference)
        row.target = f"<= {TARGET_RATIO:g}x reference"
        row.met = row.ratio is not None and row.ratio <= TARGET_RATIO
        rows.append(row)
    return rows


def timed_moves(at: AppTest, n: int, warmup: int = 1) -> list[float]:
    """Move the CAGR slider ``n`` times to fresh values; the rerun times in ms."""
    samples = []
    for i in range(warmup + n):
        value = next(_values)
        slider = at.slider(key=CAGR_KEY).set_value(value)
        start = time.perf_counter_ns()
        slider.run()
        elapsed = (time.perf_counter_ns() - start) / 1e6
        if at.exception:
            raise RuntimeError(f"the app raised: {at.exception[0].value}")
        if at.session_state[CAGR_KEY] != value or not list(at.main):
            raise RuntimeError(f"moving the CAGR to {value} redrew nothing")
        if i >= warmup:
            samples.append(elapsed)
        at.run()  # untimed: the whole page again, unchanged
    return samples


def started(script: str | None) -> AppTest:
    """The reference app (``None``), or the dashboard from its entry switched to ``script``."""
    path = REFERENCE_APP if script is None else DASHBOARD
    at = AppTest.from_file(str(path), default_timeout=120)
    at.run()
    if script not in (None, "app.py"):
        at.switch_page(script).run()
    if at.exception:
        raise RuntimeError(f"{script or 'reference app'} raised: {at.exception[0].value}")
    return at


@contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``env`` added for the duration of the block."""
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
