"""The proxy set-up with real parts: Debian's nginx, the shipped nginx file, two replicas.

``deploy/local/cluster`` starts it once for this module (a private scenarios folder, free
ports); every request here goes through nginx at ``https://127.0.0.1:PORT/market/``, as a
browser behind the company proxy would. Which replica holds a session is asked of the
replicas (their ``active_sessions`` metric), so each test knows where its browser landed.
Killing a replica is in ``test_proxy_failover.py``, on a cluster of its own.
"""

from __future__ import annotations

import difflib
import http.client
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from market import load_assumptions, parameter_index
from market.io import MAX_FILE_BYTES
from tests.browser.conftest import (
    TIMEOUT_MS,
    VIEWPORT,
    assert_no_exception,
    screenshot,
    slider_value,
    wait_for_app,
    wait_for_metric,
)
from tests.browser.test_analyst_tools import (
    CAGR,
    horizon_label,
    horizon_text,
    load_button,
    press,
    save_scenario,
)
from tests.deploy.cluster import Cluster, Replica, running
from tests.deploy.conftest import ROOT, running_cluster
from tests.store.conftest import saved_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

DEFAULT_FILE = ROOT / "assumptions" / "healthcare-microservices.yaml"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "market-dashboard.conf"
MAX_TRIES = 16  # fresh browsers opened to land one on a given replica (each lands at random)
ROUTE_COOKIE = "market_dashboard_route"  # set by the shipped nginx file


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, nginx_path: str) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("proxy"), replicas=2) as started:
        yield started


