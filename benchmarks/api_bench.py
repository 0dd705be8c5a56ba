"""The HTTP API's speed, and what it costs a dashboard session served by the same process.

    python -m benchmarks.api_bench [--requests 300] [--moves 30] [--clients 20]

One dashboard server with ``MARKET_API=1`` (the production settings of
:func:`benchmarks.servers.serve`), then:

1. ``forecast.json`` with a share link's query, asked ``--requests`` times one after another,
   each on a new connection, while no browser is connected (the dashboard idle):
   median and p95 (target: median under 20 ms);
2. one Chromium session moving the Overview's CAGR slider ``--moves`` times, the
   slider-to-chart time of :func:`benchmarks.browser.move`, first alone, then while
   ``--clients`` API clients each ask for ``forecast.json`` (a new query every time, so no
   answer is a 304 or comes from a cache) as fast as answers come back, in the same run
   (target: no more than 20% slower).

Prints one line per figure and the ratio; nothing is written. Not a timed test: run it on a
quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit

from playwright.async_api import async_playwright

from benchmarks import browser
from benchmarks.servers import DASHBOARD, private_data, serve
from benchmarks.stats import p95

QUERY = "cagr=25&s.region.europe=30&v.year=2028"


def _get(connection: http.client.HTTPConnection, path: str) -> float:
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return (time.perf_counter() - start) * 1000


def idle_latency(url: str, requests: int) -> list[float]:
    """``forecast.json`` times in ms, one request after another, after 20 to warm up.

    Each request opens its own connection, as curl and Power Query's refresh do. (On one
    kept-alive connection every answer of this server, ``/_stcore/health`` too, waits
    ~40 ms: uvicorn writes the head and the body separately and the client delays its ACK.)
    """
    parts = urlsplit(url)
    path = f"{parts.path}/api/v1/forecast.json?{QUERY}"
    times = []
    for _ in range(20 + requests):
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        start = time.perf_counter()
        _get(connection, path)
        times.append((time.perf_counter() - start) * 1000)
        connection.close()
    return times[20:]


class Clients:
    """``count`` threads asking for ``forecast.json`` back to back until stopped."""

    def __init__(self, url: str, count: int) -> None:
        self.url, self.count = urlsplit(url), count
        self.stop = threading.Event()
        self.answered = 0
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(count)]

    def _run(self, number: int) -> None:
        connection = http.client.HTTPConnection(self.url.hostname or "", self.url.port, timeout=60)
        step = 0
        while not self.stop.is_set():
            step += 1
            cagr = 10 + (number * 997 + step) % 3000 / 100  # a new query each time: no cache
            _get(connection, f"{self.url.path}/api/v1/forecast.json?cagr={cagr:g}")
            with self._lock:
                self.answered += 1
        connection.close()

    def __enter__(self) -> Clients:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join()


async def slider_times(url: str, moves: int, clients: int) -> tuple[list[float], list[float], int]:
    """Slider-to-chart times alone, then with ``clients`` API clients; answers they got."""
    async with async_playwright() as playwright:
        chromium = await browser.launch(playwright)
        session, _ = await browser.open_session(chromium, url, "streamlit")
        for _ in range(3):  # warm up
            await browser.move(session)
        alone = [(await browser.move(session, _key(i)))["total_ms"] for i in range(moves)]
        with Clients(url, clients) as load:
            started = time.monotonic()
            loaded = [(await browser.move(session, _key(i)))["total_ms"] for i in range(moves)]
            rate = load.answered / (time.monotonic() - started)
        errors = await browser.page_errors(session)
        await session.close()
        await chromium.close()
    if errors:
        raise RuntimeError("; ".join(errors))
    return alone, loaded, round(rate)


def _key(i: int) -> str:
    return "ArrowRight" if i % 2 == 0 else "ArrowLeft"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--moves", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args(argv)
    with private_data() as data, serve("dashboard", DASHBOARD, {**data, "MARKET_API": "1"}) as s:
        times = idle_latency(s.url, args.requests)
        print(
            f"forecast.json, dashboard idle: median {statistics.median(times):.1f} ms, "
            f"p95 {p95(times):.1f} ms over {len(times)} requests (target: median < 20 ms)"
        )
        if not browser.browser_available():
            print("slider under API load: skipped (no Chromium)")
            return
        alone, loaded, rate = asyncio.run(slider_times(s.url, args.moves, args.clients))
        before, after = statistics.median(alone), statistics.median(loaded)
        print(f"slider to chart, alone: median {before:.0f} ms, p95 {p95(alone):.0f} ms")
        print(
            f"slider to chart, {args.clients} API clients ({rate} answers/s): median "
            f"{after:.0f} ms, p95 {p95(loaded):.0f} ms; {after / before:.2f}x (target: <= 1.20x)"
        )


if __name__ == "__main__":
    main()
