"""Any assumptions file that validates renders every page, with every sidebar panel open."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.comparison import CURRENT_KEY
from dashboard.layout import PAGES
from dashboard.state import panel_key, widget_key
from market import load_assumptions, parse_assumptions
from market.assumptions import MAX_ESTIMATES, MAX_YEARS_SPAN
from market.paths import ASSUMPTIONS_ENV, DEFAULT_FILE_ENV, SCENARIOS_ENV
from store.database import not_the_store
from tests.pages.conftest import open_shares

PROJECT = Path(__file__).resolve().parents[2]


def use_folder(monkeypatch: pytest.MonkeyPatch, root: Path, files: dict[str, Any]) -> Path:
    """An assumptions folder holding ``files`` (name -> data), the first one the default."""
    folder = root / "assumptions"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    monkeypatch.setenv(ASSUMPTIONS_ENV, str(folder))
    monkeypatch.setenv(DEFAULT_FILE_ENV, next(iter(files)))
    monkeypatch.setenv(SCENARIOS_ENV, str(root / "scenarios"))
    return folder


def render_every_page(folder: Path, name: str) -> AppTest:
    """Every page of the dashboard on ``name``, with each sidebar panel open; no exception."""
    a = load_assumptions(folder / name)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    for dimension in a.dimensions:  # each dimension's share sliders, then every page
        open_shares(at, dimension.id)
        assert not at.exception, (dimension.id, [e.message for e in at.exception])
    at.session_state[panel_key("differentials")] = True
    for page in PAGES:
        if page.script != "app.py":
            at.switch_page(page.script)
        at.run()
        assert not at.exception, (page.script, [e.message for e in at.exception])
    return at


def test_weights_above_100_render_every_page_with_their_panels_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_market: dict[str, Any]
) -> None:
    data = copy.deepcopy(small_market)
    data["dimensions"][0]["segments"][1]["share"] = 150  # a weight, not a percentage
    data["dimensions"][1]["segments"][0]["share"] = 2_500.5
    folder = use_folder(monkeypatch, tmp_path, {"weights.yaml": data})
    render_every_page(folder, "weights.yaml")


def test_compare_notes_a_scenario_that_lacks_the_chosen_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the current file (coffee, 2022-2030) against a scenario of the default market (2023-2031)
    files = {
        name: yaml.safe_load((PROJECT / "assumptions" / name).read_text("utf-8"))
        for name in ("example-coffee-subscriptions.yaml", "healthcare-microservices.yaml")
    }
    use_folder(monkeypatch, tmp_path, files)
    shutil.copytree(
        PROJECT / "assumptions" / "scenarios", tmp_path / "scenarios", ignore=not_the_store
    )
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    at.run().switch_page("pages/scenarios.py").run()
    at.multiselect(key=widget_key("scenarios.compare")).set_value([CURRENT_KEY, "Base case"]).run()
    at.select_slider(key=widget_key("year")).set_value(2022).run()
    assert not at.exception, [e.message for e in at.exception]
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    # the saved scenario named "Base case", told from the file's own values by "(saved)"
    assert "Base case (saved) has no 2022: its years run 2023-2031" in notes

    at.switch_page("pages/segments.py").run()
    assert at.select_slider(key=widget_key("year")).value == 2022
    at.selectbox(key=widget_key("file")).set_value("healthcare-microservices.yaml").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.select_slider(key=widget_key("year")).value == 2023  # clamped to this file's years


@pytest.mark.parametrize(
    ("first", "base", "horizon"),
    [(2000, 2001, 2200), (1, 1, 201), (9799, 9800, 9999)],
    ids=["horizon-2200", "earliest-and-longest", "latest"],
)
def test_an_upload_with_far_years_renders_every_page_and_clamps_remembered_years(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_market: dict[str, Any],
    first: int,
    base: int,
    horizon: int,
) -> None:
    # the session first looks at the default file (2023-2031) and picks a year there
    default = yaml.safe_load(
        (PROJECT / "assumptions" / "healthcare-microservices.yaml").read_text()
    )
    use_folder(monkeypatch, tmp_path, {"healthcare-microservices.yaml": default})
    data = copy.deepcopy(small_market)
    data["years"] = {"first": first, "base": base, "horizon": horizon}
    data["reported"] = [{"year": first, "value": 80.0, "citation": "survey, table 1"}]
    years = range(first, horizon + 1)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    at.run().switch_page("pages/segments.py").run()
    at.select_slider(key=widget_key("year")).set_value(2025).run()
    nearest = min(years, key=lambda year: abs(year - 2025))  # 2025 itself where it is one

    upload = yaml.safe_dump(data, sort_keys=False).encode()
    at.file_uploader(key=widget_key("upload")).upload("far.yaml", upload).run()
    assert not at.exception, [e.message for e in at.exception]
    chosen = at.selectbox(key=widget_key("file"))
    assert chosen.options[chosen.index] == "Bicycle repair (uploaded)"
    open_shares(at, parse_assumptions(upload).dimensions[-1].id)
    at.session_state[panel_key("differentials")] = True
    shown = []
    for page in PAGES:
        at.switch_page(page.script).run()
        assert not at.exception, (page.script, [e.message for e in at.exception])
        # the year remembered from the other file, clamped to this one's
        shown += [c.value for c in at.select_slider if c.key == widget_key("year")]
    assert shown and set(shown) == {nearest}

    at.switch_page("pages/opportunity.py").run()
    at.select_slider(key=widget_key("opportunity.by")).set_value(base + 1).run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


HOSTILE = "<b>Bold</b> ![x](http://tracker.example/x.png) :red[red] :material/home: =1+2"
UNSAFE = ("<b>Bold", "![x]", ":red[red]", ":material/home:", "](http")


def test_text_from_the_file_is_plain_text_on_every_page_and_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_market: dict[str, Any]
) -> None:
    data = copy.deepcopy(small_market)
    data["market"]["name"] = f"Bikes {HOSTILE}"
    data["market"]["source"] = {"title": HOSTILE, "publisher": HOSTILE, "note": HOSTILE}
    data["dimensions"][0]["segments"][1]["name"] = f"Sport {HOSTILE}"
    data["dimensions"][0]["segments"][1]["rationale"] = HOSTILE
    data["factors"] = {"drivers": [HOSTILE]}
    folder = use_folder(monkeypatch, tmp_path, {"hostile.yaml": data})
    a = load_assumptions(folder / "hostile.yaml")
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    at.run()
    for dimension in a.dimensions:  # each dimension's segment names in its share sliders
        open_shares(at, dimension.id)
        assert not at.exception, (dimension.id, [e.message for e in at.exception])
    for page in PAGES:
        if page.script != "app.py":
            at.switch_page(page.script)
        at.run()
        assert not at.exception, (page.script, [e.message for e in at.exception])
        shown = [
            *(
                e.value
                for kind in ("markdown", "caption", "title", "subheader", "header")
                for e in at.get(kind)
            ),
            *(e.value for e in [*at.warning, *at.error, *at.info, *at.success]),
        ]
        for text in shown:
            assert not any(u in text for u in UNSAFE), (page.script, text)
        for chart in at.get("plotly_chart"):  # the spec escapes "<" as \\u003c: decode it
            spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
            assert "<b>Bold" not in spec, page.script


def test_the_most_estimates_over_the_longest_span_render_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 23: an estimate a million years from the others cost a gigabyte; the limits
    # now bound every estimate's years and their number, and the largest file they allow
    # renders every page (its time is in the benchmark, not here)
    data = yaml.safe_load((PROJECT / "assumptions" / "healthcare-microservices.yaml").read_text())
    data["estimates"] += [
        {
            "id": f"extra-{i}",
            "publisher": f"Publisher {i}",
            "title": "t",
            "values": [
                {"year": year, "value": 100.0 + i + year % 7, "citation": "c"}
                for year in (2032 - MAX_YEARS_SPAN, 1900, 2000, 2032)
            ],
        }
        for i in range(MAX_ESTIMATES - len(data["estimates"]))
    ]
    folder = use_folder(monkeypatch, tmp_path, {"estimates.yaml": data})
    render_every_page(folder, "estimates.yaml")
