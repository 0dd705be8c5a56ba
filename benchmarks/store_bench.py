"""The store's speed targets (issue 27), measured, not asserted: listing 1,000 scenarios and
loading one under 50 ms on SQLite; a save under 100 ms on SQLite and on PostgreSQL.

    PYTHONPATH=$PWD python -m benchmarks.store_bench [--postgres URL] [--json]

SQLite is a fresh ``market.db`` in a temporary folder (WAL mode, as the dashboard opens
it). PostgreSQL is the database ``--postgres`` names (``postgresql+psycopg://...``; its
``market_bench_*`` scenarios are purged after). Each store holds 1,000 scenarios of a
dozen overrides each before anything is timed; times are wall-clock milliseconds, one call
at a time after a warm-up, through the same functions the dashboard calls (a new session
per call, as each page run opens one), with this process's CPU time per call beside them
(the machine may be shared: the wall clock also counts others' turns on the CPU).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import URL, Engine
from sqlalchemy.engine import make_url

import store
from benchmarks.stats import Row, summarize, time_calls
from market.scenarios import Scenario

__all__ = ["store_rows"]

SCENARIOS = 1_000
PREFIX = "market bench"


def _scenario(n: int, cagr: float = 20.0) -> Scenario:
    overrides = {"growth.cagr_pct": cagr} | {
        f"diff.region.segment-{k}": float(k % 5) for k in range(11)
    }
    return Scenario(
        name=f"{PREFIX} {n:04d}",
        base_file="healthcare-microservices.yaml",
        rationale="A benchmark scenario with a short rationale, as analysts write them.",
        overrides=overrides,
    )


def _fill(engine: Engine) -> None:
    with store.session(engine) as s:
        for n in range(SCENARIOS):
            store.save(s, _scenario(n), author="bench@example.com", note="filled")


def _rows(label: str, engine: Engine, *, listing: bool, n: int) -> list[Row]:
    _fill(engine)
    rows = []
    if listing:

        def list_and_load() -> None:
            with store.session(engine) as s:
                found = store.listing(s)
                store.load(s, found.names[SCENARIOS // 2])

        def list_only() -> None:
            with store.session(engine) as s:
                store.listing(s)

        rows.append(_target(_timed(label, "list 1,000 + load one", list_and_load, n), 50))
        rows.append(_timed(label, "list 1,000", list_only, n))
    version = {"n": 1}

    def save_one() -> None:
        with store.session(engine) as s:
            saved = store.save(
                s,
                _scenario(7, cagr=10.0 + version["n"] % 50),
                author="bench@example.com",
                note="timed save",
                expected=version["n"],
            )
        version["n"] = saved.version

    rows.append(_target(_timed(label, "save (a new version)", save_one, n), 100))
    return rows


def _timed(label: str, name: str, call: Callable[[], object], n: int) -> Row:
    """Wall-clock samples, and this process's CPU time per call beside them: on a shared,
    busy machine the wall clock also counts the time other processes held the CPU."""
    cpu_start = time.process_time_ns()
    samples = time_calls(call, n)
    cpu_ms = (time.process_time_ns() - cpu_start) / 1e6 / (n + 1)  # the warm-up call too
    return summarize(label, name, samples, cpu_ms_per_call=round(cpu_ms, 2))


def _target(row: Row, limit_ms: float) -> Row:
    row.target = f"< {limit_ms:.0f} ms"
    row.met = row.median_ms < limit_ms
    return row


def store_rows(postgres: URL | None = None, n: int = 50) -> list[Row]:
    """SQLite always; PostgreSQL when ``postgres`` names a database."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = URL.create("sqlite", database=str(Path(folder) / "market.db"))
        engine = store.open_store(sqlite, Path(folder) / "empty")
        try:
            rows += _rows("SQLite", engine, listing=True, n=n)
        finally:
            engine.dispose()
    if postgres is not None:
        engine = store.open_store(postgres, Path(tempfile.gettempdir()) / "market-bench-empty")
        try:
            rows += _rows("PostgreSQL", engine, listing=True, n=n)
        finally:
            with store.session(engine) as s:
                for name in store.listing(s).names:
                    if name.startswith(PREFIX):
                        store.purge(s, name)
            engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", type=make_url, help="a PostgreSQL database URL")
    parser.add_argument("--calls", type=int, default=50, help="timed calls per row (50)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = store_rows(args.postgres, args.calls)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=2))
        return
    for r in rows:
        verdict = "" if r.met is None else f"  target {r.target}: {'met' if r.met else 'MISSED'}"
        cpu = r.extra["cpu_ms_per_call"]
        times = f"median {r.median_ms:7.2f} ms  p95 {r.p95_ms:7.2f} ms  CPU {cpu:6.2f} ms"
        print(f"{r.section:<11} {r.name:<24} {times}{verdict}")


if __name__ == "__main__":
    main()
