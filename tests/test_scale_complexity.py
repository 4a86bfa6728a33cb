"""How the work grows with the database, counted, not timed (issue 15).

SQLite's progress handler is called once per virtual-machine instruction, so the number of
calls is the work a statement does: a query that counts every tagging costs more steps as
highlights are added, a lookup by key does not. Speeds themselves live in bench/bench_scale.py.
"""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from export_fixtures import add_text_source
from overview_gate import gate_the_worker
from screen_host import Host, drawn, until

from postil.store.claim_pages import ClaimCursor, claim_counts, claim_page, claim_page_before
from postil.store.claims import claims
from postil.store.db import open_db
from postil.store.exchange import Incoming, IncomingLink, merge
from postil.store.highlights import (
    add_tag,
    create_highlight,
    delete_highlight,
    highlights_for_source,
    remove_tag,
    toggle_tag,
)
from postil.store.links import create_link
from postil.store.overview import outline, overview
from postil.store.reanchor import fuzzy_highlights, orphans, unanchored
from postil.store.reviewers import authors
from postil.store.search import count, search
from postil.store.tags import counts_per_source, find_tag, tag_counts_by_source
from postil.tui.screens.overview import OverviewScreen


def sentences(n: int) -> list[str]:
    return [f"Sentence number {i} says something about dose {i * 7}." for i in range(n)]


def make_db(tmp_path, name: str, n_sentences: int = 1200) -> tuple[sqlite3.Connection, str, int]:
    db = open_db(tmp_path / name)
    text = "\n\n".join(sentences(n_sentences))
    source = add_text_source(db, text, "Trial", "/trial.txt")
    return db, text, source.id


def incoming(text: str, sha: str, first: int, n: int, tag: str = "imported") -> list[Incoming]:
    """`n` annotations of consecutive sentences, each tagged and linked to the one before."""
    out: list[Incoming] = []
    for i in range(first, first + n):
        quote = sentences(i + 1)[i]
        start = text.index(quote)
        hid = str(uuid.UUID(int=i + 1))
        links = [IncomingLink(str(uuid.UUID(int=10**9 + i)), out[-1].id, "supports")] if out else []
        out.append(Incoming(hid, sha, "/trial.txt", start, start + len(quote), quote,
                            tags=["caveat", tag], links=links, created_at="2026-01-01T00:00:00.000Z"))
    return out


