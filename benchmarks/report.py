"""The printed table and the JSON file: the same figures, for people and for machines."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchmarks.stats import Row

__all__ = ["memory_table", "table", "write_json"]

_HEADER = ("section", "measure", "n", "median ms", "p95 ms", "x ref (p95)", "target", "met")


def table(rows: Iterable[Row]) -> str:
    """A plain-text table: median, p95, ratio to the reference, the target and whether met."""
    lines = [_HEADER]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f} ({row.ratio_p95:.2f})"
        met = "" if row.met is None else ("yes" if row.met else "NO")
        lines.append(
            (
                row.section,
                row.name,
                str(row.n),
                _ms(row.median_ms),
                _ms(row.p95_ms),
                ratio,
                row.target,
                met,
            )
        )
    return _aligned(lines)


def memory_table(memory: dict[str, Any]) -> str:
    """Server memory with one and with many sessions, and the growth per session."""
    lines = [("server", "sessions", "RSS 1 session MB", "RSS all MB", "MB per session", "met")]
    for app, m in memory.items():
        if not isinstance(m, dict):
            continue
        count = m["sessions"]
        lines.append(
            (
                app,
                str(count),
                f"{m['rss_1_mb']:.1f}",
                f"{m[f'rss_{count}_mb']:.1f}",
                "" if m["per_session_mb"] is None else f"{m['per_session_mb']:.1f}",
                "" if m["met"] is None else ("yes" if m["met"] else "NO"),
            )
        )
    return _aligned(lines)


def write_json(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=_encode) + "\n", encoding="utf-8")


def _encode(value: Any) -> Any:
    if isinstance(value, Row):
        return value.to_dict()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _ms(value: float) -> str:
    return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"


def _aligned(lines: list[tuple[str, ...]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    numeric = {2, 3, 4}
    out = []
    for line in lines:
        cells = [
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)
