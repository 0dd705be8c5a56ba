"""Reading and writing assumptions files, with problems located in the file.

A file is read with a safe YAML loader that also refuses duplicate keys (YAML itself
lets a later key silently win, which hides typos). Merge keys (``<<: *defaults``), which
analysts use to share a block, are read as ``yaml.safe_load`` reads them: the keys written
beside one win over the merged ones. Every problem, whether YAML syntax
or a pydantic validation error, is reported as a :class:`Problem` naming the place:
the field path and, when the file has it, the line and column.

Uploads come from anyone who can reach the dashboard, so reading is bounded: the file
size before parsing; the nesting depth and the number of values while parsing; the
number of values once aliases (``*name``, merged or not) are expanded, which a few lines
of anchors can make exponential, before any Python value is built; and last the number of segments
the model has to compute.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from market.assumptions import Assumptions

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_SEGMENTS",
    "MAX_VALUES",
    "AssumptionsError",
    "Problem",
    "dump_assumptions",
    "field_location",
    "load_assumptions",
    "parse_assumptions",
    "read_yaml",
    "save_assumptions",
    "write_atomically",
]

MAX_FILE_BYTES = 1_000_000
"""Larger files are refused before parsing: no real market needs a megabyte of YAML."""
MAX_DEPTH = 100
"""Deeper documents are refused while parsing. Each level of sub-segments takes two (a
mapping and its list), and the default market needs eight; the limit comes long before
Python's recursion limit, so the answer and its cost do not depend on the interpreter."""
MAX_SEGMENTS = 500
"""Files with more segments in all (every dimension, every level) are refused: the Risk
page simulates each one, which takes seconds of a shared server per few hundred. The
default market has 34; a region dimension of every country in the world still fits."""
MAX_VALUES = 50_000
"""Documents holding more values (mappings, lists and scalars, each alias counted as a copy
of what it names) are refused while parsing, which costs a few microseconds a value in
pure Python: the default market holds about 560, one with MAX_SEGMENTS about 6,000."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, and where."""

    location: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.location or "file"
        if self.line is not None:
            where += f" (line {self.line}" + (f", column {self.column})" if self.column else ")")
        return f"{where}: {self.message}"


class AssumptionsError(ValueError):
    """An assumptions file that cannot be used; ``problems`` says every reason."""

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{source} is not a valid assumptions file:\n{lines}")


class _TooBig(yaml.YAMLError):
    """A document past a limit, and where reading stopped (line and column from 1)."""

    def __init__(self, message: str, where: tuple[int, int]) -> None:
        super().__init__(message)
        self.line, self.column = where


