"""The layers import only downward: market <- report, store <- the front ends (dashboard, cli, api).

The README's import table, as data. Each layer may import the layers listed for it and no
other project package; the model and the renderers load no Streamlit, and the model no Plotly.
Checked three ways, so no spelling slips through:
- in a fresh interpreter, every module of a layer is imported with the layers above it made
  unimportable (an import finder that refuses them), which catches indirect imports;
- every file's syntax tree is read for import statements, including ones hidden in functions;
- and for imports *by name*: ``importlib.import_module("dashboard.x")``, ``__import__`` and
  ``"module:function"`` strings naming a module of a higher layer.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

MAY_IMPORT: dict[str, frozenset[str]] = {
    "market": frozenset(),
    "report": frozenset({"market"}),
    "store": frozenset({"market"}),
    "dashboard": frozenset({"market", "report", "store"}),
    "cli": frozenset({"market", "report", "store"}),
    "api": frozenset({"market", "report", "store"}),
}
"""Each layer (a top-level package) and the project packages it may import."""

NEVER_LOADS: dict[str, frozenset[str]] = {
    "market": frozenset({"streamlit", "plotly"}),
    "report": frozenset({"streamlit"}),
    "store": frozenset({"streamlit", "plotly"}),
    "cli": frozenset({"streamlit"}),
    "api": frozenset({"streamlit"}),
}
"""Third-party front ends a layer must not load, directly or through another module."""

LAYERS = tuple(MAY_IMPORT)


def forbidden_for(layer: str) -> frozenset[str]:
    """What importing ``layer`` must never load: the other layers it may not use, and its
    banned libraries."""
    others = {name for name in LAYERS if name != layer} - MAY_IMPORT[layer]
    return frozenset(others | {"pages", "app"}) | NEVER_LOADS.get(layer, frozenset())


_IMPORT_LAYER = """
import importlib, importlib.abc, json, pkgutil, sys

layer, forbidden = sys.argv[1], set(sys.argv[2].split(","))

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in forbidden:
            raise ImportError(f"{name} is a higher layer than {layer}")
        return None

sys.meta_path.insert(0, Refuse())
package = importlib.import_module(layer)
names = [layer] + [
    m.name for m in pkgutil.walk_packages(package.__path__, layer + ".")
    if m.name.rpartition(".")[2] != "__main__"  # running it would run the command
]
for name in names + sys.argv[3:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps({"imported": names, "loaded": loaded}))
"""


def import_layer(layer: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """Import every module of ``layer`` (and ``extra``) in a fresh Python that refuses the
    packages ``layer`` may not use."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            _IMPORT_LAYER,
            layer,
            ",".join(sorted(forbidden_for(layer))),
            *extra,
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def project_modules() -> set[str]:
    """Every importable module of the layers, dotted (``report.charts.layout``)."""
    names = set()
    for layer in LAYERS:
        for path in (PROJECT / layer).rglob("*.py"):
            parts = path.relative_to(PROJECT).with_suffix("").parts
            names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


_BY_NAME = re.compile(r"^([A-Za-z_][\w.]*)(?::\w+)?$")


def imported_names(source: str, modules: set[str]) -> list[str]:
    """Every module a Python source imports: statements anywhere, dynamic imports, and
    strings that name one of ``modules`` (``"report.brief"``, ``"report.deck:deck_file"``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = _BY_NAME.match(node.value)
            if named and ("." in node.value or ":" in node.value) and named[1] in modules:
                found.append(named[1])
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(first.value)
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def violations(layer: str, source: str, modules: set[str]) -> list[str]:
    """The modules a source of ``layer`` imports although it may not, each once, sorted."""
    forbidden = forbidden_for(layer)
    return sorted({n for n in imported_names(source, modules) if n.split(".")[0] in forbidden})


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_with_the_layers_above_it_unimportable(layer: str) -> None:
    done = import_layer(layer)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert layer in result["imported"]
    assert result["loaded"] == []


def test_the_import_check_fails_when_a_layer_reaches_up() -> None:
    # report's own modules, plus one of the dashboard's: the refusal must stop the run.
    done = import_layer("report", "dashboard.state")
    assert done.returncode != 0
    assert "higher layer" in done.stderr


def test_the_import_check_covers_every_module_of_a_layer() -> None:
    result = json.loads(import_layer("report").stdout)
    assert {"report.brief", "report.deck", "report.formats", "report.charts.layout"} <= set(
        result["imported"]
    )


SOURCES = sorted(
    (layer, path) for layer in LAYERS for path in sorted((PROJECT / layer).rglob("*.py"))
)


@pytest.mark.parametrize(
    ("layer", "path"), SOURCES, ids=[str(p.relative_to(PROJECT)) for _, p in SOURCES]
)
def test_no_file_imports_a_higher_layer_by_statement_or_by_name(layer: str, path: Path) -> None:
    assert violations(layer, path.read_text(encoding="utf-8"), project_modules()) == []


def test_the_syntax_check_sees_every_spelling() -> None:
    source = """
import plotly.graph_objects as go
from streamlit import session_state
import json, dashboard.state
def later():
    import importlib
    return importlib.import_module("cli.main"), __import__("streamlit")
RENDERER = "dashboard.state:page"
NOT_A_MODULE = "report.pdf"
from .relative import x
"""
    modules = {"dashboard.state", "cli.main", "report.brief"}
    assert violations("market", source, modules) == [
        "cli.main",
        "dashboard.state",
        "plotly.graph_objects",
        "streamlit",
    ]
    assert violations("market", 'RENDERER = "dashboard.state:page"', modules) == ["dashboard.state"]
    assert violations("report", "import dashboard", modules) == ["dashboard"]
    assert violations("report", "import plotly", modules) == []


def test_the_syntax_check_covers_every_layer() -> None:
    assert {layer for layer, _ in SOURCES} == set(LAYERS)
    assert {"report.brief", "report.formats", "cli.main", "market.model"} <= project_modules()
