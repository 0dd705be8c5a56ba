"""The Overview's chart alone on a bare page: the default market's forecast at the
slider's CAGR, built by the dashboard's own model and chart builder and drawn through its
chart element, with nothing else on the page (no sidebar panels, cards, text, menus or
share link). What the Overview costs beyond this is what its other parts cost.

With ``FLOOR_LINK=1`` the page also mirrors the CAGR in its address, as the dashboard's
share link does on every move (``dashboard.state.publish_link``).
"""

import os

import streamlit as st

from dashboard import cache, chart_element
from market.model import by_year
from market.paths import assumptions_dir, default_assumptions
from report import charts

base = cache.catalog(assumptions_dir()).valid[default_assumptions().name]
cagr = st.sidebar.slider(
    "CAGR (%)", 0.0, 51.0, 20.12, 0.1, format="%.2f", key="widget.growth.cagr_pct"
)
current = cache.assumptions(base, (("growth.cagr_pct", cagr),))
report = cache.forecast(base)
chart_element.show(
    charts.trajectory(
        cache.forecast(current),
        reported=current.reported_by_year,
        reference=by_year(report.totals["value"]),
    ),
    key="trajectory",
)
if os.environ.get("FLOOR_LINK") == "1":
    st.query_params["o.growth.cagr_pct"] = f"{cagr:g}"
