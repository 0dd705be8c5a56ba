"""The published-estimates chart: one colour per source, stated figures apart from derived."""

from __future__ import annotations

from market import Assumptions, forecast
from market import estimates as est
from report import charts
from report.colors import MODELLED, estimate_colors


def _figure(a: Assumptions):
    labels = {e.id: e.label for e in est.estimates_of(a)}
    return charts.estimate_paths(
        est.paths(a), est.spread(a), forecast(a).totals["value"], labels, a.market.unit
    )


def test_each_source_has_its_own_colour_and_none_is_the_models(
    default_assumptions: Assumptions,
) -> None:
    fig = _figure(default_assumptions)
    colors = estimate_colors(e.id for e in default_assumptions.estimates)
    assert len(set(colors.values())) == 3 and MODELLED not in colors.values()
    for e in default_assumptions.estimates:
        line, markers = (t for t in fig.data if t.name == e.label)
        assert line.line.color == markers.marker.color == colors[e.id]
        # markers only at the figures the source states; the line covers the years between
        assert list(markers.x) == sorted(e.by_year)
        assert list(markers.y) == [e.by_year[y] for y in sorted(e.by_year)]
        assert list(line.x) == list(range(min(e.by_year), max(e.by_year) + 1))


def test_the_band_and_median_are_labelled_derived_and_cover_shared_years(
    default_assumptions: Assumptions,
) -> None:
    fig = _figure(default_assumptions)
    band = next(t for t in fig.data if t.name == "Range across estimates (derived)")
    median = next(t for t in fig.data if t.name == "Median of estimates (derived)")
    assert list(band.x) == list(median.x) == list(range(2024, 2033))
    assert fig.layout.title.text == "Published estimates and the model (USD million)"
    assert "derived" in fig.layout.title.subtitle.text


def test_one_estimate_draws_no_band(small_market) -> None:
    fig = _figure(Assumptions.model_validate(small_market))
    assert not [t for t in fig.data if t.name and "derived" in t.name]


def test_the_brief_says_which_estimate_it_follows_and_shows_the_spread(
    default_assumptions: Assumptions,
) -> None:
    from market import apply_overrides
    from report.brief import brief_html

    calibrated = apply_overrides(
        default_assumptions, est.calibration(default_assumptions, est.MEDIAN).overrides
    )
    html = brief_html(calibrated, default_assumptions, paths=100)
    assert "The numbers follow the median of the estimates." in html
    assert "a spread of 6.7% of their median" in html
    assert 'id="brief-estimates"' in html
