"""Security rules for an internal host, checked on the code itself.

- YAML is read only with safe loaders, and app code (``app.py``, ``pages/``,
  ``dashboard/``, ``market/``) runs nothing it reads: no ``eval``/``exec``, no pickle,
  marshal or shelve, no shell or subprocess, no raw HTML in the page. ruff enforces these
  (its ``S`` rules and the banned APIs of ``TID251`` in ``pyproject.toml``, run by CI and
  pre-commit); the tests here check that the rules stay on and catch each case, and scan
  for the few that ruff has no rule for (``compile``, ``__import__``, ``to_pickle``,
  ``unsafe_allow_html``). ``benchmarks/`` and the tests start servers with subprocess;
  they are not app code. The ``market`` CLI uses none of it.
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
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator

import pytest
import yaml

from market.io import MAX_FILE_BYTES
from tests.reliability.conftest import PROJECT, UPLOAD, Dashboard

APP_CODE = sorted(
    [PROJECT / "app.py"]
    + [
        p
        for folder in ("pages", "dashboard", "report", "cli", "market")
        for p in (PROJECT / folder).rglob("*.py")
    ]
)
RUFF_RULES = {"S", "TID251"}
BANNED = {
    "yaml.load", "yaml.unsafe_load", "yaml.full_load", "yaml.Loader", "yaml.FullLoader",
    "yaml.UnsafeLoader", "yaml.CLoader", "yaml.FullConstructor", "yaml.UnsafeConstructor",
    "pickle", "marshal", "shelve", "subprocess", "os.system", "os.popen", "pandas.read_pickle",
    "importlib.import_module", "streamlit.html", "streamlit.components.v1.html",
}  # fmt: skip
"""APIs ``pyproject.toml`` must keep banning in app code (a sample of its list)."""
NOT_IN_RUFF = {"compile", "__import__"}
"""Calls ruff cannot ban (builtins): the scan below looks for them."""
FORBIDDEN_METHODS = {"read_pickle", "to_pickle"}


def dotted(node: ast.AST) -> str:
    """``yaml.SafeLoader`` for the expression ``yaml.SafeLoader``; '' if not a plain name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def code_violations(source: str) -> list[str]:
    """Each place ``source`` could run code or markup it was given that ruff does not catch."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name in NOT_IN_RUFF or method in FORBIDDEN_METHODS:
                found.append(f"line {node.lineno}: {name or method}()")
            if any(k.arg == "unsafe_allow_html" for k in node.keywords):
                found.append(f"line {node.lineno}: unsafe_allow_html")
    return found


def ruff_codes(snippet: str, filename: str = "market/snippet.py") -> set[str]:
    """The rule codes ruff, with the project's configuration, reports for ``snippet``."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "json",
         "--stdin-filename", filename, "-"],
        input=snippet, cwd=PROJECT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    return {finding["code"] for finding in json.loads(result.stdout)}


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


def test_ruff_keeps_the_security_rules_and_the_banned_apis_on() -> None:
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = pyproject["tool"]["ruff"]["lint"]
    assert set(lint["select"]) >= RUFF_RULES
    assert not RUFF_RULES & set(lint.get("ignore", []))
    relaxed = list(lint.get("per-file-ignores", {}))
    assert all(glob.startswith(("tests/", "benchmarks/")) for glob in relaxed), relaxed
    assert set(lint["flake8-tidy-imports"]["banned-api"]) >= BANNED


@pytest.mark.parametrize(
    "snippet",
    [
        "import yaml\nyaml.load(text)\n",
        "import yaml\nyaml.load(text, Loader=yaml.Loader)\n",
        "import yaml\nyaml.load_all(text, Loader=yaml.FullLoader)\n",
        "import yaml\nyaml.unsafe_load(text)\n",
        "import yaml\nyaml.full_load(text)\n",
        "from yaml import load\n",
        "from yaml import FullLoader\n",
        "import yaml\n\n\nclass Mine(yaml.FullLoader):\n    pass\n",
        "import yaml.constructor\n\n\nclass Mine(yaml.constructor.UnsafeConstructor):\n    pass\n",
        "import yaml\nloader = yaml.CLoader(text)\n",
        "eval(text)\n",
        "exec(text)\n",
        "import pickle\n",
        "from pickle import loads\n",
        "import subprocess\n",
        "import os\nos.system(command)\n",
        "import os\nos.execv(path, args)\n",
        "import pandas as pd\nframe = pd.read_pickle(path)\n",
        "import streamlit as st\nst.html(text)\n",
    ],
)
@pytest.mark.parametrize(
    "where", ["market/snippet.py", "dashboard/snippet.py", "pages/snippet.py", "app.py"]
)
def test_ruff_catches_code_from_data_in_app_code(snippet: str, where: str) -> None:
    codes = ruff_codes(snippet, where)
    assert {c for c in codes if c == "TID251" or c.startswith("S")}, codes


def test_ruff_passes_a_safe_yaml_read() -> None:
    assert ruff_codes("import yaml\n\ndata = yaml.safe_load(text)\n") <= {"F821"}


@pytest.mark.parametrize(
    "snippet",
    [
        "compile(text, 'x', 'exec')",
        "__import__(text)",
        "frame.to_pickle(path)",
        "st.markdown(text, unsafe_allow_html=True)",
    ],
)
def test_the_code_scan_catches_what_ruff_cannot(snippet: str) -> None:
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
def test_app_code_runs_nothing_it_reads(name: str, source: str) -> None:
    assert code_violations(source) == [], name


@pytest.mark.parametrize(
    ("name", "source"),
    [(n, s) for n, s in SOURCES if not n.startswith(("market/", "cli/"))],
    ids=[n for n in NAMES if not n.startswith(("market/", "cli/"))],
)
def test_the_dashboard_writes_only_through_the_scenario_store(name: str, source: str) -> None:
    """So an upload is never saved, and the assumptions folder and the rest of the server
    are never written: the only writes are ``ScenarioStore.save`` and ``delete``, whose
    names are checked (tests/market/test_scenarios.py)."""
    assert write_violations(source) == [], name


def test_the_app_code_passes_ruffs_security_rules() -> None:
    """What the rules above catch in a snippet, they find nowhere in the app."""
    files = [name for name, _ in SOURCES]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "S,TID251", *files],
        cwd=PROJECT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def test_each_yaml_loader_class_of_the_app_is_a_safe_loader() -> None:
    """Every YAML constructor class the model and dashboard define builds only plain values."""
    found = 0
    for name, _ in SOURCES:
        if not name.startswith(("market/", "dashboard/")) or name.endswith("__main__.py"):
            continue  # importing a page or __main__ would run it; they define no loaders
        module = importlib.import_module(name.removesuffix(".py").replace("/", "."))
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != module.__name__:
                continue
            if issubclass(value, yaml.constructor.BaseConstructor):
                # Safe means built by the safe constructor: no Python tags, nothing executed.
                assert issubclass(value, yaml.constructor.SafeConstructor), f"{name}: {value}"
                assert not issubclass(value, yaml.constructor.FullConstructor), f"{name}: {value}"
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
