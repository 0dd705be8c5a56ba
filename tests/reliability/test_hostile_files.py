"""Hostile assumptions files: refused by ``market validate`` and by the dashboard's upload
with a reason that names the place, never with a traceback, and nothing on disk changes.

Every broken file is tried three ways: ``market validate`` in this process (exit status
2, one line per problem, each starting with the file's name), the same bytes uploaded in
one shared dashboard session (a sidebar warning with the same reasons, no exception, the
selected file kept, the folders unchanged), and for the dangerous ones a real
``python -m cli validate`` process. Files that are odd but valid must work in both.
Hypothesis then breaks the default market file at random in the ways an editor would.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cli import main
from market import AssumptionsError, parse_assumptions
from market.assumptions import MAX_ESTIMATES
from market.io import MAX_DEPTH, MAX_FILE_BYTES, MAX_SEGMENTS, MAX_VALUES
from tests.conftest import examples
from tests.pages.conftest import metric
from tests.reliability.conftest import PROJECT, Dashboard, shown_text, snapshot

DEFAULT_TEXT = (PROJECT / "assumptions" / "healthcare-microservices.yaml").read_text("utf-8")
DEFAULT_DATA: dict[str, Any] = yaml.safe_load(DEFAULT_TEXT)
MARKER = Path(tempfile.gettempdir()) / f"pwned-{uuid.uuid4().hex}"
"""A file the YAML tags below would create if the loader ever ran Python."""


# --- building files ------------------------------------------------------------------------


def dumped(data: object) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


def edited(edit: Callable[[dict[str, Any]], object]) -> bytes:
    """The default market with one edit applied to a copy of its data."""
    data = copy.deepcopy(DEFAULT_DATA)
    edit(data)
    return dumped(data)


def dimension(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in data["dimensions"] if d["name"] == name)


def segment(name: str, share: float = 1.0, **more: Any) -> dict[str, Any]:
    return {"name": name, "share": share, "provenance": "assumed", "rationale": "a test", **more}


def nested_segments(depth: int) -> dict[str, Any]:
    """A segment with one sub-segment, which has one, and so on, ``depth`` levels down."""
    inner = segment(f"Level {depth}")
    for level in range(depth - 1, -1, -1):
        inner = segment(f"Level {level}", segments=[inner])
    return inner


def with_region_segments(segments: list[dict[str, Any]]) -> bytes:
    return edited(lambda d: dimension(d, "Region").update(segments=segments))


def count_segments(segments: list[dict[str, Any]]) -> int:
    return sum(1 + count_segments(s.get("segments", [])) for s in segments)


NOT_REGIONS = sum(
    count_segments(d["segments"]) for d in DEFAULT_DATA["dimensions"] if d["name"] != "Region"
)


def regions(beyond_the_limit: int) -> list[dict[str, Any]]:
    """As many region segments as bring the default market to MAX_SEGMENTS, and more."""
    count = MAX_SEGMENTS - NOT_REGIONS + beyond_the_limit
    return [segment(f"Region {i}") for i in range(count)]


def segment_bomb(levels: int) -> bytes:
    """Each anchor lists the one before nine times: 9**levels segments in ~2 KB of YAML."""
    lines = ["bomb0: &s0 {name: a, share: 1, provenance: assumed, rationale: r}"]
    for level in range(1, levels + 1):
        children = ", ".join([f"*s{level - 1}"] * 9)
        lines.append(
            f"bomb{level}: &s{level} "
            f"{{name: a, share: 1, provenance: assumed, rationale: r, segments: [{children}]}}"
        )
    bomb = "\n".join(lines).replace("bomb", "x-bomb")  # unknown keys hold the anchors
    data = {key: value for key, value in DEFAULT_DATA.items() if key != "dimensions"}
    data["dimensions"] = DEFAULT_DATA["dimensions"][:1]  # last, so a dimension can follow
    text = dumped(data).decode() + f"- {{name: Bomb, segments: [*s{levels}]}}\n"
    return f"{bomb}\n{text}".encode()


def billion_laughs() -> bytes:
    """The classic: nine anchors of nine aliases, 9**9 strings once expanded."""
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    return (
        "\n".join(lines) + "\n" + DEFAULT_TEXT.replace("factors:", "bomb: *l8\nfactors:", 1)
    ).encode()


def tagged(tag_line: str) -> bytes:
    return tag_line.replace("MARKER", str(MARKER)).encode()


MERGED = (
    DEFAULT_TEXT.replace("name: Microservices in healthcare", "name: Edge merge keys")
    .replace(
        "      - name: Cloud\n        share: 50\n        differential_pp: 2.5\n",
        "      - &cloud\n        name: Cloud\n        share: 50\n        differential_pp: 2.5\n",
    )
    .replace(
        "      - name: Hybrid\n        share: 20\n        differential_pp: 1.0\n"
        "        provenance: assumed\n"
        "        rationale: A bridge for organisations moving from on-premises systems.\n",
        "      - <<: *cloud\n        name: Hybrid\n        share: 20\n",
    )
    .encode()
)
"""Hybrid takes Cloud's differential, provenance and rationale from a merge key (``<<``)."""


