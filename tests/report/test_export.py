"""Exports a user opens in another tool: the numbers must come back as the model made them."""

from __future__ import annotations

import copy
import io
import json
import math
import unicodedata
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from market import Assumptions, Forecast, apply_actuals, apply_overrides, forecast, parameters
from market.risk import simulate
from report.export import table, to_csv, to_json, to_xlsx
from tests.conftest import SMALL_MARKET, examples


@pytest.fixture(scope="module")
def f(default_assumptions: Assumptions) -> Forecast:
    return forecast(default_assumptions)


@pytest.fixture(scope="module")
def workbook(default_assumptions: Assumptions, f: Forecast) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(default_assumptions, f)))


def rows_after(ws: Worksheet, first_header: str) -> tuple[list[Any], list[list[Any]]]:
    """The table whose header row starts with ``first_header``: header cells and data rows."""
    grid = [list(r) for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(grid) if r[0].value == first_header)
    body = []
    for r in grid[start + 1 :]:
        if r[0].value is None:
            break
        body.append(r)
    return grid[start], body


# --- CSV and JSON --------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", [None, "component", "region"])
def test_csv_read_by_pandas_equals_the_frame(f: Forecast, dimension: str | None) -> None:
    frame = table(f, dimension)
    back = pd.read_csv(io.StringIO(to_csv(f, dimension)))
    pd.testing.assert_frame_equal(back, frame, check_exact=True, check_dtype=False)


def test_frame_is_year_total_growth_then_segments(
    f: Forecast, default_assumptions: Assumptions
) -> None:
    names = [s.name for s in default_assumptions.dimension("component").segments]
    frame = table(f, "component")
    assert list(frame.columns) == ["year", "total", "growth_pct", *names]
    assert frame["growth_pct"].tolist()[1:] == f.totals["growth_pct"].tolist()[1:]
    assert frame["year"].tolist() == list(f.totals.index)
    assert frame["total"].tolist() == f.totals["value"].tolist()
    # the top-level segments add up to the total (sub-segments are not extra columns)
    assert frame[names].sum(axis=1).to_numpy() == pytest.approx(frame["total"].to_numpy())


def test_json_records_carry_the_same_numbers(f: Forecast) -> None:
    records = json.loads(to_json(f, "deployment"))
    assert pd.DataFrame(records).equals(table(f, "deployment"))
    assert records[0]["growth_pct"] is None  # the first year has no year before it
    assert records[-1]["growth_pct"] == pytest.approx(20.12)


def test_json_rows_with_an_actual_carry_it_and_its_drift(
    default_assumptions: Assumptions,
) -> None:
    a = apply_actuals(default_assumptions, {2025: 535.64})
    records = json.loads(to_json(forecast(a)))
    by_year = {r["year"]: r for r in records}
    assert by_year[2025]["actual"] == 535.64
    assert round(by_year[2025]["drift_pct"], 2) == -2.55
    assert "actual" not in by_year[2026] and "drift_pct" not in by_year[2026]
    header = to_csv(forecast(a)).splitlines()[0]
    assert header == "year,total,growth_pct,actual,drift_pct"


def _named(small_market: dict[str, Any], *names: str) -> Forecast:
    """The small market with its first dimension's segments named ``names``."""
    template = {"share": 1, "provenance": "assumed", "rationale": "r"}
    small_market["dimensions"][0]["segments"] = [
        {**template, "name": name, "id": f"s{i}", "share": i + 1} for i, name in enumerate(names)
    ]
    return forecast(Assumptions.model_validate(small_market))


