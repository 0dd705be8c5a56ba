"""Reading and writing assumptions files: every refusal is an AssumptionsError that says where."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
import yaml

from market import (
    Assumptions,
    AssumptionsError,
    apply_overrides,
    dump_assumptions,
    load_assumptions,
    save_assumptions,
)
from market import io as market_io
from market.io import MAX_FILE_BYTES, parse_assumptions


def only_problem(err: pytest.ExceptionInfo[AssumptionsError]) -> market_io.Problem:
    assert len(err.value.problems) == 1, err.value.problems
    return err.value.problems[0]


# --- reading --------------------------------------------------------------------------------


def test_the_default_file_loads(default_path: Path) -> None:
    a = load_assumptions(default_path)
    assert a.market.unit == "USD million"
    assert [r.year for r in a.reported] == [2023, 2024, 2031]


def test_yaml_syntax_error_names_line_and_column(write_yaml) -> None:
    path = write_yaml("market:\n  name: [unclosed\nyears: 1\n")
    with pytest.raises(AssumptionsError) as err:
        load_assumptions(path)
    problem = only_problem(err)
    assert "YAML syntax" in problem.message
    assert (problem.line, problem.column) == (3, 6)
    assert "line 3" in str(err.value)
    assert str(path) in str(err.value)


def test_a_bad_indentation_points_at_its_line() -> None:
    text = "market:\n  name: a\n unit: b\n"
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(text)
    assert only_problem(err).line == 3


def test_a_key_given_twice_is_refused_at_the_second_one() -> None:
    text = "years:\n  first: 2020\n  base: 2021\n  first: 2019\n"
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(text)
    problem = only_problem(err)
    assert "duplicate key 'first'" in problem.message
    assert problem.line == 4


MERGES = """\
defaults: &defaults {provenance: assumed, rationale: shared, share: 1}
north: &north {<<: *defaults, name: North, share: 3}
list:
  - <<: *north
    name: North-east
  - <<: [*north, *defaults]
    name: Elsewhere
    rationale: its own
