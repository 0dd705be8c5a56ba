"""A query string as the dashboard reads it: the same codec, the same files, the same scenarios.

:func:`read` decodes a request's query parameters with :func:`market.query.decode`, given
the assumptions files of :func:`market.catalog.scan` and the saved scenarios of the store
(:mod:`store`, the dashboard's database), exactly as a share link opened in the dashboard is
decoded (``dashboard/state.py``). Unlike a page, which applies what it can and warns about
the rest, the API refuses a query with any problem: :class:`Refused` lists each one.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

import store
from market.assumptions import Assumptions
from market.catalog import Catalog, scan
from market.comments import Comment
from market.comparison import BASE_KEY, CURRENT_KEY, resolve_chosen
from market.model import Forecast, forecast
from market.opportunity import Opportunity, fitted
from market.parameters import apply_actuals, apply_overrides
from market.paths import assumptions_dir, default_assumptions, scenarios_dir
from market.query import Decoded, QueryProblem, decode
from market.risk import path_choices
from market.scenarios import Scenario
from market.view_controls import COMPARED, PATHS, TORNADO_TARGET
from report.request import ExportRequest

__all__ = ["Refused", "SavedScenarios", "View", "catalog", "read", "scenario_store"]


class Refused(Exception):
    """A query that cannot be answered as asked: each problem names its key."""

    def __init__(self, problems: Sequence[QueryProblem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = tuple(problems)


def catalog() -> Catalog:
    """The assumptions files the dashboard offers (``MARKET_ASSUMPTIONS_DIR``)."""
    return scan(assumptions_dir())


class SavedScenarios:
    """The saved scenarios the dashboard shows, read from the store: each call one session.
    StoreUnavailableError (a ScenarioError) when the database cannot be used."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(self) -> store.Listing:
        with store.session(self._engine) as session:
            return store.listing(session)

    def load(self, name: str) -> Scenario:
        with store.session(self._engine) as session:
            return store.load(session, name).scenario

    def comments(self, file: str) -> tuple[Comment, ...]:
        """The open comments a download of ``file`` lists (a link loads no scenario)."""
        with store.session(self._engine) as session:
            return store.comments.for_export(session, file, None)


_ENGINES: dict[tuple[str, str], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def scenario_store() -> SavedScenarios:
    """The store of ``MARKET_DATABASE_URL`` (else the SQLite file in ``MARKET_SCENARIOS_DIR``),
    opened once per database for this process, as the dashboard opens it."""
    url = store.database_url()
    key = (url.render_as_string(hide_password=False), str(scenarios_dir()))
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = store.open_store(url, scenarios_dir())
        return SavedScenarios(_ENGINES[key])


@dataclass(frozen=True)
class View:
    """What one query asks for: the file (by name), its own assumptions (``base``), the
    assumptions with the query's overrides (``current``) and the decoded query."""

    file: str
    base: Assumptions
    current: Assumptions
    decoded: Decoded

    @property
    def forecast(self) -> Forecast:
        return _forecast(self.current)

    @property
    def opportunity(self) -> Opportunity | None:
        """The query's Opportunity choices fitted to the file, or None if it makes none."""
        chosen = self.decoded.opportunity
        return None if chosen is None else fitted(self.current, chosen)

    def control(self, name: str, default: object = None) -> object:
        """A view control's value (:data:`market.view_controls.VIEW_CONTROLS`), or ``default``."""
        return self.decoded.view.get(name, default)

    @property
    def paths(self) -> int:
        """The Risk page's path count: the query's ``v.paths``, else what the page first shows."""
        chosen = self.control(PATHS.name)
        if isinstance(chosen, int):
            return chosen
        return int(PATHS.default(self.current, path_choices(self.current)))

    def export_request(
        self, dimension: str | None, files: Mapping[str, Assumptions]
    ) -> ExportRequest:
        """What the dashboard's Download menu renders for a session opened from this query
        (``dashboard/components.py``): the compared scenarios resolved the same way."""
        request = ExportRequest(
            self.current,
            self.base,
            self.forecast,
            dimension,
            file_label=self.file,
            scenario=None,  # a link names no loaded scenario; the page's export names none either
            opportunity=self.opportunity,
            paths=_int(self.control(PATHS.name), ExportRequest.paths),
            risk_target=str(self.control(TORNADO_TARGET.name) or ExportRequest.risk_target),
            comments=_open_comments(self.file),
        )
        compared = self.control(COMPARED.name) or ()
        if not compared:
            return request
        chosen, _ = resolve_chosen(
            list(compared),  # type: ignore[call-overload]
            self.current,
            scenario_store().list(),
            files,
            base=self.base,
        )
        return dataclasses.replace(request, compared=chosen)


def _open_comments(file: str) -> tuple[Comment, ...]:
    """The comments the dashboard's downloads of ``file`` list; none while the store cannot
    be read (the export is still made, as ``market export`` makes it then). Like that
    command, it creates no database where there is none."""
    if not store.database.configured():
        return ()
    try:
        return scenario_store().comments(file)
    except store.StoreUnavailableError:
        return ()


def read(
    params: Mapping[str, str | list[str]],
    found: Catalog,
    *,
    ignored: Sequence[str] = (),
) -> View:
    """The view a query asks for; :class:`Refused` with every problem if any part of it
    cannot be used (the page would apply the rest and warn; a script gets an error)."""
    default = default_assumptions().name
    decoded = decode(
        params,
        list(found.valid),
        found.valid.__getitem__,
        default_file=default,
        scenarios=lambda: scenario_store().list().names,
        current=CURRENT_KEY,
        file_own=BASE_KEY,
        ignored=ignored,
    )
    if decoded.problems:
        raise Refused(decoded.problems)
    if decoded.file is None:
        why = f"the default file {default} is not among the usable assumptions files"
        raise Refused([QueryProblem("file", why)])
    base = found.valid[decoded.file]
    current = _applied(
        base,
        tuple(sorted(decoded.overrides.items())),
        tuple(sorted(decoded.actuals.items())),
    )
    return View(decoded.file, base, current, decoded)


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


@functools.lru_cache(maxsize=256)
def _applied(
    base: Assumptions,
    overrides: tuple[tuple[str, float], ...],
    actuals: tuple[tuple[int, float], ...] = (),
) -> Assumptions:
    """``base`` with ``overrides`` and the link's actual figures, kept for the last views
    asked about (frozen: shared)."""
    if not overrides and not actuals:
        return base
    return apply_actuals(apply_overrides(base, dict(overrides)), dict(actuals))


@functools.lru_cache(maxsize=256)
def _forecast(a: Assumptions) -> Forecast:
    """The model's forecast, kept for the last assumptions asked about (the model is pure)."""
    return forecast(a)
