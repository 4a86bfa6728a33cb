"""The overview: counts per tag and source, coverage, and balance warnings with their queries."""

from __future__ import annotations

import random

import pytest
from screen_host import add_text
from search_fixture import build

from postil.store.db import open_db, write
from postil.store.overview import Overview, overview
from postil.store.search import count, search


@pytest.fixture
def fx(tmp_path):
    return build(tmp_path / "postil.db")


def test_counts_per_tag_and_source(fx):
    ov = overview(fx.db)
    assert ov.total == 10
    assert ov.tags == ["mechanism", "outcome", "caveat", "anecdote", "durability"]
    assert ov.count("outcome", 1) == 2
    assert ov.count("anecdote", 3) == 2
    assert ov.count("caveat", 3) == 0
    assert ov.tag_total("mechanism") == 3
    # each cell's query finds what the cell counts
    for (tag, source_id), n in ov.counts.items():
        assert count(fx.db, Overview.cell_query(tag, source_id)) == n


def test_sources_in_title_order_with_share_of_text_highlighted(fx):
    ov = overview(fx.db)
    assert [s.id for s in ov.sources] == [2, 4, 3, 1]
    therapy = next(s for s in ov.sources if s.id == 1)
    assert therapy.chars == len(fx.texts[1])
    assert therapy.highlight_count == 4
    assert therapy.highlighted_chars == 39 + 40 + 43 + 62
    forum = next(s for s in ov.sources if s.id == 3)
    # the orphaned highlight (f2) no longer covers any text
    assert forum.highlighted_chars == len("I felt my brain rewire itself, it's neuroplasticity.") + len(
        "Psilocybin regrows dendrites."
    )
    empty = next(s for s in ov.sources if s.id == 4)
    assert empty.share == 0.0


def test_overlapping_highlights_count_once(fx):
    with write(fx.db):
        fx.db.execute(
            'INSERT INTO highlights (id, source_id, start, "end", quote, created_at, updated_at) '
            "VALUES ('over', 1, 20, 60, 'x', '2026-11-01', '2026-11-01')"
        )
    therapy = next(s for s in overview(fx.db).sources if s.id == 1)
    # 15..54 is t1 and 56..96 is t2; 20..60 adds only the gap 54..56
    assert therapy.highlighted_chars == 39 + 40 + 43 + 62 + 2
    assert 0 < therapy.share <= 1


def test_warnings_and_that_each_query_finds_what_it_says(fx):
    ov = overview(fx.db)
    got = {w.message: sorted(fx.names(search(fx.db, w.query))) for w in ov.warnings}
    assert got == {
        "Forum thread: 1 outcome, 0 caveats": ["f2"],
        "mechanism supported only by anecdotes: 1 highlight (Forum thread)": ["f3"],
        "2 outcomes with contradicting evidence": ["f2", "t2"],
        "Empty source: no highlights yet": [],
        "tag 'durability' is used in only one source (Psychedelic therapy for chronic trauma)": ["t1"],
        "1 highlight without a tag": ["a3"],
        "2 highlights fuzzy or orphaned: check their place in the text": ["a3", "f2"],
    }
    assert [w.kind for w in ov.warnings] == [
        "balance", "balance", "balance", "coverage", "tags", "tags", "anchors",
    ]


def test_mechanism_with_only_anecdotes_beside_it_in_a_source(fx):
    # take the forum's outcome away: its mechanism claim now stands beside anecdotes only
    with write(fx.db):
        fx.db.execute(
            "DELETE FROM highlight_tags WHERE highlight_id = ? AND tag_id = "
            "(SELECT id FROM tags WHERE name = 'outcome')",
            [fx.ids["f2"]],
        )
    warnings = {w.message: w.query for w in overview(fx.db).warnings}
    query = warnings["Forum thread: 1 mechanism claim beside only anecdotes (2), 0 outcomes"]
    assert sorted(fx.names(search(fx.db, query))) == ["f1", "f2", "f3"]
    assert "Forum thread: 1 outcome, 0 caveats" not in warnings


