"""The ``market`` command as a user runs it: exit codes, output a script can parse, clear errors.

Most tests call ``main([...])`` in-process; a few run ``python -m cli`` for the real
entry point, the default file found from another folder, and stderr free of tracebacks.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cli import EXIT_OK, EXIT_USAGE, main
from market import Assumptions, forecast, parameters
from market.paths import ASSUMPTIONS_ENV, DEFAULT_FILE_ENV, SCENARIOS_ENV

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _project_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --assumptions the project's default file is used, not one from the environment."""
    for name in (ASSUMPTIONS_ENV, SCENARIOS_ENV, DEFAULT_FILE_ENV):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKET_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "cli", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_usage_error(code: int, out: str, err: str) -> list[str]:
    """Exit 2, nothing on stdout, at least one problem line on stderr and no traceback."""
    assert code == EXIT_USAGE
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines
    return lines


# --- forecast ------------------------------------------------------------------------------


def test_csv_has_every_year_at_full_precision(capsys, default_assumptions: Assumptions) -> None:
    code, out, err = run(capsys, "forecast", "--format", "csv")
    assert (code, err) == (EXIT_OK, "")
    expected = forecast(default_assumptions).totals["value"]
    assert out.splitlines()[0] == "year,total,growth_pct"
    rows = read_csv(out)
    assert [int(r["year"]) for r in rows] == list(expected.index)
    # equality, not closeness: the CSV is for tools that must get the model's own numbers
    assert [float(r["total"]) for r in rows] == expected.tolist()


def test_csv_by_dimension_has_one_column_per_segment(
    capsys, default_assumptions: Assumptions
) -> None:
    code, out, _ = run(capsys, "forecast", "--format", "csv", "--by", "region")
    assert code == EXIT_OK
    names = [s.name for s in default_assumptions.dimension("region").segments]
    assert out.splitlines()[0] == ",".join(["year", "total", "growth_pct", *names])
    by_region = forecast(default_assumptions).by("region")
    for row in read_csv(out):
        year = int(row["year"])
        assert [float(row[n]) for n in names] == by_region.loc[year].tolist()


def test_dimension_may_be_named_by_its_display_name(capsys) -> None:
    _, by_id, _ = run(capsys, "forecast", "--format", "csv", "--by", "deployment")
    _, by_name, _ = run(capsys, "forecast", "--format", "csv", "--by", "Deployment model")
    assert by_id == by_name


def test_json_records_match_the_forecast(capsys, default_assumptions: Assumptions) -> None:
    code, out, _ = run(capsys, "forecast", "--format", "json", "--by", "component")
    assert code == EXIT_OK
    f = forecast(default_assumptions)
    records = json.loads(out)
    assert [r["year"] for r in records] == list(f.totals.index)
    assert [r["total"] for r in records] == f.totals["value"].tolist()
    assert [r["Software"] for r in records] == f.by("component")["Software"].tolist()


def test_set_cagr_moves_the_horizon_as_compounding_predicts(
    capsys, default_assumptions: Assumptions
) -> None:
    code, out, _ = run(capsys, "forecast", "--format", "json", "--set", "growth.cagr_pct=25")
    assert code == EXIT_OK
    years, base = default_assumptions.years, default_assumptions.growth.base_value.value
    horizon = json.loads(out)[-1]
    assert horizon["year"] == years.horizon
    expected = base * 1.25 ** (years.horizon - years.base)
    assert math.isclose(horizon["total"], expected, rel_tol=1e-12)


def test_set_share_fixes_the_base_year_mix(capsys, default_assumptions: Assumptions) -> None:
    # in the base year the mix is the normalised weights, so the new weight's share is exact
    code, out, _ = run(
        capsys,
        "forecast",
        "--format",
        "json",
        "--by",
        "region",
        "--set",
        "share.region.north-america=40",
        "share.region.europe=10",
    )
    assert code == EXIT_OK
    weights = {s.name: s.share for s in default_assumptions.dimension("region").segments}
    weights.update({"North America": 40, "Europe": 10})
    base = next(r for r in json.loads(out) if r["year"] == default_assumptions.years.base)
    assert math.isclose(base["North America"] / base["total"], 40 / sum(weights.values()))
    assert math.isclose(base["Europe"] / base["total"], 10 / sum(weights.values()))