class Cost:
    """Counts the virtual-machine steps and SQL statements a connection runs between
    `start` and `stop`."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.steps = self.statements = 0

    def _step(self) -> int:
        self.steps += 1
        return 0

    def _statement(self, sql: str) -> None:
        # Statements a virtual table runs for itself ("-- ..."): FTS5 merges its index
        # segments now and then, whatever the caller does.
        if not sql.startswith("--"):
            self.statements += 1

    def start(self) -> Cost:
        self.db.set_progress_handler(self._step, 1)
        self.db.set_trace_callback(self._statement)
        return self

    def stop(self) -> tuple[int, int]:
        self.db.set_progress_handler(None, 1)
        self.db.set_trace_callback(None)
        return self.steps, self.statements


def work(db: sqlite3.Connection, action) -> tuple[int, int]:
    """(virtual-machine steps, SQL statements) that `action()` costs."""
    cost = Cost(db).start()
    try:
        action()
    finally:
        cost.stop()
    return cost.steps, cost.statements


def sha_of(db: sqlite3.Connection) -> str:
    return db.execute("SELECT sha256 FROM sources").fetchone()[0]


def beside_10_and_1010(tmp_path, name: str):
    """(n, db) for two databases alike but for n = 10 or 1,010 highlights in their first
    source, each tagged and linked to the one before (`incoming`)."""
    for n in (10, 1010):
        db, text, _ = make_db(tmp_path, f"{name}-{n}.db")
        merge(db, incoming(text, sha_of(db), 0, n))
        yield n, db


def assert_same_cost(costs: list[tuple[int, int]]) -> None:
    """The same statements, and the same SQLite steps give or take a little, at both sizes."""
    assert costs[1][1] == costs[0][1]
    assert costs[1][0] <= costs[0][0] * 1.05 + 20


def test_importing_annotations_costs_the_same_whatever_the_database_holds(tmp_path):
    empty, text, _ = make_db(tmp_path, "empty.db")
    full, _, _ = make_db(tmp_path, "full.db")
    sha = sha_of(empty)
    merge(full, incoming(text, sha, 0, 1000, tag="earlier"))
    batch = incoming(text, sha, 1000, 50)
    into_empty = work(empty, lambda: merge(empty, batch))
    into_full = work(full, lambda: merge(full, batch))
    # Same statements (but FTS5 reading its settings on a connection's first use). Steps:
    # FTS5 merging its index segments costs a little more in the fuller index (~12%); counting
    # every tagging per annotation, as before issue 15, cost 12 times as many.
    assert abs(into_full[1] - into_empty[1]) <= 2
    assert into_full[0] <= into_empty[0] * 1.25


def test_statements_of_an_import_grow_linearly(tmp_path):
    counts = []
    for n in (50, 100, 200):
        db, text, _ = make_db(tmp_path, f"db-{n}.db")
        batch = incoming(text, sha_of(db), 0, n)
        counts.append(work(db, lambda db=db, batch=batch: merge(db, batch))[1])
        assert len(db.execute("SELECT id FROM highlights").fetchall()) == n
    per_50 = counts[1] - counts[0]
    assert counts[2] - counts[1] == 2 * per_50


@pytest.fixture(scope="module")
def small_and_big(tmp_path_factory):
    """Two databases alike but for the number of highlights: 10 and 1,010."""
    folder = tmp_path_factory.mktemp("one-item")
    small, text, _ = make_db(folder, "small.db")
    big, _, _ = make_db(folder, "big.db")
    for db in (small, big):
        merge(db, incoming(text, sha_of(db), 0, 10))
    merge(big, incoming(text, sha_of(big), 10, 1000, tag="bulk"))
    return small, big


ONE_ITEM = {
    "find_tag": lambda db, hid, sid: find_tag(db, "caveat"),
    "add_tag": lambda db, hid, sid: add_tag(db, hid, "outcome"),
    "remove_tag": lambda db, hid, sid: remove_tag(db, hid, "outcome"),
    "toggle_tag": lambda db, hid, sid: toggle_tag(db, hid, "mechanism"),
    "create and delete": lambda db, hid, sid: delete_highlight(
        db, create_highlight(db, sid, 0, 8, tags=["caveat", "new one"]).id),
}


@pytest.mark.parametrize("name", ONE_ITEM)
def test_one_highlight_or_tag_costs_the_same_at_10_or_1010_highlights(small_and_big, name):
    small, big = small_and_big
    hid = str(uuid.UUID(int=5))
    costs = [work(db, lambda db=db: ONE_ITEM[name](db, hid, 1)) for db in (small, big)]
    assert_same_cost(costs)


def test_the_claims_view_reads_its_claims_in_the_same_statements_at_10_or_1010(small_and_big):
    # Every highlight supports the one before it: each is a claim (a link's TO end) but the last.
    small, big = small_and_big
    costs = [work(db, lambda db=db: claims(db))[1] for db in (small, big)]
    assert costs[1] == costs[0]
    found = claims(big)
    ids = {claim.highlight.id for claim in found}
    assert len(ids) >= 1000
    # Each link is listed once under each end that is a claim (lists of 500 ids read some twice).
    seen = [(claim.highlight.id, link.other.id, link.outgoing) for claim in found for link in claim.links]
    expected = set()
    for from_id, to_id in big.execute("SELECT from_id, to_id FROM links"):
        expected |= {(to_id, from_id, False)} if to_id in ids else set()
        expected |= {(from_id, to_id, True)} if from_id in ids else set()
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_the_claims_views_first_page_costs_the_same_at_10_or_1010_claims(small_and_big):
    # The view opened by reading every claim with its links: 1.3 s of its 2.7 s at 100,000
    # highlights. Its first page walks the first claims by position and stops.
    small, big = small_and_big
    first = [work(db, lambda db=db: claim_page(db, None, 8)) for db in (small, big)]
    assert first[1][1] == first[0][1]
    assert first[1][0] <= first[0][0] * 1.05 + 20
    page, everything = claim_page(big, None, 8), claims(big)
    assert [c.highlight.id for c in page.claims] == [c.highlight.id for c in everything[:8]]
    # A page 800 claims in costs what the second does: it starts at a cursor, not an offset.
    deep = claim_page(big, ClaimCursor("trial", 1, everything[799].highlight.start, everything[799].highlight.id), 8)
    assert [c.highlight.id for c in deep.claims] == [c.highlight.id for c in everything[800:808]]
    later = [work(big, lambda after=after: claim_page(big, after, 8)) for after in (page.next, deep.next)]
    assert later[1][1] == later[0][1] and later[1][0] <= later[0][0] * 1.05 + 20
    # `end` reads the last page from the end: it costs what the first does, not the list.
    last = [work(db, lambda db=db: claim_page_before(db, None, 8)) for db in (small, big)]
    assert last[1][1] == last[0][1] and last[1][0] <= last[0][0] * 1.05 + 20
    assert [c.highlight.id for c in claim_page_before(big, None, 8).claims] == [c.highlight.id for c in everything[-8:]]
    at = [ClaimCursor("trial", 1, everything[k].highlight.start, everything[k].highlight.id) for k in (20, 900)]
    before = [work(big, lambda after=after: claim_page_before(big, after, 8)) for after in at]
    assert before[1][1] == before[0][1] and before[1][0] <= before[0][0] * 1.05 + 20
    # The title's counts read every link and claim tagging once: the same statements.
    counts = [work(db, lambda db=db: claim_counts(db))[1] for db in (small, big)]
    assert counts[1] == counts[0]


def test_the_orphans_view_reads_the_same_whatever_the_anchored_highlights_number(tmp_path):
    # Orphans and fuzzy matches are few: finding them read every highlight's status (two
    # scans of 100,000 rows, ~55 ms of the orphans view's 187 ms).
    costs, found = [], []
    for _n, db in beside_10_and_1010(tmp_path, "unsure"):
        first = [str(uuid.UUID(int=i + 1)) for i in range(5)]
        db.executemany("UPDATE highlights SET anchor_status = ? WHERE id = ?",
                       [("orphaned" if i < 3 else "fuzzy", hid) for i, hid in enumerate(first)])
        costs.append(work(db, lambda db=db: (orphans(db), fuzzy_highlights(db))))
        found.append(([h.id for h in orphans(db)], [h.id for h in fuzzy_highlights(db)]))
        # The view's rows (no tags or link counts) are the same highlights in the same order.
        assert ([h.id for h in unanchored(db, "orphaned")], [h.id for h in unanchored(db, "fuzzy")]) == found[-1]
        costs.append(work(db, lambda db=db: (unanchored(db, "orphaned"), unanchored(db, "fuzzy"))))
    assert found[0] == found[1] == (first[:3], first[3:])
    for small, big in (costs[0:3:2], costs[1:4:2]):
        assert big[1] == small[1] and big[0] <= small[0] * 1.05 + 20
    assert costs[1][1] < costs[0][1]  # the view's rows read no tags and no links: fewer statements


def test_the_tags_screen_counts_the_sources_in_view_whatever_the_others_hold(tmp_path):
    # The tags screen read every tag's count in every source (~300 ms at 100,000): it now
    # reads the sources in view, as they come into view.
    costs, found = [], []
    for _n, db in beside_10_and_1010(tmp_path, "others"):
        small = add_text_source(db, "A short one. Two sentences.", "Short", "/short.txt").id
        create_highlight(db, small, 0, 12, tags=["caveat", "outcome"])
        create_highlight(db, small, 13, 27, tags=["caveat"])
        costs.append(work(db, lambda db=db, small=small: counts_per_source(db, [small])))
        caveat = find_tag(db, "caveat").id
        found.append((counts_per_source(db, [small]), tag_counts_by_source(db, caveat)[small]))
        # The same numbers as every source's counts, and as the join it replaced.
        everything = counts_per_source(db)
        assert everything == dict(((t, s), c) for t, s, c in db.execute(
            "SELECT ht.tag_id, h.source_id, count(*) FROM highlight_tags ht "
            "JOIN highlights h ON h.id = ht.highlight_id GROUP BY ht.tag_id, h.source_id"))
        assert {k: v for k, v in everything.items() if k[1] == small} == found[-1][0]
        assert tag_counts_by_source(db, caveat) == {s: c for (t, s), c in everything.items() if t == caveat}
    assert found[0] == found[1] and found[0][1] == 2
    assert_same_cost(costs)


def test_the_overview_paints_from_an_outline_that_costs_the_same_at_10_or_1010_highlights(tmp_path):
    # The overview screen read every figure before its first paint (~400 ms at 100,000
    # highlights); it now paints the outline (titles, tags, the total) and a worker, on its
    # own connection, reads the counts, coverage and warnings.
    costs, outlines = [], []
    for n, db in beside_10_and_1010(tmp_path, "outline"):
        costs.append(work(db, lambda db=db: outline(db)))
        outlines.append(outline(db))
        assert overview(db).total == outlines[-1].total == n
    assert [s.title for s in outlines[0].sources] == [s.title for s in outlines[1].sources] == ["Trial"]
    assert costs[1] == costs[0]


async def test_the_overview_screen_reads_the_same_before_its_first_paint_at_10_or_1010(tmp_path, monkeypatch):
    # What the screen's own connection runs from the key to its first paint; the figures are
    # read by the worker on another connection (held at a gate here, then let go).
    gate = gate_the_worker(monkeypatch)
    costs = []
    for n, db in beside_10_and_1010(tmp_path, "screen"):
        gate.clear()
        app = Host(OverviewScreen(db))
        cost = Cost(db).start()
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            costs.append(cost.stop())
            assert f"{n} highlights in 1 source" in drawn(app)
            gate.set()
            await until(pilot, lambda app=app: app.screen.data.complete)
            assert app.screen.data == overview(db)
    assert costs[1] == costs[0] and costs[0][1] > 0


def test_counting_the_unsure_highlights_costs_the_same_whatever_the_anchored_ones_number(tmp_path):
    # The overview's "fuzzy or orphaned" warning counts `status:fuzzy,orphaned`: compiled
    # with bound values, SQLite could not use the partial indexes and read every status.
    costs, found = [], []
    for n, db in beside_10_and_1010(tmp_path, "status"):
        first = [str(uuid.UUID(int=i + 1)) for i in range(5)]
        db.executemany("UPDATE highlights SET anchor_status = ? WHERE id = ?",
                       [("orphaned" if i < 3 else "fuzzy", hid) for i, hid in enumerate(first)])
        costs.append(work(db, lambda db=db: count(db, "status:fuzzy,orphaned")))
        found.append((count(db, "status:fuzzy,orphaned"), sorted(h.id for h in search(db, "status:orphaned"))))
        assert count(db, "-status:fuzzy,orphaned") == n - 5
    assert found[0] == found[1] == (5, first[:3])
    assert_same_cost(costs)


def test_opening_a_source_reads_its_own_links_whatever_the_others_hold(tmp_path):
    # Its link counts were read by walking every link in the database (20-30 ms at 100,000
    # highlights and 20,000 links, for a source of 500), and its authors by reading every
    # highlight's: both now cost what the source holds.
    costs, found = [], []
    for _n, db in beside_10_and_1010(tmp_path, "links"):  # each linked to the one before
        small = add_text_source(db, "A short one. Two sentences.", "Short", "/short.txt").id
        a = create_highlight(db, small, 0, 12, author="ann")
        b = create_highlight(db, small, 13, 27, author="bo")
        create_link(db, a.id, b.id)
        create_link(db, b.id, str(uuid.UUID(int=3)))  # into the big source
        costs.append(work(db, lambda db=db, small=small: (highlights_for_source(db, small), authors(db))))
        found.append(([(h.quote, h.link_count) for h in highlights_for_source(db, small)], authors(db)))
        big = highlights_for_source(db, 1)  # many links: read by its highlights or by the links, the same
        assert [h.link_count for h in big[:4]] == [1, 2, 3, 2] and big[-1].link_count == 1  # 3: and from b
        truth = dict(db.execute("SELECT h.id, (SELECT count(*) FROM links l WHERE l.from_id = h.id) + "
                                "(SELECT count(*) FROM links l WHERE l.to_id = h.id) FROM highlights h"))
        assert {h.id: h.link_count for h in big} == {h: c for h, c in truth.items() if h in {x.id for x in big}}
        # Fewer links than the source's highlights: read from the links, with the same counts.
        with db:
            db.execute("DELETE FROM links WHERE rowid > 3")
        few = {h.id: h.link_count for h in highlights_for_source(db, 1)}
        assert sum(few.values()) == 6 and few[str(uuid.UUID(int=2))] == 2  # links 1-2, 2-3, 3-4
    assert found[0] == found[1] == ([("A short one.", 1), ("Two sentences.", 2)], ["", "ann", "bo"])
    assert_same_cost(costs)
