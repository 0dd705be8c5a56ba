"""The shared sidebar: which market file, and the assumptions an analyst can move.

Every slider edits one parameter path of :mod:`market.parameters`; its value lives in the
canonical overrides (:mod:`dashboard.state`), so it persists across pages. Which numbers get
a slider, where, and their labels, help and ranges come from
:data:`market.parameter_table.PARAMETER_TABLE`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit.elements.lib.mutable_expander_container import ExpanderContainer

from dashboard import cache, state
from market import (
    Assumptions,
    AssumptionsError,
    OverrideError,
    Parameter,
    Provenance,
    parameter_index,
    parse_assumptions,
)
from market.assumptions import Dimension
from market.catalog import MAX_FILES
from market.io import MAX_FILE_BYTES
from market.parameter_table import CAGR_PATH, Kind
from market.parameters import unused_paths
from market.paths import (
    assumptions_dir,
    default_assumptions,
    default_file_label,
    default_name_problem,
)
from report.format import money, pct, plain, pp

__all__ = ["current", "page_fragment", "page_sliders", "render", "usable_files"]

_FILE_WIDGET = "file"
_DIFF_DIMENSION_WIDGET = "diff-dimension"
_SHARE_DIMENSION_WIDGET = "share-dimension"
_UPLOAD_WIDGET = "upload"
_UPLOAD_PREFIX = "upload: "
_MAX_PROBLEMS_SHOWN = 20
REFUSED_UPLOAD = "refused-upload"
"""Where a refused upload's reasons wait for the main area (see :func:`dashboard.layout.page`)."""
_PAGE_FRAGMENT = "page."
_PANEL_FRAGMENT = "sidebar."
_DIFFERENTIALS = "differentials"
_SHARES = "shares"
_CONTROL_FRAGMENT = "control."
_ACTUALS = "actuals"
_ACTUAL_YEAR = "actuals.year"
_ACTUAL_VALUE = "actuals.value"


def render(
    found: cache.Catalog, *, page_changed: bool, regional: bool = False
) -> tuple[Assumptions, Assumptions]:
    """Draw the sidebar for the files ``found`` (:func:`usable_files`); return the selected
    file's assumptions and the user's current ones. On a ``regional`` page (Regions) the
    share and differential panels show the geographic dimension until the user picks one."""
    base = _file_selector(found, page_changed)
    index = parameter_index(base)
    now_current = current(base)
    message = state.clear_notice()
    if message:
        st.warning(message, icon=":material/warning:")

    group = ""
    for parameter in _placed(index, "sidebar", now_current):
        if parameter.group != group:
            group = parameter.group
            st.subheader(group.capitalize(), divider="gray")
        # The differentials panel's caption shows the CAGR.
        shown = _DIFFERENTIALS if parameter.path == CAGR_PATH else None
        _control(base, parameter, page_changed, label=parameter.slider_label, shown=shown)
    panel = _panel("Actuals", _ACTUALS, page_changed)
    if panel.open:
        with panel:
            _actuals_panel(base, now_current, index, page_changed)
    # Lazy panels: a closed expander runs none of its sliders, so a rerun costs only what
    # is open. Every widget costs time on every rerun, and a market has dozens of segments.
    # An open panel is a fragment: a slider move reruns it only when its labels change.
    # One panel for every dimension's shares, with a picker, as for the differentials:
    # each element of the sidebar, even a closed expander, is drawn again by the browser
    # on every slider move (about 1.7 ms each, issue 24's benchmark).
    panel = _panel("Segment shares", _SHARES, page_changed)
    if panel.open:
        with panel:
            _following(_SHARES, _share_panel, base, page_changed, regional)
    panel = _panel("Advanced: growth differentials", _DIFFERENTIALS, page_changed)
    if panel.open:
        with panel:
            _following(_DIFFERENTIALS, _differentials_panel, base, page_changed, regional)
    st.button(
        "Undo",
        icon=":material/undo:",
        on_click=state.undo,
        help="Take back your last change of assumptions (a slider, an entry, a calibration, "
        "a reset or a loaded scenario), one change a click.",
        width="stretch",
    )
    st.button(
        "Reset to report",
        icon=":material/restart_alt:",
        on_click=state.reset,
        help="Restore every assumption to the file's own values.",
        width="stretch",
    )
    return base, now_current