def open_proxied(
    browser: Browser, cluster: Cluster, path: str = "", *, charts: int = 1, route: str = ""
) -> Page:
    """A fresh browser (its own cookies, so its own route) on ``path`` through nginx; with
    ``route``, a route cookie another browser was given, so it follows that one.

    The run's certificate is self-signed, so this browser is told to accept it.
    """
    context = browser.new_context(viewport=dict(VIEWPORT), ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    if route:
        context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": cluster.url}])
    page = context.new_page()
    page.goto(cluster.url + path)
    wait_for_app(page, charts=charts)
    return page


def sessions(cluster: Cluster) -> list[int | None]:
    return [r.sessions() for r in cluster.replicas]


def open_on(
    browser: Browser, cluster: Cluster, replica: Replica, path: str = "", *, charts: int = 1
) -> Page:
    """A fresh browser whose session landed on ``replica``: new browsers are opened (and
    the others closed) until nginx's route cookie sends one there. The first browser
    carries the route cookie that last reached ``replica``, if one did (nginx hashes it to
    the same replica while the replicas stay the same)."""
    index = cluster.replicas.index(replica)
    for attempt in range(MAX_TRIES):
        before = sessions(cluster)
        known = cluster.routes.get(replica.number, "") if attempt == 0 else ""
        page = open_proxied(browser, cluster, path, charts=charts, route=known)
        after = sessions(cluster)
        if (after[index] or 0) > (before[index] or 0):
            cluster.routes[replica.number] = route_cookie(page) or ""
            return page
        page.context.close()
    pytest.fail(f"{MAX_TRIES} fresh browsers never reached replica {replica.number}")


def other(cluster: Cluster, replica: Replica) -> Replica:
    (found,) = [r for r in cluster.replicas if r != replica]
    return found


def route_cookie(page: Page) -> str | None:
    names = {c["name"]: c["value"] for c in page.context.cookies()}
    return names.get(ROUTE_COOKIE)


# --- the set-up itself ---------------------------------------------------------------------


def test_the_cluster_prints_each_replica_with_a_live_process(cluster: Cluster) -> None:
    assert [r.number for r in cluster.replicas] == [1, 2]
    assert len({r.port for r in cluster.replicas} | {cluster.port}) == 3
    for replica in cluster.replicas:
        assert running(replica.pid), f"replica {replica.number}'s pid {replica.pid} is not running"
        assert replica.sessions() is not None, f"replica {replica.number} does not answer"
    assert running(cluster.nginx_pid)


def test_nginx_runs_the_shipped_file_with_only_addresses_ports_and_paths_filled_in(
    cluster: Cluster,
) -> None:
    shipped = NGINX_TEMPLATE.read_text(encoding="utf-8").splitlines()
    rendered = cluster.config.read_text(encoding="utf-8").splitlines()
    changed = [
        line[1:].strip()
        for line in difflib.unified_diff(shipped, rendered, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    allowed = re.compile(
        r"server\s+127\.0\.0\.1:\d+;|listen\s+(127\.0\.0\.1:)?\d+\s+ssl;"
        r"|ssl_certificate(_key)?\s+/\S+;"
    )
    assert changed, "the rendered file should at least name the replicas"
    assert [line for line in changed if not allowed.fullmatch(line)] == []
    ports = {r.port for r in cluster.replicas}
    assert {int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+);", "\n".join(rendered))} == ports


def test_the_health_endpoint_answers_through_the_proxy(cluster: Cluster) -> None:
    connection = http.client.HTTPSConnection(
        "127.0.0.1", cluster.port, context=cluster.ssl_context(), timeout=10
    )
    connection.request("GET", f"/{cluster.prefix}/_stcore/health")
    response = connection.getresponse()
    assert (response.status, response.read().strip()) == (200, b"ok")
    assert response.getheader("Server", "").startswith("nginx")


def test_the_proxy_refuses_a_request_body_over_the_upload_limit(
    cluster: Cluster, upload_limit_mb: int
) -> None:
    """A client that skips the browser's own size check is stopped by nginx, before any
    replica reads the body."""
    connection = http.client.HTTPSConnection(
        "127.0.0.1", cluster.port, context=cluster.ssl_context(), timeout=30
    )
    connection.putrequest("PUT", f"/{cluster.prefix}/_stcore/upload_file/session/file")
    connection.putheader("Content-Length", str(upload_limit_mb * 2**20 + 1))
    connection.endheaders()  # nginx answers on the declared length, before any body is sent
    response = connection.getresponse()
    assert response.status == 413
    assert response.getheader("Server", "").startswith("nginx")


# --- browsers through the proxy ------------------------------------------------------------


@pytest.mark.browser
def test_the_page_loads_and_slider_moves_answer_over_the_websocket(
    cluster: Cluster, browser: Browser
) -> None:
    a = load_assumptions(DEFAULT_FILE)
    context = browser.new_context(viewport=dict(VIEWPORT), ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        page.goto(cluster.url)
        wait_for_app(page)
        assert sockets == [f"wss://127.0.0.1:{cluster.port}/{cluster.prefix}/_stcore/stream"]
        cagr = press(page, CAGR, "ArrowRight", 3)
        assert cagr > parameter_index(a)[CAGR].value
        wait_for_metric(page, horizon_label(a), horizon_text(a, {CAGR: cagr}))
        assert_no_exception(page)
        screenshot(page, "proxy-overview")
    finally:
        context.close()


@pytest.mark.browser
def test_a_browser_session_sticks_to_one_replica(cluster: Cluster, browser: Browser) -> None:
    page = open_proxied(browser, cluster)
    try:
        cookie = route_cookie(page)
        assert cookie, "nginx set no route cookie"
        first = cluster.holder()
        for _ in range(4):  # each reload is a new page request and a new WebSocket
            page.reload()
            wait_for_app(page)
            assert route_cookie(page) == cookie
            assert cluster.holder() == first
        # The same route from another browser goes to the same replica: the cookie decides.
        twin = browser.new_context(viewport=dict(VIEWPORT), ignore_https_errors=True)
        twin.add_cookies([{"name": ROUTE_COOKIE, "value": cookie, "url": cluster.url}])
        before = sessions(cluster)
        twin_page = twin.new_page()
        twin_page.goto(cluster.url)
        wait_for_app(twin_page)
        after = sessions(cluster)
        index = cluster.replicas.index(first)
        assert (after[index] or 0) == (before[index] or 0) + 1, f"{before} -> {after}"
        twin.close()
    finally:
        page.context.close()


def _assumptions_file_of(size: int) -> bytes:
    """The default file padded with a YAML comment to exactly ``size`` bytes."""
    text = DEFAULT_FILE.read_bytes()
    padding = size - len(text) - len(b"\n#\n")
    assert padding >= 0
    return text + b"\n#" + b"x" * padding + b"\n"


def _upload(page: Page, name: str, content: bytes) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    dropzone = sidebar.locator('[data-testid="stFileUploaderDropzone"]')
    if not dropzone.is_visible():  # the expander closes again when a file is selected
        sidebar.locator('[data-testid="stExpander"] summary').filter(has_text="Upload").click()
        dropzone.wait_for()
    sidebar.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "application/x-yaml", "buffer": content}]
    )


@pytest.mark.browser
def test_an_upload_under_the_limit_passes_and_one_over_it_is_refused_clearly(
    cluster: Cluster, browser: Browser, upload_limit_mb: int
) -> None:
    page = open_proxied(browser, cluster)
    # The sidebar's caption names the selected file ("`name`: values in ...").
    selected = page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').first
    try:
        # Just under the model's limit: it crosses nginx and the replica, and is selected.
        _upload(page, "nearly-a-megabyte.yaml", _assumptions_file_of(MAX_FILE_BYTES - 1_000))
        page.wait_for_function(
            "(name) => new URLSearchParams(location.search).get('file') === name",
            arg="upload: nearly-a-megabyte.yaml",
        )
        wait_for_app(page)
        assert "nearly-a-megabyte.yaml" in selected.inner_text()
        assert_no_exception(page)

        # Just over it: refused in the upload box with the limit stated; the page keeps working.
        _upload(page, "too-big.yaml", _assumptions_file_of(MAX_FILE_BYTES + 500))
        chip = page.locator('[data-testid="stFileChip"]').filter(has_text="too-big.yaml")
        page.wait_for_function(
            "([limit]) => [...document.querySelectorAll('[data-testid=\"stFileChip\"]')]"
            ".some(c => c.innerText.includes('too-big.yaml') && c.innerText.includes(limit))",
            arg=[f"{upload_limit_mb:.1f}MB"],
        )
        screenshot(page, "proxy-upload-refused")
        assert chip.count() == 1
        assert "too-big.yaml" not in selected.inner_text()
        assert "nearly-a-megabyte.yaml" in selected.inner_text()
        assert_no_exception(page)
        before = slider_value(page, CAGR)
        assert press(page, CAGR, "ArrowRight", 1) > before
    finally:
        page.context.close()


@pytest.mark.browser
def test_a_scenario_saved_through_one_replica_is_listed_through_the_other(
    cluster: Cluster, browser: Browser
) -> None:
    saved_through_one_replica_is_listed_through_the_other(cluster, browser)


@pytest.mark.browser
def test_two_replicas_saving_one_new_name_at_once_give_one_save_and_one_already_exists(
    cluster: Cluster, browser: Browser
) -> None:
    two_replicas_saving_one_new_name_at_once(cluster, browser)


# The two checks above, shared with test_proxy_postgres.py (the replicas on PostgreSQL).


def saved_through_one_replica_is_listed_through_the_other(
    cluster: Cluster, browser: Browser
) -> None:
    """A scenario saved on the Scenarios page through nginx is in the cluster's store and
    listed by a browser that lands on the other replica."""
    name = "Saved on one replica"
    first = open_proxied(browser, cluster, "scenarios", charts=0)
    try:
        saver = cluster.holder()
        cluster.routes[saver.number] = route_cookie(first) or ""
        save_scenario(first, name, "Written through one replica, read through the other.")
        assert saved_in(cluster.scenarios, name, cluster.database_url) is not None
        second = open_on(browser, cluster, other(cluster, saver), "scenarios", charts=0)
        try:
            load_button(second, name).wait_for()  # fails after a minute if it is not listed
            screenshot(second, f"proxy-{cluster.database or 'sqlite'}-scenario-listed-elsewhere")
            assert_no_exception(second)
        finally:
            second.context.close()
    finally:
        first.context.close()


def two_replicas_saving_one_new_name_at_once(cluster: Cluster, browser: Browser) -> None:
    """Two browsers, one on each replica, save one new name together: one is told
    "Saved", the other that the name exists already, and the store keeps the first."""
    name = "Saved twice at once"
    left = open_proxied(browser, cluster, "scenarios", charts=0)
    pages = [left]
    try:
        holder = cluster.holder()
        cluster.routes[holder.number] = route_cookie(left) or ""
        right = other(cluster, holder)
        pages.append(open_on(browser, cluster, right, "scenarios", charts=0))
        rationales = ["Written by the left replica.", "Written by the right replica."]
        for page, rationale in zip(pages, rationales, strict=True):
            page.get_by_label("Scenario name", exact=True).fill(name)
            page.get_by_label("Rationale", exact=True).fill(rationale)
        buttons = [p.get_by_role("button", name="Save scenario") for p in pages]
        for button in buttons:  # as close together as two browsers allow
            button.click()
        outcomes = []
        for page in pages:
            saved = page.locator('[data-testid="stToast"]').filter(has_text=f"Saved “{name}”")
            exists = page.get_by_text(f"A scenario named “{name}” exists already")
            saved.or_(exists).first.wait_for()
            wait_for_app(page, charts=0)
            outcomes.append("saved" if saved.count() else "exists")
        assert sorted(outcomes) == ["exists", "saved"], outcomes
        kept = saved_in(cluster.scenarios, name, cluster.database_url)
        assert kept is not None
        assert kept.rationale == rationales[outcomes.index("saved")], "the saved one was replaced"
    finally:
        for page in pages:
            page.context.close()


def test_ctrl_c_stops_every_process_the_cluster_started(tmp_path: Path, nginx_path: str) -> None:
    with running_cluster(tmp_path, replicas=1) as single:
        pids = single.started_pids()
        assert all(running(pid) for pid in pids)
        assert single.stop(signal.SIGINT) == 0
        assert [pid for pid in pids if running(pid)] == [], single.text()
        with pytest.raises(OSError):
            http.client.HTTPSConnection("127.0.0.1", single.port, timeout=5).connect()
