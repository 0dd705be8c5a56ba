"""Prose that follows the assumptions, as one element that rewrites its text in place.

A slider move reruns the Overview's parts; each ``st.markdown`` and ``st.caption`` among
them was sent again and drawn again by Streamlit's Markdown renderer, which parses the
text, styles it and measures it: about 14 ms of the browser's work a move for the
Overview's four passages, more than the chart it waits behind (issue 24's benchmark).
This is one keyed Components v2 element (like :mod:`dashboard.headline_element`): the new
words reach the same passages, and ``text_element.js`` sets them as text. Nothing is
read as Markdown or HTML, so what a file or a viewer wrote needs no escaping here.

A passage is a paragraph, a caption (smaller and fainter, for what a figure rests on), or
a paragraph that introduces a bulleted list. Page tests read them with :func:`passages`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from dashboard.chart_element import inline_component

__all__ = ["COMPONENT", "Passage", "passages", "show"]

COMPONENT = "market_text"

_mount = inline_component(COMPONENT, __file__)


@dataclass(frozen=True)
class Passage:
    """One passage: its ``text``, how it reads (``kind``), and the ``items`` of the bulleted
    list it introduces, if any."""

    text: str
    kind: Literal["paragraph", "caption"] = "paragraph"
    items: tuple[str, ...] = ()


def show(shown: Sequence[Passage], *, key: str) -> None:
    """The passages ``shown``, in order, as one element keyed ``key``."""
    _mount(key=key, data={"passages": [asdict(passage) for passage in shown]})


def passages(elements: Any) -> list[Passage]:
    """The passages the text elements among ``elements`` (such as an ``AppTest``'s
    ``at.get("bidi_component")``) show, in page order."""
    sent = [json.loads(e.proto.json) for e in elements if e.proto.component_name == COMPONENT]
    return [
        Passage(p["text"], p["kind"], tuple(p["items"]))
        for data in sent
        for p in data.get("passages", [])
    ]
