"""Growth shapes and actual figures on the command line: ``--set growth.shape=fade``,
``--actual 2025=535.64``, ``--rebase``, every year's growth rate in every format, and
``market validate`` refusing a shape that cannot hold, at its line and column."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cli import EXIT_OK, EXIT_USAGE, main
from market.paths import ASSUMPTIONS_ENV, DEFAULT_FILE_ENV, SCENARIOS_ENV

FADE = ["--set", "growth.shape=fade", "--set", "growth.fade_pp=-1"]


@pytest.fixture(autouse=True)
def _project_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ASSUMPTIONS_ENV, SCENARIOS_ENV, DEFAULT_FILE_ENV):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_fade_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "forecast", *FADE, "--format", "json")
    assert (code, err) == (EXIT_OK, "")
    rows = {r["year"]: r for r in json.loads(out)}
    assert [round(rows[y]["total"], 1) for y in (2025, 2028, 2031)] == [563.5, 1001.5, 1651.2]
    assert [round(rows[y]["growth_pct"], 1) for y in range(2025, 2032)] == [
        23.1,
        22.1,
        21.1,
        20.1,
        19.1,
        18.1,
        17.1,
    ]
    assert rows[2023]["growth_pct"] is None and "actual" not in rows[2025]

    _, out, _ = run(capsys, "forecast", *FADE, "--format", "csv")
    by_year = {r["year"]: r for r in csv.DictReader(io.StringIO(out))}
    assert round(float(by_year["2025"]["growth_pct"]), 1) == 23.1

    _, out, _ = run(capsys, "forecast", *FADE)
    assert "Growth shape: fade (-1.0 pp a year)" in out
    assert "With growth.shape=fade, growth.fade_pp=-1" in out
    assert "2025  modelled    563.5             23.1%" in out


def test_an_actual_with_its_drift_and_a_rebasing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "forecast", "--actual", "2025=535.64", "--format", "json")
    assert (code, err) == (EXIT_OK, "")
    rows = {r["year"]: r for r in json.loads(out)}
    assert rows[2025]["actual"] == 535.64 and round(rows[2025]["drift_pct"], 2) == -2.55
    assert round(rows[2031]["total"], 1) == 1651.2  # none: the forecast stays
    assert "actual" not in rows[2026]

    for rebase, horizon in (("hold-end", 1651.2), ("hold-growth", 1609.0)):
        _, out, _ = run(
            capsys, "forecast", "--actual", "2025=535.64", "--rebase", rebase, "--format", "json"
        )
        rows = {r["year"]: r for r in json.loads(out)}
        assert (round(rows[2025]["total"], 2), round(rows[2031]["total"], 1)) == (
            535.64,
            horizon,
        )
    _, out, _ = run(capsys, "forecast", "--actual", "2025=535.64", "--rebase", "hold-end")
    assert "Actual   Drift" in out and "535.6  -2.55%" in out
    assert "still reaches USD 1,651.2M in 2031 (20.64% a year from 2025" in out


def test_a_wrong_shape_actual_or_rebasing_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "forecast", "--set", "growth.shape=curvy")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.strip() == (
        "--set growth.shape=curvy: 'curvy' is not one of constant | fade | damped | logistic"
    )
    code, _, err = run(capsys, "forecast", "--set", "growth.shape=logistic", "growth.capacity=900")
    assert code == EXIT_USAGE
    assert err.strip().startswith("--set: growth.capacity: the logistic ceiling")
    code, _, err = run(capsys, "forecast", "--actual", "2031=2000")
    assert code == EXIT_USAGE and err.strip().startswith("--actual: actuals[2031]:")
    code, _, err = run(capsys, "forecast", "--actual", "soon")
    assert code == EXIT_USAGE and "expected YEAR=VALUE" in err


def test_validate_refuses_an_impossible_shape_at_its_line_and_column(
    capsys: pytest.CaptureFixture[str], default_path: Path, tmp_path: Path
) -> None:
    text = default_path.read_text(encoding="utf-8").replace(
        "\nuncertainty:\n",
        "\n  shape:\n    value: logistic\n    provenance: assumed\n    rationale: levels off\n"
        "  capacity:\n    value: 1200\n    provenance: assumed\n    rationale: a guess\n"
        "\nuncertainty:\n",
        1,
    )
    path = tmp_path / "shaped.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path))
    assert (code, out) == (EXIT_USAGE, "")
    line = text.splitlines().index("    value: 1200") + 1
    assert err.strip() == (
        f"{path}: growth.capacity (line {line}, column 5): the logistic ceiling "
        "(growth.capacity, 1,200) must lie above the horizon value (1,651.18)"
    )


def test_params_names_a_choice_and_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "params")
    [line] = [line for line in out.splitlines() if line.startswith("growth.shape ")]
    assert line.split()[3:5] == ["constant", "constant"]  # its value, then its options
    assert "constant | fade | damped | logistic" in line


def test_goal_seek_under_a_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "goal-seek", "--target", "1000", "--year", "2028", *FADE)
    assert code == EXIT_OK
    assert "must have a CAGR of 20.07% from 457.6 in 2024" in out
    assert "spread by the fade shape (-1.0 pp a year)" in out
