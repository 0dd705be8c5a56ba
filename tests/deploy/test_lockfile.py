"""requirements.lock, which the image installs, still answers pyproject.toml.

Offline on purpose: the lock is compared with pyproject's declared ranges, not re-resolved.
After changing a dependency, regenerate it with the command in its header.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"


def _requirement_lines(text: str) -> list[str]:
    """The lock's requirement lines: comments, options and ``--hash`` continuations left out."""
    lines = [line.split(" #")[0].strip().rstrip("\\").strip() for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith(("#", "-"))]


@pytest.fixture(scope="module")
def lock_text() -> str:
    return LOCK.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pins(lock_text: str) -> dict[str, Requirement]:
    locked = [Requirement(line) for line in _requirement_lines(lock_text)]
    return {canonicalize_name(r.name): r for r in locked}


def _runtime_dependencies() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    environment = default_environment() | {"python_version": "3.11", "sys_platform": "linux"}
    requirements = [Requirement(spec) for spec in project["dependencies"]]
    return [r for r in requirements if r.marker is None or r.marker.evaluate(environment)]


def test_every_line_is_one_exact_pin(lock_text: str) -> None:
    for line in _requirement_lines(lock_text):
        (spec,) = Requirement(line).specifier
        assert spec.operator == "==" and "*" not in spec.version, line


@pytest.mark.parametrize("requirement", _runtime_dependencies(), ids=str)
def test_runtime_dependency_is_locked_within_its_declared_range(
    requirement: Requirement, pins: dict[str, Requirement]
) -> None:
    pin = pins.get(canonicalize_name(requirement.name))
    assert pin is not None, f"{requirement.name} is missing from requirements.lock"
    (locked,) = pin.specifier
    assert requirement.specifier.contains(locked.version, prereleases=True), (
        f"requirements.lock pins {pin}, outside pyproject's {requirement}"
    )


def test_header_names_the_command_that_generated_it(lock_text: str) -> None:
    header = [line for line in lock_text.splitlines() if line.startswith("#")][:10]
    commands = [line.lstrip("# ") for line in header if line.lstrip("# ").startswith("pip-compile")]
    assert commands, "the lock's header must show the pip-compile command"
    (command,) = commands
    assert command.split()[-1] == "pyproject.toml"
    assert re.search(r"--output-file[= ]requirements\.lock\b", command)


def test_lock_names_no_index_or_local_path(lock_text: str) -> None:
    # The image installs from the public index; a file:// index or a --find-links folder
    # from the machine that ran pip-compile would break the build anywhere else.
    options = [line for line in lock_text.splitlines() if line.startswith("-")]
    assert options == []
    assert "file://" not in lock_text
