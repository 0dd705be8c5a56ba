"""The only module that touches ``st.session_state``: what this browser session is looking at.

The canonical state of a session is small and plain: which assumptions file is selected
and the overrides the user has made to it (``{parameter path: value}``, see
:mod:`market.parameters`). Everything else (the current assumptions, the forecast,
every chart) is derived from those two, so a page switch, a share link or a saved
scenario only has to carry them.

Widgets keep their own keys. Their ``on_change`` callbacks copy the widget's value into
the canonical overrides, and a widget key is seeded from the canonical value only when
the key is missing or the page has just changed (a page switch gives every widget a new
identity). Seeding on every run would overwrite key presses that arrive during a rerun.

Page controls (a dimension, a year, the scenarios compared) are remembered the same way,
each beside the default its page last drew it with; the address carries every one with a
link key that differs from that default (:func:`publish_link`), so a link opens the view.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import links, workspace
from dashboard.comparison import BASE_KEY, CURRENT_KEY
from market import (
    Assumptions,
    Opportunity,
    OverrideError,
    apply_actuals,
    apply_overrides,
    parameter_index,
)
from market.grid import GridSpec
from market.paths import default_assumptions
from market.view_controls import VIEW_CONTROLS, Kind, ViewControl
from store import ANONYMOUS

__all__ = [
    "RENEWAL_MARK",
    "actuals",
    "add_upload",
    "answer",
    "apply_opportunity",
    "apply_override",
    "apply_overrides_together",
    "ask",
    "asked",
    "asked_version",
    "author",
    "check_link_size",
    "clear_notice",
    "enter_page",
    "entry_name",
    "follow",
    "follow_link_once",
    "following",
    "grid",
    "last_good",
    "link_warnings",
    "notice",
    "opportunity",
    "overrides",
    "panel_key",
    "publish_link",
    "rebuild_after_reconnect",
    "remember_good",
    "remembered",
    "remembered_many",
    "remembered_panel",
    "remembered_parts",
    "remembered_view",
    "remove_actual",
    "replace_overrides",
    "reset",
    "seed_on_arrival",
    "seeded_many",
    "select_file",
    "selected_file",
    "set_actual",
    "set_choice",
    "set_grid",
    "set_opportunity",
    "set_override",
    "show_app_value",
    "show_in_widget",
    "shown_choice",
    "undo",
    "update_from_widget",
    "uploads",
    "widget_input",
    "widget_key",
    "widget_value",
]

_FILE = "market.file"
_OVERRIDES = "market.overrides"
_ACTUALS = "market.actuals"
_PAGE = "market.page"
_NOTICE = "market.notice"
_LINK_READ = "market.link-read"
_LINK_WARNINGS = "market.link-warnings"
_LINK_SIZE = "market.link-size"
_LINK_SIZE_TOLD = "market.link-size-told"
_UPLOADS = "market.uploads"
_LAST_GOOD = "market.last-good"
_ASK = "market.ask."
_WIDGET_PREFIX = "widget."
_CHOICE_PREFIX = "market.choice."
_CHOICE_DEFAULT_PREFIX = "market.choice-default."
_PANEL_PREFIX = "panel."
_FOLLOWING = "market.following"
_OPPORTUNITY = "market.opportunity"
_GRID = "market.grid"
_LOADED_SCENARIO = "market.loaded-scenario"
_OPPORTUNITY_WIDGETS = _WIDGET_PREFIX + "opportunity."
_UNDO = "market.undo"
_VISIT = "market.visit"  # how many times the user has arrived on a page
_SEEDED_PREFIX = "market.seeded."  # the visit a widget was last seeded in
_SHOWN_PREFIX = "market.shown."  # the value the app last chose for a widget to show
_RENEWED_PREFIX = "market.renewed."  # how many times the app replaced a widget's value
RENEWAL_MARK = "__v"
"""Between a widget's name and its renewal count in its key (:func:`widget_key`)."""
_UNDO_DEPTH = 50
"""How many changes of assumptions Undo can take back, one at a time."""