def test_table_rounds_and_says_unit_and_basis(capsys, default_assumptions: Assumptions) -> None:
    code, out, _ = run(capsys, "forecast")
    assert code == EXIT_OK
    f = forecast(default_assumptions)
    assert default_assumptions.market.unit in out
    assert f"{f.horizon_value:,.1f}" in out  # e.g. 1,651.2: thousands separated, one decimal
    assert repr(f.horizon_value) not in out
    rows = {line.split()[0]: line for line in out.splitlines() if re.match(r"\d{4}\s", line)}
    assert set(rows) == {str(y) for y in f.totals.index}
    for year, modelled in f.totals["modelled"].items():
        assert ("modelled" if modelled else "reported") in rows[str(year)]


def test_unknown_dimension_names_the_known_ones(capsys) -> None:
    lines = assert_usage_error(*run(capsys, "forecast", "--by", "planet"))
    assert len(lines) == 1
    assert "planet" in lines[0] and "region" in lines[0]


def test_every_bad_set_gets_its_own_line(capsys) -> None:
    lines = assert_usage_error(
        *run(
            capsys,
            "forecast",
            "--set",
            "growth.cagr_pct=fast",
            "growth.nothing=1",
            "share.region.europe=-5",
            "no-equals",
        )
    )
    assert len(lines) == 4
    for path in ("growth.cagr_pct", "growth.nothing", "share.region.europe", "no-equals"):
        assert sum(line.startswith((f"--set {path}", f"--set: {path}")) for line in lines) == 1


def test_set_that_zeroes_a_whole_dimension_is_refused(
    capsys, default_assumptions: Assumptions
) -> None:
    zeroes = [f"share.region.{s.id}=0" for s in default_assumptions.dimension("region").segments]
    lines = assert_usage_error(*run(capsys, "forecast", "--set", *zeroes))
    assert "zero" in " ".join(lines)


def test_bad_format_is_a_usage_error(capsys) -> None:
    code, _, err = run(capsys, "forecast", "--format", "xml")
    assert code == EXIT_USAGE
    assert "xml" in err


# --- params and help -----------------------------------------------------------------------


def test_params_lists_every_path_with_value_and_provenance(
    capsys, default_assumptions: Assumptions
) -> None:
    code, out, _ = run(capsys, "params")
    assert code == EXIT_OK
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for p in parameters(default_assumptions):
        assert p.path in lines, p.path
        assert p.provenance.value in lines[p.path]
        assert (p.shown(p.value) if p.choices else f"{p.value:g}") in lines[p.path]


def test_help_documents_the_override_paths(capsys) -> None:
    code, out, _ = run(capsys, "forecast", "--help")
    assert code == EXIT_OK
    for text in (
        "growth.cagr_pct",
        "share.DIM.SEG",
        "diff.DIM.SEG",
        "market params",
        "--set share.region.north-america=40",
    ):
        assert text in out


# --- validate ------------------------------------------------------------------------------


def test_validate_a_good_file_prints_one_ok_line(capsys, default_path: Path) -> None:
    code, out, err = run(capsys, "validate", str(default_path))
    assert (code, err) == (EXIT_OK, "")
    assert len(out.strip().splitlines()) == 1
    assert out.startswith("OK")


def _edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_yaml_syntax_error_gives_line_and_column(capsys, write_yaml) -> None:
    path = write_yaml("market:\n  name: x\n\tunit: USD\n")  # a tab at line 3, column 1
    lines = assert_usage_error(*run(capsys, "validate", str(path)))
    assert len(lines) == 1
    assert lines[0].startswith(str(path))
    assert "line 3, column 1" in lines[0]