if yaml.__with_libyaml__:  # libyaml scans and parses in C, about eight times faster
    from yaml._yaml import CParser as _CParser

    class _SafeBase(_CParser, Composer, SafeConstructor, Resolver):
        """libyaml's events, PyYAML's own composer and safe constructor.

        The composer stays in Python so that the limits below apply while nodes are built.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        get_single_node = Composer.get_single_node
        compose_node = Composer.compose_node

else:  # a PyYAML built without libyaml: the pure-Python SafeLoader
    _SafeBase = yaml.SafeLoader  # type: ignore[misc,assignment]


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _UniqueKeyLoader(_SafeBase):
    """A safe loader that refuses a key given twice in one mapping, nesting past MAX_DEPTH
    and more than MAX_VALUES values written out."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._values = 0
        self._written: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        # PyYAML's scanner slows quadratically with the depth of flow collections, and
        # would carry on until the recursion limit: stop at MAX_DEPTH instead. A megabyte
        # of one-character values takes many seconds: stop counting at MAX_VALUES.
        self._values += 1
        if self._depth >= MAX_DEPTH:
            message = f"nested more than {MAX_DEPTH} levels deep"
            raise _TooBig(message, self._here())
        if self._values > MAX_VALUES:
            message = f"the document holds more than {MAX_VALUES:,} values"
            raise _TooBig(message, self._here())
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _here(self) -> tuple[int, int]:
        """Line and column (from 1) where the node about to be composed starts."""
        event = self.peek_event()
        mark = event.start_mark if event is not None else None
        if mark is None:  # compose_node is only called with an event to compose
            raise yaml.YAMLError("the document ended while a value was expected")
        return mark.line + 1, mark.column + 1

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge in place, once the pairs the mapping writes itself are noted: merging a
        mapping that names this one flattens this one first, whichever is built first."""
        if id(node) not in self._written:
            self._written[id(node)] = [pair for pair in node.value if pair[0].tag != _MERGE_TAG]
        super().flatten_mapping(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # A merge key (``<<: *defaults``) brings in the keys of the mappings it names, and
        # a key written beside it wins over theirs (YAML 1.1's merge): only the keys this
        # mapping writes itself must be distinct. Merged values were counted with their
        # aliases (_check_expansion) before anything is built here.
        self.flatten_mapping(node)
        seen: set[Any] = set()
        for key_node, _ in self._written[id(node)]:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    None, None, f"a {type(key).__name__} cannot be a key", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_assumptions(text: str | bytes, source: str = "<text>") -> Assumptions:
    """Validate the YAML text of an assumptions file, or raise :class:`AssumptionsError`."""
    if len(text) > MAX_FILE_BYTES:
        raise AssumptionsError(
            source, [Problem("file", f"larger than {MAX_FILE_BYTES:,} bytes ({len(text):,})")]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            problem = Problem("file", f"not UTF-8 text ({err.reason})")
            raise AssumptionsError(source, [problem]) from None
    root, data = read_yaml(text, source)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        raise AssumptionsError(source, [Problem("file", f"the document is {kind}")])
    try:
        a = Assumptions.model_validate(data)
    except ValidationError as err:
        problems = [_field_problem(e, root, data) for e in err.errors()]
        raise AssumptionsError(source, problems) from None
    count = a.segment_count
    if count > MAX_SEGMENTS:
        message = f"{count:,} segments in all; at most {MAX_SEGMENTS:,} are allowed"
        problem = _field_problem({"loc": ("dimensions",), "msg": message}, root, data)
        raise AssumptionsError(source, [problem])
    return a


def read_yaml(text: str, source: str = "<text>") -> tuple[yaml.Node | None, Any]:
    """The document's node tree (kept to locate problems) and its Python value, read with
    the hardened loader: safe tags only, no duplicate keys, MAX_DEPTH and MAX_VALUES
    (aliases expanded). Every YAML file the project reads goes through here; a problem
    raises :class:`AssumptionsError` with its line and column."""
    loader = _UniqueKeyLoader(text)  # a SafeLoader subclass: no Python tags
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_expansion(root, source)
        return root, loader.construct_document(root)
    except _TooBig as err:
        raise AssumptionsError(source, [Problem("file", str(err), err.line, err.column)]) from None
    except yaml.YAMLError as err:
        raise AssumptionsError(source, [_yaml_problem(err)]) from None
    except RecursionError:  # a last resort: MAX_DEPTH comes first
        raise AssumptionsError(source, [Problem("file", "nested too deeply")]) from None
    finally:
        loader.dispose()


def load_assumptions(path: str | os.PathLike[str]) -> Assumptions:
    """Read and validate an assumptions file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AssumptionsError(
                str(path), [Problem("file", f"larger than {MAX_FILE_BYTES:,} bytes ({size:,})")]
            )
        with path.open("rb") as handle:  # bounded by what is read: /dev/zero has st_size 0
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise AssumptionsError(str(path), [Problem("file", err.strerror or str(err))]) from None
    return parse_assumptions(raw, source=str(path))


def dump_assumptions(a: Assumptions) -> str:
    """The YAML text of an assumptions model, keys in schema order, ids spelled out."""
    data = a.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_assumptions(a: Assumptions, path: str | os.PathLike[str]) -> Path:
    """Write an assumptions file atomically: readers see the old file or the new one, never half."""
    return write_atomically(Path(path), dump_assumptions(a))


TEMPORARY_SUFFIX = ".tmp"
""":func:`write_atomically` writes ``.<name>.<12 hex digits>.tmp`` beside its target first
(``<name>`` cut short when the whole would be longer than a name may be)."""


