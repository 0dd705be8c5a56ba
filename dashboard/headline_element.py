"""The Overview's headline cards as one element that redraws in place.

Four ``st.metric`` cards in their containers were seven elements, all sent again and
drawn again from nothing on every slider move. This is one keyed Components v2 element
(like :mod:`dashboard.chart_element`): new numbers reach the same cards in the browser,
and ``headline_element.js`` rewrites their text. Each card keeps what the metrics said:
its label, its value, and whether the source reports it or the model made it
(``reported``, ``modelled · matches Kings Research``, or the change against the figure
of the estimate the numbers follow),
with the same help text, as plain text (never HTML).

Page tests read what the cards say with :func:`cards`.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from dashboard.chart_element import inline_component
from market.summary import Headline
from report.format import HeadlineText, headline_text

__all__ = ["COMPONENT", "cards", "show"]

COMPONENT = "market_headlines"


_mount = inline_component(COMPONENT, __file__)

Tone = Literal["up", "down", "reported", "modelled"]


def show(figures: tuple[Headline, ...], unit: str, *, key: str = "headline-cards") -> None:
    """One card per headline, each saying whether the source reports it or the model made it.

    The cards sit in a wrapping row, in pairs: four across on a wide screen, two by two on
    a narrower one, one a row on a phone. A card is never narrower than its number, so
    "USD 1,651.2M" is never cut short.
    """
    _mount(key=key, data={"cards": [_card(figure, unit) for figure in figures]})


def _card(figure: Headline, unit: str) -> dict[str, str]:
    text = headline_text(figure, unit)
    tone: Tone
    if text.change:
        delta, description = text.change, f"{text.origin} · {text.note}"
        tone = "down" if (figure.change or 0.0) < 0 else "up"
    else:
        delta, description = text.origin, text.note
        tone = "reported" if text.origin == "reported" else "modelled"
    return {
        "label": figure.label,
        "value": text.value,
        "delta": delta,
        "description": description,
        "tone": tone,
        "help": _help(figure, text),
    }


def _help(figure: Headline, text: HeadlineText) -> str:
    if not figure.modelled:
        return f"Reported: {figure.source} states this figure."
    return (
        f"Modelled from the assumptions in the sidebar, shown at the source's precision; "
        f"{text.note}."
    )


def cards(elements: Any) -> list[dict[str, str]]:
    """What the headline cards among ``elements`` (such as an ``AppTest``'s
    ``at.get("bidi_component")``) say: each card's ``label``, ``value``, ``delta`` (its
    origin, or the change against the report) and ``description``, in page order."""
    sent = [json.loads(e.proto.json) for e in elements if e.proto.component_name == COMPONENT]
    return [card for data in sent for card in data.get("cards", [])]
