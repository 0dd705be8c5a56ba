"""The README's two opening commands stay true: CI runs the same test command."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent


def opening_commands() -> list[str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_a_run_and_a_test_command() -> None:
    run, test = opening_commands()
    assert "streamlit run app.py" in run and "pip install" in run
    assert re.search(r"&& pytest( |$)", test.strip()) and ".[test]" in test


def test_both_commands_install_the_exact_versions_of_the_lock() -> None:
    # The lock covers the runtime and the test extra: a fresh machine gets what CI tested.
    for command in opening_commands():
        install = command.split("&&")[0].split()
        assert install[:2] == ["pip", "install"], command
        assert "requirements.lock" in install, command
        assert install[install.index("requirements.lock") - 1] in {"-c", "--constraint"}, command


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, test = opening_commands()
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    command_lines = [line for line in ci.splitlines() if line and not line.startswith("#")]
    assert test.strip() in command_lines


def test_ci_installs_chromium_from_debian_and_requires_the_browser() -> None:
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install" in ci and "chromium" in ci
    assert "REQUIRE_BROWSER=1" in ci
    assert "playwright install" not in ci


GATES = ["ruff check .", "ruff format --check .", "mypy"]


def test_ci_gates_style_and_types_before_the_tests() -> None:
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in ci.splitlines() if line and not line.startswith("#")]
    _, test = opening_commands()
    assert all(gate in lines for gate in GATES), lines
    assert max(lines.index(g) for g in GATES) < lines.index(test.strip())


def test_pre_commit_runs_the_same_gates_with_nothing_to_download() -> None:
    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    assert {h["language"] for h in hooks} == {"system"}  # the venv's ruff and mypy
    entries = [h["entry"].replace(" --force-exclude", "") for h in hooks]
    assert entries == [g.removesuffix(" .") for g in GATES]


def test_the_long_exploration_covers_every_property_test() -> None:
    """The README's explore command names every test file that draws examples with
    hypothesis: a property test left out would never be explored before a resolve."""
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in text.splitlines() if line.startswith("HYPOTHESIS_PROFILE="))
    named = {word for word in command.split() if word.startswith("tests/")}
    drawing = {
        path.relative_to(PROJECT).as_posix()
        for path in (PROJECT / "tests").rglob("test_*.py")
        if re.search(r"^from hypothesis import|^import hypothesis", path.read_text("utf-8"), re.M)
    }
    assert drawing <= named, sorted(drawing - named)