def test_a_segment_named_year_or_total_never_takes_their_column(
    small_market: dict[str, Any],
) -> None:
    # issue 23: every record's "year" held the segment's value; the CSV read year,total,year,total
    f = _named(small_market, "year", "total", "year (2)")
    segments = f.by("customer")
    records = json.loads(to_json(f, "customer"))
    assert [r["year"] for r in records] == list(f.totals.index)
    assert [r["total"] for r in records] == f.totals["value"].tolist()
    assert [r["year (3)"] for r in records] == segments["year"].tolist()
    assert [r["total (2)"] for r in records] == segments["total"].tolist()
    assert [r["year (2)"] for r in records] == segments["year (2)"].tolist()
    csv = to_csv(f, "customer")
    assert csv.splitlines()[0] == "year,total,growth_pct,year (3),total (2),year (2)"
    back = pd.read_csv(io.StringIO(csv))
    assert back["year"].tolist() == list(f.totals.index)
    assert back["year (3)"].tolist() == pytest.approx(segments["year"].tolist())


def test_names_a_spreadsheet_writes_alike_get_their_own_csv_columns(
    small_market: dict[str, Any],
) -> None:
    f = _named(small_market, "=SUM(1)", "'=SUM(1)")
    header = to_csv(f, "customer").splitlines()[0]
    assert header == "year,total,growth_pct,'=SUM(1),'=SUM(1) (2)"
    assert list(json.loads(to_json(f, "customer"))[0]) == [
        "year",
        "total",
        "growth_pct",
        "=SUM(1)",
        "'=SUM(1)",
    ]


@settings(max_examples=examples(60), deadline=None)
@given(
    names=st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8).filter(
            lambda n: n.strip() and n.strip() == n
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda n: unicodedata.normalize("NFC", n),
    )
)
@example(names=["year", "total", "year (2)"])
@example(names=["=SUM(1)", "'=SUM(1)"])
@example(names=["a\x00", "a\x01"])  # both written a\ufffd in a spreadsheet
@example(names=["0\r0", "0"])  # a lone carriage return ended the CSV's header row
def test_every_segment_keeps_its_own_column_whatever_it_is_called(names: list[str]) -> None:
    market = copy.deepcopy(SMALL_MARKET)
    f = _named(market, *names)
    records = json.loads(to_json(f, "customer"))
    own = ("year", "total", "growth_pct")
    assert len(records[0]) == len(own) + len(names)
    assert sorted(v for k, v in records[0].items() if k not in own) == sorted(
        f.by("customer").iloc[0].tolist()
    )
    header = pd.read_csv(io.StringIO(to_csv(f, "customer")), nrows=0).columns
    assert len(set(header)) == len(own) + len(names)


def test_unknown_dimension_is_a_key_error_naming_the_known(f: Forecast) -> None:
    with pytest.raises(KeyError, match="region"):
        to_csv(f, "planet")


# --- Excel ---------------------------------------------------------------------------------


def test_workbook_has_summary_a_sheet_per_dimension_and_assumptions(
    workbook: openpyxl.Workbook, default_assumptions: Assumptions
) -> None:
    names = [d.name for d in default_assumptions.dimensions]
    assert workbook.sheetnames == ["Summary", *names, "Risk", "Estimates", "Assumptions"]


def test_summary_totals_are_numbers_that_match_the_forecast(
    workbook: openpyxl.Workbook, f: Forecast
) -> None:
    header, body = rows_after(workbook["Summary"], "Year")
    assert all(cell.font.b for cell in header if cell.value)
    assert [r[0].value for r in body] == list(f.totals.index)
    for row, value in zip(body, f.totals["value"], strict=True):
        assert isinstance(row[1].value, float)
        assert math.isclose(row[1].value, value, rel_tol=1e-14)  # Excel keeps ~15 digits
        assert row[1].number_format == "#,##0.0"
    modelled = [r[3].value for r in body]
    assert modelled == ["yes" if m else "no" for m in f.totals["modelled"]]
    reported = {r[0].value: r[2].value for r in body if r[2].value is not None}
    assert reported == f.totals["reported"].dropna().to_dict()


