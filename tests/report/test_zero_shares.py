"""A share of nothing: a parent segment with no weight, a market that has shrunk to nothing.

Every chart, table and file that gives a share of a parent (a sub-segment's share of its
segment, a segment's of its dimension, anything's of the market) still renders, and says
"n/a" where the share is undefined, never raising a division error (issue 23: moving
Software's share to 0 crashed the Segments page's treemap).
"""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from market import Assumptions, apply_overrides, forecast, opportunity
from market.crosstab import crosstab
from market.shares import share_of
from report import charts, export
from report.colors import segment_colors
from report.formats import FORMATS, ExportRequest
from tests.conftest import examples
from tests.market.test_properties import dimensions

ASSUMED = {"provenance": "assumed", "rationale": "generated"}


def collapsing_market(base_value: float, cagr_pct: float, years: int, dims: list[Any]) -> Any:
    """A market as a file holds it; with a tiny base value and a CAGR near -100 % its total
    underflows to exactly 0 within a few years."""
    return {
        "market": {
            "name": "Shrinking",
            "unit": "units",
            "source": {"title": "t", "publisher": "p"},
        },
        "years": {"first": 2020, "base": 2020, "horizon": 2020 + years},
        "reported": [{"year": 2020, "value": base_value, "citation": "c"}],
        "growth": {
            "base_value": {"value": base_value, **ASSUMED},
            "cagr_pct": {"value": cagr_pct, **ASSUMED},
        },
        "uncertainty": {
            "cagr_sd_pct": {"value": 0.0, **ASSUMED},
            "share_concentration": {"value": 100, **ASSUMED},
        },
        "dimensions": dims,
    }


def _segment(name: str, share: float, subs: list[Any] | None = None) -> dict[str, Any]:
    return {"name": name, "share": share, **ASSUMED, **({"segments": subs} if subs else {})}


WEIGHTLESS_PARENT = [
    {
        "name": "Component",
        "segments": [
            _segment("Software", 0, [_segment("Cloud", 1), _segment("On premises", 2)]),
            _segment("Services", 1),
        ],
    },
    {
        "name": "Region",
        "geographic": True,
        "segments": [_segment("Europe", 1), _segment("Asia", 0)],
    },
]


def render_every_share(a: Assumptions) -> None:
    """Every chart and table that divides by a parent, on every dimension and parent, in the
    base year and at the horizon; the exports that hold shares."""
    f = forecast(a)
    colors = segment_colors(a)
    for year in (a.years.base, a.years.horizon):
        for (dimension, parent), group in f.groups.items():
            name = a.dimension(dimension).name
            charts.stacked_area(f, dimension, name, colors, parent)
            charts.share_bars(f, dimension, name, year, colors, parent)
            charts.segment_cagr_bars(f, dimension, name, colors, parent)
            if not parent:
                charts.hierarchy(f, dimension, name, year, colors)
                charts.region_map(f, dimension, year, colors, name)
            assert group.shares.shape == group.values.shape
        f.shares_in(year)
        ids = [d.id for d in a.dimensions]
        for rows, columns in itertools.pairwise(ids):
            table = crosstab(f, rows, columns, year)
            assert np.isfinite(table.to_numpy()).all()
            charts.heatmap(table, rows, columns, f.unit, year)
    f.segment_summary()
    everything = opportunity.Opportunity(
        served=tuple(
            opportunity.Served(
                dimension=d.id, picks=tuple(opportunity.Pick(segment=s.id) for s in d.segments)
            )
            for d in a.dimensions
        )
    )
    plan = opportunity.plan(a, everything)
    charts.served_market(plan, a.market.unit)
    for dimension in (None, *(d.id for d in a.dimensions)):
        json.loads(export.to_json(f, dimension))
        export.to_csv(f, dimension)
    export.to_xlsx(a, f)


def test_a_share_of_nothing_is_not_a_number() -> None:
    assert float(share_of(1.0, 4.0)) == 0.25
    assert np.isnan(share_of(0.0, 0.0))
    np.testing.assert_array_equal(share_of([0.0, 2.0], [0.0, 4.0]), [np.nan, 0.5])


def test_a_weightless_parent_says_n_a_for_its_sub_segments_shares() -> None:
    a = Assumptions.model_validate(collapsing_market(100.0, 5.0, 5, WEIGHTLESS_PARENT))
    f = forecast(a)
    tree = charts.hierarchy(f, "component", "Component", a.years.horizon, segment_colors(a))
    hovers = dict(zip(tree.data[0].labels, tree.data[0].customdata, strict=True))
    assert hovers["Cloud"] == "Cloud: 0.0 units (n/a of Software, 0.0% of the market)"
    assert hovers["Services"].endswith("(100.0% of the market)")
    render_every_share(a)


def test_every_file_renders_a_market_shrunk_to_nothing() -> None:
    a = Assumptions.model_validate(collapsing_market(1e-300, -99.99, 12, WEIGHTLESS_PARENT))
    f = forecast(a)
    assert f.horizon_value == 0.0  # the total underflowed: every share of it is undefined
    tree = charts.hierarchy(f, "region", "Region", a.years.horizon, segment_colors(a))
    assert "n/a of the market" in tree.data[0].customdata[1]
    render_every_share(a)
    request = ExportRequest(a, a, f, "component", paths=100)
    for kind in FORMATS:
        assert kind.render(request), kind.name


def test_the_default_market_with_softwares_share_at_zero_renders_every_file(
    default_assumptions: Assumptions,
) -> None:
    a = apply_overrides(default_assumptions, {"share.component.software": 0})
    render_every_share(a)
    request = ExportRequest(a, default_assumptions, forecast(a), "component", paths=100)
    for kind in FORMATS:
        assert kind.render(request), kind.name


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    dims=st.integers(1, 3).flatmap(lambda n: st.tuples(*(dimensions(i) for i in range(n)))),
    collapse=st.booleans(),
    years=st.integers(1, 40),
)
@example(dims=(WEIGHTLESS_PARENT[0],), collapse=False, years=8)
@example(dims=tuple(copy.deepcopy(WEIGHTLESS_PARENT)), collapse=True, years=12)
def test_any_market_renders_every_share_of_a_parent(
    dims: tuple[dict[str, Any], ...], collapse: bool, years: int
) -> None:
    base_value, cagr = (1e-300, -99.99) if collapse else (100.0, 4.0)
    a = Assumptions.model_validate(collapsing_market(base_value, cagr, years, list(dims)))
    render_every_share(a)


@pytest.mark.parametrize("path", ["share.component.software", "share.region.north-america"])
def test_a_zero_weight_leaves_every_other_share_defined(
    default_assumptions: Assumptions, path: str
) -> None:
    f = forecast(apply_overrides(default_assumptions, {path: 0}))
    shares = f.shares_in(default_assumptions.years.horizon)
    zero_parent = path.removeprefix("share.")
    undefined = {k for k, v in shares.items() if np.isnan(v)}
    assert undefined == {k for k in shares if k.startswith(zero_parent + ".")}
