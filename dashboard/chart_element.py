"""The dashboard's chart element: a Plotly figure that redraws in place when its data changes.

``st.plotly_chart`` (Streamlit 1.67) hashes the whole figure into its element id, so a
chart with new data is unmounted and drawn again from nothing. This element is a keyed
Components v2 component (``st.components.v2.component``): its key alone is its identity,
so new data reaches the same chart in the browser, and ``chart_element.js`` updates it
with ``Plotly.react``. It keeps what users had: the theme's colours and fonts, the full
width of its column (redrawn on resize), hover, legend toggling, the modebar with its PNG
download, and the chart title as its accessible name.

plotly.js is loaded once per page from ``static/plotly.min.js`` (Streamlit serves the
folder at ``app/static/``): no CDN, so it works offline and behind a base URL path. That
file is Plotly's own bundle from the Python package, kept identical to it by a test.

Page tests read what a chart shows with :func:`figures`.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.components.v2.types import ComponentRenderer
from streamlit.delta_generator import DeltaGenerator

__all__ = [
    "COMPONENT",
    "PLOTLY_JS",
    "figures",
    "inline_component",
    "inline_css",
    "inline_script",
    "preload",
    "show",
]

COMPONENT = "market_chart"
PLOTLY_JS = Path(__file__).resolve().parent.parent / "static" / "plotly.min.js"
"""The served copy of plotly.js (``app/static/plotly.min.js`` in the browser)."""


def inline_script(path: Path) -> str:
    """A component's JavaScript file without its comment lines and indentation.

    Streamlit sends a component's inline script with every update of every element, so
    what travels is kept small; the file itself stays commented.
    """
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def inline_css(path: Path) -> str:
    """A component's CSS without comments and spacing (it travels with every update)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};:,])\s*", r"\1", text).strip()


def inline_component(name: str, module: str) -> ComponentRenderer:
    """The Components v2 element ``name`` whose script sits beside ``module`` (a module's
    ``__file__``) as ``.js``, with its stylesheet as ``.css`` where there is one, both sent
    inline. Its styles are not isolated, so the theme's variables and fonts reach it."""
    script, css = Path(module).with_suffix(".js"), Path(module).with_suffix(".css")
    return st.components.v2.component(
        name,
        js=inline_script(script),
        css=inline_css(css) if css.is_file() else None,
        isolate_styles=False,
    )


_mount = inline_component(COMPONENT, __file__)


def show(
    figure: go.Figure,
    *,
    key: str,
    config: Mapping[str, Any] | None = None,
    where: DeltaGenerator | None = None,
    clicks: bool = False,
) -> dict[str, Any] | None:
    """Draw ``figure`` in ``where`` (a column; the current container by default); the
    same ``key`` keeps the same chart, redrawn in place.

    ``config`` is Plotly's configuration (for example ``charts.MAP_CONFIG``). With
    ``clicks``, a click on a point of the first trace reruns the script (the fragment the
    chart is in), and the run it triggers gets the point's ``{"x": ..., "y": ...}`` back;
    every other run gets None.
    """
    spec = _spec(figure)
    data = {"figure": spec, "config": dict(config or {}), "clicks": clicks}
    with where if where is not None else contextlib.nullcontext():
        if not clicks:
            _mount(key=key, data=data)
            return None
        clicked = _mount(key=key, data=data, on_clicked_change=_read_in_the_run).get("clicked")
    return clicked if isinstance(clicked, dict) else None


def _spec(figure: go.Figure) -> dict[str, Any]:
    """The figure as the browser draws it: its data and layout as plain JSON values.

    Read from the figure's own dicts (``_data``, ``_layout``). ``to_plotly_json`` copies
    the whole figure and packs each array in base64 (``to_dict``): 2-3 ms a chart on every
    slider move, for the same figure once decoded (``tests/dashboard/test_chart_element.py``
    holds Plotly to that). The template is left out: nine tenths of a small figure, and the
    browser applies the theme instead.
    """
    layout = {k: v for k, v in figure._layout.items() if k != "template"}
    spec: dict[str, Any] = json.loads(
        pio.json.to_json_plotly({"data": figure._data, "layout": layout})
    )
    return spec


def _read_in_the_run() -> None:
    """A trigger needs a callback to be reported; the run it starts reads the value."""


def preload() -> None:
    """Start loading plotly.js in the browser now, before any chart's data arrives.

    Placed early in every page (the sidebar's end), it overlaps the 4.8 MB download and
    compile with the rest of the page's first run; it draws nothing.
    """
    _mount(key="plotly-preload", data={"preload": True})


def figures(elements: Any) -> list[dict[str, Any]]:
    """The figures (Plotly JSON: ``data``, ``layout``) of the chart elements among
    ``elements``, such as an ``AppTest``'s ``at.get("bidi_component")``, in page order."""
    sent = [json.loads(e.proto.json) for e in elements if e.proto.component_name == COMPONENT]
    return [data["figure"] for data in sent if "figure" in data]
