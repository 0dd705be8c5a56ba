"""Whether the server's dashboard sessions are drawing: what the API paces itself by."""

from __future__ import annotations

from dashboard.activity import Activity


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_session_is_busy_while_drawing_and_for_the_settle_time_after() -> None:
    clock = Clock()
    sessions = Activity(settle=0.25, clock=clock)
    assert not sessions.busy()
    with sessions.drawing():
        clock.now = 10.0
        assert sessions.busy()  # a long run stays busy however long it takes
    clock.now = 10.2
    assert sessions.busy()
    clock.now = 10.3
    assert not sessions.busy()


def test_a_page_run_started_counts_for_the_settle_time() -> None:
    clock = Clock()
    sessions = Activity(settle=0.25, clock=clock)
    sessions.started()
    clock.now = 0.1
    assert sessions.busy()
    clock.now = 0.3
    assert not sessions.busy()