def current(base: Assumptions) -> Assumptions:
    """``base`` with this session's overrides and typed actual figures: the assumptions
    the user is looking at."""
    overrides, actuals = state.overrides(), state.actuals()
    try:
        return cache.assumptions(
            base, tuple(sorted(overrides.items())), tuple(sorted(actuals.items()))
        )
    except OverrideError as err:  # an Undo put back assumptions the typed figures do not fit
        for year in actuals:
            state.remove_actual(year)
        state.notice(f"The typed actual figures no longer fit and were removed: {err}")
        return cache.assumptions(base, tuple(sorted(overrides.items())))


def page_fragment(page: str, part: str) -> str:
    """The key of a page's fragment that follows the assumptions (see ``layout``)."""
    return f"{_PAGE_FRAGMENT}{page}.{part}"


def _following(name: str, draw: Callable[..., None], *args: Any) -> None:
    """Draw a sidebar panel as a fragment that slider moves can rerun alone."""
    key = _PANEL_FRAGMENT + name
    state.follow(key)
    st.fragment(draw, key=key)(*args)


def _rerun_what_follows(shown: str | None, also: Sequence[str] = ()) -> None:
    """After a change was taken: rerun only the page's parts that follow the assumptions,
    the open panel ``shown`` whose labels show the changed value, and the fragments
    ``also`` (the control that changed). A page without such parts is rerun whole: the
    control is a fragment itself, so without an explicit rerun of the app only the control
    would run again and the page would keep the old numbers."""
    drawn = state.following()
    parts = [key for key in drawn if key.startswith(_PAGE_FRAGMENT)]
    if not parts:
        st.rerun()  # the whole app
    panel = f"{_PANEL_FRAGMENT}{shown}"
    st.rerun([*parts, *also, *([panel] if panel in drawn else [])])


def page_sliders(base: Assumptions, page: str, *, page_changed: bool) -> None:
    """The sliders (each with its exact entry) the parameter table places on ``page``
    (e.g. ``"risk"``), in its order."""
    for parameter in _placed(parameter_index(base), page, current(base)):
        _control(base, parameter, page_changed, label=parameter.slider_label)


def _placed(index: dict[str, Parameter], place: str, now: Assumptions) -> list[Parameter]:
    """The single numbers (not per segment) whose control is drawn at ``place``, leaving out
    those the numbers do not rest on ``now`` (a growth shape's parameter under another
    shape, the re-basing without actual figures: :func:`market.parameters.unused_paths`)."""
    unused = unused_paths(now)
    return [
        p for p in index.values() if p.slider == place and not p.dimension and p.path not in unused
    ]


def usable_files() -> cache.Catalog:
    """The files a session may select (``valid``: the folder's valid files and its own
    uploads), the folder's broken files with their reasons, and how many it leaves out."""
    found = cache.catalog(assumptions_dir())
    return replace(found, valid={**found.valid, **state.uploads()})


def _file_selector(found: cache.Catalog, page_changed: bool) -> Assumptions:
    files, invalid = found.valid, found.invalid
    if not files:
        st.error("No valid assumptions file was found.", icon=":material/error:")
        _list_invalid(found)
        st.stop()
    default = default_assumptions().name
    unusable = _default_unusable(default, found)
    first = next(iter(files))
    selected = state.selected_file(first if unusable else default)
    if selected in files:
        base = files[selected]
    else:
        reason = invalid.get(selected, ("the file is no longer there",))[0]
        last = state.last_good(selected)
        if last is None:
            st.error(plain(f"{selected} can no longer be used: {reason}"), icon=":material/error:")
            selected = next(iter(files))
            state.select_file(selected)
            base = files[selected]
        else:
            st.error(
                plain(
                    f"{selected} changed on disk and can no longer be used ({reason}); "
                    "showing the last good version."
                ),
                icon=":material/error:",
            )
            base = last
            files = {**files, selected: base}
    state.remember_good(selected, base)
    state.widget_value(_FILE_WIDGET, selected, reseed=page_changed)
    st.selectbox(
        "Assumptions file",
        options=list(files),
        format_func=_file_labels(files).__getitem__,
        key=state.widget_key(_FILE_WIDGET),
        on_change=_take_selected_file,
        help="YAML files in the assumptions folder, and files you uploaded in this session. "
        "Files that fail validation are listed below and cannot be selected.",
    )
    st.caption(
        f"{plain(selected)}: values in {plain(base.market.unit)}. "
        f"Source: {plain(base.market.source.title)}."
    )
    if unusable and selected == first:
        message = f"The default file {unusable}; showing {first} instead."
        st.warning(plain(message), icon=":material/warning:")
    _list_invalid(found)
    _uploader()
    return base


