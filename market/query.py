"""The query codec: a view of the market as short query parameters, and back again.

One grammar for every front end that takes a query string (the dashboard's share links
today; any later HTTP API unchanged): pure functions from a mapping of query parameters to
a typed, validated :class:`Decoded` and a list of :class:`QueryProblem`, and from a state
back to parameters. A query carries:

- ``file``: the assumptions file, by name from the catalogue (only when it is not the
  default one), ``file=coffee.yaml``; ``page``: the page to open, ``page=segments``;
- each override under the ``key`` its entry in :data:`market.parameter_table.PARAMETER_TABLE`
  gives it (``cagr=25``; per segment ``s.region.europe=30``, ``d.region.europe=-0.5``),
  used only within the range its slider and ``market params`` show;
- the Opportunity choices (:class:`market.opportunity.Opportunity`), each only where it
  differs from the defaults, under :data:`OPPORTUNITY_KEYS`:

  ==========================  =======================================  ===============
  key                         meaning                                  example
  ==========================  =======================================  ===============
  ``o.serve.<dim>``           segments served, each with ``:%`` <100   ``o.serve.region=europe:50``
  ``o.start``                 share of SAM in the base year, %         ``o.start=1``
  ``o.target``                target share of SAM, %                   ``o.target=8``
  ``o.by``                    year the target share is reached         ``o.by=2030``
  ``o.shape``                 share path shape                         ``o.shape=s-curve``
  ``o.revenue``               current revenue (anchors the start)      ``o.revenue=2.5``
  ``o.goal``                  revenue target                           ``o.goal=150``
  ``o.goal-year``             year of the revenue target               ``o.goal-year=2030``
  ==========================  =======================================  ===============

- ``act``: actual figures typed in the dashboard, ``year:value`` comma-separated,
  ``act=2025:535.64`` (see :func:`market.parameters.apply_actuals`);
- the pages' own controls (``v.`` keys), each only where it differs from what its page first
  shows: one entry each in :data:`market.view_controls.VIEW_CONTROLS`, which says its key,
  what it names, its options on a file, why a value is refused and its length limit.

Each value is checked against the query's file (a dimension, segment, year, path count or
tornado target it does not have) and the saved scenarios (a name no longer saved).
Numbers are written with the fewest digits that read back to the same float (``25``,
``20.5``, ``0.125``, ``1e-07``), so a query reproduces the numbers exactly.

Decoding trusts nothing: every part that cannot be used (an unknown key, a value that is
not a number, out of range, repeated with different values, too long, a file that is not in
the catalogue, a combination the model refuses) is dropped with one problem naming its key,
and the rest still applies. Problems quote query text only after removing everything but
letters, digits, ``.``, ``-`` and ``_``, so they are safe in Markdown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import ValidationError

from market import parameter_table, view_controls
from market.assumptions import Assumptions
from market.opportunity import Opportunity, Served, ServedError, Shape, read_picks
from market.parameter_table import Kind as ParameterKind
from market.parameters import (
    OverrideError,
    Parameter,
    apply_actuals,
    apply_overrides,
    parameter_index,
)
from market.paths import default_assumptions
from market.view_controls import (
    BASE_IN_LINK,
    CURRENT_IN_LINK,
    MAX_COMPARED,
    MAX_VALUE_LENGTH,
    Kind,
    ViewControl,
    control_for_key,
)

__all__ = [
    "ACTUALS_KEY",
    "BASE_IN_LINK",
    "CURRENT_IN_LINK",
    "FILE_KEY",
    "MAX_FILE_NAME_LENGTH",
    "MAX_VALUE_LENGTH",
    "OPPORTUNITY_KEYS",
    "PAGE_KEY",
    "VIEWER_KEYS",
    "VIEW_KEYS",
    "Decoded",
    "QueryProblem",
    "decode",
    "encode",
    "encode_opportunity",
    "encode_view",
    "format_number",
    "key_for_path",
    "path_for_key",
]

FILE_KEY = "file"
PAGE_KEY = "page"
ACTUALS_KEY = "act"
VIEWER_KEYS = frozenset({"embed", "embed_options"})
"""Parameters a link may carry for how the page is shown (Streamlit's embedding options),
not for what it shows: a front end that reads links passes them over in silence."""
MAX_FILE_NAME_LENGTH = 255
_MAX_ACTUALS_LENGTH = 500

OPPORTUNITY_KEYS = {
    "o.start": "start_share_pct",
    "o.target": "target_share_pct",
    "o.by": "target_year",
    "o.shape": "shape",
    "o.revenue": "current_revenue",
    "o.goal": "revenue_target",
    "o.goal-year": "revenue_target_year",
}
"""Query key -> field of :class:`market.opportunity.Opportunity`; ``o.serve.<dim>`` besides."""
_SERVE = "o.serve."
_MAX_SERVE_LENGTH = 1_000
_YEAR_FIELDS = frozenset({"target_year", "revenue_target_year"})
_DEFAULT_OPPORTUNITY = Opportunity()
VIEW_KEYS = {control.key: control.name for control in view_controls.VIEW_CONTROLS}
"""Query key -> the name of the view control it carries, as the table has them (the codec
itself reads the table, :func:`market.view_controls.control_for_key`)."""
_SEGMENT_PATH = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PAGE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_SAFE = re.compile(r"[A-Za-z0-9._-]+")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_UNSAFE_NAME_RUN = re.compile(r"[^A-Za-z0-9 ./_-]+")


@dataclass(frozen=True)
class QueryProblem:
    """One part of a query that was not used, and why.

    ``key`` is the query key as given (None for the query as a whole); ``str()`` is the
    message a page shows, with the key cleaned so it is safe in Markdown.
    """

    key: str | None
    message: str

    def __str__(self) -> str:
        return self.message if self.key is None else f"{_shown(self.key)}: {self.message}"


@dataclass(frozen=True)
class Decoded:
    """What a query asks for: the file, its overrides, page, Opportunity choices and view,
    and why any part was dropped.

    ``file`` is the file the overrides apply to: the query's own, or the default when the
    query names none (None only if the default is not in the catalogue either).
    ``applied`` lists the query keys that took effect.
    """

    file: str | None
    overrides: dict[str, float] = field(default_factory=dict)
    problems: tuple[QueryProblem, ...] = ()
    page: str | None = None
    applied: tuple[str, ...] = ()
    opportunity: Opportunity | None = None
    view: dict[str, object] = field(default_factory=dict)
    """View control name (:attr:`market.view_controls.ViewControl.name`) -> its value."""
    actuals: dict[int, float] = field(default_factory=dict)
    """Actual figures typed in the dashboard: year -> value, in the market's unit."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """Each problem as a page shows it."""
        return tuple(str(problem) for problem in self.problems)


class _Dropped(Exception):
    """One part of a query that cannot be used, and why (internal)."""


def key_for_path(path: str) -> str:
    """The short query key of a parameter path: ``share.region.europe`` -> ``s.region.europe``."""
    for spec in parameter_table.PARAMETER_TABLE:
        if not spec.per_segment and path == spec.path:
            return spec.key
        rest = path.removeprefix(f"{spec.path}.")
        if spec.per_segment and rest != path and _SEGMENT_PATH.fullmatch(rest):
            return f"{spec.key}.{rest}"
    raise ValueError(f"{path!r} is not a parameter path")


def path_for_key(key: str) -> str | None:
    """The parameter path a query key stands for, or None if it stands for none."""
    for spec in parameter_table.PARAMETER_TABLE:
        if not spec.per_segment and key == spec.key:
            return spec.path
        rest = key.removeprefix(f"{spec.key}.")
        if spec.per_segment and rest != key and _SEGMENT_PATH.fullmatch(rest):
            return f"{spec.path}.{rest}"
    return None


def _override_text(path: str, value: float) -> str:
    """An override's value in a link: a choice's name, or the number."""
    spec = parameter_table.spec_for_path(path)
    name = None if spec is None else spec.written(value)
    return format_number(value) if name is None else name


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float: ``25``, ``20.5``, ``1e16``."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    text = repr(number).replace("e+", "e")  # a '+' would read back as a space from a URL
    return text.removesuffix(".0")


# --- encoding ------------------------------------------------------------------------------


def encode(
    file: str,
    overrides: Mapping[str, float],
    page: str | None = None,
    default_file: str | None = None,
    opportunity: Opportunity | None = None,
    actuals: Mapping[int, float] | None = None,
) -> dict[str, str]:
    """Query parameters for ``file`` with ``overrides`` (and ``page``, and the Opportunity
    choices); :func:`encode_view` adds the view controls.

    Only what differs from opening the dashboard afresh: no ``file`` for the default
    file (``default_file``, else the project's default), no keys without overrides.
    Keys come in a fixed order, so the same state always gives the same query.
    """
    params: dict[str, str] = {}
    if file != (default_file or default_assumptions().name):
        params[FILE_KEY] = file
    if page is not None:
        if not _PAGE.fullmatch(page):
            raise ValueError(f"{page!r} cannot name a page in a link")
        params[PAGE_KEY] = page
    for path in sorted(overrides):
        params[key_for_path(path)] = _override_text(path, overrides[path])
    if actuals:
        params[ACTUALS_KEY] = ",".join(
            f"{year}:{format_number(actuals[year])}" for year in sorted(actuals)
        )
    if opportunity is not None:
        params.update(encode_opportunity(opportunity))
    return params


def encode_opportunity(choices: Opportunity) -> dict[str, str]:
    """The ``o.`` keys of a query: each choice that differs from the page's defaults."""
    params: dict[str, str] = {}
    for served in choices.served:
        params[_SERVE + served.dimension] = ",".join(
            p.segment + ("" if p.served_pct == 100 else ":" + format_number(p.served_pct))
            for p in served.picks
        )
    for key, name in OPPORTUNITY_KEYS.items():
        value = getattr(choices, name)
        if value == getattr(_DEFAULT_OPPORTUNITY, name):
            continue
        if isinstance(value, Shape):
            params[key] = value.value
        elif isinstance(value, int):
            params[key] = str(value)
        else:
            params[key] = format_number(value)
    return params


def encode_view(
    choices: Mapping[str, object],
    defaults: Mapping[str, object],
    base: Assumptions,
    current: str,
    file_own: str = BASE_IN_LINK,
) -> dict[str, str]:
    """The ``v.`` keys of a query: each view control whose value, as its page shows it on
    ``base``, differs from the page's default.

    ``choices`` and ``defaults`` are by control name; a control without a known default is
    written whenever it has a value. A value ``base`` cannot show is left out (a dimension
    another file had), and a year or a number of paths is written as the nearest one
    ``base`` offers, as the page shows it. ``current`` is the comparison's name for the
    sidebar's assumptions (written :data:`CURRENT_IN_LINK`) and ``file_own`` its name for
    the file's own values (written :data:`BASE_IN_LINK`).
    """
    built_in = {current: CURRENT_IN_LINK, file_own: BASE_IN_LINK}
    params: dict[str, str] = {}
    for control in view_controls.VIEW_CONTROLS:
        kind = _KINDS[control.kind]
        shown = kind.shown(control, choices.get(control.name), base)
        if shown is None:
            continue
        if control.name in defaults and shown == kind.shown(control, defaults[control.name], base):
            continue
        params[control.key] = kind.write(shown, built_in)
    return params


# --- decoding ------------------------------------------------------------------------------


def decode(
    params: Mapping[str, str | list[str]],
    catalog_files: Collection[str],
    base_for: Callable[[str], Assumptions],
    *,
    default_file: str | None = None,
    pages: Collection[str] | None = None,
    scenarios: Callable[[], Collection[str]] = tuple,
    current: str = CURRENT_IN_LINK,
    file_own: str = BASE_IN_LINK,
    ignored: Collection[str] = (),
) -> Decoded:
    """What a query's parameters ask for; never raises, whatever they hold.

    ``catalog_files`` are the usable assumptions file names, ``base_for(name)`` gives a
    file's assumptions (called only for a name in the catalogue), ``pages`` the page names
    a query may open (any short plain name when None), ``scenarios()`` the saved scenarios'
    names (called only for a query that names some), ``current`` the comparison's
    name for the sidebar's assumptions and ``file_own`` its name for the file's own values
    (the base case). Keys in ``ignored`` (a front end's own) are passed
    over in silence. There is one problem for each key that does not take effect (one for
    each scenario no longer saved), plus one if the file cannot be read.
    """
    default = default_file or default_assumptions().name
    problems: list[QueryProblem] = []
    fields = _read_fields(_items(params, problems), ignored, problems)
    page = _page(fields.pop(PAGE_KEY, None), pages, problems)
    given, asked = FILE_KEY in fields, fields.pop(FILE_KEY, None)
    file, base = _file(given, asked, catalog_files, base_for, default, problems)
    chosen = {key: fields.pop(key) for key in list(fields) if key.startswith("o.")}
    choices, taken = _opportunity(chosen, base, problems)
    viewed = {key: fields.pop(key) for key in list(fields) if control_for_key(key) is not None}
    view, shown = _view(viewed, base, _Saved(scenarios, current, file_own), problems)
    typed = fields.pop(ACTUALS_KEY, None)
    overrides = _overrides(fields, base, problems)
    actuals = _actuals(typed, base, overrides, problems)
    applied = [PAGE_KEY] if page is not None else []
    if given and base is not None:
        applied.append(FILE_KEY)
    applied += [key for key in fields if path_for_key(key) in overrides]
    if actuals:
        applied.append(ACTUALS_KEY)
    return Decoded(
        file=file,
        overrides=overrides,
        problems=tuple(problems),
        page=page,
        applied=(*applied, *taken, *shown),
        opportunity=choices,
        view=view,
        actuals=actuals,
    )


def _items(params: object, problems: list[QueryProblem]) -> list[tuple[object, object]]:
    try:
        return list(params.items())  # type: ignore[attr-defined]
    except Exception:  # not a mapping at all: nothing in it can be used
        problems.append(QueryProblem(None, "the link's settings could not be read"))
        return []


def _read_fields(
    items: Sequence[tuple[object, object]], ignored: Collection[str], problems: list[QueryProblem]
) -> dict[str, str | None]:
    """Each known key with its one value, or None if that is unusable (and a problem).

    Unknown keys are a problem and left out.
    """
    fields: dict[str, str | None] = {}
    for key, raw in items:
        if isinstance(key, str) and key in ignored:
            continue
        if not isinstance(key, str) or not _is_known(key):
            problems.append(QueryProblem(str(key), "not a setting the dashboard knows"))
            continue
        try:
            fields[key] = _one_value(raw, _length_limit(key))
        except _Dropped as why:
            fields[key] = None
            problems.append(QueryProblem(key, str(why)))
    return fields


def _is_known(key: str) -> bool:
    return (
        key in (FILE_KEY, PAGE_KEY, ACTUALS_KEY)
        or control_for_key(key) is not None
        or path_for_key(key) is not None
        or _is_opportunity_key(key)
    )


def _length_limit(key: str) -> int:
    """The longest value ``key`` may have."""
    if key == FILE_KEY:
        return MAX_FILE_NAME_LENGTH
    if key == ACTUALS_KEY:
        return _MAX_ACTUALS_LENGTH
    if key.startswith(_SERVE):
        return _MAX_SERVE_LENGTH
    control = control_for_key(key)
    return MAX_VALUE_LENGTH if control is None else control.max_length


def _one_value(raw: object, limit: int) -> str:
    values: Sequence[object] = raw if isinstance(raw, list | tuple) else [raw]
    if not values:
        raise _Dropped("has no value")
    texts = [v for v in values if isinstance(v, str)]
    if len(texts) < len(values):
        raise _Dropped("the value is not text")
    distinct = {v.strip() for v in texts}
    if len(distinct) > 1:
        raise _Dropped("given more than once with different values")
    value = distinct.pop()
    if not value:
        raise _Dropped("has no value")
    if len(value) > limit:
        raise _Dropped(f"the value is longer than {limit} characters")
    return value


def _page(
    value: str | None, pages: Collection[str] | None, problems: list[QueryProblem]
) -> str | None:
    if value is None:
        return None
    if not _PAGE.fullmatch(value) or (pages is not None and value not in pages):
        problems.append(QueryProblem(PAGE_KEY, f"{_quoted(value)} is not a page of the dashboard"))
        return None
    return value


def _file(
    given: bool,
    value: str | None,
    catalog: Collection[str],
    base_for: Callable[[str], Assumptions],
    default: str,
    problems: list[QueryProblem],
) -> tuple[str | None, Assumptions | None]:
    """The file the overrides apply to and its assumptions; None for either if unusable.

    A query that names a file which cannot be used shows the default file without the
    query's overrides: they were meant for another market.
    """
    fallback = default if default in catalog else None
    if given and value is None:  # unreadable, already a problem
        return fallback, None
    if value is not None and value not in catalog:
        problems.append(
            QueryProblem(FILE_KEY, f"{_quoted(value)} is not among the assumptions files")
        )
        return fallback, None
    name = value if value is not None else default
    if name not in catalog:
        return None, None
    try:
        return name, base_for(name)
    except Exception:  # a file that vanished or broke since the catalogue was read
        problems.append(QueryProblem(FILE_KEY, f"{_quoted(name)} could not be read"))
        return None, None


def _without_file(fields: Mapping[str, str | None], problems: list[QueryProblem]) -> None:
    """Each usable key of ``fields`` is a problem: the query's file is not available."""
    for key, text in fields.items():
        if text is not None:
            problems.append(QueryProblem(key, "not applied, the link's file is not available"))


# --- the opportunity -----------------------------------------------------------------------


def _is_opportunity_key(key: str) -> bool:
    return key in OPPORTUNITY_KEYS or (
        key.startswith(_SERVE) and bool(_PAGE.fullmatch(key[len(_SERVE) :]))
    )


def _opportunity(
    fields: Mapping[str, str | None], base: Assumptions | None, problems: list[QueryProblem]
) -> tuple[Opportunity | None, list[str]]:
    """The Opportunity the ``o.`` keys describe, and the keys that took effect.

    Each key is checked on its own against the market (``base``); one that does not fit
    is dropped with a problem and the others still apply."""
    if base is None:
        _without_file(fields, problems)
        return None, []
    data: dict[str, object] = {}
    served: list[Served] = []
    taken: list[str] = []
    for key, text in fields.items():
        if text is None:
            continue
        try:
            if key.startswith(_SERVE):
                served.append(_served(key[len(_SERVE) :], text, base))
            else:
                data[OPPORTUNITY_KEYS[key]] = _choice(OPPORTUNITY_KEYS[key], text, base)
        except _Dropped as why:
            problems.append(QueryProblem(key, str(why)))
            continue
        taken.append(key)
    if not taken:
        return None, []
    try:
        return Opportunity.model_validate({**data, "served": served}), taken
    except ValidationError:  # each part fits alone; together they cannot be refused, but
        problems.append(
            QueryProblem(None, "the opportunity choices in the link do not fit together")
        )
        return None, []


def _served(dimension: str, text: str, base: Assumptions) -> Served:
    try:
        return read_picks(base, dimension, text, quote=_quoted)
    except ServedError as err:
        raise _Dropped(str(err)) from None


def _choice(name: str, text: str, base: Assumptions) -> object:
    """One Opportunity field from query text, checked alone; _Dropped says why not."""
    if name == "shape":
        if text not in {s.value for s in Shape}:
            raise _Dropped(f"{_quoted(text)} is not a share path shape (linear, s-curve)")
        return Shape(text)
    if not _NUMBER.fullmatch(text):
        raise _Dropped(f"{_quoted(text)} is not a number")
    number = float(text)
    value: float | int = number
    if name in _YEAR_FIELDS:
        if not number.is_integer() or not base.years.base < number <= base.years.horizon:
            raise _Dropped(f"must be a year from {base.years.base + 1} to {base.years.horizon}")
        value = int(number)
    try:
        Opportunity.model_validate({name: value})
    except ValidationError:
        raise _Dropped(f"{_quoted(text)} is out of range") from None
    return value


# --- the view controls (market.view_controls) ----------------------------------------------


@dataclass
class _Saved:
    """The saved scenarios' names, read once and only when a query names some."""

    listed: Callable[[], Collection[str]]
    current: str
    file_own: str = BASE_IN_LINK
    _by_folded: dict[str, str] | None = None

    def named(self, text: str) -> str | None:
        """The scenario ``text`` names: the current assumptions for :data:`CURRENT_IN_LINK`,
        the file's own values for :data:`BASE_IN_LINK`, else the saved scenario's own
        spelling (case does not matter); None if not saved."""
        if text.strip() == CURRENT_IN_LINK:
            return self.current
        if text.strip() == BASE_IN_LINK:
            return self.file_own
        if self._by_folded is None:
            try:
                names = list(self.listed())
            except Exception:  # an unreadable folder: no scenario can be found in it
                names = []
            self._by_folded = {str(n).casefold(): str(n) for n in names}
        return self._by_folded.get(text.strip().casefold())


@dataclass(frozen=True)
class _Reading:
    """What reading a view control's text needs: the file, the saved scenarios, and the
    list its problems go to (a comparison has one per scenario no longer saved)."""

    base: Assumptions
    saved: _Saved
    problems: list[QueryProblem]


def _view(
    fields: Mapping[str, str | None],
    base: Assumptions | None,
    saved: _Saved,
    problems: list[QueryProblem],
) -> tuple[dict[str, object], list[str]]:
    """The view controls the ``v.`` keys set, checked against ``base``, and the keys taken."""
    if base is None:
        _without_file(fields, problems)
        return {}, []
    reading = _Reading(base, saved, problems)
    view: dict[str, object] = {}
    taken: list[str] = []
    for key, text in fields.items():
        control = control_for_key(key)
        if text is None or control is None:
            continue
        try:
            value = _KINDS[control.kind].read(control, text, reading)
        except _Dropped as why:
            problems.append(QueryProblem(key, str(why)))
            continue
        if value is not None:  # None: a comparison of scenarios none of which is saved
            view[control.name] = value
            taken.append(key)
    return view, taken


def _offered(control: ViewControl, base: Assumptions) -> Sequence[str | int]:
    return () if control.options is None else control.options(base)


def _refusal(control: ViewControl, text: str, base: Assumptions) -> str:
    """Why ``control`` does not take ``text`` on ``base``, in its entry's words."""
    return control.refused(_quoted(text, name=control.plain_names), base)


def _read_choice(control: ViewControl, text: str, reading: _Reading) -> object:
    if text in _offered(control, reading.base):
        return text
    raise _Dropped(_refusal(control, text, reading.base))


def _read_number(control: ViewControl, text: str, reading: _Reading) -> object:
    number = float(text) if _NUMBER.fullmatch(text) else math.nan
    if number.is_integer() and number in _offered(control, reading.base):
        return int(number)
    raise _Dropped(_refusal(control, text, reading.base))


def _read_scenario(control: ViewControl, text: str, reading: _Reading) -> object:
    name = reading.saved.named(text)
    if name is None:
        raise _Dropped(_refusal(control, text, reading.base))
    return name


def _read_scenarios(control: ViewControl, text: str, reading: _Reading) -> object:
    """The scenarios named, in order: each one no longer saved is left out with a problem,
    and only the first :data:`MAX_COMPARED` are kept."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise _Dropped("names no scenario")
    names: list[str] = []
    unknown: list[str] = []
    for part in parts:
        name = reading.saved.named(part)
        if name is None and part not in unknown:  # a name given twice is one problem
            unknown.append(part)
            reading.problems.append(
                QueryProblem(control.key, _refusal(control, part, reading.base))
            )
        elif name is not None and name not in names:
            names.append(name)
    if len(names) > MAX_COMPARED:
        reading.problems.append(
            QueryProblem(
                control.key,
                f"at most {MAX_COMPARED} scenarios are compared; the rest were left out",
            )
        )
    return names[:MAX_COMPARED] or None  # each one left out is already a problem


def _shown_choice(control: ViewControl, value: object, base: Assumptions) -> object:
    """What a control shows for ``value`` on ``base``; None for nothing."""
    return value if value in _offered(control, base) else None


def _shown_number(control: ViewControl, value: object, base: Assumptions) -> object:
    """The option nearest ``value``: a year clamps to the years ``base`` has."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    numbers = [option for option in _offered(control, base) if not isinstance(option, str)]
    return min(numbers, key=lambda option: abs(option - value), default=None)


def _shown_scenario(control: ViewControl, value: object, base: Assumptions) -> object:
    return value if isinstance(value, str) and value else None


def _shown_scenarios(control: ViewControl, value: object, base: Assumptions) -> object:
    names = value if isinstance(value, list | tuple) else ()
    return tuple(n for n in names if isinstance(n, str)) or None


def _written(shown: object, built_in: Mapping[str, str]) -> str:
    return str(shown)


def _written_scenario(shown: object, built_in: Mapping[str, str]) -> str:
    """A scenario's name, or the link's name for a built-in entry (``~current``, ``~base``)."""
    return built_in.get(str(shown), str(shown))


def _written_scenarios(shown: object, built_in: Mapping[str, str]) -> str:
    names = shown if isinstance(shown, tuple) else ()
    return ",".join(_written_scenario(name, built_in) for name in names)


def _read_text(control: ViewControl, text: str, reading: _Reading) -> object:
    if control.check is not None and control.check(text, reading.base):
        return text
    raise _Dropped(_refusal(control, text, reading.base))


def _shown_text(control: ViewControl, value: object, base: Assumptions) -> object:
    fits = isinstance(value, str) and control.check is not None and control.check(value, base)
    return value if fits else None


def _read_amount(control: ViewControl, text: str, reading: _Reading) -> object:
    number = float(text) if _NUMBER.fullmatch(text) else math.nan
    if math.isfinite(number) and number > 0:
        return number
    raise _Dropped(_refusal(control, text, reading.base))


def _shown_amount(control: ViewControl, value: object, base: Assumptions) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


def _written_amount(shown: object, built_in: Mapping[str, str]) -> str:
    return format_number(float(str(shown)))


class _KindCodec(NamedTuple):
    """How a kind of view control is read from query text and written back."""

    read: Callable[[ViewControl, str, _Reading], object]
    shown: Callable[[ViewControl, object, Assumptions], object]
    write: Callable[[object, Mapping[str, str]], str]


_KINDS = {
    Kind.CHOICE: _KindCodec(_read_choice, _shown_choice, _written),
    Kind.NUMBER: _KindCodec(_read_number, _shown_number, _written),
    Kind.SCENARIO: _KindCodec(_read_scenario, _shown_scenario, _written_scenario),
    Kind.SCENARIOS: _KindCodec(_read_scenarios, _shown_scenarios, _written_scenarios),
    Kind.TEXT: _KindCodec(_read_text, _shown_text, _written),
    Kind.AMOUNT: _KindCodec(_read_amount, _shown_amount, _written_amount),
}


# --- the overrides (market.parameter_table) ------------------------------------------------


def _overrides(
    fields: Mapping[str, str | None], base: Assumptions | None, problems: list[QueryProblem]
) -> dict[str, float]:
    """The overrides in ``fields`` that ``base`` accepts, alone and together."""
    if base is None:
        _without_file(fields, problems)
        return {}
    index = parameter_index(base)
    checked: dict[str, tuple[str, float]] = {}
    for key, text in fields.items():
        if text is None:
            continue
        path = path_for_key(key)
        try:
            if path is None or path not in index:
                raise _Dropped("no such assumption in this market")
            checked[path] = (key, _value(text, index[path]))
        except _Dropped as why:
            problems.append(QueryProblem(key, str(why)))
    return _combined(base, checked, problems)


def _value(text: str, parameter: Parameter) -> float:
    """An override from link text: a choice by its name, anything else a number."""
    if parameter.kind is not ParameterKind.CHOICE:
        return _number(text, parameter.check)
    if text not in parameter.choices:
        raise _Dropped(f"{_quoted(text)} is not one of {', '.join(parameter.choices)}")
    return float(parameter.choices.index(text))


def _number(text: str, check: Callable[[float], float]) -> float:
    if not _NUMBER.fullmatch(text):
        raise _Dropped(f"{_quoted(text)} is not a number")
    try:
        return check(float(text))
    except ValueError as err:
        raise _Dropped(str(err).split(": ", 1)[-1]) from None


def _combined(
    base: Assumptions, checked: Mapping[str, tuple[str, float]], problems: list[QueryProblem]
) -> dict[str, float]:
    """All of ``checked`` if the model accepts them together; else as many as it accepts.

    Each value is in range on its own, but some combinations are refused, such as every
    share of a dimension set to zero. Then the overrides are added in query order and each
    one the model refuses with those before it is dropped, with the model's reason.
    """
    wanted = {path: value for path, (_, value) in checked.items()}
    try:
        apply_overrides(base, wanted)
        return wanted
    except OverrideError:
        pass
    kept: dict[str, float] = {}
    for path, (key, value) in checked.items():
        trial = kept | {path: value}
        try:
            apply_overrides(base, trial)
        except OverrideError as err:
            reason = next(iter(err.problems.values()), "refused")
            problems.append(QueryProblem(key, f"not applied with the others ({reason})"))
            continue
        kept = trial
    return kept


# --- the actual figures (market.parameters.apply_actuals) ----------------------------------


def _actuals(
    text: str | None,
    base: Assumptions | None,
    overrides: Mapping[str, float],
    problems: list[QueryProblem],
) -> dict[int, float]:
    """The actual figures ``act`` gives, if ``base`` with ``overrides`` takes them all;
    otherwise none, with one problem saying why (a link's figures stand together)."""
    if text is None:
        return {}
    if base is None:
        _without_file({ACTUALS_KEY: text}, problems)
        return {}
    actuals: dict[int, float] = {}
    for part in text.split(","):
        year, colon, value = part.strip().partition(":")
        if not colon or not year.isdigit() or not _NUMBER.fullmatch(value) or len(year) > 6:
            problems.append(QueryProblem(ACTUALS_KEY, f"{_quoted(part)} is not year:value"))
            return {}
        actuals[int(year)] = float(value)
    try:
        apply_actuals(apply_overrides(base, overrides), actuals)
    except OverrideError as err:
        reason = "; ".join(f"{where}: {why}" for where, why in err.problems.items())
        problems.append(QueryProblem(ACTUALS_KEY, f"not applied ({reason})"))
        return {}
    return actuals


# --- text quoted in a problem --------------------------------------------------------------


def _clean(text: str, limit: int = 40, *, name: bool = False) -> str:
    """Only letters, digits, '.', '-' and '_' (and spaces and '/' in a ``name``, such as a
    scenario's); each other run becomes '?'; cut short."""
    cleaned = (_UNSAFE_NAME_RUN if name else _UNSAFE_RUN).sub("?", text)
    return cleaned[:limit] + "…" if len(cleaned) > limit else cleaned


def _shown(key: str) -> str:
    """A query key for a problem: as it is when plain and short, else quoted and cleaned."""
    if _SAFE.fullmatch(key) and len(key) <= 40:
        return key
    return _quoted(key)


def _quoted(text: str, *, name: bool = False) -> str:
    return f"'{_clean(text, name=name)}'"
