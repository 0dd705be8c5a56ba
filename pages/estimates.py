"""Estimates: every published estimate side by side, the spread between them, the model."""

import streamlit as st

from dashboard import cache, chart_element, components, layout, state
from market import estimates as est
from report import charts
from report.format import money, plain

view = layout.page("Estimates")
a, base = view.current, view.base
unit = a.market.unit
f = cache.forecast(a)
sources = est.estimates_of(a)
labels = {e.id: e.label for e in sources}


def in_unit(value: float) -> str:
    return money(value, unit)


st.title(f"{plain(a.market.name)}: published estimates")
st.markdown(plain(est.statement(a, base, in_unit)))
message = state.clear_notice("estimates")
if message:
    st.success(plain(message), icon=":material/tune:")
for warning in est.warnings(a):
    st.warning(plain(warning), icon=":material/warning:")

chart_element.show(
    charts.estimate_paths(est.paths(a), est.spread(a), f.totals["value"], labels, unit),
    key="estimates",
)

st.subheader("Calibrate the model")
st.caption(
    "Sets the base value and the CAGR so the model passes through the chosen estimate's first "
    f"figure from {a.years.base} on and its last one. Years and horizon stay; a figure past "
    f"{a.years.horizon} is reproduced on the path but not shown. Reset and links work as for "
    "any slider."
)
following = est.followed(a, base).target
targets = est.targets(base)
if not targets:
    st.info("No estimate here has two figures from the base year on to calibrate to.")
# two a row, so long source names are not cut; row by row, so a phone keeps the order
columns = [column for _ in targets[::2] for column in st.columns(2)]
for column, target in zip(columns, targets, strict=False):
    cal = est.calibration(base, target)
    column.button(
        plain(labels.get(target, "Median of the estimates")),
        icon=":material/check:" if target == following else ":material/tune:",
        disabled=target == following,
        help="The numbers follow this now." if target == following else plain(cal.note(in_unit)),
        on_click=state.apply_overrides_together,
        args=(base, cal.overrides, cal.note(in_unit), "estimates"),
        width="stretch",
    )

st.subheader("Year by year")
st.caption(
    f"{unit}. {components.STATED_MARK} marks a source's own figure; values between them are "
    "derived at the rate they imply. The median (derived, no source's figure) and the spread "
    "cover years two or more estimates reach."
)
comparison = est.comparison(a, f.totals["value"])
components.dataframe(
    components.estimates_table(comparison),
    column_config={
        "Year": st.column_config.NumberColumn(format="%d"),
        **{
            name: st.column_config.NumberColumn(name, format="%,.1f", help=unit)
            for name in ("Model",)
        },
        "Median": st.column_config.NumberColumn(
            "Median", format="%,.1f", help=f"{unit}; derived from the estimates, stated by none."
        ),
        "Spread": st.column_config.NumberColumn(
            format="%.1f%%", help="From the lowest to the highest estimate, as % of the median."
        ),
    },
    width="stretch",
)

st.subheader("The sources")
components.dataframe(
    est.sources_table(a),
    column_order=[
        "source",
        "stated_cagr_pct",
        "period",
        "period_basis",
        "implied_cagr_pct",
        "fits",
        "title",
        "reference",
    ],
    column_config={
        "source": "Source",
        "stated_cagr_pct": st.column_config.NumberColumn("Stated CAGR (%)", format="%.2f"),
        "implied_cagr_pct": st.column_config.NumberColumn(
            "Its figures imply (%)", format="%.2f", help="Derived from the source's own figures."
        ),
        "period": "Period",
        "period_basis": "Period is",
        "fits": "CAGR fits its figures",
        "title": "Title",
        "reference": "Reference",
    },
    hide_index=True,
    width="stretch",
)
components.dataframe(
    est.figures_table(a),
    column_config={
        "source": "Source",
        "year": st.column_config.NumberColumn("Year", format="%d"),
        "value": st.column_config.NumberColumn(f"Stated value ({unit})", format="%,.2f"),
        "citation": "Citation",
    },
    hide_index=True,
    width="stretch",
)
