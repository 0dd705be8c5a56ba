"""The Risk page's two-way grid in the files: its own workbook sheet, CSV and JSON for the
command line, a section of the brief and a slide of the deck, only when the page has one."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from market import Assumptions, forecast
from market.grid import AxisSpec, GridSpec, two_way
from report.brief import brief_html
from report.deck import deck_pptx
from report.export import grid_csv, grid_json, xlsx_file
from report.formats import ExportRequest

SPEC = GridSpec(
    AxisSpec("growth.cagr_pct", 15, 25, 11),
    AxisSpec("share.region.europe", 20, 35, 7),
    "region/europe",
    target=450.0,
)


def _request(a: Assumptions, spec: GridSpec | None = SPEC) -> ExportRequest:
    return ExportRequest(a, a, forecast(a), paths=500, grid=spec)


def test_the_workbook_gets_a_sheet_with_the_inputs_on_the_axes(
    default_assumptions: Assumptions,
) -> None:
    grid = two_way(default_assumptions, SPEC)
    book = load_workbook(io.BytesIO(xlsx_file(_request(default_assumptions))))
    sheet = book["Two-way"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Region: Europe in 2031: two-way sensitivity (USD million)"
    facts = {r[0]: r[1] for r in rows if r[0] and r[1] is not None}
    assert facts["Rows"] == "CAGR, in %: growth.cagr_pct, now 20.12"
    assert facts["Columns"] == "Europe share, a share weight: share.region.europe, now 27"
    assert facts["Target"] == 450
    corner = next(i for i, r in enumerate(rows) if str(r[0]).startswith("CAGR ↓"))
    assert rows[corner][1:8] == [20, 22.5, 25, 27.5, 30, 32.5, 35]
    table = rows[corner + 1 : corner + 12]
    assert [r[0] for r in table] == pytest.approx([15 + k for k in range(11)])
    for i, r in enumerate(table):
        assert r[1:8] == pytest.approx(list(grid.values[i]))


def test_without_a_grid_the_workbook_has_no_such_sheet(default_assumptions: Assumptions) -> None:
    book = load_workbook(io.BytesIO(xlsx_file(_request(default_assumptions, None))))
    assert "Two-way" not in book.sheetnames


def test_a_grid_that_no_longer_fits_says_why_in_its_sheet(
    default_assumptions: Assumptions,
) -> None:
    spec = replace(SPEC, of="region/atlantis")
    book = load_workbook(io.BytesIO(xlsx_file(_request(default_assumptions, spec))))
    texts = [c for r in book["Two-way"].iter_rows(values_only=True) for c in r if c]
    assert any("unknown outcome 'region/atlantis'" in str(t) for t in texts)


def test_csv_and_json_hold_one_record_per_cell_with_both_inputs(
    default_assumptions: Assumptions,
) -> None:
    grid = two_way(default_assumptions, SPEC)
    lines = list(csv.reader(io.StringIO(grid_csv(grid))))
    assert lines[0] == ["growth.cagr_pct", "share.region.europe", "region/europe@2031"]
    assert len(lines) == 1 + 11 * 7
    assert [float(x) for x in lines[1]] == [15.0, 20.0, grid.values[0, 0]]
    document = json.loads(grid_json(grid))
    assert document["outcome"] == {
        "of": "region/europe",
        "year": 2031,
        "label": "Region: Europe in 2031",
        "unit": "USD million",
    }
    assert document["cells"][1] == {
        "growth.cagr_pct": 15.0,
        "share.region.europe": 22.5,
        "value": grid.values[0, 1],
    }
    assert document["target"] == 450.0


def test_the_brief_shows_the_grid_only_when_the_risk_page_has_one(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    day = dt.date(2031, 1, 2)
    grid = two_way(a, SPEC)
    html = brief_html(a, a, paths=500, generated=day, grid=SPEC)
    assert "Two assumptions at once" in html and "brief-grid" in html
    reached = int(grid.reaching().sum())
    assert f"{reached} of 77 combinations reach USD 450.0M" in html
    assert "Two assumptions at once" not in brief_html(a, a, paths=500, generated=day)


def test_the_deck_gets_a_slide_with_the_grid_as_a_table(default_assumptions: Assumptions) -> None:
    a = default_assumptions
    deck = Presentation(io.BytesIO(deck_pptx(_request(a), generated=dt.date(2031, 1, 2))))
    titles = [s.shapes.title.text for s in deck.slides]  # type: ignore[union-attr]
    grid = two_way(a, SPEC)
    (title,) = [t for t in titles if "combinations of" in t]
    # The action title states how many combinations reach the target.
    assert title.startswith(f"{int(grid.reaching().sum())} of {grid.values.size} combinations")
    slide = deck.slides[titles.index(title)]
    (table,) = [shape.table for shape in slide.shapes if shape.has_table]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][1:] == ["20", "22.5", "25", "27.5", "30", "32.5", "35"]
    assert cells[1][0] == "15.0%"  # every second of the 11 steps fits the slide
    assert cells[1][1] == f"USD {grid.values[0, 0]:,.0f}M"
    assert any(text.startswith("✓") for row in cells for text in row)
    plain = Presentation(io.BytesIO(deck_pptx(_request(a, None), generated=dt.date(2031, 1, 2))))
    assert not any("combinations of" in s.shapes.title.text for s in plain.slides)  # type: ignore[union-attr]