def _default_unusable(default: str, found: cache.Catalog) -> str | None:
    """Why the file the dashboard opens first cannot be opened (completing "The default
    file ..."), or None when it can."""
    named = default_file_label()
    problem = default_name_problem()
    if problem is not None:
        return f"{named} {problem}"
    if default in found.valid:
        return None
    if default in found.invalid:
        return f"{named} cannot be used: {found.invalid[default][0]}"
    return f"{named} is not in the assumptions folder"


def _take_selected_file() -> None:
    chosen = state.widget_input(_FILE_WIDGET)
    if chosen is not None:  # None: the key was dropped in this rerun, nothing was chosen
        state.select_file(chosen)


def _file_labels(files: dict[str, Assumptions]) -> dict[str, str]:
    """Each file by its market's name, short enough for the sidebar (the caption below
    names the selected file); the file's name is added only where two markets share one."""
    labels = {
        name: files[name].market.name + (" (uploaded)" if name.startswith(_UPLOAD_PREFIX) else "")
        for name in files
    }
    counts = Counter(labels.values())
    shared = {label for label, count in counts.items() if count > 1}
    return {
        name: f"{label} ({name})" if label in shared else label for name, label in labels.items()
    }


def _uploader() -> None:
    with st.expander("Upload an assumptions file", icon=":material/upload_file:"):
        st.file_uploader(
            f"YAML, at most {MAX_FILE_BYTES // 1000:,} KB",
            type=["yaml", "yml"],
            key=state.widget_key(_UPLOAD_WIDGET),
            on_change=_take_upload,
            help="Checked like `market validate`. A valid file can be selected in this session "
            "only; it is not saved on the server.",
        )


def _take_upload() -> None:
    uploaded = state.widget_input(_UPLOAD_WIDGET)
    if uploaded is None:
        return
    name = f"{_UPLOAD_PREFIX}{uploaded.name}"[:120]
    raw = uploaded.getvalue()
    try:
        a = parse_assumptions(raw, source=uploaded.name)
    except AssumptionsError as err:
        shown = err.problems[:_MAX_PROBLEMS_SHOWN]
        # The list is Markdown; each item, quoting the file, is plain text.
        problems = "\n".join(f"- {plain(str(problem))}" for problem in shown)
        more = len(err.problems) - len(shown)
        if more:
            problems += f"\n- …and {more:,} more; `market validate` lists them all."
        message = f"{plain(uploaded.name)} was refused:\n{problems}"
        state.notice(message)
        state.notice(message, REFUSED_UPLOAD)  # the sidebar is narrow, or closed on a phone
        return
    state.add_upload(name, a)
    state.select_file(name, by_widget=_UPLOAD_WIDGET)


def _list_invalid(found: cache.Catalog) -> None:
    if found.left_out:
        st.caption(
            f"{found.left_out:,} more file(s) in the assumptions folder are not offered: "
            f"the dashboard offers the first {MAX_FILES:,} by name."
        )
    if not found.invalid:
        return
    with st.expander(f"{len(found.invalid)} file(s) could not be read", icon=":material/error:"):
        for name, problems in found.invalid.items():
            st.markdown(f"**{plain(name)}**")
            st.code("\n".join(problems), language=None, wrap_lines=True)


def _share_panel(base: Assumptions, page_changed: bool, regional: bool) -> None:
    """The share sliders of the dimension picked (the regions' are their weights). A slider
    moves a weight (the file's own number); its label gives the share that weight makes,
    in the base year as the charts show it, and at the horizon, where the growth
    differentials have moved the mix."""
    index = parameter_index(base)
    now_current = current(base)
    f = cache.forecast(now_current)
    first, last = now_current.years.base, now_current.years.horizon
    start, end = f.shares_in(first), f.shares_in(last)
    dimension = _dimension_picker(_SHARE_DIMENSION_WIDGET, now_current, page_changed, regional)
    st.caption(
        f"Each slider sets a weight; a share is a weight over the sum of its siblings'. "
        f"Shares drift from {first} (the base year) to {last} because segments grow at "
        "different rates (their growth differentials)."
    )
    for place in dimension.walk():
        segment_key = f"{dimension.id}.{place.key}"
        parameter = index[f"share.{segment_key}"]
        segment = place.segment
        before, after = pct(start[segment_key] * 100), pct(end[segment_key] * 100)
        name = plain(segment.name)
        label = f"{'↳ ' * place.depth}{name}: {before} in {first} → {after} in {last}"
        why = (
            f"Share in {first}: **{before}**; in {last}: **{after}**. Each segment grows at "
            f"the market CAGR plus its growth differential ({name}: "
            f"{pp(segment.differential_pp)}), so faster segments gain share."
        )
        _control(base, parameter, page_changed, label=label, shown=_SHARES, why=why)


