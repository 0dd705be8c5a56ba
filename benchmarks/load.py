"""The load run of issue 7: many browser sessions moving sliders against one server.

``python -m benchmarks.load`` starts the dashboard on 127.0.0.1 (on a private copy of the
assumptions folder, through :mod:`benchmarks.timed_server`), opens ``--sessions`` browser
contexts in one Chromium, spread over the Overview, Segments, Regions and Risk pages,
and lets every session move the sidebar CAGR slider with the arrow keys for
``--seconds``, pausing ``--think`` seconds (uniform) between moves as a person would.

It reports, as p50 and p95:
- the server-side rerun latency: from the rerun request reaching the server to the
  script-finished message being queued for that browser (timed inside the server);
- what the user sees: from the key press to the page's first chart showing the new data,
  and to Streamlit's script finishing, timed in the page (see probe.js);
and every error (page errors, exception boxes, lost connections, moves that never
showed, tracebacks in the server log; the issue requires none), the server's resident
memory at the start, peak and end, and how the CPU was shared.

Browser contexts are used rather than a lighter client because they speak Streamlit's
websocket protocol exactly as users' browsers do. On one small machine they also draw
every page, which real users do on their own machines: ``--pin`` keeps the server on
core 0 and the browsers on the others, as a server with its own CPU would be.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, async_playwright

from benchmarks import browser, machine, report
from benchmarks.browser import Session
from benchmarks.servers import DASHBOARD, PROJECT, Server, private_data, serve
from benchmarks.stats import p95

__all__ = ["LoadResult", "main", "run_load"]

PAGES = {"overview": "/", "segments": "/segments", "regions": "/regions", "risk": "/risk"}
DEFAULT_JSON = PROJECT / "benchmarks" / "results" / "load.json"
_OPENING_AT_ONCE = 5  # sessions opened concurrently while the server warms up


@dataclass
class _Track:
    """One session's record."""

    page: str
    session: Session | None = None
    to_chart_ms: list[float] = field(default_factory=list)
    to_idle_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    """What the load run reports (also written as JSON)."""

    sessions: int
    seconds: float
    think_s: tuple[float, float]
    pinned: bool
    moves: int
    server_rerun: dict[str, float]
    to_chart: dict[str, float]
    to_idle: dict[str, float]
    by_page: dict[str, dict[str, float]]
    errors: list[str]
    memory_mb: dict[str, float]
    cpu_cores_used: dict[str, float]
    others_cpu_share: float  # of the whole machine, by processes outside this run
    machine: dict[str, Any]


@dataclass
class _Window:
    """The measured minute: when it ran and what the CPU did meanwhile."""

    start: float = 0.0
    end: float = 0.0
    server_cpu: float = 0.0
    browser_cpu: float = 0.0
    others_share: float = 0.0
    memory: dict[str, float] = field(default_factory=dict)


async def run_load(
    sessions: int,
    seconds: float,
    think: tuple[float, float],
    pages: list[str],
    pin: bool = False,
    seed: int = 0,
) -> LoadResult:
    """Open the sessions, move sliders for ``seconds``, collect timings and errors."""
    tracks = [_Track(pages[i % len(pages)]) for i in range(sessions)]
    server_cores = {0} if pin else None
    if pin:  # this process, the Playwright driver and Chromium on the other cores
        os.sched_setaffinity(0, set(range(1, os.cpu_count() or 2)))
    with (
        tempfile.TemporaryDirectory(prefix="bench-load-") as tmp,
        private_data() as env,
        serve(
            "dashboard", DASHBOARD, env, cpus=server_cores, rerun_log=Path(tmp) / "r.jsonl"
        ) as server,
    ):
        async with async_playwright() as playwright:
            chromium = await browser.launch(playwright)
            await _open_all(chromium, server, tracks)
            window = await _measured_minute(server, tracks, seconds, think, seed)
            for track in tracks:
                if track.session is not None:
                    track.errors += await browser.page_errors(track.session)
            window.memory["end"] = server.rss_mb()
            await chromium.close()
        reruns = _server_reruns(Path(tmp) / "r.jsonl", window)
        errors = [e for t in tracks for e in t.errors] + _server_log_errors(server)
    return LoadResult(
        sessions=sessions,
        seconds=seconds,
        think_s=think,
        pinned=pin,
        moves=sum(len(t.to_idle_ms) for t in tracks),
        server_rerun=reruns,
        to_chart=_percentiles([ms for t in tracks for ms in t.to_chart_ms]),
        to_idle=_percentiles([ms for t in tracks for ms in t.to_idle_ms]),
        by_page=_by_page(tracks),
        errors=errors,
        memory_mb=window.memory,
        cpu_cores_used={
            "server": round(window.server_cpu / seconds, 2),
            "browsers": round(window.browser_cpu / seconds, 2),
        },
        others_cpu_share=window.others_share,
        machine=machine.describe(),
    )


async def _open_all(chromium: Browser, server: Server, tracks: list[_Track]) -> None:
    gate = asyncio.Semaphore(_OPENING_AT_ONCE)

    async def open_one(track: _Track) -> None:
        async with gate:
            try:
                track.session, _ = await browser.open_session(
                    chromium, server.url + PAGES[track.page], "streamlit"
                )
                await browser.move(track.session)  # untimed: the page's first rerun warms up
            except Exception as error:  # a session that cannot open is an error to report
                track.errors.append(f"opening {track.page}: {error}")

    await asyncio.gather(*(open_one(t) for t in tracks))


