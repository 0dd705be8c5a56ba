"""Saved scenarios: names stay in their folder, saves never lose a file, broken files are named."""

from __future__ import annotations

import errno
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from market import Assumptions, AssumptionsError, apply_overrides, forecast, parse_assumptions
from market.io import MAX_DEPTH
from market.scenarios import (
    LOCK_FILE,
    MAX_SCENARIO_BYTES,
    Scenario,
    ScenarioError,
    ScenarioExistsError,
    ScenarioFileError,
    ScenarioNameError,
    ScenarioNotFoundError,
    ScenarioResolveError,
    ScenarioSaveError,
    ScenarioStore,
    check_name,
    file_name,
    from_assumptions,
    parse_scenario,
    resolve,
)

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED = PROJECT / "assumptions" / "scenarios"
BASE_FILE = "healthcare-microservices.yaml"


def scenario(name: str = "Slow growth", **changes: object) -> Scenario:
    fields: dict[str, object] = {
        "name": name,
        "base_file": BASE_FILE,
        "rationale": "Hospitals wait for the next budget cycle.",
        "overrides": {"growth.cagr_pct": 12.5, "share.region.europe": 30.0},
    }
    return Scenario(**(fields | changes))


@pytest.fixture
def store(tmp_path: Path) -> ScenarioStore:
    return ScenarioStore(tmp_path / "data" / "scenarios")


def files_in(folder: Path) -> list[str]:
    """What the folder holds besides its lock file."""
    return sorted(name for name in os.listdir(folder) if name != LOCK_FILE)


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# --- save, load, list, delete ---------------------------------------------------------


def test_a_saved_scenario_loads_back_as_it_was_saved(store: ScenarioStore) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    path = store.save(scenario())
    loaded = store.load("Slow growth")
    assert path == store.folder / "slow-growth.yaml"
    assert loaded.model_dump(exclude={"saved_at"}) == scenario().model_dump(exclude={"saved_at"})
    assert loaded.saved_at is not None
    assert before <= loaded.saved_at <= datetime.now(UTC)


def test_the_folder_is_created_on_first_save(store: ScenarioStore) -> None:
    assert store.list().scenarios == ()
    store.save(scenario())
    assert store.folder.is_dir()


def test_list_is_sorted_by_name_and_delete_removes_one(store: ScenarioStore) -> None:
    for name in ("beta", "Alpha", "Gamma 2"):
        store.save(scenario(name))
    listing = store.list()
    assert listing.names == ("Alpha", "beta", "Gamma 2")
    assert listing.unreadable == {}
    assert [s.path.name for s in listing.scenarios] == ["alpha.yaml", "beta.yaml", "gamma-2.yaml"]

    store.delete("beta")
    assert store.list().names == ("Alpha", "Gamma 2")
    assert not store.exists("beta")
    with pytest.raises(ScenarioNotFoundError, match="beta"):
        store.delete("beta")
    with pytest.raises(ScenarioNotFoundError, match="beta"):
        store.load("beta")


def test_the_file_is_readable_yaml_that_says_who_wrote_it(store: ScenarioStore) -> None:
    text = store.save(scenario(rationale="Two reasons.\nFirst, budgets.")).read_text("utf-8")
    assert text.startswith("# A scenario written by the market dashboard.")
    data = yaml.safe_load(text)
    assert list(data) == ["name", "base_file", "rationale", "overrides", "saved_at"]
    assert data["rationale"] == "Two reasons.\nFirst, budgets."
    assert data["overrides"] == {"growth.cagr_pct": 12.5, "share.region.europe": 30.0}


def test_saving_over_a_scenario_needs_the_overwrite_flag(store: ScenarioStore) -> None:
    store.save(scenario(overrides={"growth.cagr_pct": 10.0}))
    with pytest.raises(ScenarioExistsError, match="Slow growth"):
        store.save(scenario(overrides={"growth.cagr_pct": 30.0}))
    assert store.load("Slow growth").overrides == {"growth.cagr_pct": 10.0}

    store.save(scenario(overrides={"growth.cagr_pct": 30.0}), overwrite=True)
    assert store.load("Slow growth").overrides == {"growth.cagr_pct": 30.0}


