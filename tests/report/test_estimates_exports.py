"""The workbook says which published estimate its numbers follow and shows the spread."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from market import Assumptions, apply_overrides, forecast, load_assumptions
from market import estimates as est
from report.export import to_xlsx

COFFEE = Path(__file__).resolve().parents[2] / "assumptions" / "example-coffee-subscriptions.yaml"


def _workbook(a: Assumptions, base: Assumptions) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(a, forecast(a), base=base)))


def _facts(sheet) -> dict[str, str]:
    return {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0] and len(r) > 1}


def test_the_summary_names_the_estimate_followed_and_the_spread(
    default_assumptions: Assumptions,
) -> None:
    facts = _facts(_workbook(default_assumptions, default_assumptions)["Summary"])
    assert facts["Follows"] == "The numbers follow Kings Research (the file's calibration)."
    assert "spread of 6.7% of their median" in facts["Spread"]

    cal = est.calibration(default_assumptions, "360iresearch-2024-2032")
    calibrated = apply_overrides(default_assumptions, cal.overrides)
    facts = _facts(_workbook(calibrated, default_assumptions)["Summary"])
    assert facts["Follows"] == "The numbers follow 360iResearch (2024-2032 edition)."


def test_the_estimates_sheet_holds_every_source_stated_or_derived(
    default_assumptions: Assumptions,
) -> None:
    sheet = _workbook(default_assumptions, default_assumptions)["Estimates"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Year")
    header = rows[header_at]
    table = rows[header_at + 1 : header_at + 11]
    by_year = {r[0]: dict(zip(header, r, strict=True)) for r in table}
    assert by_year[2032]["360iResearch (2026-2032 edition)"] == 2153.98
    assert by_year[2032]["360iResearch (2026-2032 edition): stated or derived"] == "stated"
    assert by_year[2028]["Kings Research: stated or derived"] == "derived"
    assert by_year[2031]["Model in the range"] == "at the low end"
    assert by_year[2023]["Median (derived)"] is None
    cited = [r for r in rows if r[0] == "360iResearch (2024-2032 edition)" and r[1] == 2025]
    assert cited and cited[0][3].startswith("360iResearch listing 1858034")


def test_the_coffee_workbook_names_its_one_estimate_without_a_spread() -> None:
    coffee = load_assumptions(COFFEE)
    book = _workbook(coffee, coffee)
    assert "Estimates" not in book.sheetnames  # nothing to compare
    facts = _facts(book["Summary"])
    assert "no spread" in facts["Spread"]
    assert "Follows" in facts
