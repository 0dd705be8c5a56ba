"""Shared fixtures for the reliability tests: one dashboard session on private folders.

The hostile-input tests send many files and links through the dashboard. Starting an
``AppTest`` costs about a second, a rerun a few hundredths, so a module shares one
session (:func:`dashboard`) and each test checks what its own input did: the warning
it caused, the file selected afterwards, and that the folders on disk are unchanged.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.state import widget_key
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from store.database import SQLITE_FILE, not_the_store

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_NAME = "healthcare-microservices.yaml"
UPLOAD = widget_key("upload")
FILE = widget_key("file")


def private_folders(root: Path) -> dict[str, str]:
    """Copies of the default market and the shipped scenarios under ``root``; their env."""
    assumptions, scenarios = root / "assumptions", root / "scenarios"
    assumptions.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "assumptions" / DEFAULT_NAME, assumptions)
    shutil.copytree(
        PROJECT / "assumptions" / "scenarios", scenarios, ignore=not_the_store, dirs_exist_ok=True
    )
    return {ASSUMPTIONS_ENV: str(assumptions), SCENARIOS_ENV: str(scenarios)}


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (its bytes) under ``root``, by relative path, but the
    store's own SQLite files: a page that shows comments opens the store, which makes its
    database on first use (importing the scenarios folder, as issue 27 asks) and keeps a
    write-ahead log beside it; the store's tests check what it holds."""
    return {
        str(path.relative_to(root)): None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
        if not path.name.startswith(SQLITE_FILE)
    }


def start_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    """A new session of the dashboard (its Overview), opened with ``query`` in the URL."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    at.query_params.update(query or {})
    return at.run()


def shown_text(at: AppTest) -> str:
    """Everything the page says in warnings and errors, main area and sidebar, as a reader
    sees it: the Markdown escapes that keep file text plain are taken out."""
    text = "\n".join(str(e.value) for e in [*at.warning, *at.error])
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


@dataclass
class Dashboard:
    """One dashboard session on private folders under ``root``."""

    at: AppTest
    root: Path
    uploads: int = 0

    def upload(self, name: str, content: bytes) -> AppTest:
        """Upload ``content`` as ``name`` through the sidebar's file uploader."""
        self.uploads += 1
        return self.at.file_uploader(key=UPLOAD).upload(name, content).run()

    def file_options(self) -> list[str]:
        return list(self.at.selectbox(key=FILE).options)

    def selected_file(self) -> str:
        return str(self.at.selectbox(key=FILE).value)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Private assumptions and scenarios folders for a module's sessions (the env points
    there while the module runs); returns their parent."""
    root = tmp_path_factory.mktemp("folders")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in private_folders(root).items():
            patch.setenv(name, value)
        yield root


@pytest.fixture(scope="module")
def dashboard(folders: Path) -> Dashboard:
    """One session shared by a module's tests, on the module's private folders."""
    at = start_app()
    assert not at.exception, at.exception
    return Dashboard(at=at, root=folders)
