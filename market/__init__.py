"""The market model: assumptions in, forecast frames out. Imports neither Streamlit nor Plotly.

Units are stated once in :mod:`market.assumptions`: values in the market's unit, rates in %.
"""

from market.assumptions import Assumptions, Provenance
from market.io import (
    AssumptionsError,
    Problem,
    dump_assumptions,
    load_assumptions,
    parse_assumptions,
    save_assumptions,
)
from market.model import Forecast, SegmentGroup, forecast, goal_seek, implied_cagr_pct
from market.parameters import (
    OverrideError,
    Parameter,
    apply_overrides,
    changed_overrides,
    parameter_index,
    parameters,
)

__all__ = [
    "Assumptions",
    "AssumptionsError",
    "Forecast",
    "OverrideError",
    "Parameter",
    "Problem",
    "Provenance",
    "SegmentGroup",
    "apply_overrides",
    "changed_overrides",
    "dump_assumptions",
    "forecast",
    "goal_seek",
    "implied_cagr_pct",
    "load_assumptions",
    "parameter_index",
    "parameters",
    "parse_assumptions",
    "save_assumptions",
]
