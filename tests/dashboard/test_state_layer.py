"""Only dashboard/state.py touches ``st.session_state`` and ``st.query_params``.

A session's state has one owner, so a page switch, a share link and a saved scenario see
the same thing. Every file in dashboard/, pages/ and app.py is read as a syntax tree; any
other file that reaches either attribute (``st.session_state``, ``from streamlit import
query_params``, ``getattr(st, "session_state")``) fails, naming the file and the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
OWNER = PROJECT / "dashboard" / "state.py"
GUARDED = ("session_state", "query_params")
FRONT_END_FILES = sorted(
    [*(PROJECT / "dashboard").rglob("*.py"), *(PROJECT / "pages").rglob("*.py"), PROJECT / "app.py"]
)


def state_accesses(source: str) -> list[tuple[int, str]]:
    """``(line, name)`` of every reach for the session's state in a Python source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in GUARDED:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            found += [(node.lineno, a.name) for a in node.names if a.name in GUARDED]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in GUARDED
        ):
            found.append((node.lineno, node.args[1].value))
    return sorted(found)


def test_the_check_sees_every_spelling() -> None:
    source = """
import streamlit as st
from streamlit import query_params as q
key = st.session_state.get("x")
def later():
    st.query_params["file"] = "a"
    return getattr(st, "session_state")
st.session_stateful = 1  # another name: not state
"""
    assert state_accesses(source) == [
        (3, "query_params"),
        (4, "session_state"),
        (6, "query_params"),
        (7, "session_state"),
    ]


def test_the_check_covers_the_front_end() -> None:
    names = {str(p.relative_to(PROJECT)) for p in FRONT_END_FILES}
    assert {"app.py", "dashboard/sidebar.py", "dashboard/scenario_panel.py"} <= names
    assert any(name.startswith("pages/") for name in names)
    assert state_accesses(OWNER.read_text(encoding="utf-8")), "state.py is where state lives"


@pytest.mark.parametrize(
    "path",
    [p for p in FRONT_END_FILES if p != OWNER],
    ids=lambda p: str(p.relative_to(PROJECT)),
)
def test_only_state_py_touches_the_session(path: Path) -> None:
    where = str(path.relative_to(PROJECT))
    found = [
        f"{where}:{line} uses {name}" for line, name in state_accesses(path.read_text("utf-8"))
    ]
    assert found == [], (
        "only dashboard/state.py may touch them; add a function there:\n" + "\n".join(found)
    )
