"""A saved scenario's history on the Scenarios page: every version with who saved it, when
and why; the comments on it; what changed between two (the bridge,
:func:`market.risk.bridge`); restoring one.

Restoring saves the old content as a new version (nothing is lost) and acts only if the
scenario is still at the version the user was shown.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

import store
from dashboard import cache, chart_element, comment_panel, components, state, workspace
from dashboard.comparison import resolved
from dashboard.layout import View
from dashboard.scenario_panel import when
from market import Assumptions
from market.risk import TOTAL
from market.scenarios import ScenarioChangedError, ScenarioError
from report import charts
from report.format import plain

__all__ = ["history"]

_PLACE = "scenarios.history"


def history(view: View, listing: store.Listing, files: Mapping[str, Assumptions]) -> None:
    """Pick a saved scenario; list its versions, bridge two of them, restore one."""
    if not listing.scenarios:
        return
    names = list(listing.names)
    key, remember = state.remembered("scenarios.history", names[0], names, reseed=view.page_changed)
    name = st.selectbox("Scenario", names, key=key, on_change=remember)
    message = state.clear_notice(_PLACE)
    if message:
        st.error(plain(message), icon=":material/error:")
    try:
        with workspace.session() as opened:
            versions = store.history(opened, name)
    except store.StoreUnavailableError as err:
        st.warning(f"History is unavailable: {err}.", icon=":material/cloud_off:")
        return
    except ScenarioError as err:  # deleted or purged since the list was read
        st.info(plain(str(err)))
        return
    components.dataframe(
        pd.DataFrame(
            [
                {"version": v.number, "author": v.author, "saved": when(v), "note": v.note}
                for v in versions
            ]
        ),
        column_config={
            "version": st.column_config.NumberColumn("Version", format="%d"),
            "author": "Saved by",
            "saved": "When",
            "note": "Note",
        },
        hide_index=True,
    )
    comment_panel.on_scenario(name, versions[0].scenario.base_file)
    if len(versions) < 2:
        st.caption("Only one version so far: each save of this name adds one.")
        return
    _between(name, versions, files)


def _between(
    name: str, versions: tuple[store.Version, ...], files: Mapping[str, Assumptions]
) -> None:
    """Two versions side by side: the bridge from one to the other, and restoring the first."""
    shown = {v.number: f"Version {v.number} · {v.author} · {when(v)}" for v in versions}
    by_number = {v.number: v for v in versions}
    numbers = list(shown)
    left, right = st.columns(2)
    slug = store.key(name)
    older = left.selectbox(
        "What changed from",
        numbers,
        index=1,
        format_func=shown.__getitem__,
        key=state.widget_key(f"history.from.{slug}"),
    )
    newer = right.selectbox(
        "to",
        numbers,
        index=0,
        format_func=shown.__getitem__,
        key=state.widget_key(f"history.to.{slug}"),
    )
    _bridge(by_number[older], by_number[newer], files)
    current = versions[0].number
    if older != current:
        st.button(
            f"Restore version {older}",
            icon=":material/history:",
            help=f"Save version {older}'s assumptions as version {current + 1}; "
            "every version stays in the history.",
            on_click=_restore,
            args=(name, older, current),
        )


def _bridge(a: store.Version, b: store.Version, files: Mapping[str, Assumptions]) -> None:
    if a.number == b.number:
        st.info("Pick two different versions to see what changed.")
        return
    try:
        start, end = resolved(a.scenario, files), resolved(b.scenario, files)
        table = cache.bridge(start, end, TOTAL)
    except (ScenarioError, ValueError) as err:
        st.warning(plain(f"These two versions cannot be bridged step by step: {err}"))
        return
    if a.scenario.base_file != b.scenario.base_file:
        st.caption(plain(f"Based on {a.scenario.base_file}, then on {b.scenario.base_file}."))
    if a.scenario.rationale != b.scenario.rationale:
        st.caption("The rationale changed too.")
    steps = table[table["kind"] == "step"]
    if steps.empty:
        st.info(f"Versions {a.number} and {b.number} hold the same assumptions.")
        return
    unit = start.market.unit
    figure = charts.waterfall(
        table, unit, f"Version {a.number}", f"Version {b.number}", start.years.horizon
    )
    chart_element.show(figure, key="history-bridge")
    components.dataframe(
        steps[["label", "from_input", "to_input", "value"]],
        column_config={
            "label": "Assumption",
            "from_input": st.column_config.NumberColumn(f"Version {a.number}", format="%.2f"),
            "to_input": st.column_config.NumberColumn(f"Version {b.number}", format="%.2f"),
            "value": st.column_config.NumberColumn(
                f"Effect {start.years.horizon} ({unit})", format="%+,.1f"
            ),
        },
        hide_index=True,
    )


def _restore(name: str, number: int, seen: int) -> None:
    try:
        with workspace.session() as opened:
            saved = store.restore(opened, name, number, author=state.author(), expected=seen)
    except ScenarioChangedError as err:  # the list now shows the new version: look again
        state.notice(str(err), _PLACE)
        return
    except store.StoreUnavailableError as err:
        state.notice(f"Not restored: {err}.", _PLACE)
        return
    except ScenarioError as err:
        state.notice(str(err), _PLACE)
        return
    st.toast(
        f"Restored version {number} of “{name}” as version {saved.version}.",
        icon=":material/history:",
    )