def panel_key(name: str) -> str:
    """The key of a collapsible panel; True while the user has it open."""
    return _PANEL_PREFIX + name


def remembered_panel(name: str, *, reseed: bool) -> tuple[str, Callable[[], None]]:
    """Key and ``on_change`` for a panel that stays open or closed across pages."""
    key, canonical = panel_key(name), _CHOICE_PREFIX + _PANEL_PREFIX + name
    if reseed or key not in st.session_state:
        st.session_state[key] = st.session_state.get(canonical, False)

    def copy() -> None:
        _copy(key, canonical)

    return key, copy


def _held(key: str) -> Any:
    """What the widget keyed ``key`` holds, or None once Streamlit no longer has the key.

    A callback cannot count on its own widget's key: a callback that ran before it in the
    same rerun may have forgotten every widget (a file selected), and a page change drops
    the keys of widgets the new page does not draw, while the browser still reports their
    last change (a Download menu left open). Such a widget has nothing to report.
    """
    return st.session_state.get(key)


def _copy(key: str, canonical: str, convert: Callable[[Any], Any] = lambda value: value) -> bool:
    """Copy a widget's value into its canonical key; False when the widget has none."""
    value = _held(key)
    if value is None:
        return False
    st.session_state[canonical] = convert(value)
    return True


def _forget(key: str) -> None:
    """Drop a widget's key if Streamlit still has it (see :func:`_held`)."""
    st.session_state.pop(key, None)


def widget_key(name: str, session: Any = None) -> str:
    """The session-state key of the widget that edits ``name`` (a parameter path or a
    control) now: its name, and how many times the app has replaced its value
    (:func:`show_in_widget`). ``session`` is the session state to read that from (a test's
    ``AppTest.session_state``); by default the running session's, and outside a run none:
    a widget never renewed.
    """
    held = session if session is not None else _running_session()
    renewals = held.get(_RENEWED_PREFIX + name, 0)
    return _WIDGET_PREFIX + name + (f"{RENEWAL_MARK}{renewals}" if renewals else "")


def _running_session() -> Any:
    """The running session's state, or an empty one outside a run (a test's own code)."""
    return st.session_state if get_script_run_ctx(suppress_warning=True) else {}


def _renew_widget(name: str) -> str:
    """Give the widget that edits ``name`` a new key, which it is drawn under from now on;
    return that key.

    Whenever the app, not the user, decides what a widget shows (its sibling moved, a
    refused value put back, a button set the assumption), the browser goes on reporting
    the value it shows until the new one reaches it. Under the same key that report
    reads as the user's change: a slider pressed quickly lost a step, because its exact
    entry still reported the value from before the press. Under a new key the report is
    the old widget's, whose callback ignores it (:func:`update_from_widget`).
    """
    st.session_state.pop(widget_key(name), None)
    counter = _RENEWED_PREFIX + name
    st.session_state[counter] = st.session_state.get(counter, 0) + 1
    return widget_key(name)


def widget_input(name: str, default: Any = None) -> Any:
    """What the widget that edits ``name`` holds now, for the widget's own callbacks:
    ``default`` before it has run once, or once its key was dropped (see :func:`_held`)."""
    value = _held(widget_key(name))
    return default if value is None else value


def selected_file(default: str) -> str:
    """The assumptions file this session looks at (a name in the catalogue)."""
    chosen: str = st.session_state.setdefault(_FILE, default)
    return chosen


def overrides() -> dict[str, float]:
    """The user's changes to the selected file, as parameter paths; a copy."""
    return dict(st.session_state.get(_OVERRIDES, {}))


def actuals() -> dict[int, float]:
    """The actual figures the user typed for the selected file: year -> value; a copy."""
    return dict(st.session_state.get(_ACTUALS, {}))


def _valid(base: Assumptions, values: Mapping[str, float], typed: Mapping[int, float]) -> None:
    """Raise OverrideError unless ``base`` takes these overrides and actual figures."""
    apply_actuals(apply_overrides(base, values), typed)


def set_actual(base: Assumptions, year: int, value: float) -> bool:
    """Add (or replace) one actual figure if the assumptions still hold with it; say why
    not otherwise."""
    typed = {**actuals(), year: value}
    try:
        _valid(base, overrides(), typed)
    except OverrideError as err:
        notice(f"That actual figure was not added: {err}")
        return False
    st.session_state[_ACTUALS] = typed
    return True


def remove_actual(year: int) -> None:
    typed = actuals()
    typed.pop(year, None)
    st.session_state[_ACTUALS] = typed


def select_file(name: str, *, by_widget: str | None = None) -> None:
    """Look at another file: its own values, with no carried-over overrides.

    ``by_widget`` names the widget whose callback selects the file (the uploader): its own
    value is kept. Forgotten, Streamlit would see it change again on the next rerun and
    call the callback once more, selecting the file anew (dropping the user's changes) and
    forgetting, in the middle of that rerun's callbacks, the slider that was just moved.
    """
    st.session_state[_FILE] = name
    st.session_state[_OVERRIDES] = {}
    st.session_state[_ACTUALS] = {}
    st.session_state[_UNDO] = []  # Undo takes back changes to one file's assumptions
    _forget_widgets(keep=None if by_widget is None else widget_key(by_widget))


def replace_overrides(
    file: str,
    values: Mapping[str, float],
    *,
    scenario: str = "",
    typed: Mapping[int, float] | None = None,
) -> None:
    """Look at ``file`` with exactly these overrides and actual figures (``typed``; none
    if not given): a loaded scenario, a share link.

    ``scenario`` names the saved scenario they come from, for exports to name it while the
    view still shows exactly that scenario (see :func:`loaded_scenario`).
    """
    if file == st.session_state.get(_FILE):
        _remember_for_undo(dict(values))
    else:
        st.session_state[_UNDO] = []
    st.session_state[_FILE] = file
    st.session_state[_OVERRIDES] = dict(values)
    st.session_state[_ACTUALS] = dict(typed or {})
    loaded = (scenario, file, dict(values), dict(typed or {}))
    st.session_state[_LOADED_SCENARIO] = loaded if scenario else None
    _forget_widgets()


def loaded_scenario() -> str | None:
    """The saved scenario the view shows, or None once the user changed anything after
    loading it (or loaded none): a deck never names a scenario its numbers no longer are."""
    loaded = st.session_state.get(_LOADED_SCENARIO)
    if not loaded:
        return None
    name, file, values, typed = loaded
    if st.session_state.get(_FILE) != file or st.session_state.get(_OVERRIDES, {}) != values:
        return None
    if st.session_state.get(_ACTUALS, {}) != typed:
        return None
    return str(name)


def remembered_choice(name: str) -> Any:
    """The value the user chose for a remembered page control, or None if they chose none."""
    return st.session_state.get(_CHOICE_PREFIX + name)


def reset() -> None:
    """Back to the file's own values, without typed actual figures."""
    _remember_for_undo({})
    st.session_state[_OVERRIDES] = {}
    st.session_state[_ACTUALS] = {}
    _forget_widgets()


def undo() -> None:
    """Put back the assumptions as they were before the last change (a slider, an entry,
    a calibration, a reset, a loaded scenario); say so when there is none to take back."""
    history: list[dict[str, float]] = st.session_state.get(_UNDO, [])
    if not history:
        notice("Nothing to undo: the assumptions are as the file or the link set them.")
        return
    st.session_state[_OVERRIDES] = history.pop()
    _forget_widgets()


def _remember_for_undo(new: Mapping[str, float]) -> None:
    """Before the overrides become ``new``: keep the ones they replace, for :func:`undo`."""
    before = overrides()
    if dict(new) == before:
        return
    history = [*st.session_state.get(_UNDO, []), before]
    st.session_state[_UNDO] = history[-_UNDO_DEPTH:]


def set_override(base: Assumptions, path: str, value: float) -> bool:
    """Record one change if the resulting assumptions are valid; say why not otherwise.

    A value equal to the file's own is dropped from the overrides, so share links and
    scenarios only carry what really differs.
    """
    current = overrides()
    current[path] = value
    try:
        _valid(base, current, actuals())
    except OverrideError as err:
        notice(f"That change was not applied: {err}")
        return False
    file_value = _file_value(base, path)
    if file_value is not None and math.isclose(file_value, value, rel_tol=0, abs_tol=1e-12):
        current.pop(path)
    _remember_for_undo(current)
    st.session_state[_OVERRIDES] = current
    return True


def apply_override(base: Assumptions, path: str, value: float) -> None:
    """Set one assumption from a button (goal seek): the widget showing it is seeded anew.

    The whole app reruns, even from a button inside a fragment, so the sidebar shows it.
    """
    if set_override(base, path, value):
        _renew_widget(path)
        _renew_widget(entry_name(path))
    st.rerun()


def apply_overrides_together(
    base: Assumptions, values: Mapping[str, float], done: str, place: str
) -> None:
    """Set several assumptions from one button (a calibration): all of them or none.

    They become ordinary overrides, so links, scenarios and reset treat them as slider
    moves; values equal to the file's own are dropped, and the widgets showing them are
    seeded anew. ``done`` is the notice then shown at ``place`` (see :func:`notice`).
    The whole app then reruns.
    """
    current = {**overrides(), **values}
    try:
        _valid(base, current, actuals())
    except OverrideError as err:
        notice(f"That change was not applied: {err}", place=place)
        return
    for path, value in values.items():
        file_value = _file_value(base, path)
        if file_value is not None and math.isclose(file_value, value, rel_tol=0, abs_tol=1e-12):
            current.pop(path)
        _renew_widget(path)
        _renew_widget(entry_name(path))
    _remember_for_undo(current)
    st.session_state[_OVERRIDES] = current
    notice(done, place=place)
    st.rerun()  # the whole app, even from a button inside a fragment: the sidebar shows them


def update_from_widget(
    base: Assumptions, path: str, current_value: float, *, widget: str | None = None
) -> Callable[[], bool]:
    """An ``on_change`` callback that copies the widget for ``path`` (or the widget named
    ``widget``, such as its exact entry: :func:`entry_name`) into the overrides; it returns
    whether the change was taken.

    A refused value (for example the last non-zero share set to zero, or an emptied
    entry) puts the widget back where it was, so what the user sees always matches what
    the charts show.
    """

    name = widget or path
    drawn = widget_key(name)

    def copy() -> bool:
        if widget_key(name) != drawn:  # the widget was renewed: a report from before that
            return False
        if drawn not in st.session_state:  # forgotten in this rerun: nothing to take
            return False
        value = _held(drawn)
        # Browsers step sliders in binary floats (20.220000000000002): keep what people see.
        if value is not None and set_override(base, path, round(float(value), 9)):
            return True
        show_in_widget(name, current_value)
        return False

    return copy


def entry_name(path: str) -> str:
    """The name of the exact number entry beside the slider for ``path`` (its key is
    ``widget_key(entry_name(path))``)."""
    return f"{path}.entry"


def show_in_widget(name: str, value: Any) -> None:
    """Show ``value`` in the widget that edits ``name`` (from a callback: its sibling,
    the slider beside an entry or the entry beside a slider, was the one moved). The
    widget is renewed: see :func:`_renew_widget`."""
    st.session_state[_renew_widget(name)] = value


def show_app_value(name: str, value: Any) -> None:
    """Show ``value``, which the app chose (a suggestion that follows the plan, a value the
    user typed and the app now keeps), in the widget that edits ``name``: seeded while the
    widget holds nothing, and renewed (:func:`_renew_widget`) whenever the app's value
    changes, so the browser's report of the value before is not taken for typing."""
    shown = _SHOWN_PREFIX + name
    if widget_key(name) not in st.session_state:
        st.session_state[widget_key(name)] = value
    elif st.session_state.get(shown) != value:
        show_in_widget(name, value)
    st.session_state[shown] = value


def widget_value(name: str, value: Any, *, reseed: bool) -> None:
    """Seed a widget's key from the canonical value when it is missing or ``reseed`` is set."""
    key = widget_key(name)
    if reseed or key not in st.session_state:
        st.session_state[key] = value


def seed_on_arrival(name: str, value: Any, *, arrived: bool) -> None:
    """Seed a widget's key from the canonical value when it is missing, or once when the
    user has just ``arrived`` on the page (a page switch gives every widget a new identity).

    A fragment rerun replays the arguments of the full run that drew it, ``arrived``
    among them: a slider seeded again on every such rerun drops the key presses that
    arrive while it reruns. Seeded once per arrival, it keeps them.
    """
    key, seeded = widget_key(name), _SEEDED_PREFIX + name
    visit = st.session_state.get(_VISIT, 0)
    if key not in st.session_state or (arrived and st.session_state.get(seeded) != visit):
        st.session_state[key] = value
    st.session_state[seeded] = visit


def remembered(
    name: str, default: Any, options: Sequence[Any], *, reseed: bool
) -> tuple[str, Callable[[], None]]:
    """Key and ``on_change`` for a page control (a chosen year, a dimension) that should
    keep its value when the user leaves the page and comes back.

    A remembered value that is no longer among ``options`` (another file was selected)
    becomes the nearest option if both are numbers (a year clamps to the years this view
    has), and ``default`` otherwise. A view control (:func:`remembered_view`) is in the
    address whenever its value differs from ``default``.
    """
    canonical = _CHOICE_PREFIX + name
    key = widget_key(name)
    st.session_state[_CHOICE_DEFAULT_PREFIX + name] = default
    if reseed or st.session_state.get(key) not in options:
        remembered_value = st.session_state.get(canonical, default)
        st.session_state[key] = _nearest(remembered_value, options, default)

    def copy() -> None:
        if _copy(key, canonical):
            _publish_choice()

    return key, copy


def _nearest(value: Any, options: Sequence[Any], default: Any) -> Any:
    if value in options:
        return value
    numbers = [o for o in options if isinstance(o, int | float) and not isinstance(o, bool)]
    if numbers and len(numbers) == len(options) and isinstance(value, int | float):
        return min(numbers, key=lambda option: abs(option - value))
    return default


def remembered_many(
    name: str, default: Sequence[Any], options: Sequence[Any], *, reseed: bool
) -> tuple[str, Callable[[], None]]:
    """Like :func:`remembered` for a multiselect: values no longer offered are dropped.

    Until the user chooses (or a link chooses for them), the control follows ``default``,
    which may change with the view (the comparison adds the current assumptions once they
    differ from the file); what it last showed is kept for other pages' exports
    (:func:`shown_choice`).
    """
    canonical = _CHOICE_PREFIX + name
    key = widget_key(name)
    previous = st.session_state.get(_CHOICE_DEFAULT_PREFIX + name)
    st.session_state[_CHOICE_DEFAULT_PREFIX + name] = list(default)
    chosen = st.session_state.get(canonical)
    followed = chosen is None and previous != list(default)
    if reseed or key not in st.session_state or followed:
        st.session_state[key] = list(default if chosen is None else chosen)
    st.session_state[key] = [v for v in st.session_state[key] if v in options]

    def copy() -> None:
        if _copy(key, canonical, list):
            _publish_choice()

    return key, copy


def remembered_parts(
    name: str,
    default: Any,
    seeds: Mapping[str, Any],
    compose: Callable[[Mapping[str, Any]], Any],
    *,
    reseed: bool,
) -> tuple[dict[str, str], Callable[[], None]]:
    """Keys and one ``on_change`` for a page control drawn as several widgets (a grid
    axis's low end, high end and steps): widget ``<name>.<part>`` is seeded from ``seeds``
    when missing or ``reseed`` is set, and a change of any of them remembers ``compose``
    of every part's value as the control's value (:func:`remembered_choice`), which the
    address carries where it differs from ``default``."""
    st.session_state[_CHOICE_DEFAULT_PREFIX + name] = default
    keys = {part: widget_key(f"{name}.{part}") for part in seeds}
    for part, seed in seeds.items():
        if reseed or keys[part] not in st.session_state:
            st.session_state[keys[part]] = seed

    def copy() -> None:
        parts = {part: _held(key) for part, key in keys.items()}
        if any(value is None for value in parts.values()):  # a part dropped in this rerun
            return
        st.session_state[_CHOICE_PREFIX + name] = compose(parts)
        _publish_choice()

    return keys, copy


def set_choice(name: str, value: Any, parts: Sequence[str] = ()) -> None:
    """Remember ``value`` for a page control from a callback or a button; its widgets (the
    control's own, and ``<name>.<part>`` for each of ``parts``) are seeded anew from it."""
    st.session_state[_CHOICE_PREFIX + name] = value
    st.session_state.pop(widget_key(name), None)
    for part in parts:
        st.session_state.pop(widget_key(f"{name}.{part}"), None)


def shown_choice(name: str) -> Any:
    """What a remembered page control shows: the user's choice, else the default its page
    last drew it with; None if its page has not been drawn in this session."""
    chosen = remembered_choice(name)
    return chosen if chosen is not None else st.session_state.get(_CHOICE_DEFAULT_PREFIX + name)


def remembered_view(
    control: ViewControl,
    a: Assumptions,
    options: Sequence[Any],
    *,
    reseed: bool,
    default: Any = None,
) -> tuple[str, Callable[[], None]]:
    """Key and ``on_change`` for a page control that share links carry: remembered under
    its entry's name (:mod:`market.view_controls`), starting from ``default`` if given (the
    comparison's depends on the saved scenarios, which the entry cannot see), else its
    entry's default on ``a`` and ``options``; several scenarios are remembered like
    :func:`remembered_many`."""
    if default is None:
        default = control.default(a, options)
    if control.kind is Kind.SCENARIOS:
        return remembered_many(control.name, default, options, reseed=reseed)
    return remembered(control.name, default, options, reseed=reseed)


def seeded_many(name: str, value: Sequence[Any], options: Sequence[Any], *, reseed: bool) -> str:
    """The key of a multiselect seeded from ``value`` (when missing or ``reseed``), holding
    only values still among ``options``."""
    key = widget_key(name)
    if reseed or key not in st.session_state:
        st.session_state[key] = list(value)
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    return key


# --- the Risk page's two-way grid (market.grid) ----------------------------------------------


def grid() -> GridSpec | None:
    """The grid the Risk page last drew in this session, for exports; None before it drew one."""
    return st.session_state.get(_GRID)


def set_grid(spec: GridSpec) -> None:
    """Record the grid the Risk page draws (its controls already show it)."""
    st.session_state[_GRID] = spec


# --- the opportunity (market.opportunity) ----------------------------------------------------


def opportunity() -> Opportunity | None:
    """The user's opportunity choices, or None if they have made none in this session."""
    return st.session_state.get(_OPPORTUNITY)


def set_opportunity(choices: Opportunity | None) -> None:
    """Record the choices the Opportunity page's controls show (they already show them)."""
    st.session_state[_OPPORTUNITY] = choices


def apply_opportunity(choices: Opportunity | None) -> None:
    """Set the choices from a button, a link or a scenario: the controls are seeded anew."""
    st.session_state[_OPPORTUNITY] = choices
    for key in [k for k in st.session_state if str(k).startswith(_OPPORTUNITY_WIDGETS)]:
        _forget(key)


def enter_page(name: str) -> bool:
    """Note which page is running (a full run); True when it differs from the last run's page."""
    changed = st.session_state.get(_PAGE) != name
    if changed:
        st.session_state[_VISIT] = st.session_state.get(_VISIT, 0) + 1
    st.session_state[_PAGE] = name
    st.session_state[_FOLLOWING] = []
    return changed


def follow(fragment: str) -> None:
    """Note that this run drew ``fragment``, a part that follows the assumptions."""
    drawn = st.session_state.setdefault(_FOLLOWING, [])
    if fragment not in drawn:
        drawn.append(fragment)


def following() -> tuple[str, ...]:
    """The fragments that follow the assumptions on the page drawn last, by key."""
    return tuple(st.session_state.get(_FOLLOWING, ()))