def test_dimension_sheet_holds_segments_and_sub_segments(
    workbook: openpyxl.Workbook, f: Forecast
) -> None:
    ws = workbook["Component"]
    header, body = rows_after(ws, "Year")
    expected = f.by("component")
    assert [c.value for c in header[1:] if c.value] == list(expected.columns)
    for row in body:
        values = [c.value for c in row[1 : 1 + len(expected.columns)]]
        assert values == pytest.approx(expected.loc[row[0].value].tolist(), rel=1e-14)
    headings = [r[0].value for r in ws.iter_rows() if isinstance(r[0].value, str)]
    assert any("Software" in h for h in headings)
    assert any("Services" in h for h in headings)


def test_segment_summary_shares_are_percent_formatted_fractions(
    workbook: openpyxl.Workbook, f: Forecast
) -> None:
    header, body = rows_after(workbook["Region"], "Segment")
    columns = [c.value for c in header]
    share = columns.index(f"Share {f.base_year}")
    cagr = columns.index("CAGR")
    shares = [r[share].value for r in body]
    assert sum(shares) == pytest.approx(1.0)
    assert all(r[share].number_format.endswith("%") for r in body)
    expected = f.groups[("region", "")].cagr_pct(f.base_year, f.horizon) / 100
    assert [r[cagr].value for r in body] == pytest.approx(expected.tolist())


def test_assumptions_sheet_lists_every_parameter(
    workbook: openpyxl.Workbook, default_assumptions: Assumptions
) -> None:
    header, body = rows_after(workbook["Assumptions"], "Path")
    column = {cell.value: i for i, cell in enumerate(header)}
    listed = {r[0].value: r for r in body}
    for p in parameters(default_assumptions):
        row = listed[p.path]
        value = row[column["File value"]].value
        if p.choices:  # a choice by its name, as the file writes it
            assert value == row[column["Value used"]].value == p.shown(p.value)
        else:
            assert value == p.value and isinstance(value, int | float)
            assert row[column["Value used"]].value == p.value
        assert row[column["File provenance"]].value == p.provenance.value
        assert row[column["Citation or rationale (file)"]].value == p.basis
        assert row[column["Changed"]].value is None
    assert len(listed) == len(parameters(default_assumptions))


def test_a_changed_value_is_marked_beside_the_files_value_and_citation(
    default_assumptions: Assumptions,
) -> None:
    """The file's 20.12 % is reported with its citation; the 22.12 % used is the analyst's."""
    current = apply_overrides(default_assumptions, {"growth.cagr_pct": 22.12})
    book = openpyxl.load_workbook(
        io.BytesIO(to_xlsx(current, forecast(current), base=default_assumptions))
    )
    header, body = rows_after(book["Assumptions"], "Path")
    column = {cell.value: i for i, cell in enumerate(header)}
    cagr = next(r for r in body if r[0].value == "growth.cagr_pct")
    assert cagr[column["File value"]].value == 20.12
    assert cagr[column["File provenance"]].value == "reported"
    assert cagr[column["Value used"]].value == 22.12
    assert cagr[column["Changed"]].value == "changed"
    changed = [r[0].value for r in body if r[column["Changed"]].value]
    assert changed == ["growth.cagr_pct"]


def test_sheet_names_are_legal_and_unique(small_market: dict[str, Any]) -> None:
    long = "A dimension whose name is far too long for Excel"
    small_market["dimensions"][0]["name"] = long
    small_market["dimensions"][1]["name"] = long + " as well"
    small_market["dimensions"].append({**small_market["dimensions"][1], "name": "Summary"})
    small_market["dimensions"].append(
        {**small_market["dimensions"][1], "name": "Country/region [ISO]"}
    )
    a = Assumptions.model_validate(small_market)
    names = openpyxl.load_workbook(io.BytesIO(to_xlsx(a, forecast(a)))).sheetnames
    assert len(names) == 3 + len(a.dimensions)  # Summary, each dimension, Risk, Assumptions
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert not any(set(n) & set("[]:*?/\\") for n in names)


