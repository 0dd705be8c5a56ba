"""The reference app's line drawn through the dashboard's chart element instead of
``st.plotly_chart``: how fast a bare Streamlit page can follow a slider when its chart is
redrawn in place (``Plotly.react``) rather than mounted again.

Beside it, ``overview_chart.py`` draws the Overview's own chart; the benchmark's
``floor`` section sets both against the reference app and the Overview. Streamlit serves
``static/`` next to the main script, so this folder links the project's.
"""

import plotly.graph_objects as go
import streamlit as st

from dashboard import chart_element

BASE_YEAR = 2024
BASE_VALUE = 457.6  # USD million, the default market's 2024 value
YEARS = list(range(2023, 2032))

cagr = st.sidebar.slider(
    "CAGR (%)", 0.0, 51.0, 20.12, 0.1, format="%.2f", key="widget.growth.cagr_pct"
)
values = [BASE_VALUE * (1 + cagr / 100) ** (year - BASE_YEAR) for year in YEARS]
chart_element.show(go.Figure(go.Scatter(x=YEARS, y=values, mode="lines")), key="trajectory")
