"""The API computes on threads of its own, below the dashboard's priority (issue 28: API
clients must not slow a dashboard session's slider by more than 20%)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from api.http import WORKER_NICENESS, _workers


def _priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread priorities are Linux's")
def test_an_answer_is_computed_below_the_servers_priority_and_the_server_keeps_its_own() -> None:
    server = _priority()
    pool = _workers(1, "api-test")
    try:
        assert pool.submit(_priority).result() == min(server + WORKER_NICENESS, 19)
        assert pool.submit(_priority).result() == min(server + WORKER_NICENESS, 19)  # kept
    finally:
        pool.shutdown()
    assert _priority() == server
