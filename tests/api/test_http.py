"""The API over real HTTP: every resource and export on both shipped markets, the same numbers
and files as the ``market`` command, the share links' grammar and its problems, caching,
tokens, and the API staying off unless switched on."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import URL

import store
from api.resources import RESOURCES
from market import Assumptions, load_assumptions, parameter_index
from market.comments import MARKET_SIZE
from market.paths import SCENARIOS_ENV
from market.query import decode
from market.scenarios import ScenarioStore
from report.formats import FORMATS
from tests.api.conftest import FILES, PROJECT, SECOND_FILE, TOKEN, Api

QUERY = {"cagr": "25", "sd": "4"}
"""Overrides every market has (the CAGR and its spread), as a share link writes them."""


def file_query(file: str, extra: dict[str, str] | None = None) -> str:
    params = {} if file == FILES[0] else {"file": file}
    return urlencode(params | (extra or {}))


def market_command(env: dict[str, str], *args: str, cwd: Path = PROJECT) -> bytes:
    """``python -m cli ...`` over the same folders as the server; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def assumptions_of(api: Api, file: str) -> Assumptions:
    return load_assumptions(Path(api.env["MARKET_ASSUMPTIONS_DIR"]) / file)


# --- every resource, both markets --------------------------------------------------------------


@pytest.mark.parametrize("file", FILES)
def test_every_resource_answers_in_each_representation_on_both_markets(api: Api, file: str) -> None:
    query = file_query(file)
    scenario = ScenarioStore(Path(api.env["MARKET_SCENARIOS_DIR"])).list().names[0]
    for resource in RESOURCES:
        path = f"{resource.path}/{scenario}" if resource.named else resource.path
        for shown in resource.representations:
            target = f"{path}{shown.suffix}" + (f"?{query}" if resource.query and query else "")
            reply = api.get(target.replace(" ", "%20"))
            assert reply.status == 200, (target, reply.body[:300])
            assert reply.headers["content-type"] == shown.media_type, target
            if shown.name == "json":
                assert json.loads(reply.body), target
            elif shown.name == "csv":
                rows = list(csv.reader(io.StringIO(reply.text)))
                assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), target


@pytest.mark.parametrize("file", FILES)
def test_forecast_is_what_the_market_command_prints(api: Api, file: str) -> None:
    a = assumptions_of(api, file)
    dimension = a.dimensions[0].id
    sets = ["--set", "growth.cagr_pct=25", "--set", "uncertainty.cagr_sd_pct=4"]
    query = file_query(file, QUERY)
    env = dict(api.env) | {"MARKET_DEFAULT_FILE": file}
    for fmt in ("csv", "json"):
        for by in (None, dimension):
            path = "forecast" + (f"/{by}" if by else "") + f".{fmt}?{query}"
            reply = api.get(path)
            assert reply.status == 200, reply.body
            command = ["forecast", "--format", fmt, *sets] + (["--by", by] if by else [])
            assert reply.body == market_command(env, *command), path


@pytest.mark.parametrize("file", FILES)
def test_every_export_is_the_file_market_export_writes(api: Api, file: str, tmp_path: Path) -> None:
    """The Download menu, ``market export`` and the API render one request with one registry
    (report.formats), so the same view gives the same bytes, the XLSX and PPTX included."""
    query = file_query(file, QUERY)
    env = dict(api.env) | {"MARKET_DEFAULT_FILE": file}
    sets = ["--set", "growth.cagr_pct=25", "--set", "uncertainty.cagr_sd_pct=4"]
    for kind in FORMATS:
        reply = api.get(f"export/{kind.name}?{query}")
        assert reply.status == 200, (kind.name, reply.body[:300])
        assert reply.headers["content-type"].split(";")[0] == kind.mime.split(";")[0]
        a = assumptions_of(api, file)
        assert f'filename="{kind.file_name(a)}"' in reply.headers["content-disposition"]
        out = tmp_path / f"{file}{kind.suffix}"
        market_command(env, "export", "--out", str(out), *sets)
        assert reply.body == out.read_bytes(), f"{kind.name} differs from market export"


def test_an_export_lists_the_open_comments_as_the_download_menu_does(
    api: Api, tmp_path: Path
) -> None:
    """A note a viewer left on a chart is in the brief the API gives, as in the Download
    menu's and ``market export``'s (the same bytes), and stays plain text."""
    said = "API check: <b>not a tag</b> **not bold**"
    folder = Path(api.env[SCENARIOS_ENV])
    engine = store.open_store(URL.create("sqlite", database=str(folder / "market.db")), folder)
    try:
        with store.session(engine) as opened:
            store.comments.add(
                opened,
                SECOND_FILE,
                said,
                author="Dana",
                point=MARKET_SIZE.point(2028, "Modelled"),
            )
    finally:
        engine.dispose()
    query = file_query(SECOND_FILE, {})
    reply = api.get(f"export/html?{query}")
    assert reply.status == 200
    assert "API check: &lt;b&gt;not a tag&lt;/b&gt; **not bold**" in reply.text
    out = tmp_path / "brief.html"
    env = dict(api.env) | {"MARKET_DEFAULT_FILE": SECOND_FILE}
    market_command(env, "export", "--out", str(out))
    assert reply.body == out.read_bytes()


