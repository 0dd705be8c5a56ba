"""The machine the figures come from: cores, memory, CPU model and library versions."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["cpu_seconds", "descendants", "describe", "rss_mb"]

_PACKAGES = ("streamlit", "plotly", "pandas", "numpy", "pydantic", "playwright", "dash")


def describe() -> dict[str, Any]:
    """What BENCHMARKS.md records about the machine."""
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(_meminfo_kb("MemTotal") / 1024**2, 1),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "chromium": _chromium_version(),
        **{name: _version(name) for name in _PACKAGES},
    }


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