def merge_bomb(levels: int) -> bytes:
    """Each level merges the one before nine times: few keys once built, but every merge
    is counted as a copy of what it names, as an alias is."""
    lines = ["x-m0: &m0 {a: 1}"]
    lines += [f"x-m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}" for i in range(1, 7)]
    return ("\n".join(lines) + "\n" + DEFAULT_TEXT).encode()


# --- the cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """A file that must be refused, and text each refusal must contain (places, reasons)."""

    content: bytes
    places: tuple[str, ...]


def _cagr(value: float) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["growth"]["cagr_pct"].update(value=value)


def _years(**years: int) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["years"].update(years)


def _all_region_shares(value: float) -> Callable[[dict[str, Any]], None]:
    def edit(d: dict[str, Any]) -> None:
        for s in dimension(d, "Region")["segments"]:
            s["share"] = value

    return edit


def _estimate_figure(year: int) -> Callable[[dict[str, Any]], None]:
    """A figure of the second estimate, first in its list, in ``year``."""
    figure = {"year": year, "value": 5.0, "citation": "a far figure"}
    return lambda d: d["estimates"][1]["values"].insert(0, figure)


def many_estimates(count: int) -> list[dict[str, Any]]:
    """``count`` more estimates, each stating two figures 200 years apart."""
    return [
        {
            "id": f"extra-{i}",
            "publisher": "p",
            "title": "t",
            "values": [{"year": y, "value": 1.0 + i, "citation": "c"} for y in (1832, 2032)],
        }
        for i in range(count)
    ]


def _dimension_names(first: str, second: str) -> Callable[[dict[str, Any]], None]:
    """The first two dimensions renamed, each with an id of its own."""

    def edit(d: dict[str, Any]) -> None:
        d["dimensions"][0].update(name=first, id="one")
        d["dimensions"][1].update(name=second, id="two")

    return edit


def _stated_period(start: int, end: int) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["estimates"][0]["cagr_pct"].update(start=start, end=end)


def _only_years(first: int, base: int, horizon: int) -> Callable[[dict[str, Any]], None]:
    """The market moved to other years: its figures in ``reported``, no estimates."""

    def edit(d: dict[str, Any]) -> None:
        d.pop("estimates")
        d.pop("calibrated_to")
        d["years"] = {"first": first, "base": base, "horizon": horizon}
        d["reported"] = [
            {"year": y, "value": 100.0 + y - first, "citation": "c"} for y in range(first, base)
        ]

    return edit


LONG_INT = 9_223_372_036_854_775_807  # the largest 64-bit integer

