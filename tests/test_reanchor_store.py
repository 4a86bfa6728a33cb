"""Re-anchoring stored highlights when a source's text changes (store/reanchor.py)."""

from __future__ import annotations

import pytest

from postil.store.clock import now
from postil.store.db import open_db, write
from postil.store.errors import NotFound, StoreError
from postil.store.highlights import create_highlight, get_highlight
from postil.store.reanchor import (
    AnchorState,
    ReanchorReport,
    accept_fuzzy,
    anchor_state,
    fuzzy_highlights,
    orphans,
    reanchor_source,
    reattach,
    restore_anchor,
)

TEXT = (
    "Depression affects millions of people worldwide, and standard treatments often fail.\n\n"
    "In several clinical trials, psilocybin produced rapid and robust reductions in "
    "depressive symptoms after a single dose. The effect lasted for weeks in most patients.\n\n"
    "Critics point out that the samples were small and blinding was hard to maintain."
)
FIRST = "Depression affects millions"
MOVING = "The effect lasted for weeks in most patients."
TYPO = "psilocybin produced rapid and robust reductions"
GONE = "the samples were small and blinding was hard to maintain"

NEW_TEXT = (
    "Depression affects millions of people worldwide, and standard treatments often fail.\n\n"
    "An added paragraph about the history of the field.\n\n"
    "In several clinical trials, psilocybin produced rapid and robst reductions in "
    "depressive symptoms after a single dose. The effect lasted for weeks in most patients.\n\n"
    "Critics were silent."
)


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "t.db")
    yield database
    database.close()


def add_source(db, text: str) -> int:
    stamp = now()
    with write(db):
        cursor = db.execute(
            """INSERT INTO sources (title, origin, format, sha256, size, text, imported_at, updated_at)
               VALUES ('Trial notes', '/tmp/trial.txt', 'text', 'abc', ?, ?, ?, ?)""",
            [len(text), text, stamp, stamp],
        )
    return cursor.lastrowid


def mark(db, source_id: int, quote: str, **kwargs) -> str:
    start = TEXT.index(quote)
    return create_highlight(db, source_id, start, start + len(quote), **kwargs).id


def refresh(db, source_id: int, text: str) -> ReanchorReport:
    """What a re-import does: new text and re-anchoring in one transaction."""
    with write(db):
        db.execute("UPDATE sources SET text = ? WHERE id = ?", [text, source_id])
        return reanchor_source(db, source_id, text)


def rows(db) -> list[tuple]:
    return db.execute(
        'SELECT id, start, "end", quote, prefix, suffix, anchor_status, version, updated_at '
        "FROM highlights ORDER BY pk"
    ).fetchall()


@pytest.fixture
def marked(db):
    sid = add_source(db, TEXT)
    ids = {
        "first": mark(db, sid, FIRST),
        "moving": mark(db, sid, MOVING, tags=["outcome"], note="lasting effect"),
        "typo": mark(db, sid, TYPO, tags=["mechanism"]),
        "gone": mark(db, sid, GONE, tags=["caveat", "anecdote"], note="small n"),
    }
    return sid, ids


def test_report_counts_each_outcome(db, marked):
    sid, ids = marked
    report = refresh(db, sid, NEW_TEXT)
    assert (report.anchored, report.moved, report.fuzzy, report.orphaned) == (1, 1, 1, 1)
    assert dict(report.details) == {
        ids["first"]: "anchored",
        ids["moving"]: "moved",
        ids["typo"]: "fuzzy",
        ids["gone"]: "orphaned",
    }
    assert report.summary() == "4 highlights: 1 anchored, 1 moved, 1 fuzzy, 1 orphaned"


def test_rows_after_reanchoring(db, marked):
    sid, ids = marked
    before = {row[0]: row for row in rows(db)}
    refresh(db, sid, NEW_TEXT)

    first = get_highlight(db, ids["first"])
    assert (first.start, first.version, first.anchor_status) == (0, 1, "anchored")
    assert first.updated_at == before[ids["first"]][8]  # nothing changed, nothing written

    moving = get_highlight(db, ids["moving"])
    assert moving.anchor_status == "moved" and moving.version == 2
    assert NEW_TEXT[moving.start : moving.end] == moving.quote == MOVING
    assert NEW_TEXT.endswith(moving.suffix, 0, moving.end + len(moving.suffix))
    assert NEW_TEXT[moving.start - len(moving.prefix) : moving.start] == moving.prefix
    assert (moving.note, moving.tags) == ("lasting effect", ["outcome"])

    typo = get_highlight(db, ids["typo"])
    assert typo.anchor_status == "fuzzy" and typo.version == 2
    assert typo.quote == TYPO  # kept until the reviewer accepts
    assert NEW_TEXT[typo.start : typo.end] == "psilocybin produced rapid and robst reductions"
    assert (typo.prefix, typo.suffix) == (before[ids["typo"]][4], before[ids["typo"]][5])

    gone = get_highlight(db, ids["gone"])
    assert gone.anchor_status == "orphaned" and gone.version == 2
    assert gone.quote == GONE and gone.note == "small n" and gone.tags == ["caveat", "anecdote"]
    assert 0 <= gone.start <= gone.end <= len(NEW_TEXT)


def test_an_exception_in_the_transaction_leaves_every_row_as_it_was(db, marked):
    sid, _ = marked
    before = rows(db)
    with pytest.raises(ZeroDivisionError):
        with write(db):
            db.execute("UPDATE sources SET text = ? WHERE id = ?", [NEW_TEXT, sid])
            reanchor_source(db, sid, NEW_TEXT)
            raise ZeroDivisionError
    assert rows(db) == before
    assert db.execute("SELECT text FROM sources WHERE id = ?", [sid]).fetchone()[0] == TEXT


