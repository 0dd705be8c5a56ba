"""Scenarios: keep the current assumptions under a name, see every version, compare several."""

import streamlit as st

from dashboard import history_panel, layout, scenario_panel, sidebar, workspace

view = layout.page("Scenarios")
listing, unavailable = workspace.listing()
files = sidebar.usable_files().valid

st.title("Scenarios")
st.caption(
    "A scenario is a named set of changes to an assumptions file, saved on the server for "
    "everyone using this dashboard. Every save is kept as a version, with who saved it."
)
save, saved = st.columns([2, 3])
with save:
    st.subheader("Save the current assumptions")
    scenario_panel.save_form(view, unavailable)
with saved:
    st.subheader("Saved scenarios")
    scenario_panel.saved_list(listing, unavailable, files)

if listing.scenarios:
    st.subheader("History")
    history_panel.history(view, listing, files)

st.subheader("Compare")
scenario_panel.compare(view, listing, files)
