"""The opportunity in the exports: the workbook's Opportunity sheet, the brief's section and
the plan CSV, each labelling the user's choices as their assumptions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pytest
from openpyxl import load_workbook

from market import forecast, load_assumptions
from market import opportunity as op
from market.paths import default_assumptions
from report.brief import brief_html
from report.export import plan_csv, to_xlsx
from report.formats import ExportRequest, format_named

A = load_assumptions(default_assumptions())
CHOICES = op.Opportunity(
    served=(op.Served(dimension="region", picks=(op.Pick(segment="europe", served_pct=50),)),),
    target_share_pct=8,
    revenue_target=40,
)


def sheet_rows(data: bytes, name: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))


def test_the_workbook_has_an_opportunity_sheet_with_the_plan() -> None:
    data = format_named("xlsx").render(ExportRequest(A, A, forecast(A), opportunity=CHOICES))
    rows = sheet_rows(data, "Opportunity")
    text = [str(c) for row in rows for c in row if c is not None]
    assert op.ASSUMPTION_NOTE in text and op.INDEPENDENCE_NOTE in text
    assert "Your choices (your assumptions)" in text
    assert "Europe (50% of it)" in text
    frame = op.plan(A, CHOICES)
    years = {row[0]: row for row in rows if isinstance(row[0], int) and row[0] >= A.years.base}
    last = years[A.years.horizon]
    assert math.isclose(last[2], frame["sam"].iloc[-1]) and math.isclose(
        last[4], frame["revenue"].iloc[-1]
    )
    assert math.isclose(last[3], 0.08)  # a fraction, shown as a percentage
    labels = [row[0] for row in rows]
    assert {"P10", "P50", "P90"} <= set(labels)


def test_without_choices_the_workbook_has_no_opportunity_sheet() -> None:
    assert "Opportunity" not in load_workbook(io.BytesIO(to_xlsx(A, forecast(A)))).sheetnames


def test_the_brief_has_our_opportunity_only_when_choices_were_made() -> None:
    day = dt.date(2026, 1, 1)
    with_choices = brief_html(A, A, paths=1_000, generated=day, opportunity=CHOICES)
    assert "<p class='kicker'>Our opportunity</p>" in with_choices
    assert "Your choice (your assumption)" in with_choices
    assert "independent" in with_choices and "brief-revenue" in with_choices
    assert "Our opportunity" not in brief_html(A, A, paths=1_000, generated=day)


def test_the_plan_csv_reads_back_to_the_models_numbers() -> None:
    frame = op.plan(A, CHOICES)
    rows = list(csv.DictReader(io.StringIO(plan_csv(frame))))
    assert [float(r["revenue"]) for r in rows] == frame["revenue"].tolist()
    assert list(rows[0]) == op.PLAN_COLUMNS


def test_choices_that_no_longer_fit_are_said_in_the_sheet_instead_of_failing() -> None:
    anchored = CHOICES.model_copy(update={"current_revenue": 1e6})
    rows = sheet_rows(to_xlsx(A, forecast(A), opportunity=anchored), "Opportunity")
    assert any("cannot make a plan" in str(c) for row in rows for c in row)


@pytest.mark.parametrize("shape", list(op.Shape))
def test_the_outlook_is_the_plans_last_year_and_its_range(shape: op.Shape) -> None:
    choices = CHOICES.model_copy(update={"shape": shape})
    seen = op.outlook(A, choices, paths=2_000)
    last = op.plan(A, choices).iloc[-1]
    assert seen.year == A.years.horizon and seen.revenue == last["revenue"]
    assert seen.p10 < seen.p50 < seen.p90 and seen.paths == 2_000
