"""Section ``floor``: how much of the Overview's slider-to-chart time is Streamlit's own.

Four apps on four servers, moved in the same rotating rounds as the ``browser`` section:

- the reference app (one slider, one ``st.plotly_chart``), the yardstick of issue 13;
- ``floor/chart_element_line.py``: the same line through the dashboard's chart element,
  which redraws in place: the fastest a bare Streamlit page follows a slider here;
- ``floor/overview_chart.py``: the Overview's own chart (its model, builder and element)
  alone on a bare page, and the same page mirroring the CAGR in its address as the share
  link does (Streamlit's browser then redraws its whole app);
- the Overview itself.

The steps between them say where the Overview's time goes: the chart element against
Streamlit's chart, the Overview's richer figure against a plain line, and the rest of the
page (its sidebar, cards, text, menus, share link and fragments) against nothing.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from benchmarks import browser
from benchmarks.browser_bench import slider_rounds, slider_row
from benchmarks.servers import DASHBOARD, PROJECT, REFERENCE_APP, serve, wait_until_up
from benchmarks.stats import Row

__all__ = ["FLOOR_APPS", "measure"]

_FLOOR = PROJECT / "benchmarks" / "floor"
FLOOR_APPS: dict[str, tuple[str, Path, dict[str, str]]] = {
    "reference": ("reference app (st.plotly_chart)", REFERENCE_APP, {}),
    "element": ("bare page, the chart element", _FLOOR / "chart_element_line.py", {}),
    "overview_chart": ("bare page, the Overview's chart", _FLOOR / "overview_chart.py", {}),
    "linked": (
        "bare page, the Overview's chart, CAGR in the address",
        _FLOOR / "overview_chart.py",
        {"FLOOR_LINK": "1"},
    ),
    "overview": ("Overview", DASHBOARD, {}),
}
"""Each app: its name in the report, its script and what its server's environment adds."""


async def measure(quick: bool, env: dict[str, str]) -> list[Row]:
    """One row per app: slider to chart, with its ratio to the reference app."""
    moves, rounds = (3, 1) if quick else (30, 3)
    with ExitStack() as stack:
        async with async_playwright() as playwright:
            chromium = await browser.launch(playwright)
            servers = {  # started side by side, then opened one by one
                app: stack.enter_context(
                    serve(f"floor-{app}", script, {**env, **extra}, wait=False)
                )
                for app, (_, script, extra) in FLOOR_APPS.items()
            }
            opened = {}
            for app, server in servers.items():
                wait_until_up(server)
                opened[app], _ = await browser.open_session(chromium, server.url + "/", "streamlit")
            samples = await slider_rounds(opened, moves, rounds, warmup=1 if quick else 2)
            errors = [e for s in opened.values() for e in await browser.page_errors(s)]
            await chromium.close()
    if errors:
        raise RuntimeError(f"the floor apps reported errors: {errors[:3]}")
    return _rows(samples)


def _rows(samples: dict[str, list[dict[str, Any]]]) -> list[Row]:
    rows = {app: slider_row("floor", FLOOR_APPS[app][0], moves) for app, moves in samples.items()}
    for app, row in rows.items():
        if app != "reference":
            row.compare(rows["reference"])
    return list(rows.values())
