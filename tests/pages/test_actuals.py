"""The sidebar's Actuals entry: a typed actual figure is drawn, its drift stated, and the
share link carries it with the re-basing choice."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.state import panel_key, widget_key
from tests.pages.conftest import charts, passages, values

PROJECT = Path(__file__).resolve().parents[2]


def opened(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    at.session_state[panel_key("actuals")] = True  # as a click on the entry opens it
    at.run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    """What the page says in prose: its Markdown (unescaped) and its text elements."""
    markdown = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    return " ".join([markdown, *passages(at)])


def test_a_typed_actual_is_drawn_with_its_drift_and_written_to_the_link(folders: Path) -> None:
    at = opened()
    at.selectbox(key=widget_key("actuals.year")).set_value(2025)
    at.number_input(key=widget_key("actuals.value")).set_value(535.64)
    next(b for b in at.button if b.label == "Add the actual figure").click().run()
    assert not at.exception, at.exception
    assert "is -2.55% (-USD 14.0M) from the modelled USD 549.7M" in page_text(at)
    actual = next(t for t in charts(at)[0]["data"] if t.get("name") == "Actual")
    assert values(actual) == [535.64]
    assert at.query_params["act"] in ("2025:535.64", ["2025:535.64"])

    at.selectbox(key=widget_key("growth.rebase")).set_value(1).run()  # hold-end
    assert not at.exception, at.exception
    modelled = next(t for t in charts(at)[0]["data"] if t.get("name") == "Modelled")
    assert round(values(modelled)[1], 2) == 535.64  # the path runs through the actual
    assert "still reaches USD 1,651.2M in 2031 (20.64% a year from 2025" in page_text(at)


def test_a_link_opens_the_actual_and_the_rebasing(folders: Path) -> None:
    at = opened({"act": "2025:535.64", "rebase": "hold-growth"})
    modelled = next(t for t in charts(at)[0]["data"] if t.get("name") == "Modelled")
    assert round(values(modelled)[-1], 1) == 1609.0
    assert "2025: USD 535.6M (typed)" in page_text(at)
    next(b for b in at.button if b.label == "Remove 2025").click().run()
    assert not at.exception, at.exception
    assert not [t for t in charts(at)[0]["data"] if t.get("name") == "Actual"]
