"""The market model: assumptions in, forecast frames out. Imports neither Streamlit nor Plotly.

Units are stated once in :mod:`market.assumptions`: values in the market's unit, rates in %.
"""

from market.assumptions import Assumptions, Provenance
from market.io import (
    AssumptionsError,
    Problem,
    dump_assumptions,
    field_location,
    load_assumptions,
    parse_assumptions,
    save_assumptions,
)
from market.model import Forecast, SegmentGroup, forecast, goal_seek, implied_cagr_pct
from market.opportunity import Opportunity, OpportunityError
from market.parameters import (
    OverrideError,
    Parameter,
    apply_actuals,
    apply_overrides,
    changed_overrides,
    entered_actuals,
    parameter_index,
    parameters,
)
from market.risk import Simulation, bridge, sensitivity, simulate
from market.scenarios import Scenario, ScenarioError, ScenarioStore, check_name
from market.scenarios import resolve as resolve_scenario

__all__ = [
    "Assumptions",
    "AssumptionsError",
    "Forecast",
    "Opportunity",
    "OpportunityError",
    "OverrideError",
    "Parameter",
    "Problem",
    "Provenance",
    "Scenario",
    "ScenarioError",
    "ScenarioStore",
    "SegmentGroup",
    "Simulation",
    "apply_actuals",
    "apply_overrides",
    "bridge",
    "changed_overrides",
    "check_name",
    "dump_assumptions",
    "entered_actuals",
    "field_location",
    "forecast",
    "goal_seek",
    "implied_cagr_pct",
    "load_assumptions",
    "parameter_index",
    "parameters",
    "parse_assumptions",
    "resolve_scenario",
    "save_assumptions",
    "sensitivity",
    "simulate",
]
