"""One registry of export formats: ``market export`` and the download buttons offer the same
files, and a new format is one entry that both pick up."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cli import build_parser, main
from report import formats
from report.formats import ExportFormat, ExportRequest

PROJECT = Path(__file__).resolve().parents[2]

# What the start of each file says it is, whoever wrote it.
MAGIC = {
    ".csv": b"year,total",
    ".json": b"[",
    ".xlsx": b"PK",  # a zip, as every Office file
    ".pptx": b"PK",
    ".yaml": b"market:",
    ".html": b"<!doctype html>",
}


def tsv_file(request: ExportRequest) -> str:
    """A format this test adds: the totals, tab-separated."""
    totals = request.forecast.totals["value"]
    return "".join(f"{year}\t{value!r}\n" for year, value in totals.items())


TSV = ExportFormat(
    name="tsv",
    label="Forecast (TSV)",
    suffix=".tsv",
    mime="text/tab-separated-values",
    renderer=tsv_file,
    icon=":material/table_rows:",
    stem="forecast",
)


def cli_choices() -> list[str]:
    """The ``--format`` choices of ``market export``."""
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    export = commands.choices["export"]
    option = next(a for a in export._actions if "--format" in a.option_strings)
    return list(option.choices or [])


def button_labels() -> list[str]:
    """The download buttons' labels on the Overview, in order."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return [b.proto.label for b in at.get("download_button")]


def test_the_cli_and_the_buttons_offer_the_same_formats(folders: None) -> None:
    labels = {f.name: f.label for f in formats.FORMATS}
    assert [labels[name] for name in cli_choices()] == button_labels()
    assert {"csv", "json", "xlsx", "yaml", "html"} <= set(labels)


@pytest.mark.parametrize("kind", formats.FORMATS, ids=lambda f: f.name)
def test_the_cli_writes_every_format_from_its_suffix(
    kind: ExportFormat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"market{kind.suffix}"
    umask = os.umask(0o022)  # text and bytes formats alike: the usual mode, not mkstemp's 0600
    try:
        assert main(["export", "--out", str(out)]) == 0
    finally:
        os.umask(umask)
    assert f"({kind.name}," in capsys.readouterr().out
    assert out.read_bytes().startswith(MAGIC[kind.suffix])
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_new_format_is_one_entry(
    folders: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "tsv" not in cli_choices()
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, TSV))
    assert cli_choices()[-1] == "tsv"
    assert button_labels()[-1] == "Forecast (TSV)"
    out = tmp_path / "totals.tsv"
    assert main(["export", "--out", str(out)]) == 0  # the suffix picks it
    first = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first[0] == "2023" and float(first[1]) == pytest.approx(389.3)


def test_by_is_refused_for_a_format_without_dimensions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for kind in formats.FORMATS:
        out = tmp_path / f"x{kind.suffix}"
        code = main(["export", "--out", str(out), "--by", "region"])
        err = capsys.readouterr().err
        if kind.by_dimension:
            assert code == 0, err
        else:
            assert (code, err) == (
                2,
                f"--by: {kind.label} is not split by a dimension; leave --by out\n",
            )
            assert not out.exists()
