"""The API's contract, an OpenAPI 3.1 document derived from the tables that define it.

Nothing here is written by hand that is declared elsewhere: the query parameters come from
the share links' grammar (:data:`market.parameter_table.PARAMETER_TABLE` with each range,
:data:`market.view_controls.VIEW_CONTROLS`, the Opportunity keys of :mod:`market.query`
with the schema of :class:`market.opportunity.Opportunity`), the paths and media types from
:data:`api.resources.RESOURCES` and the export registry (:data:`report.formats.FORMATS`).
Adding a parameter, a view control, a resource or an export format adds it here.
"""

from __future__ import annotations

from typing import Any

from api.resources import RESOURCES, Resource
from market.opportunity import Opportunity
from market.parameter_table import MARKET_UNIT, PARAMETER_TABLE
from market.query import FILE_KEY, MAX_FILE_NAME_LENGTH, OPPORTUNITY_KEYS, PAGE_KEY
from market.view_controls import VIEW_CONTROLS, Kind
from report.formats import FORMATS

__all__ = ["TITLE", "document", "index"]

TITLE = "Market dashboard API"
_SEGMENT_KEY = r"(\.[a-z0-9][a-z0-9-]*){2,}"
_PROBLEMS = "#/components/schemas/Problems"


def document(root: str, *, needs_token: bool) -> dict[str, Any]:
    """The OpenAPI document of the API served at ``root`` (``/market/api/v1``)."""
    opportunity = Opportunity.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(opportunity.pop("$defs", {}))
    schemas["Problems"] = _problems_schema()
    paths: dict[str, Any] = {}
    for resource in RESOURCES:
        paths.update(_resource_paths(resource))
    paths.update(_export_paths())
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": "1",
            "description": (
                "Read-only data behind the dashboard. The query string is a share link's: "
                "put a path of this API before the query of any link the dashboard shows "
                "(`forecast.csv?cagr=25&s.region.europe=30`). A query with any part that "
                "cannot be used is refused (400) with one problem per key."
            ),
        },
        "servers": [{"url": root}],
        "paths": paths,
        "components": {
            "parameters": _query_parameters(opportunity["properties"]),
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    if needs_token:
        doc["security"] = [{"bearer": []}]
    return doc


def index(root: str) -> dict[str, Any]:
    """What ``api/v1/`` answers: where the contract is and every path it describes."""
    shown = [f"{root}/{r.path}" + ("/{name}" if r.named else "") for r in RESOURCES]
    shown += [f"{root}/export/{f.name}" for f in FORMATS]
    return {"title": TITLE, "openapi": f"{root}/openapi.json", "paths": shown}


# --- query parameters ------------------------------------------------------------------------


def _query_parameters(opportunity_fields: dict[str, Any]) -> dict[str, Any]:
    """Every key of the share links' grammar, by key."""
    found: dict[str, Any] = {
        FILE_KEY: _query(
            FILE_KEY,
            "The assumptions file, by its name in the assumptions folder (the default file "
            "when left out).",
            {"type": "string", "maxLength": MAX_FILE_NAME_LENGTH},
            "example-coffee-subscriptions.yaml",
        ),
        PAGE_KEY: _query(
            PAGE_KEY,
            "The page a share link opens; accepted so that any link can be used, changes no "
            "number.",
            {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
            "segments",
        ),
    }
    per_segment: dict[str, Any] = {}
    for spec in PARAMETER_TABLE:
        unit = "the file's unit" if spec.unit == MARKET_UNIT else spec.unit
        meaning = (
            f"{spec.label} ({unit}): {spec.summary}. Parameter path `{spec.shown_path()}`; "
            f"from {spec.low:g} to {spec.high:g} (a file's own value widens the range; "
            "`params` gives each file's)."
        )
        schema = {"type": "number", "minimum": spec.low, "maximum": spec.high}
        if spec.per_segment:
            per_segment[f"^{spec.key}{_SEGMENT_KEY}$"] = schema | {"description": meaning}
        else:
            found[spec.key] = _query(spec.key, meaning, schema)
    for key, name in OPPORTUNITY_KEYS.items():
        schema = dict(opportunity_fields[name])
        text = schema.pop("description", "") or schema.get("title", name)
        found[key] = _query(key, f"Opportunity: {text} (field `{name}`).", schema)
    per_segment[r"^o\.serve\.[a-z0-9][a-z0-9-]*$"] = {
        "type": "string",
        "description": "Opportunity: the segments served in one dimension, comma-separated, "
        "each with `:<percent>` when served in part (`o.serve.region=europe:50`).",
    }
    for control in VIEW_CONTROLS:
        schema = (
            {"type": "integer"}
            if control.kind is Kind.NUMBER
            else {"type": "string", "maxLength": control.max_length}
        )
        found[control.key] = _query(
            control.key, f"{control.meaning} ({control.kind.value}).", schema, control.example
        )
    found["per-segment"] = {
        "name": "per-segment",
        "in": "query",
        "description": "The keys that name a segment: `s.<dimension>.<segment>[.<sub>]` "
        "(share weights), `d.…` (growth differentials) and `o.serve.<dimension>`; the "
        "segment ids are the file's (`params` lists them).",
        "style": "form",
        "explode": True,
        "schema": {
            "type": "object",
            "patternProperties": per_segment,
            "additionalProperties": False,
        },
    }
    return found


def _query(name: str, description: str, schema: dict[str, Any], example: Any = None) -> dict:
    parameter = {"name": name, "in": "query", "description": description, "schema": schema}
    if example is not None:
        parameter["example"] = example
    return parameter


def _query_refs() -> list[dict[str, str]]:
    keys = [FILE_KEY, PAGE_KEY]
    keys += [spec.key for spec in PARAMETER_TABLE if not spec.per_segment]
    keys += list(OPPORTUNITY_KEYS) + [control.key for control in VIEW_CONTROLS] + ["per-segment"]
    return [{"$ref": f"#/components/parameters/{key}"} for key in keys]


# --- paths -----------------------------------------------------------------------------------


def _resource_paths(resource: Resource) -> dict[str, Any]:
    tails = [""]
    parameters: list[dict[str, Any]] = list(_query_refs()) if resource.query else []
    if resource.dimension:
        tails.append("/{dimension}")
    if resource.named:
        tails = ["/{name}"]
    suffixes = [r.name for r in resource.representations]
    content: dict[str, Any] = {r.media_type.split(";")[0]: {} for r in resource.representations}
    paths: dict[str, Any] = {}
    for tail in tails:
        for suffixed in (False, True):
            path = f"/{resource.path}{tail}" + (".{representation}" if suffixed else "")
            own = [_path_parameter(p) for p in ("dimension", "name") if "{" + p + "}" in tail]
            if suffixed:
                own.append(_path_parameter("representation", suffixes))
            paths[path] = {
                "get": {
                    "summary": resource.summary,
                    "description": resource.description
                    + ("" if suffixed else " The representation follows `Accept`."),
                    "operationId": _operation(resource, tail, suffixed),
                    "parameters": own + parameters,
                    "responses": _responses(content),
                }
            }
    return paths


def _export_paths() -> dict[str, Any]:
    content: dict[str, Any] = {f.mime: {} for f in FORMATS}
    split = [f.name for f in FORMATS if f.by_dimension]
    return {
        "/export/{format}": {
            "get": {
                "summary": "A file of the Download menu: " + ", ".join(f.label for f in FORMATS),
                "description": "The same bytes the dashboard's Download menu gives for the "
                "view the query describes, on the same day.",
                "operationId": "export",
                "parameters": [
                    _path_parameter("format", [f.name for f in FORMATS]),
                    *_query_refs(),
                ],
                "responses": _responses(content),
            }
        },
        "/export/{format}/{dimension}": {
            "get": {
                "summary": "A file split by one dimension, as the Segments and Regions pages "
                "download it",
                "operationId": "export_by_dimension",
                "parameters": [
                    _path_parameter("format", split),
                    _path_parameter("dimension"),
                    *_query_refs(),
                ],
                "responses": _responses({f.mime: {} for f in FORMATS if f.by_dimension}),
            }
        },
    }


def _operation(resource: Resource, tail: str, suffixed: bool) -> str:
    parts = [resource.path]
    if tail == "/{dimension}":
        parts.append("by_dimension")
    if resource.named:
        parts.append("one")
    if suffixed:
        parts.append("as")
    return "_".join(parts)


def _path_parameter(name: str, options: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if options:
        schema["enum"] = options
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _responses(content: dict[str, Any]) -> dict[str, Any]:
    problems = {"application/json": {"schema": {"$ref": _PROBLEMS}}}
    return {
        "200": {"description": "The data; `ETag` and `Cache-Control` set", "content": content},
        "304": {"description": "Not modified (`If-None-Match` named the current `ETag`)"},
        "400": {"description": "A part of the query cannot be used", "content": problems},
        "401": {"description": "A bearer token is required", "content": problems},
        "404": {"description": "No such resource, dimension or scenario", "content": problems},
        "406": {"description": "None of the media types in `Accept`", "content": problems},
        "414": {"description": "The path or query string is too long", "content": problems},
        "422": {"description": "The model cannot compute it", "content": problems},
    }


def _problems_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "key": {"type": ["string", "null"], "description": "the query key"},
                        "message": {"type": "string"},
                        "text": {"type": "string", "description": "as a page's warning says it"},
                    },
                },
            },
        },
    }
