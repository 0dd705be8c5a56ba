"""What a command reads: the assumptions file, a saved scenario (from the store, the
dashboard's database), ``--calibrate`` and ``--set``.

Every problem is a :class:`~cli.errors.CommandError` whose lines say where it is: the file
and its line for a bad file, the option and its value for a bad option.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

import store
from cli.errors import CommandError
from cli.streams import warn
from market import estimates
from market.assumptions import Assumptions, slugify
from market.comments import Comment
from market.io import AssumptionsError, Problem, load_assumptions
from market.model import Forecast, forecast
from market.parameter_table import (
    BASE_VALUE_PATH,
    CAGR_PATH,
    PARAMETER_TABLE,
    REBASE_PATH,
    spec_for_path,
)
from market.parameters import OverrideError, apply_actuals, apply_overrides
from market.paths import assumptions_dir, default_assumptions
from market.scenarios import Scenario, ScenarioError

__all__ = [
    "actuals",
    "calibrated",
    "calibration",
    "dimension",
    "finite_forecast",
    "load",
    "load_with_file",
    "opened_store",
    "overrides",
    "read",
    "scenario",
    "source",
]


_REBASE = next(spec for spec in PARAMETER_TABLE if spec.path == REBASE_PATH)


def source(args: argparse.Namespace) -> Path:
    """The file ``--assumptions`` names, or the default market's."""
    path: Path | None = args.assumptions
    return path or default_assumptions()


def load(args: argparse.Namespace, calibration: estimates.Calibration | None = None) -> Assumptions:
    """The assumptions named on the command line: the file (or ``--scenario``'s base file
    and overrides), with ``--calibrate`` and every ``--set`` applied."""
    return load_with_file(args, calibration, scenario(args))[1]


def load_with_file(
    args: argparse.Namespace,
    calibration: estimates.Calibration | None = None,
    scenario: Scenario | None = None,
) -> tuple[Assumptions, Assumptions]:
    """The file's own assumptions, and the same with a scenario's overrides, a calibration
    (``--calibrate`` unless one is given) and every ``--set`` applied, each over the last."""
    if scenario is not None:
        file = read(assumptions_dir() / scenario.base_file)
    else:
        file = read(source(args))
    if calibration is None and getattr(args, "calibrate", None) is not None:
        calibration = calibrated(file, args.calibrate)
    changes, problems = overrides(getattr(args, "set", []))
    rebase = getattr(args, "rebase", None)
    if rebase is not None:  # --rebase X is --set growth.rebase=X
        changes[REBASE_PATH] = _REBASE.read(rebase)
    typed, wrong = actuals(getattr(args, "actual", None) or [])
    problems += wrong
    if calibration is not None:
        changes = {**calibration.overrides, **changes}
    if scenario is not None:
        changes = {**scenario.overrides, **changes}
        typed = {**scenario.actuals, **typed}
    a = file
    try:
        a = apply_overrides(file, changes)
    except OverrideError as err:
        problems += [f"--set: {path}: {why}" for path, why in err.problems.items()]
    if not problems and typed:
        try:
            a = apply_actuals(a, typed)
        except OverrideError as err:
            problems += [f"--actual: {where}: {why}" for where, why in err.problems.items()]
    if problems:
        raise CommandError(problems)
    return file, a


def read(path: Path) -> Assumptions:
    """An assumptions file, or a CommandError with one located line per problem."""
    try:
        return load_assumptions(path)
    except AssumptionsError as err:
        raise CommandError(_located(err.source, p) for p in err.problems) from None


def _located(source: str, problem: Problem) -> str:
    """``file.yaml (line 3, column 5): ...``: the file's name stands in for "file"."""
    text = str(problem)
    if problem.location == "file":
        text = text.removeprefix("file").removeprefix(":")
        return f"{source}{text}" if text.startswith(" (") else f"{source}:{text}"
    return f"{source}: {text}"


def overrides(items: Iterable[str]) -> tuple[dict[str, float], list[str]]:
    """``PATH=VALUE`` items as a mapping, and a line for each item that is not one."""
    found: dict[str, float] = {}
    problems: list[str] = []
    for item in items:
        path, equals, text = item.partition("=")
        if not equals or not path.strip():
            problems.append(f"--set {item}: expected PATH=VALUE, for example {CAGR_PATH}=25")
            continue
        spec = spec_for_path(path.strip())
        try:
            found[path.strip()] = float(text) if spec is None else spec.read(text)
        except ValueError:
            wanted = " | ".join(spec.choices) if spec is not None and spec.choices else ""
            what = f"not one of {wanted}" if wanted else "not a number"
            problems.append(f"--set {item}: {text.strip()!r} is {what}")
    return found, problems


