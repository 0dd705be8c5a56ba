"""Helpers for page tests: private folders, and what the chart elements and headline cards
show, read from AppTest."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import chart_element, headline_element, text_element
from dashboard.state import panel_key, widget_key
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from store.database import not_the_store
from tests.store.conftest import postgres  # noqa: F401 (the real server, for pages on it)

PROJECT = Path(__file__).resolve().parents[2]


def charts(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figures (``data``, ``layout``) the page's chart elements draw, in order."""
    return chart_element.figures(at.get("bidi_component"))


def headline_cards(at: AppTest) -> list[dict[str, str]]:
    """What the Overview's headline cards say: each card's ``label``, ``value``, ``delta``
    (its origin, or its change against the report) and ``description``, in order."""
    return headline_element.cards(at.get("bidi_component"))


def passages(at: AppTest) -> list[str]:
    """The prose the page's text elements show, in order: each passage's text, then the
    items of the list it introduces."""
    return [
        line
        for passage in text_element.passages(at.get("bidi_component"))
        for line in (passage.text, *passage.items)
    ]


def open_shares(at: AppTest, dimension_id: str) -> AppTest:
    """Open the sidebar's "Segment shares" panel and pick ``dimension_id`` there, as a user
    would: its share sliders are drawn from then on."""
    at.session_state[panel_key("shares")] = True
    at.run()
    at.selectbox(key=widget_key("share-dimension", at.session_state)).set_value(dimension_id)
    return at.run()


def metric(at: AppTest, label: str) -> str:
    """The value shown under ``label``: a headline card's, or an ``st.metric``'s."""
    for card in headline_cards(at):
        if card["label"] == label:
            return card["value"]
    for m in at.metric:
        if m.label == label:
            return m.value
    shown = [c["label"] for c in headline_cards(at)] + [m.label for m in at.metric]
    raise AssertionError(f"no card or metric {label!r}; have {shown}")


def values(trace: dict[str, Any], axis: str = "y") -> list[float]:
    """A trace's values along ``axis``; Plotly 7 sends arrays as base64 ``bdata``."""
    raw = trace.get(axis, [])
    if isinstance(raw, dict) and "bdata" in raw:
        return np.frombuffer(base64.b64decode(raw["bdata"]), dtype=raw["dtype"]).tolist()
    return list(raw)


def whole_page(at: AppTest) -> AppTest:
    """The page as the browser shows it after a slider move.

    A move reruns only the parts that follow the assumptions; the browser keeps the rest
    of the page and the sidebar, but AppTest's tree holds only what the last run sent.
    A plain rerun sends everything again and changes nothing.
    """
    return at.run()


def caption_under(at: AppTest, key: str) -> str:
    """The caption drawn right under the input with ``key``, in the same column."""
    blocks = [at.main, at.sidebar, *at.columns]
    for block in blocks:
        kids = list(block.children.values())
        for i, kid in enumerate(kids):
            if getattr(kid, "key", None) == key:
                after = kids[i + 1] if i + 1 < len(kids) else None
                assert after is not None and after.type == "caption", f"no caption under {key}"
                return str(after.value)
    raise AssertionError(f"no input with key {key!r}")


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_path: Path) -> Path:
    """Private assumptions and scenarios folders, seeded like a fresh install."""
    assumptions = tmp_path / "assumptions"
    assumptions.mkdir()
    shutil.copy(default_path, assumptions)
    shutil.copytree(
        PROJECT / "assumptions" / "scenarios", tmp_path / "scenarios", ignore=not_the_store
    )
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(assumptions))
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    return tmp_path