def _actuals_panel(
    base: Assumptions, now_current: Assumptions, index: dict[str, Parameter], page_changed: bool
) -> None:
    """Newer actual figures: the file's (with their citations), those typed in this session
    (kept in the link and in saved scenarios), a year and value to add one, and what the
    latest does to the forecast (the re-basing choice of the parameter table)."""
    unit = now_current.market.unit
    years = list(range(now_current.years.base + 1, now_current.years.horizon))
    st.caption(
        f"Market sizes published after {now_current.years.base}, in {plain(unit)}. The "
        "Overview draws them as their own marker and states how far the model is from them."
    )
    if not years:
        st.caption("This market has no year between its base year and its horizon.")
        return
    typed = state.actuals()
    for actual in now_current.actuals:
        figure = f"{actual.year}: {plain(money(actual.value, unit))}"
        if actual.year in typed:
            st.markdown(f"{figure} (typed)")
            st.button(
                f"Remove {actual.year}",
                icon=":material/delete:",
                key=state.widget_key(f"actuals.remove.{actual.year}"),
                on_click=state.remove_actual,
                args=(actual.year,),
                width="stretch",
            )
        else:
            st.markdown(f"{figure} ({plain(actual.citation)})")
    state.widget_value(_ACTUAL_YEAR, years[0], reseed=page_changed)
    st.selectbox("Year", options=years, key=state.widget_key(_ACTUAL_YEAR))
    st.number_input(
        f"Value ({plain(unit)})",
        min_value=0.0,
        value=None,
        step=1.0,
        format="%.2f",
        key=state.widget_key(_ACTUAL_VALUE),
    )
    st.button("Add the actual figure", on_click=_add_actual, args=(base,), width="stretch")
    for parameter in _placed(index, "actuals", now_current):
        _control(base, parameter, page_changed, label=parameter.slider_label)


def _add_actual(base: Assumptions) -> None:
    year, value = state.widget_input(_ACTUAL_YEAR), state.widget_input(_ACTUAL_VALUE)
    if year is None or value is None:
        state.notice("Give the actual figure's year and value first.")
        return
    state.set_actual(base, int(year), float(value))


def _panel(title: str, name: str, page_changed: bool) -> ExpanderContainer:
    """An expander whose content the caller draws only while it is ``open``."""
    key, remember = state.remembered_panel(name, reseed=page_changed)
    return st.expander(title, key=key, on_change=remember)


def _differentials_panel(base: Assumptions, page_changed: bool, regional: bool) -> None:
    index = parameter_index(base)
    now_current = current(base)
    st.caption(
        "Percentage points above or below the market CAGR "
        f"({pct(now_current.growth.cagr_pct.value)})."
    )
    dimension = _dimension_picker(_DIFF_DIMENSION_WIDGET, now_current, page_changed, regional)
    for place in dimension.walk():
        label = f"{'↳ ' * place.depth}{plain(place.segment.name)} (pp)"
        _control(base, index[f"diff.{dimension.id}.{place.key}"], page_changed, label=label)


def _dimension_picker(name: str, a: Assumptions, page_changed: bool, regional: bool) -> Dimension:
    """A panel's choice of dimension, remembered across pages once the user makes it; until
    then the first dimension, or the geographic one on a ``regional`` page."""
    dimensions = a.dimensions
    names = {d.id: d.name for d in dimensions}
    geographic = a.geographic_dimension if regional else None
    first = dimensions[0] if geographic is None else geographic
    key, remember = state.remembered(name, first.id, list(names), reseed=page_changed)
    chosen = st.selectbox(
        "Dimension", options=list(names), format_func=names.__getitem__, key=key, on_change=remember
    )
    return next(d for d in dimensions if d.id == chosen)


