"""The model layer never reaches for the front end: market/ imports neither Streamlit nor Plotly.

Checked twice: by importing every module in a fresh interpreter and looking at what got
loaded (catches indirect imports), and by reading every file's syntax tree (catches an
import hidden in a function that the first check would not run).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

FRONT_END = ("streamlit", "plotly")
PROJECT = Path(__file__).resolve().parents[2]
MARKET = PROJECT / "market"

_IMPORT_ALL = """
import importlib, json, pkgutil, sys
import market
names = ["market"] + [
    m.name for m in pkgutil.walk_packages(market.__path__, "market.")
    if m.name.rpartition(".")[2] != "__main__"  # running it would run the command
]
for name in names + sys.argv[1:]:
    importlib.import_module(name)
front_end = sorted(m for m in sys.modules if m.split(".")[0] in {front_end!r})
print(json.dumps({{"imported": names, "front_end": front_end}}))
"""


def import_in_fresh_interpreter(*extra: str) -> dict[str, list[str]]:
    """Import market, its modules and ``extra`` in a new Python: what was imported, and loaded."""
    script = _IMPORT_ALL.format(front_end=set(FRONT_END))
    done = subprocess.run(
        [sys.executable, "-c", script, *extra],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def front_end_imports(source: str) -> list[str]:
    """The Streamlit or Plotly modules a Python source imports, however it spells the import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(first.value)
    return [name for name in found if name.split(".")[0] in FRONT_END]


def _is_dynamic_import(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def test_importing_the_model_loads_no_front_end() -> None:
    result = import_in_fresh_interpreter()
    for module in (
        "market",
        "market.assumptions",
        "market.io",
        "market.model",
        "market.parameters",
    ):
        assert module in result["imported"]
    assert result["front_end"] == []


def test_the_fresh_interpreter_check_would_see_a_front_end_import() -> None:
    assert "plotly" in import_in_fresh_interpreter("plotly")["front_end"]


def test_the_syntax_check_sees_every_spelling() -> None:
    source = """
import plotly.graph_objects as go
from streamlit import session_state
import json, streamlit
def later():
    import importlib
    return importlib.import_module("plotly.express"), __import__("streamlit")
from .streamlit_free import x
"""
    assert sorted(front_end_imports(source)) == [
        "plotly.express",
        "plotly.graph_objects",
        "streamlit",
        "streamlit",
        "streamlit",
    ]


MODEL_FILES = sorted(MARKET.rglob("*.py"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_no_model_file_imports_the_front_end(path: Path) -> None:
    assert front_end_imports(path.read_text(encoding="utf-8")) == []


def test_the_syntax_check_covers_the_core_modules() -> None:
    names = {p.name for p in MODEL_FILES}
    assert {"assumptions.py", "io.py", "model.py", "parameters.py", "__init__.py"} <= names
