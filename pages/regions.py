"""Regions: where the market is, on a map and by segment."""

import streamlit as st

from dashboard import cache, chart_element, components, layout, state
from market.crosstab import crosstab
from market.view_controls import REGIONS_BY, YEAR
from report import charts, colors

view = layout.page("Regions")
st.title("Regions")
if view.current.geographic_dimension is None:
    st.info("This market's assumptions file has no geographic dimension (`geographic: true`).")
    st.stop()
components.assumed_note("Regional weights and growth differentials")


@layout.follows_assumptions
def regions(view: layout.View) -> None:
    """What the assumptions decide; the year and the dimension to cross also rerun only this."""
    a = view.current
    region = a.geographic_dimension
    if region is None:  # the page stopped above for a file without one
        return
    f = cache.forecast(a)
    palette = colors.segment_colors(a)[region.id]
    years = list(a.years.all)

    key, remember = state.remembered_view(YEAR, a, years, reseed=view.page_changed)
    year = st.select_slider("Year", options=years, key=key, on_change=remember)
    left, right = st.columns([2, 3])
    chart_element.show(
        charts.stacked_area(f, region.id, region.name, palette),
        key="regions-area",
        where=left,
    )
    chart_element.show(
        charts.region_map(f, region.id, year, palette),
        key="regions-map",
        config=charts.MAP_CONFIG,
        where=right,
    )

    others = {d.id: d.name for d in a.dimensions if d.id != region.id}
    if others:
        by = components.remembered_selectbox(
            "Region by", REGIONS_BY, a, others, reseed=view.page_changed
        )
        chart_element.show(
            charts.heatmap(
                crosstab(f, region.id, by, year), region.name, others[by], a.market.unit, year
            ),
            key="regions-heatmap",
        )
    components.table(lambda: f.by(region.id), a.market.unit, name="regions")
    components.downloads(a, view.base, dimension=region.id)


regions(view)
