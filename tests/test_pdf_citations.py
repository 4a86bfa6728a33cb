"""Highlights in a PDF are cited by page label everywhere: brief, CSV, JSON, W3C, the app."""

from __future__ import annotations

import csv
import io
import json

import pytest
from app_support import SIZE, make_app
from cli_support import Postil
from pdf_fixtures import Paper, filler

from postil.exports.brief import render_brief
from postil.exports.collect import collect
from postil.exports.tabular import to_csv, to_json
from postil.exports.w3c import RFC3778, to_w3c
from postil.sources.load import load_path
from postil.store.db import open_db
from postil.store.highlights import create_highlight
from postil.store.source_add import add_source
from postil.store.sources import source_text
from postil.tui.screens.search import SearchScreen
from postil.tui.widgets.source_header import SourceHeader


def labelled_paper(path):
    """Pages "ii" (preface), a scanned page, then "1" and "2" of the body."""
    paper = Paper()
    paper.new_page(label_style="r", label_start=2)
    paper.paragraph("A preface that explains the review. " + filler(1))
    paper.blank_image_page()
    paper.new_page(label_style="D", label_start=1)
    paper.paragraph("The first body page holds the method. " + filler(2))
    paper.new_page()
    paper.paragraph("The second body page holds the outcome and the caveat. " + filler(3))
    return paper.save(path)


@pytest.fixture
def marked(tmp_path):
    db = open_db(tmp_path / "p.db")
    loaded = load_path(labelled_paper(tmp_path / "paper.pdf"))
    source_id = add_source(db, loaded).source.id
    text = loaded.document.text
    for phrase, tag in [("A preface that explains", "mechanism"), ("holds the method", "outcome"),
                        ("outcome and the caveat", "caveat")]:
        start = text.index(phrase)
        create_highlight(db, source_id, start, start + len(phrase), tags=[tag])
    text_source = add_source(db, load_path(_text_file(tmp_path))).source.id
    create_highlight(db, text_source, 0, 5, tags=["anecdote"])
    return db


def _text_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Plain notes without pages.\n")
    return path


def test_a_quote_over_a_page_break_cites_both_pages(tmp_path):
    db = open_db(tmp_path / "p.db")
    loaded = load_path(labelled_paper(tmp_path / "paper.pdf"))
    source_id = add_source(db, loaded).source.id
    text = loaded.document.text
    start = text.index("holds the method")
    end = text.index("The second body page") + len("The second")
    create_highlight(db, source_id, start, end, tags=["outcome"])
    data = collect(db)
    assert ", pp. 1–2" in render_brief(data).text
    (record,) = json.loads(to_json(data))
    assert (record["page"], record["page_end"]) == ("1", "2")


def test_brief_cites_the_page_label(marked):
    text = render_brief(collect(marked)).text
    assert ", p. ii" in text and ", p. 1" in text and ", p. 2" in text
    citations = [line for line in text.splitlines() if line.startswith("— *")]
    assert len(citations) == 4
    assert [c for c in citations if "p. " not in c] == [c for c in citations if "Plain notes" in c]


def test_csv_and_json_carry_the_page_label(marked):
    data = collect(marked)
    rows = {r["quote"]: r["page"] for r in json.loads(to_json(data))}
    assert rows == {"A preface that explains": "ii", "holds the method": "1", "outcome and the caveat": "2", "Plain": None}
    table = {r["quote"]: r["page"] for r in csv.DictReader(io.StringIO(to_csv(data)))}
    assert table["holds the method"] == "1" and table["Plain"] == ""


def test_w3c_adds_a_fragment_selector_with_the_physical_page(marked):
    items = to_w3c(collect(marked))["first"]["items"]
    by_quote = {
        next(s["exact"] for s in i["target"]["selector"] if s["type"] == "TextQuoteSelector"): i["target"] for i in items
    }
    method = by_quote["holds the method"]
    fragment = [s for s in method["selector"] if s["type"] == "FragmentSelector"]
    # Label "1" is the third page of the file (after "ii" and the scanned page).
    assert fragment == [{"type": "FragmentSelector", "conformsTo": RFC3778, "value": "page=3"}]
    assert method["postil:pageLabel"] == "1"
    assert not [s for s in by_quote["Plain"]["selector"] if s["type"] == "FragmentSelector"]


async def test_the_app_shows_the_page_in_the_header_pane_and_search(app_settings, app_db, tmp_path):
    source_id = add_source(app_db, load_path(labelled_paper(tmp_path / "paper.pdf"))).source.id
    text = source_text(app_db, source_id)
    start = text.index("holds the method")
    create_highlight(app_db, source_id, start, start + 16, tags=["outcome"])
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        header = screen.query_one(SourceHeader)
        screen.reader.move_to(1)
        await pilot.pause()
        assert "· p. ii" in header.header_content().plain
        screen.reader.move_to(start + 2)
        await pilot.pause()
        assert "· p. 1" in header.header_content().plain
        assert "p. 1" in str(screen.pane.query_one("#pane-detail-text").render())
        app.push_screen(SearchScreen(app_db, "method"))
        await pilot.pause(0.3)
        rows = app.screen.query_one("#results").options
        assert any("p. 1 " in str(option.prompt) and "holds the method" in str(option.prompt) for option in rows)


def test_a_new_version_of_the_pdf_re_anchors_and_gets_its_new_page_map(tmp_path):
    postil = Postil(tmp_path)
    path = tmp_path / "preprint.pdf"
    labelled_paper(path)
    postil.ok("add", str(path))
    postil.ok("mark", "1", "holds the method", "-t", "outcome")
    assert postil.ok("search", "--json").json()[0]["page"] == "1"
    paper = Paper()  # version 2: a new first page moves everything one page on
    paper.new_page()
    paper.paragraph("A new cover page for version two. " + filler(9))
    paper.new_page()
    paper.paragraph("The first body page holds the method. " + filler(2))
    paper.save(path)
    run = postil.ok("add", str(path))
    assert "updated" in run.stdout
    (hit,) = postil.ok("search", "--json").json()
    assert hit["quote"] == "holds the method" and hit["anchor_status"] in ("anchored", "moved") and hit["page"] == "2"
