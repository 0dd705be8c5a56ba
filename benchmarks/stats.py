"""Timing samples reduced to what the report prints: median, 95th percentile, ratios.

Every time is in milliseconds. A :class:`Row` is one line of the printed table and one
object in the JSON; ``ratio`` compares medians with the row's reference, and
``ratio_p95`` does the same for the 95th percentiles.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

__all__ = ["Row", "p95", "ratio", "summarize", "time_calls"]


@dataclass
class Row:
    """One measured quantity: its samples' median and p95, and how it compares."""

    section: str
    name: str
    n: int
    median_ms: float
    p95_ms: float
    reference: str = ""  # the row name this one is divided by
    ratio: float | None = None
    ratio_p95: float | None = None
    target: str = ""  # the target in words, e.g. "<= 1 ms"
    met: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def compare(self, reference: Row) -> Row:
        """Set the ratios to ``reference`` (by median and by p95); returns self."""
        self.reference = reference.name
        self.ratio = ratio(self.median_ms, reference.median_ms)
        self.ratio_p95 = ratio(self.p95_ms, reference.p95_ms)
        return self


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile with numpy's linear interpolation."""
    return float(np.percentile(np.asarray(samples, dtype=float), 95))


def ratio(value: float, reference: float) -> float | None:
    return None if not reference else round(value / reference, 2)


def summarize(section: str, name: str, samples_ms: Sequence[float], **extra: Any) -> Row:
    """A row from raw samples, in milliseconds."""
    if not samples_ms:
        raise ValueError(f"{section}/{name}: no samples")
    return Row(
        section=section,
        name=name,
        n=len(samples_ms),
        median_ms=round(statistics.median(samples_ms), 3),
        p95_ms=round(p95(samples_ms), 3),
        extra=extra,
    )


def time_calls(call: Callable[[], object], n: int, warmup: int = 1) -> list[float]:
    """Time ``n`` calls of ``call`` one by one, in ms, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(n):
        start = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples
