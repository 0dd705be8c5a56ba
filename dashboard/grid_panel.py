"""The Risk page's two-way grid: its controls, the heatmap, and a click that applies a cell.

The grid (:mod:`market.grid`) puts any two inputs against one outcome. The controls are
page controls the session remembers (and a share link carries): the row and the column
input, each with its range as ``market grid`` writes it (``LOW:HIGH:STEPS``, empty for
±25 % of the current value in 7 steps), the outcome, its year and a target. A click on a
cell sets that cell's two values as ordinary overrides, like two slider moves (the
opportunity's target share, when it is an axis, as the Opportunity page's choice), and
keeps the grid where it is, so the outline moves to the clicked cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import streamlit as st

from dashboard import cache, chart_element, components, state
from dashboard.layout import View
from market import Assumptions, Opportunity
from market.grid import (
    DEFAULT_SPAN_PCT,
    DEFAULT_STEPS,
    MAX_STEPS,
    REVENUE,
    TARGET_SHARE,
    AxisSpec,
    Grid,
    GridSpec,
    Input,
    default_range,
    format_outcome,
    format_range,
    inputs,
    outcomes,
    parse_outcome,
    parse_range,
)
from market.risk import TOTAL
from market.view_controls import (
    GRID_COLUMNS,
    GRID_COLUMNS_RANGE,
    GRID_OUTCOME,
    GRID_ROWS,
    GRID_ROWS_RANGE,
    GRID_TARGET,
    ViewControl,
)
from report import charts
from report.format import money

__all__ = ["CLICKED", "COLUMNS", "OUTCOME", "ROWS", "TARGET", "show"]

ROWS, COLUMNS = GRID_ROWS.name, GRID_COLUMNS.name
"""The page controls of the two inputs (a path); ``<name>-range`` holds each one's range
(:data:`market.view_controls.GRID_ROWS_RANGE`)."""
OUTCOME = GRID_OUTCOME.name
"""The outcome and its year, as ``market grid --of`` writes them (``region/europe@2030``)."""
TARGET = GRID_TARGET.name
CLICKED = "risk.grid.clicked"
"""Where the notice of an applied cell is shown."""
_RANGE_PARTS = ("low", "high", "steps")


def show(view: View) -> None:
    """The controls and the grid for the current assumptions (with the session's
    opportunity choices, fitted to them, if it has any)."""
    a = view.current
    choices = components.fitted_choices(a)
    spec = _controls(view, choices)
    state.set_grid(spec)
    try:
        grid = cache.two_way(a, spec, choices)
    except ValueError as err:
        st.warning(f"This grid cannot be drawn: {err}", icon=":material/grid_off:")
        return
    for warning in grid.warnings:
        st.caption(f":material/warning: {warning}")
    clicked = chart_element.show(charts.two_way(grid), key="risk-grid", clicks=True)
    done = state.clear_notice(CLICKED)
    if done:
        st.success(done, icon=":material/check:")
    st.caption(_caption(grid))
    if clicked is not None:
        _apply(view.base, grid, clicked, choices)


def _controls(view: View, choices: Opportunity | None) -> GridSpec:
    """Draw the controls; the grid they choose."""
    a, reseed = view.current, view.page_changed
    offered = inputs(a, choices)
    left, right = st.columns(2)
    with left:
        row_path = _input("Rows", GRID_ROWS, GRID_ROWS_RANGE, a, offered, reseed=reseed)
    with right:
        column_path = _input("Columns", GRID_COLUMNS, GRID_COLUMNS_RANGE, a, offered, reseed=reseed)
    keys, remember, years = _outcome_keys(a, outcomes(a, choices), reseed=reseed)
    found = outcomes(a, choices)
    of = st.selectbox(
        "Outcome", list(found), format_func=found.__getitem__, key=keys["of"], on_change=remember
    )
    with st.expander("Ranges, year and target"):
        rows = _range("Rows", ROWS, offered[row_path], a, reseed=reseed)
        columns = _range("Columns", COLUMNS, offered[column_path], a, reseed=reseed)
        left, right = st.columns(2)
        year = left.selectbox("Year", years, key=keys["year"], on_change=remember)
        target = _target(a, right, reseed=reseed)
    return GridSpec(rows, columns, of, None if year == a.years.horizon else year, target)


def _input(
    label: str,
    control: ViewControl,
    span: ViewControl,
    a: Assumptions,
    offered: Mapping[str, Input],
    *,
    reseed: bool,
) -> str:
    """The input of one axis (a path); choosing another resets its range (``span``) to the
    defaults."""
    options = {path: i.label for path, i in offered.items()}
    key, remember = state.remembered_view(control, a, list(options), reseed=reseed)

    def chosen() -> None:
        remember()
        state.set_choice(span.name, "", _RANGE_PARTS)

    path: str = st.selectbox(
        label, list(options), format_func=options.__getitem__, key=key, on_change=chosen
    )
    return path


def _range(label: str, name: str, i: Input, a: Assumptions, *, reseed: bool) -> AxisSpec:
    """The axis's low end, high end and steps; an empty end is the default one."""
    range_name = f"{name}-range"
    try:
        chosen = parse_range(i.path, str(state.remembered_choice(range_name) or ""))
    except ValueError:  # not what this page writes: start from the defaults
        chosen = AxisSpec(i.path)

    def compose(parts: Mapping[str, Any]) -> str:
        steps = parts["steps"] if isinstance(parts["steps"], int) else DEFAULT_STEPS
        return format_range(AxisSpec(i.path, parts["low"], parts["high"], steps))

    seeds = {"low": chosen.low, "high": chosen.high, "steps": chosen.steps}
    keys, remember = state.remembered_parts(range_name, "", seeds, compose, reseed=reseed)
    low, high = default_range(i)
    unit = "" if i.unit in ("", "weight") else f" ({i.unit})"
    left, middle, right = st.columns(3)
    typed = [
        where.number_input(
            f"{label}: {i.label}, {end}{unit}",
            key=keys[part],
            on_change=remember,
            placeholder=f"{value:,.4g}",
            format="%g",
            step=None,
        )
        for where, part, end, value in ((left, "low", "from", low), (middle, "high", "to", high))
    ]
    steps = right.number_input(
        "Steps",
        min_value=1,
        max_value=MAX_STEPS,
        key=keys["steps"],
        on_change=remember,
        help=f"At most {MAX_STEPS}: a grid holds at most {MAX_STEPS} × {MAX_STEPS} cells.",
    )
    if typed[0] is None and typed[1] is None:
        st.caption(f"Empty ends: ±{DEFAULT_SPAN_PCT:g}% of the current value, in range.")
    return AxisSpec(i.path, typed[0], typed[1], int(steps))


