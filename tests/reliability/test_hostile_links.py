"""Hostile share links opened in a fresh dashboard session: the page draws, each bad part
is named in one warning line, and the good parts still apply.

The codec itself is fuzzed in tests/dashboard/test_links.py (any mapping decodes without
raising, markup cannot reach a warning, a file outside the catalogue is never opened);
these cases go through the whole page, as a browser opening the link would. What a
session applied is read back from the link it publishes in the address bar, which
mirrors its state: only the usable parts may be there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.layout import PAGES
from dashboard.links import format_number, key_for_path
from dashboard.state import widget_key
from market import Parameter, load_assumptions, parameter_index
from tests.pages.conftest import passages
from tests.reliability.conftest import DEFAULT_NAME, PROJECT, private_folders, snapshot, start_app

CAGR = "growth.cagr_pct"
LONG_KEY = "s." + "a" * 3000

# query -> (text each ignored part's warning line contains, the link the session publishes)
LINKS: dict[str, tuple[dict[str, str | list[str]], tuple[str, ...], dict[str, str]]] = {
    "unknown keys": (
        {"cagr": "25", "colour": "red", "s.region.atlantis": "5", "d.nowhere.x": "1"},
        (
            "colour: not a setting",
            "s.region.atlantis: no such assumption",
            "d.nowhere.x: no such assumption",
        ),
        {"cagr": "25"},
    ),
    "wrong types": (
        {
            "cagr": "fast",
            "sd": "4",
            "conc": "1e",
            "base": "0x10",
            "s.region.europe": "30",
            "page": "../../etc",
        },
        (
            "cagr: 'fast' is not a number",
            "conc: '1e' is not a number",
            "base: '0x10' is not a number",
            "page: ",
        ),
        {"s.region.europe": "30", "sd": "4"},
    ),
    "out of range": (
        {
            "cagr": "1e9",
            "sd": "inf",
            "s.region.europe": "-5",
            "d.region.europe": "999",
            "conc": "0",
            "d.region.asia-pacific": "5",
        },
        (
            "cagr: 1e+09 is outside",
            "sd: 'inf' is not a number",
            "s.region.europe: -5 is outside",
            "d.region.europe: 999 is outside",
            "conc: 0 is outside",
        ),
        {"d.region.asia-pacific": "5"},
    ),
    "repeated keys": (
        {"cagr": ["20", "30"], "sd": ["4", "4"]},
        ("cagr: given more than once with different values",),
        {"sd": "4"},
    ),
    "very long values": (
        {"cagr": "1" + "0" * 5000, LONG_KEY: "1", "conc": "150"},
        ("cagr: the value is longer than 50 characters", "'s.aaaaaaaaaa"),
        {"conc": "150"},
    ),
    "unicode": (
        {"cagr": "２５", "ünïcødé": "✓", "sd": "4", "s.region.éurope": "3"},
        (
            "cagr: '?' is not a number",
            "not a setting the dashboard knows",
            "not a setting the dashboard knows",
        ),
        {"sd": "4"},
    ),
}
PATH_LIKE = [
    "../../etc/passwd",
    "/etc/passwd",
    "..\\..\\windows\\win.ini",
    "healthcare-microservices.yaml/../../../etc/hosts",
    "scenarios/base-case.yaml",
    "healthcare-microservices.yaml\x00.txt",
]


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in private_folders(tmp_path).items():
        monkeypatch.setenv(name, value)
    return tmp_path


def link_warning(at: AppTest) -> list[str]:
    """The lines of the "Parts of the link were ignored" warning (none if not shown)."""
    for warning in at.warning:
        if warning.value.startswith("Parts of the link were ignored"):
            return [line for line in warning.value.splitlines()[1:] if line.startswith("- ")]
    return []


def opened(query: dict[str, str | list[str]], folders: Path) -> AppTest:
    """A new session opened with ``query``: drawn, no exception, nothing written."""
    before = snapshot(folders)
    at = start_app(query)
    assert not at.exception, at.exception
    assert at.title and at.title[0].value
    assert snapshot(folders) == before
    return at


@pytest.mark.parametrize("case", list(LINKS))
def test_bad_parts_are_named_and_the_good_parts_apply(case: str, folders: Path) -> None:
    query, ignored, kept = LINKS[case]
    at = opened(query, folders)
    unmatched = link_warning(at)
    for expected in ignored:  # one line for each ignored part
        line = next((line for line in unmatched if expected in line), None)
        assert line is not None, f"{expected!r} not among {unmatched}"
        unmatched.remove(line)
    assert unmatched == []
    assert dict(at.query_params) == kept
    assert at.slider(key=widget_key(CAGR, at.session_state)).value == pytest.approx(
        float(kept.get("cagr", 20.12))
    )


def test_a_warning_stays_short_however_long_the_link(folders: Path) -> None:
    at = opened({"cagr": "9" * 100_000, "x" * 100_000: "1"}, folders)
    lines = link_warning(at)
    assert len(lines) == 2
    assert all(len(line) < 120 for line in lines), lines


@pytest.mark.parametrize("file", PATH_LIKE)
def test_a_path_in_the_link_opens_the_default_market_and_nothing_else(
    file: str, folders: Path
) -> None:
    at = opened({"file": file, "cagr": "25"}, folders)
    lines = link_warning(at)
    assert any(line.startswith("- file: ") and "is not among" in line for line in lines), lines
    # the overrides were meant for the market the link named, so they go with it
    assert any(line.startswith("- cagr: not applied") for line in lines), lines
    assert at.title[0].value.startswith("Microservices in healthcare")
    assert dict(at.query_params) == {}
    said = [*(str(m.value) for m in at.markdown), *passages(at)]
    assert "root:" not in "\n".join(said)


# --- extreme numbers (issue 11) ------------------------------------------------------------

# One example key per entry of the parameter table: a share and a differential stand for
# every segment's.
EXAMPLE_PATHS = (
    "growth.cagr_pct",
    "growth.base_value",
    "uncertainty.cagr_sd_pct",
    "uncertainty.share_concentration",
    "share.region.europe",
    "diff.region.europe",
)
HUGE, TINY = "1e308", "5e-324"


def default_index() -> dict[str, Parameter]:
    return parameter_index(load_assumptions(PROJECT / "assumptions" / DEFAULT_NAME))


def at_the_ends(end: str) -> dict[str, str]:
    """A link setting every example number to the low or the high end of its range."""
    index = default_index()
    return {key_for_path(path): format_number(getattr(index[path], end)) for path in EXAMPLE_PATHS}


def every_page(at: AppTest) -> None:
    """Walk through every page as a user would: each draws, with no exception or error."""
    for page in PAGES:
        at.switch_page(page.script).run()
        assert not at.exception, (page.title, at.exception)
        assert not at.error, (page.title, [e.value for e in at.error])


@pytest.mark.parametrize("end", ["low", "high"])
def test_every_page_draws_at_the_ends_of_every_range(end: str, folders: Path) -> None:
    """What a link may set, the model and every chart can show: the ranges are one range."""
    query = at_the_ends(end)
    at = opened(query, folders)
    assert link_warning(at) == []
    assert dict(at.query_params) == query
    every_page(at)


@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", TINY, f"-{TINY}", "1e999"])
def test_extreme_numbers_are_ignored_with_a_warning_naming_each_key(
    value: str, folders: Path
) -> None:
    """``?base=1e308`` overflowed the sensitivity step, ``?base=5e-324`` divided by zero."""
    index = default_index()
    query = {key_for_path(path): value for path in EXAMPLE_PATHS}
    outside = {
        key_for_path(path)
        for path in EXAMPLE_PATHS
        if not index[path].low <= float(value) <= index[path].high  # inf is outside too
    }
    assert {"base", "conc"} <= outside  # 5e-324 is a CAGR, sd, weight or pp in range
    at = opened(query, folders)
    named = {line.removeprefix("- ").split(":", 1)[0] for line in link_warning(at)}
    assert named == outside
    assert dict(at.query_params) == {key: value for key in query.keys() - outside}
    every_page(at)