"""


def test_merge_keys_read_as_the_yaml_library_reads_them() -> None:
    _, data = market_io.read_yaml(MERGES)
    assert data == yaml.safe_load(MERGES)
    north_east, elsewhere = data["list"]
    assert north_east == {
        "provenance": "assumed",
        "rationale": "shared",
        "share": 3,
        "name": "North-east",
    }
    assert elsewhere["rationale"] == "its own"  # a key written beside the merge wins


def test_a_merge_counts_as_a_copy_towards_the_value_limit() -> None:
    levels = ["m0: &m0 {a: 1}"] + [
        f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}" for i in range(1, 7)
    ]
    assert yaml.safe_load("\n".join(levels))["m6"] == {"a": 1}  # small once built
    with pytest.raises(AssumptionsError, match="aliases"):
        market_io.read_yaml("\n".join(levels))


def test_a_list_as_a_key_is_refused_not_crashed_on() -> None:
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions("? [a, b]\n: 1\n")
    assert "cannot be a key" in only_problem(err).message


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object:subprocess.Popen {{args: ['touch', '{marker}']}}",
    ],
)
def test_python_tags_are_refused_without_running_anything(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "ran"
    text = f"market: {tag.format(marker=marker)}\n"
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(text)
    problem = only_problem(err)
    assert (problem.line, problem.column) == (1, len("market: ") + 1)  # where the tag stands
    assert tag.split()[0].removeprefix("!!") in problem.message  # names the tag it refused
    assert not marker.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the document is empty"),
        ("# only a comment\n", "the document is empty"),
        ("- market\n- years\n", "the document is a list, not a mapping"),
        ("just words\n", "the document is a str, not a mapping"),
        (b"market: caf\xe9\n", "not UTF-8 text"),
    ],
)
def test_documents_that_are_not_a_mapping_are_refused(write_yaml, content, expected) -> None:
    with pytest.raises(AssumptionsError) as err:
        load_assumptions(write_yaml(content))
    problem = only_problem(err)
    assert expected in problem.message
    assert problem.location == "file"


def test_an_over_size_file_is_refused_before_it_is_read(write_yaml) -> None:
    path = write_yaml("#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(AssumptionsError) as err:
        load_assumptions(path)
    assert f"larger than {MAX_FILE_BYTES:,} bytes" in only_problem(err).message


def test_over_size_text_is_refused_too() -> None:
    with pytest.raises(AssumptionsError, match="larger than"):
        parse_assumptions(b"#" * (MAX_FILE_BYTES + 1))


def test_a_file_of_exactly_the_limit_is_parsed(small_market, write_yaml) -> None:
    text = yaml.safe_dump(small_market)
    padded = text + "#" * (MAX_FILE_BYTES - len(text.encode()) - 1) + "\n"
    assert len(padded.encode()) == MAX_FILE_BYTES
    assert load_assumptions(write_yaml(padded)).market.name == "Bicycle repair"


def test_a_missing_file_is_an_assumptions_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(AssumptionsError) as err:
        load_assumptions(path)
    assert not isinstance(err.value, OSError)
    assert os.strerror(errno.ENOENT) in only_problem(err).message
    assert err.value.source == str(path)


def test_a_directory_is_an_assumptions_error(tmp_path: Path) -> None:
    with pytest.raises(AssumptionsError):
        load_assumptions(tmp_path)


def test_every_validation_problem_is_listed(small_market) -> None:
    small_market["growth"]["cagr_pct"]["value"] = "fast"
    small_market["years"]["horizon"] = "later"
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(yaml.safe_dump(small_market))
    assert len(err.value.problems) == 2


def test_a_validation_problem_points_at_the_line_of_the_bad_value(default_path: Path) -> None:
    text = default_path.read_text(encoding="utf-8").replace("  horizon: 2031", "  horizon: soon")
    bad_line = text.splitlines().index("  horizon: soon") + 1
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(text)
    problem = only_problem(err)
    assert problem.location == "years.horizon"
    assert problem.line == bad_line


def test_a_segment_problem_is_named_by_the_segment_names(default_path: Path) -> None:
    text = default_path.read_text(encoding="utf-8")
    europe = "      - name: Europe\n        share: 27\n"
    assert europe in text
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(text.replace(europe, europe.replace("27", "-27")))
    problem = only_problem(err)
    assert problem.location == "dimensions[Region].segments[Europe].share"
    assert text.splitlines()[problem.line - 1].strip() == "share: 27"
    assert "dimensions[Region].segments[Europe].share (line" in str(err.value)


def test_a_sub_segment_problem_names_its_parent_too(small_market) -> None:
    small_market["dimensions"][0]["segments"][0]["segments"][1]["differential_pp"] = "x"
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(yaml.safe_dump(small_market))
    expected = "dimensions[Customer].segments[Commuters].segments[Pedal].differential_pp"
    assert only_problem(err).location == expected


def test_items_without_a_name_are_named_by_year_or_position(small_market) -> None:
    small_market["reported"][0]["value"] = 0
    small_market["factors"] = {"drivers": ["cheap repairs", 5]}
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(yaml.safe_dump(small_market))
    locations = {p.location for p in err.value.problems}
    assert locations == {"reported[2020].value", "factors.drivers[1]"}


def test_field_location_keeps_positions_it_cannot_name() -> None:
    loc = ("dimensions", 3, "segments", 0, "share")
    assert market_io.field_location(loc, {"dimensions": []}) == "dimensions[3].segments[0].share"
    assert market_io.field_location((), {}) == "file"


def test_a_whole_document_problem_claims_no_line(small_market) -> None:
    small_market["years"]["first"] = 2019  # 2019 lies before the base year but is not reported
    with pytest.raises(AssumptionsError) as err:
        parse_assumptions(yaml.safe_dump(small_market))
    problem = only_problem(err)
    assert "missing: 2019" in problem.message
    assert (problem.location, problem.line) == ("file", None)


# --- writing --------------------------------------------------------------------------------


def test_dump_is_readable_yaml_with_the_same_content(default_assumptions: Assumptions) -> None:
    text = dump_assumptions(default_assumptions)
    data = yaml.safe_load(text)
    assert data["market"]["name"] == "Microservices in healthcare"
    assert list(data)[:2] == ["market", "years"]  # schema order, not alphabetical
    assert Assumptions.model_validate(data) == default_assumptions


def test_save_then_load_gives_the_same_model(default_assumptions, small_market, tmp_path) -> None:
    for a in (default_assumptions, Assumptions.model_validate(small_market)):
        path = save_assumptions(a, tmp_path / "sub" / "saved.yaml")
        assert load_assumptions(path) == a


def test_save_leaves_no_temporary_files(default_assumptions, tmp_path) -> None:
    save_assumptions(default_assumptions, tmp_path / "a.yaml")
    save_assumptions(default_assumptions, tmp_path / "a.yaml")
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


@pytest.mark.parametrize("name", ["a" * 250 + ".yaml", "ü" * 125 + ".yaml"], ids=["ASCII", "UTF-8"])
def test_a_name_as_long_as_the_folder_allows_is_written_whole(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the temporary name beside it is cut to fit too: .<name>.<hex>.tmp would be 273 bytes
    assert len(os.fsencode(name)) == os.pathconf(tmp_path, "PC_NAME_MAX") == 255
    seen: list[str] = []
    fsync = os.fsync

    def look_then_fsync(fd: int) -> None:  # the temporary file is there, about to be synced
        seen.extend(p.name for p in tmp_path.iterdir())
        fsync(fd)

    monkeypatch.setattr(os, "fsync", look_then_fsync)
    market_io.write_atomically(tmp_path / name, "ü")
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name).read_text("utf-8") == "ü"
    temporary = seen[0]
    assert len(os.fsencode(temporary)) <= 255 and temporary.endswith(market_io.TEMPORARY_SUFFIX)
    assert temporary.startswith("." + name[:100])  # still says whose it is


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_save_keeps_the_old_file(
    default_assumptions, small_market, tmp_path, monkeypatch, failing
) -> None:
    path = save_assumptions(Assumptions.model_validate(small_market), tmp_path / "a.yaml")
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(OSError, match="No space"):
        save_assumptions(default_assumptions, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_save_gives_a_new_file_the_usual_permissions(default_assumptions, tmp_path) -> None:
    umask = os.umask(0o022)
    try:
        path = save_assumptions(default_assumptions, tmp_path / "new.yaml")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_save_keeps_the_permissions_of_the_file_it_replaces(default_assumptions, tmp_path) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text("old")
    path.chmod(0o664)
    save_assumptions(default_assumptions, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_a_saved_change_is_recorded_as_assumed_and_reads_back(
    default_assumptions: Assumptions,
) -> None:
    """A downloaded YAML never cites the source for a value the analyst moved."""
    changed = apply_overrides(default_assumptions, {"growth.cagr_pct": 22.12})
    data = yaml.safe_load(dump_assumptions(changed))
    cagr = data["growth"]["cagr_pct"]
    assert cagr["value"] == 22.12 and cagr["provenance"] == "assumed"
    assert "citation" not in cagr
    assert "changed" in cagr["rationale"].lower() and "20.12" in cagr["rationale"]
    assert parse_assumptions(dump_assumptions(changed)) == changed
