"""One entry in the view-control table is all a page control needs to travel in a link: its
key, its check against the file, its length limit and its line in the README's key list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from market import Assumptions, load_assumptions, view_controls
from market.query import QueryProblem, decode, encode_view
from market.view_controls import VIEW_CONTROLS, Kind, ViewControl, control_for_key

PROJECT = Path(__file__).resolve().parents[2]
FILES = ("healthcare-microservices.yaml", "example-coffee-subscriptions.yaml")
BASES = {name: load_assumptions(PROJECT / "assumptions" / name) for name in FILES}
A = BASES[FILES[0]]

NEW = ViewControl(
    key="v.level",
    name="segments.level",
    meaning="Segments: a made-up control for this test",
    example="region",
    kind=Kind.CHOICE,
    options=lambda a: [d.id for d in a.dimensions],
    refused=lambda quoted, a: f"{quoted} is not a level here",
    default=lambda a, options: options[0],
)


def opened(params: dict[str, str], a: Assumptions = A) -> tuple[dict[str, object], list[str]]:
    decoded = decode(params, ["a.yaml"], lambda _: a, default_file="a.yaml")
    return decoded.view, list(decoded.warnings)


def test_each_control_has_its_own_key_and_name() -> None:
    keys = [c.key for c in VIEW_CONTROLS]
    names = [c.name for c in VIEW_CONTROLS]
    assert len(set(keys)) == len(keys) and len(set(names)) == len(names)
    assert all(re.fullmatch(r"v\.[a-z-]+", key) for key in keys)
    assert all(control_for_key(c.key) is c for c in VIEW_CONTROLS)


@pytest.mark.parametrize("file", FILES)
def test_what_a_page_first_shows_is_among_what_it_offers(file: str) -> None:
    a = BASES[file]
    for control in VIEW_CONTROLS:
        if control.options is None or not control.options(a):
            continue  # the saved scenarios; or regions split by nothing in a market without any
        options = list(control.options(a))
        assert control.default(a, options) in options, control.key


def test_the_readme_lists_every_control_as_the_table_has_it() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\s*\| `(v\.[a-z-]+)` \| (.+?) \| `([^`]+)` \|$", readme, flags=re.M)
    assert rows == [(c.key, c.meaning, f"{c.key}={c.example}") for c in VIEW_CONTROLS]


def test_without_the_entry_its_key_is_unknown() -> None:
    assert opened({"v.level": "region"}) == ({}, ["v.level: not a setting the dashboard knows"])


def test_a_new_entry_is_written_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_controls, "VIEW_CONTROLS", (*VIEW_CONTROLS, NEW))

    params = encode_view({NEW.name: "region"}, {NEW.name: "component"}, A, current="")
    assert params == {"v.level": "region"}
    assert encode_view({NEW.name: "component"}, {NEW.name: "component"}, A, current="") == {}
    assert opened(params) == ({NEW.name: "region"}, [])
    assert opened({"v.level": "colour"}) == ({}, ["v.level: 'colour' is not a level here"])
    too_long = decode({"v.level": "x" * 51}, ["a.yaml"], lambda _: A, default_file="a.yaml")
    assert too_long.problems == (QueryProblem("v.level", "the value is longer than 50 characters"),)
