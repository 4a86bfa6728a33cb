"""Claims: clusters of linked highlights and the per-relation source counts."""

import pytest
from search_fixture import build

from postil.store import highlights, links, tags
from postil.store.claim_pages import ClaimCounts, claim_counts, claim_index, claim_page, claim_page_before
from postil.store.claims import claims, clusters
from postil.store.reviewers import BlindView


def test_fixture_graph_gives_three_clusters_largest_first(tmp_path):
    fx = build(tmp_path / "claims.db")
    found = clusters(fx.db)
    assert [sorted(fx.names(c.highlights)) for c in found] == [
        ["a1", "a2", "t4"],  # 3 highlights
        ["f2", "t2"],  # 2 highlights over 2 sources
        ["f1", "f3"],  # 2 highlights in 1 source
    ]
    first, conflict, forum = found
    assert (first.supports, first.qualifies, first.contradicts) == (1, 1, 0)
    assert [title for _, title in first.sources] == [
        "Amygdala and emotional response", "Psychedelic therapy for chronic trauma",
    ]
    assert (conflict.supports, conflict.contradicts, conflict.qualifies) == (0, 1, 0)
    assert forum.counts["supports"] == 1 and forum.counts["see-also"] == 0


def test_two_clusters_with_a_contradiction_count_distinct_sources(tmp_path):
    fx = build(tmp_path / "claims.db")
    ids = fx.ids
    # Join the forum pair to the therapy/amygdala cluster: f3 (forum) supports t4 (therapy).
    links.create_link(fx.db, ids["f3"], ids["t4"], relation="supports")
    # A second amygdala highlight supporting t4 adds no new source to "supports".
    links.create_link(fx.db, ids["a2"], ids["t4"], relation="supports")
    # t1 (therapy) contradicts a1 (amygdala).
    links.create_link(fx.db, ids["t1"], ids["a1"], relation="contradicts")
    big, small = clusters(fx.db)
    assert sorted(fx.names(big.highlights)) == ["a1", "a2", "f1", "f3", "t1", "t4"]
    # supports: a1 (amygdala), f1 and f3 (forum), a2 (amygdala) -> 2 sources
    assert big.supports == 2
    assert big.contradicts == 1  # t1, therapy
    assert big.qualifies == 1  # a2, amygdala
    assert big.link_count == 6
    assert len(big.sources) == 3
    assert sorted(fx.names(small.highlights)) == ["f2", "t2"]
    assert small.contradicts == 1 and small.supports == 0


def test_no_links_no_clusters_and_deleted_link_splits(tmp_path):
    fx = build(tmp_path / "claims.db")
    for link in links.list_links(fx.db):
        links.delete_link(fx.db, link.id)
    assert clusters(fx.db) == []
    links.create_link(fx.db, fx.ids["t1"], fx.ids["t2"])
    (only,) = clusters(fx.db)
    assert only.counts["see-also"] == 1 and only.highlights[0].tags == ["outcome", "durability"]


def test_every_claim_with_its_links_and_the_unlinked_flagged(tmp_path):
    """Claims are the outcome and mechanism highlights, linked or not, in source order."""
    fx = build(tmp_path / "claims.db")
    found = claims(fx.db)
    assert [fx.names([c.highlight])[0] for c in found] == ["a1", "f2", "f3", "t1", "t2", "t4"]
    by_name = {fx.names([c.highlight])[0]: c for c in found}
    a1 = by_name["a1"]
    assert [(l.relation, l.outgoing, fx.names([l.other])[0], l.other.source_title) for l in a1.links] == [
        ("qualifies", False, "a2", "Amygdala and emotional response"),
        ("supports", True, "t4", "Psychedelic therapy for chronic trauma"),
    ]
    assert a1.has_caveat and by_name["f2"].has_caveat and by_name["t2"].has_caveat
    assert by_name["t1"].links == [] and not by_name["t1"].has_caveat
    assert by_name["f3"].links and not by_name["f3"].has_caveat  # supported, never qualified
    links.create_link(fx.db, fx.ids["a2"], fx.ids["t1"], relation="see-also")  # a2 is tagged caveat
    assert {fx.names([c.highlight])[0]: c for c in claims(fx.db)}["t1"].has_caveat


