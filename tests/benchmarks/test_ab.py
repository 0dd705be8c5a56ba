"""``python -m benchmarks.ab`` refuses what it cannot serve before it starts anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import ab


def test_a_directory_without_the_dashboard_is_named_and_nothing_runs(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        ab.main([str(tmp_path)])
    assert str(refused.value) == f"no app.py in {tmp_path.resolve()}"