def test_names_differing_only_in_case_are_one_scenario(store: ScenarioStore) -> None:
    store.save(scenario("Big Bet"))
    assert store.exists("big bet") and store.exists("BIG BET")
    with pytest.raises(ScenarioExistsError, match="Big Bet"):
        store.save(scenario("BIG BET"))
    store.save(scenario("BIG BET"), overwrite=True)
    assert store.list().names == ("BIG BET",)
    assert files_in(store.folder) == ["big-bet.yaml"]


# --- names ----------------------------------------------------------------------------

BAD_NAMES = {
    "../x": "may only contain",
    "/etc/passwd": "may only contain",
    "a/b": "may only contain",
    "a\\b": "may only contain",
    "..": "may only contain",
    ".hidden": "may only contain",
    "x.yaml": "may only contain",
    "tab\there": "may only contain",
    "new\nline": "may only contain",
    "nul\x00byte": "may only contain",
    "bell\x07": "may only contain",
    "Ünïcode": "may only contain",
    "NUL": "reserved by Windows",
    "con": "reserved by Windows",
    "Com1": "reserved by Windows",
    "lpt9 ": "reserved by Windows",
    "x" * 61: "longer than 60 characters",
    "": "is empty",
    "   ": "is empty",
    "- _ -": "at least one letter or digit",
}


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_a_bad_name_is_refused_and_writes_nothing(
    name: str, store: ScenarioStore, tmp_path: Path, default_assumptions: Assumptions
) -> None:
    store.save(scenario("Existing"))
    before = tree(tmp_path)

    with pytest.raises(ScenarioNameError, match=re.escape(BAD_NAMES[name])):
        check_name(name)
    with pytest.raises(ScenarioNameError):
        from_assumptions(name, BASE_FILE, default_assumptions, default_assumptions)
    with pytest.raises(ValidationError):
        Scenario(name=name, base_file=BASE_FILE)
    # a model built without validation still cannot reach the disk
    unchecked = Scenario.model_construct(name=name, base_file=BASE_FILE, overrides={})
    with pytest.raises(ScenarioNameError):
        store.save(unchecked, overwrite=True)
    for operation in (store.exists, store.load, store.delete):
        with pytest.raises(ScenarioNameError):
            operation(name)

    assert tree(tmp_path) == before
    assert store.list().names == ("Existing",)


def test_a_good_name_is_kept_without_surrounding_spaces() -> None:
    assert check_name("  Q3 plan_v2 - final ") == "Q3 plan_v2 - final"
    assert check_name("x" * 60) == "x" * 60
    assert file_name("Q3 plan_v2 - final") == "q3-plan-v2-final.yaml"
    assert file_name("Console") == "console.yaml"  # a device name only when it is all of it


