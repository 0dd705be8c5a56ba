"""The benchmark's quick mode runs to the end and writes every section (issue 6).

CI runs it so that the benchmark cannot rot. It asserts what the JSON must hold, never a
timing: speed targets are read from BENCHMARKS.md, not enforced by tests. The browser
sections need Debian's Chromium (required when ``REQUIRE_BROWSER=1``); the Dash peer
needs the ``bench`` extra, which CI does not install, so its test skips with the reason.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import chromium
from benchmarks.model_bench import SHAPES
from dashboard.layout import PAGES

PROJECT = Path(__file__).resolve().parents[2]
BROWSER_REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
HAS_CHROMIUM = chromium.executable() is not None
HAS_DASH = importlib.util.find_spec("dash") is not None
SECTIONS = {"machine", "model", "reruns", "browser", "memory", "floor", "scale"}


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One quick run for the whole module, as CI would start it; its JSON."""
    out = tmp_path_factory.mktemp("benchmark") / "latest.json"
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--json", str(out)]
    command += ["--browser", "require" if BROWSER_REQUIRED else "auto"]
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return json.loads(out.read_text(encoding="utf-8"))


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["name"] for row in rows]


def test_the_quick_run_writes_every_section(quick: dict[str, Any]) -> None:
    assert quick["mode"] == "quick"
    assert quick.keys() >= SECTIONS
    assert quick["machine"]["nproc"] >= 1 and quick["machine"]["cpu_model"]


def test_the_model_section_times_each_call_the_issue_names(quick: dict[str, Any]) -> None:
    rows = quick["model"]
    shapes = [*SHAPES, "fade, 2025 actual, hold-end"]  # issue 24: each shape, and a re-basing
    assert names(rows) == [
        "forecast",
        "simulate 10,000 paths",
        "sensitivity (total)",
        "bridge (to 'aggressive')",
        "load + validate default file",
        "two-way grid 7x7 (the page's first)",  # issue 25: the page's first grid,
        "two-way grid 21x21 (Europe)",  # the issue's 21 x 21 example, a revenue grid
        "two-way grid 7x7 (revenue)",
        *(f"{call}, {shape}" for shape in shapes for call in ("forecast", "simulate 10,000 paths")),
    ]
    assert all(row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"] for row in rows)


def test_every_page_rerun_is_divided_by_the_reference_apps(quick: dict[str, Any]) -> None:
    rows = {row["name"]: row for row in quick["reruns"]}
    assert "reference app" in rows
    for page in PAGES:
        row = rows[f"page: {page.title}"]
        assert row["reference"] == "reference app"
        expected = round(row["median_ms"] / rows["reference app"]["median_ms"], 2)
        assert row["ratio"] == pytest.approx(expected, abs=0.011)


@pytest.mark.browser
def test_the_browser_sections_measure_the_overview_and_the_reference(
    quick: dict[str, Any],
) -> None:
    skipped = quick["browser"]["skipped"]
    if skipped:
        assert not BROWSER_REQUIRED, "REQUIRE_BROWSER=1 but the browser sections were skipped"
        pytest.skip(f"browser sections skipped by the benchmark: {skipped}")
    shown = names(quick["browser"]["rows"])
    for app in ("Overview", "reference app"):
        assert f"slider to chart: {app}" in shown
        assert f"navigation to first chart: {app}" in shown
    for page in ("Segments", "Regions", "Risk"):
        row = next(r for r in quick["browser"]["rows"] if r["name"] == f"slider to chart: {page}")
        assert row["reference"] == "slider to chart: reference app" and row["met"] is not None
    for app in ("overview", "reference"):
        memory = quick["memory"][app]
        assert memory["rss_1_mb"] > 0 and memory["per_session_mb"] is not None
        assert memory["errors"] == []


@pytest.mark.browser
def test_the_dash_peer_is_measured_when_the_bench_extra_is_installed(
    quick: dict[str, Any],
) -> None:
    if quick["browser"]["skipped"]:
        pytest.skip(f"browser sections skipped by the benchmark: {quick['browser']['skipped']}")
    if not HAS_DASH:
        assert quick["browser"]["dash"] == "not installed"
        pytest.skip("dash is not installed (pip install -e '.[bench]'): the peer is left out")
    assert "slider to chart: Dash peer" in names(quick["browser"]["rows"])
    assert quick["memory"]["dash"]["errors"] == []


@pytest.mark.browser
def test_the_floor_section_sets_the_bare_pages_and_the_overview_against_the_reference(
    quick: dict[str, Any],
) -> None:
    skipped = quick["floor"]["skipped"]
    if skipped:
        assert not BROWSER_REQUIRED, "REQUIRE_BROWSER=1 but the floor section was skipped"
        pytest.skip(f"floor section skipped by the benchmark: {skipped}")
    rows = {row["name"]: row for row in quick["floor"]["rows"]}
    reference = "slider to chart: reference app (st.plotly_chart)"
    assert list(rows) == [
        reference,
        "slider to chart: bare page, the chart element",
        "slider to chart: bare page, the Overview's chart",
        "slider to chart: bare page, the Overview's chart, CAGR in the address",
        "slider to chart: Overview",
    ]
    for name, row in rows.items():
        assert row["n"] >= 3 and row["median_ms"] > 0
        if name != reference:
            assert row["reference"] == reference and row["ratio"] is not None


def test_the_scale_curves_grow_segments_and_paths(quick: dict[str, Any]) -> None:
    curves = quick["scale"]["growth_exponents"]
    assert set(curves) == {
        "forecast by segments",
        "simulate 1,000 paths by segments",
        "simulate by paths",
    }
    assert all(len(points) >= 1 for points in curves.values())