async def _measured_minute(
    server: Server, tracks: list[_Track], seconds: float, think: tuple[float, float], seed: int
) -> _Window:
    window = _Window(start=time.time())
    clock = machine.CpuClock()
    browsers = [p for p in machine.descendants(os.getpid()) if p != server.pid]
    browsers = [p for p in browsers if p not in machine.descendants(server.pid)]
    server_cpu, browser_cpu = server.cpu_seconds(), machine.cpu_seconds(browsers)
    peak = [server.rss_mb()]
    window.memory["start"] = peak[0]
    deadline = time.monotonic() + seconds
    sampler = asyncio.create_task(_sample_memory(server, peak, deadline))
    await asyncio.gather(
        *(_drive(t, deadline, think, random.Random(seed + i)) for i, t in enumerate(tracks))
    )
    await sampler
    window.end = time.time()
    window.server_cpu = server.cpu_seconds() - server_cpu
    window.browser_cpu = machine.cpu_seconds(browsers) - browser_cpu
    window.memory["peak"] = max(peak)
    window.others_share = clock.others_share()
    clock.stop()
    return window


async def _drive(
    track: _Track, deadline: float, think: tuple[float, float], rng: random.Random
) -> None:
    """Move the CAGR slider left or right at random until the deadline."""
    if track.session is None:
        return
    await asyncio.sleep(rng.uniform(*think))  # sessions do not start in lockstep
    while time.monotonic() < deadline:
        key = rng.choice(("ArrowLeft", "ArrowRight"))
        try:
            timing = await browser.move(track.session, key)
        except Exception as error:  # every failed move is counted and reported
            track.errors.append(f"{track.page} move: {type(error).__name__}: {error}")
            continue
        track.to_chart_ms.append(timing["total_ms"])
        track.to_idle_ms.append(timing["key_to_idle_ms"])
        await asyncio.sleep(rng.uniform(*think))


async def _sample_memory(server: Server, peak: list[float], deadline: float) -> None:
    while time.monotonic() < deadline:
        peak.append(server.rss_mb())
        await asyncio.sleep(1.0)


def _server_reruns(log: Path, window: _Window) -> dict[str, float]:
    """Server-side reruns that ended inside the measured window."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    records = [json.loads(line) for line in lines]
    inside = [r for r in records if window.start <= r["t"] <= window.end + 5]
    finished = [r["ms"] for r in inside if "ms" in r]
    return {
        "reruns": len(finished),
        "interrupted": sum(1 for r in inside if r.get("interrupted")),
        **_percentiles(finished),
    }


def _server_log_errors(server: Server) -> list[str]:
    text = server.log.read_text(errors="replace") if server.log.exists() else ""
    return [f"server log: {line}" for line in text.splitlines() if "Traceback" in line][:20]


def _by_page(tracks: list[_Track]) -> dict[str, dict[str, float]]:
    by_page = {}
    for page in dict.fromkeys(t.page for t in tracks):
        page_idle = [ms for t in tracks if t.page == page for ms in t.to_idle_ms]
        if page_idle:
            by_page[page] = {"moves": len(page_idle), **_percentiles(page_idle)}
    return by_page


def _percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50_ms": float("nan"), "p95_ms": float("nan")}
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95(samples), 1)}


def _print(result: LoadResult) -> None:
    pace = f"{result.think_s[0]:g}-{result.think_s[1]:g} s between moves"
    print(
        f"{result.sessions} sessions for {result.seconds:g} s ({pace}), "
        f"{'server pinned to core 0' if result.pinned else 'no pinning'}: {result.moves} "
        f"moves ({result.moves / result.seconds:.1f} a second)"
    )
    server = result.server_rerun
    print(
        f"server-side rerun:        p50 {server['p50_ms']} ms, p95 {server['p95_ms']} ms "
        f"({server['reruns']} reruns, {server['interrupted']} cut short by a newer move)"
    )
    print(
        f"key to chart (browser):   p50 {result.to_chart['p50_ms']} ms, "
        f"p95 {result.to_chart['p95_ms']} ms"
    )
    print(
        f"key to rerun finished:    p50 {result.to_idle['p50_ms']} ms, "
        f"p95 {result.to_idle['p95_ms']} ms"
    )
    for page, figures in result.by_page.items():
        print(
            f"  {page:9s} {figures['moves']:5d} moves, key to rerun finished "
            f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms"
        )
    memory, cpu = result.memory_mb, result.cpu_cores_used
    print(
        f"server memory: start {memory['start']} MB, peak {memory['peak']} MB, "
        f"end {memory['end']} MB"
    )
    print(
        f"CPU cores used: server {cpu['server']}, browsers {cpu['browsers']} "
        f"(of {result.machine['nproc']}); other processes used "
        f"{result.others_cpu_share:.0%} of the machine"
    )
    print(f"errors: {len(result.errors)}")
    for error in result.errors[:20]:
        print(f"  {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", default="0.5,1.5", help="pause between moves, min,max s")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"subset of {list(PAGES)}")
    parser.add_argument("--pin", action="store_true", help="server alone on core 0")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    low, high = (float(x) for x in args.think.split(","))
    pages = args.pages.split(",")
    if set(pages) - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(set(pages) - set(PAGES)))}")
    result = asyncio.run(run_load(args.sessions, args.seconds, (low, high), pages, args.pin))
    _print(result)
    command = " ".join(["python -m benchmarks.load", *(argv or sys.argv[1:])])
    report.write_json(args.json, {"command": command, **asdict(result)})
    print(f"JSON written to {args.json}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
