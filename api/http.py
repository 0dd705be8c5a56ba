"""The API's routes: GET only, under ``<prefix>/api/v1/``, served beside the dashboard.

One route takes every path under the prefix and answers in this order, so nothing is
computed for a request that will be refused:

1. the method: GET or HEAD, else 405;
2. the token, when one is required (:class:`Settings`), compared in constant time, else 401;
3. the size: a path of at most :data:`MAX_PATH_CHARACTERS` and a query string of at most
   :data:`MAX_QUERY_CHARACTERS` characters and :data:`MAX_QUERY_PARAMETERS` parameters, else 414;
4. the path: a resource of :data:`api.resources.RESOURCES` or ``export/<format>`` of
   :data:`report.formats.FORMATS`, its representation by suffix (``forecast.csv``) or by
   ``Accept``, else 404 or 406;
5. the query, decoded by the share links' codec: any problem is a 400 listing each with
   its key, in the words a page's warning uses;
6. the answer, computed in a worker thread, paced while the dashboard's sessions are
   drawing (:mod:`api.turns`: they come first, the API takes 15% of the time), at most
   :data:`HEAVY_AT_ONCE` simulations or brief/deck renderings at a time, each within the
   256 MB budget of :mod:`market.risk`,
   with an ``ETag`` (a hash of the bytes; ``If-None-Match`` gives a 304) and
   ``Cache-Control: private, no-cache``.

Every error is a JSON object ``{"error": ..., "problems": [...]}``, never a traceback; an
unexpected failure is logged in full on the server and answered with a 500 and one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api import openapi, turns
from api.resources import JSON, Asked, Representation, Resource, resource_named
from api.view import Refused, View, catalog, read
from market.query import VIEWER_KEYS, QueryProblem
from market.scenarios import ScenarioError, ScenarioFileError, ScenarioNotFoundError
from report import formats
from report.request import ExportRequest, Rendered
from report.tables import document_json
from store import StoreUnavailableError

__all__ = [
    "ENABLE_ENV",
    "HEAVY_AT_ONCE",
    "MAX_PATH_CHARACTERS",
    "MAX_QUERY_CHARACTERS",
    "MAX_QUERY_PARAMETERS",
    "TOKENS_ENV",
    "VERSION_PATH",
    "Settings",
    "enabled",
    "routes",
]

ENABLE_ENV = "MARKET_API"
"""The API is served only when this is ``1``."""
TOKENS_ENV = "MARKET_API_TOKENS"
"""Bearer tokens the API accepts, comma-separated (a secret: from the environment only)."""
VERSION_PATH = "api/v1"
MAX_QUERY_CHARACTERS = 8_192
"""nginx's default limit on a request line is 8 KiB: a longer query would not reach us."""
MAX_QUERY_PARAMETERS = 1_000
"""As many parameters as a share link may carry (Streamlit's own limit)."""
MAX_PATH_CHARACTERS = 1_024
HEAVY_AT_ONCE = 1
"""Simulations and brief or deck renderings running at once: each may take 256 MB."""
LIGHT_AT_ONCE = 1
"""Other answers computed at once: one worker thread, so scripts hammering the API take at
most one thread's share of the interpreter from the dashboard's sessions."""
CACHE_CONTROL = "private, no-cache"
"""Any client may keep an answer but must ask again (a cheap 304 with ``If-None-Match``)
before using it: the files and scenarios behind it can change at any time."""

