"""The assumptions folder as the dashboard reads it: a large folder costs one read per file
version, not one per rerun; the file opened first is said when it cannot be opened.

Reads are counted at the catalog's reader (:mod:`market.catalog`, the one reader of the
folder's files; the real one runs, the count is kept beside it), never timed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

import market.catalog
from dashboard.state import widget_key
from market import Assumptions
from market.catalog import MAX_FILES
from market.paths import ASSUMPTIONS_ENV, DEFAULT_FILE_ENV, SCENARIOS_ENV
from tests.reliability.conftest import PROJECT, shown_text

FILES = MAX_FILES  # the most the folder offers: issue 23 measured 1,000 and 5,000


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the folder's catalog reads from now on, in order."""
    reads: list[str] = []
    real: Callable[..., Any] = market.catalog.load_assumptions

    def load(path: str | os.PathLike[str]) -> Assumptions:
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(market.catalog, "load_assumptions", load)
    return reads


def folder_of(root: Path, monkeypatch: pytest.MonkeyPatch, small_market: dict[str, Any]) -> Path:
    """An assumptions folder of FILES small markets, each named after its file."""
    folder = root / "assumptions"
    folder.mkdir()
    text = yaml.safe_dump(small_market, sort_keys=False)
    for i in range(FILES):
        name = f"market-{i:04d}"
        (folder / f"{name}.yaml").write_text(text.replace("Bicycle repair", name), "utf-8")
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(SCENARIOS_ENV, str(root / "scenarios"))
    monkeypatch.setenv(DEFAULT_FILE_ENV, "market-0000.yaml")
    return folder


def test_a_folder_of_a_thousand_files_is_read_once_not_on_every_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_market: dict[str, Any]
) -> None:
    folder = folder_of(tmp_path, monkeypatch, small_market)
    reads = counting_reads(monkeypatch)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=300).run()
    assert not at.exception, at.exception
    assert len(reads) == len(set(reads)) == FILES  # each file once
    assert len(at.selectbox(key=widget_key("file")).options) == FILES

    # issue 23: past 256 files every full rerun read the whole folder again
    reads.clear()
    at.run()
    for page in ("pages/segments.py", "pages/sources.py", "app.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    assert reads == []

    edited = folder / "market-0500.yaml"
    edited.write_text(edited.read_text("utf-8").replace("market-0500", "Edited"), "utf-8")
    (folder / "zz-one-too-many.yaml").write_text(yaml.safe_dump(small_market), "utf-8")
    at.run()
    assert reads == [str(edited)]  # the changed file alone; the one past the limit never
    assert "1 more file(s) in the assumptions folder are not offered" in " ".join(
        c.value for c in at.sidebar.caption
    )
    options = at.selectbox(key=widget_key("file")).options
    assert len(options) == FILES and "Edited" in options


@pytest.mark.parametrize(
    ("named", "why"),
    [
        ("gone.yaml", "gone.yaml (MARKET_DEFAULT_FILE) is not in the assumptions folder"),
        ("../elsewhere/b.yaml", "../elsewhere/b.yaml (MARKET_DEFAULT_FILE) is a path"),
        ("/etc/b.yaml", "/etc/b.yaml (MARKET_DEFAULT_FILE) is a path"),
        ("broken.yaml", "broken.yaml (MARKET_DEFAULT_FILE) cannot be used: "),
    ],
    ids=["missing", "relative-path", "absolute-path", "broken"],
)
def test_a_default_file_that_cannot_be_opened_is_said_in_the_app(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_market: dict[str, Any],
    named: str,
    why: str,
) -> None:
    # issue 23: the app silently opened another file (for a path, one with its base name)
    folder = tmp_path / "assumptions"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(small_market), "utf-8")
    other = {**small_market, "market": {**small_market["market"], "name": "Same base name"}}
    (folder / "b.yaml").write_text(yaml.safe_dump(other), "utf-8")
    (folder / "broken.yaml").write_text("market: [unclosed\n", "utf-8")
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    monkeypatch.setenv(DEFAULT_FILE_ENV, named)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.selectbox(key=widget_key("file")).value == "a.yaml"
    warning = shown_text(at)
    assert f"The default file {why}" in warning, warning
    assert "showing a.yaml instead" in warning


def test_a_default_file_that_opens_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_market: dict[str, Any]
) -> None:
    folder = tmp_path / "assumptions"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text(yaml.safe_dump(small_market), "utf-8")
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    monkeypatch.setenv(DEFAULT_FILE_ENV, "b.yaml")
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120).run()
    assert at.selectbox(key=widget_key("file")).value == "b.yaml"
    assert "default file" not in shown_text(at)
