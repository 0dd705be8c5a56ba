"""The Scenarios page's controls: save (a new version each time), load, delete with undo, compare.

Scenarios live in the store (:mod:`store`, through :mod:`dashboard.workspace`): every save
is a new version recorded with its author (:func:`dashboard.state.author`), time and note,
and replacing or deleting acts only on the version the user saw. When the database cannot
be used, the page still draws and each control says in one line why it is unavailable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

import store
from dashboard import cache, chart_element, components, state, workspace
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

__all__ = ["CURRENT", "compare", "resolved", "save_form", "saved_list", "when"]

_NAME = "scenario.name"
_RATIONALE = "scenario.rationale"
_NOTE = "scenario.note"
_PLACE = "scenarios"
_LOADED = "scenarios.loaded"
_UNDO = "undo-delete"


def when(version: store.Version) -> str:
    """A version's time as people read it, in UTC: ``2026-03-01 14:05 UTC``."""
    return version.created.strftime("%Y-%m-%d %H:%M UTC")


def save_form(view: View, unavailable: str | None) -> None:
    """Name the current assumptions and keep them as a new version; replacing what is
    saved under that name needs a confirmation, of the version the user was shown.

    Saving runs in the button's callback, before the page script, so the list of saved
    scenarios drawn in the same run already holds the new one.
    """
    if unavailable:
        st.warning(f"Saving is unavailable: {unavailable}.", icon=":material/cloud_off:")
        return
    file = state.selected_file(default_assumptions().name)
    message = state.clear_notice(_PLACE)
    if message:
        st.error(plain(message), icon=":material/error:")
    with st.form("save-scenario", border=True):
        st.text_input(
            "Scenario name",
            max_chars=60,
            key=state.widget_key(_NAME),
            help="Letters, digits, spaces, '-' and '_'; at most 60 characters.",
        )
        st.text_area("Rationale", key=state.widget_key(_RATIONALE), max_chars=2_000)
        st.text_input(
            "Note on this version",
            key=state.widget_key(_NOTE),
            max_chars=2_000,
            help="What changed and why; kept in the scenario's history.",
        )
        st.form_submit_button(
            "Save scenario", icon=":material/save:", on_click=_save, args=(view, file, None)
        )
    pending = state.asked("overwrite")
    if pending:
        st.warning(
            f"A scenario named “{plain(pending)}” exists already (version "
            f"{state.asked_version('overwrite')}). Save yours as its next version?"
        )
        yes, no = st.columns(2)
        yes.button(
            "Save as a new version", type="primary", on_click=_confirm_overwrite, args=(view,)
        )
        no.button("Keep the old one", on_click=state.answer, args=("overwrite",))


def _save(view: View, file: str, expected: int | None) -> None:
    name = state.widget_input(_NAME, "")
    rationale = state.widget_input(_RATIONALE, "")
    note = state.widget_input(_NOTE, "")
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
        with workspace.session() as opened:
            saved = store.save(
                opened, scenario, author=state.author(), note=note, expected=expected
            )
    except ScenarioChangedError as err:  # someone else saved it after this user was asked
        state.notice(str(err), _PLACE)
        state.ask("overwrite", name.strip(), err.version)
        return
    except ScenarioExistsError as err:
        state.ask("overwrite", name.strip(), err.version)
        return
    except store.StoreUnavailableError as err:
        state.notice(f"Not saved: {err}. Your assumptions are still in the address.", _PLACE)
        return
    except ScenarioError as err:
        state.notice(str(err), _PLACE)
        return
    state.answer("overwrite")
    st.toast(f"Saved “{saved.name}” as version {saved.version}.", icon=":material/check:")


def _confirm_overwrite(view: View) -> None:
    file = state.selected_file(default_assumptions().name)
    seen = state.asked_version("overwrite")
    _save(view, file, seen if isinstance(seen, int) else None)


