"""A chart that takes comments: the chart with its open notes as markers, and under it a
"Comments" panel listing every note on it, a form to leave one, and resolve or reopen; and
the same panel for a saved scenario (on the Scenarios page, under its history).

A note is on a year and a series of the chart (:mod:`market.comments`), for the selected
assumptions file, with the scenario loaded then (if any), by :func:`dashboard.state.author`.
Its text is shown as it was typed, with ``st.text`` (never Markdown or HTML); the markers
are drawn by :func:`report.charts.with_comments`. When the store cannot be used the chart
is drawn without markers and the panel says in one line why comments are unavailable.
The panel's contents are drawn only while it is open, as the tables behind the charts are:
a slider move reruns the chart and sends none of them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import store
from dashboard import chart_element, state, workspace
from market.comments import TEXT_LENGTH, Chart, Comment, CommentError
from market.paths import default_assumptions
from market.scenarios import ScenarioError
from report import charts
from report.format import plain

__all__ = ["LABEL", "on_scenario", "show"]

LABEL = "Comments"
"""The panel's label."""


def show(figure: go.Figure, on: Chart, *, key: str, where: DeltaGenerator | None = None) -> None:
    """Draw ``figure`` (as :func:`dashboard.chart_element.show` would, keyed ``key``) with
    the open comments on ``on`` marked, and the Comments panel under it."""
    file = state.selected_file(default_assumptions().name)
    found, why = workspace.comments(file, on)
    chart_element.show(charts.with_comments(figure, found), key=key, where=where)
    slot = f"{key}.{on.chart}"
    with where if where is not None else contextlib.nullcontext():
        _panel(found, why, slot, "this chart", lambda: _chart_form(figure, on, file, slot))


def on_scenario(name: str, file: str) -> None:
    """The Comments panel of the saved scenario ``name`` (of ``file``): the notes on the
    scenario itself, and a form to leave one."""
    found, why = workspace.scenario_comments(file, name)
    slot = f"scenario.{store.key(name)}"
    _panel(found, why, slot, "this scenario", lambda: _scenario_form(name, file, slot))


def _panel(
    found: tuple[Comment, ...],
    why: str | None,
    slot: str,
    subject: str,
    form: Callable[[], None],
) -> None:
    panel_key, remember = state.remembered_panel(f"comments.{slot}", reseed=False)
    # one label always: a label that changed with the count closed the panel on a new note
    panel = st.expander(LABEL, icon=":material/comment:", key=panel_key, on_change=remember)
    if not panel.open:
        return
    with panel:
        if why is not None:
            st.caption(plain(f"Comments are unavailable: {why}."))
            return
        still_open = sum(c.open for c in found)
        if found:
            st.caption(f"{still_open} open, {len(found) - still_open} resolved.")
        message = state.clear_notice(_place(slot))
        if message:
            st.error(plain(message), icon=":material/error:")
        for c in found:
            _listed(c, slot)
        if not found:
            st.caption(f"No comments on {subject} yet.")
        form()


def _listed(c: Comment, slot: str) -> None:
    """One note: where and who as a caption (escaped), its words as plain text."""
    point = c.point
    said = f"{point.series}, {point.year}" if point is not None else ""
    if c.scenario and point is not None:
        said += f" (scenario {c.scenario})"
    with st.container(border=True):
        st.caption(plain(f"{said} · {c.byline()}" if said else c.byline()))
        st.text(c.text)
        verb, icon = ("Resolve", ":material/check:") if c.open else ("Reopen", ":material/undo:")
        st.button(
            verb,
            icon=icon,
            key=state.widget_key(f"comment.{verb.lower()}.{c.id}"),
            on_click=_resolve_or_reopen,
            args=(c.id, slot, c.open),
        )


def _chart_form(figure: go.Figure, on: Chart, file: str, slot: str) -> None:
    years, series = charts.commentable(figure)
    if not years or not series:
        return
    with st.form(state.widget_key(f"comment.form.{slot}"), border=False):
        left, right = st.columns(2)
        left.selectbox("Year", years, index=len(years) - 1, key=_field(slot, "year"))
        right.selectbox("Series", series, key=_field(slot, "series"))
        _text_area(slot)
        _submit(file, slot, on, state.loaded_scenario())


def _scenario_form(name: str, file: str, slot: str) -> None:
    with st.form(state.widget_key(f"comment.form.{slot}"), border=False):
        _text_area(slot)
        _submit(file, slot, None, name)


def _text_area(slot: str) -> None:
    st.text_area(
        "Comment (plain text)",
        max_chars=TEXT_LENGTH,
        key=_field(slot, "text"),
        placeholder="What should others know about this?",
    )


def _submit(file: str, slot: str, on: Chart | None, scenario: str | None) -> None:
    st.form_submit_button(
        "Leave comment",
        icon=":material/add_comment:",
        on_click=_add,
        args=(file, slot, on, scenario),
    )


def _field(slot: str, name: str) -> str:
    return state.widget_key(f"comment.{slot}.{name}")


def _place(slot: str) -> str:
    return f"comments.{slot}"


def _add(file: str, slot: str, on: Chart | None, scenario: str | None) -> None:
    """Leave the typed note on the chosen point of ``on``, or on ``scenario`` itself."""
    text = state.widget_input(f"comment.{slot}.text", "")
    point = None
    if on is not None:
        year = state.widget_input(f"comment.{slot}.year")
        series = state.widget_input(f"comment.{slot}.series")
        if year is None or series is None:
            return
        point = on.point(int(year), str(series))
    try:
        with workspace.session() as opened:
            store.comments.add(
                opened, file, str(text), author=state.author(), point=point, scenario=scenario
            )
    except store.StoreUnavailableError as err:  # the words stay in the box, to try again
        state.notice(f"Not saved: {err}.", _place(slot))
    except (CommentError, ScenarioError) as err:
        state.notice(str(err), _place(slot))
    else:
        state.show_in_widget(f"comment.{slot}.text", "")


def _resolve_or_reopen(comment: int, key: str, resolving: bool) -> None:
    """Resolve an open comment, or reopen a resolved one; say in one line why not."""
    try:
        with workspace.session() as opened:
            if resolving:
                store.comments.resolve(opened, comment, author=state.author())
            else:
                store.comments.reopen(opened, comment)
    except store.StoreUnavailableError as err:
        state.notice(f"Not {'resolved' if resolving else 'reopened'}: {err}.", _place(key))
    except CommentError as err:
        state.notice(str(err), _place(key))
