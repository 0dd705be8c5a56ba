"""Forecasts written out for other tools: CSV and JSON tables, and an Excel workbook.

CSV and JSON keep full float precision, so a reader gets back exactly the model's numbers;
rounding is for people and happens only where people read (the CLI's table, cell formats).
Values are in the market's unit (``Forecast.unit``). In the workbook, shares and growth
rates are stored as fractions with a percent format, which is what Excel expects.

Text comes from assumptions files and uploads, so every text cell of a CSV or a workbook
goes through :func:`cell_text` first: a name starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is written with a leading ``'`` (OWASP's advice against formula
injection), and control characters a workbook cannot hold become U+FFFD.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from market import estimates
from market.assumptions import Assumptions, Dimension
from market.grid import Axis, Grid
from market.io import dump_assumptions
from market.model import Forecast, as_float, as_int, forecast
from market.opportunity import (
    ASSUMPTION_NOTE,
    INDEPENDENCE_NOTE,
    PLAN_COLUMNS,
    Opportunity,
    OpportunityError,
    describe,
    outlook,
    plan,
)
from market.risk import DEFAULT_PATHS, budgeted_paths, simulate
from market.summary import (
    RANGE,
    RANGE_LABELS,
    actuals_statement,
    assumption_table,
    growth_statement,
    outcome_range,
    scenario_table,
)
from report.format import distinct_labels, money
from report.reproducible import stamped
from report.request import ExportRequest

__all__ = [
    "cell_text",
    "csv_file",
    "csv_text",
    "grid_columns",
    "grid_csv",
    "grid_json",
    "json_file",
    "plan_csv",
    "plan_json",
    "table",
    "to_csv",
    "to_json",
    "to_xlsx",
    "xlsx_file",
    "yaml_file",
]

VALUE_FORMAT = "#,##0.0"
PCT_FORMAT = "0.0%"
GENERAL = "General"
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEETS = {"history"}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold: control characters, lone surrogates and two non-characters."""


