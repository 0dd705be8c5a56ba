"""The illustrative coffee-subscriptions market: a second file every command must handle as is.

It differs from the default market on purpose (unit, years, dimension names, no reported
horizon, history before the base year), so code that quietly assumes the default breaks here.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cli import EXIT_OK, main
from market import Assumptions, Provenance, forecast, load_assumptions, parameters

PROJECT = Path(__file__).resolve().parents[2]
COFFEE = PROJECT / "assumptions" / "example-coffee-subscriptions.yaml"
WORLD_REGIONS = {"North America", "Europe", "Asia-Pacific", "Latin America", "Middle East & Africa"}


@pytest.fixture(scope="module")
def coffee() -> Assumptions:
    return load_assumptions(COFFEE)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main([*argv, "--assumptions", str(COFFEE)] if argv[0] != "validate" else list(argv))
    out, err = capsys.readouterr()
    assert (code, err) == (EXIT_OK, ""), err
    return out


# --- the file ------------------------------------------------------------------------------


def test_says_it_is_illustrative(coffee: Assumptions) -> None:
    for text in (coffee.market.description, coffee.market.source.note):
        assert "illustrative example, not a real report" in text.lower()
    assert all("illustrative" in r.citation.lower() for r in coffee.reported)


def test_every_tunable_value_is_assumed_with_a_rationale(coffee: Assumptions) -> None:
    for p in parameters(coffee):
        assert p.provenance is Provenance.ASSUMED, p.path
        assert p.basis, p.path


def test_differs_from_the_default_market(coffee: Assumptions, default_assumptions) -> None:
    assert coffee.market.unit == "EUR million" != default_assumptions.market.unit
    assert coffee.years != default_assumptions.years
    assert coffee.years.first < coffee.years.base  # has history, as the schema allows
    assert coffee.years.horizon not in coffee.reported_by_year
    assert {d.id for d in coffee.dimensions} != {d.id for d in default_assumptions.dimensions}
    assert 2 <= len(coffee.dimensions) <= 3


def test_its_region_dimension_uses_world_region_names(coffee: Assumptions) -> None:
    region = next(d for d in coffee.dimensions if d.geographic)
    assert region.name == "Region"
    assert {s.name for s in region.segments} <= WORLD_REGIONS


# --- through every command -----------------------------------------------------------------


def test_validates(capsys) -> None:
    out = cli(capsys, "validate", str(COFFEE))
    assert out.startswith("OK") and "EUR million" in out


def test_forecast_table_names_its_unit_and_history(capsys, coffee: Assumptions) -> None:
    out = cli(capsys, "forecast", "--by", "region")
    assert "EUR million" in out
    history = next(line for line in out.splitlines() if line.startswith(str(coffee.years.first)))
    assert "reported" in history


def test_forecast_csv_matches_the_model_from_a_real_process(
    tmp_path: Path, coffee: Assumptions
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKET_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "forecast",
            "--assumptions",
            str(COFFEE),
            "--format",
            "csv",
            "--by",
            "channel",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    f = forecast(coffee)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    names = [s.name for s in coffee.dimension("channel").segments]
    assert list(rows[0]) == ["year", "total", "growth_pct", *names]
    assert [float(r["total"]) for r in rows] == f.totals["value"].tolist()
    assert [float(r["Cafés"]) for r in rows] == f.by("channel")["Cafés"].tolist()


def test_set_and_json(capsys, coffee: Assumptions) -> None:
    records = json.loads(cli(capsys, "forecast", "--format", "json", "--set", "growth.cagr_pct=12"))
    y, base = coffee.years, coffee.growth.base_value.value
    assert records[-1]["year"] == y.horizon
    assert math.isclose(records[-1]["total"], base * 1.12 ** (y.horizon - y.base), rel_tol=1e-12)


def test_exports_every_format(capsys, tmp_path: Path, coffee: Assumptions) -> None:
    for kind in ("csv", "json", "xlsx"):
        cli(capsys, "export", "--out", str(tmp_path / f"coffee.{kind}"))
    f = forecast(coffee)
    book = openpyxl.load_workbook(tmp_path / "coffee.xlsx")
    assert book.sheetnames == [
        "Summary",
        *(d.name for d in coffee.dimensions),
        "Risk",
        "Assumptions",
    ]
    totals = [
        r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0] in set(f.totals.index)
    ]
    assert totals == pytest.approx(f.totals["value"].tolist(), rel=1e-14)
    records = json.loads((tmp_path / "coffee.json").read_text("utf-8"))
    assert records[0]["year"] == coffee.years.first


def test_params_goal_seek_and_risk(capsys, coffee: Assumptions) -> None:
    assert "share.plan.beans-and-ground.whole-bean" in cli(capsys, "params")
    assert str(coffee.years.horizon) in cli(capsys, "goal-seek", "--target", "500")
    out = cli(capsys, "risk", "--paths", "500")
    assert "p50" in out and "reports no" in out  # no reported horizon value to aim at
