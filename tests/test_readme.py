"""The README's two opening commands stay true: CI runs the same test command."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def opening_commands() -> list[str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_a_run_and_a_test_command() -> None:
    run, test = opening_commands()
    assert "streamlit run app.py" in run and "pip install" in run
    assert test.rstrip().endswith("pytest") and ".[test]" in test


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
