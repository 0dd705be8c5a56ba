"""Numbers formatted for people: ``USD 1,651.2M``, ``20.1%``, ``+1.5 pp``.

The market's unit comes from its assumptions file ("USD million", "EUR billion", "units"),
so the formatting reads it rather than assuming dollars.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from market.model import written_decimals
from market.summary import Headline

__all__ = [
    "HeadlineText",
    "assumption_value",
    "chart_text",
    "distinct_labels",
    "headline_text",
    "money",
    "money_axis_title",
    "office_money",
    "office_pct",
    "pct",
    "plain",
    "points",
    "pp",
    "rate",
    "signed_pct",
    "times",
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
        return rate(value)
    if unit == "pp":
        return f"{value + 0.0:,.4g} pp"
    return f"{value:,.4g}"


def office_money(unit: str, decimals: int = 0, *, signed: bool = False) -> str:
    """The Office (Excel, PowerPoint) number format that shows a value as :func:`money`
    does: ``office_money("USD million")`` -> ``'"USD "#,##0"M"'`` (``USD 1,800M``);
    ``signed`` writes a sign on both sides (``+USD 120M``, ``-USD 40M``)."""
    prefix, suffix = _split_unit(unit)
    digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if not suffix and prefix:
        shown = f'{digits}"{_office_literal(" " + prefix)}"'
    else:
        before = f'"{_office_literal(prefix + " ")}"' if prefix else ""
        after = f'"{_office_literal(suffix)}"' if suffix else ""
        shown = f"{before}{digits}{after}"
    return f"+{shown};-{shown};{shown}" if signed else shown


def _office_literal(text: str) -> str:
    """Text inside a number format's quotes: no quote or control character can end it."""
    return "".join(c for c in text if c != '"' and c.isprintable())


def office_pct(decimals: int = 1) -> str:
    """The Office number format of a fraction shown in %: ``office_pct(1)`` -> ``0.0%``."""
    return "0" + ("." + "0" * decimals if decimals > 0 else "") + "%"


def rate(value: float, most: int = 2) -> str:
    """A rate as written, without spurious decimals: ``rate(20.12)`` -> ``"20.12%"``,
    ``rate(24.5)`` -> ``"24.5%"``, ``rate(25)`` -> ``"25.0%"``; at most ``most`` decimals.
    For an assumed rate, which has no source's precision to follow."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return pct(value, max(1, written_decimals(value, most)))


def times(multiple: float) -> str:
    """How many times larger: ``times(3.608)`` -> ``"3.6×"``."""
    if multiple is None or not math.isfinite(multiple):
        return "n/a"
    return f"{multiple:,.1f}×"


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
_AUTOLINK = re.compile(r"@|:(?=//)|(?i:w(?=ww))")
_CHART_SPECIAL = {"<": "&lt;", ">": "&gt;"}


def plain(text: str) -> str:
    """Text from a file, an upload or another viewer, made safe to show inside Markdown:
    no links, images, styling, HTML, ``:material/...:`` icons or ``:red[...]`` spans.

    Markdown characters are backslash-escaped; a colon before a letter gets a zero-width
    space after it, so Streamlit's icon and colour directives never start; so do ``@``,
    ``://`` and ``www``, so an e-mail address or a web address (an author, a rationale) is
    never made a link.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return _AUTOLINK.sub("\\g<0>\u200b", _DIRECTIVE.sub(":\u200b", escaped))


def chart_text(text: str) -> str:
    """The same text made safe for a Plotly title, label or hover: Plotly reads a few HTML
    tags (``<b>``, ``<a href>``), so ``<`` and ``>`` become entities (a plain ``&`` shows
    as it is, so "Middle East & Africa" stays that name)."""
    return "".join(_CHART_SPECIAL.get(c, c) for c in str(text))


def distinct_labels(labels: Sequence[str]) -> list[str]:
    """``labels`` in order, each repeat renamed ``"<label> (2)"``, ``(3)``... to a name no
    other label has: the one rule for chart categories (a chart merges equal ones) and
    exported columns (a file would give two segments one key)."""
    taken, result = set(labels), []
    for label in labels:
        name, n = label, 1
        while name in result:
            n += 1
            while (name := f"{label} ({n})") in taken:
                n += 1
        result.append(name)
    return result


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
    """The words every headline card uses, in the app and in the brief; each names who
    states the figure it is set against (``h.source``)."""

    def shown(value: float) -> str:
        return money(value, unit, h.decimals) if h.kind == "value" else pct(value, h.decimals)

    value = shown(h.value)
    if not h.modelled:
        return HeadlineText(value, "reported", f"stated by {h.source}")
    if h.reported is None or h.change is None:
        note = "this year's estimate" if h.this_year else f"{h.source} states no figure"
        return HeadlineText(value, "modelled", note)
    if h.matches:
        return HeadlineText(value, "modelled", f"matches {h.source}")
    if h.kind == "rate":
        change = pp(h.change, h.decimals)
    else:  # enough decimals that a difference never reads "+0.0%"
        change = signed_pct(h.change, next((d for d in (1, 2, 3) if round(h.change, d)), 4))
    return HeadlineText(value, "modelled", f"vs {shown(h.reported)} from {h.source}", change)