def saved_list(
    listing: store.Listing, unavailable: str | None, files: Mapping[str, Assumptions]
) -> None:
    """Every saved scenario with Load and Delete (undoable); what cannot be read, with why."""
    if unavailable:
        st.warning(f"Saved scenarios are unavailable: {unavailable}.", icon=":material/cloud_off:")
        return
    _undo_line()
    if not listing.scenarios:
        st.info("No scenario saved yet.")
    loaded = state.clear_notice(_LOADED)
    if loaded:
        st.warning(plain(loaded), icon=":material/warning:")
    for saved in listing.scenarios:
        _saved_card(saved, files)
    for name, reason in listing.unreadable.items():
        st.error(plain(f"{name} could not be read: {reason}"), icon=":material/error:")
    _deleted_list()


def _saved_card(saved: store.Saved, files: Mapping[str, Assumptions]) -> None:
    scenario = saved.scenario
    with st.container(border=True):
        changes = len(scenario.overrides)
        # Names, rationales and authors are typed by viewers: shown as text, never as Markdown.
        st.markdown(
            f"**{plain(scenario.name)}** · based on {plain(scenario.base_file)} · "
            f"{changes} change{'s' if changes != 1 else ''}"
        )
        st.caption(
            plain(
                f"Version {saved.version}, saved by {saved.current.author}, {when(saved.current)}"
            )
        )
        if scenario.rationale:
            st.caption(plain(scenario.rationale))
        misfit = _misfit(scenario, files)
        if misfit:
            st.warning(plain(misfit), icon=":material/warning:")
        key = scenario.file_name  # what it is exported as: one per scenario
        load, delete, _ = st.columns([1, 1, 2])
        load.button(
            "Load what still fits" if misfit else "Load",
            key=f"load-{key}",
            icon=":material/upload:",
            help="Put this scenario's assumptions into the sidebar"
            + ("; what no longer fits its file is left out." if misfit else "."),
            on_click=_load_fitting if misfit else _load,
            args=(scenario, files),
            width="stretch",
        )
        delete.button(
            "Delete",
            key=f"delete-{key}",
            icon=":material/delete:",
            help="Hide it from everyone's list; it can be brought back.",
            on_click=_delete,
            args=(scenario.name, saved.version),
            width="stretch",
        )


def _undo_line() -> None:
    name = state.asked(_UNDO)
    if not name:
        return
    told, undo = st.columns([3, 1])
    told.info(f"Deleted “{plain(name)}”.", icon=":material/delete:")
    undo.button("Undo", key="undo-delete", icon=":material/undo:", on_click=_undelete, args=(name,))


def _deleted_list() -> None:
    try:
        with workspace.session() as opened:
            gone = store.deleted(opened)
    except store.StoreUnavailableError:
        return  # the list above already said why
    if not gone:
        return
    with st.expander(f"Deleted scenarios ({len(gone)})", icon=":material/delete:"):
        for saved in gone:
            text, back = st.columns([3, 1])
            stamp = (
                "" if saved.hidden_at is None else saved.hidden_at.strftime("%Y-%m-%d %H:%M UTC")
            )
            text.text(f"{saved.name}: deleted by {saved.hidden_by}, {stamp}")
            back.button(
                "Bring back",
                key=f"undelete-{saved.scenario.file_name}",
                on_click=_undelete,
                args=(saved.name,),
            )


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


def _delete(name: str, version: int) -> None:
    try:
        with workspace.session() as opened:
            store.delete(opened, name, author=state.author(), expected=version)
    except store.StoreUnavailableError as err:
        state.notice(f"Not deleted: {err}.", _PLACE)
        return
    except ScenarioError as err:
        state.notice(str(err), _PLACE)
        return
    state.ask(_UNDO, name)


def _undelete(name: str) -> None:
    state.answer(_UNDO)
    try:
        with workspace.session() as opened:
            store.undelete(opened, name, author=state.author())
    except store.StoreUnavailableError as err:
        state.notice(f"Not brought back: {err}.", _PLACE)
        return
    except ScenarioError as err:
        state.notice(str(err), _PLACE)
        return
    st.toast(f"“{name}” is back.", icon=":material/undo:")


def compare(view: View, listing: store.Listing, files: Mapping[str, Assumptions]) -> None:
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
        charts.scenario_lines(forecasts, next(iter(forecasts.values())).reported_by_year),
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
