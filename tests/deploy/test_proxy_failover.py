"""A replica killed mid-session: the tab moves through nginx to the other and keeps its view.

Its own cluster (``deploy/local/cluster``, two replicas), since the test ends with one.
The session's view lives in the address (``dashboard.state``): the replica that takes the
tab over has never seen the session and must rebuild it from there, at once, so the page
shows the same numbers and the next slider move starts from the value on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from market import load_assumptions, parameter_index
from tests.browser.conftest import (
    TIMEOUT_MS,
    VIEWPORT,
    assert_no_exception,
    chart_data,
    screenshot,
    slider_value,
    wait_for_app,
)
from tests.browser.test_analyst_tools import CAGR, press, query
from tests.browser.test_view_links import control, dimension_shown, wait_for_link, wait_for_title
from tests.deploy.cluster import Cluster
from tests.deploy.conftest import ROOT, running_cluster

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Records, from before the kill, when the connection was lost, when it was back, and when
# the first script run after the reconnect finished (Date.now(), milliseconds).
WATCH_RECONNECT = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const seen = window.__reconnect = {lost: null, connected: null, ran: false, restored: null};
  new MutationObserver(() => {
    const connection = app.dataset.testConnectionState, script = app.dataset.testScriptState;
    if (connection !== 'CONNECTED' && seen.lost === null) seen.lost = Date.now();
    if (seen.lost !== null && connection === 'CONNECTED' && seen.connected === null)
      seen.connected = Date.now();
    if (seen.lost !== null && connection === 'CONNECTED' && script === 'running') seen.ran = true;
    if (seen.ran && script === 'notRunning' && seen.restored === null) seen.restored = Date.now();
  }).observe(app, {attributes: true});
}"""
RESTORED = "() => window.__reconnect.restored !== null"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, nginx_path: str) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("failover"), replicas=2) as started:
        yield started


def watch_reconnect(page: Page) -> None:
    page.evaluate(WATCH_RECONNECT)


def wait_restored(page: Page) -> None:
    """Wait until a script run has finished after the tab reconnected."""
    page.wait_for_function(RESTORED, timeout=TIMEOUT_MS)


def test_killing_the_replica_holding_a_session_moves_the_tab_with_its_view(
    cluster: Cluster, browser
) -> None:
    a = load_assumptions(ROOT / "assumptions" / "healthcare-microservices.yaml")
    step = parameter_index(a)[CAGR].step
    context = browser.new_context(viewport=dict(VIEWPORT), ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(cluster.url + "segments")
        wait_for_app(page)
        cagr = press(page, CAGR, "ArrowRight", 3)  # the address now carries the moved value
        control(page, "segments.dimension").get_by_role("radio", name="Region").click()
        wait_for_link(page, {"v.dim": "region"})  # and the page's own control
        wait_for_title(page, "Market by region, 2023-2031 (USD million)")
        before = {"chart": chart_data(page, 0), "query": query(page), "title": page.title()}
        holder = cluster.holder()
        survivor = next(r for r in cluster.replicas if r != holder)

        watch_reconnect(page)
        holder.kill()
        wait_restored(page)
        wait_for_app(page)

        assert survivor.sessions() == 1, "the tab did not reconnect to the other replica"
        assert page.title() == before["title"]
        assert page.url.startswith(cluster.url + "segments")
        assert query(page) == before["query"]
        assert slider_value(page, CAGR) == cagr
        assert dimension_shown(page) == "Region"
        wait_for_title(page, "Market by region, 2023-2031 (USD million)")
        assert chart_data(page, 0) == before["chart"]  # the market by region, as before
        assert_no_exception(page)
        screenshot(page, "proxy-failover-restored")

        # The next move starts from what the screen shows, not from a blank session.
        moved = press(page, CAGR, "ArrowRight", 1)
        assert moved == pytest.approx(cagr + step)
        assert float(query(page)["cagr"]) == pytest.approx(moved)
        assert chart_data(page, 0) != before["chart"]
    finally:
        context.close()
