"""The page map: a highlight's page is found by its start, with the label the document declares."""

from __future__ import annotations

from postil.sources.load import load_bytes
from postil.store.db import open_db
from postil.store.pages import Page, list_pages, page_label_at, save_pages
from postil.store.source_add import add_source


def test_page_labels_by_offset(tmp_path):
    db = open_db(tmp_path / "p.db")
    source_id = add_source(db, load_bytes(b"Front matter.\n\nBody text here.\n", "paper.txt")).source.id
    assert page_label_at(db, source_id, 0) is None
    save_pages(db, source_id, [Page(0, "iii", 0, 14), Page(1, "1", 14, 30)])
    assert [p.label for p in list_pages(db, source_id)] == ["iii", "1"]
    assert page_label_at(db, source_id, 0) == "iii"
    assert page_label_at(db, source_id, 13) == "iii"
    assert page_label_at(db, source_id, 14) == "1"
    save_pages(db, source_id, [Page(0, "1", 0, 30)])
    assert page_label_at(db, source_id, 20) == "1"