_LOG = logging.getLogger(__name__)
_HEAVY = frozenset({"risk", "html", "pptx"})
_EXPORT = "export"
_OPENAPI = "openapi.json"


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the API is switched on (``MARKET_API=1``); it is off by default."""
    return environ.get(ENABLE_ENV, "").strip() == "1"


@dataclass(frozen=True)
class Settings:
    """How the API is served: under ``base_path`` (the server's path prefix, ``market``),
    and whether it takes requests only with one of ``tokens``.

    A token is required whenever the dashboard asks for a login (``login``: ``[auth]`` in
    ``.streamlit/secrets.toml``), whose cookie flow does not fit scripts, and whenever tokens
    are configured; login without tokens locks the API entirely.
    """

    base_path: str = ""
    tokens: tuple[str, ...] = ()
    login: bool = False

    @classmethod
    def from_environment(
        cls, base_path: str, *, login: bool, environ: Mapping[str, str] = os.environ
    ) -> Settings:
        tokens = tuple(t.strip() for t in environ.get(TOKENS_ENV, "").split(",") if t.strip())
        return cls(base_path=base_path.strip("/"), tokens=tokens, login=login)

    @property
    def root(self) -> str:
        """The API's path: ``/market/api/v1`` under a prefix, ``/api/v1`` without."""
        return "/" + "/".join(p for p in (self.base_path, VERSION_PATH) if p)

    @property
    def needs_token(self) -> bool:
        return self.login or bool(self.tokens)

    def admits(self, authorization: str | None) -> bool:
        """Whether a request with this ``Authorization`` header may be answered."""
        if not self.needs_token:
            return True
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            return False
        wanted = given.strip().encode()
        matches = [hmac.compare_digest(wanted, token.encode()) for token in self.tokens]
        return any(matches)  # every token compared: the time says nothing about which


def routes(settings: Settings, busy: Callable[[], bool] = turns.never_busy) -> list[BaseRoute]:
    """The API's routes, for ``streamlit.starlette.App(routes=...)`` or any Starlette app.

    ``busy``: whether the server's dashboard sessions are drawing; while it says so, the
    answers are paced (:mod:`api.turns`).
    """
    endpoint = _Endpoint(settings, busy)
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return [
        Route(settings.root, endpoint.handle, methods=methods),
        Route(settings.root + "/{rest:path}", endpoint.handle, methods=methods),
    ]


class _Failure(Exception):
    """An answer other than 200: its status, message and the problems behind it."""

    def __init__(
        self,
        status: int,
        message: str,
        problems: Sequence[QueryProblem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = tuple(problems)
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class _Answer:
    body: bytes
    media_type: str
    headers: Mapping[str, str]


class _Endpoint:
    """The one handler of every path under the API's root."""

    def __init__(self, settings: Settings, busy: Callable[[], bool]) -> None:
        self.settings = settings
        self.pacer = turns.Pacer(busy)
        self.heavy = anyio.CapacityLimiter(HEAVY_AT_ONCE)
        self.light = anyio.CapacityLimiter(LIGHT_AT_ONCE)
        self.document = openapi.document(settings.root, needs_token=settings.needs_token)

    async def handle(self, request: Request) -> Response:
        try:
            answer = await self._answer(request)
        except _Failure as failure:
            return _error(failure)
        except Exception:  # a bug: the details go to the server log, never to the client
            _LOG.exception("API request failed: %s", request.url.path)
            return _error(_Failure(500, "internal error; the server log has the details"))
        return _respond(request, answer)

    async def _answer(self, request: Request) -> _Answer:
        if request.method not in ("GET", "HEAD"):
            raise _Failure(405, "the API is read-only: GET only", headers={"Allow": "GET, HEAD"})
        if not self.settings.admits(request.headers.get("authorization")):
            why = "a bearer token is required (Authorization: Bearer <token>)"
            if self.settings.login and not self.settings.tokens:
                why = f"login is configured and {TOKENS_ENV} holds no token: the API is locked"
            raise _Failure(401, why, headers={"WWW-Authenticate": 'Bearer realm="market"'})
        _check_size(request)
        rest = request.url.path[len(self.settings.root) :].strip("/")
        parts = rest.split("/") if rest else []
        if not parts:
            return _json_answer(openapi.index(self.settings.root))
        if parts == [_OPENAPI]:
            return _json_answer(self.document)
        params = _params(request)
        if parts[0] == _EXPORT:
            return await self._export(parts[1:], params)
        return await self._resource(parts, params, request.headers.get("accept"))

    async def _resource(
        self, parts: list[str], params: dict[str, list[str]], accept: str | None
    ) -> _Answer:
        if len(parts) > 2:
            raise _Failure(404, "no such resource; see openapi.json")
        last, suffix = _split_suffix(parts[-1])
        path = last if len(parts) == 1 else parts[0]
        tail = None if len(parts) == 1 else last
        resource = resource_named(path, named=tail is not None) or resource_named(path, named=False)
        if resource is None or (tail is not None and not (resource.dimension or resource.named)):
            raise _Failure(404, "no such resource; see openapi.json")
        shown = _representation(resource, suffix, accept)
        if not resource.query and params:
            raise _Failure(
                400,
                "the query cannot be used",
                [QueryProblem(key, f"{resource.path} takes no settings") for key in params],
            )

        def compute() -> Rendered:
            view = _view(params) if resource.query else None
            dimension = None
            if tail is not None and resource.dimension and view is not None:
                dimension = _dimension(view, tail)
            return resource.renderers[shown](
                Asked(view, dimension, tail if resource.named else None)
            )

        limiter = self.heavy if resource.path in _HEAVY else self.light
        body = await self._computed(compute, limiter)
        return _Answer(_bytes(body), shown.media_type, {})

    async def _export(self, parts: list[str], params: dict[str, list[str]]) -> _Answer:
        if not 1 <= len(parts) <= 2:
            raise _Failure(404, "export/<format>[/<dimension>]; see openapi.json")
        try:
            kind = formats.format_named(parts[0])
        except KeyError:
            known = ", ".join(f.name for f in formats.FORMATS)
            raise _Failure(404, f"no export format of that name; known: {known}") from None
        if len(parts) == 2 and not kind.by_dimension:
            raise _Failure(404, f"{kind.label} is not split by a dimension")

        def compute() -> tuple[Rendered, str]:
            found = catalog()
            view = _view(params)
            dimension = _dimension(view, parts[1]) if len(parts) == 2 else None
            request = view.export_request(dimension, found.valid)
            return _rendered(kind, request), kind.file_name(view.current, dimension)

        limiter = self.heavy if kind.name in _HEAVY else self.light
        body, name = await self._computed(compute, limiter)
        disposition = f'attachment; filename="{name}"'
        return _Answer(_bytes(body), kind.mime, {"Content-Disposition": disposition})

    async def _computed(self, compute: Callable[[], Any], limiter: anyio.CapacityLimiter) -> Any:
        """``compute``'s result, worked out on a worker thread, paced by the processor
        time it took while the dashboard's sessions are drawing."""
        guarded = _guarded(compute)

        def timed() -> Any:
            start = time.thread_time()  # this thread's own time: not the waits for the lock
            try:
                return guarded()
            finally:
                self.pacer.spent(time.thread_time() - start)

        async with limiter:
            await self.pacer.wait()
            return await anyio.to_thread.run_sync(timed)


def _check_size(request: Request) -> None:
    query = request.scope.get("query_string", b"")
    if len(request.url.path) > MAX_PATH_CHARACTERS:
        raise _Failure(414, f"the path is longer than {MAX_PATH_CHARACTERS:,} characters")
    if len(query) > MAX_QUERY_CHARACTERS:
        raise _Failure(414, f"the query string is longer than {MAX_QUERY_CHARACTERS:,} characters")
    if query.count(b"&") + 1 > MAX_QUERY_PARAMETERS:
        raise _Failure(414, f"the query string holds more than {MAX_QUERY_PARAMETERS:,} parameters")


def _params(request: Request) -> dict[str, list[str]]:
    """The query's parameters as the codec takes them (Streamlit's own passed over)."""
    given = request.query_params
    return {key: given.getlist(key) for key in given if key not in VIEWER_KEYS}


def _view(params: Mapping[str, list[str]]) -> View:
    try:
        return read(params, catalog())
    except Refused as refused:
        raise _Failure(400, "the query cannot be used", refused.problems) from None


def _dimension(view: View, given: str) -> str:
    known = [d.id for d in view.current.dimensions]
    if given not in known:
        raise _Failure(
            404,
            f"{_quoted(given)} is not a dimension of this market; known: {', '.join(known)}",
        )
    return given


def _split_suffix(part: str) -> tuple[str, str | None]:
    stem, dot, suffix = part.rpartition(".")
    if not dot or not stem:
        return part, None
    return stem, "." + suffix


def _representation(resource: Resource, suffix: str | None, accept: str | None) -> Representation:
    offered = resource.representations
    if suffix is not None:
        chosen = next((r for r in offered if r.suffix == suffix.lower()), None)
        if chosen is None:
            names = ", ".join(r.suffix for r in offered)
            raise _Failure(404, f"{resource.path} is served as {names}, not {_quoted(suffix)}")
        return chosen
    chosen = _negotiated(offered, accept)
    if chosen is None:
        types = ", ".join(r.media_type.split(";")[0] for r in offered)
        raise _Failure(406, f"{resource.path} is served as {types}; say so in Accept")
    return chosen


def _negotiated(offered: Sequence[Representation], accept: str | None) -> Representation | None:
    """The representation ``Accept`` prefers (highest ``q``, then the resource's order)."""
    if not accept or not accept.strip():
        return offered[0]
    ranked: list[tuple[float, int, Representation]] = []
    for clause in accept.split(",")[:50]:
        media, *options = (part.strip() for part in clause.split(";"))
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        for order, r in enumerate(offered):
            kind = r.media_type.split(";")[0]
            if quality > 0 and media.lower() in (kind, kind.split("/")[0] + "/*", "*/*"):
                ranked.append((quality, -order, r))
    return max(ranked, key=lambda item: item[:2])[2] if ranked else None


def _guarded(compute: Callable[[], Any]) -> Callable[[], Any]:
    """``compute``, with the model's and the store's refusals as answers, not failures."""

    def run() -> Any:
        try:
            return compute()
        except StoreUnavailableError as err:  # the database is down: try again later
            raise _Failure(503, f"saved scenarios are unavailable: {err}") from None
        except ScenarioNotFoundError as err:
            raise _Failure(404, str(err)) from None
        except ScenarioFileError as err:
            raise _Failure(422, str(err)) from None
        except ScenarioError as err:  # a name that cannot be a scenario's
            raise _Failure(404, str(err)) from None
        except (ValueError, OverflowError, ArithmeticError) as err:
            raise _Failure(422, f"cannot be computed: {err}") from None

    return run


_EXPORTS: dict[tuple[Any, ...], Rendered] = {}
_MAX_EXPORTS = 8


def _rendered(kind: formats.ExportFormat, request: ExportRequest) -> Rendered:
    """The file the Download menu gives for this request, kept for the last few asked for
    (the same view and day: the same bytes, :mod:`report.reproducible`)."""
    key = (
        kind.name,
        request.current,
        request.base,
        request.dimension,
        request.file_label,
        request.opportunity,
        request.paths,
        request.risk_target,
        tuple(request.compared.items()),
        request.comments,
        dt.date.today(),
    )
    cached = _EXPORTS.get(key)
    if cached is None:
        cached = kind.render(request)
        if len(_EXPORTS) >= _MAX_EXPORTS:
            _EXPORTS.pop(next(iter(_EXPORTS)))
        _EXPORTS[key] = cached
    return cached


def _bytes(body: Rendered) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def _json_answer(document: Mapping[str, Any]) -> _Answer:
    return _Answer(document_json(document).encode("utf-8"), JSON.media_type, {})


def _respond(request: Request, answer: _Answer) -> Response:
    etag = '"' + hashlib.sha256(answer.body).hexdigest()[:32] + '"'
    headers = {
        **answer.headers,
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept, Authorization",
        "X-Content-Type-Options": "nosniff",
    }
    if etag in _tags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _tags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {tag.strip().removeprefix("W/") for tag in header.split(",")[:50]}


def _error(failure: _Failure) -> Response:
    body: dict[str, Any] = {"error": failure.message}
    if failure.problems:
        body["problems"] = [
            {"key": p.key, "message": p.message, "text": str(p)} for p in failure.problems
        ]
    headers = {**failure.headers, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return Response(
        document_json(body).encode("utf-8"),
        status_code=failure.status,
        media_type=JSON.media_type,
        headers=headers,
    )


def _quoted(text: str) -> str:
    """Path text in a message: letters, digits, ``.``, ``-`` and ``_`` only, cut short."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "?" for c in text)
    return "'" + (cleaned[:40] + "…" if len(cleaned) > 40 else cleaned) + "'"