def notice(message: str, place: str = "sidebar") -> None:
    """A message for the user that survives the rerun a callback triggers.

    ``place`` says where it is shown: the sidebar, or a named part of a page.
    """
    st.session_state[f"{_NOTICE}.{place}"] = message


def clear_notice(place: str = "sidebar") -> str | None:
    """The pending message for ``place``, if any, removed so it is shown once."""
    message: str | None = st.session_state.pop(f"{_NOTICE}.{place}", None)
    return message


def _forget_widgets(keep: str | None = None) -> None:
    for key in [k for k in st.session_state if str(k).startswith(_WIDGET_PREFIX)]:
        if key != keep:
            _forget(key)


def _file_value(base: Assumptions, path: str) -> float | None:
    parameter = parameter_index(base).get(path)
    return None if parameter is None else parameter.value


# --- share links ---------------------------------------------------------------------------


def follow_link_once(files: Mapping[str, Assumptions], default_file: str) -> None:
    """On a session's first run, take the file, overrides, Opportunity choices and page
    controls (the ``v.`` keys, :data:`market.view_controls.VIEW_CONTROLS`) from the URL.

    A first run is a new visit, or a tab that reconnected to a server process (another
    replica, a restarted pod) that has never seen its session: either way the session
    has no canonical state yet and is rebuilt from the address, which
    :func:`publish_link` keeps current after every run.
    Later runs ignore the URL: it only mirrors the session's state.
    Each part of the link that cannot be used is dropped with a warning.
    """
    if st.session_state.get(_LINK_READ):
        return
    st.session_state[_LINK_READ] = True
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    if not params:
        return
    decoded = links.decode(
        params,
        list(files),
        files.__getitem__,
        default_file=default_file,
        scenarios=lambda: workspace.listing()[0].names,
        current=CURRENT_KEY,
        file_own=BASE_KEY,
    )
    if decoded.file is not None:
        replace_overrides(decoded.file, decoded.overrides, typed=decoded.actuals)
        st.session_state[_UNDO] = []  # what a link opens is where Undo starts
    if decoded.opportunity is not None:
        apply_opportunity(decoded.opportunity)
    for name, value in decoded.view.items():  # the pages' controls seed from these
        st.session_state[_CHOICE_PREFIX + name] = value
    st.session_state[_LINK_WARNINGS] = decoded.warnings


def publish_link(default_file: str) -> None:
    """Mirror the session's file, overrides, opportunity choices and page controls in the
    URL, so copying it shares the view."""
    file = selected_file(default_file)
    wanted = links.encode(
        file,
        overrides(),
        default_file=default_file,
        opportunity=opportunity(),
        actuals=actuals(),
    )
    base = last_good(file)  # the file's assumptions, as the sidebar read them this run
    if base is not None:
        wanted |= links.encode_view(
            {name: st.session_state.get(_CHOICE_PREFIX + name) for name in _VIEW_CHOICES},
            {
                name: st.session_state[_CHOICE_DEFAULT_PREFIX + name]
                for name in _VIEW_CHOICES
                if _CHOICE_DEFAULT_PREFIX + name in st.session_state
            },
            base,
            current=CURRENT_KEY,
            file_own=BASE_KEY,
        )
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


_VIEW_CHOICES = tuple(control.name for control in VIEW_CONTROLS)


def _publish_choice() -> None:
    """After a page control changed: the address shows it at once, even when only the
    control's own fragment reruns (the Risk page's tornado)."""
    publish_link(default_assumptions().name)


_REJOIN_TIMER = timedelta(hours=1)


def rebuild_after_reconnect() -> None:
    """Have the browser ask for a run as soon as it reconnects, so the view is rebuilt at once.

    Streamlit 1.67's browser asks for a run after a reconnect only while the page holds a
    fragment that reruns on a timer. Without one, a tab whose replica stopped reconnects to
    another that has never seen its session, and no script runs there: the old view stays
    on screen with nothing behind it, and the next slider move reaches a blank session,
    which takes the address's values and drops the move. This empty fragment's timer is
    that trigger; the run it brings takes the view from the address
    (:func:`follow_link_once`). Its own reruns, once an hour, draw nothing.
    """
    _rejoin_timer()


