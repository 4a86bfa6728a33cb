"""The claims view's list (`store.claims.claims`) a page at a time, from either end, and its shape.

The view shows a screenful of a list that holds 56,000 claims at 100,000 highlights, so it
never reads the list whole (1.3 s with their links):
- `claim_page` reads the claims after a cursor, `claim_page_before` those before one (None:
  the list's end), so the first page, the last and the one before any page each cost one
  page, however long the list.
- `claim_counts` counts claims, unlinked and uncaveated for the view's title (~85 ms).
- `claim_index` is the list's shape without its content: each claim's place in the order
  and how many rows (the claim, its note, its links) it takes, so the view can size its
  scrollbar from the whole list and turn any row into the cursor of a page (~250 ms; the
  view reads it in a worker thread).
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

from postil.store.claims import CAVEAT_RELATIONS, CAVEAT_TAG, CLAIM_TAGS, Claim, assemble_claims
from postil.store.reviewers import BlindView

END = (1 << 62, "")
"""Past every (start, id) of a source: a page before it starts from the source's last claim."""


@dataclass(frozen=True)
class ClaimCursor:
    """A claim's place in the claims' order: where a page after (or before) it starts."""

    title_key: str
    """The source's title, casefolded (claims are in source-title order)."""
    source_id: int
    start: int
    id: str


@dataclass
class ClaimPage:
    """Some claims, in the order `claims` lists them, and where the pages beside them start."""

    claims: list[Claim]
    next: ClaimCursor | None
    """None: no claim comes after these."""
    previous: ClaimCursor | None = None
    """None: no claim comes before these (or, for a page after a cursor, it was the first page)."""


@dataclass
class ClaimCounts:
    """What the claims view's title line says of every claim."""

    claims: int
    unlinked: int
    """Claims with no link (that the view shows)."""
    uncaveated: int
    """Claims with links but no caveat among them (`Claim.has_caveat`)."""


def cursor_of(claim: Claim) -> ClaimCursor:
    h = claim.highlight
    return ClaimCursor(h.source_title.casefold(), h.source_id, h.start, h.id)


def claim_page(db: sqlite3.Connection, after: ClaimCursor | None = None, limit: int = 100,
               tags: tuple[str, ...] = CLAIM_TAGS, *, view: BlindView | None = None) -> ClaimPage:
    """The next `limit` claims after `after` (from the first when None), exactly as `claims`
    lists them: the claims view reads a screenful at a time instead of all of them (reading
    all 56,000 claims of 100,000 highlights with their links took 1.3 s).

    Source by source in title order, walking each source's highlights by position (the
    `highlights_source_start` index), so a page costs what its claims cost, however many
    come after it.
    """
    order, tag_ids = _sources(db), _tag_ids(db, tags)
    first = bisect_left(order, (after.title_key, after.source_id)) if after else 0
    ids: list[str] = []
    for place in order[first:]:
        at = (after.start, after.id) if after and place == (after.title_key, after.source_id) else (-1, "")
        ids += _ids(db, place[1], ">", at, limit - len(ids), tag_ids, view)
        if len(ids) == limit:
            break
    found = _claims(db, ids, view)
    if not found:
        return ClaimPage([], None, None)
    more = cursor_of(found[-1]) if len(ids) == limit else None
    return ClaimPage(found, more, cursor_of(found[0]) if after else None)


def claim_page_before(db: sqlite3.Connection, before: ClaimCursor | None = None, limit: int = 100,
                      tags: tuple[str, ...] = CLAIM_TAGS, *, view: BlindView | None = None) -> ClaimPage:
    """The `limit` claims just before `before` (the list's last ones when None), in the
    order `claims` lists them: `end` and scrolling up from a page cost one page.

    `claim_page` walked backwards: sources in reverse title order, each source's highlights
    by descending position.
    """
    order, tag_ids = _sources(db), _tag_ids(db, tags)
    last = bisect_right(order, (before.title_key, before.source_id)) if before else len(order)
    ids: list[str] = []
    for place in reversed(order[:last]):
        at = (before.start, before.id) if before and place == (before.title_key, before.source_id) else END
        ids += _ids(db, place[1], "<", at, limit - len(ids), tag_ids, view)
        if len(ids) == limit:
            break
    found = _claims(db, ids[::-1], view)
    if not found:
        return ClaimPage([], None, None)
    earlier = cursor_of(found[0]) if len(ids) == limit else None
    return ClaimPage(found, cursor_of(found[-1]) if before else None, earlier)


def _sources(db: sqlite3.Connection) -> list[tuple[str, int]]:
    """(casefolded title, id) of every source, in the claims' order."""
    return sorted((title.casefold(), sid) for sid, title in db.execute("SELECT id, title FROM sources"))


def _ids(db: sqlite3.Connection, source_id: int, direction: str, at: tuple[int, str], limit: int,
         tag_ids: list[int], view: BlindView | None) -> list[str]:
    """Up to `limit` claims of one source after (`>`, ascending) or before (`<`, descending) `at`."""
    own_only = view is not None and view.hides_source(source_id)
    order = "h.start, h.id" if direction == ">" else "h.start DESC, h.id DESC"
    return [row[0] for row in db.execute(
        f"""SELECT h.id FROM highlights h
            WHERE h.source_id = ? AND (h.start, h.id) {direction} (?, ?) {'AND h.author = ?' if own_only else ''}
              AND (EXISTS (SELECT 1 FROM highlight_tags WHERE highlight_id = h.id
                           AND tag_id IN ({','.join('?' * len(tag_ids))}))
                   OR EXISTS (SELECT 1 FROM links WHERE to_id = h.id))
            ORDER BY {order} LIMIT ?""",
        [source_id, *at, *([view.reviewer] if own_only else []), *tag_ids, limit],
    )]


