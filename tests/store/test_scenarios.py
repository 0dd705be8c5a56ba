"""The store's scenarios on SQLite and on PostgreSQL: every save a version, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, text

import store
from market.scenarios import (
    Scenario,
    ScenarioChangedError,
    ScenarioError,
    ScenarioExistsError,
    ScenarioNotFoundError,
    ScenarioStore,
)

PROJECT = Path(__file__).resolve().parents[2]


def scenario(name: str = "Board review", cagr: float = 20.0, rationale: str = "") -> Scenario:
    return Scenario(
        name=name,
        base_file="healthcare-microservices.yaml",
        rationale=rationale,
        overrides={"growth.cagr_pct": cagr},
    )


def test_a_save_is_version_one_with_its_author_time_and_note(engine: Engine) -> None:
    before = datetime.now(UTC)
    with store.session(engine) as s:
        saved = store.save(s, scenario(), author="ana@example.com", note="first cut")
        (only,) = store.history(s, "Board review")
    assert saved.version == only.number == 1
    assert only.author == "ana@example.com"
    assert only.note == "first cut"
    assert before - timedelta(seconds=1) <= only.created <= datetime.now(UTC)
    assert only.created.tzinfo is not None
    assert only.scenario.overrides == {"growth.cagr_pct": 20.0}


def test_replacing_adds_a_version_and_keeps_the_old_one(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(cagr=20.0), author="ana")
        store.save(s, scenario(cagr=25.0), author="ben", note="board wants more", expected=1)
        versions = store.history(s, "board review")  # names are matched like file names
        current = store.load(s, "BOARD REVIEW")
    assert [(v.number, v.author, v.scenario.overrides["growth.cagr_pct"]) for v in versions] == [
        (2, "ben", 25.0),
        (1, "ana", 20.0),
    ]
    assert current.version == 2
    assert current.scenario.overrides == {"growth.cagr_pct": 25.0}


def test_saving_a_taken_name_without_the_version_seen_asks_first(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(), author="ana")
        with pytest.raises(ScenarioExistsError, match="already exists") as asked:
            store.save(s, scenario(name="board-review", cagr=30.0), author="ben")
        assert asked.value.version == 1
        assert store.load(s, "Board review").scenario.overrides["growth.cagr_pct"] == 20.0


def test_saving_over_a_version_that_is_no_longer_current_is_refused(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(cagr=20.0), author="ana")
        store.save(s, scenario(cagr=22.0), author="ana", expected=1)
        with pytest.raises(ScenarioChangedError, match="changed by someone else") as told:
            store.save(s, scenario(cagr=30.0), author="ben", expected=1)
        assert told.value.version == 2  # what to ask about next
        store.save(s, scenario(cagr=30.0), author="ben", expected=told.value.version)
        assert store.load(s, "Board review").version == 3


def test_restoring_saves_the_old_content_as_a_new_version(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(cagr=20.0, rationale="cautious"), author="ana")
        store.save(s, scenario(cagr=35.0, rationale="bold"), author="ben", expected=1)
        restored = store.restore(s, "Board review", 1, author="cleo", expected=2)
        versions = store.history(s, "Board review")
    assert restored.version == 3
    assert restored.scenario.rationale == "cautious"
    assert [v.note for v in versions] == ["Restored version 1", "", ""]
    assert versions[0].author == "cleo"
    assert versions[1].scenario.rationale == "bold"  # the version it replaced is kept


def test_restoring_is_a_compare_and_swap_too(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(cagr=20.0), author="ana")
        store.save(s, scenario(cagr=21.0), author="ana", expected=1)
        with pytest.raises(ScenarioChangedError):
            store.restore(s, "Board review", 1, author="ben", expected=1)
        with pytest.raises(ScenarioNotFoundError, match="no version 9"):
            store.restore(s, "Board review", 9, author="ben", expected=2)


def test_deleting_hides_and_can_be_undone(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(), author="ana")
        store.delete(s, "Board review", author="ben", expected=1)
        assert store.listing(s).names == ()
        (gone,) = store.deleted(s)
        assert (gone.name, gone.hidden_by) == ("Board review", "ben")
        with pytest.raises(ScenarioNotFoundError, match="deleted"):
            store.load(s, "Board review")
        store.undelete(s, "Board review", author="ben")
        assert store.listing(s).names == ("Board review",)
        assert store.deleted(s) == ()
        assert len(store.history(s, "Board review")) == 1


def test_deleting_a_version_someone_changed_meanwhile_keeps_it(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(), author="ana")
        store.save(s, scenario(cagr=30.0), author="ana", expected=1)
        with pytest.raises(ScenarioChangedError, match="it was kept"):
            store.delete(s, "Board review", author="ben", expected=1)
        assert store.listing(s).names == ("Board review",)


def test_saving_a_deleted_name_again_brings_it_back_with_its_history(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(cagr=20.0), author="ana")
        store.delete(s, "Board review", author="ana")
        store.save(s, scenario(cagr=40.0), author="ben")
        assert [v.number for v in store.history(s, "Board review")] == [2, 1]
        assert store.load(s, "Board review").scenario.overrides["growth.cagr_pct"] == 40.0


def test_purging_removes_every_version_for_good(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(), author="ana")
        store.save(s, scenario(cagr=1.0), author="ana", expected=1)
        assert store.purge(s, "Board review") == 2
        with pytest.raises(ScenarioNotFoundError):
            store.history(s, "Board review")
        store.save(s, scenario(), author="ana")  # the name is free again, from version 1
        assert store.load(s, "Board review").version == 1


def test_the_listing_is_sorted_by_name_and_holds_current_versions(engine: Engine) -> None:
    with store.session(engine) as s:
        for name in ("beta", "Alpha", "gamma"):
            store.save(s, scenario(name=name), author="ana")
        store.save(s, scenario(name="beta", cagr=9.0), author="ana", expected=1)
        listed = store.listing(s)
    assert listed.names == ("Alpha", "beta", "gamma")
    assert [saved.version for saved in listed.scenarios] == [1, 2, 1]
    assert listed.by_name()["beta"].overrides == {"growth.cagr_pct": 9.0}


def test_a_note_over_2000_characters_is_refused_and_nothing_is_saved(engine: Engine) -> None:
    with store.session(engine) as s:
        with pytest.raises(ScenarioError, match="longer than 2,000"):
            store.save(s, scenario(), author="ana", note="x" * 2001)
        assert store.listing(s).names == ()


def test_an_empty_author_is_anonymous(engine: Engine) -> None:
    with store.session(engine) as s:
        saved = store.save(s, scenario(), author="  ")
    assert saved.current.author == store.ANONYMOUS


def test_text_is_kept_as_typed(engine: Engine) -> None:
    typed = "**not bold** <b>nor this</b> =SUM(A1) :red[plain] 製品\nsecond line"
    with store.session(engine) as s:
        store.save(s, scenario(rationale=typed), author="<script>", note=typed)
        (only,) = store.history(s, "Board review")
    assert (only.scenario.rationale, only.note, only.author) == (typed, typed, "<script>")


def test_functions_refuse_a_session_with_a_transaction_open(engine: Engine) -> None:
    with store.session(engine) as s:
        s.connection()
        with pytest.raises(RuntimeError, match="own transaction"):
            store.listing(s)


# --- the scenarios folder: imported once, exported and imported on demand -----------------


def test_the_first_opening_imports_the_folder_once(database, tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    for shipped in (PROJECT / "assumptions" / "scenarios").glob("*.yaml"):
        (folder / shipped.name).write_bytes(shipped.read_bytes())
    (folder / "broken.yaml").write_text("name: [unclosed", encoding="utf-8")
    engine = store.open_store(database, folder)
    try:
        with store.session(engine) as s:
            names = store.listing(s).names
            store.purge(s, "Aggressive")
        assert names == ("Aggressive", "Base case", "Conservative")
        assert sorted(p.name for p in folder.iterdir() if p.suffix == ".yaml") == [
            "aggressive.yaml",
            "base-case.yaml",
            "broken.yaml",
            "conservative.yaml",
        ]  # nothing deleted
    finally:
        engine.dispose()
    again = store.open_store(database, folder)  # a second opening imports nothing
    try:
        with store.session(again) as s:
            assert store.listing(s).names == ("Base case", "Conservative")
            (first,) = store.history(s, "Base case")
        assert first.note == "Imported from base-case.yaml"
    finally:
        again.dispose()


def test_import_adds_a_version_only_when_the_content_differs(
    engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    files = ScenarioStore(folder)
    files.save(scenario(cagr=20.0))
    files.save(scenario(name="Other", cagr=5.0))
    with store.session(engine) as s:
        first = store.import_folder(s, folder, author="cli")
        files.save(scenario(cagr=21.0), overwrite=True)
        second = store.import_folder(s, folder, author="cli")
        versions = store.history(s, "Board review")
    assert (first.added, first.updated, first.unchanged) == (("Board review", "Other"), (), ())
    assert (second.added, second.updated, second.unchanged) == ((), ("Board review",), ("Other",))
    assert [v.scenario.overrides["growth.cagr_pct"] for v in versions] == [21.0, 20.0]


def test_export_writes_todays_files_which_import_back_unchanged(
    engine: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "exported"
    with store.session(engine) as s:
        store.save(s, scenario(rationale="line one\nline two"), author="ana")
        store.save(s, scenario(name="Hidden"), author="ana")
        store.delete(s, "Hidden", author="ana")
        written = store.export_folder(s, out)
        back = store.import_folder(s, out, author="cli")
    assert [p.name for p in written] == ["board-review.yaml"]
    data = yaml.safe_load((out / "board-review.yaml").read_text(encoding="utf-8"))
    assert data["overrides"] == {"growth.cagr_pct": 20.0}
    assert data["rationale"] == "line one\nline two"
    assert back.unchanged == ("Board review",)


def test_a_name_purged_and_saved_again_lists_its_new_content(engine: Engine) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(cagr=20.0), author="ana")
        assert store.listing(s).by_name()["Board review"].overrides["growth.cagr_pct"] == 20.0
        store.purge(s, "Board review")
        store.save(s, scenario(cagr=30.0), author="ana")  # may reuse the purged rows' ids
        assert store.listing(s).by_name()["Board review"].overrides["growth.cagr_pct"] == 30.0
        assert store.load(s, "Board review").scenario.overrides["growth.cagr_pct"] == 30.0


def test_a_version_edited_into_nonsense_in_the_database_is_listed_as_unreadable(
    engine: Engine,
) -> None:
    with store.session(engine) as s:
        store.save(s, scenario(name="Fine"), author="ana")
        store.save(s, scenario(name="Tampered"), author="ana")
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE versions SET base_file = '../../etc/passwd' WHERE scenario_id = "
                "(SELECT id FROM scenarios WHERE key = 'tampered')"
            )
        )
    with store.session(engine) as s:
        listed = store.listing(s)
    assert listed.names == ("Fine",)
    assert "base_file" in listed.unreadable["Tampered"]


def test_a_version_keeps_its_actual_figures_and_its_choices_by_name(engine: Engine) -> None:
    """Typed actuals and a growth shape survive the database as they survive a file."""
    typed = Scenario(
        name="Re-based",
        base_file="healthcare-microservices.yaml",
        overrides={"growth.shape": "fade", "growth.fade_pp": -1.0, "growth.rebase": "hold-end"},
        actuals={2025: 535.64},
    )
    with store.session(engine) as s:
        store.save(s, typed, author="ana")
        store.save(s, scenario(name="Re-based"), author="ana", expected=1)  # without them
        first, second = reversed(store.history(s, "Re-based"))
    assert first.scenario.actuals == {2025: 535.64}
    assert (
        first.scenario.overrides
        == typed.overrides
        == {
            "growth.shape": 1.0,
            "growth.fade_pp": -1.0,
            "growth.rebase": 1.0,
        }
    )
    assert second.scenario.actuals == {}
