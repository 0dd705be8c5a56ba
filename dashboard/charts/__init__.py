"""Plotly figures for the dashboard: pure functions, forecast frames in, ``go.Figure`` out.

Conventions every builder keeps, so pages stay thin and both Streamlit themes read:
- a title, axis titles naming the unit (or the title does, for charts without axes),
  hover labels with the value formatted by :mod:`dashboard.format` and the share where
  it means something, and segment colours from :mod:`dashboard.colors`;
- no background, font or template colours: the chart element
  (:mod:`dashboard.chart_element`) styles them for the light and the dark theme alike;
- figures are built from plain dicts and lists (numpy arrays via ``to_numpy``) because
  they are rebuilt on every slider move; no builder calls Streamlit.

Colour arguments accept either the whole :func:`dashboard.colors.segment_colors` result
or one dimension's mapping; a segment missing from it gets its palette slot by position.

The builders live by subject: :mod:`~dashboard.charts.trajectories` (the market over time),
:mod:`~dashboard.charts.segments`, :mod:`~dashboard.charts.regions`,
:mod:`~dashboard.charts.risk`, :mod:`~dashboard.charts.estimates` (published estimates
side by side) and :mod:`~dashboard.charts.opportunity`; :mod:`~dashboard.charts.layout`
holds what they share.
Pages import the package (``from dashboard import charts``) and call ``charts.<name>``.
"""

from dashboard.charts.estimates import estimate_paths
from dashboard.charts.opportunity import revenue_fan, served_market
from dashboard.charts.regions import MAP_CONFIG, heatmap, region_map
from dashboard.charts.risk import tornado, waterfall
from dashboard.charts.segments import hierarchy, segment_cagr_bars, share_bars, stacked_area
from dashboard.charts.trajectories import fan, scenario_lines, trajectory

__all__ = [
    "MAP_CONFIG",
    "estimate_paths",
    "fan",
    "heatmap",
    "hierarchy",
    "region_map",
    "revenue_fan",
    "scenario_lines",
    "segment_cagr_bars",
    "served_market",
    "share_bars",
    "stacked_area",
    "tornado",
    "trajectory",
    "waterfall",
]
