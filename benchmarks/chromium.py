"""How this project starts Debian's Chromium: one place for its path and its flags.

The tests (``tests/conftest.py``), the benchmarks and the screenshot runs all launch the same
browser the same way. The networking flags are not optional on a closed network: without
``--disable-background-networking``, ``--disable-component-update`` and ``--disable-sync``
Chromium keeps trying to reach Google's servers and stalls. It is never downloaded by
``playwright install``; Debian's package provides it (``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import shutil

__all__ = ["ARGS", "DEFAULT_PATH", "executable"]

DEFAULT_PATH = "/usr/bin/chromium"
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def executable() -> str | None:
    """The Chromium to launch: ``CHROMIUM_PATH`` if set, else Debian's, else one on ``PATH``."""
    named = os.environ.get("CHROMIUM_PATH")
    if named:
        return named if os.access(named, os.X_OK) else None
    if os.access(DEFAULT_PATH, os.X_OK):
        return DEFAULT_PATH
    return shutil.which("chromium")