BROKEN: dict[str, Broken] = {
    "a tab where indentation goes": Broken(b"market:\n\tname: x\n", ("(line 2, column 1)",)),
    "an unclosed list": Broken(b"market: [a, b\nyears: 1\n", ("YAML syntax", "(line 2")),
    "a year as text": Broken(
        edited(lambda d: d["years"].update(base="soon")), ("years.base (line",)
    ),
    "a share as text": Broken(
        edited(lambda d: dimension(d, "Region")["segments"][1].update(share="lots")),
        ("dimensions[Region].segments[Europe].share (line",),
    ),
    "the growth section missing": Broken(edited(lambda d: d.pop("growth")), ("growth (line",)),
    "a citation missing": Broken(
        edited(lambda d: d["growth"]["cagr_pct"].pop("citation")),
        ("growth.cagr_pct (line", "citation"),
    ),
    "an unknown field": Broken(
        edited(lambda d: d["market"].update(colour="blue")),
        ("market.colour (line",),
    ),
    "an empty file": Broken(b"", ("empty",)),
    "only comments": Broken(b"# nothing here yet\n\n", ("empty",)),
    "a list, not a mapping": Broken(b"- market\n- years\n", ("a list, not a mapping",)),
    "a number, not a mapping": Broken(b"42\n", ("int, not a mapping",)),
    "a file over the size limit": Broken(
        DEFAULT_TEXT.encode() + b"#" * MAX_FILE_BYTES, (f"larger than {MAX_FILE_BYTES:,} bytes",)
    ),
    "bytes that are not UTF-8": Broken(b"market:\n  name: \xff\xfe\n", ("not UTF-8",)),
    # Refused and located on line 1; which limit fires first, ours (MAX_DEPTH) or the YAML
    # library's own, depends on how far its scanner reads ahead, so the wording is not ours.
    "10,000 nested lists": Broken(b"[" * 10_000 + b"]" * 10_000, ("(line 1, column ",)),
    "10,000 nested mappings": Broken(
        b"{a: " * 10_000 + b"}" * 10_000, (f"nested more than {MAX_DEPTH} levels deep",)
    ),
    "sub-segments 60 levels deep": Broken(
        with_region_segments([nested_segments(60)]), (f"nested more than {MAX_DEPTH}",)
    ),
    "a python/object/apply tag": Broken(
        tagged('!!python/object/apply:os.system ["touch MARKER"]'), ("python/object/apply",)
    ),
    "a python tag inside a field": Broken(
        tagged(
            DEFAULT_TEXT.replace(
                "unit: USD million", 'unit: !!python/object/apply:os.system ["touch MARKER"]'
            )
        ),
        ("python/object/apply", "(line 16"),
    ),
    "a python/object/new tag": Broken(
        tagged('!!python/object/new:subprocess.Popen [["touch", "MARKER"]]'),
        ("python/object/new",),
    ),
    "a python/name tag": Broken(tagged("market: !!python/name:os.system\n"), ("python/name",)),
    "a key given twice": Broken(
        (DEFAULT_TEXT + "\nyears: {first: 2020, base: 2021, horizon: 2030}\n").encode(),
        ("duplicate key 'years'",),
    ),
    "a CAGR of .nan": Broken(edited(_cagr(float("nan"))), ("growth.cagr_pct.value (line",)),
    "a CAGR of .inf": Broken(edited(_cagr(float("inf"))), ("growth.cagr_pct.value (line",)),
    "a base value of -.inf": Broken(
        edited(lambda d: d["growth"]["base_value"].update(value=float("-inf"))),
        ("growth.base_value.value (line",),
    ),
    "a negative share": Broken(
        edited(lambda d: dimension(d, "Region")["segments"][1].update(share=-5)),
        ("dimensions[Region].segments[Europe].share (line",),
    ),
    "every share zero": Broken(
        edited(_all_region_shares(0)), ("dimensions[Region].segments (line", "all zero")
    ),
    "a CAGR of -100 %": Broken(edited(_cagr(-100)), ("growth.cagr_pct (line", "above -100")),
    "a CAGR of -250 %": Broken(edited(_cagr(-250)), ("growth.cagr_pct (line", "above -100")),
    "years out of order": Broken(
        edited(_years(first=2025)), ("years (line", "first <= base < horizon")
    ),
    "a horizon before the base year": Broken(
        edited(_years(horizon=2020)), ("years (line", "first <= base < horizon")
    ),
    "a horizon at the integer limit": Broken(
        edited(_years(horizon=LONG_INT)), ("years.horizon (line", "from 1 to 9999")
    ),
    "a negative first year": Broken(
        edited(_years(first=-5)), ("years.first (line", "from 1 to 9999, got -5")
    ),
    "a year 0": Broken(edited(_only_years(0, 1, 10)), ("years.first (line", "got 0")),
    "an estimate's figure a million years out": Broken(
        edited(_estimate_figure(1_002_024)),
        ("estimates[360iresearch-2024-2032].values[1002024].year (line 44", "from 1 to 9999"),
    ),
    "an estimate's figure 300 years out": Broken(
        edited(_estimate_figure(2_331)),
        ("estimates[360iresearch-2024-2032].values[2331].year (line 44", "after 2023"),
    ),
    "an estimate's figure 300 years back": Broken(
        edited(_estimate_figure(1_731)),
        ("estimates[360iresearch-2024-2032].values[1731].year (line 44", "before 2032"),
    ),
    "a stated CAGR period at the integer limit": Broken(
        edited(_stated_period(2024, LONG_INT)),
        ("estimates[kings-research].cagr_pct.end (line", "from 1 to 9999"),
    ),
    "a stated CAGR period 500 years back": Broken(
        edited(_stated_period(1524, 1531)),
        ("estimates[kings-research].cagr_pct.start (line", "more than 200 years before 2032"),
    ),
    "a reported year at the integer limit": Broken(
        edited(lambda d: d.update(reported=[{"year": -LONG_INT, "value": 1, "citation": "c"}])),
        ("reported[", "from 1 to 9999"),
    ),
    "one estimate too many": Broken(
        edited(lambda d: d["estimates"].extend(many_estimates(MAX_ESTIMATES - 2))),
        ("estimates (line", f"{MAX_ESTIMATES + 1} estimates; at most {MAX_ESTIMATES}"),
    ),
    "2,000 segments, otherwise valid": Broken(
        with_region_segments([segment(f"Region {i}") for i in range(2000)]),
        ("dimensions (line", f"{2000 + NOT_REGIONS:,} segments in all; at most {MAX_SEGMENTS}"),
    ),
    "one segment too many": Broken(
        with_region_segments(regions(1)), (f"{MAX_SEGMENTS + 1} segments in all",)
    ),
    "2,000 segments with negative shares": Broken(
        with_region_segments([segment(f"Region {i}", -1) for i in range(2000)]),
        ("dimensions[Region].segments[Region 0].share", "dimensions[Region].segments[Region 1999]"),
    ),
    "two region names equal once Unicode-normalised": Broken(
        with_region_segments([segment("Caf\u00e9"), segment("Cafe\u0301")]),
        ("dimensions[Region].segments (line", "'Caf\\xe9' and 'Cafe\\u0301'"),
    ),
    "two dimension names equal once Unicode-normalised": Broken(
        edited(_dimension_names("R\u00e9gion", "Re\u0301gion")),
        ("dimensions (line", "'R\\xe9gion' and 'Re\\u0301gion'"),
    ),
    "2,000 segments with one name": Broken(
        with_region_segments([segment("Everywhere") for _ in range(2000)]),
        ("dimensions[Region].segments (line", "repeated: Everywhere"),
    ),
    "300,000 values written out": Broken(
        ("factors:\n  drivers: [" + "1," * 300_000 + "]\n").encode(),
        (f"the document holds more than {MAX_VALUES:,} values", "(line 2, column"),
    ),
    "billion laughs": Broken(billion_laughs(), ("aliases (*name)", f"{MAX_VALUES:,} values")),
    "an alias bomb of segments": Broken(
        segment_bomb(5), ("aliases (*name)", f"{MAX_VALUES:,} values")
    ),
    "a merge key bomb": Broken(merge_bomb(6), ("aliases (*name)", f"{MAX_VALUES:,} values")),
    "a merge key naming a number": Broken(
        MERGED.replace(b"<<: *cloud", b"<<: 5"), ("(line 197", "mapping or list of mappings")
    ),
    "a key written twice beside a merge key": Broken(
        MERGED.replace(
            b"Hybrid\n        share: 20\n", b"Hybrid\n        share: 20\n        share: 3\n"
        ),
        ("duplicate key 'share'", "(line 200"),
    ),
    "an alias inside itself": Broken(
        DEFAULT_TEXT.replace(
            "- name: Hybrid", "- &loop\n        name: Hybrid\n        x: [*loop]"
        ).encode(),
        ("contains it", "(line"),
    ),
}


