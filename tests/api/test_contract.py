"""The OpenAPI document follows the tables it is derived from, and the server we rely on
(Streamlit 1.67's experimental ``streamlit.starlette.App``) does what app.py asks of it."""

from __future__ import annotations

import inspect
import re

from api import Settings
from api.openapi import document
from api.resources import RESOURCES
from market import load_assumptions
from market.parameter_table import PARAMETER_TABLE
from market.query import OPPORTUNITY_KEYS, decode
from market.view_controls import VIEW_CONTROLS
from report.formats import FORMATS
from tests.api.conftest import DEFAULT_FILE, PROJECT

DOC = document("/market/api/v1", needs_token=True)
PARAMETERS = DOC["components"]["parameters"]


def test_every_resource_and_representation_has_a_path() -> None:
    for resource in RESOURCES:
        base = f"/{resource.path}" + ("/{name}" if resource.named else "")
        assert base in DOC["paths"], base
        suffixed = DOC["paths"][base + ".{representation}"]["get"]
        (shown,) = [p for p in suffixed["parameters"] if p.get("name") == "representation"]
        assert shown["schema"]["enum"] == [r.name for r in resource.representations]
        media = set(suffixed["responses"]["200"]["content"])
        assert media == {r.media_type.split(";")[0] for r in resource.representations}
    assert "/forecast/{dimension}.{representation}" in DOC["paths"]


def test_every_export_format_of_the_registry_is_offered() -> None:
    export = DOC["paths"]["/export/{format}"]["get"]
    (fmt,) = [p for p in export["parameters"] if p.get("name") == "format"]
    assert fmt["schema"]["enum"] == [f.name for f in FORMATS]
    assert set(export["responses"]["200"]["content"]) == {f.mime for f in FORMATS}
    split = DOC["paths"]["/export/{format}/{dimension}"]["get"]["parameters"][0]
    assert split["schema"]["enum"] == [f.name for f in FORMATS if f.by_dimension]


def test_every_key_of_the_links_grammar_is_a_documented_parameter() -> None:
    for spec in PARAMETER_TABLE:
        if spec.per_segment:
            patterns = PARAMETERS["per-segment"]["schema"]["patternProperties"]
            assert any(re.fullmatch(p, f"{spec.key}.region.europe") for p in patterns), spec.key
        else:
            schema = PARAMETERS[spec.key]["schema"]
            assert (schema["minimum"], schema["maximum"]) == (spec.low, spec.high)
    for key in [*OPPORTUNITY_KEYS, *(c.key for c in VIEW_CONTROLS), "file", "page"]:
        assert PARAMETERS[key]["in"] == "query", key


def test_each_documented_example_is_a_key_the_codec_knows() -> None:
    a = load_assumptions(PROJECT / "assumptions" / DEFAULT_FILE)
    for name, parameter in PARAMETERS.items():
        if "example" not in parameter:
            continue
        decoded = decode({name: str(parameter["example"])}, [DEFAULT_FILE], lambda _: a)
        unknown = [p for p in decoded.problems if "not a setting" in p.message]
        assert not unknown, name


def test_every_path_and_reference_resolves() -> None:
    text = repr(DOC)
    for ref in set(re.findall(r"'\$ref': '#/components/(\w+)/([\w.-]+)'", text)):
        assert ref[1] in DOC["components"][ref[0]], ref
    for path, item in DOC["paths"].items():
        named = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in item["get"]["parameters"] if p.get("in") == "path"}
        assert named == declared, path


def test_the_document_needs_a_token_only_when_the_api_does() -> None:
    assert Settings(login=True).needs_token and Settings(tokens=("t",)).needs_token
    assert not Settings().needs_token
    assert "security" not in document("/api/v1", needs_token=False)


def test_a_token_is_compared_whole_and_login_without_tokens_locks_the_api() -> None:
    settings = Settings(tokens=("first", "second"), login=True)
    assert settings.admits("Bearer second")
    assert settings.admits("bearer first")
    for header in (None, "", "Bearer", "Bearer secon", "Bearer second2", "Basic second"):
        assert not settings.admits(header), header
    assert not Settings(login=True).admits("Bearer anything")
    assert Settings().admits(None)
    assert Settings.from_environment(
        "/market/", login=False, environ={"MARKET_API_TOKENS": " a , ,b "}
    ) == Settings("market", ("a", "b"), login=False)


# --- what we rely on in Streamlit 1.67 (experimental there) --------------------------------


def test_streamlit_run_finds_the_server_in_app_py() -> None:
    """``streamlit run app.py`` serves the ``app`` object it finds in the file (read, not run)
    instead of its own server: the pages and the API routes handed to it."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(PROJECT / "app.py")
    assert found.is_asgi_app
    assert found.import_string == "app:app"


def test_streamlits_app_takes_extra_routes_beside_its_own() -> None:
    from streamlit.starlette import App

    assert "routes" in inspect.signature(App).parameters
    reserved = re.compile(r"^/(_stcore|media|component|static)/")
    for route in (Settings("market").root, Settings().root):
        assert not reserved.match(route)