@st.fragment(run_every=_REJOIN_TIMER)
def _rejoin_timer() -> None:
    """Draws nothing: only its timer matters (:func:`rebuild_after_reconnect`)."""


# Streamlit drops a too long query string before any script sees it (st.query_params is
# then empty): the browser, which still has the address, reports its size once per element.
_LINK_SIZE_JS = """
export default function ({ data, setTriggerValue, parentElement }) {
  if (parentElement.__marketLinkSize) return;
  parentElement.__marketLinkSize = true;
  const query = window.location.search.replace(/^[?]/, "");
  const parameters = query ? query.split("&").length : 0;
  if (parameters > data.parameters || query.length > data.characters)
    setTriggerValue("size", { parameters, characters: query.length });
}
"""
_link_size = st.components.v2.component("market_link_size", js=_LINK_SIZE_JS)


def check_link_size() -> None:
    """Warn, once a session, when the address held a link too long for Streamlit to pass on.

    Draws an empty element; the browser reports a too long address, the run it triggers
    warns (:func:`link_warnings`) and replaces the address with the session's own link.
    """
    result = _link_size(
        key=_LINK_SIZE,
        data={"parameters": links.MAX_LINK_PARAMETERS, "characters": links.MAX_LINK_CHARACTERS},
        on_size_change=_ignore,
        height=0,
    )
    size = result.get("size")
    if not isinstance(size, dict) or st.session_state.get(_LINK_SIZE_TOLD):
        return
    try:
        warning = links.too_long(int(size["parameters"]), int(size["characters"]))
    except (KeyError, TypeError, ValueError):  # not what the element sends: nothing to say
        return
    if warning is not None:
        st.session_state[_LINK_SIZE_TOLD] = True
        st.session_state[_LINK_WARNINGS] = (*st.session_state.get(_LINK_WARNINGS, ()), warning)
        st.query_params.clear()  # publish_link writes the session's own link after this


def _ignore() -> None:
    """A component's state key needs a callback; the run itself reads the value."""


def link_warnings() -> tuple[str, ...]:
    """Why parts of the opening link were ignored; given once."""
    return tuple(st.session_state.pop(_LINK_WARNINGS, ()))


# --- uploaded files and the last good version of a file ------------------------------------


def uploads() -> dict[str, Assumptions]:
    """Assumptions files this session uploaded: usable here, never written to disk."""
    return dict(st.session_state.get(_UPLOADS, {}))


def add_upload(name: str, a: Assumptions) -> None:
    st.session_state[_UPLOADS] = {**uploads(), name: a}


def remember_good(name: str, a: Assumptions) -> None:
    st.session_state[_LAST_GOOD] = (name, a)


def last_good(name: str) -> Assumptions | None:
    """The last valid version of ``name`` this session used, if the file has since broken."""
    remembered_name, a = st.session_state.get(_LAST_GOOD, (None, None))
    return a if remembered_name == name else None


# --- who is looking --------------------------------------------------------------------------


def author() -> str:
    """Who this session's changes are recorded as: with a login, the signed-in user's
    e-mail (else their name); without one, "anonymous"."""
    user = st.user
    if not user.get("is_logged_in"):
        return ANONYMOUS
    return str(user.get("email") or user.get("name") or ANONYMOUS)


# --- confirmations -------------------------------------------------------------------------


def ask(action: str, subject: str, version: str | int | None = None) -> None:
    """Hold a destructive action (overwrite, delete) until the user confirms it.

    ``version`` is what the user was shown (a saved scenario's version): confirming
    acts on that version only, so a change someone else made meanwhile is not lost.
    """
    st.session_state[_ASK + action] = subject
    st.session_state[_ASK + action + ".version"] = version


def asked(action: str) -> str | None:
    return st.session_state.get(_ASK + action)


def asked_version(action: str) -> str | int | None:
    """The version the pending ``action`` was asked about, if one was given."""
    return st.session_state.get(_ASK + action + ".version")


def answer(action: str) -> None:
    st.session_state.pop(_ASK + action, None)
    st.session_state.pop(_ASK + action + ".version", None)