def _single_segment(d: dict[str, Any]) -> None:
    d["dimensions"] = [{"name": "Whole market", "segments": [segment("Everyone", 100)]}]


def _zero_differentials(d: dict[str, Any]) -> None:
    for dim in d["dimensions"]:
        for s in dim["segments"]:
            s["differential_pp"] = 0
            for sub in s.get("segments", []):
                sub["differential_pp"] = 0


def _renamed(name: str, edit: Callable[[dict[str, Any]], object]) -> bytes:
    def both(d: dict[str, Any]) -> None:
        edit(d)
        d["market"]["name"] = name

    return edited(both)


VALID: dict[str, bytes] = {
    "a single segment": _renamed("Edge one segment", _single_segment),
    "zero differentials": _renamed("Edge flat segments", _zero_differentials),
    "a zero CAGR": _renamed("Edge zero growth", _cagr(0)),
    "a CAGR just above -100 %": _renamed("Edge collapse", _cagr(-99.9)),
    "sub-segments 40 levels deep": _renamed(
        "Edge deep regions",
        lambda d: dimension(d, "Region").update(segments=[nested_segments(40)]),
    ),
    f"{MAX_SEGMENTS} segments in all": _renamed(
        "Edge many regions", lambda d: dimension(d, "Region").update(segments=regions(0))
    ),
    "the earliest years, 200 of them": _renamed("Edge first years", _only_years(1, 3, 201)),
    "the latest years, 200 of them": _renamed("Edge last years", _only_years(9799, 9800, 9999)),
    "an estimate 200 years from the first year": _renamed(
        "Edge far estimate", _estimate_figure(2223)
    ),
    f"{MAX_ESTIMATES} estimates over 200 years": _renamed(
        "Edge many estimates", lambda d: d["estimates"].extend(many_estimates(MAX_ESTIMATES - 3))
    ),
    "a block shared with a merge key": MERGED,
    "an anchor reused for a rationale": DEFAULT_TEXT.replace(
        "name: Microservices in healthcare", "name: Edge anchors"
    )
    .replace("rationale: Still common", "rationale: &why Still common")
    .replace(
        "rationale: A bridge for organisations moving from on-premises systems.", "rationale: *why"
    )
    .encode(),
}


