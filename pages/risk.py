"""Risk: how uncertain the forecast is, what moves it most, what a target would take."""

import streamlit as st

from dashboard import cache, chart_element, components, grid_panel, layout, sidebar, state
from market import goal_seek, parameter_index
from market.model import by_year, goal_seek_defaults
from market.parameter_table import CAGR_PATH
from market.risk import MEMORY_CEILING, PATH_CHOICES, path_choices
from market.summary import chance_of_target, outcome_range, sensitivity_targets, shape_phrase
from market.view_controls import PATHS, TORNADO_TARGET
from report import charts, findings
from report.format import money, pct, plain

view = layout.page("Risk")
st.title("Risk")
components.assumed_note("The CAGR uncertainty and the variation of the segment mix")


st.subheader("Range of outcomes")
left, _ = st.columns(2)
with left:
    sidebar.page_sliders(view.base, "risk", page_changed=view.page_changed)


@layout.follows_assumptions
def goal(view: layout.View) -> None:
    """What the assumptions decide: a slider move reruns it with the other parts."""
    a = view.current
    f = cache.forecast(a)
    unit = a.market.unit
    horizon = a.years.horizon
    years = list(range(a.years.base + 1, horizon + 1))
    default_value, default_year = goal_seek_defaults(a, f)
    left, right = st.columns(2)
    with left:
        state.widget_value("risk.goal-value", default_value, reseed=False)
        target_value = st.number_input(
            f"Target market size ({unit})",
            min_value=0.01,
            step=10.0,
            format="%.1f",
            key=state.widget_key("risk.goal-value"),
        )
        st.caption(money(target_value, unit))  # the box cannot show thousands separators
    with right:
        key, remember = state.remembered(
            "risk.goal-year", default_year, years, reseed=view.page_changed
        )
        year = st.selectbox("By the year", options=years, key=key, on_change=remember)
    try:
        needed = goal_seek(a, target_value, year)
    except ValueError as why:
        st.info(f"{plain(str(why)).capitalize()}.", icon=":material/block:")
        return
    st.markdown(
        f"Reaching **{money(target_value, unit)}** in **{year}** needs a CAGR of "
        f"**{pct(needed, 2)}** from {a.years.base} (now {pct(a.growth.cagr_pct.value, 2)}), "
        f"{shape_phrase(a, lambda value: money(value, unit))}."
    )
    cagr = parameter_index(view.base)[CAGR_PATH]
    if cagr.holds(round(needed, 4)):
        st.button(
            "Apply this CAGR to the sidebar",
            icon=":material/call_made:",
            on_click=state.apply_override,
            args=(view.base, CAGR_PATH, round(needed, 4)),
        )
    else:
        st.info(
            f"{pct(needed, 2)} cannot be applied: the CAGR slider goes from {pct(cagr.low, 2)} "
            f"to {pct(cagr.high, 2)}. Choose a target or a year that needs a CAGR in that range.",
            icon=":material/block:",
        )


@layout.follows_assumptions
def outcomes(view: layout.View) -> None:
    """The simulation and its chart; the number of paths reruns only this."""
    a = view.current
    f = cache.forecast(a)
    report = cache.forecast(view.base)
    choices = path_choices(a)
    key, remember = state.remembered_view(PATHS, a, choices, reseed=view.page_changed)
    left, _ = st.columns(2)
    if len(choices) > 1:
        paths = left.select_slider(
            "Simulated paths",
            options=choices,
            key=key,
            on_change=remember,
            format_func="{:,}".format,
            help="More paths give smoother bands and take longer.",
        )
    else:
        paths = choices[0]
    sim = cache.simulate(a, paths)
    if choices[-1] < PATH_CHOICES[-1]:
        st.caption(
            f"{paths:,} simulated paths; at most {choices[-1]:,} are offered for this file, "
            f"as more would take over {MEMORY_CEILING // 2**20} MB or keep the server busy."
        )
    chart_element.show(
        charts.fan(sim, f, reported=f.reported_by_year, reference=by_year(report.totals["value"])),
        key="risk-fan",
    )
    unit = a.market.unit
    band = outcome_range(sim, a.years.base)
    components.outcome_cards(band, unit)
    st.markdown(chance_of_target(sim, a.years.horizon, lambda value: money(value, unit)))
    components.table(lambda: components.range_table(band, unit), unit, name="risk-range")


@layout.follows_assumptions
def tornado(view: layout.View) -> None:
    """What moves the forecast most; choosing what to explain reruns only this."""
    a = view.current
    unit, horizon = a.market.unit, a.years.horizon
    targets = sensitivity_targets(a)
    target = components.remembered_selectbox(
        "Value to explain", TORNADO_TARGET, a, targets, reseed=view.page_changed
    )
    chart_element.show(
        charts.tornado(cache.sensitivity(a, target), unit, f"{targets[target]} in {horizon}"),
        key="risk-tornado",
    )
    st.caption(findings.sensitivity_moves())


@layout.follows_assumptions
def grid(view: layout.View) -> None:
    """Any two assumptions against one outcome; its controls rerun only this."""
    grid_panel.show(view)


# Each part that follows the assumptions is its own fragment, so a slider move sends again
# only them, not the headings and the page's own sliders between them.
outcomes(view)
one, two = st.columns(2, gap="large")
with one:
    st.subheader("What moves the forecast most")
    tornado(view)
with two:
    st.subheader("Two assumptions at once")
    grid(view)
st.subheader("Goal seek")
goal(view)
