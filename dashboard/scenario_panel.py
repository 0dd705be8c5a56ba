"""The Scenarios page's controls: save, load, delete (each destructive step confirmed) and compare.

Scenario files live in :func:`market.paths.scenarios_dir` and are read and written only
through :class:`market.scenarios.ScenarioStore`, which checks names and writes atomically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from dashboard import cache, chart_element, components, state
from dashboard.comparison import (
    BASE_KEY,
    CURRENT,
    CURRENT_KEY,
    default_compared,
    label,
    resolve_chosen,
    resolved,
)
from dashboard.layout import View
from market import Assumptions, Forecast, OverrideError, apply_actuals, apply_overrides
from market.opportunity import Opportunity, OpportunityError, fitted
from market.paths import default_assumptions
from market.risk import TOTAL
from market.scenarios import (
    Scenario,
    ScenarioChangedError,
    ScenarioError,
    ScenarioExistsError,
    ScenarioListing,
    ScenarioStore,
    fitting,
    from_assumptions,
)
from market.summary import scenario_table
from market.view_controls import (
    BRIDGE_FROM,
    BRIDGE_SEGMENT,
    BRIDGE_TARGET,
    BRIDGE_TO,
    COMPARED,
    MIX_DIMENSION,
    YEAR,
)
from report import charts, colors
from report.format import plain

__all__ = ["CURRENT", "compare", "resolved", "save_form", "saved_list"]

_NAME = "scenario.name"
_RATIONALE = "scenario.rationale"
_PLACE = "scenarios"
_LOADED = "scenarios.loaded"


def save_form(view: View, store: ScenarioStore) -> None:
    """Name the current assumptions and keep them; an existing name needs a confirmation.

    Saving runs in the button's callback, before the page script, so the list of saved
    scenarios drawn in the same run already holds the new one.
    """
    file = state.selected_file(default_assumptions().name)
    message = state.clear_notice(_PLACE)
    if message:
        st.error(message, icon=":material/error:")
    with st.form("save-scenario", border=True):
        st.text_input(
            "Scenario name",
            max_chars=60,
            key=state.widget_key(_NAME),
            help="Letters, digits, spaces, '-' and '_'; at most 60 characters.",
        )
        st.text_area("Rationale", key=state.widget_key(_RATIONALE), max_chars=2_000)
        st.form_submit_button(
            "Save scenario",
            icon=":material/save:",
            on_click=_save,
            args=(view, store, file),
            kwargs={"overwrite": False},
        )
    pending = state.asked("overwrite")
    if pending:
        st.warning(f"A scenario named “{pending}” exists already. Replace it?")
        yes, no = st.columns(2)
        yes.button("Replace it", type="primary", on_click=_confirm_overwrite, args=(view, store))
        no.button("Keep the old one", on_click=state.answer, args=("overwrite",))


def _save(
    view: View, store: ScenarioStore, file: str, *, overwrite: bool, replaces: str | None = None
) -> None:
    name = state.widget_input(_NAME, "")
    rationale = state.widget_input(_RATIONALE, "")
    if file in state.uploads():
        state.notice(
            "Only files in the assumptions folder can be saved as scenarios; "
            "an uploaded file lives in this session only.",
            _PLACE,
        )
        return
    try:
        scenario = from_assumptions(
            name, file, view.base, view.current, rationale, opportunity=state.opportunity()
        )
        store.save(scenario, overwrite=overwrite, replaces=replaces)
    except ScenarioChangedError as err:  # someone else saved it after this user was asked
        state.notice(str(err), _PLACE)
        state.ask("overwrite", name.strip(), err.version)
        return
    except ScenarioExistsError as err:
        state.ask("overwrite", name.strip(), err.version)
        return
    except ScenarioError as err:
        state.notice(str(err), _PLACE)
        return
    state.answer("overwrite")
    st.toast(f"Saved “{scenario.name}”.", icon=":material/check:")


def _confirm_overwrite(view: View, store: ScenarioStore) -> None:
    file = state.selected_file(default_assumptions().name)
    _save(view, store, file, overwrite=True, replaces=state.asked_version("overwrite"))


def saved_list(
    listing: ScenarioListing, files: Mapping[str, Assumptions], store: ScenarioStore
) -> None:
    """Every saved scenario with Load and Delete; unreadable files with their reasons."""
    if not listing.scenarios:
        st.info("No scenario saved yet.")
    loaded = state.clear_notice(_LOADED)
    if loaded:
        st.warning(plain(loaded), icon=":material/warning:")
    for stored in listing.scenarios:
        scenario = stored.scenario
        with st.container(border=True):
            changes = len(scenario.overrides)
            # Names and rationales are typed by any viewer: shown as text, never as Markdown.
            st.markdown(
                f"**{plain(scenario.name)}** · based on {plain(scenario.base_file)} · "
                f"{changes} change{'s' if changes != 1 else ''}"
            )
            if scenario.rationale:
                st.caption(plain(scenario.rationale))
            misfit = _misfit(scenario, files)
            if misfit:
                st.warning(plain(misfit), icon=":material/warning:")
            load, delete, _ = st.columns([1, 1, 2])
            load.button(
                "Load what still fits" if misfit else "Load",
                key=f"load-{stored.path.name}",
                icon=":material/upload:",
                help="Put this scenario's assumptions into the sidebar"
                + ("; what no longer fits its file is left out." if misfit else "."),
                on_click=_load_fitting if misfit else _load,
                args=(scenario, files),
                width="stretch",
            )
            delete.button(
                "Delete",
                key=f"delete-{stored.path.name}",
                icon=":material/delete:",
                on_click=state.ask,
                args=("delete", scenario.name, stored.version),
                width="stretch",
            )
    pending = state.asked("delete")
    if pending:
        st.warning(f"Delete the scenario “{pending}”? This cannot be undone.")
        yes, no = st.columns(2)
        version = state.asked_version("delete")
        yes.button("Delete it", type="primary", on_click=_delete, args=(store, pending, version))
        no.button("Keep it", on_click=state.answer, args=("delete",))
    for file, reason in listing.unreadable.items():
        st.error(f"{file} could not be read: {reason}", icon=":material/error:")


def _load(scenario: Scenario, files: Mapping[str, Assumptions]) -> None:
    try:
        resolved(scenario, files)
    except ScenarioError as err:
        state.notice(str(err), _PLACE)
        return
    state.replace_overrides(
        scenario.base_file, scenario.overrides, scenario=scenario.name, typed=scenario.actuals
    )
    if scenario.opportunity is not None:
        state.apply_opportunity(scenario.opportunity)
    st.toast(f"Loaded “{scenario.name}” into the sidebar.", icon=":material/check:")


def _misfit(scenario: Scenario, files: Mapping[str, Assumptions]) -> str | None:
    """Why the scenario no longer fits its base file, or None if it does (or the file is gone)."""
    if scenario.base_file not in files:
        return None
    try:
        resolved(scenario, files)
    except ScenarioError as err:
        return str(err)
    return None


def _load_fitting(scenario: Scenario, files: Mapping[str, Assumptions]) -> None:
    """Load the overrides that still apply, and say which were dropped and why."""
    base = files[scenario.base_file]
    kept, dropped = fitting(scenario, base)
    typed = dict(scenario.actuals)
    try:
        apply_actuals(apply_overrides(base, kept), typed)
    except OverrideError as err:
        dropped["actuals"] = str(err)
        typed = {}
    state.replace_overrides(scenario.base_file, kept, typed=typed)
    if scenario.opportunity is not None:
        state.apply_opportunity(scenario.opportunity)
    left_out = "; ".join(f"{path} ({reason})" for path, reason in dropped.items())
    state.notice(
        f"Loaded “{scenario.name}” without what no longer fits {scenario.base_file}: {left_out}",
        _LOADED,
    )


def _delete(store: ScenarioStore, name: str, version: str | None) -> None:
    state.answer("delete")
    try:
        store.delete(name, expected=version)
    except ScenarioError as err:
        state.notice(str(err), _PLACE)


def compare(view: View, listing: ScenarioListing, files: Mapping[str, Assumptions]) -> None:
    """Two to four scenarios side by side: trajectories, horizon table, mix, and a bridge."""
    options = [BASE_KEY, CURRENT_KEY, *listing.names]
    default = default_compared(
        listing,
        state.selected_file(default_assumptions().name),
        changed=bool(state.overrides()),
        loaded=state.loaded_scenario(),
    )
    key, remember = state.remembered_view(
        COMPARED, view.current, options, reseed=view.page_changed, default=default
    )
    chosen = st.multiselect(
        "Scenarios to compare (two to four)",
        options=options,
        max_selections=4,
        format_func=label,
        key=key,
        on_change=remember,
    )
    if len(chosen) < 2:
        st.info("Pick at least two scenarios to compare.")
        return
    by_name = {s.scenario.name: s.scenario for s in listing.scenarios}
    assumptions, problems = resolve_chosen(chosen, view.current, listing, files, view.base)
    for problem in problems:
        st.error(plain(problem), icon=":material/error:")
    if len(assumptions) < 2:
        return
    forecasts = {name: cache.forecast(a) for name, a in assumptions.items()}
    first = next(iter(assumptions.values()))
    unit = first.market.unit
    chart_element.show(
        charts.scenario_lines(forecasts, first.reported_by_year),
        key="scenarios-lines",
    )
    choices = {
        label(key): _opportunity_of(key, by_name) for key in chosen if label(key) in assumptions
    }
    components.dataframe(
        scenario_table(forecasts, first, _revenues(assumptions, choices)),
        column_config={
            "scenario": "Scenario",
            "horizon_value": st.column_config.NumberColumn(
                f"Market size {first.years.horizon} ({unit})", format="%,.1f"
            ),
            "cagr_pct": st.column_config.NumberColumn(
                f"CAGR {first.years.base}-{first.years.horizon} (%)", format="%.2f"
            ),
            "vs_reported_pct": st.column_config.NumberColumn(
                "Against the report (%)", format="%+.1f"
            ),
            "revenue": st.column_config.NumberColumn(
                f"Our revenue {first.years.horizon} ({unit})",
                format="%,.1f",
                help="Under each scenario's Opportunity choices (your assumptions); "
                "empty for a scenario saved without any.",
            ),
        },
        hide_index=True,
    )
    _mix(view, assumptions, forecasts)
    _bridge(view, assumptions, unit, chosen)


def _opportunity_of(key: str, saved: Mapping[str, Scenario]) -> Opportunity | None:
    """The opportunity choices a compared entry carries: the session's for the current
    assumptions, none for the file's own, a saved scenario's own."""
    if key == CURRENT_KEY:
        return state.opportunity()
    if key == BASE_KEY:
        return None
    return saved[key].opportunity


def _revenues(
    assumptions: Mapping[str, Assumptions], choices: Mapping[str, Opportunity | None]
) -> dict[str, float]:
    """Each scenario's horizon-year revenue under its own opportunity choices, where it has
    some that fit its market."""
    revenues = {}
    for name, a in assumptions.items():
        opp = choices.get(name)
        if opp is None:
            continue
        try:
            plan = cache.opportunity_plan(a, fitted(a, opp))
        except OpportunityError:
            continue
        revenues[name] = float(plan["revenue"].iloc[-1])
    return revenues


def _mix(view: View, assumptions: dict[str, Assumptions], forecasts: dict[str, Forecast]) -> None:
    first = next(iter(assumptions.values()))
    names = {d.id: d.name for d in first.dimensions}
    # scenarios may start from files with other years: offer every year any of them has
    years = sorted({year for a in assumptions.values() for year in a.years.all})
    left, right = st.columns(2)
    dimension = components.remembered_selectbox(
        "Segment mix by", MIX_DIMENSION, first, names, reseed=view.page_changed, where=left
    )
    key, remember = state.remembered_view(YEAR, first, years, reseed=view.page_changed)
    year = right.select_slider("Year", options=years, key=key, on_change=remember)
    columns = st.columns(len(forecasts))
    for column, (name, f) in zip(columns, forecasts.items(), strict=True):
        a = assumptions[name]
        if year not in a.years.all:
            column.info(
                plain(f"{name} has no {year}: its years run {a.years.first}-{a.years.horizon}.")
            )
            continue
        if dimension not in names or all(d.id != dimension for d in a.dimensions):
            column.info(plain(f"{name} has no {names[dimension]} dimension."))
            continue
        palette = colors.segment_colors(a)[dimension]
        figure = charts.share_bars(f, dimension, names[dimension], year, palette, scenario=name)
        chart_element.show(figure, key=f"scenarios-mix-{name}", where=column)


def _bridge(
    view: View, assumptions: dict[str, Assumptions], unit: str, chosen: Sequence[str]
) -> None:
    """The bridge between two of the compared scenarios. Its ends are chosen by the
    comparison's keys (:data:`CURRENT_KEY` for the view's own), as the share link holds
    them, and shown by their labels."""
    labels = {key: label(key) for key in chosen if label(key) in assumptions}
    keys = list(labels)
    left, right = st.columns(2)
    first = assumptions[labels[keys[0]]]
    start = labels[
        components.remembered_selectbox(
            "Bridge from", BRIDGE_FROM, first, labels, reseed=view.page_changed, where=left
        )
    ]
    end = labels[
        components.remembered_selectbox(
            "to", BRIDGE_TO, first, labels, reseed=view.page_changed, where=right
        )
    ]
    target, subject = _bridge_target(view, first)
    if start == end:
        st.info("Pick two different scenarios to see the bridge between them.")
        return
    try:
        table = cache.bridge(assumptions[start], assumptions[end], target)
    except ValueError as err:
        st.warning(f"These two cannot be bridged step by step: {err}")
        return
    horizon = assumptions[start].years.horizon
    figure = charts.waterfall(table, unit, start, end, horizon, subject=subject)
    chart_element.show(figure, key="scenarios-bridge")
    if target != TOTAL:
        st.caption(
            "A segment grows at the market CAGR plus its growth differential, so a changed "
            "differential moves its value here, though it only shifts the mix of the total."
        )


def _bridge_target(view: View, a: Assumptions) -> tuple[str, str]:
    """What the bridge explains: the total, or one segment of a chosen dimension (where
    growth differentials matter); the target for :func:`market.risk.bridge` and its name."""
    dimensions = {TOTAL: "Total market", **{d.id: d.name for d in a.dimensions}}
    left, right = st.columns(2)
    chosen = components.remembered_selectbox(
        "Bridge for", BRIDGE_TARGET, a, dimensions, reseed=view.page_changed, where=left
    )
    if chosen == TOTAL:
        return TOTAL, ""
    dimension = a.dimension(chosen)
    segments = {s.id: s.name for s in dimension.segments}
    segment = components.remembered_selectbox(  # one choice: its options follow the dimension
        "Segment", BRIDGE_SEGMENT, a, segments, reseed=view.page_changed, where=right
    )
    return f"{chosen}/{segment}", f"{segments[segment]} ({dimension.name})"