@pytest.fixture(autouse=True)
def nothing_ran() -> Iterator[None]:
    """No case may run Python from a YAML tag: the marker file must never appear."""
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), "a YAML tag ran a command"


# --- market validate -----------------------------------------------------------------------


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", list(BROKEN))
def test_validate_refuses_with_the_place_of_each_problem(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(BROKEN[case].content)
    code, out, err = validate(path, capsys)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines, "no reason given"
    assert all(line.startswith(str(path)) for line in lines), err[:500]
    for place in BROKEN[case].places:
        assert place in err, f"{place!r} not in:\n{err[:1000]}"


@pytest.mark.parametrize("case", list(VALID))
def test_validate_accepts_odd_but_valid_files(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "edge.yaml"
    path.write_bytes(VALID[case])
    code, out, err = validate(path, capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"OK {path}: Edge ")


DANGEROUS = {
    "a python/object/apply tag": BROKEN["a python/object/apply tag"],
    "10,000 nested lists": BROKEN["10,000 nested lists"],
    "an alias bomb of 9**9 segments": Broken(segment_bomb(9), ("aliases (*name)",)),
}


@pytest.mark.parametrize("case", list(DANGEROUS))
def test_a_real_validate_process_refuses_and_ends(case: str, tmp_path: Path) -> None:
    """Without a bound, the bomb would run for days: a stuck process fails the test."""
    path = tmp_path / "hostile.yaml"
    path.write_bytes(DANGEROUS[case].content)
    result = subprocess.run(
        [sys.executable, "-m", "cli", "validate", str(path)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(str(path))
    assert all(place in result.stderr for place in DANGEROUS[case].places), result.stderr


# --- the dashboard's upload ----------------------------------------------------------------


def refused(dashboard: Dashboard, name: str, content: bytes) -> str:
    """Upload ``content``; check it was refused and changed nothing; the warning shown."""
    before_disk, before_file = snapshot(dashboard.root), dashboard.selected_file()
    at = dashboard.upload(name, content)
    assert not at.exception, at.exception
    text = shown_text(at)
    assert f"{name} was refused:" in text
    assert "Traceback" not in text
    assert dashboard.selected_file() == before_file
    assert not any(name in option for option in dashboard.file_options())
    assert snapshot(dashboard.root) == before_disk
    return text


UPLOADS = {**BROKEN, "an alias bomb of 9**9 segments": DANGEROUS["an alias bomb of 9**9 segments"]}


def places_shown(places: tuple[str, ...], text: str, truncated: bool) -> bool:
    """Every place is named, or the list was cut short after naming the first one."""
    if truncated:
        return places[0] in text
    return all(place in text for place in places)


@pytest.mark.parametrize("case", list(UPLOADS))
def test_an_upload_is_refused_with_the_same_reasons(dashboard: Dashboard, case: str) -> None:
    broken = UPLOADS[case]
    name = f"hostile-{dashboard.uploads}.yaml"
    text = refused(dashboard, name, broken.content)
    truncated = "`market validate` lists them all" in text  # the sidebar shows the first 20
    assert places_shown(broken.places, text, truncated), f"{broken.places} not in:\n{text[:1000]}"
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(broken.content, source=name)
    shown = err.value.problems[:20] if truncated else err.value.problems
    assert all(f"- {problem}" in text for problem in shown)
    if truncated:
        assert f"…and {len(err.value.problems) - 20:,} more" in text


@pytest.mark.parametrize("case", list(VALID))
def test_an_odd_but_valid_upload_is_selected_and_drawn(dashboard: Dashboard, case: str) -> None:
    before = snapshot(dashboard.root)
    name = f"edge-{dashboard.uploads}.yaml"
    at = dashboard.upload(name, VALID[case])
    assert not at.exception, at.exception
    assert dashboard.selected_file() == f"upload: {name}"
    assert at.title[0].value.startswith("Edge ")
    assert snapshot(dashboard.root) == before


def test_a_zero_cagr_upload_keeps_the_market_at_its_base_value(dashboard: Dashboard) -> None:
    at = dashboard.upload(f"flat-{dashboard.uploads}.yaml", VALID["a zero CAGR"])
    assert metric(at, "Market size 2031") == metric(at, "Market size 2024")


# --- random breakage -----------------------------------------------------------------------


def _places(node: object, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, (*prefix, index))


PLACES = list(_places(DEFAULT_DATA))
SHARES = [p for p in PLACES if p[-1] == "share"]
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
edits = st.one_of(
    st.tuples(st.just("delete"), st.sampled_from(PLACES), st.none()),
    st.tuples(st.just("set"), st.sampled_from(PLACES), junk),
    st.tuples(
        st.just("set"),
        st.sampled_from(SHARES),
        st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
    ),
)


def broken_by(changes: list[tuple[str, tuple[str | int, ...], object]]) -> dict[str, Any]:
    """The default market's data with each change applied where its place still exists."""
    data = copy.deepcopy(DEFAULT_DATA)
    for action, place, value in changes:
        parent: Any = data
        try:
            for part in place[:-1]:
                parent = parent[part]
            parent[place[-1]]  # the place must still exist
        except (KeyError, IndexError, TypeError):
            continue
        if action == "delete":
            del parent[place[-1]]
        else:
            parent[place[-1]] = value
    return data


def check_refusal(err: AssumptionsError, changes: list[tuple[str, tuple, object]]) -> None:
    """Every problem is placed, and at least one names a part of the file that was changed."""
    for problem in err.problems:
        assert problem.message
        if problem.location != "file":
            assert problem.line is not None, problem
    touched = {str(place[0]) for _, place, _ in changes}
    assert any(t in str(p) for p in err.problems for t in touched), (touched, err.problems)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(edits, min_size=1, max_size=3))
@example(changes=[("set", ("estimates",), [])])  # calibrated_to then names nothing
@example(changes=[("delete", ("calibrated_to",), None)])  # the history has no source
@example(changes=[("set", ("estimates",), 1.5)])  # raised TypeError once
@example(changes=[("set", ("estimates", 0, "values"), True)])
def test_validate_places_every_problem_of_a_randomly_broken_file(
    changes: list[tuple[str, tuple, object]],
) -> None:
    content = dumped(broken_by(changes))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_bytes(content)
        code = main(["validate", str(path)])
    try:
        parse_assumptions(content)
    except AssumptionsError as err:
        assert code == 2
        check_refusal(err, changes)
    else:
        assert code == 0


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(edits, min_size=1, max_size=3))
# found by the long exploration: a slider's range around this overflowed
@example(changes=[("set", ("dimensions", 2, "segments", 0, "differential_pp"), 1.2773e308)])
@example(changes=[("set", ("market", "currency"), None)])
def test_a_randomly_broken_upload_is_refused_or_used_never_raised(
    dashboard: Dashboard, changes: list[tuple[str, tuple, object]]
) -> None:
    content = dumped(broken_by(changes))
    name = f"fuzzed-{dashboard.uploads}.yaml"
    try:
        parse_assumptions(content)
    except AssumptionsError as err:
        text = refused(dashboard, name, content)
        assert all(f"- {problem}" in text for problem in err.problems)
    else:
        at: AppTest = dashboard.upload(name, content)
        assert not at.exception, at.exception
        assert dashboard.selected_file() == f"upload: {name}"
