"""The chart element on the server side: plotly.js served as Plotly ships it, a stable
identity for a keyed chart whose data changes, and figures page tests can read."""

from __future__ import annotations

from plotly.offline import get_plotlyjs
from streamlit.testing.v1 import AppTest

from dashboard import chart_element

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
