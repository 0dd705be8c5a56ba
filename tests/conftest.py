"""Shared fixtures: the default market file, a small second market, YAML written inline."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import settings

from benchmarks import chromium
from market import Assumptions, load_assumptions

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# --- what the app is made of -------------------------------------------------------------
APP_PARTS = (
    "app.py",
    "pages",
    "dashboard",
    "report",
    "store",
    "market",
    "api",
    "assumptions",
    "static",
)
"""The files and folders a served app needs (beside ``.streamlit/config.toml``): what the
Dockerfile copies and what a test's copy of the app holds. app.py imports ``api``."""


# --- served tests: alone, after the rest -------------------------------------------------
# The README's command runs the tests in two steps: everything else on every core
# (``pytest -n auto -m "not served"``), then the tests that start a Streamlit server, nginx
# or Chromium in one process (``pytest -m served``). Those share a session's browser and
# servers, and they time pages' reruns: beside CPU-bound tests on a two-core machine their
# reruns fell behind their waits (twenty sessions, each a slider). The mark is given here,
# by place and by fixture, so a new test that starts a server is served without asking.
SERVED_FOLDERS = frozenset({"browser", "deploy", "benchmarks"})
SERVED_FILES = frozenset({"test_friendly_errors.py"})  # starts copies of the app itself
SERVED_FIXTURES = frozenset({"browser", "api", "locked_api"})


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(tests).parts
        if (
            parts[0] in SERVED_FOLDERS
            or item.path.name in SERVED_FILES
            or SERVED_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        ):
            item.add_marker(pytest.mark.served)


# --- hypothesis: the same examples on every CI run, many more on demand -------------------
# CI (any machine that sets CI, .ci/run included) runs a fixed set of examples, so a test
# passes or fails for a reason and not by the luck of the draw; a failure prints the blob
# that replays it, and the example found is kept in the test as an explicit @example.
# HYPOTHESIS_PROFILE=explore (README, "Tests") looks much further for such examples.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
EXPLORE_FACTOR = 50
"""Under the explore profile each property test draws this many times its own examples."""
settings.register_profile("explore", max_examples=100 * EXPLORE_FACTOR, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """How many examples a property test draws: its own ``count`` (what one run of the
    suite can afford for it), or :data:`EXPLORE_FACTOR` times as many under the explore
    profile. A test that sets ``max_examples`` itself would override the profile."""
    return count * EXPLORE_FACTOR if PROFILE == "explore" else count


PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = PROJECT / "assumptions" / "healthcare-microservices.yaml"

WriteYaml = Callable[..., Path]

SMALL_MARKET: dict[str, Any] = {
    "market": {
        "name": "Bicycle repair",
        "unit": "EUR thousand",
        "source": {"title": "A made-up survey", "publisher": "Nobody"},
    },
    "years": {"first": 2020, "base": 2021, "horizon": 2026},
    "reported": [{"year": 2020, "value": 80.0, "citation": "survey, table 1"}],
    "growth": {
        "base_value": {"value": 100.0, "provenance": "reported", "citation": "survey, table 1"},
        "cagr_pct": {"value": 5.0, "provenance": "assumed", "rationale": "in line with inflation"},
    },
    "uncertainty": {
        "cagr_sd_pct": {"value": 1.0, "provenance": "assumed", "rationale": "a guess"},
        "share_concentration": {"value": 50, "provenance": "assumed", "rationale": "a guess"},
    },
    "dimensions": [
        {
            "name": "Customer",
            "segments": [
                {
                    "name": "Commuters",
                    "share": 3,
                    "differential_pp": 2.0,
                    "provenance": "assumed",
                    "rationale": "more people ride to work",
                    "segments": [
                        {"name": "E-bikes", "share": 1, "provenance": "assumed", "rationale": "r"},
                        {"name": "Pedal", "share": 2, "provenance": "assumed", "rationale": "r"},
                    ],
                },
                {"name": "Sport", "share": 1, "provenance": "assumed", "rationale": "a niche"},
            ],
        },
        {
            "name": "City",
            "segments": [
                {"name": "Lyon", "share": 1, "provenance": "assumed", "rationale": "r"},
                {
                    "name": "Ghent",
                    "share": 1,
                    "differential_pp": -1,
                    "provenance": "assumed",
                    "rationale": "r",
                },
            ],
        },
    ],
}


@pytest.fixture(scope="session")
def default_path() -> Path:
    """The project's default market file (not whatever MARKET_* variables point at)."""
    return DEFAULT_FILE


@pytest.fixture(scope="session")
def default_assumptions(default_path: Path) -> Assumptions:
    # Assumptions are frozen, so one instance can serve every test.
    return load_assumptions(default_path)


@pytest.fixture
def small_market() -> dict[str, Any]:
    """A small, valid market that is not the default one, as the dict a YAML file would hold.

    Each test gets its own deep copy, so it may edit the dict freely.
    """
    return copy.deepcopy(SMALL_MARKET)


@pytest.fixture
def write_yaml(tmp_path: Path) -> WriteYaml:
    """``write_yaml(content, name="assumptions.yaml")``: a file in ``tmp_path``.

    A dict is dumped as YAML, text is written as UTF-8, bytes are written as they are.
    """

    def write(content: dict[str, Any] | str | bytes, name: str = "assumptions.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        return path

    return write


# --- one browser for the whole run ----------------------------------------------------------
# Playwright's sync API allows one running instance per thread, so every browser test, in
# whatever folder, shares this session-scoped Chromium and opens its own context.


def browser_unavailable(reason: str) -> None:
    """Skip where no browser is installed; fail under CI (``REQUIRE_BROWSER=1``)."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 makes a missing browser a failure)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, or the one ``CHROMIUM_PATH`` names."""
    path = chromium.executable()
    if path is None:
        named = os.environ.get("CHROMIUM_PATH") or chromium.DEFAULT_PATH
        browser_unavailable(f"no Chromium executable at {named}; install it or set CHROMIUM_PATH")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """One Chromium for the whole run; each test gets its own context (cookies, storage)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        args = list(chromium.ARGS)
        launched = playwright.chromium.launch(executable_path=chromium_path, args=args)
        yield launched
        launched.close()
