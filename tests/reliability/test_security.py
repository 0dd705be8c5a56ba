"""Security rules for an internal host, checked on the code itself.

- YAML is read only with safe loaders: ``yaml.safe_load``, or ``yaml.load``/a loader
  instance whose class is ``SafeLoader`` or derives from it. No full or unsafe loader.
- App code (``app.py``, ``pages/``, ``dashboard/``, ``market/``) runs nothing it reads:
  no ``eval``/``exec``, no pickle, marshal or shelve, no shell or subprocess, and no raw
  HTML in the page. (``benchmarks/`` and the tests start servers with subprocess; they
  are not app code. The ``market`` CLI uses none of it.)
- The dashboard (``app.py``, ``pages/``, ``dashboard/``) writes files only through the
  scenario store: an upload is never saved, the assumptions folder never changes.
- Uploads are limited to the same size everywhere: the model's ``MAX_FILE_BYTES``, the
  server's ``maxUploadSize``, the upload box's label and the README.

Untrusted text never picks a path unchecked; that is tested where the checks live, not
here: scenario names (``tests/market/test_scenarios.py``: traversal, absolute paths,
device names, control characters, long names, case twins, and symlinks out of the
folder) and link file names (``tests/dashboard/test_links.py``: only catalogue names
open). :func:`test_the_path_checks_are_still_tested` keeps those tests from vanishing.
"""

from __future__ import annotations

import ast
import importlib
import re
import tomllib
from collections.abc import Iterator

import pytest
import yaml

from market.io import MAX_FILE_BYTES
from tests.reliability.conftest import PROJECT, UPLOAD, Dashboard

APP_CODE = sorted(
    [PROJECT / "app.py"]
    + [p for folder in ("pages", "dashboard", "market") for p in (PROJECT / folder).rglob("*.py")]
)
SAFE_LOADERS = {
    "yaml.SafeLoader", "yaml.CSafeLoader", "SafeConstructor", "yaml.constructor.SafeConstructor",
}  # fmt: skip
UNSAFE_YAML = {
    "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all",
    "yaml.Loader", "yaml.FullLoader", "yaml.UnsafeLoader", "yaml.CLoader", "yaml.CFullLoader",
    "yaml.CUnsafeLoader", "yaml.Constructor", "yaml.FullConstructor", "yaml.UnsafeConstructor",
}  # fmt: skip
YAML_LOADS = {"yaml.load", "yaml.load_all"}
FORBIDDEN_MODULES = {
    "pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib",
    "subprocess", "pty", "code", "codeop",
}  # fmt: skip
FORBIDDEN_CALLS = {
    "eval", "exec", "compile", "__import__", "os.system", "os.popen", "os.startfile",
    "importlib.import_module", "st.html", "components.html", "st.components.v1.html",
}  # fmt: skip
FORBIDDEN_CALL_PREFIXES = ("os.exec", "os.spawn", "os.posix_spawn")
FORBIDDEN_METHODS = {"read_pickle", "to_pickle"}


def dotted(node: ast.AST) -> str:
    """``yaml.SafeLoader`` for the expression ``yaml.SafeLoader``; '' if not a plain name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def safe_classes(tree: ast.Module) -> set[str]:
    """Classes of this module that derive, directly or not, from a safe YAML loader."""
    bases = {c.name: {dotted(b) for b in c.bases} for c in ast.walk(tree)
             if isinstance(c, ast.ClassDef)}  # fmt: skip
    safe = set(SAFE_LOADERS)
    while grown := {name for name, of in bases.items() if of & safe and name not in safe}:
        safe |= grown
    return safe


def yaml_violations(source: str) -> list[str]:
    """Each way ``source`` could read YAML with a loader that builds Python objects."""
    tree = ast.parse(source)
    safe = safe_classes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "yaml":
            found += [f"from yaml import {a.name}" for a in node.names
                      if f"yaml.{a.name}" in UNSAFE_YAML | YAML_LOADS]  # fmt: skip
        elif isinstance(node, ast.Attribute) and dotted(node) in UNSAFE_YAML:
            found.append(f"line {node.lineno}: {dotted(node)}")
        elif isinstance(node, ast.ClassDef):
            yaml_bases = [
                b
                for b in map(dotted, node.bases)
                if b.startswith("yaml.") and ("Loader" in b or "Constructor" in b)
            ]
            found += [f"class {node.name}({b})" for b in yaml_bases if b not in safe]
        elif isinstance(node, ast.Call) and dotted(node.func) in YAML_LOADS:
            loader = [k.value for k in node.keywords if k.arg == "Loader"] + node.args[1:2]
            if not loader or dotted(loader[0]) not in safe:
                found.append(f"line {node.lineno}: {dotted(node.func)} without a safe Loader")
    return found


def code_violations(source: str) -> list[str]:
    """Each place ``source`` could run code or markup it was given."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            found += [f"import {n}" for n in names if n and n.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if (name in FORBIDDEN_CALLS or name.startswith(FORBIDDEN_CALL_PREFIXES)
                    or method in FORBIDDEN_METHODS):  # fmt: skip
                found.append(f"line {node.lineno}: {name or method}()")
            if any(k.arg == "unsafe_allow_html" for k in node.keywords):
                found.append(f"line {node.lineno}: unsafe_allow_html")
    return found


