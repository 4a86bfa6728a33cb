"""The link picker's candidates, read from the store a page at a time (store.link_targets)."""

from __future__ import annotations

import pytest
from export_fixtures import add_text_source
from test_scale_complexity import incoming, make_db, sha_of, work

from postil.store.db import open_db, write
from postil.store.exchange import merge
from postil.store.highlights import create_highlight
from postil.store.link_targets import NEAR_CHARS, link_targets

FAR = "x" * (NEAR_CHARS + 100)
TEXT = f"Remission was high at six weeks.\n\nRelapse was common.\n\n{FAR}\n\nA six month follow-up."
OTHER = "Amygdala reactivity fell in the sample.\n\nThe sample was small."


@pytest.fixture
def world(tmp_path):
    db = open_db(tmp_path / "p.db")
    a = add_text_source(db, TEXT, "Psychedelic therapy", "/a.txt").id
    b = add_text_source(db, OTHER, "Amygdala study", "/b.txt").id

    def mark(source_id, text, quote, stamp, **kw):
        h = create_highlight(db, source_id, text.index(quote), text.index(quote) + len(quote), **kw)
        with write(db):
            db.execute("UPDATE highlights SET created_at = ? WHERE id = ?", [stamp, h.id])
        return h.id

    ids = {
        "remission": mark(a, TEXT, "Remission was high at six weeks.", "2026-01-01"),
        "relapse": mark(a, TEXT, "Relapse was common.", "2026-01-02", tags=["caveat"]),
        "follow": mark(a, TEXT, "A six month follow-up.", "2026-01-05"),
        "reactivity": mark(b, OTHER, "Amygdala reactivity fell", "2026-01-03", tags=["mechanism"]),
        "small": mark(b, OTHER, "The sample was small.", "2026-01-04", note="only six people"),
    }
    return db, ids


def shown(db, from_id, query=""):
    return [h.id for h, _title in link_targets(db, from_id, query)]


def test_nothing_typed_near_ones_first_then_newest_and_never_the_origin(world):
    db, ids = world
    assert shown(db, ids["remission"]) == [ids["relapse"], ids["follow"], ids["small"], ids["reactivity"]]


def test_every_word_must_match_quote_note_tag_or_title(world):
    db, ids = world
    assert set(shown(db, ids["remission"], "caveat")) == {ids["relapse"]}
    assert shown(db, ids["remission"], "amygdala mech") == [ids["reactivity"]]
    assert shown(db, ids["remission"], "relaps commo") == [ids["relapse"]]
    assert shown(db, ids["relapse"], "nothing-like-this") == []


def test_quotes_holding_every_word_come_before_notes_that_do(world):
    db, ids = world
    # "six" is in two quotes and one note: the quotes first (near, then newest), the note last.
    assert shown(db, ids["relapse"], "six") == [ids["remission"], ids["follow"], ids["small"]]


def test_a_typo_finds_the_word_it_was_meant_to_be(world):
    db, ids = world
    assert shown(db, ids["remission"], "reactivty") == [ids["reactivity"]]
    titles = [title for _h, title in link_targets(db, ids["remission"], "reactivty")]
    assert titles == ["Amygdala study"]


def test_a_page_costs_the_same_at_110_or_1010_highlights(tmp_path):
    # Nothing typed, a tag on every highlight, a word in one quote. (A word in most quotes
    # costs a pass over its entries in the search index, as in store.search.)
    costs = []
    for n in (110, 1010):
        db, text, _ = make_db(tmp_path, f"db-{n}.db")
        merge(db, incoming(text, sha_of(db), 0, n))
        origin = db.execute("SELECT id FROM highlights ORDER BY pk LIMIT 1").fetchone()[0]
        costs.append([work(db, lambda db=db, q=q, origin=origin: link_targets(db, origin, q, limit=20))[0]
                      for q in ("", "caveat", "99")])
    for small, big in zip(*costs):
        assert big <= small * 1.5, costs
