"""Share links: the query codec (:mod:`market.query`) as the dashboard uses it.

A link's grammar (the file, the overrides, the page, the Opportunity's ``o.`` keys and the
view controls' ``v.`` keys of :data:`market.view_controls.VIEW_CONTROLS`) is the model's
query codec, so any other front end reads the same links. What is the dashboard's own is
here: the query parameters Streamlit uses itself, and Streamlit's limits on a link's size.
:mod:`dashboard.state` reads and writes ``st.query_params`` with these functions, and the
page shows the problems (:attr:`market.query.Decoded.warnings`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from market import Assumptions, query
from market.query import (
    ACTUALS_KEY,
    BASE_IN_LINK,
    CURRENT_IN_LINK,
    FILE_KEY,
    MAX_FILE_NAME_LENGTH,
    MAX_VALUE_LENGTH,
    OPPORTUNITY_KEYS,
    PAGE_KEY,
    VIEW_KEYS,
    Decoded,
    encode,
    encode_opportunity,
    encode_view,
    format_number,
    key_for_path,
    path_for_key,
)

__all__ = [
    "ACTUALS_KEY",
    "BASE_IN_LINK",
    "CURRENT_IN_LINK",
    "FILE_KEY",
    "IGNORED_KEYS",
    "MAX_FILE_NAME_LENGTH",
    "MAX_LINK_CHARACTERS",
    "MAX_LINK_PARAMETERS",
    "MAX_VALUE_LENGTH",
    "OPPORTUNITY_KEYS",
    "PAGE_KEY",
    "VIEW_KEYS",
    "Decoded",
    "decode",
    "encode",
    "encode_opportunity",
    "encode_view",
    "format_number",
    "key_for_path",
    "path_for_key",
    "too_long",
]

IGNORED_KEYS = query.VIEWER_KEYS
"""Query parameters Streamlit itself uses: passed over in silence."""
MAX_LINK_PARAMETERS = 1_000
MAX_LINK_CHARACTERS = 512 * 1024
"""The most parameters and characters a link's query string may hold. Streamlit 1.67 drops a
longer one whole before any script sees it (``sanitize_query_string``); the page says so
(:func:`too_long`)."""


def decode(
    params: Mapping[str, str | list[str]],
    catalog_files: Collection[str],
    base_for: Callable[[str], Assumptions],
    **options: Any,
) -> Decoded:
    """:func:`market.query.decode` for a link opened in the dashboard: Streamlit's own
    parameters (:data:`IGNORED_KEYS`) are passed over in silence."""
    return query.decode(params, catalog_files, base_for, ignored=IGNORED_KEYS, **options)


def too_long(parameters: int, characters: int) -> str | None:
    """The warning for a query string of ``parameters`` parts (``&``-separated, counted as
    Streamlit counts them) and ``characters`` characters, or None if a link may hold it."""
    if characters > MAX_LINK_CHARACTERS:
        size = f"is {characters:,} characters long, more than the {MAX_LINK_CHARACTERS:,}"
    elif parameters > MAX_LINK_PARAMETERS:
        size = f"holds {parameters:,} parameters, more than the {MAX_LINK_PARAMETERS:,}"
    else:
        return None
    return f"the whole link: it {size} a link may carry, so nothing in it was applied"
