"""``market grid``: the issue's example, each format, and every mistake in one line, exit 2."""

from __future__ import annotations

import json

import pytest

from cli import EXIT_OK, EXIT_USAGE, main
from market import Assumptions, apply_overrides, forecast
from tests.cli.test_cli import read_csv, run


def test_the_issues_example_as_csv_gives_every_cell_at_full_precision(
    capsys: pytest.CaptureFixture[str], default_assumptions: Assumptions
) -> None:
    code, out, err = run(
        capsys,
        "grid",
        "--rows",
        "growth.cagr_pct=15:25:11",
        "--cols",
        "share.region.europe=20:35:7",
        "--of",
        "total@2031",
        "--format",
        "csv",
    )
    assert (code, err) == (EXIT_OK, "")
    rows = read_csv(out)
    assert len(rows) == 77
    assert list(rows[0]) == ["growth.cagr_pct", "share.region.europe", "total@2031"]
    last = rows[-1]
    moved = apply_overrides(default_assumptions, {"growth.cagr_pct": 25, "share.region.europe": 35})
    assert float(last["total@2031"]) == pytest.approx(forecast(moved).horizon_value, rel=1e-12)


def test_json_holds_objects_with_both_inputs_and_the_outcome(
    capsys: pytest.CaptureFixture[str], default_assumptions: Assumptions
) -> None:
    code, out, _ = run(
        capsys,
        "grid",
        "--rows",
        "growth.cagr_pct=15:25:3",
        "--cols",
        "share.region.europe=20:35:3",
        "--of",
        "region/europe@2030",
        "--format",
        "json",
    )
    assert code == EXIT_OK
    cells = json.loads(out)["cells"]
    assert len(cells) == 9
    moved = apply_overrides(
        default_assumptions, {"growth.cagr_pct": 20, "share.region.europe": 27.5}
    )
    europe = forecast(moved).by("region").at[2030, "Europe"]
    assert cells[4]["growth.cagr_pct"] == 20 and cells[4]["share.region.europe"] == 27.5
    assert cells[4]["value"] == pytest.approx(europe, rel=1e-12)


def test_the_text_table_puts_the_row_input_down_and_marks_a_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "grid", "--target", "1650")
    assert code == EXIT_OK
    assert "Total market in 2031 (USD million), modelled" in out
    assert "rows:    CAGR (growth.cagr_pct, now 20.12)" in out
    assert "columns: Base-year market size (growth.base_value, now 457.6)" in out
    lines = out.splitlines()
    centre = next(line for line in lines if line.startswith("20.12 "))
    assert "1,651.2*" in centre
    assert len([line for line in lines if line[:1].isdigit()]) == 7


def test_set_moves_the_current_value_the_default_axes_centre_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "grid", "--set", "growth.cagr_pct=10", "--format", "json")
    document = json.loads(out)
    assert document["rows"]["current"] == 10
    assert [c["growth.cagr_pct"] for c in document["cells"][::7]] == pytest.approx(
        [7.5 + k * 5 / 6 for k in range(7)]
    )


def test_a_clamped_range_warns_on_stderr_and_still_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "grid", "--rows", "growth.cagr_pct=90:130:3", "--format", "csv")
    assert code == EXIT_OK
    assert err == "grid: warning: growth.cagr_pct: 90 to 130 was clamped to 90 to 100, its range\n"
    assert [float(r["growth.cagr_pct"]) for r in read_csv(out)][::7] == [90, 95, 100]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--rows", "growth.cagr_pct=1:2:51"], "at most 50 × 50 cells"),
        (["--cols", "share.region.atlantis=1:2"], "unknown input 'share.region.atlantis'"),
        (["--of", "region/atlantis"], "unknown outcome 'region/atlantis'"),
        (["--of", "total@2050"], "the year must lie from 2023 to 2031"),
        (["--cols", "growth.cagr_pct"], "choose two inputs"),
    ],
)
def test_what_cannot_be_built_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "grid", *argv)
    assert code == EXIT_USAGE and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_malformed_axis_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grid", "--rows", "share.region.europe=1:x"]) == EXIT_USAGE
    assert "expected PATH=LOW:HIGH[:STEPS]" in capsys.readouterr().err
