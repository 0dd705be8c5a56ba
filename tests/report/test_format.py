"""Headline figures in words: the source's precision, and reported told from modelled."""

from __future__ import annotations

import re

import pytest

from market.summary import Headline
from report.format import headline_text, office_money, plain, points, rate

UNIT = "USD million"


def test_a_rate_is_shown_at_the_precision_the_source_gives_it() -> None:
    text = headline_text(Headline("CAGR", 20.12, "rate", 20.12, modelled=True), UNIT)
    assert text.value == "20.12%"
    assert (text.origin, text.note, text.change) == ("modelled", "matches the source", "")


def test_a_reported_figure_says_so_and_not_that_it_matches() -> None:
    text = headline_text(Headline("Market size 2023", 389.3, "value", 389.3, modelled=False), UNIT)
    assert (text.value, text.origin, text.change) == ("USD 389.3M", "reported", "")


def test_every_note_names_who_states_the_figure() -> None:
    """Whose figure a card is set against is said, so a calibrated view never compares
    with one publisher while naming none."""
    kings = "Kings Research"
    cards = [
        Headline("Market size 2023", 389.3, "value", 389.3, modelled=False, source=kings),
        Headline("Market size 2031", 1651.2, "value", 1651.2, modelled=True, source=kings),
        Headline("Market size 2031", 1700.0, "value", 1651.2, modelled=True, source=kings),
        Headline("Market size 2026", 660.3, "value", None, modelled=True, source=kings),
    ]
    assert [headline_text(c, UNIT).note for c in cards] == [
        "stated by Kings Research",
        "matches Kings Research",
        "vs USD 1,651.2M from Kings Research",
        "Kings Research states no figure",
    ]


def test_matching_means_equal_at_the_sources_precision() -> None:
    close = Headline("Market size 2031", 1651.24, "value", 1651.2, modelled=True)
    apart = Headline("Market size 2031", 1651.26, "value", 1651.2, modelled=True)
    assert headline_text(close, UNIT).note == "matches the source"
    assert headline_text(apart, UNIT).note == "vs USD 1,651.2M from the source"
    assert headline_text(apart, UNIT).change == "+0.004%"  # never "+0.0%"


def test_a_changed_rate_gives_its_distance_in_points_at_the_same_precision() -> None:
    text = headline_text(Headline("CAGR", 22.12, "rate", 20.12, modelled=True), UNIT)
    assert (text.value, text.change) == ("22.12%", "+2.00 pp")


def test_without_a_reported_figure_the_card_says_there_is_none() -> None:
    text = headline_text(Headline("CAGR", 9.5, "rate", None, modelled=True), UNIT)
    # an assumed rate as it is written: no spurious second decimal
    assert text.value == "9.5%" and text.note == "the source states no figure"


def test_office_formats_show_money_as_the_app_does() -> None:
    assert office_money(UNIT) == '"USD "#,##0"M"'  # 1800 reads "USD 1,800M", not "1,800.0"
    assert office_money("units", 1) == '#,##0.0" units"'
    assert (
        office_money('EUR" billion', signed=True)
        == '+"EUR "#,##0"B";-"EUR "#,##0"B";"EUR "#,##0"B"'
    )


def test_a_rate_keeps_the_decimals_it_is_written_with() -> None:
    assert [rate(v) for v in (20.12, 24.5, 25.0, 9.500000001)] == [
        "20.12%",
        "24.5%",
        "25.0%",
        "9.5%",
    ]


def test_points_say_point_or_points() -> None:
    assert points(2) == "2 points"
    assert points(1.0) == "1 point"
    assert points(0.5) == "0.5 points"


@pytest.mark.parametrize(
    "typed", ["ana@example.com", "see https://example.org/x", "www.example.org", "WWW.EXAMPLE.ORG"]
)
def test_plain_text_never_becomes_an_autolink(typed: str) -> None:
    # Streamlit's Markdown links bare e-mail and web addresses (GitHub's autolinks): an
    # author or a rationale stays text. The break is a zero-width space, so it reads the same.
    shown = plain(typed)
    assert not re.search(r"[\w.+-]+@[\w-]+|https?://|(?i:www)\\?\.", shown)
    assert shown.replace("\u200b", "").replace("\\", "") == typed
