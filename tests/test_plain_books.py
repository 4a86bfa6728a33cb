"""Plain-text books read as books: the Project Gutenberg header and licence kept out, chapter
lines as headings, verse kept as lines (issue 16)."""

from __future__ import annotations

from pathlib import Path

from postil.sources.load import load_path
from postil.sources.plain import load_text

PARAGRAPH = (
    "Call me Ishmael. Some years ago--never mind how long precisely--having\n"
    "little or no money in my purse, and nothing particular to interest me on\n"
    "shore, I thought I would sail about a little and see the watery part of\n"
    "the world. It is a way I have of driving off the spleen and regulating\n"
    "the circulation.\n"
)

BOOK = (
    "\ufeffThe Project Gutenberg eBook of The Small Whale\n\n"
    "This ebook is for the use of anyone anywhere in the United States and\n"
    "most other parts of the world at no cost and with almost no restrictions\n"
    "whatsoever.\n\n"
    "Title: The Small Whale; Or, The Test\n"
    "        A Second Title Line\n\n"
    "Author: Herman Testville\n\n"
    "Release date: June 1, 2001 [eBook #9999]\n"
    "                Most recently updated: January 2, 2024\n\n"
    "Language: English\n\n"
    "*** START OF THE PROJECT GUTENBERG EBOOK THE SMALL WHALE ***\n\n\n\n"
    "THE SMALL WHALE\n\n"
    "by Herman Testville\n\n\n"
    "CONTENTS\n\n"
    "ETYMOLOGY.\n\n"
    "CHAPTER 1. Loomings.\n\n\n"
    "ETYMOLOGY.\n\n"
    "(Supplied by a Late Consumptive Usher to a Grammar School.)\n\n"
    "The pale Usher--threadbare in coat, heart, body, and brain; I see him\n"
    "now. He was ever dusting his old lexicons and grammars, with a queer\n"
    "handkerchief, mockingly embellished with all the gay flags of all the\n"
    "known nations of the world.\n\n"
    "  Into the sea the ship went down in haste,\n"
    "  And all the sailors watched the water rise,\n"
    "  While gulls wheeled high above the empty waste,\n"
    "  And none could bear to lift their weary eyes.\n\n"
    "CHAPTER 1. Loomings.\n\n"
    f"{PARAGRAPH}\n"
    "BOOK II\n\n"
    "CHAPTER XIV\n\n"
    f"{PARAGRAPH}\n"
    "*** END OF THE PROJECT GUTENBERG EBOOK THE SMALL WHALE ***\n\n"
    "Updated editions will replace the previous one--the old editions will\n"
    "be renamed.\n\n"
    "START: FULL LICENSE\n\n"
    "THE FULL PROJECT GUTENBERG LICENSE\n"
)


def _blocks(doc):
    return [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]


def test_the_gutenberg_header_and_licence_are_not_part_of_the_reading_text():
    doc = load_text(BOOK, "pg9999.txt")
    assert "Project Gutenberg" not in doc.text and "PROJECT GUTENBERG" not in doc.text
    assert "FULL LICENSE" not in doc.text and "Release date" not in doc.text
    assert doc.text.startswith("THE SMALL WHALE")
    assert doc.text.rstrip().endswith("the circulation.")


def test_the_title_and_author_come_from_the_header_without_their_labels():
    doc = load_text(BOOK, "pg9999.txt")
    assert doc.title == "The Small Whale; Or, The Test: A Second Title Line"
    assert doc.metadata["title"] == doc.title
    assert doc.metadata["author"] == ["Herman Testville"]
    assert doc.metadata["language"] == "English"
    assert doc.metadata["gutenberg"]["Release date"].startswith("June 1, 2001 [eBook #9999]")


def test_chapter_lines_are_headings_and_a_paragraph_is_under_its_chapter():
    doc = load_text(BOOK, "pg9999.txt")
    blocks = _blocks(doc)
    call = next(i for i, (_, text) in enumerate(blocks) if text.startswith("Call me Ishmael"))
    assert blocks[call - 1] == ("heading", "CHAPTER 1. Loomings.")
    assert ("heading", "BOOK II") in blocks and ("heading", "CHAPTER XIV") in blocks
    assert ("heading", "ETYMOLOGY.") in blocks
    levels = {doc.text[b.start : b.end]: b.level for b in doc.blocks if b.kind == "heading"}
    assert levels["BOOK II"] < levels["CHAPTER XIV"]


def test_a_parenthesised_line_is_not_a_heading():
    doc = load_text(BOOK, "pg9999.txt")
    assert ("paragraph", "(Supplied by a Late Consumptive Usher to a Grammar School.)") in _blocks(doc)


def test_verse_keeps_its_lines():
    doc = load_text(BOOK, "pg9999.txt")
    verse = next(text for _, text in _blocks(doc) if text.startswith("Into the sea"))
    assert verse.split("\n") == [
        "Into the sea the ship went down in haste,",
        "And all the sailors watched the water rise,",
        "While gulls wheeled high above the empty waste,",
        "And none could bear to lift their weary eyes.",
    ]


def test_hard_wrapped_prose_still_flows_into_one_paragraph():
    doc = load_text(BOOK, "pg9999.txt")
    assert ("paragraph", " ".join(PARAGRAPH.split("\n")).strip()) in _blocks(doc)


def test_a_text_without_gutenberg_markers_loses_nothing():
    text = "A Note\n\nProject Gutenberg is mentioned here, but this is no ebook.\n"
    doc = load_text(text, "note.txt")
    assert "Project Gutenberg is mentioned here" in doc.text
    assert doc.metadata == {}


def test_postil_sources_titles_a_gutenberg_book_by_its_header(tmp_path: Path):
    from tests.cli_support import Postil

    path = tmp_path / "pg9999.txt"
    path.write_text(BOOK, encoding="utf-8")
    assert load_path(path).metadata["author"] == ["Herman Testville"]
    postil = Postil(tmp_path)
    postil.ok("add", str(path))
    titles = [source["title"] for source in postil.ok("sources", "--json").json()]
    assert titles == ["The Small Whale; Or, The Test: A Second Title Line"]
