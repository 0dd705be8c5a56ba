"""The proxy set-up measured: sessions held through nginx, and a replica killed mid-session.

    python -m benchmarks.proxy --sessions 10 --kills 3

Runs ``deploy/local/cluster`` (Debian's nginx, the shipped config, two replicas) as the
proxy tests do, and drives Debian's Chromium through it:

- **sessions held**: ``--sessions`` browsers open the Overview through nginx at once; each
  then moves the CAGR slider and must get the model's new number back over its WebSocket.
  Reported: how many answered, how nginx's route cookie spread them over the replicas, and
  the time until all pages had loaded.
- **failover**: ``--kills`` times, on a fresh cluster, one browser moves the slider on the
  Segments page, the replica holding it is killed (SIGKILL), and the times from the kill to
  the tab's reconnect (through nginx, to the other replica) and to the end of the first run
  there, which redraws the view from the address, are read from the page's own clock.

Nothing is asserted; the figures go in BENCHMARKS.md with the CPU share other processes took.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from benchmarks import chromium
from benchmarks.machine import CpuClock
from market import load_assumptions
from store.database import not_the_store
from tests.browser.conftest import TIMEOUT_MS, wait_for_app, wait_for_metric
from tests.browser.test_analyst_tools import CAGR, horizon_label, horizon_text, press
from tests.deploy.cluster import Cluster
from tests.deploy.test_proxy_failover import RESTORED, WATCH_RECONNECT

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "assumptions" / "healthcare-microservices.yaml"
VIEWPORT = {"width": 1280, "height": 800}


def _cluster(root: Path) -> Cluster:
    scenarios = root / "scenarios"
    shutil.copytree(ROOT / "assumptions" / "scenarios", scenarios, ignore=not_the_store)
    cluster = Cluster(2, scenarios, root / "cluster.out")
    cluster.start()
    return cluster


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport=dict(VIEWPORT), ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def sessions_held(browser: Browser, count: int) -> dict[str, object]:
    a = load_assumptions(DEFAULT_FILE)
    with tempfile.TemporaryDirectory() as folder:
        cluster = _cluster(Path(folder))
        pages: list[Page] = []
        try:
            started = time.monotonic()
            for _ in range(count):  # all requested before any is awaited
                page = _page(browser)
                page.goto(cluster.url, wait_until="commit")
                pages.append(page)
            for page in pages:
                wait_for_app(page)
            loaded_s = time.monotonic() - started
            spread = [r.sessions() for r in cluster.replicas]
            answered = 0
            for page in pages:
                cagr = press(page, CAGR, "ArrowRight", 1)
                wait_for_metric(page, horizon_label(a), horizon_text(a, {CAGR: cagr}))
                answered += 1
        finally:
            for page in pages:
                page.context.close()
            cluster.stop()
    return {"sessions": count, "answered": answered, "by_replica": spread, "loaded_s": loaded_s}


def failover(browser: Browser) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        cluster = _cluster(Path(folder))
        page = _page(browser)
        try:
            page.goto(cluster.url + "segments")
            wait_for_app(page)
            press(page, CAGR, "ArrowRight", 3)
            holder = cluster.holder()
            page.evaluate(WATCH_RECONNECT)
            killed_ms = time.time() * 1000
            holder.kill()
            page.wait_for_function(RESTORED)
            seen = page.evaluate("() => window.__reconnect")
        finally:
            page.context.close()
            cluster.stop()
    return {
        "reconnected_s": (seen["connected"] - killed_ms) / 1000,
        "restored_s": (seen["restored"] - killed_ms) / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--kills", type=int, default=3)
    args = parser.parse_args()
    clock = CpuClock()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium.executable(), args=list(chromium.ARGS)
        )
        held = sessions_held(browser, args.sessions)
        kills = [failover(browser) for _ in range(args.kills)]
        browser.close()
    others = clock.others_share()
    print(
        f"sessions held through nginx: {held['answered']} of {held['sessions']} answered a "
        f"slider move; by replica {held['by_replica']}; all loaded in {held['loaded_s']:.1f} s"
    )
    for key, label in (
        ("reconnected_s", "kill -> reconnected"),
        ("restored_s", "kill -> restored"),
    ):
        values = [k[key] for k in kills]
        print(
            f"{label}: median {statistics.median(values):.2f} s, max {max(values):.2f} s "
            f"({', '.join(f'{v:.2f}' for v in values)})"
        )
    print(f"other processes' CPU share during the run: {others:.0%}")


if __name__ == "__main__":
    main()
