"""Scenarios: keep the current assumptions under a name, load them again, compare several."""

import streamlit as st

from dashboard import layout, scenario_panel, sidebar
from market.paths import scenarios_dir
from market.scenarios import ScenarioStore

view = layout.page("Scenarios")
store = ScenarioStore(scenarios_dir())
listing = store.list()
files = sidebar.usable_files().valid

st.title("Scenarios")
st.caption(
    "A scenario is a named set of changes to an assumptions file, saved on the server for "
    "everyone using this dashboard."
)
save, saved = st.columns([2, 3])
with save:
    st.subheader("Save the current assumptions")
    scenario_panel.save_form(view, store)
with saved:
    st.subheader("Saved scenarios")
    scenario_panel.saved_list(listing, files, store)

st.subheader("Compare")
scenario_panel.compare(view, listing, files)
