"""``--scenario NAME`` on every command that computes, not only ``export``: each gives what
the same command gives with the scenario's overrides set by hand on its base file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from cli import EXIT_OK, EXIT_USAGE, main
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from store.database import DATABASE_ENV, not_the_store

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED = PROJECT / "assumptions" / "scenarios"
AGGRESSIVE = yaml.safe_load((SHIPPED / "aggressive.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped scenarios, imported into a SQLite store of their own on first use."""
    folder = tmp_path / "scenarios"
    shutil.copytree(SHIPPED, folder, ignore=not_the_store)
    monkeypatch.delenv(ASSUMPTIONS_ENV, raising=False)
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.setenv(SCENARIOS_ENV, str(folder))
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


BY_HAND = ["--set", *(f"{path}={value}" for path, value in AGGRESSIVE["overrides"].items())]

COMMANDS = {
    "forecast": ["forecast", "--by", "region", "--format", "csv"],
    "risk": ["risk", "--paths", "500", "--seed", "3", "--of", "region/europe"],
    "goal-seek": ["goal-seek", "--target", "2500", "--year", "2031"],
    "opportunity": [
        "opportunity",
        "--serve",
        "region=europe:50",
        "--share-start",
        "1",
        "--share-target",
        "8",
        "--format",
        "json",
    ],
    "estimates": ["estimates", "--format", "json"],
}


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_a_saved_scenario_gives_what_its_overrides_give(
    scenarios: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    argv = COMMANDS[command]
    code, named, err = run(capsys, *argv, "--scenario", AGGRESSIVE["name"])
    assert (code, err) == (EXIT_OK, ""), err
    base = PROJECT / "assumptions" / AGGRESSIVE["base_file"]
    code, by_hand, _ = run(capsys, *argv, "--assumptions", str(base), *BY_HAND)
    assert code == EXIT_OK
    assert named == by_hand
    code, plain, _ = run(capsys, *argv)
    assert plain != named  # the scenario changed the numbers


def test_set_applies_on_top_of_the_scenario(scenarios: Path, capsys) -> None:
    argv = ["forecast", "--format", "csv", "--scenario", "Aggressive", "--set"]
    _, named, _ = run(capsys, *argv, "growth.cagr_pct=10")
    _, by_hand, _ = run(capsys, "forecast", "--format", "csv", *BY_HAND, "growth.cagr_pct=10")
    assert named == by_hand


def test_an_unknown_scenario_is_one_line_and_exit_2(scenarios: Path, capsys) -> None:
    code, out, err = run(capsys, "risk", "--scenario", "Nobody")
    assert (code, out) == (EXIT_USAGE, "")
    assert len(err.strip().splitlines()) == 1 and "Nobody" in err


def test_a_scenario_and_a_file_are_refused_together(scenarios: Path, capsys) -> None:
    base = PROJECT / "assumptions" / AGGRESSIVE["base_file"]
    argv = ["goal-seek", "--target", "2500", "--scenario", "Aggressive"]
    code, _, err = run(capsys, *argv, "--assumptions", str(base))
    assert code == EXIT_USAGE and "leave --assumptions out" in err
