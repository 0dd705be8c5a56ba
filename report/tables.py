"""Tables as data files: any model frame as CSV or JSON, for the HTTP API.

:mod:`report.export` writes the forecast and the opportunity plan in their own fixed
columns; these two write any other table the model returns (parameters, estimates,
percentiles, scenarios) the same way: one row per record, numbers at full precision, text
cells safe in a spreadsheet (:func:`report.export.cell_text`), missing values empty in CSV
and ``null`` in JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from report.export import cell_text

__all__ = ["document_json", "table_csv", "table_json"]


def table_csv(frame: pd.DataFrame) -> str:
    """CSV text with the frame's columns as the header (its index is left out)."""
    safe = frame.copy()
    safe.columns = [cell_text(str(name)) for name in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(lambda v: cell_text(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False, lineterminator="\n")


def table_json(frame: pd.DataFrame) -> str:
    """A JSON array with one object per row, keyed by column."""
    records = [
        {str(k): _plain(v) for k, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
    return _dumped(records)


def document_json(document: Mapping[str, Any]) -> str:
    """Any JSON document of plain values, written as the tables are."""
    return _dumped(_plain(document))


def _dumped(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _plain(value: Any) -> Any:
    """``value`` as JSON holds it: numpy scalars as numbers, NaN as null, nested too."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value
