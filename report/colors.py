"""One colour per segment, the same on every page, and the fixed colours of the charts.

Why these colours:
- Segments take their colour from the Okabe-Ito palette first (designed to stay apart
  under the common colour-vision deficiencies), then from Paul Tol's "muted" palette for
  dimensions with more than seven segments. Okabe-Ito's black is left out: it vanishes on
  Streamlit's dark theme. The order puts the most distinct hues first, so small
  dimensions get blue, orange and green. A segment's colour depends only on its
  position in the file, so it is the same on every page and every run (never random).
- Sub-segments are tints and shades of their parent's colour, darker to lighter in file
  order, so a sunburst reads as families and lightness (safe for every kind of colour
  vision) tells siblings apart.
- Charts never set a background or a font colour: Streamlit's theme does, light or dark.
  The fixed colours below therefore have to read on both a white and a near-black page;
  where one colour cannot (the reported markers), a light rim around a dark fill does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from market.assumptions import Assumptions, Segment

__all__ = [
    "ACTUAL",
    "ACTUAL_RIM",
    "BAND_INNER",
    "BAND_OUTER",
    "DECREASE",
    "GRID_BOUNDARY",
    "GRID_BOUNDARY_HALO",
    "GRID_CURRENT",
    "HIGH_INPUT",
    "INCREASE",
    "LOW_INPUT",
    "MODELLED",
    "NEUTRAL",
    "PALETTE",
    "REFERENCE",
    "REPORTED",
    "REPORTED_RIM",
    "SEQUENTIAL",
    "SPREAD",
    "TOTAL",
    "colors_for",
    "estimate_colors",
    "palette_color",
    "scenario_colors",
    "segment_colors",
    "shades",
]

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)
TOL_MUTED = (
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
)
PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED
"""Sixteen categorical colours; a seventeenth segment starts the cycle again."""

MODELLED = "#0072B2"
"""The model's line: Okabe-Ito blue, legible on white and on Streamlit's dark background."""

REPORTED = "#1A1A1A"
"""The source's figures: a near-black fill, so they read as "fact" rather than model."""

REPORTED_RIM = "#FFFFFF"
"""The rim around reported markers: invisible on a light page, their outline on a dark one."""

ACTUAL = "#009E73"
"""Actual figures published after the base year: Okabe-Ito bluish green, a hue neither the
model's blue nor the reported near-black nor the report's vermillion uses, on its own
marker shape (a triangle), so an actual reads as neither a reported nor a modelled point."""

ACTUAL_RIM = "#FFFFFF"
"""The rim around actual markers, as around reported ones: their outline on a dark page."""

REFERENCE = "#D55E00"
"""The report's own trajectory, dashed: vermillion stays apart from blue for every viewer."""

NEUTRAL = "#8C8C8C"
"""Mid grey for guides (the market CAGR line, totals): equal contrast on light and dark."""

BAND_OUTER = "rgba(86, 180, 233, 0.25)"
"""Fan chart p5-p95: Okabe-Ito sky blue, translucent, so the page colour shows through;
lighter than the model's blue so the band stays visible on the dark theme too."""

BAND_INNER = "rgba(86, 180, 233, 0.5)"
"""Fan chart p10-p90: the same sky blue, denser, so the bands nest visibly."""

SPREAD = "rgba(140, 140, 140, 0.25)"
"""The low-high band across published estimates: translucent neutral grey, so the sources'
own colours and the model's blue stay the figures that stand out, on light and dark pages."""

INCREASE = "#0072B2"
"""A step that raises the value (waterfall): blue and orange, not red and green."""

DECREASE = "#E69F00"
"""A step that lowers the value (waterfall)."""

TOTAL = NEUTRAL
"""A level, not a change (waterfall start and end)."""

LOW_INPUT = "#E69F00"
"""Tornado: the value when an assumption is at its low end."""

HIGH_INPUT = "#0072B2"
"""Tornado: the value when an assumption is at its high end."""

GRID_CURRENT = REFERENCE
"""Two-way grid: the outline of the current assumptions' cell, vermillion on any viridis cell."""

