"""Small Streamlit pieces shared by pages: the tables behind charts and the downloads."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import cache, state, workspace
from dashboard.comparison import resolve_chosen
from market import Assumptions, Opportunity, estimates, opportunity
from market.model import Forecast, as_float
from market.paths import assumptions_dir, default_assumptions
from market.summary import RANGE, RANGE_LABELS
from market.view_controls import COMPARED, PATHS, TORNADO_TARGET, ViewControl
from report import formats
from report.format import money

__all__ = [
    "DOWNLOADS",
    "assumed_note",
    "dataframe",
    "downloads",
    "estimates_table",
    "fitted_choices",
    "outcome_cards",
    "range_table",
    "table",
    "totals_table",
]


def table(
    rows: Callable[[], pd.DataFrame],
    unit: str,
    *,
    name: str,
    label: str = "Show the table behind the chart",
) -> None:
    """The numbers behind a chart, formatted for people, built and sent only while its
    expander is open (the data grid is the page's heaviest element). ``name`` tells the
    tables apart; each stays open or closed across pages."""
    key, remember = state.remembered_panel(f"table.{name}", reseed=False)
    panel = st.expander(label, icon=":material/table:", key=key, on_change=remember)
    if not panel.open:
        return
    frame = rows()
    with panel:
        dataframe(
            frame,
            column_config={
                c: st.column_config.NumberColumn(
                    c, format="%,.1f", help="%" if "(%)" in str(c) else unit
                )
                for c in frame.columns
                if pd.api.types.is_float_dtype(frame[c])
            },
        )


_DECIMALS = re.compile(r"\.(\d+)f")


def dataframe(
    frame: pd.DataFrame, column_config: Mapping[str, Any] | None = None, **options: Any
) -> None:
    """A table as people read it: a missing value is an empty cell (not "None"), a number
    that rounds to zero reads 0.0 (never "-0.0"), and a ``year`` index is headed "Year"."""
    config = dict(column_config or {})
    if str(frame.index.name).lower() == "year" and "_index" not in config:
        config["_index"] = st.column_config.NumberColumn("Year", format="%d")
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            setting = config.get(column)
            number_format = (
                setting.get("type_config", {}).get("format") if isinstance(setting, dict) else None
            )
            found = _DECIMALS.search(number_format or "")
            decimals = int(found.group(1)) if found else 4
            # rounded as shown, then +0.0 turns the -0.0 that rounding leaves into 0.0
            shown[column] = shown[column].round(decimals) + 0.0
    options.setdefault("width", "stretch")
    st.dataframe(shown, column_config=config, placeholder="", **options)


def fitted_choices(a: Assumptions) -> Opportunity | None:
    """The session's Opportunity choices, fitted to ``a``; the workbook and brief show them."""
    choices = state.opportunity()
    return None if choices is None else opportunity.fitted(a, choices)


def remembered_selectbox(
    label: str,
    control: ViewControl,
    a: Assumptions,
    options: Mapping[Any, str],
    *,
    reseed: bool,
    where: Any = st,
    **widget: Any,
) -> Any:
    """A select box of ``options`` (value -> the name shown) for a view control: the session
    keeps its choice across pages and share links (:func:`dashboard.state.remembered_view`),
    and it starts from the control's default on ``a``."""
    key, remember = state.remembered_view(control, a, list(options), reseed=reseed)
    return where.selectbox(
        label,
        options=list(options),
        format_func=options.__getitem__,
        key=key,
        on_change=remember,
        **widget,
    )


def assumed_note(what: str) -> None:
    """Say plainly that what follows is an assumption, not a reported figure."""
    st.caption(f":material/info: {what} are **assumptions**, not figures from the source.")


def outcome_cards(band: pd.DataFrame, unit: str) -> None:
    """The range of outcomes at the horizon as three numbers, readable without hovering.
    ``band``: :func:`market.summary.outcome_range`."""
    horizon = int(band.index[-1])
    for column, q in zip(st.columns(len(RANGE)), RANGE, strict=True):
        column.metric(
            f"{RANGE_LABELS[q]}, {horizon}", money(as_float(band.at[horizon, q]), unit), border=True
        )


def range_table(band: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The range of outcomes each year, as the table behind the fan shows it."""
    return band.rename(columns={q: f"{RANGE_LABELS[q]} ({unit})" for q in RANGE})


def totals_table(f: Forecast) -> pd.DataFrame:
    """The trajectory as people read it: one row a year, reported and modelled side by side,
    each year's growth, and the actual figures with their drift when there are any."""
    totals = f.totals
    columns = {
        f"Market size ({f.unit})": totals["value"],
        f"Reported ({f.unit})": totals["reported"],
        "Figure": totals["modelled"].map({True: "modelled", False: "reported"}),
        "Growth (%)": totals["growth_pct"],
    }
    if totals["actual"].notna().any():
        columns |= {
            f"Actual ({f.unit})": totals["actual"],
            "Drift (%)": totals["drift_pct"],
            f"Drift ({f.unit})": totals["drift"],
        }
    return pd.DataFrame(columns, index=totals.index)


STATED_MARK = "◆"
"""Beside a value in the estimates table: the source's own figure (the chart's diamond)."""


def estimates_table(c: estimates.Comparison) -> pd.DataFrame:
    """The comparison as people read it, one decimal throughout: the model and where it
    sits first, then each source's value (its own figures marked with the chart's
    diamond, :data:`STATED_MARK`; the others derived), the median (derived) and the
    spread (the range's width as % of the median; its ends are the lowest and highest
    source of the row, and the workbook lists them). Narrow enough for a wide screen to
    show it whole."""
    flat = estimates.table(c)
    columns: dict[str, pd.Series] = {
        "Model": flat["model"],
        "Model in the range": flat["model_position"],
    }
    for e in c.estimates:
        columns[e.label] = pd.Series(
            [
                ""
                if basis == ""
                else f"{value:,.1f} {STATED_MARK}"
                if basis == "stated"
                else f"{value:,.1f}"
                for value, basis in zip(flat[e.id], flat[f"{e.id} basis"], strict=True)
            ]
        )
    columns |= {"Median": flat["median"], "Spread": flat["spread_pct"]}
    return pd.DataFrame(columns).set_index(flat["year"].rename("Year"))


DOWNLOADS = "Download"
"""The label of the menu that holds one download button per export format."""


def downloads(current: Assumptions, base: Assumptions, *, dimension: str | None = None) -> None:
    """Take the numbers away: a menu with one button per export format
    (:data:`report.formats.FORMATS`), the same files ``market export`` writes.

    Opening or closing the menu runs nothing: a menu that reran the page fragment it sits
    in when it closed sent that rerun, for the page being left, after the click on
    another page's link, which then drew a blank page (issue 23; it also crashed before
    callbacks tolerated dropped widget keys). Its buttons are drawn with every run of the
    fragment, but each file is built only when its button is clicked; the deck also shows
    the scenarios chosen on the Scenarios page, resolved then too, against the files of
    that moment.
    """
    # No tooltip: the menu lists the formats itself, and a tooltip left showing under the
    # pointer after the click lay over the menu's first buttons.
    menu = st.popover(DOWNLOADS, icon=":material/download:")
    request = formats.ExportRequest(
        current,
        base,
        cache.forecast(current),
        dimension,
        file_label=state.selected_file(default_assumptions().name),
        scenario=state.loaded_scenario(),
        opportunity=fitted_choices(current),
        paths=state.remembered_choice(PATHS.name) or formats.ExportRequest.paths,
        risk_target=state.remembered_choice(TORNADO_TARGET.name)
        or formats.ExportRequest.risk_target,
        grid=state.grid(),
    )
    compared = tuple(state.shown_choice(COMPARED.name) or ())
    uploads = state.uploads()
    with menu:
        for kind in formats.FORMATS:
            st.download_button(
                kind.label,
                data=functools.partial(_rendered, kind, request, compared, uploads),
                file_name=kind.file_name(current, dimension),
                mime=kind.mime,
                icon=kind.icon,
                on_click="ignore",
                help=kind.help or None,
                key=f"download-{kind.name}",
                width="stretch",
            )


def _rendered(
    kind: formats.ExportFormat,
    request: formats.ExportRequest,
    compared: tuple[str, ...],
    uploads: Mapping[str, Assumptions],
) -> str | bytes:
    """The file, built on click; compared scenarios, and the files they name (the folder's
    and the session's uploads), and the open comments are read only then."""
    if compared:
        files = {**cache.catalog(assumptions_dir()).valid, **uploads}
        listing, _ = workspace.listing()  # unavailable: each is left out with a reason
        chosen, _ = resolve_chosen(compared, request.current, listing, files, request.base)
        request = dataclasses.replace(request, compared=chosen)
    if kind.lists_comments:
        notes = workspace.export_comments(request.file_label, request.scenario)
        request = dataclasses.replace(request, comments=notes)
    return kind.render(request)