def _outcome_keys(
    a: Assumptions, found: Mapping[str, str], *, reseed: bool
) -> tuple[dict[str, str], Any, list[int]]:
    """The widget keys of the outcome and its year, their ``on_change`` and the years."""
    try:
        of, year = parse_outcome(str(state.remembered_choice(OUTCOME) or ""))
    except ValueError:
        of, year = TOTAL, None
    of = of if of in found else TOTAL
    first = a.years.base if of == REVENUE else a.years.first
    years = list(range(first, a.years.horizon + 1))
    year = year if year in years else a.years.horizon
    widget_of = state.widget_input(f"{OUTCOME}.of")
    widget_year = state.widget_input(f"{OUTCOME}.year")
    stale = widget_of not in found or widget_year not in years  # another file, or a reset

    def compose(parts: Mapping[str, Any]) -> str:
        shown = parts["year"] if isinstance(parts["year"], int) else None
        return format_outcome(parts["of"], None if shown == a.years.horizon else shown)

    keys, remember = state.remembered_parts(
        OUTCOME, TOTAL, {"of": of, "year": year}, compose, reseed=reseed or stale
    )
    return keys, remember, years


def _target(a: Assumptions, where: Any, *, reseed: bool) -> float | None:
    """A value for the outcome to reach (empty: none), in the market's unit."""
    chosen = state.remembered_choice(TARGET)
    seeds = {"value": chosen if isinstance(chosen, float) and chosen > 0 else None}
    keys, remember = state.remembered_parts(
        TARGET, None, seeds, lambda parts: parts["value"], reseed=reseed
    )
    value = where.number_input(
        f"Target ({a.market.unit})",
        min_value=0.01,
        key=keys["value"],
        on_change=remember,
        placeholder="none",
        help="Marks the cells at or above it and draws their boundary.",
    )
    return None if value is None else float(value)


def _caption(grid: Grid) -> str:
    rows, columns = grid.rows.input, grid.columns.input
    words = (
        f"Each cell is the forecast with {rows.label} and {columns.label} set to its row's "
        "and column's values, every other assumption as it is; both are assumptions. "
        "Click a cell to apply its two values."
    )
    if grid.current is None:
        words += " The current assumptions lie between the cells."
    if grid.target is not None:
        reached = int(grid.reaching().sum())
        words += (
            f" {reached} of {grid.values.size} combinations reach "
            f"{money(grid.target, grid.unit)} (marked ▲)."
        )
    return words


def _apply(
    base: Assumptions, grid: Grid, clicked: Mapping[str, Any], choices: Opportunity | None
) -> None:
    """Set the clicked cell's two values, keeping the grid as drawn."""
    try:
        row, column = int(clicked["y"]), int(clicked["x"])
        value = float(grid.values[row, column])
    except (KeyError, TypeError, ValueError, IndexError):  # not what the chart sends
        return
    if not math.isfinite(value):
        state.notice("The model refuses that pair: every share of a group at zero.", CLICKED)
        return
    for name, axis in ((ROWS, grid.rows), (COLUMNS, grid.columns)):
        # the ends to 12 digits: the link reads 25.15, not 25.150000000000002
        low, high = (float(f"{end:.12g}") for end in (axis.values[0], axis.values[-1]))
        kept = AxisSpec(axis.input.path, low, high, len(axis.values))
        state.set_choice(f"{name}-range", format_range(kept), _RANGE_PARTS)
    cell = grid.overrides(row, column)
    if TARGET_SHARE in cell and choices is not None:
        state.apply_opportunity(
            choices.model_copy(update={"target_share_pct": cell.pop(TARGET_SHARE)})
        )
    words = ", ".join(f"{path} = {v:,.6g}" for path, v in cell.items())
    state.apply_overrides_together(base, cell, f"Applied {words}.", CLICKED)
