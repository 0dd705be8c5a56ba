"""Which scenarios are compared, resolved to assumptions: :mod:`market.comparison` with the
dashboard's cache of applied overrides, for the Scenarios page and the deck."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dashboard import cache
from market import Assumptions, comparison
from market.comparison import BASE, BASE_KEY, CURRENT, CURRENT_KEY, default_compared, label
from market.scenarios import Scenario
from store import Listing

__all__ = [
    "BASE",
    "BASE_KEY",
    "CURRENT",
    "CURRENT_KEY",
    "default_compared",
    "label",
    "resolve_chosen",
    "resolved",
]


def resolved(scenario: Scenario, files: Mapping[str, Assumptions]) -> Assumptions:
    """The scenario's assumptions: its base file with its overrides and actual figures."""
    return comparison.resolved(scenario, files, cache.assumptions)


def resolve_chosen(
    names: Iterable[str],
    current: Assumptions,
    listing: Listing,
    files: Mapping[str, Assumptions],
    base: Assumptions,
) -> tuple[dict[str, Assumptions], list[str]]:
    """:func:`market.comparison.resolve_chosen`, through the dashboard's cache; ``base`` is
    the file's own values (the base case)."""
    return comparison.resolve_chosen(names, current, listing, files, cache.assumptions, base=base)