WRITES = {
    "write_text", "write_bytes", "write_atomically", "save_assumptions", "unlink", "rmtree",
    "mkdir", "touch", "symlink_to", "os.remove", "os.rename", "shutil.move", "shutil.copy",
    "shutil.copyfile", "shutil.copytree",
}  # fmt: skip


def write_violations(source: str) -> list[str]:
    """Each place ``source`` writes or removes a file, other than through a scenario store."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if name in WRITES or method in WRITES:
            found.append(f"line {node.lineno}: {name or method}()")
        elif name == "open" and any(
            isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax+")
            for mode in [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "mode")]
        ):
            found.append(f"line {node.lineno}: open() for writing")
    return found


def app_sources() -> Iterator[tuple[str, str]]:
    for path in APP_CODE:
        yield str(path.relative_to(PROJECT)), path.read_text(encoding="utf-8")


# --- the scanners catch what they should ---------------------------------------------------


@pytest.mark.parametrize(
    "snippet",
    [
        "yaml.load(text)",
        "yaml.load(text, Loader=yaml.Loader)",
        "yaml.load(text, yaml.UnsafeLoader)",
        "yaml.load_all(text, Loader=yaml.FullLoader)",
        "yaml.unsafe_load(text)",
        "yaml.full_load(text)",
        "from yaml import load",
        "from yaml import FullLoader",
        "class Mine(yaml.FullLoader): pass",
        "class Mine(yaml.constructor.UnsafeConstructor): pass",
        "class Mine(yaml.SafeLoader): pass\nclass Worse(Mine, yaml.Loader): pass",
        "loader = yaml.CLoader(text)",
    ],
)
def test_the_yaml_scan_catches_an_unsafe_read(snippet: str) -> None:
    assert yaml_violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "yaml.safe_load(text)",
        "yaml.load(text, Loader=yaml.SafeLoader)",
        "yaml.load(text, yaml.CSafeLoader)",
        "class A(yaml.SafeLoader): pass\nclass B(A): pass\nyaml.load(text, Loader=B)",
        "yaml.compose(text, Loader=yaml.SafeLoader)",
    ],
)
def test_the_yaml_scan_passes_a_safe_read(snippet: str) -> None:
    assert yaml_violations(snippet) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "eval(text)",
        "exec(text)",
        "import pickle",
        "from pickle import loads",
        "import subprocess",
        "os.system(command)",
        "os.execv(path, args)",
        "frame = pd.read_pickle(path)",
        "st.markdown(text, unsafe_allow_html=True)",
        "st.html(text)",
    ],
)
def test_the_code_scan_catches_code_from_data(snippet: str) -> None:
    assert code_violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "path.write_text(text)",
        "Path(name).write_bytes(raw)",
        "write_atomically(path, text)",
        "open(name, 'w')",
        "open(name, mode='ab')",
        "folder.joinpath(name).unlink()",
        "shutil.copy(a, b)",
    ],
)
def test_the_write_scan_catches_a_write(snippet: str) -> None:
    assert write_violations(snippet)


def test_the_write_scan_passes_reads_and_the_scenario_store() -> None:
    reads = "open(name).read()\nopen(name, 'rb')\npath.read_text()\nstore.save(s)\nstore.delete(n)"
    assert write_violations(reads) == []


# --- the app code --------------------------------------------------------------------------


def test_the_scan_covers_the_app() -> None:
    scanned = set(NAMES)
    assert {"app.py", "market/io.py", "market/scenarios.py", "dashboard/sidebar.py"} <= scanned
    assert any(name.startswith("pages/") for name in scanned)


SOURCES = list(app_sources())
NAMES = [name for name, _ in SOURCES]


@pytest.mark.parametrize(("name", "source"), SOURCES, ids=NAMES)
def test_yaml_is_read_only_with_safe_loaders(name: str, source: str) -> None:
    assert yaml_violations(source) == [], name


@pytest.mark.parametrize(("name", "source"), SOURCES, ids=NAMES)
def test_app_code_runs_nothing_it_reads(name: str, source: str) -> None:
    assert code_violations(source) == [], name


@pytest.mark.parametrize(
    ("name", "source"),
    [(n, s) for n, s in SOURCES if not n.startswith("market/")],
    ids=[n for n in NAMES if not n.startswith("market/")],
)
def test_the_dashboard_writes_only_through_the_scenario_store(name: str, source: str) -> None:
    """So an upload is never saved, and the assumptions folder and the rest of the server
    are never written: the only writes are ``ScenarioStore.save`` and ``delete``, whose
    names are checked (tests/market/test_scenarios.py)."""
    assert write_violations(source) == [], name


def test_each_yaml_loader_class_of_the_app_is_a_safe_loader() -> None:
    """The scan reads class names; the classes themselves must agree when imported."""
    found = 0
    for name, source in SOURCES:
        classes = safe_classes(ast.parse(source)) - SAFE_LOADERS
        if not classes:
            continue  # importing a page would run it, so only modules with loaders are
        module = importlib.import_module(name.removesuffix(".py").replace("/", "."))
        for cls in classes:
            loader = getattr(module, cls)
            # Safe means built by the safe constructor: no Python tags, nothing executed.
            assert issubclass(loader, yaml.constructor.SafeConstructor), f"{name}: {cls}"
            assert not issubclass(loader, yaml.constructor.FullConstructor), f"{name}: {cls}"
            found += 1
    assert found >= 1  # market.io's loader that refuses duplicate keys


def test_the_path_checks_are_still_tested() -> None:
    """The tests this module relies on for paths (see its docstring) are still there."""
    needed = {
        "tests/market/test_scenarios.py": {
            "test_a_bad_name_is_refused_and_writes_nothing",
            "test_a_file_linking_outside_the_folder_is_neither_read_nor_replaced",
            "test_names_differing_only_in_case_are_one_scenario",
        },
        "tests/dashboard/test_links.py": {"test_a_file_outside_the_catalogue_is_never_opened"},
    }
    for path, names in needed.items():
        tree = ast.parse((PROJECT / path).read_text(encoding="utf-8"))
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert names <= defined, f"{path} lost {names - defined}"


# --- upload size ---------------------------------------------------------------------------


def config() -> dict:
    return tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_server_accepts_every_file_the_model_would_and_little_more() -> None:
    """Streamlit counts ``maxUploadSize`` in MiB: the smallest whole number that lets a
    file of ``MAX_FILE_BYTES`` through, so a bigger upload is cut off by the server."""
    megabytes = config()["server"]["maxUploadSize"]
    assert (megabytes - 1) * 2**20 < MAX_FILE_BYTES <= megabytes * 2**20


def test_the_readme_states_the_limits_the_code_has() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    megabytes = config()["server"]["maxUploadSize"]
    assert f"`server.maxUploadSize = {megabytes}` (MB)" in readme
    assert f"over {MAX_FILE_BYTES:,} bytes" in readme
    assert re.search(rf"at most {megabytes} MB", readme)


def test_no_deployment_file_overrides_the_upload_limit_or_error_details() -> None:
    """``STREAMLIT_*`` variables beat config.toml; none may raise the limit or show errors."""
    files = [PROJECT / "Dockerfile", PROJECT / "compose.yaml", *(PROJECT / "deploy").rglob("*")]
    for path in (p for p in files if p.is_file()):
        text = path.read_text(encoding="utf-8")
        for variable in ("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"):
            assert variable not in text, f"{path.relative_to(PROJECT)} sets {variable}"
    assert config()["client"]["showErrorDetails"] == "none"


def test_the_upload_box_states_the_models_limit(dashboard: Dashboard) -> None:
    label = dashboard.at.file_uploader(key=UPLOAD).label
    kilobytes = int(re.search(r"at most ([\d,]+) KB", label).group(1).replace(",", ""))
    assert kilobytes * 1000 == MAX_FILE_BYTES
