"""``market estimates``, ``market forecast --calibrate`` and the estimate warnings of
``market validate``, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from cli import EXIT_OK, EXIT_USAGE, main
from market.paths import ASSUMPTIONS_ENV, DEFAULT_FILE_ENV, SCENARIOS_ENV


@pytest.fixture(autouse=True)
def _project_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ASSUMPTIONS_ENV, SCENARIOS_ENV, DEFAULT_FILE_ENV):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_each_sources_figures_cagr_and_inferred_period(capsys) -> None:
    code, out, err = run(capsys, "estimates", "--format", "json")
    assert code == EXIT_OK and err == ""
    document = json.loads(out)
    assert document["calibrated_to"] == document["follows"] == "kings-research"
    sources = {s["id"]: s for s in document["estimates"]}
    middle = sources["360iresearch-2024-2032"]
    assert middle["publisher"] == "360iResearch" and middle["edition"] == "2024-2032 edition"
    assert middle["values"] == {"2024": 437.10, "2025": 535.64, "2032": 2153.98}
    assert middle["cagr_pct"] == 22.06 and middle["cagr_fits"] is True
    assert middle["stated_period"] is None and middle["inferred_period"] == [2024, 2032]
    assert sources["360iresearch-2026-2032"]["inferred_period"] == [2025, 2032]
    kings = sources["kings-research"]
    assert kings["stated_period"] == [2024, 2031] and kings["inferred_period"] is None
    years = {row["year"]: row for row in document["years"]}
    assert years[2024]["low"] == 437.10 and years[2024]["high"] == 457.6
    assert years[2023]["median"] is None  # one estimate only
    assert years[2028]["kings-research basis"] == "derived"


def test_csv_has_one_row_per_year_with_the_basis_of_each_value(capsys) -> None:
    code, out, _ = run(capsys, "estimates", "--format", "csv")
    assert code == EXIT_OK
    rows = {r["year"]: r for r in csv.DictReader(io.StringIO(out))}
    assert list(rows) == [str(y) for y in range(2023, 2033)]
    assert float(rows["2032"]["360iresearch-2026-2032"]) == 2153.98
    assert rows["2032"]["360iresearch-2026-2032 basis"] == "stated"
    assert rows["2030"]["360iresearch-2026-2032 basis"] == "derived"
    assert rows["2031"]["model_position"] == "at the low end"


def test_text_marks_derived_values_and_says_what_the_numbers_follow(capsys) -> None:
    code, out, _ = run(capsys, "estimates")
    assert code == EXIT_OK
    row_2031 = next(line for line in out.splitlines() if line.startswith("2031"))
    assert "1,651.2" in row_2031 and "~1,765.6" in row_2031 and "6.7%" in row_2031
    assert "over 2025-2032 (inferred)" in out
    assert "The numbers follow Kings Research" in out


@pytest.mark.parametrize(
    ("source", "start", "end"),
    [
        ("kings-research", (2024, 457.6), (2031, 1651.2)),
        ("360iresearch-2024-2032", (2024, 437.10), (2032, 2153.98)),
        ("360iresearch-2026-2032", (2025, 535.64), (2032, 2153.98)),
    ],
)
def test_forecast_calibrated_to_a_source_passes_through_its_figures(
    capsys, source: str, start: tuple[int, float], end: tuple[int, float]
) -> None:
    code, out, err = run(capsys, "forecast", "--calibrate", source, "--format", "json")
    assert code == EXIT_OK
    totals = {row["year"]: row["total"] for row in json.loads(out)}
    assert totals[start[0]] == pytest.approx(start[1], abs=0.1)
    if end[0] in totals:
        assert totals[end[0]] == pytest.approx(end[1], abs=0.1)
        assert "Past the horizon" not in err
    else:  # the horizon stays 2031; the note on stderr names what lies past it
        assert max(totals) == 2031
        assert f"Past the horizon, so reproduced but not shown: 2,153.98 in {end[0]}" in err


def test_set_applies_on_top_of_a_calibration(capsys) -> None:
    code, out, _ = run(
        capsys,
        "forecast",
        "--calibrate",
        "median",
        "--set",
        "growth.cagr_pct=10",
        "--format",
        "json",
    )
    assert code == EXIT_OK
    totals = {row["year"]: row["total"] for row in json.loads(out)}
    assert totals[2024] == pytest.approx(447.35)
    assert totals[2025] == pytest.approx(447.35 * 1.1)


def test_an_unknown_source_is_one_line_naming_the_known_ones(capsys) -> None:
    code, out, err = run(capsys, "forecast", "--calibrate", "gartner")
    assert code == EXIT_USAGE and out == ""
    assert err.strip().splitlines() == [
        "--calibrate gartner: no estimate 'gartner' to calibrate to; known: kings-research, "
        "360iresearch-2024-2032, 360iresearch-2026-2032, median"
    ]


def test_validate_warns_about_a_cagr_that_fits_none_of_its_figures(
    capsys, small_market: dict[str, Any], write_yaml
) -> None:
    small_market["estimates"] = [
        {
            "id": "made-up",
            "publisher": "Made-up Research",
            "title": "An invented report",
            "values": [
                {"year": 2021, "value": 100.0, "citation": "page 1"},
                {"year": 2026, "value": 161.05, "citation": "page 2"},
            ],
            "cagr_pct": {"value": 14.5, "citation": "page 1"},
        }
    ]
    path: Path = write_yaml(small_market)
    code, out, err = run(capsys, "validate", str(path))
    assert code == EXIT_OK and out.startswith("OK ")
    (warning,) = err.strip().splitlines()
    assert warning.startswith(f"{path}: warning: estimates[made-up].cagr_pct: the stated 14.5%")
    assert "100.00 (2021)" in warning and "161.05 (2026)" in warning


def test_validate_of_the_default_file_has_no_warning(capsys, default_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(default_path))
    assert code == EXIT_OK and err == ""
