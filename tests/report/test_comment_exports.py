"""Comments in the exports: the brief lists the open ones in a section of its own and the
deck in the speaker notes of their chart's slide, as plain text; ``market export`` reads
them from the dashboard's store, the same ones the dashboard's downloads list."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pptx import Presentation

import store
from cli import EXIT_OK, main
from market import Assumptions, forecast
from market.comments import MARKET_SIZE, Comment, Point, segments_chart
from market.paths import ASSUMPTIONS_ENV, SCENARIOS_ENV
from report.brief import brief_html
from report.deck import deck_pptx
from report.formats import ExportRequest
from store.database import DATABASE_ENV

MARKUP = "**bold** <script>alert(1)</script> & <b>tag</b> =SUM(A1)"
WHEN = dt.datetime(2026, 12, 6, 16, 50, tzinfo=dt.UTC)


def note(point: Point | None, text: str, scenario: str | None = None) -> Comment:
    return Comment(1, "market.yaml", scenario, point, text, "ana@example.com", WHEN)


def deck_notes(a: Assumptions, comments: tuple[Comment, ...]) -> dict[str, str]:
    """Each slide's speaker notes by its kicker (upper case), or its title if it has none."""
    request = ExportRequest(
        a, a, forecast(a), file_label="market.yaml", paths=200, comments=comments
    )
    built = deck_pptx(request, generated=dt.date(2031, 1, 2))
    deck = Presentation(io.BytesIO(built))
    said = {}
    for slide in deck.slides:
        kicker = [s.text_frame.text for s in slide.shapes if s.name == "Kicker"]
        name = kicker[0] if kicker else slide.shapes.title.text  # type: ignore[union-attr]
        said[name] = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
    return said


def test_the_brief_lists_open_comments_as_text(default_assumptions: Assumptions) -> None:
    a = default_assumptions
    page = brief_html(
        a, a, paths=200, comments=(note(MARKET_SIZE.point(2028, "Modelled"), MARKUP),)
    )
    assert "<script>alert(1)</script>" not in page and "<b>tag</b>" not in page
    assert "**bold** &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;tag&lt;/b&gt;" in page
    assert "1 open comment from viewers" in page
    assert "Overview, market-size: Modelled, 2028" in page
    assert "ana@example.com, 2026-12-06 16:50 UTC" in page


def test_a_brief_without_comments_has_no_comments_section(
    default_assumptions: Assumptions,
) -> None:
    page = brief_html(default_assumptions, default_assumptions, paths=200)
    assert "class='comments'" not in page


def test_the_deck_puts_each_comment_in_its_charts_slide_notes(
    default_assumptions: Assumptions,
) -> None:
    a = default_assumptions
    dimension = a.dimensions[0]
    comments = (
        note(MARKET_SIZE.point(2028, "Modelled"), MARKUP),
        note(segments_chart(dimension.id).point(2030, "Services"), "Services look low"),
        note(None, "Why so bearish?", scenario="Bear"),
    )
    said = deck_notes(a, comments)
    [size] = [text for title, text in said.items() if title.startswith("MARKET SIZE")]
    [mix] = [
        text for title, text in said.items() if title == f"{dimension.name}: mix and growth".upper()
    ]
    [cover] = [text for title, text in said.items() if title.endswith("market outlook")]
    assert MARKUP in size  # as typed: speaker notes are plain text
    assert "Services look low" in mix and "Services look low" not in size
    assert "the scenario Bear" in cover and "Why so bearish?" in cover
    assert "Open comments from viewers:" in size


def test_market_export_lists_the_stores_open_comments(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    default_path: Path,
) -> None:
    monkeypatch.delenv(ASSUMPTIONS_ENV, raising=False)
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.setenv(SCENARIOS_ENV, str(tmp_path / "scenarios"))
    out = tmp_path / "brief.html"
    assert main(["export", "--out", str(out)]) == EXIT_OK  # no store yet: none made
    assert not (tmp_path / "scenarios").exists()
    engine = store.open_store()
    try:
        with store.session(engine) as s:
            store.comments.add(
                s,
                default_path.name,
                "open one",
                author="ana",
                point=MARKET_SIZE.point(2028, "Modelled"),
            )
            done = store.comments.add(
                s,
                default_path.name,
                "done one",
                author="ana",
                point=MARKET_SIZE.point(2029, "Modelled"),
            )
            store.comments.resolve(s, done.id, author="bo")
    finally:
        engine.dispose()
    assert main(["export", "--out", str(out)]) == EXIT_OK
    page = out.read_text(encoding="utf-8")
    assert "open one" in page and "done one" not in page
    deck = tmp_path / "deck.pptx"
    assert main(["export", "--out", str(deck)]) == EXIT_OK
    shown = Presentation(str(deck))
    assert any(
        "open one" in slide.notes_slide.notes_text_frame.text
        for slide in shown.slides
        if slide.has_notes_slide
    )
    capsys.readouterr()
