"""Small Streamlit pieces shared by pages: headline cards and the tables behind charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.format import money, pct, pp, signed_pct
from market.model import Forecast
from market.summary import Headline

__all__ = ["assumed_note", "headline_cards", "table", "totals_table"]


def headline_cards(figures: tuple[Headline, ...], unit: str) -> None:
    """One card per headline; the delta compares with the source's figure where it has one."""
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        shown = money(figure.value, unit) if figure.kind == "value" else pct(figure.value)
        origin = "modelled" if figure.modelled else "reported"
        label = figure.label if figure.modelled else f"{figure.label} (reported)"
        delta = None
        if figure.change is not None:
            change = pp(figure.change) if figure.kind == "rate" else signed_pct(figure.change)
            delta = f"{change} vs report"
        help_text = f"{origin.capitalize()} figure."
        if figure.reported is not None:
            reported = (
                money(figure.reported, unit) if figure.kind == "value" else pct(figure.reported)
            )
            help_text += f" The source reports {reported}."
        column.metric(
            label,
            shown,
            delta=delta,
            delta_color="off"
            if figure.change is not None and abs(figure.change) < 0.05
            else "normal",
            help=help_text,
            border=True,
        )


def table(
    frame: pd.DataFrame, unit: str, *, label: str = "Show the table behind the chart"
) -> None:
    """The numbers behind a chart, on demand, formatted for people."""
    with st.expander(label, icon=":material/table:"):
        st.dataframe(
            frame,
            column_config={
                c: st.column_config.NumberColumn(c, format="%,.1f", help=f"{unit}")
                for c in frame.columns
                if pd.api.types.is_float_dtype(frame[c])
            },
            width="stretch",
        )


def assumed_note(what: str) -> None:
    """Say plainly that what follows is an assumption, not a reported figure."""
    st.caption(f":material/info: {what} are **assumptions**, not figures from the source.")


def totals_table(f: Forecast) -> pd.DataFrame:
    """The trajectory as people read it: one row a year, reported and modelled side by side."""
    totals = f.totals
    return pd.DataFrame(
        {
            f"Market size ({f.unit})": totals["value"],
            f"Reported ({f.unit})": totals["reported"],
            "Figure": totals["modelled"].map({True: "modelled", False: "reported"}),
            "Growth (%)": totals["growth_pct"],
        },
        index=totals.index,
    )
