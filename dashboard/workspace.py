"""The dashboard's way into the store: one opened engine per database, shared by sessions.

The engine is opened once per server process (:func:`store.open_store`: schema upgraded,
the scenarios folder imported on a new database) and kept with ``st.cache_resource``.
When the database cannot be used, every page still renders: :func:`session` raises
:class:`store.StoreUnavailableError`, whose message says why in one line, and a failed
opening is not tried again for :data:`RETRY_SECONDS`, so a database that is down does
not make every run wait for its connection timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import store
from market.comments import Chart, Comment
from market.paths import scenarios_dir

__all__ = [
    "RETRY_SECONDS",
    "comments",
    "export_comments",
    "listing",
    "scenario_comments",
    "session",
]

RETRY_SECONDS = 15.0
_LOG = logging.getLogger(__name__)
_failures: dict[tuple[str, str], tuple[float, store.StoreUnavailableError]] = {}
_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _engine(url: str, folder: str) -> Engine:
    return store.open_store(make_url(url), Path(folder))


def session() -> Session:
    """A store session; StoreUnavailableError (one line: why) if the database cannot be used."""
    url = store.database_url().render_as_string(hide_password=False)
    key = (url, str(scenarios_dir()))
    with _lock:
        failed = _failures.get(key)
        if failed is not None and time.monotonic() - failed[0] < RETRY_SECONDS:
            raise failed[1]
    try:
        engine = _engine(*key)
    except store.StoreUnavailableError as err:
        with _lock:
            if key not in _failures:  # once per outage in the server log, as one line
                _LOG.warning("The scenario store is unavailable: %s", err)
            _failures[key] = (time.monotonic(), err)
        raise
    with _lock:
        _failures.pop(key, None)
    return store.session(engine)


def listing() -> tuple[store.Listing, str | None]:
    """The saved scenarios, and None; or none and why they cannot be listed now."""
    try:
        with session() as opened:
            found = store.listing(opened)
    except store.StoreUnavailableError as err:
        return store.Listing(), str(err)
    return found, None


def comments(file: str, chart: Chart) -> tuple[tuple[Comment, ...], str | None]:
    """The comments on ``chart`` of ``file``, and None; or none and why they cannot be read."""
    try:
        with session() as opened:
            found = store.comments.listing(opened, file, chart=chart)
    except store.StoreUnavailableError as err:
        return (), str(err)
    return found, None


def scenario_comments(file: str, name: str) -> tuple[tuple[Comment, ...], str | None]:
    """The comments on the saved scenario ``name`` itself (not on a chart while it was
    loaded), and None; or none and why they cannot be read."""
    try:
        with session() as opened:
            found = store.comments.listing(opened, file, scenario=name)
    except store.StoreUnavailableError as err:
        return (), str(err)
    return tuple(c for c in found if c.point is None), None


def export_comments(file: str, scenario: str | None) -> tuple[Comment, ...]:
    """The open comments a download lists (as ``market export`` does); none when the
    store is unavailable (the page's comment panels say why)."""
    try:
        with session() as opened:
            return store.comments.for_export(opened, file, scenario)
    except store.StoreUnavailableError:
        return ()
