"""The Opportunity page's controls: what we serve, the share we plan to capture, a revenue goal.

Every control edits one field of a :class:`market.opportunity.Opportunity`. The session's
choices live in :func:`dashboard.state.opportunity`; each control is seeded from them when
the user arrives on the page (or a button, link or scenario set them), and the page
records what the controls show on every run. Every number typed here is the user's own
assumption, and the labels say so.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import cache, state
from dashboard.layout import View
from market import Assumptions
from market.assumptions import slugify
from market.opportunity import (
    INDEPENDENCE_NOTE,
    Opportunity,
    OpportunityError,
    OpportunityRisk,
    Pick,
    Served,
    Shape,
    fitted,
    required_target_share_pct,
    segment_choices,
)
from market.parameter_table import CAGR_PATH
from market.paths import default_assumptions
from report.export import plan_csv
from report.format import money, pct

__all__ = [
    "YOURS",
    "cards",
    "current",
    "goal",
    "goal_seek",
    "plan_download",
    "record",
    "served",
    "share_path",
]

YOURS = "your assumption"
_SHAPES = {Shape.LINEAR: "Linear", Shape.S_CURVE: "S-curve (slow, fast, slow)"}


def _name(field: str) -> str:
    return f"opportunity.{field}"


def current(view: View) -> Opportunity:
    """The session's choices, fitted to the market on screen (defaults if none yet)."""
    return fitted(view.current, state.opportunity() or Opportunity())


def served(view: View, now: Opportunity) -> tuple[Served, ...]:
    """One multiselect per dimension (none picked: all of it), then the served fractions."""
    a, reseed = view.current, view.page_changed
    picked: dict[str, list[str]] = {}
    columns = st.columns(3)
    for i, dim in enumerate(a.dimensions):
        options = segment_choices(a, dim.id)
        key = state.seeded_many(
            _name(f"serve.{dim.id}"), list(now.picks(dim.id)), list(options), reseed=reseed
        )
        picked[dim.id] = columns[i % 3].multiselect(
            f"{dim.name}: segments we serve",
            options=list(options),
            format_func=options.__getitem__,
            key=key,
            placeholder="All of it",
            help="Pick the segments you sell into; none picked means the whole dimension.",
        )
    result = []
    with st.expander(f"Served fractions ({YOURS})", icon=":material/percent:"):
        st.caption("The part of each picked segment you can reach, e.g. 50% of Europe.")
        if not any(picked.values()):
            st.caption("Pick a segment above to set how much of it you reach.")
        for dim in a.dimensions:
            keys = _outermost(picked[dim.id])
            labels = segment_choices(a, dim.id)
            picks = []
            for key in keys:
                name = _name(f"reach.{dim.id}.{key}")
                state.widget_value(name, now.picks(dim.id).get(key, 100.0), reseed=reseed)
                pct = st.number_input(
                    f"{dim.name} · {labels[key]}: % we reach ({YOURS})",
                    min_value=0.1,
                    max_value=100.0,
                    step=5.0,
                    format="%.1f",
                    key=state.widget_key(name),
                )
                picks.append(Pick(segment=key, served_pct=float(pct)))
            if picks:
                result.append(Served(dimension=dim.id, picks=tuple(picks)))
    return tuple(result)


def _outermost(keys: list[str]) -> list[str]:
    """Picks that lie inside another pick are counted once, as the larger one."""
    return [k for k in keys if not any(k.startswith(o + ".") for o in keys)]


def _share_input(column: Any, name: str, label: str, value: float, reseed: bool) -> float:
    """A share of the served market in %, typed by the user (0 to 100, two decimals)."""
    state.widget_value(_name(name), value, reseed=reseed)
    return float(
        column.number_input(
            label,
            min_value=0.0,
            max_value=100.0,
            step=0.5,
            format="%.2f",
            key=state.widget_key(_name(name)),
        )
    )


