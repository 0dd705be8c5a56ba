"""The floor: what Streamlit itself costs for one sidebar slider and one 9-point Plotly line.

The benchmark (issue 6) sets every dashboard page against this app. It holds nothing
else: no model, no state module, no shared layout, so its rerun time and its
slider-to-chart time are Streamlit's own. The slider has the dashboard's CAGR key, label
and range, so one driver moves both; the line is the default market's base value grown
at that CAGR over the Overview's nine years.

Run alone with ``streamlit run benchmarks/reference_app.py``.
"""

import plotly.graph_objects as go
import streamlit as st

BASE_YEAR = 2024
BASE_VALUE = 457.6  # USD million, the default market's 2024 value
YEARS = list(range(2023, 2032))  # nine points, as on the Overview

cagr = st.sidebar.slider(
    "CAGR (%)", 0.0, 51.0, 20.12, 0.1, format="%.2f", key="widget.growth.cagr_pct"
)
values = [BASE_VALUE * (1 + cagr / 100) ** (year - BASE_YEAR) for year in YEARS]
st.plotly_chart(go.Figure(go.Scatter(x=YEARS, y=values, mode="lines")), key="trajectory")
