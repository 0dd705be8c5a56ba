"""Two processes saving into one scenarios folder (two replicas on a shared volume, or a
server and a script): no save is reported as done and then silently replaced."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from market.scenarios import (
    Scenario,
    ScenarioChangedError,
    ScenarioExistsError,
    ScenarioStore,
)

ROUNDS = 150
PROCESSES = 2
_fork = multiprocessing.get_context("fork")  # the worker below is not importable by name


def scenario(name: str, writer: int) -> Scenario:
    return Scenario(
        name=name,
        base_file="healthcare-microservices.yaml",
        rationale=f"written by process {writer}",
        overrides={"growth.cagr_pct": float(writer)},
    )


def _create(folder: Path, writer: int, start: multiprocessing.synchronize.Barrier, out) -> None:
    store = ScenarioStore(folder)
    told: list[str] = []
    for n in range(ROUNDS):
        start.wait()
        try:
            store.save(scenario(f"Race {n}", writer))
            told.append("saved")
        except ScenarioExistsError:
            told.append("exists")
    out.put((writer, told))


def _replace(folder: Path, writer: int, start: multiprocessing.synchronize.Barrier, out) -> None:
    store = ScenarioStore(folder)
    told: list[str] = []
    for _ in range(ROUNDS):
        start.wait()
        seen = store.version("Shared")  # what this user looked at before confirming
        start.wait()
        try:
            store.save(scenario("Shared", writer), overwrite=True, replaces=seen)
            told.append("saved")
        except ScenarioChangedError:
            told.append("changed")
        start.wait()
        if told[-1] == "saved":
            out.put(store.load("Shared").rationale == f"written by process {writer}")
    out.put((writer, told))


def run(worker, folder: Path) -> tuple[dict[int, list[str]], list[object]]:
    start = _fork.Barrier(PROCESSES)
    out = _fork.Queue()
    workers = [_fork.Process(target=worker, args=(folder, i, start, out)) for i in range(PROCESSES)]
    for w in workers:
        w.start()
    results: dict[int, list[str]] = {}
    extra: list[object] = []
    while len(results) < PROCESSES:
        item = out.get(timeout=120)
        if isinstance(item, tuple):
            results[item[0]] = item[1]
        else:
            extra.append(item)
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    return results, extra


def test_two_processes_creating_one_name_never_both_hear_saved(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    told, _ = run(_create, folder)
    store = ScenarioStore(folder)
    for n in range(ROUNDS):
        winners = [w for w in range(PROCESSES) if told[w][n] == "saved"]
        assert len(winners) == 1, f"round {n}: {winners} were told 'saved'"
        assert store.load(f"Race {n}").rationale == f"written by process {winners[0]}"


def test_two_processes_replacing_what_they_saw_let_one_win_and_tell_the_other(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "scenarios"
    ScenarioStore(folder).save(scenario("Shared", 99))
    told, kept = run(_replace, folder)
    for n in range(ROUNDS):
        winners = [w for w in range(PROCESSES) if told[w][n] == "saved"]
        assert len(winners) == 1, f"round {n}: {winners} were told 'saved'"
    assert kept == [True] * ROUNDS  # every winner's file was the one left in place