def share_path(view: View, now: Opportunity, base_sam: float) -> dict[str, Any]:
    """Start and target share, the target year, the shape, and an optional current revenue."""
    a, reseed = view.current, view.page_changed
    years = list(range(a.years.base + 1, a.years.horizon + 1))
    unit = a.market.unit
    state.widget_value(_name("anchor"), now.current_revenue is not None, reseed=reseed)
    anchored = st.toggle(
        f"Start from our current revenue in {a.years.base}",
        key=state.widget_key(_name("anchor")),
        help="The starting share is then derived: current revenue / served market.",
    )
    start, target, by, shape = st.columns([1, 1, 1.4, 1.4])
    fields: dict[str, Any] = {}
    if anchored:
        suggestion = round(max(base_sam * now.start_share_pct / 100.0, 0.1), 1)
        state.widget_value(_name("revenue"), now.current_revenue or suggestion, reseed=reseed)
        fields["current_revenue"] = start.number_input(
            f"Revenue {a.years.base} ({unit}, {YOURS})",
            min_value=0.01,
            step=1.0,
            format="%.2f",
            key=state.widget_key(_name("revenue")),
        )
        fields["start_share_pct"] = now.start_share_pct
    else:
        label = f"Share of SAM {a.years.base} (%, {YOURS})"
        fields["start_share_pct"] = _share_input(start, "start", label, now.start_share_pct, reseed)
    label = f"Target share of SAM (%, {YOURS})"
    fields["target_share_pct"] = _share_input(target, "target", label, now.target_share_pct, reseed)
    state.widget_value(_name("by"), now.target_year or a.years.horizon, reseed=reseed)
    reached = by.select_slider(
        "Target share reached in", options=years, key=state.widget_key(_name("by"))
    )
    fields["target_year"] = None if reached == a.years.horizon else int(reached)
    state.widget_value(_name("shape"), now.shape, reseed=reseed)
    fields["shape"] = shape.radio(
        "Share path",
        options=list(_SHAPES),
        format_func=_SHAPES.get,
        horizontal=True,
        key=state.widget_key(_name("shape")),
    )
    return fields


def cards(a: Assumptions, now: Opportunity, plan: pd.DataFrame, risk: OpportunityRisk) -> None:
    """Headline cards in two rows of three: the served market and shares, then revenue."""
    unit, base, horizon = a.market.unit, a.years.base, a.years.horizon
    first, last = plan.iloc[0], plan.iloc[-1]
    derived = " (derived)" if now.current_revenue is not None else ""
    top = st.columns(3)
    top[0].metric(
        f"SAM {horizon} (independence assumed)",
        money(last["sam"], unit),
        help=INDEPENDENCE_NOTE,
        border=True,
    )
    top[1].metric(f"Share of SAM {base}{derived}", pct(first["share_pct"], 2), border=True)
    top[2].metric(f"Share of SAM {horizon}", pct(last["share_pct"], 2), border=True)
    bottom = st.columns(3)
    bottom[0].metric(f"Revenue {horizon} (plan)", money(last["revenue"], unit), border=True)
    spread = f"Over {risk.paths:,} simulated paths of the market; the share path is yours."
    for column, q in zip(bottom[1:], ("p10", "p90"), strict=True):
        column.metric(
            f"Revenue {horizon}, {q.upper()}",
            money(risk.horizon[q], unit),
            help=spread,
            border=True,
        )


