"""Which scenarios are compared, resolved to assumptions: for the Scenarios page, the deck
and the HTTP API.

The Scenarios page draws the comparison; the deck carries it to a board; the API's deck
is the same file. All three resolve the same names the same way, here, so a scenario that
no longer fits its file is left out of each with the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from market.assumptions import Assumptions
from market.parameters import OverrideError, apply_actuals, apply_overrides
from market.scenarios import Scenario, ScenarioError, ScenarioListing, resolve

__all__ = ["CURRENT", "CURRENT_KEY", "label", "resolve_chosen", "resolved"]

CURRENT = "Your current assumptions"
"""How the comparison names the view's own assumptions (what the sidebar shows now)."""
CURRENT_KEY = ":current"
"""The comparison's option for it: no saved scenario's name holds ':'
(:func:`market.scenarios.check_name`), so a scenario saved as "Your current assumptions"
is still an option of its own."""

Apply = Callable[
    [Assumptions, tuple[tuple[str, float], ...], tuple[tuple[int, float], ...]], Assumptions
]
"""A file's assumptions with overrides and actual figures applied (a front end may pass a
cached one)."""


def _applied(
    base: Assumptions,
    overrides: tuple[tuple[str, float], ...],
    actuals: tuple[tuple[int, float], ...] = (),
) -> Assumptions:
    return apply_actuals(apply_overrides(base, dict(overrides)), dict(actuals))


def label(key: str) -> str:
    """What a comparison option is called in the picker, charts, tables and the deck: a saved
    scenario by its name, except that one named like the built-in entry says it is saved."""
    if key == CURRENT_KEY:
        return CURRENT
    return f"{key} (saved)" if key.casefold() == CURRENT.casefold() else key


def resolved(
    scenario: Scenario, files: Mapping[str, Assumptions], apply: Apply = _applied
) -> Assumptions:
    """The scenario's assumptions: its base file with its overrides and actual figures."""
    base = files.get(scenario.base_file)
    if base is None:
        raise ScenarioError(
            f"The scenario “{scenario.name}” is based on {scenario.base_file}, "
            "which is not among the usable assumptions files."
        )
    try:
        overrides = tuple(sorted(scenario.overrides.items()))
        return apply(base, overrides, tuple(sorted(scenario.actuals.items())))
    except OverrideError:
        return resolve(scenario, base)  # raises ScenarioResolveError: what no longer fits


def resolve_chosen(
    names: Iterable[str],
    current: Assumptions,
    listing: ScenarioListing,
    files: Mapping[str, Assumptions],
    apply: Apply = _applied,
) -> tuple[dict[str, Assumptions], list[str]]:
    """The chosen scenarios' assumptions by :func:`label`, in the order chosen
    (:data:`CURRENT_KEY` is the view's own), and one message for each that cannot be
    resolved or is no longer saved."""
    by_name = {s.scenario.name: s.scenario for s in listing.scenarios}
    found: dict[str, Assumptions] = {}
    problems: list[str] = []
    for name in names:
        if name == CURRENT_KEY:
            found[label(name)] = current
        elif name not in by_name:
            problems.append(f"The scenario “{name}” is no longer saved.")
        else:
            try:
                found[label(name)] = resolved(by_name[name], files, apply)
            except ScenarioError as err:
                problems.append(str(err))
    return found, problems
