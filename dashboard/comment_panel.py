"""A chart that takes comments: the chart with its open notes as markers, and under it a
"Comments" panel listing every note on it, a form to leave one, and resolve or reopen.

A note is on a year and a series of the chart (:mod:`market.comments`), for the selected
assumptions file, with the scenario loaded then (if any), by :func:`dashboard.state.author`.
Its text is shown as it was typed, with ``st.text`` (never Markdown or HTML); the markers
are drawn by :func:`report.charts.with_comments`. When the store cannot be used the chart
is drawn without markers and the panel says in one line why comments are unavailable.
"""

from __future__ import annotations

import contextlib

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import store
from dashboard import chart_element, state, workspace
from market.comments import TEXT_LENGTH, Chart, Comment, CommentError
from market.paths import default_assumptions
from report import charts
from report.format import plain

__all__ = ["LABEL", "show"]

LABEL = "Comments"
"""The panel's label."""


def show(figure: go.Figure, on: Chart, *, key: str, where: DeltaGenerator | None = None) -> None:
    """Draw ``figure`` (as :func:`dashboard.chart_element.show` would, keyed ``key``) with
    the open comments on ``on`` marked, and the Comments panel under it."""
    file = state.selected_file(default_assumptions().name)
    found, why = workspace.comments(file, on)
    chart_element.show(charts.with_comments(figure, found), key=key, where=where)
    with where if where is not None else contextlib.nullcontext():
        _panel(figure, on, file, found, why, f"{key}.{on.chart}")


def _panel(
    figure: go.Figure,
    on: Chart,
    file: str,
    found: tuple[Comment, ...],
    why: str | None,
    key: str,
) -> None:
    panel_key, remember = state.remembered_panel(f"comments.{key}", reseed=False)
    # one label always: a label that changed with the count closed the panel on a new note
    with st.expander(LABEL, icon=":material/comment:", key=panel_key, on_change=remember):
        if why is not None:
            st.caption(plain(f"Comments are unavailable: {why}."))
            return
        still_open = sum(c.open for c in found)
        if found:
            st.caption(f"{still_open} open, {len(found) - still_open} resolved.")
        message = state.clear_notice(_place(key))
        if message:
            st.error(plain(message), icon=":material/error:")
        for c in found:
            _listed(c, key)
        if not found:
            st.caption("No comments on this chart yet.")
        _form(figure, on, file, key)


def _listed(c: Comment, key: str) -> None:
    """One note: where and who as a caption (escaped), its words as plain text."""
    point = c.point
    said = f"{point.series}, {point.year}" if point is not None else ""
    if c.scenario:
        said += f" (scenario {c.scenario})"
    with st.container(border=True):
        st.caption(plain(f"{said} · {c.byline()}"))
        st.text(c.text)
        if c.open:
            st.button(
                "Resolve",
                icon=":material/check:",
                key=state.widget_key(f"comment.resolve.{c.id}"),
                on_click=_resolve,
                args=(c.id, key),
            )
        else:
            st.button(
                "Reopen",
                icon=":material/undo:",
                key=state.widget_key(f"comment.reopen.{c.id}"),
                on_click=_reopen,
                args=(c.id, key),
            )


def _form(figure: go.Figure, on: Chart, file: str, key: str) -> None:
    years, series = charts.commentable(figure)
    if not years or not series:
        return
    with st.form(state.widget_key(f"comment.form.{key}"), border=False):
        left, right = st.columns(2)
        left.selectbox("Year", years, index=len(years) - 1, key=_field(key, "year"))
        right.selectbox("Series", series, key=_field(key, "series"))
        st.text_area(
            "Comment (plain text)",
            max_chars=TEXT_LENGTH,
            key=_field(key, "text"),
            placeholder="What should others know about this point?",
        )
        st.form_submit_button(
            "Leave comment",
            icon=":material/add_comment:",
            on_click=_add,
            args=(on, file, state.loaded_scenario(), key),
        )


def _field(key: str, name: str) -> str:
    return state.widget_key(f"comment.{key}.{name}")


def _place(key: str) -> str:
    return f"comments.{key}"


def _add(on: Chart, file: str, scenario: str | None, key: str) -> None:
    year = state.widget_input(f"comment.{key}.year")
    series = state.widget_input(f"comment.{key}.series")
    text = state.widget_input(f"comment.{key}.text", "")
    if year is None or series is None:
        return
    try:
        with workspace.session() as opened:
            store.comments.add(
                opened,
                file,
                str(text),
                author=state.author(),
                point=on.point(int(year), str(series)),
                scenario=scenario,
            )
    except store.StoreUnavailableError as err:  # the words stay in the box, to try again
        state.notice(f"Not saved: {err}.", _place(key))
    except CommentError as err:
        state.notice(str(err), _place(key))
    else:
        state.show_in_widget(f"comment.{key}.text", "")


def _resolve(comment: int, key: str) -> None:
    try:
        with workspace.session() as opened:
            store.comments.resolve(opened, comment, author=state.author())
    except store.StoreUnavailableError as err:
        state.notice(f"Not resolved: {err}.", _place(key))
    except CommentError as err:
        state.notice(str(err), _place(key))


def _reopen(comment: int, key: str) -> None:
    try:
        with workspace.session() as opened:
            store.comments.reopen(opened, comment)
    except store.StoreUnavailableError as err:
        state.notice(f"Not reopened: {err}.", _place(key))
    except CommentError as err:
        state.notice(str(err), _place(key))
