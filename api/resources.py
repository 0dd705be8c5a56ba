"""What the API serves, declared once: each resource, its representations and what renders them.

A :class:`Resource` is one path under ``api/v1/`` (``forecast``, ``risk``...): what it
returns, whether it takes a dimension (``forecast/region``) or a name
(``scenarios/Base case``), whether it reads the share link's query, and one renderer per
representation (JSON, CSV, YAML). The routes (:mod:`api.http`) and the OpenAPI document
(:mod:`api.openapi`) are both derived from :data:`RESOURCES`; the exports come from the
export registry (:data:`report.formats.FORMATS`), one ``export/<format>`` each. Every
number is computed by the model and every file written by :mod:`report`, as for the
dashboard and the ``market`` command: ``forecast.csv`` is ``market forecast --format csv``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from api.view import View, scenario_store
from market import estimates
from market.assumptions import Assumptions
from market.opportunity import Opportunity, fitted, plan
from market.parameters import parameter_index, parameters
from market.paths import default_assumptions
from market.query import encode
from market.risk import Simulation, simulate
from market.scenarios import Scenario, dump_scenario
from report.export import to_csv, to_json
from report.request import Rendered
from report.tables import document_json, table_csv, table_json

__all__ = [
    "CSV",
    "JSON",
    "REPRESENTATIONS",
    "RESOURCES",
    "YAML",
    "Asked",
    "Representation",
    "Resource",
    "resource_named",
]


@dataclass(frozen=True)
class Representation:
    """One way of writing a resource: its suffix in a path (``.csv``) and its media type."""

    name: str
    suffix: str
    media_type: str


JSON = Representation("json", ".json", "application/json")
CSV = Representation("csv", ".csv", "text/csv; charset=utf-8")
YAML = Representation("yaml", ".yaml", "application/x-yaml")
REPRESENTATIONS = (JSON, CSV, YAML)


@dataclass(frozen=True)
class Asked:
    """What one request asks a resource for: the view its query decodes to (None for a
    resource that reads no query), a dimension id and a name from its path."""

    view: View | None = None
    dimension: str | None = None
    name: str | None = None

    @property
    def checked_view(self) -> View:
        if self.view is None:
            raise RuntimeError("this resource reads the query's view")
        return self.view


@dataclass(frozen=True)
class Resource:
    """One path of the API and its representations, the first being the default.

    ``path`` is the name in the URL; ``dimension`` says it may be followed by
    ``/<dimension id>``, ``named`` that it must be followed by ``/<name>``; ``query`` says
    whether it reads the share link's query (a resource that does not refuses one).
    """

    path: str
    summary: str
    description: str
    renderers: Mapping[Representation, Callable[[Asked], Rendered]]
    dimension: bool = False
    named: bool = False
    query: bool = True

    @property
    def representations(self) -> tuple[Representation, ...]:
        return tuple(self.renderers)


# --- the renderers ---------------------------------------------------------------------------


def _forecast_json(asked: Asked) -> Rendered:
    return to_json(asked.checked_view.forecast, asked.dimension)


def _forecast_csv(asked: Asked) -> Rendered:
    return to_csv(asked.checked_view.forecast, asked.dimension)


def _parameters(asked: Asked) -> pd.DataFrame:
    """Every adjustable number in effect, beside the file's own value, its range and its
    provenance (reported or assumed) and key in a share link."""
    view = asked.checked_view
    own = parameter_index(view.base)
    rows = [
        {
            "path": p.path,
            "key": p.key,
            "label": p.label,
            "group": p.group,
            "dimension": p.dimension,
            "segment": p.segment,
            "unit": p.unit,
            "value": p.value,
            "file_value": own[p.path].value if p.path in own else None,
            "low": p.low,
            "high": p.high,
            "step": p.step,
            "provenance": p.provenance.value,
            "basis": p.basis,
        }
        for p in parameters(view.current)
    ]
    return pd.DataFrame(rows)


def _estimates(asked: Asked) -> pd.DataFrame:
    view = asked.checked_view
    return estimates.table(estimates.comparison(view.current, view.forecast.totals["value"]))


def _plan(asked: Asked) -> pd.DataFrame:
    view = asked.checked_view
    choices = view.opportunity or fitted(view.current, Opportunity())
    return plan(view.current, choices, view.forecast)


@functools.lru_cache(maxsize=8)
def _simulated(a: Assumptions, paths: int) -> Simulation:
    """The total's band, seed 0, as the Risk page draws it (``dashboard.cache.simulate``)."""
    return simulate(a, paths=paths, seed=0, by_segment=False)


def _risk(asked: Asked) -> pd.DataFrame:
    view = asked.checked_view
    band = _simulated(view.current, view.paths).totals
    frame = band.reset_index()
    frame.columns = ["year", *map(str, band.columns)]
    frame.insert(1, "paths", view.paths)
    return frame


