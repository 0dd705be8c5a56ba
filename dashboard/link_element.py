"""The share link's control: "Copy link", saying what the link carries, and Back that
goes to the previous page.

The address is the share link (:func:`dashboard.state.publish_link` keeps it current after
every change). This keyed Components v2 element reads it in the browser, where it always
is what would be copied: a line under the button names what it carries (the file, each
changed assumption with its value, typed actual figures, the Opportunity choices, the page
settings), rewritten
whenever the address changes, and the button copies it (the clipboard where the browser
allows it, else the older copy command, else a box to copy it from by hand).

Streamlit 1.67's browser adds a history entry for every change of the query string
(``handlePageInfoChanged`` pushes), so Back stepped through slider positions one by one.
The element makes a change of the query alone replace the current entry, so Back returns
to the previous page, whose entry holds the address it was left with.
"""

from __future__ import annotations

from dashboard import links
from dashboard.chart_element import inline_component
from market import Assumptions, parameters

__all__ = ["COMPONENT", "show"]

COMPONENT = "market_link"
_OPPORTUNITY_PREFIX = next(iter(links.OPPORTUNITY_KEYS)).partition(".")[0] + "."  # "o."

_mount = inline_component(COMPONENT, __file__)


def show(a: Assumptions, page: str, *, key: str = "share-link") -> None:
    """The "Copy link" button for ``page`` (its title) of the file ``a``."""
    _mount(
        key=key,
        data={
            "page": page,
            "fileKey": links.FILE_KEY,
            "actualsKey": links.ACTUALS_KEY,
            "parameters": {p.key: (p.label, _suffix(p.unit)) for p in parameters(a)},
            "opportunityPrefix": _OPPORTUNITY_PREFIX,
            "views": {key: _words(name) for key, name in links.VIEW_KEYS.items()},
        },
    )


def _words(name: str) -> str:
    """A view control's name as words: ``risk.paths`` -> ``risk paths``."""
    return name.replace(".", " ").replace("-", " ")


def _suffix(unit: str) -> str:
    """What follows a value in the link's description: "25%", "+1 pp", "500 USD million"."""
    if unit == "%":
        return "%"
    return "" if unit in ("", "weight") else f" {unit}"
