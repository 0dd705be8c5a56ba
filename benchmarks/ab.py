"""Two checkouts' dashboards side by side: ``python -m benchmarks.ab A B [--pages / --moves N]``.

For trying a change before it lands: each checkout (a directory, such as a git worktree)
serves its own ``app.py`` with its own code and settings, the reference app runs beside
them, and the CAGR slider moves in every session in the same rotating rounds as the
``browser`` section, so drift on a shared machine falls on all of them alike. Prints, per
checkout and page, the median and p95 slider-to-chart time, the ratio to the reference
app and where the time went. A difference smaller than the run-to-run spread (often
10 ms on this machine) needs more moves, or more runs, before it means anything.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from contextlib import ExitStack
from pathlib import Path

from playwright.async_api import async_playwright

from benchmarks import browser, report
from benchmarks.browser_bench import slider_rounds, slider_row
from benchmarks.servers import REFERENCE_APP, private_data, serve
from benchmarks.stats import Row

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    checkouts = [path.resolve() for path in args.checkouts]
    missing = [str(path) for path in checkouts if not (path / "app.py").is_file()]
    if missing:
        raise SystemExit(f"no app.py in {', '.join(missing)}")
    pages = args.pages.split(",")
    print(report.table(asyncio.run(_measure(checkouts, pages, args.moves))))
    return 0


async def _measure(checkouts: list[Path], pages: list[str], moves: int) -> list[Row]:
    with private_data() as env, ExitStack() as stack:
        async with async_playwright() as playwright:
            chromium = await browser.launch(playwright)
            opened = {}
            reference = stack.enter_context(serve("reference", REFERENCE_APP))
            opened["reference app"], _ = await browser.open_session(
                chromium, reference.url + "/", reference.kind
            )
            for checkout in checkouts:
                server = stack.enter_context(
                    serve(
                        checkout.name,
                        checkout / "app.py",
                        {**env, "PYTHONPATH": str(checkout)},
                        project=checkout,
                    )
                )
                for page in pages:
                    opened[f"{checkout} {page}"], _ = await browser.open_session(
                        chromium, server.url + page, server.kind
                    )
            samples = await slider_rounds(opened, moves, rounds=3, warmup=2)
            errors = [e for s in opened.values() for e in await browser.page_errors(s)]
            await chromium.close()
    if errors:
        raise RuntimeError(f"the pages reported errors: {errors[:3]}")
    rows = [slider_row("ab", name, taken) for name, taken in samples.items()]
    for row in rows[1:]:
        row.compare(rows[0])
    return rows


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("checkouts", nargs="+", type=Path, help="directories holding app.py")
    parser.add_argument("--pages", default="/", help="comma-separated URL paths, e.g. /,/risk")
    parser.add_argument("--moves", type=int, default=30, help="slider moves per session")
    return parser


if __name__ == "__main__":
    sys.exit(main())
