"""Segments: how the market splits by each dimension, and which segments grow fastest."""

import streamlit as st

from dashboard import cache, chart_element, comment_panel, components, layout, state
from market.comments import segments_chart
from market.view_controls import DIMENSION, YEAR
from report import charts, colors

view = layout.page("Segments")
st.title("Segments")
components.assumed_note("Segment shares and growth differentials")


@layout.follows_assumptions
def breakdown(view: layout.View) -> None:
    """What the assumptions decide; the dimension and year controls also rerun only this."""
    a = view.current
    f = cache.forecast(a)
    palette = colors.segment_colors(a)
    names = {d.id: d.name for d in a.dimensions}
    years = list(a.years.all)

    key, remember = state.remembered_view(DIMENSION, a, list(names), reseed=view.page_changed)
    dimension = (
        st.segmented_control(
            "Dimension",
            options=list(names),
            format_func=names.__getitem__,
            key=key,
            on_change=remember,
            required=True,
        )
        or a.dimensions[0].id
    )  # required: never None once a dimension is chosen
    key, remember = state.remembered_view(YEAR, a, years, reseed=view.page_changed)
    year = st.select_slider("Year", options=years, key=key, on_change=remember)
    name = names[dimension]

    left, right = st.columns([3, 2])
    comment_panel.show(
        charts.stacked_area(f, dimension, name, palette[dimension]),
        segments_chart(dimension),
        key="segments-area",
        where=left,
    )
    chart_element.show(
        charts.share_bars(f, dimension, name, year, palette[dimension]),
        key="segments-share",
        where=right,
    )
    left, right = st.columns([3, 2])
    chart_element.show(
        charts.segment_cagr_bars(f, dimension, name, palette[dimension]),
        key="segments-cagr",
        where=left,
    )
    if any(s.segments for s in a.dimension(dimension).segments):
        chart_element.show(
            charts.hierarchy(f, dimension, name, year, palette[dimension]),
            key="segments-hierarchy",
            where=right,
        )
    components.table(lambda: f.by(dimension), a.market.unit, name="segments")
    components.downloads(a, view.base, dimension=dimension)


breakdown(view)
