"""Comments in the store: left, listed, resolved and reopened, on SQLite and PostgreSQL;
refused text said in one line; the database down or read-only said in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, text
from sqlalchemy.engine import make_url

import store
from market.comments import MARKET_SIZE, TEXT_LENGTH, CommentError, segments_chart
from store import comments
from store.database import StoreUnavailableError
from tests.store.conftest import free_port

FILE = "healthcare-microservices.yaml"
POINT = MARKET_SIZE.point(2028, "Modelled")


def test_a_comment_is_listed_with_its_author_time_and_point(engine: Engine) -> None:
    with store.session(engine) as s:
        left = comments.add(s, FILE, "  2028 looks high  ", author="ana@example.com", point=POINT)
        listed = comments.listing(s, FILE)
    assert listed == (left,)
    assert left.text == "2028 looks high"
    assert left.author == "ana@example.com"
    assert left.point == POINT and left.open
    assert left.created.tzinfo is not None


def test_listing_narrows_by_chart_page_scenario_and_state(engine: Engine) -> None:
    with store.session(engine) as s:
        on_size = comments.add(s, FILE, "size", author="ana", point=POINT)
        on_cloud = comments.add(
            s, FILE, "cloud", author="bo", point=segments_chart("deployment").point(2030, "Cloud")
        )
        on_bear = comments.add(s, FILE, "why so low?", author="bo", scenario="Bear case")
        comments.add(s, "other-market.yaml", "other file", author="ana", point=POINT)
        comments.resolve(s, on_cloud.id, author="ana")
        assert comments.listing(s, FILE, chart=MARKET_SIZE) == (on_size,)
        assert [c.id for c in comments.listing(s, FILE, page="Segments")] == [on_cloud.id]
        assert comments.listing(s, FILE, scenario="bear-case") == (on_bear,)
        assert [c.text for c in comments.listing(s, FILE, open_only=True)] == [
            "size",
            "why so low?",
        ]
        assert [c.text for c in comments.listing(s, FILE)] == ["size", "cloud", "why so low?"]


def test_resolving_records_who_and_when_and_reopening_clears_it(engine: Engine) -> None:
    with store.session(engine) as s:
        left = comments.add(s, FILE, "check the source", author="ana", point=POINT)
        resolved = comments.resolve(s, left.id, author="bo@example.com")
        assert not resolved.open
        assert resolved.resolved_by == "bo@example.com"
        assert resolved.resolved_at is not None and resolved.resolved_at >= left.created
        with pytest.raises(CommentError, match=r"already resolved by bo@example\.com"):
            comments.resolve(s, left.id, author="ana")
        reopened = comments.reopen(s, left.id)
        assert reopened.open and reopened.resolved_by is None
        assert comments.listing(s, FILE) == (reopened,)
        with pytest.raises(CommentError, match="already open"):
            comments.reopen(s, left.id)
        with pytest.raises(CommentError, match="no comment 999"):
            comments.resolve(s, 999, author="ana")


def test_without_a_login_the_author_is_anonymous(engine: Engine) -> None:
    with store.session(engine) as s:
        assert comments.add(s, FILE, "note", author="  ", point=POINT).author == "anonymous"


def test_a_comment_of_exactly_the_limit_is_kept_and_one_more_is_refused(engine: Engine) -> None:
    with store.session(engine) as s:
        kept = comments.add(s, FILE, "x" * TEXT_LENGTH, author="ana", point=POINT)
        assert len(comments.listing(s, FILE)[0].text) == TEXT_LENGTH == len(kept.text)
        with pytest.raises(CommentError) as refused:
            comments.add(s, FILE, "x" * (TEXT_LENGTH + 1), author="ana", point=POINT)
        with pytest.raises(CommentError, match="is empty") as empty:
            comments.add(s, FILE, " \n ", author="ana", scenario="Bear")
        assert len(comments.listing(s, FILE)) == 1
    message = str(refused.value)
    assert "2,001 characters" in message and "at most 2,000" in message
    assert "Overview, market-size: Modelled, 2028" in message and "\n" not in message
    assert "the scenario Bear" in str(empty.value)


def test_markup_is_kept_as_it_was_typed(engine: Engine) -> None:
    typed = "**bold** <script>alert(1)</script> :red[x] =SUM(A1)"
    with store.session(engine) as s:
        comments.add(s, FILE, typed, author="ana", point=POINT)
        assert comments.listing(s, FILE)[0].text == typed


def test_an_export_lists_the_open_chart_comments_and_its_scenarios(engine: Engine) -> None:
    with store.session(engine) as s:
        comments.add(s, FILE, "size", author="ana", point=POINT)
        done = comments.add(s, FILE, "done", author="ana", point=POINT)
        comments.resolve(s, done.id, author="ana")
        comments.add(s, FILE, "on bear", author="ana", scenario="Bear")
        comments.add(s, FILE, "on bull", author="ana", scenario="Bull")
        assert [c.text for c in comments.for_export(s, FILE, None)] == ["size"]
        assert [c.text for c in comments.for_export(s, FILE, "bear")] == ["size", "on bear"]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_read_only_sqlite_file_lists_comments_but_refuses_new_ones(
    engine: Engine, database: URL
) -> None:
    with store.session(engine) as s:
        comments.add(s, FILE, "kept", author="ana", point=POINT)
    read_only = make_url(f"sqlite:///file:{database.database}?mode=ro&uri=true")
    opened = store.open_store(read_only)
    try:
        with store.session(opened) as s:
            assert [c.text for c in comments.listing(s, FILE)] == ["kept"]
            with pytest.raises(StoreUnavailableError) as refused:
                comments.add(s, FILE, "new", author="ana", point=POINT)
    finally:
        opened.dispose()
    assert str(refused.value) == "the database is read-only"


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_read_only_postgresql_database_refuses_resolving(engine: Engine, database: URL) -> None:
    with store.session(engine) as s:
        left = comments.add(s, FILE, "kept", author="ana", point=POINT)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text(f'ALTER DATABASE "{database.database}" SET default_transaction_read_only = on')
        )
    engine.dispose()
    with (
        store.session(engine) as s,
        pytest.raises(StoreUnavailableError, match=r"^the database is read-only$"),
    ):
        comments.resolve(s, left.id, author="bo")


def test_a_database_that_is_down_is_said_in_one_line(tmp_path: Path) -> None:
    url = make_url(f"postgresql+psycopg://u:secret@127.0.0.1:{free_port()}/market")
    engine = store.database.connect(url)
    try:
        with store.session(engine) as s, pytest.raises(StoreUnavailableError) as failed:
            comments.listing(s, FILE)
    finally:
        engine.dispose()
    assert str(failed.value) == "the database server cannot be reached"
