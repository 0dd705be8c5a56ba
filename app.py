"""Overview: where the market is going, set against what the source reports.

Run with ``streamlit run app.py``. This file is also the Overview page of Streamlit's
page-directory router; the other pages live in ``pages/``.

It is read twice. Streamlit runs it as a page (``__main__``): :func:`main` draws the
Overview. ``streamlit run`` also imports it as a module for its ``app``, the server
(``streamlit.starlette.App``, found by name in this file): the pages, plus the read-only
HTTP API beside them when ``MARKET_API=1`` (:mod:`api`, README "The numbers as data").
"""

from datetime import date
from pathlib import Path

import streamlit as st
from starlette.routing import BaseRoute
from streamlit import config
from streamlit.starlette import App

import api
from dashboard import (
    activity,
    cache,
    chart_element,
    comment_panel,
    components,
    headline_element,
    layout,
    text_element,
)
from dashboard.text_element import Passage
from market.comments import MARKET_SIZE
from market.estimates import statement
from market.model import by_year
from market.summary import (
    actuals_statement,
    growth_statement,
    headlines,
    leaders,
    leaders_intro,
    reading,
    shown_year,
)
from report import charts
from report.format import money, plain


def main() -> None:
    view = layout.page("Overview")
    st.title(f"{plain(view.base.market.name)}: market size")
    headline(view)
    st.page_link(
        "pages/estimates.py",
        label="Compare the published estimates",
        icon=":material/stacked_line_chart:",
    )
    figures(view)


@layout.follows_assumptions
def headline(view: layout.View) -> None:
    """The cards first (a phone's first screen holds them), what they are set against,
    and what is biggest: a slider move reruns this part and :func:`figures`."""
    a = view.current
    f = cache.forecast(a)
    unit = a.market.unit
    now = date.today().year
    headline_element.show(headlines(a, f, now), unit)
    year = shown_year(a, now)
    text_element.show(
        [
            Passage(statement(a, view.base, lambda value: money(value, unit)), "caption"),
            Passage(leaders_intro(f, year), items=leaders(a, f, year)),
        ],
        key="headline-text",
    )


@layout.follows_assumptions
def figures(view: layout.View) -> None:
    """What the assumptions decide: a slider move reruns only this part (and the cards)."""
    a = view.current
    f = cache.forecast(a)
    report = cache.forecast(view.base)
    unit = a.market.unit

    def shown(value: float) -> str:
        return money(value, unit)

    comment_panel.show(
        charts.trajectory(
            f, reported=f.reported_by_year, reference=by_year(report.totals["value"])
        ),
        MARKET_SIZE,
        key="trajectory",
    )
    stated = (
        f"Diamonds (◆) are the figures {f.reference.label} states. " if f.reported_by_year else ""
    )
    actual = "Triangles (▲) are actual figures. " if a.actuals else ""
    st.caption(
        plain(f"Source: {a.market.source.citation}. {stated}{actual}")
        + "Lines are modelled from the assumptions."
    )
    chart_element.show(charts.growth_rates(f), key="growth-rates")
    text_element.show(
        [
            Passage(growth_statement(a, f, shown), "caption"),
            *([Passage(actuals_statement(a, f, shown))] if a.actuals else []),
            Passage(reading(a, f, shown)),
        ],
        key="overview-reading",
    )
    components.table(lambda: components.totals_table(f), unit, name="overview")
    components.downloads(a, view.base)


def api_routes() -> list[BaseRoute]:
    """The API's routes under the server's path prefix, or none unless ``MARKET_API=1``."""
    if not api.enabled():
        return []
    base_path = str(config.get_option("server.baseUrlPath") or "")
    settings = api.Settings.from_environment(base_path, login=layout.login_configured())
    return api.routes(settings, busy=activity.busy)


if __name__ == "__main__":
    main()
else:
    app = App(Path(__file__), routes=api_routes())