def test_a_file_linking_outside_the_folder_is_neither_read_nor_replaced(
    store: ScenarioStore, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(yaml.safe_dump({"name": "Evil", "base_file": BASE_FILE}), "utf-8")
    store.save(scenario("Fine"))
    (store.folder / "evil.yaml").symlink_to(outside)

    listing = store.list()
    assert listing.names == ("Fine",)
    assert "outside the scenarios folder" in listing.unreadable["evil.yaml"]
    with pytest.raises(ScenarioError):
        store.load("Evil")
    with pytest.raises(ScenarioError):
        store.save(scenario("Evil"), overwrite=True)
    assert yaml.safe_load(outside.read_text("utf-8")) == {"name": "Evil", "base_file": BASE_FILE}


# --- nothing lost ---------------------------------------------------------------------


def test_a_save_interrupted_before_the_rename_keeps_the_old_file(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(scenario(overrides={"growth.cagr_pct": 10.0}))

    def crash(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ScenarioSaveError, match="not saved"):
        store.save(scenario(overrides={"growth.cagr_pct": 99.0}), overwrite=True)
    monkeypatch.undo()

    assert store.load("Slow growth").overrides == {"growth.cagr_pct": 10.0}
    assert files_in(store.folder) == ["slow-growth.yaml"]


def test_a_temporary_file_left_by_a_killed_save_is_never_listed(store: ScenarioStore) -> None:
    store.save(scenario())
    # what write_atomically leaves if the process dies between writing and renaming
    (store.folder / ".slow-growth.yaml.3f9a1c2b7d10.tmp").write_text("name: Slow gr", "utf-8")
    (store.folder / ".hidden.yaml").write_text("name: [", "utf-8")
    listing = store.list()
    assert listing.names == ("Slow growth",)
    assert listing.unreadable == {}


FAILURES = [
    ("replace", PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
    ("open", OSError(errno.EROFS, "Read-only file system"), "read-only"),
    ("fsync", OSError(errno.ENOSPC, "No space left on device"), "disk"),
    ("fsync", OSError(errno.EDQUOT, "Disk quota exceeded"), "quota"),
    ("replace", OSError(errno.EIO, "Input/output error"), "input/output error"),
]


@pytest.mark.parametrize(("call", "error", "words"), FAILURES)
def test_a_save_the_folder_refuses_says_why_and_keeps_the_old_file(
    call: str,
    error: OSError,
    words: str,
    store: ScenarioStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tests run as root in CI, where chmod does not stop writes: the refusal is simulated.
    store.save(scenario(overrides={"growth.cagr_pct": 10.0}))

    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(os, call, refuse)
    with pytest.raises(ScenarioSaveError) as caught:
        store.save(scenario(overrides={"growth.cagr_pct": 99.0}), overwrite=True)
    monkeypatch.undo()

    message = str(caught.value)
    assert words in message.lower()
    assert "'Slow growth'" in message and "unchanged" in message
    assert str(store.folder) not in message  # viewers see no server paths
    assert store.load("Slow growth").overrides == {"growth.cagr_pct": 10.0}
    assert files_in(store.folder) == ["slow-growth.yaml"]


def test_a_folder_that_cannot_be_created_is_a_save_error(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(ScenarioSaveError, match="permission denied"):
        store.save(scenario())


def test_a_delete_the_folder_refuses_is_a_save_error(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(scenario())

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(ScenarioSaveError, match="read-only"):
        store.delete("Slow growth")
    monkeypatch.undo()
    assert store.exists("Slow growth")


def test_two_sessions_saving_one_name_at_once_leave_one_whole_file(store: ScenarioStore) -> None:
    writers = 8
    versions = [
        scenario(rationale=f"writer {i} " * 500, overrides={"growth.cagr_pct": float(i)})
        for i in range(writers)
    ]
    errors: list[BaseException] = []

    def save(version: Scenario, start: threading.Barrier) -> None:
        start.wait()
        try:
            store.save(version, overwrite=True)
        except BaseException as err:  # collected, so the main thread sees it
            errors.append(err)

    for _ in range(5):
        start = threading.Barrier(writers)
        threads = [threading.Thread(target=save, args=(v, start)) for v in versions]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert errors == []
        loaded = store.load("Slow growth")
        assert loaded.model_dump(exclude={"saved_at"}) in [
            v.model_dump(exclude={"saved_at"}) for v in versions
        ]
        assert files_in(store.folder) == ["slow-growth.yaml"]


def test_two_sessions_creating_one_name_at_once_let_exactly_one_win(store: ScenarioStore) -> None:
    writers = 8
    start = threading.Barrier(writers)
    outcomes: list[str] = []

    def save(i: int) -> None:
        start.wait()
        try:
            store.save(scenario(overrides={"growth.cagr_pct": float(i)}))
            outcomes.append("saved")
        except ScenarioExistsError:
            outcomes.append("exists")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["exists"] * (writers - 1) + ["saved"]


# --- broken files ---------------------------------------------------------------------

VALID = {"name": "Broken", "base_file": BASE_FILE, "overrides": {"growth.cagr_pct": 10}}
BROKEN = {
    "syntax": (b"name: Broken\noverrides: {growth.cagr_pct: [\n", "line 3"),
    "python tag": (b"name: !!python/object/apply:os.system ['true']\n", "YAML error"),
    "not a number": (
        yaml.safe_dump(VALID | {"overrides": {"growth.cagr_pct": "fast"}}).encode(),
        "overrides.growth.cagr_pct",
    ),
    "infinite": (
        yaml.safe_dump(VALID | {"overrides": {"growth.cagr_pct": float("inf")}}).encode(),
        "overrides.growth.cagr_pct",
    ),
    "unknown field": (yaml.safe_dump(VALID | {"colour": "red"}).encode(), "colour"),
    "missing base": (yaml.safe_dump({"name": "Broken"}).encode(), "base_file"),
    "path-like base": (
        yaml.safe_dump(VALID | {"base_file": "../../etc/passwd"}).encode(),
        "base_file",
    ),
    "bad path key": (
        yaml.safe_dump(VALID | {"overrides": {"../x": 1}}).encode(),
        "not parameter paths",
    ),
    "empty": (b"", "empty"),
    "a list": (b"- 1\n- 2\n", "not a mapping"),
    "not utf-8": (b"name: \xff\xfe\n", "UTF-8"),
    "too large": (b"# " + b"x" * MAX_SCENARIO_BYTES + b"\n", "larger than 256 KB"),
    "deep": (b"[" * 5000 + b"]" * 5000, "line 1"),
    "a key given twice": (
        f"name: Broken\nbase_file: {BASE_FILE}\noverrides:\n"
        "  growth.cagr_pct: 10\n  growth.cagr_pct: 30\n".encode(),
        "line 5",
    ),
    "wrong name": (yaml.safe_dump(VALID | {"name": "Other"}).encode(), "belongs in other.yaml"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_file_is_listed_with_its_reason_and_the_others_load(
    kind: str, store: ScenarioStore
) -> None:
    content, reason = BROKEN[kind]
    store.save(scenario("Fine"))
    store.folder.joinpath("broken.yaml").write_bytes(content)

    listing = store.list()
    assert listing.names == ("Fine",)
    assert list(listing.unreadable) == ["broken.yaml"]
    assert reason in listing.unreadable["broken.yaml"]
    assert str(store.folder) not in listing.unreadable["broken.yaml"]
    with pytest.raises(ScenarioFileError):
        store.load("Broken")


def test_a_key_given_twice_is_refused_like_in_an_assumptions_file() -> None:
    """YAML alone would let the later value win silently; scenarios and assumptions files
    share one reader, which refuses it and says where."""
    text = (
        f"name: Twice\nbase_file: {BASE_FILE}\noverrides:\n"
        "  growth.cagr_pct: 10\n  growth.cagr_pct: 30\n"
    )
    with pytest.raises(ScenarioFileError) as scenario_error:
        parse_scenario(text)
    assert "line 5, column 3" in str(scenario_error.value)
    assert "growth.cagr_pct" in str(scenario_error.value)
    with pytest.raises(AssumptionsError) as assumptions_error:
        parse_assumptions(text)
    (problem,) = assumptions_error.value.problems
    assert (problem.line, problem.column) == (5, 3)


def test_a_scenario_nested_past_the_limit_is_refused_at_the_same_depth() -> None:
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    with pytest.raises(ScenarioFileError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_scenario(f"name: Deep\nbase_file: {BASE_FILE}\noverrides: {deep}\n")


# --- scenarios and assumptions --------------------------------------------------------


def test_a_scenario_made_from_the_sidebar_resolves_to_the_same_numbers(
    default_assumptions: Assumptions, store: ScenarioStore
) -> None:
    changes = {"growth.cagr_pct": 18.0, "diff.region.europe": 0.5, "share.deployment.cloud": 60.0}
    current = apply_overrides(default_assumptions, changes)
    made = from_assumptions("  Mine ", BASE_FILE, default_assumptions, current, "why not")
    assert (made.name, made.overrides, made.rationale) == ("Mine", changes, "why not")

    store.save(made)
    again = resolve(store.load("mine"), default_assumptions)
    assert again == current


def test_a_scenario_that_no_longer_fits_its_base_file_names_itself_and_the_path(
    default_assumptions: Assumptions,
) -> None:
    gone = scenario("Old plan", overrides={"share.region.atlantis": 5.0})
    expected = r"'Old plan'.*share\.region\.atlantis"
    with pytest.raises(ScenarioResolveError, match=expected) as caught:
        resolve(gone, default_assumptions)
    assert list(caught.value.problems) == ["share.region.atlantis"]

    region = default_assumptions.dimension("region")
    all_zero = {f"share.region.{s.id}": 0.0 for s in region.segments}
    with pytest.raises(ScenarioResolveError, match="all zero"):
        resolve(scenario("Nothing left", overrides=all_zero), default_assumptions)


def test_a_scenario_is_strict() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Scenario(name="x", base_file=BASE_FILE, colour="red")
    with pytest.raises(ValidationError):
        scenario(overrides={"growth.cagr_pct": float("nan")})
    with pytest.raises(ValidationError):
        scenario(base_file="sub/dir.yaml")
    with pytest.raises(ValidationError):
        scenario(base_file="notes.txt")


# --- the shipped scenarios ------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> dict[str, Scenario]:
    listing = ScenarioStore(SHIPPED).list()
    assert listing.unreadable == {}
    return {s.scenario.name: s.scenario for s in listing.scenarios}


def test_three_scenarios_ship_with_the_default_market(shipped: dict[str, Scenario]) -> None:
    assert set(shipped) == {"Base case", "Conservative", "Aggressive"}
    assert {s.base_file for s in shipped.values()} == {BASE_FILE}
    assert shipped["Base case"].overrides == {}
    for s in shipped.values():
        assert len(s.rationale.split()) >= 30, s.name


def test_the_shipped_scenarios_bracket_the_report(
    shipped: dict[str, Scenario], default_assumptions: Assumptions
) -> None:
    horizon = {
        name: forecast(resolve(s, default_assumptions)).horizon_value for name, s in shipped.items()
    }
    # the report projects USD 1,651.2 million for 2031; the base case reproduces it
    assert horizon["Base case"] == pytest.approx(1651.2, rel=1e-3)
    assert horizon["Conservative"] < horizon["Base case"] < horizon["Aggressive"]
    assert 15.0 <= shipped["Conservative"].overrides["growth.cagr_pct"] <= 16.0
    assert 24.0 <= shipped["Aggressive"].overrides["growth.cagr_pct"] <= 25.0


def test_a_fifo_in_the_folder_is_listed_as_unreadable_without_waiting(
    store: ScenarioStore,
) -> None:
    store.save(scenario())
    os.mkfifo(store.folder / "pipe.yaml")  # opening it for reading would wait for a writer
    listing = store.list()
    assert listing.names == ("Slow growth",)
    assert "not a regular file" in listing.unreadable["pipe.yaml"]
    with pytest.raises(ScenarioExistsError):
        store.save(scenario("Pipe"))


def test_a_later_save_removes_what_an_interrupted_save_left(store: ScenarioStore) -> None:
    store.save(scenario())
    left = store.folder / ".slow-growth.yaml.3f9a1c2b7d10.tmp"
    left.write_text("name: Slow gr", "utf-8")
    other = store.folder / ".notes.txt"  # not a save's temporary file: kept
    other.write_text("keep me", "utf-8")
    store.save(scenario("Another"))
    assert not left.exists()
    assert other.read_text("utf-8") == "keep me"