def _link_query(scenario: Scenario) -> str:
    """The query that shows the scenario: put ``forecast.csv?`` or any path before it."""
    params = encode(
        scenario.base_file,
        scenario.overrides,
        default_file=default_assumptions().name,
        opportunity=scenario.opportunity,
        actuals=scenario.actuals,
    )
    return urlencode(params)


def _scenario_record(scenario: Scenario) -> dict[str, object]:
    return {
        "name": scenario.name,
        "base_file": scenario.base_file,
        "rationale": scenario.rationale,
        "changed": len(scenario.overrides),
        "saved_at": None if scenario.saved_at is None else scenario.saved_at.isoformat(),
        "query": _link_query(scenario),
    }


def _scenarios_frame(asked: Asked) -> pd.DataFrame:
    listing = scenario_store().list()
    columns = ["name", "base_file", "rationale", "changed", "saved_at", "query"]
    return pd.DataFrame([_scenario_record(s.scenario) for s in listing.scenarios], columns=columns)


def _scenarios_json(asked: Asked) -> Rendered:
    listing = scenario_store().list()
    return document_json(
        {
            "scenarios": [_scenario_record(s.scenario) for s in listing.scenarios],
            "unreadable": dict(listing.unreadable),
        }
    )


def _scenario(asked: Asked) -> Scenario:
    if asked.name is None:
        raise RuntimeError("scenarios/<name> names a scenario")
    return scenario_store().load(asked.name)


def _scenario_json(asked: Asked) -> Rendered:
    scenario = _scenario(asked)
    record = _scenario_record(scenario) | {"overrides": dict(scenario.overrides)}
    if scenario.actuals:
        record["actuals"] = {str(year): value for year, value in scenario.actuals.items()}
    if scenario.opportunity is not None:
        record["opportunity"] = scenario.opportunity.model_dump(mode="json")
    return document_json(record)


def _scenario_yaml(asked: Asked) -> Rendered:
    return dump_scenario(_scenario(asked))


def _as_json(table: Callable[[Asked], pd.DataFrame]) -> Callable[[Asked], Rendered]:
    return lambda asked: table_json(table(asked))


def _as_csv(table: Callable[[Asked], pd.DataFrame]) -> Callable[[Asked], Rendered]:
    return lambda asked: table_csv(table(asked))


RESOURCES: tuple[Resource, ...] = (
    Resource(
        path="forecast",
        summary="The forecast: the total by year, or by the segments of one dimension",
        description="Columns year, total and, for forecast/<dimension>, one per top-level "
        "segment (display names), in the file's unit; the same as `market forecast "
        "[--by DIMENSION] --format csv|json`.",
        renderers={JSON: _forecast_json, CSV: _forecast_csv},
        dimension=True,
    ),
    Resource(
        path="params",
        summary="Every adjustable assumption: value in effect, the file's value, range, "
        "provenance and link key",
        description="One row per parameter, as `market params` lists them; `provenance` says "
        "whether the file's value is reported by a source or assumed.",
        renderers={JSON: _as_json(_parameters), CSV: _as_csv(_parameters)},
    ),
    Resource(
        path="estimates",
        summary="The published estimates side by side with the model, year by year",
        description="Per estimate its value and whether it is stated or derived; the low, "
        "high, median (derived) and spread; the model and where it sits; as `market "
        "estimates --format csv`.",
        renderers={JSON: _as_json(_estimates), CSV: _as_csv(_estimates)},
    ),
    Resource(
        path="opportunity",
        summary="Our opportunity: market, serviceable market (SAM), share and revenue by year",
        description="The plan the `o.` keys describe (the Opportunity page's defaults "
        "without them); share is an assumption. As `market opportunity --format csv`.",
        renderers={JSON: _as_json(_plan), CSV: _as_csv(_plan)},
    ),
    Resource(
        path="risk",
        summary="Monte Carlo percentiles of the total by year",
        description="Percentiles p5, p10, p50, p90, p95 over `v.paths` simulated paths "
        "(seed 0), as the Risk page draws them; the path count is one the Risk page offers "
        "for the file, within the 256 MB memory budget per request.",
        renderers={JSON: _as_json(_risk), CSV: _as_csv(_risk)},
    ),
    Resource(
        path="scenarios",
        summary="The saved scenarios: name, base file, rationale and the query that shows each",
        description="Put `forecast.csv?` (or any path) before a scenario's `query` to get its "
        "numbers. Unreadable files are listed with why (JSON only).",
        renderers={JSON: _scenarios_json, CSV: _as_csv(_scenarios_frame)},
        query=False,
    ),
    Resource(
        path="scenarios",
        summary="One saved scenario: its overrides, rationale and query, or its file (YAML)",
        description="The YAML representation is the scenario's file as saved.",
        renderers={JSON: _scenario_json, YAML: _scenario_yaml},
        named=True,
        query=False,
    ),
)
"""Every resource but the exports (``export/<format>``, one per :data:`report.formats.FORMATS`)."""


def resource_named(path: str, *, named: bool) -> Resource | None:
    """The resource at ``path`` (with a name after it when ``named``), or None."""
    return next((r for r in RESOURCES if r.path == path and r.named == named), None)