def _control(
    base: Assumptions,
    parameter: Parameter,
    page_changed: bool,
    *,
    label: str,
    shown: str | None = None,
    why: str = "",
) -> None:
    """The control for one parameter: its slider with an exact number entry beside it
    (type 25, press Enter), both over the parameter's one range, or the entry alone for a
    number too wide-ranging for a slider (``entry_only``). ``shown`` names the sidebar
    panel whose labels show its value, rerun with the page when it changes; ``why``
    opens its help.

    The slider and the entry are fragments of their own: a change of one reruns the
    page's parts and the other, so it shows the new value too, and nothing else of the
    sidebar is sent again.
    """
    path = parameter.path
    if parameter.kind is Kind.CHOICE:
        _choice(base, parameter, page_changed, label)
        return
    slider_part, entry_part = _CONTROL_FRAGMENT + path, _CONTROL_FRAGMENT + state.entry_name(path)
    parts = (base, parameter, page_changed, label, shown, why)
    if parameter.entry_only:
        st.fragment(_entry, key=entry_part)(*parts, ())
        return
    left, right = st.columns([5, 3], gap="small", vertical_alignment="bottom")
    with left:
        st.fragment(_slider, key=slider_part)(*parts, (entry_part,))
    with right:
        st.fragment(_entry, key=entry_part)(*parts, (slider_part,))


def _choice(base: Assumptions, parameter: Parameter, page_changed: bool, label: str) -> None:
    """A select box for a choice (the growth shape). A change reruns the whole app, not
    only what follows the assumptions: the controls of the choice's own parameters come
    and go with it."""
    path, value = parameter.path, int(_value(parameter))
    state.seed_on_arrival(path, value, arrived=page_changed)
    take = state.update_from_widget(base, path, value)

    def chosen() -> None:
        take()  # taken or refused, the whole app reruns

    st.selectbox(
        label,
        options=list(range(len(parameter.choices))),
        format_func=lambda position: parameter.choices[position].capitalize().replace("-", " "),
        key=state.widget_key(path),
        on_change=chosen,
        help=_help(parameter),
    )


def _value(parameter: Parameter) -> float:
    """The parameter's value now (``parameter`` is the file's): the session's override of
    it, else the file's. Read anew, since a fragment rerun alone replays its first run's
    arguments; read from the overrides, since a slider move reruns its sibling entry, and
    the whole parameter table of the new assumptions took a few milliseconds to build."""
    return state.overrides().get(parameter.path, parameter.value)


def _slider(
    base: Assumptions,
    parameter: Parameter,
    page_changed: bool,
    label: str,
    shown: str | None,
    why: str,
    sibling: tuple[str, ...],
) -> None:
    path, value = parameter.path, _value(parameter)
    low, high, step = parameter.low, parameter.high, parameter.step
    state.seed_on_arrival(path, min(max(value, low), high), arrived=page_changed)
    take = state.update_from_widget(base, path, value)

    def moved() -> None:
        if take():  # a refused change reruns the whole app, which says why
            state.show_in_widget(state.entry_name(path), state.widget_input(path))
            _rerun_what_follows(shown, sibling)

    st.slider(
        label,
        min_value=low,
        max_value=high,
        step=step,
        format=("weight " if parameter.group == "share" else "") + _format(step),
        key=state.widget_key(path),
        on_change=moved,
        help=_help(parameter, why),
    )


def _entry(
    base: Assumptions,
    parameter: Parameter,
    page_changed: bool,
    label: str,
    shown: str | None,
    why: str,
    sibling: tuple[str, ...],
) -> None:
    path, value = parameter.path, _value(parameter)
    low, high, step = parameter.low, parameter.high, parameter.step
    entry = state.entry_name(path)
    state.seed_on_arrival(entry, value, arrived=page_changed)
    take = state.update_from_widget(base, path, value, widget=entry)

    def typed() -> None:
        if take():  # a refused value reruns the whole app, which says why
            if sibling:
                state.show_in_widget(path, min(max(state.widget_input(entry), low), high))
            _rerun_what_follows(shown, sibling)

    alone = parameter.entry_only
    st.number_input(
        label if alone else f"{label}: exact value",
        min_value=low,
        max_value=high,
        step=step,
        format=_format(step),
        key=state.widget_key(entry),
        on_change=typed,
        help=_help(parameter, why) if alone else None,
        label_visibility="visible" if alone else "collapsed",
    )


def _format(step: float) -> str:
    """How a slider and its entry show a value: two decimals for a fine step, else none."""
    return "%.2f" if step < 1 else "%.0f"


def _help(parameter: Parameter, why: str = "") -> str:
    how = "reported" if parameter.provenance is Provenance.REPORTED else "assumed"
    default = plain(parameter.shown(parameter.value))
    origin = f"Default {default}: **{how}** ({plain(parameter.basis)})."
    return "\n\n".join(part for part in (parameter.help, why, origin) if part)
