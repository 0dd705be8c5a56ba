"""The ``market`` command at the edges of a terminal session: a closed or full standard output,
a reader that stops early, Ctrl-C, ``--out -`` and the longest legal ``--out`` name.

Each ends in one line on stderr (or none, for a reader that stopped early), its conventional
exit status (``cli.errors``) and nothing left behind. The real command runs as a process
wherever the terminal matters: descriptors, signals, a pseudo-terminal.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from cli import EXIT_OK, EXIT_USAGE, main
from market.paths import ASSUMPTIONS_ENV, DEFAULT_FILE_ENV, SCENARIOS_ENV

PROJECT = Path(__file__).resolve().parents[2]
INTERRUPTED, BROKEN_PIPE, OUTPUT_FAILED = 130, 141, 1


@pytest.fixture(autouse=True)
def _project_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ASSUMPTIONS_ENV, SCENARIOS_ENV, DEFAULT_FILE_ENV):
        monkeypatch.delenv(name, raising=False)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKET_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT), env.get("PYTHONPATH")]))
    return env


def market(*argv: str) -> list[str]:
    return [sys.executable, "-m", "cli", *argv]


def in_shell(script: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``market ARGV`` with the shell redirection a user would type, e.g. ``>&-``."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {script}', "sh", *market(*argv)],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def resident_mb(pid: int) -> float:
    """How much memory the process holds now (Linux's VmRSS), 0 once it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) / 1024


def as_in_a_terminal() -> None:
    """Run in the child before the command: Ctrl-C at its default, as a terminal's foreground
    command has it. (A job a script starts with ``&`` inherits Ctrl-C ignored, and Python
    then leaves it ignored: the command would run to its end.)"""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt_when(
    process: subprocess.Popen[str], ready: Callable[[], bool], deadline: float = 120
) -> tuple[int, str, str]:
    """Send SIGINT (Ctrl-C) as soon as ``ready()`` holds, then wait for the process to end."""
    end = time.monotonic() + deadline
    while not ready():
        assert process.poll() is None, "the command ended before it could be interrupted"
        assert time.monotonic() < end, "the command never got there"
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- a standard output that cannot be written ----------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["forecast", "--format", "csv"],  # was an AttributeError traceback
        ["forecast"],  # was exit 0 with the table lost
        ["params"],
        ["export", "--out", "forecast.csv"],
        ["--help"],
    ],
    ids=" ".join,
)
def test_a_closed_standard_output_is_one_line_and_exit_1(argv: list[str], tmp_path: Path) -> None:
    run = in_shell(">&-", *argv, cwd=tmp_path)
    assert run.returncode == OUTPUT_FAILED, run.stderr
    # refused before anything is read or written: not even the export is made
    assert run.stderr.splitlines() == ["market: cannot write to standard output: it is closed"]
    assert files_in(tmp_path) == []


def test_a_full_disk_under_standard_output_is_one_line_and_exit_1(tmp_path: Path) -> None:
    run = in_shell("> /dev/full", "forecast", "--format", "csv", cwd=tmp_path)
    assert run.returncode == OUTPUT_FAILED, run.stderr
    assert run.stderr.splitlines() == [
        "market forecast: cannot write to standard output: No space left on device"
    ]


