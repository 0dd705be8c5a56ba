"""Plotly figures for the dashboard: pure functions, forecast frames in, ``go.Figure`` out.

Conventions every builder keeps, so pages stay thin and both Streamlit themes read:
- a title, axis titles naming the unit (or the title does, for charts without axes),
  hover labels with the value formatted by :mod:`report.format` and the share where
  it means something, and segment colours from :mod:`report.colors`;
- no background, font or template colours: the chart element
  (:mod:`dashboard.chart_element`) styles them for the light and the dark theme alike;
- figures are built from plain dicts and lists (numpy arrays via ``to_numpy``) because
  they are rebuilt on every slider move; no builder calls Streamlit.

Colour arguments accept either the whole :func:`report.colors.segment_colors` result
or one dimension's mapping; a segment missing from it gets its palette slot by position.

The builders live by subject: :mod:`~report.charts.trajectories` (the market over time),
:mod:`~report.charts.segments`, :mod:`~report.charts.regions`,
:mod:`~report.charts.risk`, :mod:`~report.charts.estimates` (published estimates
side by side), :mod:`~report.charts.opportunity` and :mod:`~report.charts.comments`
(viewers' notes as markers); :mod:`~report.charts.layout`
holds what they share.
Pages import the package (``from report import charts``) and call ``charts.<name>``.
"""

from report.charts.comments import COMMENT_TRACE, commentable, with_comments
from report.charts.estimates import estimate_paths
from report.charts.opportunity import revenue_fan, served_market
from report.charts.regions import MAP_CONFIG, heatmap, region_map
from report.charts.risk import tornado, two_way, waterfall
from report.charts.segments import hierarchy, segment_cagr_bars, share_bars, stacked_area
from report.charts.trajectories import fan, growth_rates, scenario_lines, trajectory

__all__ = [
    "COMMENT_TRACE",
    "MAP_CONFIG",
    "commentable",
    "estimate_paths",
    "fan",
    "growth_rates",
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
    "two_way",
    "waterfall",
    "with_comments",
]
