"""requirements.lock, which the README's commands and the image install from, still answers
pyproject.toml: the runtime dependencies and the test extra.

Offline on purpose: the lock is compared with pyproject's declared ranges, not re-resolved.
After changing a dependency, regenerate it with the command in its header.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
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


ENVIRONMENT = default_environment() | {"python_version": "3.11", "sys_platform": "linux"}


def _applies(requirement: Requirement, extras: set[str] | frozenset[str] = frozenset()) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate(ENVIRONMENT | {"extra": e}) for e in {"", *extras})


def _declared(extra: str | None = None) -> list[Requirement]:
    """pyproject's runtime dependencies, or those of one optional extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [r for r in map(Requirement, specs) if _applies(r)]


def _runtime_dependencies() -> list[Requirement]:
    return _declared()


def test_every_line_is_one_exact_pin(lock_text: str) -> None:
    for line in _requirement_lines(lock_text):
        (spec,) = Requirement(line).specifier
        assert spec.operator == "==" and "*" not in spec.version, line


@pytest.mark.parametrize("requirement", _declared() + _declared("test"), ids=str)
def test_runtime_and_test_dependency_is_locked_within_its_declared_range(
    requirement: Requirement, pins: dict[str, Requirement]
) -> None:
    pin = pins.get(canonicalize_name(requirement.name))
    assert pin is not None, f"{requirement.name} is missing from requirements.lock"
    (locked,) = pin.specifier
    assert requirement.specifier.contains(locked.version, prereleases=True), (
        f"requirements.lock pins {pin}, outside pyproject's {requirement}"
    )


def test_the_image_installs_nothing_the_lock_does_not_pin(pins: dict[str, Requirement]) -> None:
    """The image installs the runtime dependencies with the lock as constraints: everything
    they pull in (read from the installed packages' metadata) must be pinned there, or pip
    would take whatever release is newest on the day of the build."""
    todo = [(r, frozenset(r.extras)) for r in _runtime_dependencies()]
    seen: set[str] = set()
    while todo:
        requirement, extras = todo.pop()
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} (needed at run time) is not in the lock"
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(requirement.name) or []:
            child = Requirement(spec)
            if _applies(child, extras):
                todo.append((child, frozenset(child.extras)))


def test_header_names_the_command_that_generated_it(lock_text: str) -> None:
    header = [line for line in lock_text.splitlines() if line.startswith("#")][:10]
    commands = [line.lstrip("# ") for line in header if line.lstrip("# ").startswith("pip-compile")]
    assert commands, "the lock's header must show the pip-compile command"
    (command,) = commands
    assert command.split()[-1] == "pyproject.toml"
    assert "--extra=test" in command.split(), "the lock covers the test extra too"
    assert re.search(r"--output-file[= ]requirements\.lock\b", command)


def test_lock_names_no_index_or_local_path(lock_text: str) -> None:
    # The image installs from the public index; a file:// index or a --find-links folder
    # from the machine that ran pip-compile would break the build anywhere else.
    options = [line for line in lock_text.splitlines() if line.startswith("-")]
    assert options == []
    assert "file://" not in lock_text