GRID_BOUNDARY = "#1A1A1A"
GRID_BOUNDARY_HALO = "#FFFFFF"
"""Two-way grid: the boundary of the cells that reach the target, a dark line on a wider
white one, so it reads on every viridis colour, the darkest purple and the lightest yellow."""

SEQUENTIAL: tuple[tuple[float, str], ...] = (
    (0.0, "#482878"),
    (0.125, "#3E4989"),
    (0.25, "#31688E"),
    (0.375, "#26828E"),
    (0.5, "#1F9E89"),
    (0.625, "#35B779"),
    (0.75, "#6ECE58"),
    (0.875, "#B5DE2B"),
    (1.0, "#E3E418"),
)
"""Map and heatmap scale, low to high: viridis (even in lightness, readable with any colour
vision) without its two ends, so no value is drawn in the colour of a white page or of
Streamlit's near-black one."""


def palette_color(position: int) -> str:
    """The categorical colour of the segment at ``position`` (0-based) in its dimension."""
    return PALETTE[position % len(PALETTE)]


def shades(parent: str, count: int) -> tuple[str, ...]:
    """``count`` distinct variants of ``parent``, darker to lighter, for its sub-segments.

    Amounts are spread evenly from a shade to a tint, skipping the one nearest the parent
    itself, so no child is mistaken for its parent in a sunburst.
    """
    if count == 1:
        return (_mix(parent, 0.3),)
    low, high = -0.45, 0.6
    amounts = [low + (high - low) * i / count for i in range(count + 1)]
    amounts.remove(min(amounts, key=abs))
    return tuple(_mix(parent, amount) for amount in amounts)


def segment_colors(a: Assumptions) -> dict[str, dict[str, str]]:
    """Dimension id -> segment display name -> hex colour, for every segment and sub-segment.

    Names are display names, as in the forecast frames' columns. Should a sub-segment
    share its name with another segment of the dimension, the first one keeps the name.
    """
    result: dict[str, dict[str, str]] = {}
    for dimension in a.dimensions:
        colors: dict[str, str] = {}
        for position, segment in enumerate(dimension.segments):
            colors.setdefault(segment.name, palette_color(position))
        for segment in dimension.segments:
            _add_children(segment, colors[segment.name], colors)
        result[dimension.id] = colors
    return result


def scenario_colors(names: Iterable[str]) -> dict[str, str]:
    """A colour for each scenario in the order given, so compared scenarios match across charts."""
    return {name: palette_color(i) for i, name in enumerate(names)}


def estimate_colors(ids: Iterable[str]) -> dict[str, str]:
    """A colour for each published estimate, in file order, skipping the model's blue so a
    source's path is never mistaken for the model's line."""
    others = [c for c in PALETTE if c != MODELLED]
    return {estimate: others[i % len(others)] for i, estimate in enumerate(ids)}


def colors_for(
    colors: Mapping[str, Mapping[str, str]] | Mapping[str, str], dimension_id: str
) -> Mapping[str, str]:
    """One dimension's segment colours from either the whole :func:`segment_colors` result or
    that dimension's own mapping, so callers may pass whichever they hold."""
    inner = colors.get(dimension_id)
    if isinstance(inner, Mapping):
        return inner
    return {k: v for k, v in colors.items() if isinstance(v, str)}


def _add_children(segment: Segment, color: str, colors: dict[str, str]) -> None:
    if not segment.segments:
        return
    for child, shade in zip(segment.segments, shades(color, len(segment.segments)), strict=True):
        colors.setdefault(child.name, shade)
        _add_children(child, colors[child.name], colors)


def _mix(color: str, amount: float) -> str:
    """``color`` mixed with white (``amount`` > 0) or black (``amount`` < 0), as hex."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    target = 255 if amount > 0 else 0
    mixed = [round(c + (target - c) * abs(amount)) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


COMMENT = "#E7298A"
"""A viewer's open comment on a chart point: a magenta star no segment's palette colour is."""
