"""Driving Debian's Chromium through Playwright: open a session, move the CAGR slider.

Every page gets ``probe.js`` before its own scripts, so all times are read on the page's
own clock: the key press, the network frames, the chart's data changing (read from the
Plotly element's ``data``) and the next paint. Python only presses keys and collects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, Playwright

from benchmarks import chromium

__all__ = [
    "SLIDER",
    "Session",
    "browser_available",
    "launch",
    "move",
    "open_session",
    "page_errors",
]

PROBE = Path(__file__).with_name("probe.js")
SLIDER = {
    "streamlit": 'input[type="range"][aria-label="CAGR (%)"]',
    "dash": '[role="slider"]',
}
TIMEOUT_MS = 120_000


@dataclass
class Session:
    """One browser session (its own context, so its own cookies and websocket)."""

    kind: str
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)

    async def close(self) -> None:
        await self.context.close()


def browser_available() -> bool:
    return chromium.executable() is not None


async def launch(playwright: Playwright, extra_args: tuple[str, ...] = ()) -> Browser:
    return await playwright.chromium.launch(
        executable_path=chromium.executable(),
        args=[*chromium.ARGS, *extra_args],
        handle_sigint=False,
    )


async def open_session(browser: Browser, url: str, kind: str) -> tuple[Session, dict[str, Any]]:
    """Open ``url`` in a fresh context; the time from navigation to the first chart drawn.

    A fresh context has an empty cache, as a first visit does. The page is left idle
    (Streamlit's script finished), ready for slider moves.
    """
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(path=str(PROBE))
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    session = Session(kind, context, page)
    page.on("pageerror", lambda error: session.errors.append(f"page error: {error}"))
    await page.goto(url, wait_until="commit")
    handle = await page.wait_for_function("() => window.__bench && window.__bench.firstChart")
    first = await handle.json_value()
    await page.evaluate(f"() => window.__bench.waitIdle({TIMEOUT_MS})")
    tasks = await page.evaluate(
        "(t) => window.__bench.longTasks.filter(x => x.start < t).map(x => x.duration)", first
    )
    return session, {
        "first_chart_ms": first,
        "longest_task_ms": max(tasks, default=0.0),
        "long_tasks_ms": sum(tasks),
    }


async def move(session: Session, key: str = "ArrowRight") -> dict[str, Any]:
    """Press ``key`` on the CAGR slider; when the first chart's data changed and painted,
    and the app went idle, return where the time went (see probe.js ``breakdown``)."""
    page = session.page
    slider = page.locator(SLIDER[session.kind])
    if not await slider.evaluate("(e) => e === document.activeElement"):
        await slider.focus()
    before = await page.evaluate("() => window.__bench.signature()")
    await page.evaluate(
        f"(b) => {{ window.__bench.pending = window.__bench.waitChange(b, {TIMEOUT_MS}); }}",
        before,
    )
    await page.keyboard.press(key)
    change = await page.evaluate("() => window.__bench.pending")
    if change is None:
        raise TimeoutError(f"the chart did not change within {TIMEOUT_MS / 1000:g} s")
    idle = await page.evaluate(f"() => window.__bench.waitIdle({TIMEOUT_MS})")
    if idle is None:
        raise TimeoutError(f"the app did not go idle within {TIMEOUT_MS / 1000:g} s")
    return await page.evaluate(
        "([c, p, i]) => window.__bench.breakdown(c, p, i)",
        [change["changed"], change["painted"], idle],
    )


async def page_errors(session: Session) -> list[str]:
    """Errors the user would see: page errors, Streamlit exception boxes, a lost connection."""
    shown = await session.page.evaluate(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const state = app ? app.getAttribute('data-test-connection-state') : null;
            const boxes = document.querySelectorAll('[data-testid="stException"]').length;
            return {state, boxes};
        }"""
    )
    errors = list(session.errors)
    if shown["boxes"]:
        errors.append(f"{shown['boxes']} exception box(es) on the page")
    if shown["state"] not in (None, "CONNECTED"):
        errors.append(f"connection state {shown['state']}")
    return errors
