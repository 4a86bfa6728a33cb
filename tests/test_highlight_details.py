"""A source's highlights come with the same tags and link counts however they are read."""

from __future__ import annotations

from app_support import add_text
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store.db import open_db
from postil.store.sources import source_text

TAGS = ["mechanism", "outcome", "caveat", "anecdote", "durability"]
TEXT = "\n\n".join(f"Paragraph {i} says something worth marking about outcomes." for i in range(12))


@settings(max_examples=25, deadline=None)
@given(
    marks=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 11), st.sets(st.sampled_from(TAGS), max_size=3)),
                   min_size=1, max_size=10),
    link_pairs=st.sets(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=8),
)
def test_a_sources_highlights_read_through_the_source_match_those_read_by_id(tmp_path_factory, marks, link_pairs):
    """highlights_for_source finds tags and link counts through the source (one join each);
    get_highlights finds them by id. Links run within and across the two sources."""
    db = open_db(tmp_path_factory.mktemp("details") / "p.db")
    sources = [add_text(db, TEXT, "a.txt"), add_text(db, TEXT.replace("Paragraph", "Section"), "b.txt")]
    made = []
    for which, paragraph, tags in marks:
        start = source_text(db, sources[which]).index(f" {paragraph} says") + 1
        made.append(store_highlights.create_highlight(db, sources[which], start, start + 8, tags=sorted(tags)))
    links = [(a, b) for a, b in link_pairs if a < len(made) and b < len(made) and a != b]
    for a, b in links:
        store_links.create_link(db, made[a].id, made[b].id)
    read = []
    for source_id in sources:
        through_source = store_highlights.highlights_for_source(db, source_id)
        by_id = {h.id: h for h in store_highlights.get_highlights(db, [h.id for h in through_source])}
        assert [(h.id, h.tags, h.link_count) for h in through_source] == [
            (h.id, by_id[h.id].tags, by_id[h.id].link_count) for h in through_source
        ]
        read += through_source
    assert sorted(h.id for h in read) == sorted(h.id for h in made)
    assert sum(h.link_count for h in read) == 2 * len(links)  # each link counts at both ends
    assert {h.id: sorted(h.tags) for h in read} == {h.id: sorted(h.tags) for h in made}
    db.close()
