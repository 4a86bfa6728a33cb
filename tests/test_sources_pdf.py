"""PDF sources: reading order, re-joined paragraphs, hyphens, ligatures, headers, labels, refusals.

Every PDF here is drawn by the test itself (tests/pdf_fixtures.py, fpdf2).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import Postil
from hypothesis import given
from hypothesis import strategies as st
from pdf_fixtures import Paper, filler

from postil.sources.errors import SourceError
from postil.sources.load import collect_paths, load_path
from postil.sources.pdf import page_spans
from postil.sources.pdf_layout import Line, drop_running_lines, reading_order
from postil.sources.pdf_text import Vocabulary, line_text
from postil.store.db import open_db
from postil.store.pages import list_pages, page_label_at
from postil.store.source_add import add_source

HEADER = "Journal of Tests 12 (2026) {n}"


def blocks_of(document):
    return [(b.kind, b.level, document.text[b.start : b.end]) for b in document.blocks]


def two_column_paper(path: Path) -> Path:
    paper = Paper()
    paper.new_page(columns=2, header=HEADER, footer="{n}")
    paper.title("Outcome Switching in Trials")
    paper.heading("1 Introduction")
    paper.paragraph("The left column starts here with an effi^cient and well-^known method from the years 2010-^2015. "
                    + filler(1))
    paper.paragraph(filler(2) + " " + filler(3) + " " + filler(4) + " " + filler(5) + " " + filler(6)
                    + " This paragraph crosses the column break and ends in the right column.")
    paper.paragraph("The right column closes page one with a well-known trial. " + filler(7))
    paper.new_page(columns=2, header=HEADER, footer="{n}")
    paper.paragraph(filler(8) + " " + filler(9) + " Then a sentence that runs over the page")
    paper.new_page(columns=1, header=HEADER, footer="{n}")
    paper.paragraph("break and ends on page three. " + filler(10))
    paper.heading("References")
    paper.paragraph("[1] Smith J. A trial of things. Lancet 2020;1:1-10.")
    paper.paragraph("[2] Jones K. Another trial of many other things that runs over the line end, and on. BMJ 2021;2:3-4.")
    return paper.save(path)


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    return load_path(two_column_paper(tmp_path_factory.mktemp("pdf") / "paper.pdf"))


def test_two_columns_read_column_by_column_with_title_and_headings(paper):
    doc = paper.document
    assert doc.format == "pdf" and doc.title == "Outcome Switching in Trials"
    blocks = blocks_of(doc)
    assert blocks[0] == ("heading", 1, "Outcome Switching in Trials")
    assert blocks[1] == ("heading", 2, "1 Introduction")
    paragraphs = [text for kind, _, text in blocks if kind == "paragraph"]
    # Left column first (paragraphs 1..6), then the right column (7), never interleaved.
    order = [doc.text.index(f"Paragraph {n} says") for n in range(1, 11)]
    assert order == sorted(order)
    assert all(doc.text.count(f"Paragraph {n} says") == 1 for n in range(1, 11))  # no line read twice
    assert paragraphs[1].endswith("ends in the right column.")
    assert paragraphs[1].startswith("Paragraph 2 says")


def test_paragraph_across_a_page_break_is_one_paragraph(paper):
    texts = [text for _, _, text in blocks_of(paper.document)]
    assert any("runs over the page break and ends on page three." in t for t in texts)


def test_hyphenation_undone_but_real_hyphens_kept(paper):
    text = paper.document.text
    assert "an efficient and well-known method from the years 2010-2015." in text
    assert "effi-" not in text and "\x02" not in text


def test_running_headers_footers_and_page_numbers_are_dropped(paper):
    text = paper.document.text
    assert "Journal of Tests" not in text
    assert not any(b.kind == "paragraph" and text[b.start : b.end].isdigit() for b in paper.document.blocks)


def test_references_are_a_block_list_of_their_own(paper):
    blocks = paper.document.blocks
    text = paper.document.text
    references = [text[b.start : b.end] for b in blocks if b.meta.get("role") == "reference"]
    assert references == [
        "[1] Smith J. A trial of things. Lancet 2020;1:1-10.",
        "[2] Jones K. Another trial of many other things that runs over the line end, and on. BMJ 2021;2:3-4.",
    ]
    assert all(b.kind == "list_item" for b in blocks if b.meta.get("role") == "reference")


def test_page_map_covers_the_text_and_each_page_starts_where_its_text_does(paper):
    doc, pages = paper.document, paper.pages
    assert [p.label for p in pages] == ["1", "2", "3"]
    assert pages[0].start == 0 and pages[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in zip(pages, pages[1:]))
    assert doc.text[pages[1].start :].startswith("Paragraph 8 says")
    assert doc.text[pages[2].start :].startswith("break and ends on page three.")


def test_page_labels_as_declared_ligatures_and_soft_hyphens(tmp_path):
    paper = Paper(unicode_font=True)
    paper.new_page(label_style="r", label_start=3)
    paper.paragraph("Preface with e\ufb03cient \ufb02ow and a soft\u00adhyphen.")
    paper.new_page(label_style="D", label_start=1)
    paper.paragraph("Body one. " + filler(1))
    paper.new_page()
    paper.paragraph("Body two. " + filler(2))
    loaded = load_path(paper.save(tmp_path / "labels.pdf"))
    assert [p.label for p in loaded.pages] == ["iii", "1", "2"]
    assert loaded.document.text.startswith("Preface with efficient flow and a softhyphen.")


def test_a_page_without_text_is_named_in_a_warning(tmp_path):
    paper = Paper()
    paper.new_page()
    paper.paragraph(filler(1))
    paper.blank_image_page()
    paper.new_page()
    paper.paragraph(filler(2))
    paper.blank_image_page()
    loaded = load_path(paper.save(tmp_path / "scan.pdf"))
    assert loaded.document.warnings == ["pages 2, 4 have no text layer (scanned?); their text is missing"]
    empty = [p for p in loaded.pages if p.start == p.end]
    assert [p.index for p in empty] == [1, 3]


def refused(path: Path) -> str:
    with pytest.raises(SourceError) as caught:
        load_path(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path) + ": ")
    return message


def test_a_pdf_with_no_text_at_all_is_refused(tmp_path):
    paper = Paper()
    paper.blank_image_page()
    assert "no text layer on any page" in refused(paper.save(tmp_path / "scan.pdf"))


def test_encrypted_damaged_truncated_and_fake_pdfs_are_refused(tmp_path):
    paper = Paper()
    paper.new_page()
    paper.paragraph(filler(1))
    assert "encrypted" in refused(paper.save(tmp_path / "locked.pdf", password="secret"))
    whole = two_column_paper(tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "half.pdf").write_bytes(whole[: len(whole) // 3])
    assert "damaged or truncated PDF" in refused(tmp_path / "half.pdf")
    (tmp_path / "fake.pdf").write_bytes(b"<html>not a pdf</html>")
    assert "damaged or truncated PDF" in refused(tmp_path / "fake.pdf")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert "empty" in refused(tmp_path / "empty.pdf")


def test_folders_pick_up_pdfs(tmp_path):
    two_column_paper(tmp_path / "a.pdf")
    found, errors = collect_paths([tmp_path])
    assert [p.name for p in found] == ["a.pdf"] and not errors


# --- the rules on their own -----------------------------------------------------------------


def line(page, x0, top, x1, text, size=10.0):
    return Line(page, x0, top, x1, top + size, text, size)


def test_reading_order_puts_full_width_lines_between_column_bands():
    lines = [line(0, 50, 40, 550, "Title across the page")]
    lines += [line(0, 50, 80 + 12 * i, 290, f"left {i}") for i in range(4)]
    lines += [line(0, 310, 80 + 12 * i, 550, f"right {i}") for i in range(4)]
    lines += [line(0, 50, 200, 550, "A wide figure caption below both columns")]
    columns = reading_order(lines, 600)
    assert [[l.text for l in c] for c in columns] == [
        ["Title across the page"],
        [f"left {i}" for i in range(4)],
        [f"right {i}" for i in range(4)],
        ["A wide figure caption below both columns"],
    ]


def test_repeated_edge_lines_go_but_body_lines_that_repeat_stay():
    pages = [[line(p, 50, 20, 300, f"Running head {p + 1}"), line(p, 50, 400, 500, "Same body line"),
              line(p, 290, 800, 300, str(p + 1))] for p in range(4)]
    kept, dropped = drop_running_lines(pages, [842.0] * 4)
    assert dropped == 8 and all([l.text for l in page] == ["Same body line"] for page in kept)


def test_line_text_undoes_ligatures_and_keeps_pdfium_hyphen_marks():
    assert line_text("e\ufb03cient \ufb02ow of-\x02") == "efficient flow of-\x02"
    assert line_text("co\u00adoperate") == "cooperate"


def test_vocabulary_decides_hyphens():
    vocabulary = Vocabulary(["an efficient method", "a well-known trial", "set up"])
    assert vocabulary.join("effi", "cient")
    assert not vocabulary.join("well", "known")
    assert vocabulary.join("hyphen", "ation")
    assert not vocabulary.join("COVID", "19")


# --- stored with its page map -----------------------------------------------------------------


def test_adding_a_pdf_stores_its_page_map_and_highlights_know_their_page(tmp_path):
    paper = Paper()
    paper.new_page(label_style="r", label_start=1)
    paper.paragraph("Front matter. " + filler(1))
    paper.blank_image_page()
    paper.new_page(label_style="D", label_start=1)
    paper.paragraph("Body. " + filler(2))
    loaded = load_path(paper.save(tmp_path / "p.pdf"))
    db = open_db(tmp_path / "p.db")
    source_id = add_source(db, loaded).source.id
    assert [(p.index, p.label) for p in list_pages(db, source_id)] == [(0, "i"), (1, "ii"), (2, "1")]
    body = loaded.document.text.index("Body.")
    assert page_label_at(db, source_id, 0) == "i"
    assert page_label_at(db, source_id, body - 1) == "i"  # the blank line before page 3's text
    assert page_label_at(db, source_id, body) == "1"  # never the empty scanned page "ii"


def test_refused_pdfs_change_nothing_and_say_one_line(tmp_path):
    postil = Postil(tmp_path)
    paper = Paper()
    paper.new_page()
    paper.paragraph(filler(1))
    locked = paper.save(tmp_path / "locked.pdf", password="pw")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    run = postil.fails("add", str(locked), str(tmp_path / "broken.pdf"))
    assert run.stderr.count("\n") == 2 and "encrypted" in run.stderr and "damaged or truncated" in run.stderr
    assert postil.ok("sources", "--json").json() == []


@given(st.lists(st.one_of(st.none(), st.integers(0, 50)), min_size=1, max_size=12), st.integers(0, 60))
def test_page_spans_are_contiguous_and_cover_the_text(offsets, extra):
    firsts = sorted(o for o in offsets if o is not None)
    it = iter(firsts)
    first_offsets = [next(it) if o is not None else None for o in offsets]
    length = (firsts[-1] if firsts else 0) + extra
    spans = page_spans([str(i + 1) for i in range(len(offsets))], first_offsets, length)
    with_text = [s for s in spans if s.end > s.start]
    assert all(a.end <= b.start for a, b in zip(with_text, with_text[1:]))
    if with_text:
        assert with_text[0].start == 0 and with_text[-1].end == length
        assert all(a.end == b.start for a, b in zip(with_text, with_text[1:]))
    assert all(s.start == s.end for s, o in zip(spans, first_offsets) if o is None)



def test_a_pdf_declares_its_record_and_postil_add_keeps_it(tmp_path):
    paper = Paper()
    paper.pdf.set_title("Psilocybin for Treatment-Resistant Depression")
    paper.pdf.set_author("Carhart-Harris, Robin; Roseman, Leor")
    paper.new_page()
    paper.title("Psilocybin for Treatment-Resistant Depression")
    paper.paragraph("Published online. https://doi.org/10.1016/S2215-0366(16)30065-7 " + filler(30))
    path = tmp_path / "paper.pdf"
    paper.save(path)
    postil = Postil(tmp_path)
    postil.ok("add", str(path))
    record = postil.ok("cite", "1", "--json").json()
    csl = record.get("csl", record)
    assert csl["title"] == "Psilocybin for Treatment-Resistant Depression"
    assert csl["DOI"].lower() == "10.1016/s2215-0366(16)30065-7"
    assert [a.get("family") for a in csl["author"]] == ["Carhart-Harris", "Roseman"]
