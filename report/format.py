"""Numbers formatted for people: ``USD 1,651.2M``, ``20.1%``, ``+1.5 pp``.

The market's unit comes from its assumptions file ("USD million", "EUR billion", "units"),
so the formatting reads it rather than assuming dollars.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from market.summary import Headline

__all__ = [
    "HeadlineText",
    "assumption_value",
    "chart_text",
    "headline_text",
    "money",
    "money_axis_title",
    "pct",
    "plain",
    "points",
    "pp",
    "signed_pct",
]

_SCALE_SUFFIX = {"thousand": "K", "million": "M", "billion": "B", "trillion": "T"}


def _split_unit(unit: str) -> tuple[str, str]:
    """``"USD million"`` -> ``("USD", "M")``; units without a scale word keep their name."""
    words = unit.split()
    if words and words[-1].lower() in _SCALE_SUFFIX:
        return " ".join(words[:-1]), _SCALE_SUFFIX[words[-1].lower()]
    return unit, ""


def money(value: float, unit: str, decimals: int = 1) -> str:
    """``money(1651.2, "USD million")`` -> ``"USD 1,651.2M"``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    prefix, suffix = _split_unit(unit)
    number = f"{value:,.{decimals}f}{suffix}"
    if not suffix and prefix:
        return f"{number} {prefix}"
    return f"{prefix} {number}".strip()


def assumption_value(value: float, unit: str, market_unit: str, choices: Sequence[str] = ()) -> str:
    """An assumption in its own unit: money, %, percentage points or a bare weight; a
    choice (``choices``, of which ``value`` is the position) by its name."""
    if choices:
        return str(choices[int(value)])
    if unit == market_unit:
        return money(value, unit)
    if unit == "%":
        return pct(value, 2)
    if unit == "pp":
        return f"{value + 0.0:,.4g} pp"
    return f"{value:,.4g}"


def money_axis_title(unit: str) -> str:
    """An axis title naming the unit, e.g. ``"Market size (USD million)"``."""
    return f"Market size ({unit})"


def pct(value: float, decimals: int = 1) -> str:
    """A percentage given in percent: ``pct(20.12)`` -> ``"20.1%"``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:,.{decimals}f}%"


def signed_pct(value: float, decimals: int = 1) -> str:
    """``signed_pct(-3.25)`` -> ``"-3.2%"``, ``signed_pct(4)`` -> ``"+4.0%"``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:+,.{decimals}f}%"


def points(value: float) -> str:
    """A move in percentage points, in words: ``points(2)`` -> ``"2 points"``, ``points(1)``
    -> ``"1 point"``."""
    return f"{value:g} point" + ("" if value == 1 else "s")


def pp(value: float, decimals: int = 1) -> str:
    """Percentage points, signed: ``pp(1.5)`` -> ``"+1.5 pp"``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:+.{decimals}f} pp"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")


_DIRECTIVE = re.compile(r":(?=[A-Za-z])")
_CHART_SPECIAL = {"<": "&lt;", ">": "&gt;"}


def plain(text: str) -> str:
    """Text from a file, an upload or another viewer, made safe to show inside Markdown:
    no links, images, styling, HTML, ``:material/...:`` icons or ``:red[...]`` spans.

    Markdown characters are backslash-escaped; a colon before a letter gets a zero-width
    space after it, so Streamlit's icon and colour directives never start.
    """
    return _DIRECTIVE.sub(":\u200b", _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)))


def chart_text(text: str) -> str:
    """The same text made safe for a Plotly title, label or hover: Plotly reads a few HTML
    tags (``<b>``, ``<a href>``), so ``<`` and ``>`` become entities (a plain ``&`` shows
    as it is, so "Middle East & Africa" stays that name)."""
    return "".join(_CHART_SPECIAL.get(c, c) for c in str(text))


@dataclass(frozen=True)
class HeadlineText:
    """A headline figure as people read it: the value at the source's precision, where it
    comes from (``reported`` or ``modelled``), and a note on how it compares with the
    source; ``change`` is the signed difference when it differs, else empty."""

    value: str
    origin: str
    note: str
    change: str = ""


def headline_text(h: Headline, unit: str) -> HeadlineText:
    """The words every headline card uses, in the app and in the brief."""

    def shown(value: float) -> str:
        return money(value, unit, h.decimals) if h.kind == "value" else pct(value, h.decimals)

    value = shown(h.value)
    if not h.modelled:
        return HeadlineText(value, "reported", "the source's figure")
    if h.reported is None or h.change is None:
        return HeadlineText(value, "modelled", "the source reports no figure")
    if h.matches:
        return HeadlineText(value, "modelled", "matches the report")
    if h.kind == "rate":
        change = pp(h.change, h.decimals)
    else:  # enough decimals that a difference never reads "+0.0%"
        change = signed_pct(h.change, next((d for d in (1, 2, 3) if round(h.change, d)), 4))
    return HeadlineText(value, "modelled", f"vs the report's {shown(h.reported)}", change)
