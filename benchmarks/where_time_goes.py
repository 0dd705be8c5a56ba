"""Where a slider move's time goes: ``python -m benchmarks.where_time_goes [--quick]``.

Four measurements, each printed as a table and written to
``benchmarks/results/where.json``:

1. ``script``: each page's script during a CAGR move, sampled with py-spy (this process,
   AppTest's script thread), split by what the samples were doing (model, figures, the
   sidebar, downloads, tables, cache lookups, Streamlit elements). Milliseconds per rerun.
2. ``payload``: what each page sends per rerun: elements, widgets, Plotly figures and the
   bytes of their JSON, read from AppTest's element tree.
3. ``live``: a real server and Chromium, one session: CPU per move in the server and in
   the browser (from /proc), the server's CPU split by py-spy into the script, the
   after-script garbage collection (``runner.postScriptGC``) and the event loop, and the
   slider-to-chart breakdown of probe.js; with the collection on (Streamlit's default) and
   off, for the Overview and the reference app.
   ``client``: Chromium's CPU profiler on the page's main thread, per move and from
   navigation to the first chart, split into Plotly, the data grid, the framework's own
   JavaScript (React, Streamlit's or Dash's frontend), the browser's native work (style,
   layout, paint) and garbage collection; for the Overview, the reference app and Dash.
4. ``cache``: what ``st.cache_data``'s copy costs (a pickle round trip per hit) for the
   forecast and a 10,000-path simulation, against sharing the object.

py-spy must be installed (``pip install py-spy``) for 1 and 3's splits; without it those
columns are left out with the reason.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from benchmarks import machine, report
from benchmarks.servers import (
    DASH_PEER,
    DASHBOARD,
    PROJECT,
    REFERENCE_APP,
    dash_installed,
    private_data,
    serve,
)
from benchmarks.stats import time_calls

__all__ = [
    "cache_costs",
    "client_split",
    "live_split",
    "main",
    "payloads",
    "script_split",
]

DEFAULT_JSON = PROJECT / "benchmarks" / "results" / "where.json"
RATE_HZ = 250

# What a sampled stack was doing: the first rule, in this order, that matches any frame.
_SCRIPT_RULES: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("downloads", lambda fn, f: fn.startswith("downloads") and f.startswith("dashboard/comp")),
    ("figure build", lambda fn, f: f.startswith("report/charts")),
    ("plotly_chart", lambda fn, f: f.startswith("streamlit/elements/plotly_chart")),
    ("tables", lambda fn, f: f.startswith("streamlit/elements/arrow")),
    ("model", lambda fn, f: f.startswith("market/")),
    ("cache lookups", lambda fn, f: f.startswith("streamlit/runtime/caching")),
    ("sidebar", lambda fn, f: bool(re.match(r"dashboard/(sidebar|state|layout|links)", f))),
    ("page code", lambda fn, f: f.startswith(("dashboard/", "pages/", "app.py"))),
)
_SCRIPT_COLUMNS = (*(name for name, _ in _SCRIPT_RULES), "streamlit")
_LIVE_RULES: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("file polling", lambda fn, f: "polling_path_watcher" in f),
    ("after-script gc.collect", lambda fn, f: fn.startswith("ScriptRunner._on_script_finished")),
    ("script", lambda fn, f: fn.startswith("exec_func_with_error_handling")),
    ("script runner", lambda fn, f: fn.startswith("ScriptRunner._run_script_thread")),
)
_LIVE_COLUMNS = (*(name for name, _ in _LIVE_RULES), "event loop and other")


# --- sampling ------------------------------------------------------------------------------


@contextmanager
def sampled(pid: int) -> Iterator[list[tuple[list[tuple[str, str]], int]]]:
    """py-spy samples of ``pid`` while the block runs, as (frames, count); frames are
    (function, file) from the outermost in. Empty when py-spy is missing or refused.

    Only the thread holding the GIL is sampled, so a sample is Python at work (or C code
    it called, such as numpy or the garbage collector), never a thread waiting.
    """
    stacks: list[tuple[list[tuple[str, str]], int]] = []
    spy = shutil.which("py-spy")
    if spy is None:
        yield stacks
        return
    with tempfile.TemporaryDirectory(prefix="bench-spy-") as tmp:
        out = Path(tmp) / "stacks.txt"
        command = [
            spy,
            "record",
            "--pid",
            str(pid),
            "--rate",
            str(RATE_HZ),
            "--format",
            "raw",
            "-o",
            str(out),
            "--nonblocking",
            "--gil",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # attach before the work starts
        try:
            yield stacks
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
            if out.exists():
                stacks.extend(_parse(out.read_text(encoding="utf-8", errors="replace")))


def _parse(text: str) -> Iterator[tuple[list[tuple[str, str]], int]]:
    for line in text.splitlines():
        match = re.match(r"(.*) (\d+)$", line)
        if not match:
            continue
        frames = []
        for frame in match.group(1).split(";"):
            parts = re.match(r"(.*) \((.*?):\d+\)$", frame)
            frames.append((parts.group(1), parts.group(2)) if parts else (frame, ""))
        yield frames, int(match.group(2))


def _split(
    stacks: list[tuple[list[tuple[str, str]], int]],
    rules: tuple[tuple[str, Callable[[str, str], bool]], ...],
    fallback: str,
    keep: Callable[[list[tuple[str, str]]], bool] = lambda frames: True,
) -> Counter[str]:
    """Samples per category (first matching rule, in order, anywhere in the stack)."""
    counts: Counter[str] = Counter()
    for frames, count in stacks:
        if not keep(frames):
            continue
        name = next((n for n, rule in rules if any(rule(fn, f) for fn, f in frames)), fallback)
        counts[name] += count
    return counts


def _per_move(counts: Counter[str], moves: int, columns: tuple[str, ...]) -> dict[str, float]:
    return {c: round(counts.get(c, 0) * 1000 / RATE_HZ / moves, 1) for c in columns}


# --- 1 and 2: the script and the payload, through AppTest ------------------------------


def script_split(quick: bool, env: dict[str, str]) -> list[dict[str, Any]]:
    """Per page: rerun time, and where the script thread's samples fell, ms per rerun."""
    from benchmarks.reruns import environment, started, timed_moves
    from dashboard.layout import PAGES

    moves = 3 if quick else 25
    rows = []
    with environment(env):
        for title, script in [("reference app", None), *((p.title, p.script) for p in PAGES)]:
            at = started(script)
            timed_moves(at, 1)
            with sampled(os.getpid()) as stacks:
                samples = timed_moves(at, moves, warmup=0)
            in_script = _split(
                stacks,
                _SCRIPT_RULES,
                "streamlit",
                keep=lambda frames: any(fn.startswith("exec_func_with") for fn, _ in frames),
            )
            rows.append(
                {
                    "page": title,
                    "rerun_ms": round(sorted(samples)[len(samples) // 2], 1),
                    **_per_move(in_script, moves, _SCRIPT_COLUMNS),
                    **payloads(at),
                }
            )
    return rows


def payloads(at: Any) -> dict[str, Any]:
    """What one rerun of ``at``'s page sends: elements, widgets, figures and their bytes."""
    elements = list(_elements(at._tree))  # AppTest's element tree has no public walk
    figures = at.get("plotly_chart")
    return {
        "elements": len(elements),
        "widgets": len(at._tree.get_widget_states().widgets),
        "figures": len(figures),
        "figure_json_kb": round(sum(len(f.proto.spec) for f in figures) / 1024, 1),
        "element_kb": round(sum(e.proto.ByteSize() for e in elements) / 1024, 1),
    }


def _elements(node: Any) -> Iterator[Any]:
    children = getattr(node, "children", None)
    if children is None:
        if getattr(node, "proto", None) is not None:
            yield node
        return
    for child in children.values():
        yield from _elements(child)


# --- 3: a live server and a browser --------------------------------------------------------


def live_split(quick: bool, env: dict[str, str]) -> list[dict[str, Any]]:
    """CPU per move in server and browser, and the server's split, GC on and off."""
    return asyncio.run(_live(quick, env))


async def _live(quick: bool, env: dict[str, str]) -> list[dict[str, Any]]:
    from playwright.async_api import async_playwright

    from benchmarks import browser

    moves = 5 if quick else 25
    rows = []
    async with async_playwright() as playwright:
        chromium = await browser.launch(playwright)
        for gc_on in (True, False):
            for name, script in (("Overview", DASHBOARD), ("reference app", REFERENCE_APP)):
                settings = {**env, "STREAMLIT_RUNNER_POST_SCRIPT_GC": str(gc_on).lower()}
                with serve(name, script, settings) as server:
                    row = await _live_moves(chromium, server, moves)
                rows.append({"app": name, "post_script_gc": gc_on, **row})
        await chromium.close()
    return rows


async def _live_moves(chromium: Any, server: Any, moves: int) -> dict[str, Any]:
    from benchmarks import browser

    session, _ = await browser.open_session(chromium, server.url + "/", server.kind)
    for _ in range(2):
        await browser.move(session)
    ours = set(machine.descendants(server.pid)) | {server.pid}
    browsers = [p for p in machine.descendants(os.getpid()) if p not in ours]
    browser_cpu, server_cpu = machine.cpu_seconds(browsers), server.cpu_seconds()
    with sampled(server.pid) as stacks:
        timings = [await browser.move(session) for _ in range(moves)]
    # py-spy's own attach second is in neither figure: the CPU deltas span the moves only
    server_cpu = server.cpu_seconds() - server_cpu
    browser_cpu = machine.cpu_seconds(browsers) - browser_cpu
    await session.close()
    median = {k: round(sorted(t[k] for t in timings)[moves // 2], 1) for k in timings[0]}
    return {
        "server_cpu_ms": round(server_cpu * 1000 / moves, 1),
        "browser_cpu_ms": round(browser_cpu * 1000 / moves, 1),
        **{
            f"server_{k}": v
            for k, v in _per_move(
                _split(stacks, _LIVE_RULES, "event loop and other"), moves, _LIVE_COLUMNS
            ).items()
        },
        **median,
    }


# --- 3b: the browser's main thread, by script -----------------------------------------

_CLIENT_GROUPS = (
    ("plotly", ("plotly",)),
    ("data grid", ("dataframe", "arrow")),
    (
        "framework js",
        (
            "react",
            "index",
            "emotion",
            "styled",
            "dash",
            "streamlit",
            "protobuf",
            "utils",
        ),
    ),
)


def client_split(quick: bool, env: dict[str, str]) -> list[dict[str, Any]]:
    """The browser's main thread per slider move and up to the first chart, by script."""
    return asyncio.run(_client(quick, env))


async def _client(quick: bool, env: dict[str, str]) -> list[dict[str, Any]]:
    from playwright.async_api import async_playwright

    from benchmarks import browser

    moves = 5 if quick else 20
    apps = [("Overview", DASHBOARD), ("reference app", REFERENCE_APP)]
    if dash_installed():
        apps.append(("Dash peer", DASH_PEER))
    rows = []
    async with async_playwright() as playwright:
        chromium = await browser.launch(playwright)
        for name, script in apps:
            with serve(name, script, env if script == DASHBOARD else None) as server:
                warm, _ = await browser.open_session(chromium, server.url + "/", server.kind)
                for _ in range(2):
                    await browser.move(warm)
                async with _profiled(warm) as per_move:
                    for _ in range(moves):
                        await browser.move(warm)
                await warm.close()
                fresh, first_chart = await _profiled_navigation(chromium, server)
            rows.append(
                {
                    "app": name,
                    "when": f"per move (of {moves})",
                    **{k: round(v / moves, 1) for k, v in per_move.items()},
                }
            )
            rows.append(
                {
                    "app": name,
                    "when": "navigation to first chart",
                    **fresh,
                    "first_chart_ms": round(first_chart),
                }
            )
        await chromium.close()
    return rows


@asynccontextmanager
async def _profiled(session: Any) -> AsyncIterator[dict[str, float]]:
    """Chromium's CPU profiler on the session's page; ms of main-thread time by group."""
    cdp = await session.context.new_cdp_session(session.page)
    await cdp.send("Profiler.enable")
    await cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    await cdp.send("Profiler.start")
    split: dict[str, float] = {}
    try:
        yield split
    finally:
        profile = (await cdp.send("Profiler.stop"))["profile"]
        split.update(_group_profile(profile))


async def _profiled_navigation(chromium: Any, server: Any) -> tuple[dict[str, float], float]:
    """A fresh context opening the app, profiled from navigation to the first chart."""
    from benchmarks import browser

    context = await chromium.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(path=str(browser.PROBE))
    page = await context.new_page()
    # a first page on the same origin keeps the same renderer, so the profiler, attached
    # to it, sees the navigation from its start
    same_origin = "/_stcore/health" if server.kind == "streamlit" else "/_dash-layout"
    await page.goto(server.url + same_origin)
    session = browser.Session(server.kind, context, page)
    async with _profiled(session) as split:
        await page.goto(server.url + "/", wait_until="commit")
        handle = await page.wait_for_function(
            "() => window.__bench && window.__bench.firstChart", timeout=browser.TIMEOUT_MS
        )
        first = await handle.json_value()
    await context.close()
    return split, first


def _group_profile(profile: dict[str, Any]) -> dict[str, float]:
    """Self time by group: Plotly, the data grid, the framework's JavaScript, the browser's
    own work (style, layout, paint: "(program)"), garbage collection and other scripts."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    totals: Counter[str] = Counter()
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        totals[_client_group(nodes[node_id])] += delta / 1000
    totals.pop("idle", None)
    columns = (*(name for name, _ in _CLIENT_GROUPS), "browser native", "js gc", "other")
    return {
        "busy_ms": round(sum(totals.values()), 1),
        **{c: round(totals.get(c, 0.0), 1) for c in columns},
    }


def _client_group(frame: dict[str, Any]) -> str:
    name = frame["functionName"]
    if name in ("(idle)", "(program)", "(garbage collector)"):
        return {"(idle)": "idle", "(program)": "browser native"}.get(name, "js gc")
    script = frame["url"].rsplit("/", 1)[-1].lower()
    if not script:
        return "browser native"
    return next(
        (group for group, keys in _CLIENT_GROUPS if any(k in script for k in keys)), "other"
    )


# --- 4: st.cache_data's copy ---------------------------------------------------------------


def cache_costs(quick: bool) -> list[dict[str, Any]]:
    """A pickle round trip (what every st.cache_data hit pays) for model results."""
    from benchmarks.model_bench import DEFAULT_FILE
    from market import forecast, load_assumptions, risk

    a = load_assumptions(DEFAULT_FILE)
    results = {
        "forecast": forecast(a),
        "simulate 10,000 paths": risk.simulate(a, paths=10_000),
        "sensitivity": risk.sensitivity(a),
    }
    n = 5 if quick else 50
    rows = []
    for name, value in results.items():
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        round_trip = time_calls(lambda v=value: pickle.loads(pickle.dumps(v, protocol=5)), n)
        rows.append(
            {
                "result": name,
                "pickled_kb": round(len(data) / 1024, 1),
                "round_trip_ms": round(sorted(round_trip)[n // 2], 3),
            }
        )
    return rows


# --- the command ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.where_time_goes")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    if shutil.which("py-spy") is None:
        print("py-spy is not installed (pip install py-spy): the samples are left out")
    from benchmarks.reruns import quiet_streamlit_logs

    quiet_streamlit_logs()
    results: dict[str, Any] = {"machine": machine.describe()}
    with private_data() as env:
        results["script"] = _show(
            "script and payload per page (ms per rerun)", script_split(args.quick, env)
        )
        results["live"] = _show("live server and browser (per move)", live_split(args.quick, env))
        results["client"] = _show(
            "browser main thread by script (ms)", client_split(args.quick, env)
        )
    results["cache"] = _show("st.cache_data copy", cache_costs(args.quick))
    report.write_json(args.json, results)
    print(f"\nJSON written to {args.json}")
    return 0


def _show(title: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    print(f"\n== {title} ==")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = [tuple(columns)] + [tuple(_cell(row.get(c, "")) for c in columns) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    for line in lines:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)))
    return rows


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
