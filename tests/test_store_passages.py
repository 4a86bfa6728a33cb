"""Passages of the sources' own text a search finds (store.passages), beside the highlights."""

import pytest
from screen_host import add_text

from postil.store import highlights
from postil.store.db import open_db
from postil.store.passages import passage_hits
from postil.store.query import QueryError

MOOD = "Mood and serotonin\n\nSerotonin receptors were blocked.\n\nSleep improved.\n\nLow serotonin levels predicted relapses."
TRIAL = "Trial\n\nPatients relapsed after a month.\n\nNo serotonin data were collected."
GUT = "Gut study\n\nThe gut makes most of the body's serotonin."
OTHER = "Other\n\nNothing about it here."


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "p.db")
    for title, text in [("Mood", MOOD), ("Trial", TRIAL), ("Gut", GUT), ("Other", OTHER)]:
        add_text(db, title, text)
    return db


def quotes(passages):
    return [(p.source_title, p.snippet) for p in passages]


def test_every_paragraph_with_the_word_in_source_then_document_order(db):
    found = passage_hits(db, "serotonin")
    assert quotes(found) == [
        ("Gut", "The gut makes most of the body's serotonin."),
        ("Mood", "Mood and serotonin"),
        ("Mood", "Serotonin receptors were blocked."),
        ("Mood", "Low serotonin levels predicted relapses."),
        ("Trial", "No serotonin data were collected."),
    ]
    gut = found[0]
    assert GUT[gut.match_start:gut.match_end] == "serotonin"
    assert [gut.snippet[a:b] for a, b in gut.spans] == ["serotonin"]


def test_stems_all_words_or_any_and_source(db):
    assert quotes(passage_hits(db, "relapse")) == [
        ("Mood", "Low serotonin levels predicted relapses."), ("Trial", "Patients relapsed after a month."),
    ]
    assert quotes(passage_hits(db, "serotonin relapse")) == [("Mood", "Low serotonin levels predicted relapses.")]
    assert [p.source_title for p in passage_hits(db, "gut OR sleep")] == ["Gut", "Gut", "Mood"]
    assert quotes(passage_hits(db, '"serotonin data" source:trial')) == [("Trial", "No serotonin data were collected.")]
    assert [p.source_title for p in passage_hits(db, "serotonin -source:mood")] == ["Gut", "Trial"]
    assert passage_hits(db, "serotonin", limit=2) == passage_hits(db, "serotonin")[:2]


def test_queries_about_highlights_search_no_text(db):
    for query in ["", "tag:caveat serotonin", "has:note", "quote:serotonin", "-serotonin"]:
        assert passage_hits(db, query) == [], query
    with pytest.raises(QueryError):
        passage_hits(db, "serotonin (")


def test_a_paragraph_already_highlighted_is_left_to_the_highlight(db):
    start = MOOD.index("Serotonin receptors")
    highlights.create_highlight(db, 1, start, start + len("Serotonin receptors were blocked."))
    assert "Serotonin receptors were blocked." not in [p.snippet for p in passage_hits(db, "serotonin")]


def test_a_long_paragraph_is_cut_around_its_first_match(db):
    long = "word " * 400 + "serotonin " + "more " * 100
    add_text(db, "Long", "Long\n\n" + long)
    [passage] = passage_hits(db, "serotonin source:long")
    assert len(passage.snippet) <= 220 and passage.snippet.startswith("word")
    a, b = passage.spans[0]
    assert passage.snippet[a:b] == "serotonin"
    assert passage.snippet_start + a == passage.match_start