def test_a_split_export_names_its_dimension_and_only_splittable_formats_split(api: Api) -> None:
    reply = api.get("export/csv/region")
    assert reply.status == 200
    assert reply.text.splitlines()[0].startswith("year,total,growth_pct,North America")
    assert "forecast-region.csv" in reply.headers["content-disposition"]
    assert api.get("export/xlsx/region").status == 404
    assert api.get("export/csv/mars").status == 404
    assert api.get("export/pdf").status == 404


def test_risk_uses_the_links_path_count_and_refuses_one_the_page_does_not_offer(api: Api) -> None:
    rows = api.get("risk.json?v.paths=1000").json
    assert {row["paths"] for row in rows} == {1000}
    assert list(rows[0]) == ["year", "paths", "p5", "p10", "p50", "p90", "p95"]
    assert all(r["p5"] <= r["p50"] <= r["p95"] for r in rows)
    refused = api.get("risk.json?v.paths=5000000")
    assert refused.status == 400
    assert refused.json["problems"][0]["key"] == "v.paths"


def test_a_scenarios_query_leads_to_its_numbers(api: Api) -> None:
    listed = api.get("scenarios.json").json["scenarios"]
    assert listed, "the shipped scenarios are listed"
    for record in listed:
        one = api.get(f"scenarios/{record['name'].replace(' ', '%20')}.json").json
        assert one["name"] == record["name"]
        numbers = api.get(f"forecast.json?{record['query']}")
        assert numbers.status == 200, numbers.body
    assert api.get("scenarios/No%20such%20scenario.json").status == 404


# --- one grammar: the share links' ----------------------------------------------------------


def test_problems_are_listed_per_key_in_the_words_of_the_pages_warnings(api: Api) -> None:
    params = {"cagr": "1000", "bogus": "1", "s.region.mars": "3", "v.year": "1900", "sd": "x"}
    reply = api.get("forecast.json?" + urlencode(params))
    assert reply.status == 400
    assert "Traceback" not in reply.text
    problems = reply.json["problems"]
    a = assumptions_of(api, FILES[0])
    expected = decode(params, [FILES[0]], lambda _: a, default_file=FILES[0])
    assert [p["text"] for p in problems] == list(expected.warnings)
    assert {p["key"] for p in problems} == set(params)


def test_streamlits_own_link_parameters_are_passed_over_as_the_page_does(api: Api) -> None:
    plain = api.get("forecast.csv?cagr=25")
    embedded = api.get("forecast.csv?cagr=25&embed=true&embed_options=light_theme")
    assert embedded.status == 200
    assert embedded.body == plain.body


def test_a_number_is_taken_within_its_sliders_range_as_params_lists_it(api: Api) -> None:
    index = parameter_index(assumptions_of(api, FILES[0]))
    cagr = index["growth.cagr_pct"]
    assert api.get(f"forecast.json?cagr={cagr.high:g}").status == 200
    assert api.get(f"forecast.json?cagr={cagr.high + 1:g}").status == 400
    listed = {row["key"]: row for row in api.get("params.json").json}
    assert (listed["cagr"]["low"], listed["cagr"]["high"]) == (cagr.low, cagr.high)


def test_the_second_market_is_chosen_by_file_as_in_a_share_link(api: Api) -> None:
    coffee = api.get(f"forecast.json?file={SECOND_FILE}").json
    default = api.get("forecast.json").json
    assert coffee != default
    a = assumptions_of(api, SECOND_FILE)
    assert [row["year"] for row in coffee] == list(a.years.all)
    missing = api.get("forecast.json?file=nope.yaml")
    assert missing.status == 400
    assert missing.json["problems"][0]["key"] == "file"


