"""The machine the figures come from: cores, memory, CPU model and library versions."""

from __future__ import annotations

import os
import platform
import subprocess
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "CpuClock",
    "cpu_seconds",
    "descendants",
    "describe",
    "rss_mb",
    "wait_for_quiet",
]

_PACKAGES = ("streamlit", "plotly", "pandas", "numpy", "pydantic", "playwright", "dash")


def describe() -> dict[str, Any]:
    """What BENCHMARKS.md records about the machine."""
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(_meminfo_kb("MemTotal") / 1024**2, 1),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "chromium": _chromium_version(),
        **{name: _version(name) for name in _PACKAGES},
    }


class CpuClock:
    """How busy the whole machine was, and how much of that was not this process tree.

    Other sessions on a shared machine disturb timings; the share they took is written
    next to the figures so a disturbed run can be told from a clean one. This process
    tree's own CPU is sampled twice a second, so browser processes that come and go
    (and may be reaped by init rather than by us) are still counted as ours.
    """

    def __init__(self, *, sample: bool = True) -> None:
        self._running = sample
        self._started = time.monotonic()
        self._busy = _system_busy_seconds()
        self._own = _cpu_by_pid([os.getpid(), *descendants(os.getpid())])
        self._first = dict(self._own)
        if sample:
            threading.Thread(target=self._sample, daemon=True).start()

    def stop(self) -> None:
        """End the sampling; ``others_share`` still works, without the browsers' exits."""
        self._running = False

    def _sample(self) -> None:
        while self._running:
            time.sleep(0.5)
            for pid, used in _cpu_by_pid([os.getpid(), *descendants(os.getpid())]).items():
                self._first.setdefault(pid, 0.0)  # born after the start: all of it is ours
                self._own[pid] = used

    def others_share(self) -> float:
        """Cores' worth of CPU used by other processes since the start, over all cores."""
        wall = time.monotonic() - self._started
        for pid, used in _cpu_by_pid([os.getpid(), *descendants(os.getpid())]).items():
            self._first.setdefault(pid, 0.0)
            self._own[pid] = used
        own = sum(used - self._first[pid] for pid, used in self._own.items())
        busy = _system_busy_seconds() - self._busy
        return round(max(busy - own, 0.0) / wall / (os.cpu_count() or 1), 2) if wall else 0.0


def _cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """User plus system CPU seconds of each live pid (its own, not its children's)."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def wait_for_quiet(max_wait_s: float, threshold: float = 0.15) -> float:
    """Wait (up to ``max_wait_s``) until other processes use under ``threshold`` of the
    machine over two seconds; return the share seen last."""
    deadline = time.monotonic() + max_wait_s
    while True:
        clock = CpuClock(sample=False)
        time.sleep(2.0)
        share = clock.others_share()
        if share < threshold or time.monotonic() >= deadline:
            return share


def _system_busy_seconds() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, in MB (from /proc)."""
    total_kb = 0
    for each in (pid, *descendants(pid)):
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return round(total_kb / 1024, 1)


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time used so far by ``pids`` (ended ones count as zero)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _meminfo_kb(key: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _chromium_version() -> str | None:
    path = Path("/usr/bin/chromium")
    if not path.exists():
        return None
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