def actuals(items: Iterable[str]) -> tuple[dict[int, float], list[str]]:
    """``YEAR=VALUE`` items (``--actual``) as a mapping, and a line for each that is not one."""
    found: dict[int, float] = {}
    problems: list[str] = []
    for item in items:
        year, equals, text = item.partition("=")
        try:
            if not equals:
                raise ValueError
            found[int(year.strip())] = float(text)
        except ValueError:
            problems.append(f"--actual {item}: expected YEAR=VALUE, for example 2025=535.64")
    return found, problems


def scenario(args: argparse.Namespace) -> Scenario | None:
    """The saved scenario ``--scenario`` names, if any (with ``--assumptions``, refused:
    a scenario names its own file)."""
    name = getattr(args, "scenario", None)
    if name is None:
        return None
    if args.assumptions is not None:
        raise CommandError(["--scenario: a scenario names its own file; leave --assumptions out"])
    with opened_store(f"--scenario {name}") as session:
        return store.load(session, name).scenario


def export_comments(file: str, scenario: str | None) -> tuple[Comment, ...]:
    """The open comments an export of ``file`` (with ``scenario``) lists, as the dashboard's
    downloads do (:func:`store.comments.for_export`); none without a store. A store that
    cannot be read now leaves them out, said in one line on stderr."""
    if not store.database.configured():
        return ()
    try:
        engine = store.open_store()
        try:
            with store.session(engine) as session:
                return store.comments.for_export(session, file, scenario)
        finally:
            engine.dispose()
    except store.StoreUnavailableError as err:
        warn(f"export: warning: comments are left out; the store is unavailable: {err}")
        return ()


@contextmanager
def opened_store(where: str) -> Iterator[Session]:
    """A session on the store the dashboard uses (``MARKET_DATABASE_URL``, else ``market.db``
    in the scenarios folder), opened as the dashboard opens it: schema upgraded, a new
    database's first opening importing the folder. Every store problem is one line that
    starts with ``where``."""
    try:
        engine = store.open_store()
    except store.StoreUnavailableError as err:
        raise CommandError([f"{where}: the scenario store is unavailable: {err}"]) from None
    try:
        with store.session(engine) as session:
            yield session
    except store.StoreUnavailableError as err:
        raise CommandError([f"{where}: the scenario store is unavailable: {err}"]) from None
    except ScenarioError as err:
        raise CommandError([f"{where}: {err}"]) from None
    finally:
        engine.dispose()


def calibration(
    args: argparse.Namespace, file: Assumptions | None = None
) -> estimates.Calibration | None:
    """What ``--calibrate`` asks of ``file`` (by default the file named on the command
    line), before ``--set``."""
    if args.calibrate is None:
        return None
    return calibrated(file if file is not None else read(source(args)), args.calibrate)


def calibrated(a: Assumptions, target: str) -> estimates.Calibration:
    try:
        return estimates.calibration(a, target)
    except ValueError as err:
        raise CommandError([f"--calibrate {target}: {err}"]) from None


def dimension(a: Assumptions, name: str | None) -> str | None:
    """The id of the dimension a user named by id or display name, any case."""
    if name is None:
        return None
    wanted = slugify(name)
    for dim in a.dimensions:
        if wanted in (dim.id, slugify(dim.name)):
            return dim.id
    known = ", ".join(dim.id for dim in a.dimensions)
    raise CommandError([f"--by {name}: no such dimension; known: {known}"])


def finite_forecast(a: Assumptions) -> Forecast:
    """The forecast, or a CommandError if its numbers overflow what a float holds."""
    f = forecast(a)
    values = [f.totals["value"].to_numpy(), *(f.by(d.id).to_numpy().ravel() for d in a.dimensions)]
    if not all(map(math.isfinite, (v for array in values for v in array))):
        raise CommandError(
            [
                "the forecast overflows (values beyond 1.8e308): lower "
                f"{BASE_VALUE_PATH} or {CAGR_PATH}"
            ]
        )
    return f
