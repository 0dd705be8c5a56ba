"""``market scenarios`` on the dashboard's database, SQLite and PostgreSQL alike: list,
history, restore, export, import, purge; JSON a script can read; one line for each failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import URL

import store
from cli import EXIT_OK, EXIT_USAGE, main
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from market.scenarios import Scenario
from store.database import DATABASE_ENV, not_the_store
from tests.store.conftest import database, free_port, postgres  # noqa: F401 - fixtures

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path, database: URL, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    """The shipped scenarios in a folder of their own, and the database every command uses."""
    scenarios = tmp_path / "scenarios"
    shutil.copytree(
        PROJECT / "assumptions" / "scenarios", scenarios, ignore=not_the_store, dirs_exist_ok=True
    )
    monkeypatch.delenv(ASSUMPTIONS_ENV, raising=False)
    monkeypatch.setenv(SCENARIOS_ENV, str(scenarios))
    monkeypatch.setenv(DATABASE_ENV, database.render_as_string(hide_password=False))
    return scenarios


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def save(name: str, cagr: float, author: str, note: str = "") -> None:
    """What the dashboard does when a viewer saves (a new version over the current one)."""
    engine = store.open_store()
    with store.session(engine) as opened:
        seen = store.load(opened, name).version
        changed = Scenario(name=name, base_file="healthcare-microservices.yaml")
        changed = changed.model_copy(update={"overrides": {"growth.cagr_pct": cagr}})
        store.save(opened, changed, author=author, note=note, expected=seen)
    engine.dispose()


def test_list_shows_the_folder_imported_on_first_use(folder: Path, capsys) -> None:
    code, out, err = run(capsys, "scenarios", "list")
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0].split() == ["Scenario", "Version", "Author", "Saved", "Base", "file"]
    assert [line.split()[0] for line in lines[2:]] == ["Aggressive", "Base", "Conservative"]


def test_list_and_history_as_json_carry_version_author_created_note(folder: Path, capsys) -> None:
    save("Aggressive", 30.0, "ana@example.com", "board wants more")
    code, out, _ = run(capsys, "scenarios", "list", "--format", "json")
    listed = {item["name"]: item for item in json.loads(out)}
    assert code == EXIT_OK
    assert listed["Aggressive"]["version"] == 2
    assert listed["Aggressive"]["author"] == "ana@example.com"
    code, out, _ = run(capsys, "scenarios", "history", "aggressive", "--format", "json")
    versions = json.loads(out)
    assert [set(v) for v in versions] == [{"version", "author", "created", "note"}] * 2
    assert [(v["version"], v["note"]) for v in versions] == [
        (2, "board wants more"),
        (1, "Imported from aggressive.yaml"),
    ]
    assert versions[0]["created"].endswith("+00:00")  # ISO 8601, UTC


def test_restore_saves_the_old_version_as_the_newest(folder: Path, capsys) -> None:
    save("Aggressive", 30.0, "ana")
    code, out, _ = run(capsys, "scenarios", "restore", "Aggressive", "1", "--author", "ben")
    assert code == EXIT_OK
    assert out.strip() == "Restored version 1 of 'Aggressive' as version 3."
    engine = store.open_store()
    with store.session(engine) as opened:
        current = store.load(opened, "Aggressive")
    engine.dispose()
    file = yaml.safe_load((folder / "aggressive.yaml").read_text(encoding="utf-8"))
    assert current.scenario.overrides == file["overrides"]
    assert (current.current.author, current.current.note) == ("ben", "Restored version 1")


def test_export_then_import_round_trips_and_adds_versions_only_for_changes(
    folder: Path, tmp_path: Path, capsys
) -> None:
    out_dir = tmp_path / "git-checkout"
    assert run(capsys, "scenarios", "export", str(out_dir))[0] == EXIT_OK
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "aggressive.yaml",
        "base-case.yaml",
        "conservative.yaml",
    ]
    code, out, _ = run(capsys, "scenarios", "import", str(out_dir), "--format", "json")
    assert json.loads(out) == {
        "added": [],
        "updated": [],
        "unchanged": ["Aggressive", "Base case", "Conservative"],
        "unreadable": {},
    }
    edited = yaml.safe_load((out_dir / "base-case.yaml").read_text(encoding="utf-8"))
    edited["rationale"] = "Edited in git."
    (out_dir / "base-case.yaml").write_text(yaml.safe_dump(edited), encoding="utf-8")
    (out_dir / "broken.yaml").write_text("name: [oops\n", encoding="utf-8")
    code, out, _ = run(capsys, "scenarios", "import", str(out_dir), "--author", "git")
    assert code == EXIT_OK
    assert "new version: Base case" in out
    assert "not imported: broken.yaml: YAML error" in out
    code, out, _ = run(capsys, "scenarios", "history", "Base case", "--format", "json")
    newest = json.loads(out)[0]
    assert (newest["version"], newest["author"]) == (2, "git")


def test_purge_removes_every_version_for_good(folder: Path, capsys) -> None:
    save("Base case", 12.0, "ana")
    code, out, _ = run(capsys, "scenarios", "purge", "base case")
    assert (code, out.strip()) == (EXIT_OK, "Purged 'base case': 2 versions removed for good.")
    code, _, err = run(capsys, "scenarios", "history", "Base case")
    assert code == EXIT_USAGE
    assert err.strip() == "market scenarios: There is no saved scenario called 'Base case'"


def test_export_with_a_scenario_reads_it_from_the_store(
    folder: Path, tmp_path: Path, capsys
) -> None:
    save("Aggressive", 30.0, "ana")
    target = tmp_path / "out.yaml"  # the assumptions as the scenario makes them
    code, _, err = run(capsys, "export", "--scenario", "Aggressive", "--out", str(target))
    assert (code, err) == (EXIT_OK, "")
    exported = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert exported["growth"]["cagr_pct"]["value"] == 30.0


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("history", "Nobody"), "There is no saved scenario called 'Nobody'"),
        (("restore", "Aggressive", "7"), "The scenario 'Aggressive' has no version 7"),
        (("history", "../etc"), "may only contain letters"),
    ],
)
def test_a_mistake_is_one_line_and_exit_2(folder: Path, capsys, argv, said: str) -> None:
    code, out, err = run(capsys, "scenarios", *argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert len(err.strip().splitlines()) == 1 and said in err


def test_an_unreachable_database_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path))
    monkeypatch.setenv(DATABASE_ENV, f"postgresql://u:secret@127.0.0.1:{free_port()}/market")
    code, out, err = run(capsys, "scenarios", "list")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.strip() == (
        "market scenarios: the scenario store is unavailable: the database server cannot be reached"
    )