def _claims(db: sqlite3.Connection, ids: list[str], view: BlindView | None) -> list[Claim]:
    """The claims `ids` (in that order) with their links."""
    if not ids:
        return []
    wanted = json.dumps(ids)
    rows = db.execute(
        """SELECT from_id, to_id, relation FROM links
           WHERE from_id IN (SELECT value FROM json_each(?)) OR to_id IN (SELECT value FROM json_each(?))""",
        [wanted, wanted],
    ).fetchall()
    return assemble_claims(db, ids, rows, view)


def claim_counts(db: sqlite3.Connection, tags: tuple[str, ...] = CLAIM_TAGS, *,
                 view: BlindView | None = None) -> ClaimCounts:
    """How many claims `claims` lists, how many have no links and how many no caveat, without
    building them: three plain reads (links, the claim taggings, the caveat taggings) and
    set arithmetic, ~80 ms at 100,000 highlights where SQL's joins over text ids took ~130.
    """
    return _count(*_graph(db, tags, view))


def _graph(db: sqlite3.Connection, tags: tuple[str, ...],
           view: BlindView | None) -> tuple[set[str], list[tuple[str, str, int]], set[str]]:
    """(the claims the view shows, the links it shows as (from, to, qualifying), the caveats)."""
    links = db.execute(
        f"SELECT from_id, to_id, relation IN ({','.join('?' * len(CAVEAT_RELATIONS))}) FROM links", CAVEAT_RELATIONS,
    ).fetchall()
    tag_ids = _tag_ids(db, tags)
    tagged = {row[0] for row in db.execute(
        f"SELECT highlight_id FROM highlight_tags WHERE tag_id IN ({','.join('?' * len(tag_ids))})", tag_ids)}
    # has_caveat compares the tag's name exactly, where tag names are NOCASE in SQL.
    caveat = {row[0] for row in db.execute(
        """SELECT ht.highlight_id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
           WHERE t.name = ? COLLATE BINARY""", [CAVEAT_TAG])}
    found = tagged.union(to_id for _, to_id, _ in links)
    if view is not None and view.blind:
        hidden = {row[0] for row in db.execute(
            "SELECT id FROM highlights WHERE author != ? AND source_id NOT IN (SELECT value FROM json_each(?))",
            [view.reviewer, json.dumps(sorted(view.done))])}
        found -= hidden
        links = [link for link in links if link[0] not in hidden and link[1] not in hidden]
    return found, links, caveat


def _count(found: set[str], links: list[tuple[str, str, int]], caveat: set[str]) -> ClaimCounts:
    linked: set[str] = set()
    caveated: set[str] = set()
    for from_id, to_id, qualifying in links:
        linked.add(to_id)  # a link's TO end is a claim
        if qualifying or from_id in caveat:
            caveated.add(to_id)
        if from_id in found:
            linked.add(from_id)
            if qualifying or to_id in caveat:
                caveated.add(from_id)
    return ClaimCounts(len(found), len(found) - len(linked), len(linked) - len(caveated))


@dataclass
class ClaimIndex:
    """The claims' list without its content: each claim's place and the rows it takes."""

    keys: list[tuple[str, int, int, str]]
    """(casefolded source title, source id, start, highlight id) of each claim, in list order."""
    starts: list[int]
    """The row each claim starts at (a claim, its note if it has one, then one row per link),
    and after the last, the number of rows."""
    counts: ClaimCounts

    @property
    def rows(self) -> int:
        return self.starts[-1]

    def claim_at(self, row: int) -> int:
        """The place in the list of the claim that row `row` belongs to."""
        return bisect_right(self.starts, row) - 1

    def cursor(self, place: int) -> ClaimCursor:
        """The cursor of the claim at `place`: a page after it starts at place + 1."""
        return ClaimCursor(*self.keys[place])


def claim_index(db: sqlite3.Connection, tags: tuple[str, ...] = CLAIM_TAGS, *,
                view: BlindView | None = None) -> ClaimIndex:
    """Every claim's place and row count as the claims view lists them, and the counts.

    The claims and links of `claim_counts`, each highlight's source and position from an
    index (no text is read) and the notes that are not blank: at 100,000 highlights ~250 ms.
    """
    found, links, caveat = _graph(db, tags, view)
    rows = Counter()
    for from_id, to_id, _ in links:
        rows[to_id] += 1  # a link shows under each end that is a claim
        if from_id in found:
            rows[from_id] += 1
    # A claim's note takes a row when `note.strip()` (Python's idea of blank, not SQL's trim).
    for hid, note in db.execute("SELECT id, note FROM highlights WHERE note != ''"):
        if hid in found and note.strip():
            rows[hid] += 1
    titles = {sid: title.casefold() for sid, title in db.execute("SELECT id, title FROM sources")}
    keys = sorted((titles[sid], sid, start, hid) for hid, sid, start in
                  db.execute("SELECT id, source_id, start FROM highlights") if hid in found)
    starts = list(accumulate((1 + rows[key[3]] for key in keys), initial=0))
    return ClaimIndex(keys, starts, _count(found, links, caveat))


def _tag_ids(db: sqlite3.Connection, names: tuple[str, ...]) -> list[int]:
    """The ids of the tags named (NOCASE, as `claims` matches them)."""
    return [row[0] for row in db.execute(f"SELECT id FROM tags WHERE name IN ({','.join('?' * len(names))})", list(names))]


__all__ = [
    "ClaimCounts", "ClaimCursor", "ClaimIndex", "ClaimPage", "claim_counts", "claim_index", "claim_page",
    "claim_page_before", "cursor_of",
]
