"""Overview: where the market is going, set against what the source reports.

Run with ``streamlit run app.py``. This file is also the Overview page of Streamlit's
page-directory router; the other pages live in ``pages/``.
"""

import streamlit as st

from dashboard import cache, charts, components, layout
from dashboard.format import money, plain
from market.summary import headlines, reading


def main() -> None:
    view = layout.page("Overview")
    a = view.current
    f = cache.forecast(a)
    report = cache.forecast(view.base)
    unit = a.market.unit

    st.title(f"{plain(a.market.name)}: market size")
    st.caption(
        f"Source: {plain(a.market.source.publisher)}, {plain(a.market.source.title)}. "
        "Diamonds (◆) are reported by the source; lines are modelled from the assumptions."
    )
    components.headline_cards(headlines(a, f), unit)
    st.plotly_chart(
        charts.trajectory(
            f, reported=a.reported_by_year, reference=report.totals["value"].to_dict()
        ),
        key="trajectory",
        width="stretch",
    )
    st.markdown(plain(reading(a, f, lambda value: money(value, unit))))
    components.table(components.totals_table(f), unit)
    components.downloads(a, view.base)


main()
