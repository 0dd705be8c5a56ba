"""What every page does first: page config, navigation links and the shared sidebar.

The app uses Streamlit's page-directory router (``app.py`` is the Overview, one file per
page in ``pages/``) with its automatic list hidden in ``.streamlit/config.toml``; these
links replace it with human titles and icons. (With ``st.navigation`` beside a
``pages/`` folder, Streamlit 1.67 still routes each server's first run through the
directory router, losing the first slider move and breaking deep links.)
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from dashboard import activity, chart_element, link_element, sidebar, state
from market import Assumptions
from market.paths import default_assumptions

__all__ = ["PAGES", "PageLink", "View", "follows_assumptions", "login_configured", "page"]

_ICON = Path(__file__).resolve().parent.parent / "static" / "favicon.png"


@dataclass(frozen=True)
class PageLink:
    script: str
    title: str
    icon: str
    regional: bool = False
    """The page is about where the market is: the sidebar's share and differential panels
    open on the geographic dimension there, until the user picks another."""


PAGES: tuple[PageLink, ...] = (
    PageLink("app.py", "Overview", ":material/insights:"),
    PageLink("pages/estimates.py", "Estimates", ":material/stacked_line_chart:"),
    PageLink("pages/segments.py", "Segments", ":material/donut_small:"),
    PageLink("pages/regions.py", "Regions", ":material/public:", regional=True),
    PageLink("pages/opportunity.py", "Opportunity", ":material/target:"),
    PageLink("pages/risk.py", "Risk", ":material/ssid_chart:"),
    PageLink("pages/scenarios.py", "Scenarios", ":material/compare_arrows:"),
    PageLink("pages/sources.py", "Sources & method", ":material/menu_book:"),
)


@dataclass(frozen=True)
class View:
    """What a page draws from: the file's assumptions and the user's current ones."""

    base: Assumptions
    current: Assumptions
    page_changed: bool  # the user just arrived: page controls reseed from remembered values
    title: str = ""  # the page's title in PAGES


def page(title: str) -> View:
    """Set up a page; return the assumptions the user is looking at."""
    this = next((p for p in PAGES if p.title == title), None)
    if this is None:
        raise ValueError(f"no page titled {title!r}")
    st.set_page_config(
        page_title=f"{title} · Market dashboard",
        page_icon=str(_ICON),  # a local file: material icons would be fetched from the internet
        layout="wide",
        initial_sidebar_state="auto",  # open on a desktop, closed on a phone: the page first
    )
    _require_login()
    activity.started()
    changed = state.enter_page(title)
    found = sidebar.usable_files()
    default = default_assumptions().name
    state.follow_link_once(found.valid, default)
    with st.sidebar:
        for item in PAGES:
            st.page_link(item.script, label=item.title, icon=item.icon)
        share = st.container()
        base, current = sidebar.render(found, page_changed=changed, regional=this.regional)
        with share:
            link_element.show(base, title)
        chart_element.preload()
        state.check_link_size()
    state.publish_link(default)
    state.rebuild_after_reconnect()
    refused = state.clear_notice(sidebar.REFUSED_UPLOAD)
    if refused:
        st.error(
            f"{refused}\n\nThe page still shows {current.market.name} "
            f"({state.selected_file(default)}).",
            icon=":material/error:",
        )
    ignored = state.link_warnings()
    if ignored:
        st.warning(
            "Parts of the link were ignored:\n" + "\n".join(f"- {w}" for w in ignored),
            icon=":material/link_off:",
        )
    return View(base=base, current=current, page_changed=changed, title=title)


def follows_assumptions(draw: Callable[[View], None]) -> Callable[[View], None]:
    """Make ``draw``, the part of a page that depends on the assumptions, a fragment that
    a move of an assumption slider reruns alone (the rest of the page and the sidebar
    are not sent again). ``draw`` gets the view with the assumptions of that moment.
    """

    def run(view: View) -> None:
        key = sidebar.page_fragment(view.title, draw.__name__)
        state.follow(key)
        st.fragment(_follow, key=key)(view, draw)

    return run


def _follow(view: View, draw: Callable[[View], None]) -> None:
    # A fragment rerun replays the arguments of the full run: read the assumptions anew.
    with activity.drawing():
        state.publish_link(default_assumptions().name)
        draw(replace(view, current=sidebar.current(view.base)))


def _require_login() -> None:
    """Ask for a login when the host configured one (``[auth]`` in .streamlit/secrets.toml).

    Without that configuration the dashboard is open, for a trusted network (README).
    """
    if not login_configured() or st.user.is_logged_in:
        return
    st.title("Market dashboard")
    st.write("Please log in to see the dashboard.")
    st.button("Log in", icon=":material/login:", on_click=st.login, type="primary")
    st.stop()


def login_configured() -> bool:
    """Whether the host configured a login (``[auth]`` in .streamlit/secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than returning empty
        return False


# Pages import this module after Streamlit, Plotly, pandas and the model (on a server
# process's first run): move everything imported so far out of the collector's reach, so
# Python's own full collections, which otherwise land in the middle of slider moves, no
# longer walk the libraries' millions of objects. Done once per process.
gc.freeze()
