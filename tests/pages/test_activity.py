"""A page run, and each part a slider move reruns, count as the dashboard drawing: what the
HTTP API gives way to (dashboard/activity.py, api/turns.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import activity
from dashboard.activity import Activity
from dashboard.state import widget_key

PROJECT = Path(__file__).resolve().parents[2]


class Stopped:
    """A clock that moves only when told to."""

    now = 0.0

    def __call__(self) -> float:
        return self.now


class Counted(Activity):
    """The server's activity, counting the parts drawn."""

    def __init__(self, clock: Stopped) -> None:
        super().__init__(settle=1.0, clock=clock)
        self.parts = 0

    @contextmanager
    def drawing(self) -> Iterator[None]:
        self.parts += 1
        with super().drawing():
            yield


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch) -> tuple[Counted, Stopped]:
    clock = Stopped()
    counted = Counted(clock)
    for name in ("started", "drawing", "busy"):
        monkeypatch.setattr(activity, name, getattr(counted, name))
    return counted, clock


def test_a_page_run_and_a_slider_move_mark_the_dashboard_busy_until_they_settle(
    folders: Path, sessions: tuple[Counted, Stopped]
) -> None:
    counted, clock = sessions
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    assert not counted.busy()
    at.run()
    assert not at.exception, at.exception
    assert counted.parts >= 2  # the Overview's parts that follow the assumptions
    assert counted.busy()
    clock.now = 10.0  # every part ended: idle once the settle time is over
    assert not counted.busy()

    drawn = counted.parts
    at.slider(key=widget_key("growth.cagr_pct", at.session_state)).set_value(25.0).run()
    assert not at.exception, at.exception
    assert counted.parts > drawn
    assert counted.busy()
    clock.now = 20.0
    assert not counted.busy()