def write_atomically(path: Path, text: str | bytes, *, exclusive: bool = False) -> Path:
    """Write ``text`` (UTF-8) or bytes to a temporary file beside ``path``, flush it to disk,
    then rename. The one file writer: saves, scenarios and every exported format.

    The file keeps the permissions it had, and a new file gets the usual ones (the umask
    applied to 0o666): ``tempfile.mkstemp`` would leave every saved file readable by its
    owner alone, which breaks a volume shared with another user.

    With ``exclusive`` the finished file is hard-linked into place (``link(2)``), which
    fails with FileExistsError if anything already has that name, in this process or any
    other on the same volume: a new name is claimed by exactly one writer.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(_temporary_name(path))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)
            os.unlink(tmp)
            return path
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _temporary_name(path: Path) -> str:
    """``.<name>.<12 hex digits>.tmp``, the name cut short where the whole would not fit the
    folder's limit on a name's bytes (255 on most file systems), so that any legal name
    can be written."""
    token = f".{secrets.token_hex(6)}{TEMPORARY_SUFFIX}"
    try:
        limit = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    name = path.name
    while name[1:] and len(os.fsencode(f".{name}{token}")) > limit:
        name = name[:-1]
    return f".{name}{token}"


def _yaml_problem(err: yaml.YAMLError) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None)
    message = f"YAML syntax: {context + ', ' if context else ''}{problem}"
    if mark is None:
        return Problem("file", message)
    return Problem("file", message, line=mark.line + 1, column=mark.column + 1)


def _check_expansion(root: yaml.Node, source: str) -> None:
    """Refuse a document whose aliases make it hold more than :data:`MAX_VALUES` values.

    The composed tree shares an anchored node between its aliases, so it stays as small
    as the text; building Python values and validating them would walk every copy
    (nine anchors of nine aliases each stand for 9**9 values in a few hundred bytes).
    An alias inside the value it names would never end, and is refused too.
    """
    sizes: dict[int, int] = {}  # values under each finished node, copies included
    entered: set[int] = set()  # nodes on the path from the root to the current one
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if finished:
            entered.discard(id(node))
            sizes[id(node)] = min(MAX_VALUES + 1, 1 + sum(sizes[id(c)] for c in children))
        elif id(node) in entered:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            message = "an alias (*name) stands for a value that contains it"
            raise AssumptionsError(source, [Problem("file", message, line, column)])
        elif id(node) not in sizes:
            entered.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    if sizes[id(root)] > MAX_VALUES:  # as written it was small enough: the aliases are not
        message = (
            f"the document holds more than {MAX_VALUES:,} values once its aliases (*name) "
            "are expanded; write the values out instead"
        )
        raise AssumptionsError(source, [Problem("file", message)])


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def field_location(loc: Iterable[str | int], data: object) -> str:
    """A pydantic error location as an analyst reads it: ``dimensions[Region].segments[Europe]``.

    pydantic counts list items from 0 (``dimensions.4.segments.1.share``), which nobody
    editing the file can follow; an item is named instead by its ``name``, ``id`` or
    ``year`` in ``data`` (the input that failed), and keeps its position only without one.
    """
    text = ""
    node = data
    for part in (p for p in loc if not _is_validator_tag(p)):
        if isinstance(part, int):
            in_range = isinstance(node, list | tuple) and 0 <= part < len(node)
            node = node[part] if in_range and isinstance(node, list | tuple) else None
            text += f"[{_item_label(node, part)}]"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text or "file"


def _item_label(item: object, index: int) -> str:
    if isinstance(item, dict):
        for key in ("name", "id", "year"):
            value = item.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                return str(value).strip()
    return str(index)


def _field_problem(error: Any, root: yaml.Node | None, data: object) -> Problem:
    loc = [part for part in error["loc"] if not _is_validator_tag(part)]
    message = error["msg"].removeprefix("Value error, ")
    node = _node_at(root, loc)
    if node is None or not loc:
        # a check on the whole document has no better line than the first one: give none
        return Problem(field_location(loc, data), message)
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return Problem(field_location(loc, data), message, line=line, column=column)


def _is_validator_tag(part: object) -> bool:
    # pydantic puts union/function tags such as "function-after[...]" into locations
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _node_at(node: yaml.Node | None, loc: list[Any]) -> yaml.Node | None:
    """The deepest YAML node along a pydantic location path."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        else:
            child = None
        if child is None:
            return node
        node = child
    return node
