"""Two processes saving one scenario at once, on SQLite and on PostgreSQL: exactly one
wins each round, the other is told (and what to ask about), and no save reported as done
is lost."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, Engine
from sqlalchemy.engine import make_url

import store
from market.scenarios import (
    Scenario,
    ScenarioChangedError,
    ScenarioExistsError,
    parse_scenario,
)
from store.database import StoreUnavailableError
from tests.store.conftest import PostgresServer

ROUNDS = 25
OPENINGS = 4  # new databases opened by both processes at once
SHIPPED = Path(__file__).resolve().parents[2] / "assumptions" / "scenarios"
PROCESSES = 2
_fork = multiprocessing.get_context("fork")  # the workers below are not importable by name


def scenario(name: str, writer: int, n: int) -> Scenario:
    return Scenario(
        name=name,
        base_file="healthcare-microservices.yaml",
        rationale=f"process {writer}, round {n}",
        overrides={"growth.cagr_pct": float(writer)},
    )


def _create(url: str, writer: int, start: Any, out: Any) -> None:
    """Each round, both processes save a new name at the same moment."""
    engine = store.open_store(_url(url))
    told = []
    with store.session(engine) as s:
        for n in range(ROUNDS):
            start.wait()
            try:
                store.save(s, scenario(f"Race {n}", writer, n), author=f"p{writer}")
                told.append("saved")
            except ScenarioExistsError as err:
                told.append(f"exists:{err.version}")
    engine.dispose()
    out.put((writer, told))


def _replace(url: str, writer: int, start: Any, out: Any) -> None:
    """Each round, both processes look at the same version, then both replace it."""
    engine = store.open_store(_url(url))
    told = []
    with store.session(engine) as s:
        for n in range(ROUNDS):
            start.wait()
            seen = store.load(s, "Shared").version  # what this user confirmed replacing
            start.wait()
            try:
                saved = store.save(
                    s, scenario("Shared", writer, n), author=f"p{writer}", expected=seen
                )
                told.append(f"saved:{saved.version}")
            except ScenarioChangedError as err:
                told.append(f"changed:{err.version}")
            start.wait()
    engine.dispose()
    out.put((writer, told))


def _open(urls: str, writer: int, start: Any, out: Any) -> None:
    """Each round, both processes open the same new database at the same moment."""
    told = []
    for url in urls.split():
        start.wait()
        try:
            store.open_store(_url(url), SHIPPED).dispose()
            told.append("opened")
        except StoreUnavailableError as err:
            told.append(f"refused: {err}")
    out.put((writer, told))


def _url(text: str) -> URL:
    return make_url(text)


def _reporting(worker: Any, url: str, writer: int, start: Any, out: Any) -> None:
    """Run ``worker``; if it fails, say how at once and break the barrier for its peer."""
    try:
        worker(url, writer, start, out)
    except Exception as err:
        start.abort()
        out.put((writer, [f"failed: {type(err).__name__}: {err}"]))


def run(worker: Any, url: URL | list[URL]) -> dict[int, list[str]]:
    start = _fork.Barrier(PROCESSES, timeout=60)  # a crashed peer breaks it, never hangs it
    out = _fork.Queue()
    urls = url if isinstance(url, list) else [url]
    text = " ".join(u.render_as_string(hide_password=False) for u in urls)
    workers = [
        _fork.Process(target=_reporting, args=(worker, text, i, start, out))
        for i in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    try:
        results = dict(out.get(timeout=180) for _ in workers)
        for w in workers:
            w.join(timeout=30)
            assert w.exitcode == 0
    finally:
        for w in workers:
            if w.is_alive():
                w.kill()
    return results


def test_two_processes_claiming_one_new_name_one_wins(engine: Engine, database: URL) -> None:
    results = run(_create, database)
    with store.session(engine) as s:
        listed = {saved.name: saved for saved in store.listing(s).scenarios}
    for n in range(ROUNDS):
        outcomes = sorted(results[w][n] for w in range(PROCESSES))
        assert outcomes == ["exists:1", "saved"], (n, outcomes)
        winner = next(w for w in range(PROCESSES) if results[w][n] == "saved")
        kept = listed[f"Race {n}"]
        assert kept.version == 1
        assert kept.scenario.rationale == f"process {winner}, round {n}"


def test_two_processes_replacing_one_version_one_wins(engine: Engine, database: URL) -> None:
    with store.session(engine) as s:
        store.save(s, scenario("Shared", 9, -1), author="setup")
    results = run(_replace, database)
    with store.session(engine) as s:
        versions = store.history(s, "Shared")
    assert len(versions) == ROUNDS + 1  # one save per round, none lost, none doubled
    for n in range(ROUNDS):
        outcomes = sorted(results[w][n] for w in range(PROCESSES))
        # the loser is told the version the winner made, to ask about it next
        assert outcomes == [f"changed:{n + 2}", f"saved:{n + 2}"], (n, outcomes)
        winner = next(w for w in range(PROCESSES) if results[w][n].startswith("saved"))
        kept = next(v for v in versions if v.number == n + 2)
        assert (kept.author, kept.scenario.rationale) == (
            f"p{winner}",
            f"process {winner}, round {n}",
        )


def test_two_processes_opening_a_new_database_at_once_both_get_the_store(
    database: URL, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Replicas starting together on an empty database: one migrates and imports, the
    other waits for it and finds the schema current; neither is refused."""
    if database.get_backend_name() == "sqlite":
        fresh = [database.set(database=str(tmp_path / f"open-{n}.db")) for n in range(OPENINGS)]
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        fresh = [server.new_database() for _ in range(OPENINGS)]
    results = run(_open, fresh)
    assert results == {w: ["opened"] * OPENINGS for w in range(PROCESSES)}
    shipped = sorted(parse_scenario(p.read_bytes()).name for p in SHIPPED.glob("*.yaml"))
    for url in fresh:
        engine = store.open_store(url, SHIPPED)
        with store.session(engine) as s:
            listed = store.listing(s).scenarios
        engine.dispose()
        # the shipped scenarios folder imported once: each file once, as version 1
        assert sorted(saved.name for saved in listed) == shipped
        assert {saved.version for saved in listed} == {1}
