"""The plain-words reading of a forecast (market.summary.reading)."""

from __future__ import annotations

import numpy as np

from market import Assumptions, apply_overrides, forecast
from market.model import implied_cagr_pct
from market.summary import reading


def test_the_reading_names_the_fastest_top_level_segment_and_its_own_rate(
    default_assumptions: Assumptions,
) -> None:
    a = apply_overrides(default_assumptions, {"growth.cagr_pct": 18.0})
    f = forecast(a)
    best = max(
        (
            (float(rate), dimension, name)
            for (dimension, parent), group in f.groups.items()
            if not parent
            for name, rate in zip(
                group.values.columns,
                implied_cagr_pct(
                    group.values.loc[f.base_year].to_numpy(),
                    group.values.loc[f.horizon].to_numpy(),
                    f.horizon - f.base_year,
                ),
                strict=True,
            )
            if np.isfinite(rate)
        ),
    )
    rate, dimension, name = best
    text = reading(a, f, lambda value: f"{value:,.1f}")
    expected = (
        f"By {a.dimension(dimension).name.lower()}, {name} grows fastest ({rate:.1f}% a year)"
    )
    assert expected in text
    assert "an assumed differential rather than a reported figure" in text
