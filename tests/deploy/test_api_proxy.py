"""The HTTP API through the proxy set-up: ``deploy/local/cluster`` (Debian's nginx with the
shipped file, one replica started as the image starts it) with ``MARKET_API=1``, asked
under ``/market/`` over HTTPS, as a script behind the company proxy would."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest

from api import ENABLE_ENV
from market import apply_overrides, forecast, load_assumptions
from report.export import to_csv
from tests.deploy.cluster import Cluster
from tests.deploy.conftest import ROOT, running_cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, nginx_path: str) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("api-proxy")
    with running_cluster(root, replicas=1, env={ENABLE_ENV: "1"}) as started:
        yield started


def get(cluster: Cluster, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPSConnection(
        "127.0.0.1", cluster.port, context=cluster.ssl_context(), timeout=60
    )
    connection.request("GET", f"/{cluster.prefix}/{path}")
    return connection.getresponse()


def test_the_api_answers_under_the_prefix_through_nginx(cluster: Cluster) -> None:
    response = get(cluster, "api/v1/forecast.csv?cagr=25")
    body = response.read().decode()
    assert response.status == 200, body
    assert response.getheader("Content-Type", "").startswith("text/csv")
    assert response.getheader("ETag")
    a = load_assumptions(ROOT / "assumptions" / "healthcare-microservices.yaml")
    assert body == to_csv(forecast(apply_overrides(a, {"growth.cagr_pct": 25})))


def test_a_bad_link_through_nginx_is_the_apis_own_json_400(cluster: Cluster) -> None:
    response = get(cluster, "api/v1/forecast.json?cagr=1000")
    assert response.status == 400
    problems = json.loads(response.read())["problems"]
    assert [p["key"] for p in problems] == ["cagr"]
