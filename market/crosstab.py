"""Two dimensions crossed: the value of each (row segment, column segment) pair in one year.

Values are in the forecast's unit (see :mod:`market.assumptions`).

ASSUMPTION: the source reports no cross-tabulation, so the two dimensions are taken to
be independent: a pair's value is the row segment's share times the column segment's
share times the market total. Under that assumption every row adds up to the row
segment's value, every column to the column segment's value and the whole table to
the total, but the table says nothing about how the dimensions really interact (for
example whether cloud deployment is more common in Asia-Pacific than in Europe).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from market.model import Forecast, as_float
from market.shares import share_of

__all__ = ["crosstab"]


def crosstab(f: Forecast, rows: str, columns: str, year: int) -> pd.DataFrame:
    """Value of each pair of top-level segments of ``rows`` and ``columns`` in ``year``.

    Index: the row dimension's segment names (named ``rows``); columns: the column
    dimension's segment names (named ``columns``). The dimensions are assumed
    independent (see the module docstring), which is why a dimension cannot be crossed
    with itself.
    """
    if rows == columns:
        raise ValueError(f"cannot cross the dimension {rows!r} with itself")
    if year not in f.totals.index:
        years = f.totals.index
        raise KeyError(f"no year {year} in the forecast, which runs {years[0]}-{years[-1]}")
    row_values = _top_level(f, rows).loc[year]
    column_values = _top_level(f, columns).loc[year]
    total = as_float(f.totals.at[year, "value"])
    # a row's value times each column's share of the market; a market of nothing is all 0
    column_shares = np.nan_to_num(share_of(column_values.to_numpy(), total), nan=0.0)
    table = np.outer(row_values.to_numpy(), column_shares)
    return pd.DataFrame(
        table,
        index=pd.Index(row_values.index, name=rows),
        columns=pd.Index(column_values.index, name=columns),
    )


def _top_level(f: Forecast, dimension: str) -> pd.DataFrame:
    try:
        return f.by(dimension)
    except KeyError:
        known = sorted({d for d, _ in f.groups})
        raise KeyError(f"no dimension {dimension!r}; known: {', '.join(known)}") from None
