"""Sections 3 and 4: slider-to-chart and navigation-to-first-chart in Chromium, and memory.

Three servers run side by side: the dashboard, the reference app and, when Dash is
installed, the Dash peer.

- Navigation and memory, one fresh server at a time: open ``sessions`` browser contexts
  one after another, each timed from navigation to its first chart drawn; the server's
  resident memory is read after the first session and after the last. The first session
  of a fresh server also pays for the server's first script run; it is reported apart
  ("first view") and the navigation figure is the median of the later sessions.
- Slider to chart: ``moves`` presses of the right arrow on the CAGR slider in each app's
  first session, and in one more session per dashboard page that follows the CAGR
  (Segments, Regions, Risk, on the same server as the Overview), in rounds that rotate
  between them so that drift on a shared 2-core machine falls on all of them alike.
"""

from __future__ import annotations

import statistics
from contextlib import ExitStack
from typing import Any

from playwright.async_api import Browser, async_playwright

from benchmarks import browser
from benchmarks.browser import Session
from benchmarks.servers import DASH_PEER, DASHBOARD, REFERENCE_APP, Server, serve
from benchmarks.stats import Row, summarize

__all__ = ["APPS", "BREAKDOWN", "measure", "median_of", "slider_rounds", "slider_row"]

APPS = {
    "overview": "Overview",
    "segments": "Segments",
    "regions": "Regions",
    "risk": "Risk",
    "reference": "reference app",
    "dash": "Dash peer",
}
PAGES = {"segments": "/segments", "regions": "/regions", "risk": "/risk"}
"""The dashboard's other pages whose first chart follows the CAGR, by their URL path."""
OVERVIEW_TARGET = 1.0  # x the reference app, median and p95 (issue 13)
OVERVIEW_DASH_TARGET = 1.5  # x the Dash peer
PAGE_TARGET = 1.5  # x the reference app, every other page
NAVIGATION_TARGET = 1.2
MEMORY_TARGET_MB = 30.0
BREAKDOWN = (
    "key_to_send_ms",
    "send_to_chart_message_ms",
    "chart_message_to_data_ms",
    "data_to_paint_ms",
    "key_to_idle_ms",
    "bytes_in",
    "bytes_out",
    "messages_in",
)
"""What each slider-to-chart row also reports: the medians of where a move's time went."""


async def measure(
    quick: bool, env: dict[str, str], with_dash: bool
) -> tuple[list[Row], dict[str, Any]]:
    """Rows for the table and the memory figures, for each app."""
    sessions, moves, rounds = (2, 3, 1) if quick else (10, 30, 3)
    scripts = {"overview": DASHBOARD, "reference": REFERENCE_APP}
    if with_dash:
        scripts["dash"] = DASH_PEER
    with ExitStack() as stack:
        async with async_playwright() as playwright:
            chromium = await browser.launch(playwright)
            opened: dict[str, Session] = {}
            navigation: dict[str, list[dict[str, Any]]] = {}
            memory: dict[str, dict[str, Any]] = {}
            for app, script in scripts.items():
                server = stack.enter_context(serve(app, script, env if app == "overview" else None))
                opened[app], navigation[app], memory[app] = await _sessions(
                    chromium, server, sessions
                )
                if app == "overview":
                    for page, path in PAGES.items():
                        opened[page], _ = await browser.open_session(
                            chromium, server.url + path, server.kind
                        )
            samples = await slider_rounds(opened, moves, rounds, warmup=1 if quick else 2)
            errors = {app: await browser.page_errors(s) for app, s in opened.items()}
            await chromium.close()
    for page in PAGES:  # the dashboard's pages share its server, so its memory entry
        errors["overview"] += [f"{APPS[page]}: {e}" for e in errors.pop(page)]
    rows = _slider_rows(samples) + _navigation_rows(navigation)
    for app, found in errors.items():
        memory[app]["errors"] = found
    return rows, memory