def test_a_second_non_anecdote_supporter_clears_the_anecdote_warning(fx):
    with write(fx.db):
        fx.db.execute(
            "INSERT INTO links (id, from_id, to_id, relation, created_at) "
            "VALUES ('extra', ?, ?, 'supports', '2026-12-01')",
            [fx.ids["a1"], fx.ids["f3"]],
        )
    messages = [w.message for w in overview(fx.db).warnings]
    assert not any("supported only by anecdotes" in m for m in messages)


def test_long_titles_are_shortened_in_messages(fx):
    with write(fx.db):
        fx.db.execute("UPDATE sources SET title = ? WHERE id = 3", ["psychedelic-therapy " * 5])
    messages = [w.message for w in overview(fx.db).warnings]
    assert "psychedelic-therapy psychedelic-therapy…: 1 outcome, 0 caveats" in messages


def test_rules_about_renamed_default_tags_are_skipped(fx):
    with write(fx.db):
        fx.db.execute("UPDATE tags SET name = 'limitation' WHERE name = 'caveat'")
    ov = overview(fx.db)
    assert ov.tags == ["mechanism", "outcome", "anecdote", "limitation", "durability"]
    assert not any("caveats" in w.message for w in ov.warnings)


def test_empty_database(tmp_path):
    db = open_db(tmp_path / "empty.db")
    ov = overview(db)
    assert ov.sources == [] and ov.counts == {} and ov.total == 0
    assert ov.tags == ["mechanism", "outcome", "caveat", "anecdote"]
    assert ov.warnings == []


def test_cell_queries():
    assert Overview.cell_query("caveat", 3) == "source:3 tag:caveat"
    assert Overview.cell_query("my tag", None) == 'tag:"my tag"'
    assert Overview.cell_query(None, 2) == "source:2"


def test_unread_sources_make_one_warning_not_one_each(fx):
    """A library of unread sources (the welcome guide among them) must not flood the warnings."""
    for title in ("Unread A", "Unread B", "Unread C"):
        add_text(fx.db, title, f"{title}\n\nSome text.")
    coverage = [w for w in overview(fx.db).warnings if w.kind == "coverage"]
    assert [w.message for w in coverage] == ["4 sources with no highlights yet: Empty source; Unread A; Unread B; Unread C"]
    assert coverage[0].query == "source:4,5,6,7"


def test_coverage_is_the_union_of_the_ranges_within_the_text(tmp_path):
    """Coverage is one SQL statement a source (it was a Python walk over every highlight):
    checked against the characters covered, one by one, over random ranges that overlap,
    share starts, are empty, run past the end of the text or are orphaned."""
    rng = random.Random(15)
    db = open_db(tmp_path / "ranges.db")
    texts = {add_text(db, f"Source {i}", "x" * length): length for i, length in enumerate((0, 1, 57, 400))}
    rows = []
    for source_id, length in texts.items():
        for n in range(rng.randrange(0, 60)):
            start = rng.randrange(0, length + 20)
            end = start + rng.choice([0, 1, rng.randrange(0, 80)])
            status = rng.choice(["anchored", "anchored", "moved", "fuzzy", "orphaned"])
            rows.append((f"{source_id}-{n}", source_id, start, end, status))
    with write(db):
        db.executemany(
            'INSERT INTO highlights (id, source_id, start, "end", quote, created_at, updated_at, anchor_status) '
            "VALUES (?, ?, ?, ?, 'x', '2026-11-01', '2026-11-01', ?)", rows)
    by_id = {s.id: s for s in overview(db).sources}
    for source_id, length in texts.items():
        covered = {c for _, sid, start, end, status in rows if sid == source_id and status != "orphaned"
                   for c in range(start, min(end, length))}
        assert by_id[source_id].highlighted_chars == len(covered)
        assert by_id[source_id].highlight_count == sum(1 for row in rows if row[1] == source_id)
