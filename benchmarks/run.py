"""The one benchmark command (issue 6): ``python -m benchmarks.run [--quick]``.

Runs, in one process on this machine, every section the issue lists and prints one table
(median, p95, the ratio to the reference where there is one, the target and whether it
is met), then writes the same figures as JSON (``benchmarks/results/latest.json`` unless
``--json`` says otherwise):

1. ``model``: the market model alone;
2. ``reruns``: each page's server-side rerun after a CAGR change, against the reference app;
3. ``browser``: slider-to-chart in Chromium for the Overview, Segments, Regions and Risk,
   the reference app and the Dash peer, and navigation-to-first-chart for the Overview,
   the reference app and the Dash peer, and
4. ``memory``: server memory with 1 and with 10 sessions (both from the same servers);
5. ``floor``: slider-to-chart for the reference app, two bare pages drawn through the
   dashboard's chart element (a plain line; the Overview's chart) and the Overview: where
   the Overview's time goes beyond Streamlit's own (:mod:`benchmarks.floor_bench`);
6. ``scale``: forecast and simulate as segments and paths grow.

``--quick`` takes a few iterations of each (CI runs it so the benchmark cannot rot; it
asserts no timing). Without Chromium the browser sections are skipped with the reason,
unless ``REQUIRE_BROWSER=1`` or ``--browser require``; without Dash (the ``bench``
extra) the peer is skipped with the reason.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import machine, model_bench, report
from benchmarks.browser import browser_available
from benchmarks.servers import PROJECT, dash_installed, private_data
from benchmarks.stats import Row

__all__ = ["SECTIONS", "main", "run"]

SECTIONS = ("model", "reruns", "browser", "floor", "scale")
DEFAULT_JSON = PROJECT / "benchmarks" / "results" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.wait_quiet:
        share = machine.wait_for_quiet(args.wait_quiet)
        print(f"other processes use {share:.0%} of the machine; starting")
    results = run(
        quick=args.quick,
        sections=tuple(args.sections.split(",")),
        browser=args.browser or ("require" if os.environ.get("REQUIRE_BROWSER") == "1" else "auto"),
        dash=not args.no_dash,
    )
    report.write_json(args.json, results)
    print(f"\nJSON written to {args.json}")
    return 0


def run(quick: bool, sections: tuple[str, ...], browser: str, dash: bool) -> dict[str, Any]:
    """Every chosen section; prints as it goes and returns what the JSON holds."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown sections: {', '.join(sorted(unknown))}; known: {SECTIONS}")
    started = time.perf_counter()
    clock = machine.CpuClock()
    results: dict[str, Any] = {
        "mode": "quick" if quick else "full",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "machine": machine.describe(),
    }
    with private_data() as env:
        if "model" in sections:
            results["model"] = _section("model", lambda: model_bench.model_rows(quick))
        if "reruns" in sections:
            results["reruns"] = _section("reruns", lambda: _reruns(quick, env))
        if "browser" in sections:
            results.update(_browser(quick, env, browser, dash))
        if "floor" in sections:
            results["floor"] = _floor(quick, env, browser)
        if "scale" in sections:
            rows = _section("scale", lambda: model_bench.scale_rows(quick))
            exponents = model_bench.growth_exponents(rows)
            print(f"growth exponents (1 = linear): {exponents}")
            results["scale"] = {"rows": rows, "growth_exponents": exponents}
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["others_cpu_share"] = clock.others_share()
    clock.stop()
    _print_summary(results)
    return results


def _section(name: str, measure: Callable[[], list[Row]]) -> list[Row]:
    print(f"\n== {name} ==", flush=True)
    rows = measure()
    print(report.table(rows), flush=True)
    return rows


def _reruns(quick: bool, env: dict[str, str]) -> list[Row]:
    from benchmarks.reruns import quiet_streamlit_logs, rerun_rows

    quiet_streamlit_logs()
    return rerun_rows(quick, env)


def _browser(quick: bool, env: dict[str, str], mode: str, dash: bool) -> dict[str, Any]:
    """The browser and memory sections, or the reason they were skipped."""
    print("\n== browser ==", flush=True)
    reason = _no_browser(mode)
    if reason:
        return {"browser": {"rows": [], "skipped": reason}, "memory": {"skipped": reason}}
    with_dash = dash and dash_installed()
    if not with_dash:
        why = "--no-dash" if not dash else "not installed (pip install -e '.[bench]')"
        print(f"dash: {why}; the Dash peer is skipped")
    from benchmarks import browser_bench

    rows, memory = asyncio.run(browser_bench.measure(quick, env, with_dash))
    print(report.table(rows))
    print("\nserver memory")
    print(report.memory_table(memory))
    dash_state = "measured" if with_dash else ("--no-dash" if not dash else "not installed")
    return {
        "browser": {"rows": rows, "skipped": None, "dash": dash_state},
        "memory": memory,
    }


def _floor(quick: bool, env: dict[str, str], mode: str) -> dict[str, Any]:
    """The floor section, or the reason it was skipped."""
    print("\n== floor ==", flush=True)
    reason = _no_browser(mode)
    if reason:
        return {"rows": [], "skipped": reason}
    from benchmarks import floor_bench

    rows = asyncio.run(floor_bench.measure(quick, env))
    print(report.table(rows))
    return {"rows": rows, "skipped": None}


def _no_browser(mode: str) -> str | None:
    """Why the sections that need Chromium are skipped, or None when they run."""
    if mode == "require" and not browser_available():
        raise SystemExit("browser sections required (REQUIRE_BROWSER=1) but Chromium is missing")
    if mode == "skip" or (mode == "auto" and not browser_available()):
        reason = "skipped (--browser skip)" if mode == "skip" else "Chromium is not installed"
        print(f"browser: {reason}")
        return reason
    return None


def _print_summary(results: dict[str, Any]) -> None:
    rows = [*results.get("model", []), *results.get("reruns", [])]
    rows += results.get("browser", {}).get("rows", [])
    missed = [f"{r.section}/{r.name}" for r in rows if r.met is False]
    for app, m in results.get("memory", {}).items():
        if isinstance(m, dict) and m["met"] is False:
            missed.append(f"memory/{app}")
    print(
        f"\n{results['mode']} run took {results['seconds']} s; other processes used "
        f"{results['machine']['others_cpu_share']:.0%} of the machine meanwhile"
    )
    print("targets missed: " + (", ".join(missed) if missed else "none"))
    overview = next((r for r in rows if r.name == "slider to chart: Overview"), None)
    if overview is not None and "beats_dash" in overview.extra:
        verdict = "beats" if overview.extra["beats_dash"] else "does not beat"
        times = overview.extra["ratio_to_dash"]
        print(f"slider to chart: the Overview {verdict} the Dash peer ({times:.2f}x its median)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--quick", action="store_true", help="a few iterations of everything")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}"
    )
    parser.add_argument(
        "--browser",
        choices=("auto", "require", "skip"),
        default=None,
        help="auto skips without Chromium (default; 'require' when REQUIRE_BROWSER=1)",
    )
    parser.add_argument("--no-dash", action="store_true", help="leave out the Dash peer")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to SECONDS for other processes to leave the CPU idle",
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
