"""The dashboard's sessions first: while one draws, API answers are paced (api/turns.py).

The routes are driven as the server drives them (an ASGI call), with a ``busy`` that says
what a real dashboard's :mod:`dashboard.activity` would (tests/dashboard/test_activity.py).
"""

from __future__ import annotations

import time
from typing import Any

import anyio
from starlette.applications import Starlette

from api import Settings, routes, turns


class Busy:
    """A dashboard that is drawing for the first ``looks``, idle after; counts the looks."""

    def __init__(self, looks: int) -> None:
        self.looks = looks
        self.seen = 0

    def __call__(self) -> bool:
        self.seen += 1
        return self.seen <= self.looks


def test_while_the_dashboard_draws_an_answer_waits_out_the_last_ones_pause() -> None:
    pacer = turns.Pacer(lambda: True, share=0.5, max_pause=10.0)
    answered = time.monotonic()
    pacer.spent(0.05)  # half the time: a pause as long as the answer
    anyio.run(pacer.wait)
    assert time.monotonic() - answered >= 0.05

    pacer = turns.Pacer(lambda: True, share=0.5, max_pause=0.05)
    answered = time.monotonic()
    pacer.spent(100.0)  # a long answer (a deck): the next waits the longest pause, not 100 s
    anyio.run(pacer.wait)
    assert 0.05 <= time.monotonic() - answered < 5.0


def test_the_pause_ends_when_the_dashboard_goes_idle() -> None:
    busy = Busy(looks=2)
    pacer = turns.Pacer(busy, share=0.01, max_pause=100.0)
    pacer.spent(1.0)  # a pause of 99 s, were the dashboard to stay busy
    assert anyio.run(pacer.wait) < 5.0
    assert busy.seen == 3


def test_with_the_dashboard_idle_nothing_waits() -> None:
    pacer = turns.Pacer(lambda: False, share=0.01, max_pause=100.0)
    pacer.spent(1.0)  # a pause of 99 s, were the dashboard busy
    assert anyio.run(pacer.wait) < 5.0


def test_a_share_outside_zero_to_one_is_refused() -> None:
    for share in (0.0, -0.1, 1.5):
        try:
            turns.Pacer(lambda: True, share=share)
        except ValueError as err:
            assert "share" in str(err)
        else:
            raise AssertionError(f"share {share} was taken")


def _get(app: Starlette, path: str) -> int:
    """The status of a GET through the ASGI app."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"cagr=25",
        "headers": [],
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "root_path": "",
    }
    anyio.run(app, scope, receive, send)
    return int(sent[0]["status"])


def test_the_routes_pace_their_answers_while_the_dashboard_draws() -> None:
    busy = Busy(looks=1_000)
    app = Starlette(routes=routes(Settings(), busy=busy))
    # a simulation first: tens of milliseconds of processor time, a pause several times that
    assert _get(app, "/api/v1/risk.json") == 200
    assert busy.seen == 0  # the first answer had no one before it: no pause to wait out
    assert _get(app, "/api/v1/forecast.json") == 200
    assert busy.seen > 0  # the second waited out the first one's pause, asking meanwhile


def test_a_refused_request_is_answered_at_once() -> None:
    busy = Busy(looks=1_000)
    app = Starlette(routes=routes(Settings(), busy=busy))
    assert _get(app, "/api/v1/forecast.json") == 200
    assert _get(app, "/api/v1/no-such-thing") == 404
    assert busy.seen == 0
