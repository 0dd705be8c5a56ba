"""Share links: a session's state as short query parameters, and back again.

Pure functions on plain mappings (no Streamlit here): :mod:`dashboard.state` reads and
writes ``st.query_params`` and calls these. A link carries the selected assumptions file
(only when it is not the default one), the page if asked, and each override, under a
short key: ``file`` (the assumptions file name in the folder, ``file=coffee.yaml``),
``page`` (the page to open, only when encoded, ``page=segments``) and, for each adjustable
number, the ``key`` its entry in :data:`market.parameter_table.PARAMETER_TABLE` gives it
(``cagr=25``; per segment ``s.region.europe=30``, ``d.region.europe=-0.5``). A number is
used only within the range its slider and ``market params`` show.

The Opportunity page's choices (:class:`market.opportunity.Opportunity`) have keys of
their own, :data:`OPPORTUNITY_KEYS`, written only where they differ from its defaults:

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

The pages' own controls (which view of the numbers is shown) have ``v.`` keys,
:data:`VIEW_KEYS`, written only where they differ from what the page first shows:

==============  ===============================================  ==========================
key             meaning                                          example
==============  ===============================================  ==========================
``v.dim``       Segments: the dimension shown (its id)           ``v.dim=region``
``v.year``      the year of Segments, Regions and the            ``v.year=2028``
                Scenarios mix (one control, shared)
``v.by``        Regions: the dimension the regions are split by  ``v.by=deployment``
``v.paths``     Risk: the number of simulated paths              ``v.paths=50000``
``v.target``    Risk: the value the tornado explains             ``v.target=region/europe``
``v.compare``   Scenarios: the scenarios compared, in order      ``v.compare=~current,Bear``
``v.mix``       Scenarios: the dimension of the segment mix      ``v.mix=deployment``
``v.from``,     Scenarios: the bridge's two ends (a scenario,    ``v.from=~current``
``v.to``        or ``~current``)                                 ``v.to=Bear``
``v.bridge``    Scenarios: what the bridge explains: ``total``   ``v.bridge=region``
                or a dimension, then ...
``v.segment``   ... one of its segments                          ``v.segment=asia-pacific``
==============  ===============================================  ==========================

In ``v.compare``, ``v.from`` and ``v.to``, ``~current`` (:data:`CURRENT_IN_LINK`) stands for
the sidebar's own assumptions; every other name is a saved scenario's. Each value is
checked against the link's file (a dimension, segment, year, path count or tornado target
it does not have) and the saved scenarios (a name no longer saved); what does not fit is
dropped with a warning.

Numbers are written with the fewest digits that read back to the same float (``25``,
``20.5``, ``0.125``, ``1e-07``), so a link reproduces the numbers exactly.

Decoding trusts nothing: every part of a link that cannot be used (an unknown key, a
value that is not a number, out of range, repeated with different values, too long, a
file that is not in the catalogue, a combination the model refuses) is dropped with one
short warning, and the rest still applies. Warnings quote link text only after removing
everything but letters, digits, ``.``, ``-`` and ``_``, so they are safe in Markdown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from market import Assumptions, OverrideError, apply_overrides, parameter_index, parameter_table
from market.opportunity import Opportunity, Served, ServedError, Shape, read_picks
from market.paths import default_assumptions
from market.risk import TOTAL, path_choices
from market.scenarios import MAX_NAME_LENGTH
from market.summary import sensitivity_targets

__all__ = [
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

FILE_KEY = "file"
PAGE_KEY = "page"
IGNORED_KEYS = frozenset({"embed", "embed_options"})
"""Query parameters Streamlit itself uses: passed over in silence."""
MAX_VALUE_LENGTH = 50
"""Longest value read for a number or page; a file name may have up to 255 characters."""
MAX_FILE_NAME_LENGTH = 255
MAX_LINK_PARAMETERS = 1_000
MAX_LINK_CHARACTERS = 512 * 1024
"""The most parameters and characters a link's query string may hold. Streamlit 1.67 drops a
longer one whole before any script sees it (``sanitize_query_string``); the page says so
(:func:`too_long`)."""

OPPORTUNITY_KEYS = {
    "o.start": "start_share_pct",
    "o.target": "target_share_pct",
    "o.by": "target_year",
    "o.shape": "shape",
    "o.revenue": "current_revenue",
    "o.goal": "revenue_target",
    "o.goal-year": "revenue_target_year",
}
"""Link key -> field of :class:`market.opportunity.Opportunity`; ``o.serve.<dim>`` besides."""
_SERVE = "o.serve."
_MAX_SERVE_LENGTH = 1_000
_YEAR_FIELDS = frozenset({"target_year", "revenue_target_year"})
_DEFAULT_OPPORTUNITY = Opportunity()
VIEW_KEYS = {
    "v.dim": "segments.dimension",
    "v.year": "year",
    "v.by": "regions.by",
    "v.paths": "risk.paths",
    "v.target": "risk.target",
    "v.compare": "scenarios.compare",
    "v.mix": "scenarios.mix-dimension",
    "v.from": "scenarios.from",
    "v.to": "scenarios.to",
    "v.bridge": "scenarios.bridge-dimension",
    "v.segment": "scenarios.bridge-segment",
}
"""Link key -> the page control it carries, by the name :mod:`dashboard.state` remembers it
under (``state.remembered(name, ...)``)."""
_BRIDGE_ENDS = frozenset({"scenarios.from", "scenarios.to"})
CURRENT_IN_LINK = "~current"
"""``v.compare``'s name for the sidebar's own assumptions: no scenario can be named so."""
MAX_COMPARED = 4
_MAX_COMPARE_LENGTH = MAX_COMPARED * (MAX_NAME_LENGTH + 1) + 20
_SEGMENT_PATH = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PAGE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_SAFE = re.compile(r"[A-Za-z0-9._-]+")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_UNSAFE_NAME_RUN = re.compile(r"[^A-Za-z0-9 ./_-]+")


@dataclass(frozen=True)
class Decoded:
    """What a link asks for: the file, its overrides and page, and why any part was dropped.

    ``file`` is the file the overrides apply to: the link's own, or the default when the
    link names none (None only if the default is not in the catalogue either).
    ``applied`` lists the query keys that took effect.
    """

    file: str | None
    overrides: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    page: str | None = None
    applied: tuple[str, ...] = ()
    opportunity: Opportunity | None = None
    view: dict[str, object] = field(default_factory=dict)
    """Page control name (a value of :data:`VIEW_KEYS`) -> the value the link gives it."""


class _Dropped(Exception):
    """One part of a link that cannot be used, and why (internal)."""


def key_for_path(path: str) -> str:
    """The short link key of a parameter path: ``share.region.europe`` -> ``s.region.europe``."""
    for spec in parameter_table.PARAMETER_TABLE:
        if not spec.per_segment and path == spec.path:
            return spec.key
        rest = path.removeprefix(f"{spec.path}.")
        if spec.per_segment and rest != path and _SEGMENT_PATH.fullmatch(rest):
            return f"{spec.key}.{rest}"
    raise ValueError(f"{path!r} is not a parameter path")


def path_for_key(key: str) -> str | None:
    """The parameter path a link key stands for, or None if it stands for none."""
    for spec in parameter_table.PARAMETER_TABLE:
        if not spec.per_segment and key == spec.key:
            return spec.path
        rest = key.removeprefix(f"{spec.key}.")
        if spec.per_segment and rest != key and _SEGMENT_PATH.fullmatch(rest):
            return f"{spec.path}.{rest}"
    return None


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float: ``25``, ``20.5``, ``1e16``."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    text = repr(number).replace("e+", "e")  # a '+' would read back as a space from a URL
    return text.removesuffix(".0")


def encode(
    file: str,
    overrides: Mapping[str, float],
    page: str | None = None,
    default_file: str | None = None,
    opportunity: Opportunity | None = None,
) -> dict[str, str]:
    """Query parameters for a link to ``file`` with ``overrides`` (and ``page``, and the
    Opportunity page's choices).

    Only what differs from opening the dashboard afresh: no ``file`` for the default
    file (``default_file``, else the project's default), no keys without overrides.
    Keys come in a fixed order, so the same state always gives the same link.
    """
    params: dict[str, str] = {}
    if file != (default_file or default_assumptions().name):
        params[FILE_KEY] = file
    if page is not None:
        if not _PAGE.fullmatch(page):
            raise ValueError(f"{page!r} cannot name a page in a link")
        params[PAGE_KEY] = page
    for path in sorted(overrides):
        params[key_for_path(path)] = format_number(overrides[path])
    if opportunity is not None:
        params.update(encode_opportunity(opportunity))
    return params


def encode_opportunity(choices: Opportunity) -> dict[str, str]:
    """The ``o.`` keys of a link: each choice that differs from the page's defaults."""
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


def decode(
    params: Mapping[str, str | list[str]],
    catalog_files: Collection[str],
    base_for: Callable[[str], Assumptions],
    *,
    default_file: str | None = None,
    pages: Collection[str] | None = None,
    scenarios: Callable[[], Collection[str]] = tuple,
    current: str = CURRENT_IN_LINK,
) -> Decoded:
    """What a link's query parameters ask for; never raises, whatever they hold.

    ``catalog_files`` are the usable assumptions file names, ``base_for(name)`` gives a
    file's assumptions (called only for a name in the catalogue), ``pages`` the page names
    a link may open (any short plain name when None), ``scenarios()`` the saved scenarios'
    names (called only for a link that compares some) and ``current`` the comparison's
    name for the sidebar's assumptions. There is one warning for each key that does not
    take effect (one for each scenario no longer saved), plus one if the file cannot be read.
    """
    default = default_file or default_assumptions().name
    warnings: list[str] = []
    try:
        items = list(params.items())
    except Exception:  # not a mapping at all: nothing in it can be used
        items = []
        warnings.append("the link's settings could not be read")
    fields = _read_fields(items, warnings)
    page = _page(fields.pop(PAGE_KEY, None), pages, warnings)
    given, asked = FILE_KEY in fields, fields.pop(FILE_KEY, None)
    file, base = _file(given, asked, catalog_files, base_for, default, warnings)
    chosen = {key: fields.pop(key) for key in list(fields) if key.startswith("o.")}
    choices, taken = _opportunity(chosen, base, warnings)
    viewed = {key: fields.pop(key) for key in list(fields) if key in VIEW_KEYS}
    view, shown = _view(viewed, base, _Saved(scenarios, current), warnings)
    overrides = _overrides(fields, base, warnings)
    applied = [PAGE_KEY] if page is not None else []
    if given and base is not None:
        applied.append(FILE_KEY)
    applied += [key for key in fields if path_for_key(key) in overrides]
    applied += taken + shown
    return Decoded(
        file=file,
        overrides=overrides,
        warnings=tuple(warnings),
        page=page,
        applied=tuple(applied),
        opportunity=choices,
        view=view,
    )


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


def _is_opportunity_key(key: str) -> bool:
    return key in OPPORTUNITY_KEYS or (
        key.startswith(_SERVE) and bool(_PAGE.fullmatch(key[len(_SERVE) :]))
    )


def _opportunity(
    fields: Mapping[str, str | None], base: Assumptions | None, warnings: list[str]
) -> tuple[Opportunity | None, list[str]]:
    """The Opportunity the ``o.`` keys describe, and the keys that took effect.

    Each key is checked on its own against the market (``base``); one that does not fit
    is dropped with a warning and the others still apply."""
    usable = {key: text for key, text in fields.items() if text is not None}
    if base is None:
        for key in usable:
            warnings.append(f"{_shown(key)}: not applied, the link's file is not available")
        return None, []
    data: dict[str, object] = {}
    served: list[Served] = []
    taken: list[str] = []
    for key, text in usable.items():
        try:
            if key.startswith(_SERVE):
                served.append(_served(key[len(_SERVE) :], text, base))
            else:
                data[OPPORTUNITY_KEYS[key]] = _choice(OPPORTUNITY_KEYS[key], text, base)
        except _Dropped as why:
            warnings.append(f"{_shown(key)}: {why}")
            continue
        taken.append(key)
    if not taken:
        return None, []
    try:
        return Opportunity.model_validate({**data, "served": served}), taken
    except ValidationError:  # each part fits alone; together they cannot be refused, but
        warnings.append("the opportunity choices in the link do not fit together")
        return None, []


def _served(dimension: str, text: str, base: Assumptions) -> Served:
    try:
        return read_picks(base, dimension, text, quote=_quoted)
    except ServedError as err:
        raise _Dropped(str(err)) from None


def _choice(name: str, text: str, base: Assumptions) -> object:
    """One Opportunity field from link text, checked alone; _Dropped says why not."""
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


def encode_view(
    choices: Mapping[str, object],
    defaults: Mapping[str, object],
    base: Assumptions,
    current: str,
) -> dict[str, str]:
    """The ``v.`` keys of a link: each page control whose value, as its page shows it on
    ``base``, differs from the page's default.

    ``choices`` and ``defaults`` are by control name (the values of :data:`VIEW_KEYS`); a
    control without a known default is written whenever it has a value. A value ``base``
    cannot show is left out (a dimension another file had), and a year or a number of paths
    is written as the nearest one ``base`` offers, as the page shows it. ``current`` is the
    comparison's name for the sidebar's assumptions (written :data:`CURRENT_IN_LINK`).
    """
    params: dict[str, str] = {}
    for key, name in VIEW_KEYS.items():
        shown = _as_shown(name, choices.get(name), base)
        if shown is None or (name in defaults and shown == _as_shown(name, defaults[name], base)):
            continue
        if isinstance(shown, tuple):
            params[key] = ",".join(CURRENT_IN_LINK if n == current else n for n in shown)
        elif name in _BRIDGE_ENDS:
            params[key] = CURRENT_IN_LINK if shown == current else str(shown)
        else:
            params[key] = str(shown)
    return params


def _as_shown(name: str, value: object, base: Assumptions) -> object:
    """What the page control ``name`` shows for ``value`` on ``base``; None for nothing."""
    if name == "scenarios.compare":
        names = value if isinstance(value, list | tuple) else ()
        return tuple(n for n in names if isinstance(n, str)) or None
    if name in _BRIDGE_ENDS:
        return value if isinstance(value, str) and value else None
    if name in ("year", "risk.paths"):
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            return None
        options = list(base.years.all) if name == "year" else path_choices(base)
        return min(options, key=lambda option: abs(option - value))
    return value if value in _view_options(name, base) else None


def _view_options(name: str, base: Assumptions) -> list[str]:
    """The values a control other than a year, paths or the comparison offers on ``base``."""
    if name in ("segments.dimension", "scenarios.mix-dimension"):
        return [d.id for d in base.dimensions]
    if name == "regions.by":
        region = base.geographic_dimension
        return [] if region is None else [d.id for d in base.dimensions if d.id != region.id]
    if name == "scenarios.bridge-dimension":
        return [TOTAL, *(d.id for d in base.dimensions)]
    if name == "scenarios.bridge-segment":  # of whichever dimension the bridge explains
        return [s.id for d in base.dimensions for s in d.segments]
    return list(sensitivity_targets(base))  # risk.target


@dataclass
class _Saved:
    """The saved scenarios' names, read once and only when a link compares some."""

    listed: Callable[[], Collection[str]]
    current: str
    _by_folded: dict[str, str] | None = None

    def find(self, name: str) -> str | None:
        """The saved scenario's own spelling of ``name`` (case does not matter), or None."""
        if self._by_folded is None:
            try:
                names = list(self.listed())
            except Exception:  # an unreadable folder: no scenario can be found in it
                names = []
            self._by_folded = {str(n).casefold(): str(n) for n in names}
        return self._by_folded.get(name.casefold())


def _view(
    fields: Mapping[str, str | None], base: Assumptions | None, saved: _Saved, warnings: list[str]
) -> tuple[dict[str, object], list[str]]:
    """The page controls the ``v.`` keys set, checked against ``base``, and the keys taken."""
    usable = {key: text for key, text in fields.items() if text is not None}
    if base is None:
        for key in usable:
            warnings.append(f"{_shown(key)}: not applied, the link's file is not available")
        return {}, []
    view: dict[str, object] = {}
    taken: list[str] = []
    for key, text in usable.items():
        name = VIEW_KEYS[key]
        try:
            if name == "scenarios.compare":
                value: object = _compared(text, saved, warnings)
            elif name in _BRIDGE_ENDS:
                value = _scenario(text, saved)
            else:
                value = _view_choice(name, text, base)
        except _Dropped as why:
            warnings.append(f"{_shown(key)}: {why}")
            continue
        if value:  # a comparison of scenarios none of which is saved: each already warned about
            view[name] = value
            taken.append(key)
    return view, taken


def _view_choice(name: str, text: str, base: Assumptions) -> object:
    """One page control's value from link text, checked against ``base``; _Dropped if not."""
    if name in ("year", "risk.paths"):
        number = float(text) if _NUMBER.fullmatch(text) else math.nan
        if name == "year":
            if not number.is_integer() or number not in base.years.all:
                raise _Dropped(f"must be a year from {base.years.first} to {base.years.horizon}")
        elif number not in (offered := path_choices(base)):
            raise _Dropped(f"must be one of {', '.join(map(str, offered))} for this file")
        return int(number)
    if text in _view_options(name, base):
        return text
    raise _Dropped(_not_offered(name, text, base))


def _not_offered(name: str, text: str, base: Assumptions) -> str:
    """Why ``text`` is not a value the control ``name`` offers on ``base``."""
    if name in ("segments.dimension", "scenarios.mix-dimension"):
        return f"{_quoted(text)} is not a dimension of this market"
    if name == "regions.by":
        if base.geographic_dimension is None:
            return "this market has no regions"
        return f"{_quoted(text)} is not a dimension the regions can be split by"
    if name == "scenarios.bridge-dimension":
        return f"{_quoted(text)} is neither {TOTAL} nor a dimension of this market"
    if name == "scenarios.bridge-segment":
        return f"{_quoted(text)} is not a segment of this market"
    return f"{_quoted(text, name=True)} is not a value the tornado can explain"


def _scenario(text: str, saved: _Saved) -> str:
    """The one scenario ``v.from`` or ``v.to`` names; _Dropped if it is no longer saved."""
    name = saved.current if text.strip() == CURRENT_IN_LINK else saved.find(text.strip())
    if name is None:
        raise _Dropped(f"{_quoted(text, name=True)} is not a saved scenario")
    return name


def _compared(text: str, saved: _Saved, warnings: list[str]) -> list[str]:
    """The scenarios ``v.compare`` names, in order: each one no longer saved is left out
    with a warning, and only the first :data:`MAX_COMPARED` are kept."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise _Dropped("names no scenario")
    names: list[str] = []
    for part in parts:
        name = saved.current if part == CURRENT_IN_LINK else saved.find(part)
        if name is None:
            warnings.append(f"v.compare: {_quoted(part, name=True)} is not a saved scenario")
        elif name not in names:
            names.append(name)
    if len(names) > MAX_COMPARED:
        warnings.append(
            f"v.compare: at most {MAX_COMPARED} scenarios are compared; the rest were left out"
        )
    return names[:MAX_COMPARED]


def _read_fields(
    items: Sequence[tuple[object, object]], warnings: list[str]
) -> dict[str, str | None]:
    """Each known key with its one value, or None if that is unusable (and warned about).

    Unknown keys are warned about and left out.
    """
    fields: dict[str, str | None] = {}
    for key, raw in items:
        if isinstance(key, str) and key in IGNORED_KEYS:
            continue
        if not isinstance(key, str) or (
            key not in (FILE_KEY, PAGE_KEY)
            and key not in VIEW_KEYS
            and path_for_key(key) is None
            and not _is_opportunity_key(key)
        ):
            warnings.append(f"{_shown(str(key))}: not a setting the dashboard knows")
            continue
        limit = {FILE_KEY: MAX_FILE_NAME_LENGTH}.get(key, MAX_VALUE_LENGTH)
        if key.startswith(_SERVE):
            limit = _MAX_SERVE_LENGTH
        if key == "v.compare":
            limit = _MAX_COMPARE_LENGTH
        if key in ("v.from", "v.to"):
            limit = MAX_NAME_LENGTH
        try:
            fields[key] = _one_value(raw, limit)
        except _Dropped as why:
            fields[key] = None
            warnings.append(f"{_shown(key)}: {why}")
    return fields


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


def _page(value: str | None, pages: Collection[str] | None, warnings: list[str]) -> str | None:
    if value is None:
        return None
    if not _PAGE.fullmatch(value) or (pages is not None and value not in pages):
        warnings.append(f"{PAGE_KEY}: {_quoted(value)} is not a page of the dashboard")
        return None
    return value


def _file(
    given: bool,
    value: str | None,
    catalog: Collection[str],
    base_for: Callable[[str], Assumptions],
    default: str,
    warnings: list[str],
) -> tuple[str | None, Assumptions | None]:
    """The file the overrides apply to and its assumptions; None for either if unusable.

    A link that names a file which cannot be used shows the default file without the
    link's overrides: they were meant for another market.
    """
    fallback = default if default in catalog else None
    if given and value is None:  # unreadable, already warned about
        return fallback, None
    if value is not None and value not in catalog:
        warnings.append(f"{FILE_KEY}: {_quoted(value)} is not among the assumptions files")
        return fallback, None
    name = value if value is not None else default
    if name not in catalog:
        return None, None
    try:
        return name, base_for(name)
    except Exception:  # a file that vanished or broke since the catalogue was read
        warnings.append(f"{FILE_KEY}: {_quoted(name)} could not be read")
        return None, None


def _overrides(
    fields: Mapping[str, str | None], base: Assumptions | None, warnings: list[str]
) -> dict[str, float]:
    """The overrides in ``fields`` that ``base`` accepts, alone and together."""
    usable = {key: text for key, text in fields.items() if text is not None}
    if base is None:
        for key in usable:
            warnings.append(f"{_shown(key)}: not applied, the link's file is not available")
        return {}
    index = parameter_index(base)
    checked: dict[str, tuple[str, float]] = {}
    for key, text in usable.items():
        path = path_for_key(key)
        try:
            if path not in index:
                raise _Dropped("no such assumption in this market")
            checked[str(path)] = (key, _number(text, index[path].check))
        except _Dropped as why:
            warnings.append(f"{_shown(key)}: {why}")
    return _combined(base, checked, warnings)


def _number(text: str, check: Callable[[float], float]) -> float:
    if not _NUMBER.fullmatch(text):
        raise _Dropped(f"{_quoted(text)} is not a number")
    try:
        return check(float(text))
    except ValueError as err:
        raise _Dropped(str(err).split(": ", 1)[-1]) from None


def _combined(
    base: Assumptions, checked: Mapping[str, tuple[str, float]], warnings: list[str]
) -> dict[str, float]:
    """All of ``checked`` if the model accepts them together; else as many as it accepts.

    Each value is in range on its own, but some combinations are refused, such as every
    share of a dimension set to zero. Then the overrides are added in link order and each
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
            warnings.append(f"{_shown(key)}: not applied with the others ({reason})")
            continue
        kept = trial
    return kept


def _clean(text: str, limit: int = 40, *, name: bool = False) -> str:
    """Only letters, digits, '.', '-' and '_' (and spaces and '/' in a ``name``, such as a
    scenario's); each other run becomes '?'; cut short."""
    cleaned = (_UNSAFE_NAME_RUN if name else _UNSAFE_RUN).sub("?", text)
    return cleaned[:limit] + "…" if len(cleaned) > limit else cleaned


def _shown(key: str) -> str:
    """A link key for a warning: as it is when plain and short, else quoted and cleaned."""
    if _SAFE.fullmatch(key) and len(key) <= 40:
        return key
    return _quoted(key)


def _quoted(text: str, *, name: bool = False) -> str:
    return f"'{_clean(text, name=name)}'"
