"""Sources & method: where every number comes from, and how the model uses it."""

import streamlit as st

from dashboard import components, layout
from market.summary import assumption_table, reported_table
from report.format import pct, plain

view = layout.page("Sources & method")
a, base = view.current, view.base
source = a.market.source

st.title("Sources & method")
st.markdown(f"**Source:** {plain(source.citation)}.")
if source.note:
    st.caption(plain(source.note))

st.subheader("Reported figures")
components.dataframe(
    reported_table(a),
    column_config={
        "year": st.column_config.NumberColumn("Year", format="%d"),
        "value": st.column_config.NumberColumn(f"Value ({a.market.unit})", format="%,.1f"),
        "citation": "Citation",
    },
    hide_index=True,
)
if a.reported_cagr_pct:
    st.markdown(
        f"Reported CAGR {a.years.base}-{a.years.horizon}: **{pct(a.reported_cagr_pct.value, 2)}** "
        f"({plain(a.reported_cagr_pct.basis)})."
    )

st.subheader("Every assumption")
st.caption(
    "**reported** values cite the source; **assumed** values carry the rationale for the "
    "number. *Changed* marks what you have moved in the sidebar: a changed value is your own."
)
assumptions = assumption_table(base, a)
# wide enough for the longest name; the long citations come last, so "Changed" stays in view
name_width = 16 + round(6.4 * int(assumptions["assumption"].str.len().max()))
components.dataframe(
    assumptions,
    column_config={
        "assumption": st.column_config.TextColumn("Assumption", width=name_width),
        "file_shown": st.column_config.TextColumn("File value", width=80),
        "current_shown": st.column_config.TextColumn("Your value", width=80),
        "changed": st.column_config.CheckboxColumn("Changed", width=70),
        "provenance": st.column_config.TextColumn("Provenance", width=90),
        "unit": st.column_config.TextColumn("Unit", width=90),
        "dimension": st.column_config.TextColumn("Dimension", width=110),
        "basis": st.column_config.TextColumn("Citation or rationale", width="large"),
    },
    column_order=[
        "assumption",
        "file_shown",
        "current_shown",
        "changed",
        "provenance",
        "unit",
        "dimension",
        "basis",
    ],
    hide_index=True,
    height=560,
)

st.subheader("What moves this market")
st.caption("Summarised in this project's own words from the source.")
for title, items in (
    ("Drivers", a.factors.drivers),
    ("Challenges", a.factors.challenges),
    ("Benefits", a.factors.benefits),
    ("Outlook", a.factors.outlook),
):
    if items:
        st.markdown(f"**{title}**\n" + "\n".join(f"- {plain(item)}" for item in items))

st.subheader("Method")
st.markdown(
    f"""
- **Trajectory.** Years before {a.years.base} show the reported values. From {a.years.base} the
  market grows from its base-year value at the CAGR:
  value = base × (1 + CAGR)^(year − {a.years.base}).
- **Mix shift.** Each segment grows at the CAGR plus its own differential; every year the
  segments are rescaled so that they add up to the total, so faster segments gain share
  without changing the total. Sub-segments are rescaled to add up to their parent.
- **Normalisation.** Shares are weights: each dimension's weights are divided by their sum,
  so they always add up to 100 %. A negative, missing or all-zero set of weights is refused.
- **Uncertainty.** The source states no uncertainty; the spread used by the risk analysis
  is an assumption listed above.
"""
)
