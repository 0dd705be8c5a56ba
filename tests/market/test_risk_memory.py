"""One simulation stays under the memory ceiling on the largest file the limits allow."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
import yaml

import cli
from market import parse_assumptions
from market.io import MAX_SEGMENTS
from market.risk import (
    MEMORY_CEILING,
    MIN_PATHS,
    affordable_paths,
    budgeted_paths,
    memory_paths,
    simulate,
)
from report.brief import brief_html

MAX_YEARS = 201  # the schema allows years spanning 200 years: 201 of them


def _segments(count: int, name: str) -> list[dict[str, Any]]:
    return [
        {
            "name": f"{name} {i}",
            "share": 1 + i % 7,
            "differential_pp": (i % 5) - 2.0,
            "provenance": "assumed",
            "rationale": "r",
        }
        for i in range(count)
    ]


def _assumed(value: float) -> dict[str, Any]:
    return {"value": value, "provenance": "assumed", "rationale": "r"}


def worst_file(layout: str) -> str:
    """MAX_SEGMENTS segments over the longest span of years, as YAML text."""
    data: dict[str, Any] = {
        "market": {"name": "Worst", "unit": "units", "source": {"title": "t", "publisher": "p"}},
        "growth": {"base_value": _assumed(100.0), "cagr_pct": _assumed(5.0)},
        "uncertainty": {"cagr_sd_pct": _assumed(2.0), "share_concentration": _assumed(50.0)},
    }
    data["years"] = {"first": 2000, "base": 2000, "horizon": 2000 + MAX_YEARS - 1}
    data["reported"] = [{"year": 2000, "value": 100.0, "citation": "c"}]
    if layout == "one flat dimension":
        data["dimensions"] = [{"name": "Country", "segments": _segments(MAX_SEGMENTS, "C")}]
    else:  # sub-segments: 20 parents of 24 children each, and one more dimension
        parents = _segments(20, "P")
        for parent in parents:
            parent["segments"] = _segments(23, parent["name"])
        data["dimensions"] = [
            {"name": "Product", "segments": parents},
            {"name": "Channel", "segments": _segments(MAX_SEGMENTS - 20 * 24, "Ch")},
        ]
    return yaml.safe_dump(data, sort_keys=False)


def peak(call: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module", params=["one flat dimension", "nested"])
def worst(request: pytest.FixtureRequest):
    a = parse_assumptions(worst_file(request.param))
    assert len(a.years.all) == MAX_YEARS
    return a


def test_the_worst_file_still_gets_a_band_and_says_how_many_paths(worst) -> None:
    assert MIN_PATHS <= memory_paths(worst) < 10_000
    assert budgeted_paths(worst, 10_000) == memory_paths(worst)
    assert affordable_paths(worst) <= memory_paths(worst)
    with pytest.raises(ValueError, match="256 MB"):
        simulate(worst, paths=memory_paths(worst) + 1)


def test_the_risk_page_simulation_stays_under_the_ceiling(worst) -> None:
    used = peak(lambda: simulate(worst, paths=affordable_paths(worst)))
    assert used < MEMORY_CEILING, f"{used / 2**20:.0f} MB"


def test_the_brief_stays_under_the_ceiling_and_says_the_paths_were_reduced(worst) -> None:
    html: list[str] = []
    used = peak(lambda: html.append(brief_html(worst, worst)))
    assert used < MEMORY_CEILING, f"{used / 2**20:.0f} MB"
    assert f"uses {memory_paths(worst):,} simulated paths rather than 10,000" in html[0]


def test_market_risk_with_a_million_paths_stays_under_the_ceiling(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "worst.yaml"
    path.write_text(worst_file("one flat dimension"), "utf-8")
    codes: list[int] = []
    # The ceiling is the simulation's: the libraries the command imports the first time it
    # runs (the store, pandas' string arrays) are the program's, about 27 MB, and are loaded
    # once by a smaller run first, or the figure would depend on which tests ran before
    assert cli.main(["risk", "--assumptions", str(path), "--paths", "100"]) == 0
    capsys.readouterr()
    argv = ["risk", "--assumptions", str(path), "--paths", "1000000"]
    used = peak(lambda: codes.append(cli.main(argv)))
    assert codes == [0]
    assert used < MEMORY_CEILING, f"{used / 2**20:.0f} MB"
    assert "simulating" in capsys.readouterr().err