def test_the_workbook_says_a_figure_the_source_states_is_reported(
    workbook: openpyxl.Workbook,
) -> None:
    """2024's 457.6 is Kings Research's own figure, which the model grows from: not
    "modelled"; and the sheet says whose figures the Reported column holds."""
    _, body = rows_after(workbook["Summary"], "Year")
    by_year = {r[0].value: r for r in body}
    assert (by_year[2024][2].value, by_year[2024][3].value) == (457.6, "no")
    assert by_year[2025][3].value == "yes"
    facts = {r[0].value: r[1].value for r in workbook["Summary"].iter_rows() if r[0].value}
    assert facts["Reported figures"] == "stated by Kings Research"


def test_the_risk_sheet_writes_out_the_range_of_outcomes(
    workbook: openpyxl.Workbook, default_assumptions: Assumptions
) -> None:
    """P10, P50 and P90 each year as numbers, the Risk page's simulation (seed 0)."""
    a = default_assumptions
    band = simulate(a, 10_000, seed=0, by_segment=False).totals.loc[a.years.base :]
    header, body = rows_after(workbook["Risk"], "Year")
    assert [c.value for c in header] == ["Year", "P10 (low)", "P50 (median)", "P90 (high)"]
    assert [r[0].value for r in body] == list(band.index)
    for row, (_, expected) in zip(body, band.iterrows(), strict=True):
        got = [c.value for c in row[1:4]]
        assert got == pytest.approx([expected["p10"], expected["p50"], expected["p90"]])
        assert all(c.number_format == "#,##0.0" for c in row[1:4])


def test_compared_scenarios_get_a_sheet_with_their_numbers(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    fast = apply_overrides(a, {"growth.cagr_pct": 25})
    book = openpyxl.load_workbook(
        io.BytesIO(to_xlsx(a, forecast(a), compared={"Base case": a, "Fast": fast}, paths=500))
    )
    _, body = rows_after(book["Scenarios"], "Scenario")
    rows = {r[0].value: [c.value for c in r[1:4]] for r in body}
    assert rows["Fast"][:2] == pytest.approx([forecast(fast).horizon_value, 0.25])
    assert rows["Base case"][0] == pytest.approx(forecast(a).horizon_value)
    _, years = rows_after(book["Scenarios"], "Year")
    assert [c.value for c in years[-1][1:3]] == pytest.approx(
        [forecast(a).horizon_value, forecast(fast).horizon_value]
    )
    assert (
        "Scenarios"
        not in openpyxl.load_workbook(
            io.BytesIO(to_xlsx(a, forecast(a), compared={"Base case": a}, paths=500))
        ).sheetnames
    )


def sheet_names(a: Assumptions) -> list[str]:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(a, forecast(a)))).sheetnames


@pytest.mark.parametrize(
    "names",
    [
        ["History", "history"],  # Excel keeps the name for its change tracking
        ["'Quoted'", "A name cut at 31 characters ends' here"],  # no apostrophe first or last
        ["Summary", "summary", "SUMMARY"],
        ["[]:*?", "/\\"],  # nothing left but what Excel forbids
        ["A" * 30 + "'" + "B", "A" * 30 + "' C"],
    ],
)
def test_every_sheet_name_is_one_excel_accepts(
    small_market: dict[str, Any], names: list[str]
) -> None:
    small_market["dimensions"] = [
        {**small_market["dimensions"][1], "name": name, "id": f"d{i}"}
        for i, name in enumerate(names)
    ]
    a = Assumptions.model_validate(small_market)
    sheets = sheet_names(a)
    others = len(sheet_names(Assumptions.model_validate(SMALL_MARKET))) - 2  # not dimensions
    assert len({n.lower() for n in sheets}) == len(sheets) == others + len(names)
    for name in sheets:
        assert 1 <= len(name) <= 31, name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert name.lower() != "history"
        assert not set(name) & set("[]:*?/\\"), name
