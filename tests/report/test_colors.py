"""Segment colours: stable, distinct, colour-blind-safe, readable on both Streamlit themes."""

from __future__ import annotations

import colorsys
import re
from typing import Any

import pytest

from market import Assumptions
from market.parameters import apply_overrides
from report import colors

OKABE_ITO = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"}
WHITE, STREAMLIT_DARK = "#FFFFFF", "#0E1117"
HEX = re.compile(r"^#[0-9A-F]{6}$")


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _hue(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return colorsys.rgb_to_hls(*rgb)[0]


def test_every_segment_and_sub_segment_has_a_hex_colour(
    default_assumptions: Assumptions,
) -> None:
    palette = colors.segment_colors(default_assumptions)
    for dimension in default_assumptions.dimensions:
        names = {s.name for s in dimension.segments}
        names |= {c.name for s in dimension.segments for c in s.segments}
        assert set(palette[dimension.id]) == names
        assert all(HEX.match(c) for c in palette[dimension.id].values())


def test_colours_are_distinct_within_a_dimension(default_assumptions: Assumptions) -> None:
    for dimension, mapping in colors.segment_colors(default_assumptions).items():
        assert len(set(mapping.values())) == len(mapping), dimension


def test_top_level_segments_take_okabe_ito_first(default_assumptions: Assumptions) -> None:
    palette = colors.segment_colors(default_assumptions)
    for dimension in default_assumptions.dimensions:
        assert {palette[dimension.id][s.name] for s in dimension.segments} <= OKABE_ITO


def test_colours_do_not_move_when_the_assumptions_do(default_assumptions: Assumptions) -> None:
    """A colour follows the segment's place in the file, not its size or growth."""
    moved = apply_overrides(
        default_assumptions,
        {"share.region.north-america": 1, "share.region.asia-pacific": 90, "growth.cagr_pct": 5},
    )
    assert colors.segment_colors(moved) == colors.segment_colors(default_assumptions)


def test_sub_segments_are_shades_of_their_parent(default_assumptions: Assumptions) -> None:
    component = colors.segment_colors(default_assumptions)["component"]
    for parent in default_assumptions.dimension("component").segments:
        for child in parent.segments:
            assert component[child.name] != component[parent.name]
            assert _hue(component[child.name]) == pytest.approx(
                _hue(component[parent.name]), abs=0.02
            )


def test_shades_run_darker_to_lighter() -> None:
    for count in (2, 3, 4, 6):
        shades = colors.shades("#0072B2", count)
        lightness = [_luminance(s) for s in shades]
        assert lightness == sorted(lightness)
        assert len(set(shades)) == count
        assert "#0072B2" not in shades


def test_a_long_dimension_still_gets_a_colour_for_each_segment(
    small_market: dict[str, Any],
) -> None:
    small_market["dimensions"][1]["segments"] = [
        {"name": f"City {i}", "share": 1, "provenance": "assumed", "rationale": "r"}
        for i in range(20)
    ]
    mapping = colors.segment_colors(Assumptions.model_validate(small_market))["city"]
    assert len(mapping) == 20
    first = [mapping[f"City {i}"] for i in range(len(colors.PALETTE))]
    assert len(set(first)) == len(colors.PALETTE)


@pytest.mark.parametrize("name", ["MODELLED", "REFERENCE", "NEUTRAL"])
@pytest.mark.parametrize("background", [WHITE, STREAMLIT_DARK])
def test_line_colours_read_on_light_and_dark_pages(name: str, background: str) -> None:
    """WCAG 2.1 asks 3:1 for graphical objects; charts set no background of their own."""
    assert _contrast(getattr(colors, name), background) >= 3.0


@pytest.mark.parametrize("background", [WHITE, STREAMLIT_DARK])
def test_reported_markers_read_on_light_and_dark_pages(background: str) -> None:
    """The dark fill carries them on a light page, the light rim on a dark one."""
    best = max(_contrast(colors.REPORTED, background), _contrast(colors.REPORTED_RIM, background))
    assert best >= 3.0


def test_sequential_scale_avoids_both_page_colours() -> None:
    for _, stop in colors.SEQUENTIAL:
        assert _contrast(stop, WHITE) > 1.3
        assert _contrast(stop, STREAMLIT_DARK) > 1.3
    lightness = [_luminance(stop) for _, stop in colors.SEQUENTIAL]
    assert lightness == sorted(lightness), "a sequential scale must run one way in lightness"


def test_scenario_colours_follow_the_order_given() -> None:
    mapping = colors.scenario_colors(["Base", "Low", "High"])
    assert list(mapping) == ["Base", "Low", "High"]
    assert len(set(mapping.values())) == 3
    assert colors.scenario_colors(["Base", "Low"]) == {k: mapping[k] for k in ("Base", "Low")}


def test_colors_for_accepts_the_whole_palette_or_one_dimension(
    default_assumptions: Assumptions,
) -> None:
    palette = colors.segment_colors(default_assumptions)
    assert colors.colors_for(palette, "region") == palette["region"]
    assert colors.colors_for(palette["region"], "region") == palette["region"]


@pytest.mark.parametrize("background", [WHITE, STREAMLIT_DARK])
def test_actual_markers_read_on_light_and_dark_pages(background: str) -> None:
    """An actual figure's fill or its rim stands out on either page, as a reported one's does."""
    best = max(_contrast(colors.ACTUAL, background), _contrast(colors.ACTUAL_RIM, background))
    assert best >= 3.0


def test_actual_reported_and_modelled_points_differ_in_colour() -> None:
    assert len({colors.ACTUAL, colors.REPORTED, colors.MODELLED, colors.REFERENCE}) == 4
