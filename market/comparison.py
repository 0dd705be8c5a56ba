"""Which scenarios are compared, resolved to assumptions: for the Scenarios page, the deck
and the HTTP API.

The Scenarios page draws the comparison; the deck carries it to a board; the API's deck
is the same file. All three resolve the same names the same way, here, so a scenario that
no longer fits its file is left out of each with the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from market.assumptions import Assumptions
from market.parameters import OverrideError, apply_actuals, apply_overrides
from market.scenarios import Scenario, ScenarioError, resolve

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

BASE = "Base case"
"""How the comparison names the assumptions file's own values, without any change."""
BASE_KEY = ":base"
"""The comparison's option for the file's own values (no saved name holds ':')."""
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


class Stored(Protocol):
    """A saved scenario as a listing holds it (the store's :class:`store.Saved`, or a
    scenarios folder's :class:`market.scenarios.StoredScenario`)."""

    @property
    def scenario(self) -> Scenario: ...


class ScenarioList(Protocol):
    """What the comparison reads of a listing of saved scenarios: each, sorted by name."""

    @property
    def scenarios(self) -> Sequence[Stored]: ...


def _applied(
    base: Assumptions,
    overrides: tuple[tuple[str, float], ...],
    actuals: tuple[tuple[int, float], ...] = (),
) -> Assumptions:
    return apply_actuals(apply_overrides(base, dict(overrides)), dict(actuals))


_BUILT_IN = {BASE_KEY: BASE, CURRENT_KEY: CURRENT}
_COMPARED_BY_DEFAULT = 3


def label(key: str) -> str:
    """What a comparison option is called in the picker, charts, tables and the deck: a saved
    scenario by its name, except that one named like a built-in entry says it is saved."""
    if key in _BUILT_IN:
        return _BUILT_IN[key]
    named = {name.casefold() for name in _BUILT_IN.values()}
    return f"{key} (saved)" if key.casefold() in named else key


def default_compared(
    listing: ScenarioList, file: str, *, changed: bool, loaded: str | None
) -> list[str]:
    """What the comparison shows until the viewer chooses: the file's own assumptions (the
    base case) first, so the bridge starts from them; the current assumptions when they
    differ from the file (``changed``); then saved scenarios of the same ``file`` that
    change something, other than the one ``loaded`` (the current assumptions already are
    it), by name, up to three entries in all."""
    chosen = [BASE_KEY, *([CURRENT_KEY] if changed else [])]
    for stored in listing.scenarios:  # sorted by name
        scenario = stored.scenario
        if len(chosen) >= _COMPARED_BY_DEFAULT:
            break
        if scenario.base_file == file and scenario.overrides and scenario.name != loaded:
            chosen.append(scenario.name)
    return chosen


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
    listing: ScenarioList,
    files: Mapping[str, Assumptions],
    apply: Apply = _applied,
    *,
    base: Assumptions,
) -> tuple[dict[str, Assumptions], list[str]]:
    """The chosen scenarios' assumptions by :func:`label`, in the order chosen
    (:data:`CURRENT_KEY` is the view's own, :data:`BASE_KEY` its file's, ``base``), and one
    message for each that cannot be resolved or is no longer saved."""
    by_name = {s.scenario.name: s.scenario for s in listing.scenarios}
    found: dict[str, Assumptions] = {}
    problems: list[str] = []
    for name in names:
        if name == CURRENT_KEY:
            found[label(name)] = current
        elif name == BASE_KEY:
            found[label(name)] = base
        elif name not in by_name:
            problems.append(f"The scenario “{name}” is no longer saved.")
        else:
            try:
                found[label(name)] = resolved(by_name[name], files, apply)
            except ScenarioError as err:
                problems.append(str(err))
    return found, problems