def test_a_reader_that_stops_early_ends_the_command_as_sigpipe_would(tmp_path: Path) -> None:
    # `market forecast | head -1` once head has gone: no message, the status of SIGPIPE
    process = subprocess.Popen(
        market("forecast", "--by", "region"),
        cwd=tmp_path,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the command writes anything
    err = process.stderr.read()
    assert (process.wait(timeout=120), err) == (BROKEN_PIPE, "")


def test_help_into_a_closed_pipe_is_quiet_too(tmp_path: Path) -> None:
    process = subprocess.Popen(
        market("--help"), env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    assert (process.wait(timeout=120), err) == (BROKEN_PIPE, b"")


# --- Ctrl-C --------------------------------------------------------------------------------


def test_ctrl_c_during_a_long_simulation_is_one_line_and_exit_130(tmp_path: Path) -> None:
    process = subprocess.Popen(
        market("risk", "--paths", "1000000"),
        cwd=tmp_path,
        env=environment(),
        preexec_fn=as_in_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # loading the model takes about 130 MB; the simulation's paths take about 250 MB more
    code, out, err = interrupt_when(process, lambda: resident_mb(process.pid) > 200)
    assert (code, out, err) == (INTERRUPTED, "", "market risk: interrupted\n")


def test_ctrl_c_while_the_model_loads_is_one_line_and_exit_130(tmp_path: Path) -> None:
    process = subprocess.Popen(
        market("forecast"),
        cwd=tmp_path,
        env=environment(),
        preexec_fn=as_in_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # numpy and pandas are being imported: past the interpreter's start, before any command
    code, out, err = interrupt_when(process, lambda: resident_mb(process.pid) > 40)
    assert (code, out) == (INTERRUPTED, "")
    assert err in ("market: interrupted\n", "market forecast: interrupted\n")


def test_ctrl_c_while_a_deck_is_written_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"the deck of last week")

    def interrupted(fd: int) -> None:  # Ctrl-C at the worst moment: the new file half made
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    try:
        code = main(["export", "--out", str(deck)])
    except KeyboardInterrupt:  # not pytest's own: it would end the whole run
        pytest.fail("the interrupt went through main() as a traceback")
    assert code == INTERRUPTED
    assert capsys.readouterr() == ("", "market export: interrupted\n")
    assert files_in(tmp_path) == ["deck.pptx"]
    assert deck.read_bytes() == b"the deck of last week"


# --- --out - -------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--format", "csv", "--by", "region"], ["--format", "yaml"]])
def test_out_dash_writes_the_files_bytes_to_standard_output(
    argv: list[str],
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", *argv, "--out", "file"]) == EXIT_OK
    capsysbinary.readouterr()
    assert main(["export", *argv, "--out", "-"]) == EXIT_OK
    assert capsysbinary.readouterr() == ((tmp_path / "file").read_bytes(), b"")
    assert files_in(tmp_path) == ["file"]  # and none named "-"


def test_out_dash_sends_a_workbook_down_a_pipe(tmp_path: Path) -> None:
    run = subprocess.run(
        market("export", "--format", "xlsx", "--out", "-"),
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert (run.returncode, run.stderr) == (EXIT_OK, b"")
    assert "Summary" in openpyxl.load_workbook(io.BytesIO(run.stdout)).sheetnames
    assert files_in(tmp_path) == []


def test_out_dash_without_a_format_says_to_add_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--out", "-"]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("--out -: cannot tell the format; add --format (csv,")
    assert files_in(tmp_path) == []


def test_a_file_named_dash_is_still_reachable_as_dot_slash_dash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "csv", "--out", "./-"]) == EXIT_OK
    assert capsys.readouterr().out.startswith("Wrote - (csv,")
    header = next(csv.reader((tmp_path / "-").open(encoding="utf-8")))
    assert header == ["year", "total", "growth_pct"]


def test_a_binary_format_is_never_written_onto_a_terminal(tmp_path: Path) -> None:
    terminal, child = os.openpty()
    try:
        run = subprocess.run(
            market("export", "--format", "xlsx", "--out", "-"),
            cwd=tmp_path,
            env=environment(),
            stdout=child,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
        os.set_blocking(terminal, False)
        try:
            shown = os.read(terminal, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(child)
        os.close(terminal)
    assert run.returncode == EXIT_USAGE
    assert run.stderr.splitlines() == [
        "--out -: a xlsx file is binary and standard output is a terminal; "
        "redirect it (> file.xlsx) or name a file"
    ]
    assert shown == b""


# --- the longest legal name ----------------------------------------------------------------


@pytest.mark.parametrize("stem", ["f" * 245, "é" * 122 + "x"], ids=["249 bytes", "UTF-8, 249"])
def test_an_out_name_of_249_bytes_is_written_and_leaves_no_temporary_file(
    stem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{stem}.csv"
    assert len(os.fsencode(out.name)) == 249
    assert main(["export", "--out", str(out)]) == EXIT_OK, capsys.readouterr().err
    assert files_in(tmp_path) == [out.name]
    assert out.read_text(encoding="utf-8").startswith("year,total,growth_pct\n")