def every_page(db, limit, view=None):
    """claim_page after claim_page, to the end, with the cursor each returned."""
    found, after = [], None
    while True:
        page = claim_page(db, after, limit, view=view)
        found += page.claims
        if page.next is None:
            return found
        after = page.next


def every_page_before(db, limit, view=None):
    """claim_page_before from the end, page by page to the first claim, in list order."""
    found, before = [], None
    while True:
        page = claim_page_before(db, before, limit, view=view)
        found = page.claims + found
        if page.previous is None:
            return found
        before = page.previous


def counted(found):
    return ClaimCounts(len(found), sum(1 for c in found if not c.links),
                       sum(1 for c in found if c.links and not c.has_caveat))


VIEWS = {
    "all": None,
    "ana blind": BlindView("ana", True),
    "ben blind, forum done": BlindView("ben", True, {3}),
}


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS)
@pytest.mark.parametrize("limit", [1, 2, 5, 100])
def test_pages_put_together_are_the_claims_and_the_counts_count_them(tmp_path, view, limit):
    """The claims view reads pages and counts instead of every claim: what it shows is the same."""
    fx = build(tmp_path / "claims.db")
    # A claim only linked to (no claim tag), a second source with the same title (ties go by
    # id), two claims at one position (ties go by highlight id), and an upper-case "Caveat"
    # tag, which has_caveat does not take for "caveat".
    fx.db.execute("UPDATE sources SET title = 'Forum thread' WHERE id = 4")
    f4 = highlights.create_highlight(fx.db, 4, 0, 5, tags=["mechanism"], author="ana")
    f5 = highlights.create_highlight(fx.db, 4, 0, 5, tags=["outcome"], author="ben")
    tags.create_tag(fx.db, "Caveats")
    links.create_link(fx.db, fx.ids["t3"], fx.ids["t1"], relation="see-also")
    links.create_link(fx.db, f5.id, f4.id, relation="elaborates")
    # A blank note (to Python's strip, not SQL's trim) takes no row under its claim.
    fx.db.execute("UPDATE highlights SET note = ? WHERE id = ?", [" \u2003\n", fx.ids["t1"]])
    whole = claims(fx.db, view=view)
    assert every_page(fx.db, limit, view) == whole
    assert every_page_before(fx.db, limit, view) == whole
    assert claim_counts(fx.db, view=view) == counted(whole)
    # The index: each claim's place and rows (itself, its note unless blank, its links), and
    # from any place's cursor the pages either side carry on from there.
    index = claim_index(fx.db, view=view)
    assert [key[3] for key in index.keys] == [c.highlight.id for c in whole]
    rows = [1 + bool(c.highlight.note.strip()) + len(c.links) for c in whole]
    assert [b - a for a, b in zip(index.starts, index.starts[1:])] == rows and index.rows == sum(rows)
    assert index.counts == counted(whole)
    for place in range(len(whole)):
        assert claim_page(fx.db, index.cursor(place), limit, view=view).claims == whole[place + 1:place + 1 + limit]
        assert claim_page_before(fx.db, index.cursor(place), limit, view=view).claims == whole[max(0, place - limit):place]
        assert index.claim_at(index.starts[place] + rows[place] - 1) == place
    assert fx.ids["t3"] not in {c.highlight.id for c in whole}  # t3 links to t1; nothing links to t3


def test_the_counts_take_caveat_by_its_exact_name(tmp_path):
    """has_caveat compares tag names exactly; SQL compares them without case."""
    fx = build(tmp_path / "claims.db")
    links.create_link(fx.db, fx.ids["a2"], fx.ids["t1"], relation="see-also")  # a2 is tagged caveat
    assert claim_counts(fx.db).uncaveated == counted(claims(fx.db)).uncaveated == 2
    fx.db.execute("UPDATE tags SET name = 'Caveat' WHERE name = 'caveat'")
    assert claim_counts(fx.db).uncaveated == counted(claims(fx.db)).uncaveated == 3
