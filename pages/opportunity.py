"""Opportunity: what is in the market for us, from the served market to a revenue plan."""

import streamlit as st

from dashboard import cache, chart_element, components, layout
from dashboard import opportunity_panel as panel
from market.model import as_float
from market.opportunity import ASSUMPTION_NOTE, INDEPENDENCE_NOTE, Opportunity, OpportunityError
from market.risk import DEFAULT_PATHS, affordable_paths
from report import charts
from report.format import money

view = layout.page("Opportunity")
a = view.current
unit, base, horizon = a.market.unit, a.years.base, a.years.horizon
before = panel.current(view)

st.title("Our opportunity")
st.caption(f":material/info: {ASSUMPTION_NOTE}")

st.subheader("What we serve")
served = panel.served(view, before)
base_sam = as_float(cache.opportunity_plan(a, Opportunity(served=served)).at[0, "sam"])
st.subheader("The share we capture")
path = panel.share_path(view, before, base_sam)
try:
    kept = before.model_dump(include={"revenue_target", "revenue_target_year"})
    choices = Opportunity(served=served, **path, **kept)
    plan = cache.opportunity_plan(a, choices)
except (OpportunityError, ValueError) as err:
    st.error(f"These choices cannot make a plan: {err}", icon=":material/error:")
    st.stop()

paths = min(DEFAULT_PATHS, affordable_paths(a))
risk = cache.opportunity_risk(a, choices, paths)
panel.cards(a, choices, plan, risk)
chart_element.show(charts.served_market(plan, unit), key="opportunity-sam")
st.caption(f":material/info: {INDEPENDENCE_NOTE}")

st.subheader("Revenue target")
choices, target, year = panel.goal(a, choices, plan)
panel.record(before, choices)
st.markdown(
    f"In **{risk.chance(target, year):.0%}** of {paths:,} simulated paths our revenue reaches "
    f"**{money(target, unit)}** by {year}."
)
panel.goal_seek(view, choices, target, year)
chart_element.show(
    charts.revenue_fan(
        risk.revenue, plan, unit, (target, year), suggested=choices.revenue_target is None
    ),
    key="opportunity-fan",
)
components.table(lambda: plan.set_index("year"), unit, name="opportunity")
panel.plan_download(a, plan)
components.downloads(a, view.base)