def xml_text(text: str) -> str:
    """Text that an Office file (XML 1.0) can hold: each character it cannot becomes U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def cell_text(text: str) -> str:
    """Text from a file, safe in a spreadsheet cell: never a formula, no control characters.

    ``"=HYPERLINK(...)"`` becomes ``"'=HYPERLINK(...)"``, which Excel, LibreOffice and
    Google Sheets show as the text it is.
    """
    text = xml_text(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value: Any) -> Any:
    return cell_text(value) if isinstance(value, str) else value


def table(
    f: Forecast, dimension: str | None = None, text: Callable[[str], str] = str
) -> pd.DataFrame:
    """The exported frame: ``year``, ``total``, ``growth_pct`` (the year's growth, %; NaN in
    the first year), with actual figures ``actual`` and ``drift_pct`` (the actual against
    the modelled value, %; NaN in the years without one) and, for a dimension id, one
    column per top-level segment (file order). One row per year, market units.

    A segment's column is its display name passed through ``text`` (:func:`cell_text` for
    a spreadsheet), unless another column already has that name (a segment called
    ``year`` or ``total``, or two names a spreadsheet writes alike, ``=SUM(1)`` and
    ``'=SUM(1)``): then it is ``"<name> (2)"`` (:func:`report.format.distinct_labels`), so
    no column ever overwrites another."""
    totals = f.totals
    columns = {
        "year": totals.index.to_numpy(),
        "total": totals["value"].to_numpy(),
        "growth_pct": totals["growth_pct"].to_numpy(),
    }
    if totals["actual"].notna().any():
        columns |= {
            "actual": totals["actual"].to_numpy(),
            "drift_pct": totals["drift_pct"].to_numpy(),
        }
    frame = pd.DataFrame(columns)
    if dimension is None:
        return frame
    known = [dim for dim, parent in f.groups if parent == ""]
    if dimension not in known:
        raise KeyError(f"no dimension {dimension!r}; known: {', '.join(known)}")
    segments = f.by(dimension).reset_index(drop=True)
    whole = pd.concat([frame, segments], axis=1)
    whole.columns = distinct_labels([*frame.columns, *(text(str(n)) for n in segments.columns)])
    return whole


def to_csv(f: Forecast, dimension: str | None = None) -> str:
    """CSV text with header ``year,total,growth_pct[,actual,drift_pct][,<segment>...]``
    (:func:`table`'s columns, segment names through :func:`csv_text`); floats at full
    (repr) precision, an empty cell where there is none."""
    return table(f, dimension, csv_text).to_csv(index=False, lineterminator="\n")


def csv_text(text: str) -> str:
    """:func:`cell_text` with every line break written ``\\n``: rows end with ``\\n``, so
    the writer quotes a field holding one, but a lone carriage return would go unquoted
    and end the row for a reader."""
    return cell_text(text).replace("\r\n", "\n").replace("\r", "\n")


_WHERE_GIVEN = ("actual", "drift_pct")
"""Keys a JSON row has only in the years with an actual figure."""


def to_json(f: Forecast, dimension: str | None = None) -> str:
    """A JSON array of records, one per year, keyed by :func:`table`'s columns (segment
    names as the file writes them): ``growth_pct`` is null in the first year, ``actual``
    and ``drift_pct`` are there only in the years with an actual figure."""
    frame = table(f, dimension)
    names = list(frame.columns[1:])
    records = []
    for year, *values in frame.itertuples(index=False, name=None):
        record: dict[str, float | int | None] = {"year": int(year)}
        for name, value in zip(names, values, strict=True):
            number = float(value)
            if math.isnan(number) and name in _WHERE_GIVEN:
                continue
            record[name] = None if math.isnan(number) else number
        records.append(record)
    return json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def plan_csv(frame: pd.DataFrame) -> str:
    """An opportunity plan (:func:`market.opportunity.plan`) as CSV: header
    ``year,market,sam,share_pct,revenue``, floats at full precision."""
    return frame[PLAN_COLUMNS].to_csv(index=False, lineterminator="\n")


def plan_json(frame: pd.DataFrame) -> str:
    """An opportunity plan as a JSON array of objects with the keys of :func:`plan_csv`."""
    records = [
        {"year": int(year), **{k: float(v) for k, v in zip(PLAN_COLUMNS[1:], values, strict=True)}}
        for year, *values in frame[PLAN_COLUMNS].itertuples(index=False, name=None)
    ]
    return json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def grid_columns(grid: Grid) -> list[str]:
    """The header of a grid's long form: both inputs' paths and the outcome as
    ``market grid --of`` spells it (``total@2031``)."""
    return [grid.rows.input.path, grid.columns.input.path, f"{grid.of}@{grid.year}"]


def grid_csv(grid: Grid) -> str:
    """A two-way grid (:func:`market.grid.two_way`) as CSV, one line per cell, rows first:
    header :func:`grid_columns`, floats at full precision, an empty value where the model
    refuses the pair."""
    frame = grid.frame()
    frame.columns = [cell_text(name) for name in grid_columns(grid)]
    return frame.to_csv(index=False, lineterminator="\n")


def grid_json(grid: Grid) -> str:
    """A two-way grid as JSON: what it shows (outcome, unit, both inputs, any target and
    clamping warnings) and ``cells``, one object per cell with the two inputs' values by
    path and the outcome's ``value`` (null where the model refuses the pair)."""
    row, column = grid.rows.input.path, grid.columns.input.path
    cells = [
        {row: float(r), column: float(c), "value": float(v) if math.isfinite(v) else None}
        for r, c, v in grid.frame().itertuples(index=False, name=None)
    ]
    document = {
        "outcome": {"of": grid.of, "year": grid.year, "label": grid.label, "unit": grid.unit},
        "rows": _axis_json(grid.rows),
        "columns": _axis_json(grid.columns),
        "target": grid.target,
        "warnings": list(grid.warnings),
        "cells": cells,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _axis_json(axis: Axis) -> dict[str, Any]:
    i = axis.input
    return {"path": i.path, "label": i.label, "unit": i.unit, "current": i.value}


def to_xlsx(
    a: Assumptions,
    f: Forecast,
    base: Assumptions | None = None,
    opportunity: Opportunity | None = None,
    grid: Grid | str | None = None,
    compared: Mapping[str, Assumptions] | None = None,
    paths: int = DEFAULT_PATHS,
) -> bytes:
    """An Excel workbook: a Summary sheet, one sheet per dimension, the range of outcomes,
    and every assumption.

    ``a`` holds the values used and ``base`` the file they were changed from (``a`` itself
    by default): the Assumptions sheet gives each file value with its provenance beside
    the value used, and marks the changed ones. With ``opportunity`` (the user's choices)
    an Opportunity sheet follows the Summary; with ``grid`` (the Risk page's two-way grid,
    or why it could not be made) a Two-way sheet follows the dimensions; with two or more
    ``compared`` scenarios (name -> assumptions) a Scenarios sheet gives their numbers.
    The Risk sheet's P10, P50 and P90 come from ``paths`` simulated paths (at most what the
    memory budget affords) with seed 0, as on the Risk page.
    """
    workbook = Workbook()
    taken: set[str] = set()
    summary = workbook.active
    if not isinstance(summary, Worksheet):  # a new workbook starts with one worksheet
        raise TypeError("a new workbook has no worksheet")
    summary.title = _sheet_title("Summary", taken)
    _summary_sheet(_Sheet(summary), a, f, base or a)
    if opportunity is not None:
        sheet = _Sheet(workbook.create_sheet(_sheet_title("Opportunity", taken)))
        _opportunity_sheet(sheet, a, opportunity)
    for dim in a.dimensions:
        sheet = workbook.create_sheet(_sheet_title(dim.name, taken))
        _dimension_sheet(_Sheet(sheet), dim, f)
    if grid is not None:
        _grid_sheet(_Sheet(workbook.create_sheet(_sheet_title("Two-way", taken))), grid)
    sheet = _Sheet(workbook.create_sheet(_sheet_title("Risk", taken)))
    _risk_sheet(sheet, a, paths)
    if compared is not None and len(compared) >= 2:
        sheet = _Sheet(workbook.create_sheet(_sheet_title("Scenarios", taken)))
        _scenarios_sheet(sheet, a, compared)
    if len(estimates.estimates_of(a)) > 1:  # a comparison needs two; one is on the Summary
        sheet = _Sheet(workbook.create_sheet(_sheet_title("Estimates", taken)))
        _estimates_sheet(sheet, a, f, base or a)
    sheet = _Sheet(workbook.create_sheet(_sheet_title("Assumptions", taken)))
    _assumptions_sheet(sheet, base or a, a)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, whatever the dimension is called: no ``[]:*?/\\`` or
    control characters, no apostrophe first or last (also once cut to 31 characters),
    not ``History`` (Excel keeps it for change tracking), unique ignoring case."""
    base = _SHEET_FORBIDDEN.sub("-", _CONTROL.sub("", name)).strip("' ") or "Sheet"
    title, n = base[:SHEET_NAME_MAX].rstrip("' "), 1
    while title.lower() in taken or title.lower() in _RESERVED_SHEETS:
        n += 1
        suffix = f" ({n})"
        title = base[: SHEET_NAME_MAX - len(suffix)].rstrip("' ") + suffix
    taken.add(title.lower())
    return title


@dataclass
class _Sheet:
    """Writes rows down a worksheet and remembers how wide each column's content is."""

    ws: Worksheet
    row: int = 1
    widths: dict[int, int] = field(default_factory=dict)

    def title(self, text: str) -> None:
        self.ws.cell(self.row, 1, cell_text(text)).font = _TITLE
        self.row += 2

    def heading(self, text: str) -> None:
        self.ws.cell(self.row, 1, cell_text(text)).font = _BOLD
        self.row += 1

    def fact(self, label: str, value: Any, number_format: str = GENERAL) -> None:
        """A bold label with its value beside it; the value may run on over empty cells."""
        self.ws.cell(self.row, 1, cell_text(label)).font = _BOLD
        self._measure(1, label)
        self.ws.cell(self.row, 2, _cell(value)).number_format = number_format
        self.row += 1

    def header(self, names: Iterable[str]) -> None:
        for column, name in enumerate(names, start=1):
            self.ws.cell(self.row, column, cell_text(name)).font = _BOLD
            self._measure(column, name)
        self.row += 1

    def line(self, values: Sequence[Any], formats: Sequence[str]) -> None:
        """One row; NaN and None leave the cell empty, numbers keep their format."""
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            cell = self.ws.cell(self.row, column, _cell(value))
            cell.number_format = number_format
            self._measure(column, _shown(value, number_format))
        self.row += 1

    def gap(self) -> None:
        self.row += 1

    def fit(self) -> None:
        for column, width in self.widths.items():
            letter = get_column_letter(column)
            self.ws.column_dimensions[letter].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)

    def _measure(self, column: int, text: str) -> None:
        self.widths[column] = max(self.widths.get(column, 0), len(text))


def _shown(value: Any, number_format: str) -> str:
    """Roughly what Excel displays, to size the column."""
    if isinstance(value, str) or number_format == GENERAL:
        return str(value)
    if number_format == PCT_FORMAT:
        return f"{value * 100:.1f}%"
    return f"{value:,.1f}"


def _summary_sheet(sheet: _Sheet, a: Assumptions, f: Forecast, base: Assumptions) -> None:
    source = a.market.source
    sheet.title(a.market.name)
    facts = [
        ("Unit", a.market.unit),
        ("Source", f"{source.title}, {source.publisher}"),
        ("Reference", source.reference),
        ("Note", source.note),
        ("Years", f"first {a.years.first}, base {a.years.base}, horizon {a.years.horizon}"),
        ("Follows", estimates.followed(a, base).text),
        ("Spread", estimates.spread_note(a)),
        ("Growth shape", growth_statement(a, f, lambda value: money(value, a.market.unit))),
        ("Actuals", actuals_statement(a, f, lambda value: money(value, a.market.unit))),
    ]
    for label, text in facts:
        if text:
            sheet.fact(label, text)
    sheet.fact("Reported figures", f"stated by {f.reference.label}")
    sheet.fact("Model CAGR", f.cagr_pct / 100, "0.00%")
    if f.reference.cagr_pct is not None:
        sheet.fact("Reported CAGR", f.reference.cagr_pct / 100, "0.00%")
    sheet.gap()
    header = ["Year", f"Total ({a.market.unit})", "Reported", "Modelled", "Growth"]
    formats = [GENERAL, VALUE_FORMAT, VALUE_FORMAT, GENERAL, PCT_FORMAT]
    actuals = bool(a.actuals)
    if actuals:
        header += ["Actual", "Drift"]
        formats += [VALUE_FORMAT, PCT_FORMAT]
    sheet.header(header)
    for year, row in f.totals.iterrows():
        value, reported = float(row["value"]), float(row["reported"])
        modelled = "yes" if row["modelled"] else "no"
        cells = [as_int(year), value, reported, modelled, float(row["growth_pct"]) / 100]
        if actuals:
            cells += [float(row["actual"]), float(row["drift_pct"]) / 100]
        sheet.line(cells, formats)
    sheet.fit()


def _risk_sheet(sheet: _Sheet, a: Assumptions, paths: int) -> None:
    """The range of outcomes as numbers: P10, P50 and P90 of the market each year."""
    sim = simulate(a, budgeted_paths(a, paths), seed=0, by_segment=False)
    band = outcome_range(sim, a.years.base)
    sheet.title(f"Range of outcomes ({a.market.unit})")
    sheet.fact("Simulated paths", sim.paths, "#,##0")
    sheet.fact("CAGR uncertainty (1 sd, assumed)", sim.cagr_sd_pct / 100, "0.0#%")
    sheet.fact("Reading", "Eight paths in ten end between the P10 and the P90.")
    if sim.probability_of_target is not None:
        sheet.fact("Paths reaching the source's horizon value", sim.probability_of_target, "0%")
    sheet.gap()
    sheet.header(["Year", *(RANGE_LABELS[q] for q in RANGE)])
    formats = [GENERAL, *[VALUE_FORMAT] * len(RANGE)]
    for year, row in band.iterrows():
        sheet.line([as_int(year), *(as_float(row[q]) for q in RANGE)], formats)
    sheet.fit()


def _scenarios_sheet(sheet: _Sheet, a: Assumptions, compared: Mapping[str, Assumptions]) -> None:
    """The compared scenarios' numbers: the horizon table, then every year side by side."""
    forecasts = {name: forecast(s) for name, s in compared.items()}
    unit = a.market.unit
    sheet.title(f"Scenarios compared ({unit})")
    sheet.fact("Note", "Each scenario is a set of the analyst's assumptions; none is reported.")
    sheet.gap()
    horizon = a.years.horizon
    sheet.header(["Scenario", f"Market size {horizon}", "CAGR", "Against the source"])
    formats = [GENERAL, VALUE_FORMAT, "0.0#%", "+0.0%;-0.0%;0.0%"]
    for row in scenario_table(forecasts, a).to_dict("records"):
        rates = [as_float(row["cagr_pct"]) / 100, as_float(row["vs_reported_pct"]) / 100]
        sheet.line([row["scenario"], row["horizon_value"], *rates], formats)
    sheet.gap()
    years = sorted({int(y) for f in forecasts.values() for y in f.totals.index})
    sheet.header(["Year", *forecasts])
    formats = [GENERAL, *[VALUE_FORMAT] * len(forecasts)]
    for year in years:
        values = [f.totals["value"].get(year, math.nan) for f in forecasts.values()]
        sheet.line([year, *(as_float(v) for v in values)], formats)
    sheet.fit()


def _estimates_sheet(sheet: _Sheet, a: Assumptions, f: Forecast, base: Assumptions) -> None:
    """Every published estimate side by side: values by year (stated or derived), the
    spread, where the model sits; then each source's CAGR check and its cited figures."""
    sheet.title(f"Published estimates ({a.market.unit})")
    sheet.fact("Follows", estimates.followed(a, base).text)
    sheet.fact("Spread", estimates.spread_note(a))
    sheet.gap()
    comparison = estimates.comparison(a, f.totals["value"])
    flat = estimates.table(comparison)
    names = [
        name for e in comparison.estimates for name in (e.label, f"{e.label}: stated or derived")
    ]
    band = ["Low (derived)", "High (derived)", "Median (derived)", "Spread, % of median"]
    sheet.header(["Year", *names, *band, "Model", "Model in the range"])
    per_source = [VALUE_FORMAT, GENERAL] * len(comparison.estimates)
    formats = [GENERAL, *per_source, *[VALUE_FORMAT] * 3, PCT_FORMAT, VALUE_FORMAT, GENERAL]
    for row in flat.to_dict("records"):
        cells = [c for e in comparison.estimates for c in (row[e.id], row[f"{e.id} basis"] or None)]
        spread = [row["low"], row["high"], row["median"], row["spread_pct"] / 100]
        model = [row["model"], row["model_position"] or None]
        sheet.line([row["year"], *cells, *spread, *model], formats)
    sheet.gap()
    sheet.heading("Each source's stated CAGR against its own figures")
    sources = estimates.sources_table(a)
    sheet.header(["Source", "Stated CAGR", "Period", "Period is", "Figures imply", "Fits"])
    formats = [GENERAL, PCT_FORMAT, GENERAL, GENERAL, PCT_FORMAT, GENERAL]
    for r in sources.itertuples(index=False):
        stated, implied = as_float(r.stated_cagr_pct), as_float(r.implied_cagr_pct)
        rates = [stated / 100, r.period, r.period_basis, implied / 100]
        sheet.line([r.source, *rates, r.fits], formats)
    sheet.gap()
    sheet.heading("The figures each source states")
    sheet.header(["Source", "Year", "Value", "Citation"])
    for r in estimates.figures_table(a).itertuples(index=False):
        sheet.line([r.source, r.year, r.value, r.citation], [GENERAL, GENERAL, "#,##0.00", GENERAL])
    sheet.fit()


def _opportunity_sheet(sheet: _Sheet, a: Assumptions, choices: Opportunity) -> None:
    """The user's choices (each their assumption), the plan year by year and its range."""
    unit = a.market.unit
    sheet.title(f"Our opportunity ({unit})")
    sheet.fact("Note", _cell(ASSUMPTION_NOTE))
    sheet.fact("SAM", _cell(INDEPENDENCE_NOTE))
    sheet.gap()
    sheet.heading("Your choices (your assumptions)")
    for what, value in describe(a, choices):
        sheet.fact(_cell(what), _cell(value))
    try:
        frame = plan(a, choices)
        seen = outlook(a, choices)
    except OpportunityError as err:
        sheet.gap()
        sheet.fact("Plan", _cell(f"These choices cannot make a plan: {err}"))
        sheet.fit()
        return
    sheet.gap()
    sheet.header(["Year", f"Market ({unit})", f"SAM ({unit})", "Share of SAM", f"Revenue ({unit})"])
    formats = [GENERAL, VALUE_FORMAT, VALUE_FORMAT, "0.00%", VALUE_FORMAT]
    for row in frame.to_dict("records"):
        year, share = as_int(row["year"]), as_float(row["share_pct"]) / 100
        sheet.line([year, row["market"], row["sam"], share, row["revenue"]], formats)
    sheet.gap()
    sheet.heading(f"Revenue {seen.year} over {seen.paths:,} simulated paths of the market")
    for label, amount in (("P10", seen.p10), ("P50", seen.p50), ("P90", seen.p90)):
        sheet.fact(label, amount, VALUE_FORMAT)
    sheet.fit()


def _grid_sheet(sheet: _Sheet, grid: Grid | str) -> None:
    """The grid as Excel's What-If table reads: the row input's values down the first
    column, the column input's across the first row, the outcome in the cells; above it,
    which inputs and which outcome."""
    if isinstance(grid, str):
        sheet.title("Two-way sensitivity")
        sheet.fact("Grid", f"The Risk page's grid could not be made: {grid}")
        sheet.fit()
        return
    sheet.title(f"{grid.label}: two-way sensitivity ({grid.unit})")
    sheet.fact("Outcome", f"{grid.label} ({grid.unit}), modelled")
    for name, axis in (("Rows", grid.rows), ("Columns", grid.columns)):
        i = axis.input
        sheet.fact(name, f"{i.label}, {_unit_words(i.unit)}: {i.path}, now {i.value:,.10g}")
    if grid.target is not None:
        sheet.fact("Target", grid.target, VALUE_FORMAT)
    for warning in grid.warnings:
        sheet.fact("Clamped", warning)
    sheet.fact("Note", "Every input is an assumption; each cell is the forecast with both set.")
    sheet.gap()
    corner = f"{grid.rows.input.label} ↓ / {grid.columns.input.label} →"
    sheet.line([corner, *grid.columns.values], [GENERAL] * (len(grid.columns.values) + 1))
    sheet.ws.cell(sheet.row - 1, 1).font = _BOLD
    formats = [GENERAL, *[VALUE_FORMAT] * len(grid.columns.values)]
    for value, cells in zip(grid.rows.values, grid.values, strict=True):
        sheet.line([value, *(float(v) for v in cells)], formats)
    sheet.fit()


def _unit_words(unit: str) -> str:
    return {"%": "in %", "pp": "in percentage points", "weight": "a share weight"}.get(
        unit, f"in {unit}"
    )


def _dimension_sheet(sheet: _Sheet, dim: Dimension, f: Forecast) -> None:
    sheet.title(f"{dim.name} ({f.unit})")
    for (dimension, parent_id), group in f.groups.items():
        if dimension != dim.id:
            continue
        if parent_id:
            sheet.gap()
            sheet.heading(f"{group.parent}: by sub-segment")
        _year_table(sheet, group.values)
    sheet.gap()
    sheet.heading(f"Segment summary, {f.base_year}-{f.horizon}")
    summary = f.segment_summary()
    _segment_summary(sheet, summary[summary["dimension"] == dim.id], f)
    sheet.fit()


def _year_table(sheet: _Sheet, values: pd.DataFrame) -> None:
    sheet.header(distinct_labels(["Year", *(cell_text(str(c)) for c in values.columns)]))
    formats = [GENERAL] + [VALUE_FORMAT] * len(values.columns)
    for year, row in values.iterrows():
        sheet.line([as_int(year), *(as_float(v) for v in row)], formats)


def _segment_summary(sheet: _Sheet, summary: pd.DataFrame, f: Forecast) -> None:
    b, h = f.base_year, f.horizon
    sheet.header(
        ["Segment", "Parent", f"Share {b}", f"Share {h}", f"Value {b}", f"Value {h}", "CAGR"]
    )
    formats = [GENERAL, GENERAL, PCT_FORMAT, PCT_FORMAT, VALUE_FORMAT, VALUE_FORMAT, PCT_FORMAT]
    for row in summary.itertuples(index=False):
        sheet.line(
            [
                row.segment,
                row.parent or None,
                as_float(row.share_base),
                as_float(row.share_horizon),
                as_float(row.value_base),
                as_float(row.value_horizon),
                as_float(row.cagr_pct) / 100,
            ],
            formats,
        )


ASSUMPTION_COLUMNS = (
    "Path",
    "Assumption",
    "Unit",
    "File value",
    "File provenance",
    "Citation or rationale (file)",
    "Value used",
    "Changed",
)
"""The Assumptions sheet's header: provenance describes the file's value; a value used that
differs from it is the analyst's own and is marked ``changed``."""


def _assumptions_sheet(sheet: _Sheet, base: Assumptions, a: Assumptions) -> None:
    sheet.title(f"Assumptions: {a.market.name}")
    changed = assumption_table(base, a)
    if changed["changed"].any():
        count = int(changed["changed"].sum())
        sheet.heading(
            f"{count} value(s) changed from the file: the analyst's own, not the source's."
        )
    sheet.header(ASSUMPTION_COLUMNS)
    sheet.ws.freeze_panes = sheet.ws.cell(sheet.row, 1).coordinate
    formats = [GENERAL] * len(ASSUMPTION_COLUMNS)
    for row in changed.itertuples(index=False):
        sheet.line(
            [
                row.path,
                row.assumption,
                row.unit,
                row.file_shown if row.choices else row.file_value,
                row.provenance,
                row.basis,
                row.current_shown if row.choices else row.current_value,
                "changed" if row.changed else None,
            ],
            formats,
        )
    sheet.fit()


# --- Renderers of the export registry (report.formats) ---------------------------------------


def csv_file(request: ExportRequest) -> str:
    return to_csv(request.forecast, request.dimension)


def json_file(request: ExportRequest) -> str:
    return to_json(request.forecast, request.dimension)


def xlsx_file(request: ExportRequest) -> bytes:
    """The workbook, dated today: the same view gives the same bytes all day
    (:mod:`report.reproducible`); with the Risk page's grid when the request has one."""
    try:
        grid: Grid | str | None = request.two_way()
    except ValueError as err:
        grid = str(err)
    workbook = to_xlsx(
        request.current,
        request.forecast,
        base=request.base,
        opportunity=request.opportunity,
        grid=grid,
        compared=request.compared,
        paths=request.paths,
    )
    return stamped(workbook, dt.date.today())


def yaml_file(request: ExportRequest) -> str:
    """The assumptions in use, as a file ``market validate`` accepts."""
    return dump_assumptions(request.current)
