"""The chart element on the server side: plotly.js served as Plotly ships it, a stable
identity for a keyed chart whose data changes, and figures page tests can read."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs
from streamlit.testing.v1 import AppTest

from dashboard import chart_element
from market import forecast
from market.model import by_year
from report import charts
from report.colors import segment_colors

_APP = """
import plotly.graph_objects as go
import streamlit as st
from dashboard import chart_element

n = st.slider("n", 1, 10, 3)
figure = go.Figure(go.Bar(x=list(range(n)), y=[1] * n), layout={"title": {"text": "Bars"}})
chart_element.show(figure, key="bars")
"""


def test_the_served_plotly_js_is_the_bundle_of_the_installed_plotly() -> None:
    # The figures come from the Python package; the browser draws them with this copy.
    # After a Plotly upgrade: cp "$(python -c 'import plotly, pathlib;
    # print(pathlib.Path(plotly.__file__).parent)')/package_data/plotly.min.js" static/
    assert chart_element.PLOTLY_JS.read_text(encoding="utf-8") == get_plotlyjs()


def test_a_keyed_chart_keeps_its_identity_when_its_data_changes() -> None:
    at = AppTest.from_string(_APP).run()
    (before,) = at.get("bidi_component")
    at.slider[0].set_value(7).run()
    (after,) = at.get("bidi_component")

    assert after.proto.id == before.proto.id
    (figure,) = chart_element.figures([after])
    assert figure["data"][0]["x"] == list(range(7))
    assert figure["layout"]["title"]["text"] == "Bars"
    assert "template" not in figure["layout"]  # the browser applies the theme


def _decoded(value: Any) -> Any:
    """Plotly's JSON with its base64-packed arrays (``{"dtype", "bdata"}``) as lists."""
    if isinstance(value, dict):
        if {"dtype", "bdata"} <= value.keys():
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array.tolist()
        return {key: _decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return value


def test_a_chart_is_sent_as_plotlys_own_json_of_the_figure(default_assumptions: Any) -> None:
    """The element reads the figure's dicts rather than Plotly's copying ``to_plotly_json``:
    what it sends must stay what that gives, arrays decoded, for our builders' figures and
    for one built and updated through Plotly's validating API."""
    f = forecast(default_assumptions)
    region = next(d for d in default_assumptions.dimensions if d.id == "region")
    palette = segment_colors(default_assumptions)
    validated = go.Figure(go.Bar(x=np.arange(4), y=np.array([1.5, 2.0, 0.5, 3.0])))
    validated.update_layout(title={"text": "Bars"}, yaxis={"range": [0, 4]})
    validated.add_scatter(x=[0, 3], y=[1, 1], name="line")
    for figure in (
        charts.trajectory(f, reported=f.reported_by_year, reference=by_year(f.totals["value"])),
        charts.growth_rates(f),
        charts.stacked_area(f, region.id, region.name, palette[region.id]),
        charts.region_map(f, region.id, default_assumptions.years.horizon, palette[region.id]),
        validated,
    ):
        plotly_json = json.loads(pio.json.to_json_plotly(figure.to_plotly_json()))
        plotly_json["layout"].pop("template", None)
        assert chart_element._spec(figure) == _decoded(plotly_json)