def test_negative_share_names_the_field_and_its_line(capsys, write_yaml, default_path) -> None:
    text = default_path.read_text(encoding="utf-8")
    bad = _edit(text, "share: 42", "share: -42")
    line = bad.splitlines().index("        share: -42") + 1
    lines = assert_usage_error(*run(capsys, "validate", str(write_yaml(bad))))
    assert len(lines) == 1
    assert "share" in lines[0] and f"line {line}," in lines[0]


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        ("zero shares", "zero"),
        ("base after horizon", "years"),
    ],
)
def test_invalid_files_are_refused_with_reasons(
    capsys, write_yaml, small_market: dict[str, Any], edit: str, words: str
) -> None:
    if edit == "zero shares":
        for segment in small_market["dimensions"][1]["segments"]:
            segment["share"] = 0
    else:
        small_market["years"]["base"] = small_market["years"]["horizon"] + 1
    path = write_yaml(small_market)
    lines = assert_usage_error(*run(capsys, "validate", str(path)))
    assert all(line.startswith(str(path)) for line in lines)
    assert words in " ".join(lines)


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_path_that_is_no_file_is_refused(capsys, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nothing.yaml" if kind == "missing" else tmp_path
    lines = assert_usage_error(*run(capsys, "validate", str(path)))
    assert lines == [lines[0]] and lines[0].startswith(str(path))


def test_forecast_of_a_bad_file_is_refused_the_same_way(capsys, tmp_path: Path) -> None:
    lines = assert_usage_error(*run(capsys, "forecast", "--assumptions", str(tmp_path / "x.yaml")))
    assert str(tmp_path / "x.yaml") in lines[0]


# --- goal seek -----------------------------------------------------------------------------


def test_goal_seek_cagr_reaches_the_target(capsys, default_assumptions: Assumptions) -> None:
    code, out, _ = run(capsys, "goal-seek", "--target", "2000")
    assert code == EXIT_OK
    cagr = float(re.search(r"growth\.cagr_pct=(\S+)", out).group(1))
    years, base = default_assumptions.years, default_assumptions.growth.base_value.value
    assert math.isclose(base * (1 + cagr / 100) ** (years.horizon - years.base), 2000)
    assert f"{cagr:.2f}%" in out


@pytest.mark.parametrize(
    "argv", [["--target", "-5"], ["--target", "nan"], ["--target", "2000", "--year", "2000"]]
)
def test_goal_seek_refuses_impossible_goals(capsys, argv: list[str]) -> None:
    assert_usage_error(*run(capsys, "goal-seek", *argv))


@pytest.mark.parametrize("year", ["2032", "2050", "2024", "1900", "99999", "-5", "0"])
def test_goal_seek_refuses_a_year_outside_the_forecast(capsys, year: str) -> None:
    """Past the horizon it used to answer without a word; the base year is no target."""
    code, out, err = run(capsys, "goal-seek", "--target", "2000", "--year", year)
    [line] = assert_usage_error(code, out, err)
    assert year in line


@pytest.mark.parametrize("year", ["99999", "-3", "2040", "2024"])
@pytest.mark.parametrize(
    "argv",
    [
        ["--share-target", "8", "--by"],
        ["--share-target", "8", "--revenue-target", "100", "--target-year"],
    ],
    ids=["by", "target-year"],
)
def test_opportunity_names_the_forecast_years_for_a_year_outside_them(
    capsys, argv: list[str], year: str
) -> None:
    # an absurd year was refused as "target_year must be a year", a field never typed
    code, out, err = run(capsys, "opportunity", "--share-start", "1", *argv, year)
    [line] = assert_usage_error(code, out, err)
    assert f"must lie from 2025 to 2031, got {year}" in line
    assert "target_year" not in line


# --- export --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "json", "xlsx"])
def test_export_writes_the_file_and_nothing_else(capsys, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "deep" / f"forecast.{kind}"
    code, stdout, _ = run(capsys, "export", "--out", str(out))  # format from the suffix
    assert code == EXIT_OK
    assert str(out) in stdout
    assert out.stat().st_size > 0
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary left over


def test_exported_workbook_marks_a_set_value_as_changed_from_the_file(
    capsys, tmp_path: Path
) -> None:
    out = tmp_path / "changed.xlsx"
    code, _, _ = run(capsys, "export", "--out", str(out), "--set", "growth.cagr_pct=22.12")
    assert code == EXIT_OK
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out)["Assumptions"].iter_rows()]
    header = next(r for r in rows if r[0] == "Path")
    cagr = dict(zip(header, next(r for r in rows if r[0] == "growth.cagr_pct"), strict=True))
    assert (cagr["File value"], cagr["File provenance"]) == (20.12, "reported")
    assert (cagr["Value used"], cagr["Changed"]) == (22.12, "changed")