@pytest.mark.parametrize(
    "target",
    [
        "forecast.json?cagr=1e308",
        "forecast.json?cagr=nan",
        "forecast.json?cagr=inf",
        "forecast.json?cagr=%00",
        "forecast.json?cagr=25&cagr=26",
        "forecast.json?cagr[]=25",
        "forecast.json?file=../../etc/passwd",
        "forecast.json?file=%2Fetc%2Fpasswd",
        "forecast.json?file=healthcare-microservices.yaml%00.txt",
        "forecast.json?%ff%fe=1",
        "forecast.json?%3Cscript%3Ealert(1)%3C/script%3E=1",
        "forecast.json?s.region.europe=-1",
        "forecast.json?s.region.europe=30&s.region.north-america=0&s.region.asia-pacific=0"
        "&s.region.latin-america=0&s.region.middle-east-africa=0&s.region.europe=0",
        "forecast.json?v.compare=" + ",".join(["Nope"] * 30),
        "forecast.json?v.target=" + "x" * 5000,
        "forecast.json?o.serve.region=" + "europe:50," * 200,
        "forecast.json?page=" + "%2e%2e%2f" * 10,
        "risk.json?v.paths=-1",
        "risk.json?v.paths=99999999999999999999999",
        "scenarios.json?file=x",
    ],
)
def test_a_hostile_query_is_a_400_listing_its_problems(api: Api, target: str) -> None:
    reply = api.get(target)
    assert reply.status == 400, (target, reply.status, reply.body[:300])
    body = reply.json
    assert body["problems"], target
    assert all(set(p) == {"key", "message", "text"} for p in body["problems"])
    assert "Traceback" not in reply.text and 'File "' not in reply.text


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("forecast.json?" + "a" * 9_000, 414),
        ("forecast.json?" + "&".join(f"k{i}=1" for i in range(1_001)), 414),
        ("forecast/" + "x" * 2_000 + ".json", 414),
        ("forecast.pdf", 404),
        ("forecast/mars.json", 404),
        ("forecast/region/europe.json", 404),
        ("nothing-here", 404),
        ("scenarios/%3Cscript%3E.yaml", 404),
        ("scenarios/" + "a" * 300 + ".json", 404),
    ],
)
def test_a_hostile_path_or_size_is_refused_with_json(api: Api, target: str, status: int) -> None:
    reply = api.get(target)
    assert reply.status == status, (target, reply.status, reply.body[:300])
    assert reply.json["error"]
    assert "Traceback" not in reply.text


@pytest.mark.parametrize(
    "target",
    ["../../../etc/passwd", "scenarios/..%2F..%2Fetc%2Fpasswd", "export/pptx/..", "scenarios/%00"],
)
def test_a_path_out_of_the_api_is_refused_before_it_reaches_it(api: Api, target: str) -> None:
    """Streamlit's path-security middleware (run before any route, ours included) refuses a
    ``..`` segment or a NUL, even percent-encoded, with a bare 400; none of the server's
    files comes back."""
    reply = api.get(target)
    assert reply.status == 400
    assert b"root:" not in reply.body


def test_only_get_is_served(api: Api) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        reply = api.get("forecast.csv", method=method)
        assert reply.status == 405, method
        assert reply.headers["allow"] == "GET, HEAD"
    head = api.get("forecast.csv", method="HEAD")
    assert head.status == 200 and head.body == b""


def test_accept_chooses_the_representation_when_the_path_has_no_suffix(api: Api) -> None:
    as_csv = api.get("forecast", {"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.body == api.get("forecast.csv").body
    ranked = api.get("forecast", {"Accept": "application/json;q=0.5, text/csv;q=0.9"})
    assert ranked.headers["content-type"].startswith("text/csv")
    assert api.get("forecast").headers["content-type"] == "application/json"
    refused = api.get("forecast", {"Accept": "image/png"})
    assert refused.status == 406
    assert "text/csv" in refused.json["error"]


def test_answers_carry_an_etag_and_a_revalidating_cache_control(api: Api) -> None:
    first = api.get("forecast.csv?cagr=25")
    assert first.headers["cache-control"] == "private, no-cache"
    etag = first.headers["etag"]
    assert api.get("forecast.csv?cagr=25").headers["etag"] == etag
    assert api.get("forecast.csv?cagr=26").headers["etag"] != etag
    again = api.get("forecast.csv?cagr=25", {"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert api.get("export/xlsx").headers["etag"] == api.get("export/xlsx").headers["etag"]


def test_the_index_and_the_contract_are_served(api: Api) -> None:
    index = api.get("").json
    assert index["openapi"] == "/api/v1/openapi.json"
    document = api.get("openapi.json").json
    assert document["servers"] == [{"url": "/api/v1"}]
    assert "security" not in document  # no login, no token configured


# --- switched off, and locked -----------------------------------------------------------------


def test_without_market_api_the_api_is_not_served(api_off: Api) -> None:
    reply = api_off.get("forecast.csv")
    assert not reply.headers.get("content-type", "").startswith(("text/csv", "application/json"))
    assert b"year,total" not in reply.body
    assert api_off.raw("/_stcore/health").body == b"ok"


def test_with_login_configured_a_bearer_token_is_required(locked_api: Api) -> None:
    assert locked_api.raw("/market/_stcore/health").body == b"ok"
    refused = locked_api.get("forecast.csv")
    assert refused.status == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.json["error"]
    wrong = locked_api.get("forecast.csv", {"Authorization": "Bearer not-the-token"})
    assert wrong.status == 401
    assert locked_api.get("openapi.json").status == 401
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    served = locked_api.get("forecast.csv?cagr=25", bearer)
    assert served.status == 200
    assert served.text.startswith("year,total,growth_pct\n")
    document = locked_api.get("openapi.json", bearer).json
    assert document["servers"] == [{"url": "/market/api/v1"}]
    assert document["security"] == [{"bearer": []}]