def test_it_refuses_to_run_outside_a_transaction(db, marked):
    sid, _ = marked
    with pytest.raises(RuntimeError):
        reanchor_source(db, sid, NEW_TEXT)
    assert not db.in_transaction


def test_unchanged_text_writes_nothing(db, marked):
    sid, ids = marked
    before = rows(db)
    report = refresh(db, sid, TEXT)
    assert report.anchored == 4 and rows(db) == before


def test_orphans_are_listed_kept_and_can_come_back(db, marked):
    sid, ids = marked
    refresh(db, sid, "Nothing of the old article is left.")
    listed = orphans(db)
    # Clamped to the end of the short text, ties in creation order.
    assert [h.id for h in listed] == [ids["first"], ids["moving"], ids["typo"], ids["gone"]]
    gone = next(h for h in listed if h.id == ids["gone"])
    assert gone.tags == ["caveat", "anecdote"] and gone.note == "small n"
    assert all(0 <= h.start <= h.end <= 35 for h in listed)
    assert orphans(db, source_id=sid + 1) == []

    report = refresh(db, sid, "Reprinted.\n" + TEXT)
    assert report.orphaned == 0 and report.moved == 4
    assert orphans(db) == []
    back = get_highlight(db, ids["gone"])
    assert back.anchor_status == "moved" and back.start == len("Reprinted.\n") + TEXT.index(GONE)
    assert back.version == 3


def test_fuzzy_highlights_await_acceptance(db, marked):
    sid, ids = marked
    refresh(db, sid, NEW_TEXT)
    assert [h.id for h in fuzzy_highlights(db)] == [ids["typo"]]
    assert fuzzy_highlights(db)[0].tags == ["mechanism"]

    accept_fuzzy(db, ids["typo"])
    typo = get_highlight(db, ids["typo"])
    assert typo.anchor_status == "anchored" and typo.version == 3
    assert typo.quote == NEW_TEXT[typo.start : typo.end] == "psilocybin produced rapid and robst reductions"
    assert typo.prefix == NEW_TEXT[typo.start - 32 : typo.start]
    assert fuzzy_highlights(db) == []
    # After acceptance the next refresh with the same text finds it exactly.
    assert refresh(db, sid, NEW_TEXT).fuzzy == 0


def test_accepting_something_that_is_not_fuzzy_says_so(db, marked):
    sid, ids = marked
    with pytest.raises(StoreError, match="not a fuzzy match"):
        accept_fuzzy(db, ids["first"])
    with pytest.raises(NotFound):
        accept_fuzzy(db, "no-such-id")


def test_a_fuzzy_highlight_is_searched_for_by_its_original_quote_again(db, marked):
    sid, ids = marked
    refresh(db, sid, NEW_TEXT)
    report = refresh(db, sid, TEXT)  # the typo was fixed upstream, the paragraph removed
    assert dict(report.details)[ids["typo"]] == "moved"
    typo = get_highlight(db, ids["typo"])
    assert (typo.start, typo.quote) == (TEXT.index(TYPO), TYPO)


def test_line_ending_conversion_updates_quotes_and_keeps_search_consistent(db):
    crlf = TEXT.replace("\n", "\r\n")
    sid = add_source(db, crlf)
    across = "patients.\r\n\r\nCritics"
    start = crlf.index(across)
    hid = create_highlight(db, sid, start, start + len(across)).id
    report = refresh(db, sid, TEXT)
    assert report.moved == 1
    moved = get_highlight(db, hid)
    assert moved.quote == "patients.\n\nCritics" == TEXT[moved.start : moved.end]
    db.execute("INSERT INTO highlights_fts(highlights_fts) VALUES ('integrity-check')")
    found = db.execute(
        "SELECT count(*) FROM highlights_fts WHERE highlights_fts MATCH 'critics'"
    ).fetchone()[0]
    assert found == 1


def test_orphan_offsets_are_clamped_into_a_shorter_text(db, marked):
    sid, ids = marked
    refresh(db, sid, "x")
    for row in rows(db):
        assert 0 <= row[1] <= row[2] <= 1
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_orphan_is_reattached_to_new_offsets_and_can_be_put_back(db, marked):
    sid, ids = marked
    refresh(db, sid, NEW_TEXT)
    before = get_highlight(db, ids["gone"])
    assert before.anchor_status == "orphaned"
    place = NEW_TEXT.index("Critics were silent")
    old = reattach(db, ids["gone"], place, place + len("Critics were silent"))
    moved = get_highlight(db, ids["gone"])
    assert (moved.start, moved.quote, moved.anchor_status) == (place, "Critics were silent", "anchored")
    assert moved.prefix == NEW_TEXT[place - 32 : place] and moved.version == before.version + 1
    assert moved.tags == ["caveat", "anecdote"] and moved.note == "small n"
    assert old == AnchorState(ids["gone"], sid, before.start, before.end, before.quote, before.prefix,
                              before.suffix, "orphaned")
    assert orphans(db) == []
    restore_anchor(db, old)
    back = get_highlight(db, ids["gone"])
    assert (back.start, back.end, back.quote, back.prefix, back.suffix, back.anchor_status) == (
        before.start, before.end, before.quote, before.prefix, before.suffix, "orphaned")
    assert anchor_state(db, ids["gone"]) == old


def test_reattaching_refuses_an_empty_or_outside_range(db, marked):
    sid, ids = marked
    with pytest.raises(StoreError, match="empty"):
        reattach(db, ids["gone"], 5, 5)
    with pytest.raises(StoreError, match="outside"):
        reattach(db, ids["gone"], 5, len(TEXT) + 1)
    with pytest.raises(NotFound):
        reattach(db, "no-such-id", 0, 3)
    assert get_highlight(db, ids["gone"]).quote == GONE