def test_export_csv_with_dimension_equals_forecast_output(capsys, tmp_path: Path) -> None:
    out = tmp_path / "by-region.txt"
    run(capsys, "export", "--format", "csv", "--by", "region", "--out", str(out))
    _, printed, _ = run(capsys, "forecast", "--format", "csv", "--by", "region")
    assert out.read_text(encoding="utf-8") == printed


@pytest.mark.parametrize("where", ["a folder", "under a file", "unknown suffix"])
def test_export_refuses_outputs_it_cannot_write(capsys, tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "plain.txt"
    blocker.write_text("keep me", encoding="utf-8")
    out = {
        "a folder": tmp_path,
        "under a file": blocker / "x.csv",
        "unknown suffix": tmp_path / "x.pdf",
    }[where]
    lines = assert_usage_error(*run(capsys, "export", "--out", str(out)))
    assert str(out) in lines[0]
    assert blocker.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]


def test_export_xlsx_refuses_by(capsys, tmp_path: Path) -> None:
    assert_usage_error(*run(capsys, "export", "--out", str(tmp_path / "x.xlsx"), "--by", "region"))


# --- risk ----------------------------------------------------------------------------------


def test_risk_prints_percentiles_and_sensitivity(capsys, default_assumptions: Assumptions) -> None:
    code, out, _ = run(capsys, "risk", "--paths", "2000", "--seed", "7")
    assert code == EXIT_OK
    for column in ("p5", "p50", "p95"):
        assert column in out
    assert "growth.cagr_pct" in out
    assert re.search(r"\d+\.\d%", out)
    assert run(capsys, "risk", "--paths", "2000", "--seed", "7")[1] == out  # seeded: repeatable


def test_risk_refuses_a_bad_number_of_paths(capsys) -> None:
    code, _, err = run(capsys, "risk", "--paths", "0")
    assert code == EXIT_USAGE
    assert "--paths" in err


# --- the real entry point ------------------------------------------------------------------


def test_module_entry_uses_the_default_file_from_any_folder(
    tmp_path: Path, default_assumptions: Assumptions
) -> None:
    done = run_process("forecast", "--format", "csv", cwd=tmp_path)
    assert done.returncode == EXIT_OK, done.stderr
    totals = [float(r["total"]) for r in read_csv(done.stdout)]
    assert totals == forecast(default_assumptions).totals["value"].tolist()


def test_module_entry_reports_problems_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("market: [\n", encoding="utf-8")
    for argv in (
        ["validate", str(bad)],
        ["forecast", "--set", "growth.cagr_pct=x"],
        ["no-such-command"],
    ):
        done = run_process(*argv, cwd=tmp_path)
        assert done.returncode == EXIT_USAGE, argv
        assert done.stderr.strip() and "Traceback" not in done.stderr, argv


def test_module_entry_writes_an_export(tmp_path: Path) -> None:
    out = tmp_path / "forecast.xlsx"
    done = run_process("export", "--format", "xlsx", "--out", str(out), cwd=tmp_path)
    assert done.returncode == EXIT_OK, done.stderr
    assert out.read_bytes()[:2] == b"PK"  # an xlsx is a zip archive