def goal(a: Assumptions, now: Opportunity, plan: pd.DataFrame) -> tuple[Opportunity, float, int]:
    """A revenue target and its year: the choices with them, the target and the year.

    Until the user types a target, the box shows a suggestion (half again the plan's last
    year) that follows the plan and is labelled as suggested; the choices keep none, so no
    link, workbook or deck calls it the user's. Typing one makes it theirs (:func:`_typed`).
    """
    years = list(range(a.years.base + 1, a.years.horizon + 1))
    suggestion = round(float(plan["revenue"].iloc[-1]) * 1.5, 1)
    typed = now.revenue_target is not None
    # While reruns overlap (a slider held down), the browser may still report the box as
    # drawn with an earlier suggestion: a new suggestion renews the box, so that report
    # is the old box's, which is not the user's typing (see :func:`_typed`).
    name = _name("goal")
    value, year = st.columns(2)
    state.show_app_value(name, now.revenue_target if typed else suggestion)
    drawn = state.widget_key(name)
    target = value.number_input(
        f"Revenue target ({a.market.unit}, {YOURS if typed else 'suggested'})",
        min_value=0.01,
        step=1.0,
        format="%.1f",
        key=drawn,
        on_change=_typed,
        args=(now, name, drawn),
        help=f"Suggested: {money(suggestion, a.market.unit)}, half again the plan's last year.",
    )
    shown = money(target, a.market.unit)  # the box cannot show thousands separators
    if not typed:
        shown += " · Suggested (half again the plan's last year), not your choice: type one."
    value.caption(shown)
    state.widget_value(_name("goal-year"), now.revenue_target_year or a.years.horizon, reseed=False)
    when = year.selectbox("By the year", options=years, key=state.widget_key(_name("goal-year")))
    update = {
        "revenue_target": float(target) if typed else None,
        "revenue_target_year": None if when == a.years.horizon else int(when),
    }
    return now.model_copy(update=update), float(target), int(when)


def _typed(now: Opportunity, name: str, drawn: str) -> None:
    """The user typed a revenue target in the box ``name`` (drawn under the key ``drawn``):
    from now on it is theirs (in the link and exports). A box the app has renewed since
    reports what was shown before, not what was typed."""
    held = state.widget_input(name)
    if state.widget_key(name) != drawn or held is None:
        return
    target = float(held)
    state.set_opportunity(now.model_copy(update={"revenue_target": target}))


def goal_seek(view: View, now: Opportunity, revenue: float, year: int) -> None:
    """What reaching ``revenue`` in ``year`` takes: a target share, or a market CAGR; one
    click applies either."""
    a = view.current
    left, right = st.columns(2)
    try:
        share = required_target_share_pct(a, now, revenue, year)
    except OpportunityError as err:
        left.info(str(err), icon=":material/info:")
    else:
        left.markdown(
            f"It takes a target share of **{pct(share, 2)}** of SAM "
            f"(now {pct(now.target_share_pct, 2)})."
        )
        left.button(
            "Apply this target share",
            icon=":material/call_made:",
            on_click=state.apply_opportunity,
            args=(now.model_copy(update={"target_share_pct": round(share, 4)}),),
        )
    try:
        cagr = cache.required_cagr(a, now, revenue, year)
    except OpportunityError as err:
        right.info(str(err), icon=":material/info:")
    else:
        right.markdown(
            f"Or, with this share path, a market CAGR of **{pct(cagr, 2)}** "
            f"(now {pct(a.growth.cagr_pct.value, 2)})."
        )
        right.button(
            "Apply this CAGR to the sidebar",
            icon=":material/call_made:",
            on_click=state.apply_override,
            args=(view.base, CAGR_PATH, round(cagr, 4)),
        )


def plan_download(a: Assumptions, plan: pd.DataFrame) -> None:
    """The plan year by year as CSV (``market opportunity --format csv`` writes the same)."""
    st.download_button(
        "Opportunity plan (CSV)",
        data=functools.partial(plan_csv, plan),
        file_name=f"{slugify(a.market.name) or 'market'}-opportunity.csv",
        mime="text/csv",
        icon=":material/table_view:",
        on_click="ignore",
        help="year, market, sam, share_pct, revenue; full precision.",
        key="download-opportunity-csv",
    )


def record(before: Opportunity, after: Opportunity) -> None:
    """Keep what the controls show, and put it in the address (the layout wrote the
    address before the controls ran); a session that changed nothing keeps no choices."""
    if state.opportunity() is not None or after != before:
        state.set_opportunity(after)
        state.publish_link(default_assumptions().name)
