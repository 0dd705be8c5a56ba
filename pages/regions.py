"""Regions: where the market is, on a map and by segment."""

import streamlit as st

from dashboard import cache, charts, colors, components, layout, state
from market.assumptions import Dimension
from market.crosstab import crosstab

view = layout.page("Regions")
st.title("Regions")
region = next((d for d in view.current.dimensions if d.geographic), None)
if region is None:
    st.info("This market's assumptions file has no geographic dimension (`geographic: true`).")
    st.stop()
components.assumed_note("Regional weights and growth differentials")


@st.fragment
def regions(view: layout.View, region: Dimension) -> None:
    """The year and the dimension to cross with rerun only this part of the page."""
    a = view.current
    f = cache.forecast(a)
    palette = colors.segment_colors(a)[region.id]
    years = list(a.years.all)

    key, remember = state.remembered("year", a.years.horizon, years, reseed=view.page_changed)
    year = st.select_slider("Year", options=years, key=key, on_change=remember)
    left, right = st.columns([2, 3])
    left.plotly_chart(
        charts.stacked_area(f, region.id, region.name, palette),
        key="regions-area",
        width="stretch",
    )
    right.plotly_chart(
        charts.region_map(f, region.id, year, palette),
        key="regions-map",
        width="stretch",
        config=charts.MAP_CONFIG,
    )

    others = {d.id: d.name for d in a.dimensions if d.id != region.id}
    if others:
        key, remember = state.remembered(
            "regions.by", next(iter(others)), list(others), reseed=view.page_changed
        )
        by = st.selectbox(
            "Region by",
            options=list(others),
            format_func=others.__getitem__,
            key=key,
            on_change=remember,
        )
        st.plotly_chart(
            charts.heatmap(
                crosstab(f, region.id, by, year), region.name, others[by], a.market.unit, year
            ),
            key="regions-heatmap",
            width="stretch",
        )
    components.table(f.by(region.id), a.market.unit)
    components.downloads(a, view.base, dimension=region.id)


regions(view, region)
