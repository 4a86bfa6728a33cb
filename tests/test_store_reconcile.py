"""Disagreements between reviewers and every reconcile decision, with undo."""

from __future__ import annotations

import pytest
from app_support import SAMPLE, add_text

from postil.store.errors import StoreError
from postil.store.highlights import create_highlight, get_highlight, list_highlights
from postil.store.links import links_of
from postil.store.reconcile import accept_agreed, decide, decisions, find_place, places, undo_decision
from postil.store.reviewers import CONSENSUS, mark_done


@pytest.fixture
def source(app_db):
    return add_text(app_db, SAMPLE)


def text_of(db, source_id):
    return db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]


def mark(db, source_id, quote, author, *tags):
    start = text_of(db, source_id).index(quote)
    return create_highlight(db, source_id, start, start + len(quote), tags=list(tags), author=author)


def kinds(db):
    return sorted(p.kind for p in places(db, include_agreed=True))


def test_each_kind_of_disagreement(app_db, source):
    db = app_db
    mark(db, source, "The drug raised amygdala activity", "ana", "mechanism")
    mark(db, source, "The drug raised amygdala activity", "ben", "mechanism")  # agreed
    mark(db, source, "Smith et al. found the same", "ana", "outcome")
    mark(db, source, "Smith et al. found the same", "ben", "caveat")  # same passage, other tag
    mark(db, source, "Effects lasted five weeks.", "ana", "outcome")  # ben: nothing
    mark(db, source, "The sample was small", "ana", "caveat")
    mark(db, source, "The sample was small, only 20 people.", "ben", "caveat")  # other extent
    assert kinds(db) == ["agreed", "extent", "only", "tags"]
    only = next(p for p in places(db) if p.kind == "only")
    assert only.reviewers == ["ana"] and only.missing == ["ben"]
    assert [p.kind for p in places(db)] == ["tags", "only", "extent"]  # text order, agreed left out


def test_a_source_one_reviewer_coded_has_nothing_to_reconcile(app_db, source):
    mark(app_db, source, "Effects lasted five weeks.", "ana", "outcome")
    assert places(app_db) == []
    mark_done(app_db, source, "ben")  # ben coded it and found nothing
    [place] = places(app_db)
    assert place.kind == "only" and place.missing == ["ben"]


def test_keep_one_version_then_undo(app_db, source):
    db = app_db
    ana = mark(db, source, "Smith et al. found the same", "ana", "outcome")
    ben = mark(db, source, "Smith et al. found the same", "ben", "caveat")
    [place] = places(db)
    decision = decide(db, place, "keep", keep=ben.id[:8], by="ana")
    consensus = get_highlight(db, decision.consensus_id)
    assert consensus.author == CONSENSUS and consensus.tags == ["caveat"]
    assert (consensus.start, consensus.end) == (ben.start, ben.end)
    assert {l.to_id for l in links_of(db, consensus.id)} == {ben.id}
    assert places(db) == []  # decided
    assert {h.id for h in list_highlights(db)} >= {ana.id, ben.id}  # the versions stay
    undone = undo_decision(db)
    assert undone.id == decision.id
    assert [h.author for h in list_highlights(db)].count(CONSENSUS) == 0
    assert [p.kind for p in places(db)] == ["tags"] and decisions(db) == []


def test_merge_wider_and_narrower(app_db, source):
    db = app_db
    ana = mark(db, source, "The sample was small", "ana", "caveat")
    ben = mark(db, source, "The sample was small, only 20 people.", "ben", "outcome")
    [place] = places(db)
    wide = get_highlight(db, decide(db, place, "merge-wider").consensus_id)
    assert (wide.start, wide.end) == (ana.start, ben.end) and wide.tags == ["outcome", "caveat"]
    assert {l.to_id for l in links_of(db, wide.id)} == {ana.id, ben.id}
    undo_decision(db)
    narrow = get_highlight(db, decide(db, find_place(db, place.key[:6]), "merge-narrower").consensus_id)
    assert (narrow.start, narrow.end) == (ana.start, ana.end)
    assert narrow.quote == "The sample was small"


def test_drop_makes_no_consensus_and_undoes(app_db, source):
    db = app_db
    mark(db, source, "Effects lasted five weeks.", "ana", "outcome")
    mark(db, source, "The drug raised", "ben", "mechanism")
    [first, second] = places(db)
    decision = decide(db, second, "drop", by="ben")
    assert decision.consensus_id is None and decision.decision == "drop"
    assert [p.key for p in places(db)] == [first.key]
    undo_decision(db, decision.id)
    assert len(places(db)) == 2


def test_refusals(app_db, source):
    db = app_db
    mark(db, source, "The drug raised amygdala", "ana", "mechanism")
    mark(db, source, "amygdala activity in most patients", "ben", "mechanism")
    mark(db, source, "The drug raised", "ben", "mechanism")
    [place] = places(db)
    with pytest.raises(StoreError, match="keep which version"):
        decide(db, place, "keep", keep="zzzz")
    with pytest.raises(StoreError, match="unknown decision"):
        decide(db, place, "maybe")
    with pytest.raises(StoreError, match="share no passage"):
        decide(db, place, "merge-narrower")
    decide(db, place, "merge-wider")
    with pytest.raises(StoreError, match="decided already"):
        decide(db, place, "drop")
    undo_decision(db)
    with pytest.raises(StoreError, match="no reconcile decision"):
        undo_decision(db)


def test_accept_agreed_copies_what_everyone_coded_alike(app_db, source):
    db = app_db
    mark(db, source, "The drug raised amygdala activity", "ana", "mechanism")
    mark(db, source, "The drug raised amygdala activity", "ben", "mechanism")
    mark(db, source, "Effects lasted five weeks.", "ana", "outcome")
    [made] = accept_agreed(db, by="ana")
    consensus = get_highlight(db, made.consensus_id)
    assert consensus.quote == "The drug raised amygdala activity" and consensus.tags == ["mechanism"]
    assert len(links_of(db, consensus.id)) == 2
    assert accept_agreed(db) == []  # decided once
    assert [p.kind for p in places(db)] == ["only"]
