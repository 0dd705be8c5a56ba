"""The proxy set-up on PostgreSQL: ``deploy/local/cluster --database postgres``.

Two replicas behind Debian's nginx, both pointed by the cluster at a PostgreSQL server it
started (Debian's binaries, ``initdb`` in its temporary folder, a free port), as replicas on
several hosts share one database and no volume. The checks are the proxy tests' own
(``test_proxy.py``), run against this cluster: a scenario saved through one replica is
listed through the other, and two saves of one new name at once give exactly one save (the
store's compare-and-swap, across two server processes and a real database server).
Without PostgreSQL (or nginx) the module skips and says why; under ``REQUIRE_POSTGRES=1``
(CI) a missing PostgreSQL fails it.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.engine import make_url

from store import DATABASE_ENV
from tests.deploy.cluster import Cluster, running
from tests.deploy.conftest import running_cluster
from tests.deploy.test_proxy import (
    saved_through_one_replica_is_listed_through_the_other,
    two_replicas_saving_one_new_name_at_once,
)
from tests.store.conftest import postgres_bin, postgres_unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, nginx_path: str) -> Iterator[Cluster]:
    if postgres_bin() is None:
        postgres_unavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
            "apt-get install postgresql"
        )
    root = tmp_path_factory.mktemp("proxy-postgres")
    with running_cluster(root, replicas=2, database="postgres") as started:
        yield started


def environment(pid: int) -> dict[str, str]:
    """What a running process was started with (Linux)."""
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(p.decode().partition("=")[::2] for p in pairs if p)


def test_every_replica_is_pointed_at_the_clusters_postgresql(cluster: Cluster) -> None:
    assert cluster.postgres_pid is not None and running(cluster.postgres_pid), cluster.text()
    assert cluster.database_url is not None
    url = make_url(cluster.database_url)
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "127.0.0.1", "market")
    assert url.password, "the server asks for a password"
    for replica in cluster.replicas:
        assert environment(replica.pid)[DATABASE_ENV] == cluster.database_url


@pytest.mark.browser
def test_a_scenario_saved_through_one_replica_is_listed_through_the_other(
    cluster: Cluster, browser: Browser
) -> None:
    saved_through_one_replica_is_listed_through_the_other(cluster, browser)
    # Saved in PostgreSQL (the check reads it there), not in a SQLite file beside the scenarios.
    assert not (cluster.scenarios / "market.db").exists()


@pytest.mark.browser
def test_two_replicas_saving_one_new_name_at_once_give_one_save_and_one_already_exists(
    cluster: Cluster, browser: Browser
) -> None:
    two_replicas_saving_one_new_name_at_once(cluster, browser)


def test_stopping_the_cluster_stops_its_postgresql_too(cluster: Cluster) -> None:
    """Last in this module: it stops the module's cluster."""
    pids = cluster.started_pids()
    assert cluster.postgres_pid in pids
    assert cluster.stop(signal.SIGTERM) == 0
    assert [pid for pid in pids if running(pid)] == [], cluster.text()
    assert cluster.database_url is not None
    port = make_url(cluster.database_url).port
    assert port is not None
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
