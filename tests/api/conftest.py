"""Real servers for the API tests: the README's run command (``streamlit run app.py``) with
``MARKET_API=1``, on a free port, over private copies of both shipped markets and the
shipped scenarios. Started once for the whole run and stopped at the end.

Requests go over real HTTP with :mod:`http.client`, which sends a path exactly as given
(no normalising of ``..``, no re-quoting), so hostile paths reach the server as written.
"""

from __future__ import annotations

import http.client
import json
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from store.database import not_the_store
from tests.browser.conftest import StreamlitServer

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = "healthcare-microservices.yaml"
SECOND_FILE = "example-coffee-subscriptions.yaml"
FILES = (DEFAULT_FILE, SECOND_FILE)
TOKEN = "a-long-random-token-for-the-tests"


def folders(root: Path) -> dict[str, str]:
    """Private copies of both markets and the shipped scenarios; the environment naming them."""
    assumptions, scenarios = root / "assumptions", root / "scenarios"
    assumptions.mkdir(parents=True)
    for name in FILES:
        shutil.copy(PROJECT / "assumptions" / name, assumptions)
    shutil.copytree(PROJECT / "assumptions" / "scenarios", scenarios, ignore=not_the_store)
    return {ASSUMPTIONS_ENV: str(assumptions), SCENARIOS_ENV: str(scenarios)}


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        assert self.headers.get("content-type", "").startswith("application/json"), self.headers
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass(frozen=True)
class Api:
    """A running server and the API's root under it (``/api/v1`` or ``/market/api/v1``)."""

    server: StreamlitServer
    root: str
    env: Mapping[str, str]

    def get(
        self, path: str, headers: Mapping[str, str] | None = None, *, method: str = "GET"
    ) -> Reply:
        """``path`` under the API's root (``forecast.csv?cagr=25``), sent as written."""
        return self.raw(f"{self.root}/{path}" if path else self.root, headers, method=method)

    def raw(
        self, target: str, headers: Mapping[str, str] | None = None, *, method: str = "GET"
    ) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=120)
        try:
            connection.request(method, target, headers=dict(headers or {}))
            response = connection.getresponse()
            body = response.read()
            found = {k.lower(): v for k, v in response.getheaders()}
            return Reply(response.status, found, body)
        finally:
            connection.close()


def _started(root: Path, env: Mapping[str, str]) -> StreamlitServer:
    server = StreamlitServer({**folders(root), **env}, root / "streamlit.log")
    server.start()
    return server


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The API on, no login, no prefix: as ``MARKET_API=1 streamlit run app.py`` runs it."""
    root = tmp_path_factory.mktemp("api")
    server = _started(root, {"MARKET_API": "1"})
    try:
        yield Api(server, "/api/v1", server.env)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def locked_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The API under the ``market`` prefix with a login configured (``[auth]``) and one token,
    as a deployment behind the proxy runs it."""
    root = tmp_path_factory.mktemp("locked-api")
    secrets = root / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1/market/oauth2callback"\n'
        'cookie_secret = "not-a-real-secret-for-the-tests"\n'
        'client_id = "tests"\n'
        'client_secret = "tests"\n'
        'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {
        "MARKET_API": "1",
        "MARKET_API_TOKENS": f"another-token,{TOKEN}",
        "STREAMLIT_SERVER_BASE_URL_PATH": "market",
        "STREAMLIT_SECRETS_FILES": str(secrets),
    }
    server = _started(root, env)
    try:
        yield Api(server, "/market/api/v1", server.env)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def api_off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The same command without ``MARKET_API``: the API must not be served."""
    root = tmp_path_factory.mktemp("api-off")
    server = _started(root, {})
    try:
        yield Api(server, "/api/v1", server.env)
    finally:
        server.stop()