async def _sessions(
    chromium: Browser, server: Server, count: int
) -> tuple[Session, list[dict[str, Any]], dict[str, Any]]:
    """Open ``count`` sessions on a fresh server; keep the first open, close the others."""
    first, timing = await browser.open_session(chromium, server.url + "/", server.kind)
    timings = [timing]
    rss_one = server.rss_mb()
    others = []
    for _ in range(count - 1):
        session, timing = await browser.open_session(chromium, server.url + "/", server.kind)
        others.append(session)
        timings.append(timing)
    rss_all = server.rss_mb()
    for session in others:
        await session.close()
    per_session = (rss_all - rss_one) / (count - 1) if count > 1 else None
    memory = {
        "sessions": count,
        "rss_1_mb": rss_one,
        f"rss_{count}_mb": rss_all,
        "per_session_mb": None if per_session is None else round(per_session, 1),
        "target": f"<= {MEMORY_TARGET_MB:g} MB per additional session",
        "met": None if per_session is None else per_session <= MEMORY_TARGET_MB,
    }
    return first, timings, memory


async def slider_rounds(
    opened: dict[str, Session], moves: int, rounds: int, warmup: int
) -> dict[str, list[dict[str, Any]]]:
    """``moves`` slider moves in each session, in ``rounds`` that rotate between them, so
    that drift on a shared machine falls on every app alike; after ``warmup`` unmeasured
    moves each."""
    for session in opened.values():
        for _ in range(warmup):
            await browser.move(session)
    samples: dict[str, list[dict[str, Any]]] = {app: [] for app in opened}
    per_round = [moves // rounds + (1 if i < moves % rounds else 0) for i in range(rounds)]
    for count in per_round:
        for app, session in opened.items():
            for _ in range(count):
                samples[app].append(await browser.move(session))
    return samples


def _slider_rows(samples: dict[str, list[dict[str, Any]]]) -> list[Row]:
    rows = {app: slider_row("browser", APPS[app], moves) for app, moves in samples.items()}
    reference, dash = rows["reference"], rows.get("dash")
    for app, row in rows.items():
        if dash is not None and app != "dash":
            row.extra["ratio_to_dash"] = round(row.median_ms / dash.median_ms, 2)
            row.extra["ratio_to_dash_p95"] = round(row.p95_ms / dash.p95_ms, 2)
        if app != "reference":
            row.compare(reference)
    overview = rows["overview"]
    overview.target = f"<= {OVERVIEW_TARGET:g}x reference, p95 included"
    overview.met = max(overview.ratio or 0, overview.ratio_p95 or 0) <= OVERVIEW_TARGET
    if dash is not None:
        overview.target += f"; <= {OVERVIEW_DASH_TARGET:g}x Dash"
        worst = max(overview.extra["ratio_to_dash"], overview.extra["ratio_to_dash_p95"])
        overview.met = overview.met and worst <= OVERVIEW_DASH_TARGET
        overview.extra["beats_dash"] = overview.median_ms < dash.median_ms
    for page in PAGES:
        row = rows[page]
        row.target = f"<= {PAGE_TARGET:g}x reference, p95 included"
        row.met = max(row.ratio or 0, row.ratio_p95 or 0) <= PAGE_TARGET
    return list(rows.values())


def _navigation_rows(navigation: dict[str, list[dict[str, Any]]]) -> list[Row]:
    rows = {}
    for app, timings in navigation.items():
        later = timings[1:] or timings
        rows[app] = summarize(
            "browser",
            f"navigation to first chart: {APPS[app]}",
            [t["first_chart_ms"] for t in later],
            first_view_fresh_server_ms=timings[0]["first_chart_ms"],
            longest_task_ms=median_of(later, "longest_task_ms"),
            long_tasks_ms=median_of(later, "long_tasks_ms"),
        )
    reference = rows["reference"]
    for app, row in rows.items():
        if app != "reference":
            row.compare(reference)
    overview = rows["overview"]
    overview.target = f"<= {NAVIGATION_TARGET:g}x reference"
    overview.met = overview.ratio is not None and overview.ratio <= NAVIGATION_TARGET
    return list(rows.values())


def slider_row(section: str, app: str, moves: list[dict[str, Any]]) -> Row:
    """The row of ``app``'s slider-to-chart times, with the medians of :data:`BREAKDOWN`."""
    return summarize(
        section,
        f"slider to chart: {app}",
        [move["total_ms"] for move in moves],
        **{key: median_of(moves, key) for key in BREAKDOWN},
    )


def median_of(samples: list[dict[str, Any]], key: str) -> float | None:
    """The median of ``key`` over the samples that have it."""
    values = [s[key] for s in samples if s.get(key) is not None]
    return round(statistics.median(values), 1) if values else None
