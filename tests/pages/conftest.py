"""Helpers for page tests: what the dashboard's chart elements and headline cards show,
read from AppTest."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest

from dashboard import chart_element, headline_element


def charts(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figures (``data``, ``layout``) the page's chart elements draw, in order."""
    return chart_element.figures(at.get("bidi_component"))


def headline_cards(at: AppTest) -> list[dict[str, str]]:
    """What the Overview's headline cards say: each card's ``label``, ``value``, ``delta``
    (its origin, or its change against the report) and ``description``, in order."""
    return headline_element.cards(at.get("bidi_component"))


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
