"""The executives' HTML brief: what it shows, that it opens offline, that file text stays text."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs
from pptx import Presentation

from market import Assumptions, apply_actuals, apply_overrides, forecast, parameters
from market.parameters import unused_paths
from market.risk import simulate
from market.summary import chance_of_target
from report.brief import TOPOJSON_DIR, brief_filename, brief_html
from report.deck import deck_pptx
from report.format import money
from report.request import ExportRequest

PATHS = 1_000  # enough for a fan; the default 10,000 is the page's business
DAY = dt.date(2031, 1, 2)
PROJECT = Path(__file__).resolve().parents[2]


class _Page(HTMLParser):
    """What a browser would see: every start tag with its attributes, the table rows and
    the text of each heading and paragraph, character references decoded."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[tuple[dict[str, str | None], list[str]]] = []
        self.texts: list[tuple[str, str, str]] = []  # tag, class, text
        self._row: list[str] | None = None
        self._in_text = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self._row = []
            self.rows.append((dict(attrs), self._row))
        elif tag in ("td", "th") and self._row is not None:
            self._row.append("")
        elif tag in ("p", "h1", "h2"):
            self._in_text = True
            self.texts.append((tag, dict(attrs).get("class") or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        elif tag in ("p", "h1", "h2"):
            self._in_text = False

    def handle_data(self, data: str) -> None:
        if self._row:
            self._row[-1] += data
        if self._in_text:
            tag, kind, text = self.texts[-1]
            self.texts[-1] = (tag, kind, text + data)

    def text(self, tag: str, kind: str = "") -> str:
        """The text of the one ``tag`` element with class ``kind``."""
        found = [text for t, k, text in self.texts if (t, k) == (tag, kind)]
        assert len(found) == 1, f"{tag}.{kind}: {len(found)} elements"
        return found[0]

    def plots(self) -> list[str]:
        return [a["id"] or "" for t, a in self.tags if "plotly-graph-div" in (a.get("class") or "")]

    def row(self, first_cell: str) -> tuple[dict[str, str | None], list[str]]:
        found = [r for r in self.rows if r[1] and r[1][0].strip() == first_cell]
        assert len(found) == 1, f"{first_cell!r}: {len(found)} rows"
        return found[0]


@pytest.fixture(scope="module")
def brief(default_assumptions: Assumptions) -> str:
    return brief_html(default_assumptions, default_assumptions, paths=PATHS, generated=DAY)


@pytest.fixture(scope="module")
def page(brief: str) -> _Page:
    return _Page(brief)


def _market(small_market: dict[str, Any]) -> Assumptions:
    return Assumptions.model_validate(small_market)


# --- What it shows ----------------------------------------------------------------------------


def test_names_the_market_the_date_and_the_source(brief: str, default_assumptions: Assumptions):
    a = default_assumptions
    assert f"<h1>{a.market.name}</h1>" in brief
    assert f"<title>{a.market.name}: market brief</title>" in brief
    assert "2031-01-02" in brief
    assert a.market.source.publisher in brief and a.market.source.title in brief


def test_shows_the_horizon_value_as_the_dashboard_formats_it(
    brief: str, default_assumptions: Assumptions
):
    f = forecast(default_assumptions)
    assert money(f.horizon_value, default_assumptions.market.unit) in brief


def test_key_figures_say_which_are_reported_and_which_modelled(page: _Page, brief: str):
    cards = [a.get("class") for t, a in page.tags if "card" in (a.get("class") or "").split()]
    # the default market reports 2023 as history and 2024 as the base value it grows
    # from, and models 2031 and the CAGR
    assert cards == ["card reported", "card reported", "card modelled", "card modelled"]
    assert "Matches Kings Research" in brief


def test_one_chart_per_figure_with_a_map_for_the_geographic_dimension(
    page: _Page, default_assumptions: Assumptions
):
    dims = [f"brief-dimension-{d.id}" for d in default_assumptions.dimensions]
    expected = [
        "brief-estimates",
        "brief-trajectory",
        "brief-growth",
        *dims,
        "brief-map",
        "brief-fan",
    ]
    assert page.plots() == expected


def test_a_market_without_regions_has_no_map_and_no_map_geometry(small_market: dict[str, Any]):
    a = _market(small_market)
    html = brief_html(a, a, paths=PATHS, generated=DAY)
    assert _Page(html).plots() == [
        "brief-trajectory",
        "brief-growth",
        "brief-dimension-customer",
        "brief-dimension-city",
        "brief-fan",
    ]
    assert "PlotlyGeoAssets =" not in html


def test_the_chance_of_the_reported_horizon_value_is_in_words(
    brief: str, page: _Page, default_assumptions: Assumptions
):
    a = default_assumptions
    sim = simulate(a, PATHS, 0)
    unit = a.market.unit
    words = chance_of_target(sim, a.years.horizon, lambda v: money(v, unit))
    assert page.text("p", "chance") == words
    assert f"of {PATHS:,} simulated paths" in brief


def test_the_range_of_outcomes_is_written_out_year_by_year(
    page: _Page, default_assumptions: Assumptions
):
    a = default_assumptions
    band = simulate(a, PATHS, 0, by_segment=False).totals.loc[a.years.base :]
    unit = a.market.unit
    for year in band.index:
        _, cells = page.row(str(year))
        assert cells[1:] == [money(band.at[year, q], unit) for q in ("p10", "p50", "p90")]


def test_the_headings_say_what_the_deck_titles_say(page: _Page, default_assumptions: Assumptions):
    """One set of sentences for the brief and the deck: the brief's headings are the deck's
    action titles, so what is mailed and what is presented agree word for word."""
    deck = Presentation(
        io.BytesIO(
            deck_pptx(
                ExportRequest(
                    default_assumptions,
                    default_assumptions,
                    forecast(default_assumptions),
                    paths=PATHS,
                )
            )
        )
    )
    slide_titles = {slide.shapes.title.text for slide in deck.slides}  # type: ignore[union-attr]
    headings = [text for tag, _, text in page.texts if tag == "h2"]
    shared = [h for h in headings if h in slide_titles]
    assert "The market grows 3.6× to USD 1,651.2M by 2031" in shared
    assert any(h.startswith("Eight in ten simulated paths end 2031 between") for h in shared)
    assert any(h.startswith("The numbers rest on") for h in shared)
    assert len(shared) >= 5


def test_every_assumption_is_listed_with_its_provenance(
    page: _Page, default_assumptions: Assumptions
):
    a = default_assumptions
    text = " ".join(" ".join(cells) for _, cells in page.rows)
    unused = unused_paths(a)  # a growth shape's parameters it does not use, say
    for p in parameters(a):
        label = f"{p.parent} › {p.label}" if p.parent else p.label
        if p.path in unused:
            assert not [cells for _, cells in page.rows if cells and cells[0] == label], label
            continue
        page.row(label)  # exactly one row
        assert p.basis in text, p.path
    cagr = page.row("CAGR")[1]
    assert cagr[2] == "Reported" and a.growth.cagr_pct.citation in cagr[3]
    mix = page.row("Mix concentration")[1]
    assert mix[2] == "Assumed" and a.uncertainty.share_concentration.rationale in mix[3]
    assert not any("changed" in (attrs.get("class") or "") for attrs, _ in page.rows)


def test_a_changed_assumption_is_marked_and_moves_the_figures(default_assumptions: Assumptions):
    base = default_assumptions
    current = apply_overrides(base, {"growth.cagr_pct": 25})
    html = brief_html(current, base, paths=PATHS, generated=DAY)
    page = _Page(html)
    attrs, cells = page.row("CAGR")
    assert attrs.get("class") == "changed"
    # the file's value with its provenance and citation, then the value used, then "changed"
    assert cells[1:3] == ["20.12%", "Reported"]
    assert base.growth.cagr_pct.citation in cells[3]
    assert cells[4] == "25.0%"  # as the analyst typed it: no spurious second decimal
    assert "Changed" in cells[5]
    assert [r for r in page.rows if r[0].get("class") == "changed"] == [(attrs, cells)]
    assert money(forecast(current).horizon_value, base.market.unit) in html
    assert "1 assumption differs from the assumptions file" in html


def test_an_unchanged_assumption_shows_the_same_value_twice_and_no_mark(page: _Page):
    _, cells = page.row("Mix concentration")
    assert cells[1] == cells[4] and cells[5] == ""


def test_the_same_arguments_give_the_same_file(default_assumptions: Assumptions, brief: str):
    a = default_assumptions
    assert brief_html(a, a, paths=PATHS, generated=DAY) == brief


def test_builds_without_streamlit():
    # a download button calls the brief lazily, outside any script run: no Streamlit in it
    code = "import sys, report.brief; sys.exit('streamlit' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT)


def test_download_name_is_a_slug_with_the_date(default_assumptions: Assumptions):
    name = brief_filename(default_assumptions, DAY)
    assert name == "microservices-in-healthcare-brief-2031-01-02.html"


# --- Offline ----------------------------------------------------------------------------------


def test_nothing_is_loaded_from_elsewhere(page: _Page, brief: str):
    for tag, attrs in page.tags:
        assert tag != "link", attrs
        for name in ("src", "href", "srcset", "action", "data"):
            assert name not in attrs, (tag, attrs)
    # the library mentions URLs it never fetches here; the rest of the file mentions none
    rest = brief.replace(_embedded_library(), "")
    assert "http://" not in rest and "https://" not in rest
    assert "@import" not in rest and "url(" not in rest


def test_plotly_is_embedded_exactly_once(page: _Page, brief: str):
    assert brief.count(_embedded_library()) == 1
    assert brief.count("Plotly.newPlot(") == len(page.plots())


def test_the_world_map_geometry_is_embedded_before_the_library(brief: str):
    start = brief.index("window.PlotlyGeoAssets = ") + len("window.PlotlyGeoAssets = ")
    end = brief.index(";</script>", start)
    assets = json.loads(brief[start:end].replace("<\\/", "</"))
    shipped = json.loads((TOPOJSON_DIR / "world_110m.json").read_text(encoding="utf-8"))
    assert assets == {"topojson": {"world_110m": shipped}}
    assert brief.count("window.PlotlyGeoAssets = ") == 1
    assert end < brief.index(_embedded_library())


def _embedded_library() -> str:
    return get_plotlyjs().replace("</", "<\\/")


# --- File text stays text ---------------------------------------------------------------------

_EVIL = "<script>alert(1)</script>"
_IMG = "<img src=x onerror=alert(2)>"


def test_text_from_the_file_is_escaped(small_market: dict[str, Any]):
    small_market["market"]["name"] = f"Bikes {_EVIL}"
    small_market["market"]["source"]["publisher"] = _IMG
    small_market["market"]["description"] = f"</p>{_EVIL}"
    segment = small_market["dimensions"][1]["segments"][0]
    segment["name"] = f"Lyon {_EVIL}"
    segment["rationale"] = _IMG
    small_market["growth"]["base_value"]["citation"] = f"</td></tr></table>{_EVIL}"
    a = _market(small_market)
    html = brief_html(a, a, paths=PATHS, generated=DAY)
    assert _EVIL not in html and "<img" not in html and "</table><script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    page = _Page(html)
    assert not any(tag == "img" for tag, _ in page.tags)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    # PlotlyConfig, the library, one per chart, the print hook: nothing injected
    assert len(scripts) == 2 + len(page.plots()) + 1
    assert page.row(f"Lyon {_EVIL} share")[1][3] == _IMG  # shown as text, as written


_HOSTILE = (
    f"{_EVIL} {_IMG} \" onmouseover=\"alert(3) x' onfocus='alert(4) [x](http://x.test) **bold**"
)
"""Markup, a tag with a handler, both quotes breaking out of an attribute, and Markdown."""


def _hostile(small_market: dict[str, Any], text: str) -> Assumptions:
    """The small market with ``text`` in its name, a segment's name, a citation and a
    rationale (each told apart by a prefix)."""
    small_market["market"]["name"] = f"Bikes {text}"
    segment = small_market["dimensions"][1]["segments"][0]
    segment["name"] = f"Lyon {text}"
    segment["rationale"] = f"why {text}"
    small_market["growth"]["base_value"]["citation"] = f"cited {text}"
    return _market(small_market)


def test_markup_and_markdown_from_the_file_stay_inert_text(small_market: dict[str, Any]):
    evil, plain_market = _hostile(small_market, _HOSTILE), _hostile(small_market, "plain")
    hostile = brief_html(evil, evil, paths=PATHS, generated=DAY)
    clean = brief_html(plain_market, plain_market, paths=PATHS, generated=DAY)
    page, plain = _Page(hostile), _Page(clean)
    # no new tag, no new or changed attribute anywhere: the same elements as the plain file
    assert page.tags == plain.tags
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    # each text is shown as written, character for character
    assert page.text("h1") == f"Bikes {_HOSTILE}"
    row = page.row(f"Lyon {_HOSTILE} share")[1]
    assert row[3] == f"why {_HOSTILE}"
    assert any(cells[3:4] == [f"cited {_HOSTILE}"] for _, cells in page.rows)
    # escaped in the source: the raw markup appears nowhere (a single quote may stay as it
    # is inside the charts' JSON strings, where it is data; the tags above show it opened none)
    for raw in (_EVIL, _IMG, '" onmouseover="'):
        assert raw not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "x.test" not in "".join(str(a.get("href")) for _, a in page.tags)
    assert "[x](http://x.test) **bold**" in hostile  # Markdown is not rendered either


# --- In a browser with no network -------------------------------------------------------------

_ALL_DRAWN = """() => {
  const plots = [...document.querySelectorAll('.plotly-graph-div')];
  return plots.length > 0 && plots.every(p => p.querySelector('.main-svg'));
}"""
_MAP_DRAWN = "document.querySelectorAll('.choroplethlocation').length > 100"
"""The world map's countries are drawn (the default market's regions cover about 200)."""


@pytest.mark.browser
def test_opens_offline_and_draws_every_chart(
    brief: str, page: _Page, tmp_path: Path, browser: Any
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    path = tmp_path / "brief.html"
    path.write_text(brief, encoding="utf-8")
    asked: list[str] = []
    errors: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        context.route("**/*", only_files)
        tab = context.new_page()
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(path.as_uri())
        try:
            tab.wait_for_function(_ALL_DRAWN, timeout=60_000)
            tab.wait_for_function(_MAP_DRAWN, timeout=60_000)
        except PlaywrightTimeout:
            pytest.fail(f"charts not drawn; asked the network for {asked}; errors {errors}")
        drawn = tab.eval_on_selector_all(".js-plotly-plot .main-svg", "e => e.length")
        plots = tab.eval_on_selector_all(".js-plotly-plot", "e => e.length")
    finally:
        context.close()
    assert plots == len(page.plots())
    assert drawn >= plots
    assert asked == [] and errors == []


def test_the_brief_says_which_shape_and_actuals_the_numbers_follow(
    default_assumptions: Assumptions,
) -> None:
    base = default_assumptions
    shaped = apply_overrides(base, {"growth.shape": 1.0, "growth.fade_pp": -1.0})
    current = apply_actuals(shaped, {2025: 535.64})
    page = _Page(brief_html(current, base, paths=PATHS, generated=DAY))
    text = " ".join(t for _, kind, t in page.texts if kind == "assumed")
    assert "Growth shape: fade (-1.0 pp a year): the yearly rate goes from 23.1% in 2025" in text
    assert "assumed: Changed by the analyst: Growth shape from constant to" in text
    assert "the 2025 actual of USD 535.6M (Entered by the analyst) is -4.94%" in text
    attrs, cells = page.row("Growth shape")
    assert attrs.get("class") == "changed" and (cells[1], cells[4]) == ("constant", "fade")
