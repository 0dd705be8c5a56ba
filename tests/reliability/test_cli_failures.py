"""Every failure of the `market` command: exit 2, one line, no traceback, no numpy warning;
outputs replace only regular files; reads stop at a limit of bytes actually read."""

from __future__ import annotations

import copy
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml


def market(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_failure(run: subprocess.CompletedProcess[str], words: str) -> None:
    assert run.returncode == 2, run
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert words in lines[0]
    assert "Traceback" not in run.stderr and "Warning" not in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", "--format", "json"],
        ["forecast", "--format", "csv"],
        ["forecast"],
        ["export", "--format", "json", "--out", "-"],
    ],
)
def test_a_forecast_past_a_floats_range_fails_in_one_line(
    args: list[str], tmp_path: Path, small_market: dict[str, Any]
) -> None:
    # a file's own value is always allowed: a huge market growing for 200 years overflows
    data = copy.deepcopy(small_market)
    data["years"] = {"first": 2000, "base": 2000, "horizon": 2200}
    data["reported"] = [{"year": 2000, "value": 1e300, "citation": "c"}]
    data["growth"]["base_value"]["value"] = 1e300
    data["growth"]["cagr_pct"]["value"] = 100.0
    source = tmp_path / "huge.yaml"
    source.write_text(yaml.safe_dump(data), "utf-8")
    if args[0] == "export":
        args = [*args[:-1], str(tmp_path / "out.json")]
    assert_one_line_failure(market(*args, "--assumptions", str(source)), "overflows")


def test_validate_reads_at_most_the_limit_of_an_endless_file() -> None:
    # /dev/zero reports a size of 0: only the bytes actually read can be trusted
    assert_one_line_failure(market("validate", "/dev/zero", timeout=30), "larger than")


def test_export_of_names_with_control_characters_and_formulas_writes_plain_text(
    tmp_path: Path, small_market: dict[str, Any]
) -> None:
    data = copy.deepcopy(small_market)
    data["market"]["name"] = 'Bikes\x07 and =HYPERLINK("http://x")'
    data["dimensions"][0]["segments"][1]["name"] = "=1+2"
    source = tmp_path / "odd.yaml"
    source.write_text(yaml.safe_dump(data), "utf-8")
    out = tmp_path / "odd.xlsx"
    run = market("export", "--assumptions", str(source), "--out", str(out))
    assert run.returncode == 0, run.stderr
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    texts = [str(c.value) for c in cells]
    assert "'=1+2" in texts
    csv = market(
        "export", "--assumptions", str(source), "--out", str(tmp_path / "o.csv"), "--by", "customer"
    )
    assert csv.returncode == 0, csv.stderr
    header = (tmp_path / "o.csv").read_text("utf-8").splitlines()[0]
    assert "'=1+2" in header and ",=1+2" not in header


def test_export_never_replaces_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "precious.csv"
    target.write_text("keep", "utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    assert_one_line_failure(market("export", "--out", str(link)), "symbolic link")
    assert link.is_symlink() and target.read_text("utf-8") == "keep"


def test_export_refuses_devices_and_fifos(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert_one_line_failure(market("export", "--out", str(fifo)), "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    run = market("export", "--format", "csv", "--out", os.devnull)
    assert_one_line_failure(run, "not a regular file")
    assert stat.S_ISCHR(os.lstat(os.devnull).st_mode)
