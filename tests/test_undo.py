"""Undo and redo of every kind of annotation change, against a real database."""

import hashlib

import pytest

from postil.sources.blocks import Block
from postil.sources.document import Document, LoadedSource
from postil.store import highlights, links, tags
from postil.store.db import open_db
from postil.store.source_add import add_source
from postil.tui import undo
from postil.tui import undo_changes as changes

TEXT = "Psilocybin reduced symptoms. The sample was small. One patient felt reborn."


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "undo.db")
    doc = Document("Trial", TEXT, [Block("paragraph", 0, len(TEXT))], "text")
    add_source(database, LoadedSource(doc, "/trial.txt", hashlib.sha256(TEXT.encode()).hexdigest(), len(TEXT)))
    return database


def test_create_undo_redo_keeps_the_same_id(db):
    stack = undo.UndoStack(db)
    change = stack.do(changes.CreateHighlight(1, 0, 28, ["outcome"], note="big effect"))
    hid = change.highlight_id
    assert highlights.get_highlight(db, hid).quote == "Psilocybin reduced symptoms."
    stack.undo()
    assert highlights.list_highlights(db) == []
    stack.redo()
    restored = highlights.get_highlight(db, hid)
    assert (restored.tags, restored.note) == (["outcome"], "big effect")


def test_undoing_a_delete_restores_tags_note_and_links(db):
    stack = undo.UndoStack(db)
    a = stack.do(changes.CreateHighlight(1, 0, 28, ["outcome"], note="n")).highlight_id
    b = stack.do(changes.CreateHighlight(1, 29, 50, ["caveat"])).highlight_id
    stack.do(changes.CreateLink(b, a, relation="qualifies"))
    stack.do(changes.DeleteHighlight(a))
    assert links.list_links(db) == []
    stack.undo()
    assert highlights.get_highlight(db, a).tags == ["outcome"]
    assert [(l.from_id, l.to_id, l.relation) for l in links.list_links(db)] == [(b, a, "qualifies")]
    stack.undo()  # the link
    assert links.list_links(db) == []
    stack.redo()
    assert len(links.list_links(db)) == 1


def test_tag_toggle_note_and_codebook_changes_undo(db):
    stack = undo.UndoStack(db)
    hid = stack.do(changes.CreateHighlight(1, 51, 75, ["anecdote"])).highlight_id
    stack.do(changes.ToggleTag(hid, "caveat"))
    stack.do(changes.EditNote(hid, "testimony only"))
    stack.do(changes.RenameTag("anecdote", "story"))
    stack.do(changes.MergeTags("caveat", "story"))
    assert highlights.get_highlight(db, hid).tags == ["story"]
    stack.undo()
    assert highlights.get_highlight(db, hid).tags == ["caveat", "story"]
    stack.undo()
    assert highlights.get_highlight(db, hid).tags == ["caveat", "anecdote"]
    stack.undo()
    assert highlights.get_highlight(db, hid).note == ""
    stack.undo()
    assert highlights.get_highlight(db, hid).tags == ["anecdote"]
    assert [t.name for t in tags.list_tags(db)][:4] == ["mechanism", "outcome", "caveat", "anecdote"]


def test_delete_tag_undo_brings_back_its_highlights(db):
    stack = undo.UndoStack(db)
    hid = stack.do(changes.CreateHighlight(1, 0, 28, ["fresh"])).highlight_id
    stack.do(changes.DeleteTag("fresh"))
    assert highlights.get_highlight(db, hid).tags == []
    stack.undo()
    assert highlights.get_highlight(db, hid).tags == ["fresh"]
