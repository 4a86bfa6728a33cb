"""Claims: clusters of highlights connected by links, with how many sources back each relation.

A cluster is a connected component of the link graph with directions ignored: two
highlights are in the same cluster when a chain of links (either way) joins them.
Highlights without links belong to no cluster.

Counting rule, so that consensus and conflict read the same everywhere (claims view,
exports): for a cluster and a relation R, `counts[R]` is the number of **distinct sources**
of the highlights that are the FROM end of at least one link with relation R inside the
cluster. A link says "this highlight R that one", so the evidence it brings belongs to the
source of its FROM end; three caveats in one article that all qualify an outcome count
once, because they are one source's voice. A relation nobody used has count 0.

Example: a1 (source A) supports t4 (source T), f1 (source F) supports t4, and a2 (source A)
qualifies a1. The cluster {a1, a2, f1, t4} has supports = 2 (A and F), qualifies = 1 (A),
contradicts = 0.

`claims` is the claims view's list: every highlight tagged as a claim (CLAIM_TAGS), linked
or not, and every other highlight something is linked to (a link treats its TO end as a
claim), each with the highlights linked to it, so that a claim with nothing linked, or with
no caveat among its links, can be flagged. The view reads it a page at a time and counts it
with `store.claim_pages`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from postil.store.reviewers import BlindView


@dataclass
class ClaimHighlight:
    """One highlight of a cluster, with what the claims view shows of it."""

    id: str
    quote: str
    tags: list[str]
    source_id: int
    source_title: str
    start: int
    created_at: str
    author: str = ""
    note: str = ""


@dataclass
class Cluster:
    """Highlights joined by links, and how many sources support, contradict or qualify it."""

    highlights: list[ClaimHighlight]
    """In source-title then document order."""
    sources: list[tuple[int, str]]
    """(source id, title) of every highlight in the cluster, by title."""
    counts: dict[str, int] = field(default_factory=dict)
    """Relation name -> number of distinct sources of FROM ends of links with that relation
    (every known relation present, 0 when unused)."""
    link_count: int = 0

    @property
    def supports(self) -> int:
        return self.counts.get("supports", 0)

    @property
    def contradicts(self) -> int:
        return self.counts.get("contradicts", 0)

    @property
    def qualifies(self) -> int:
        return self.counts.get("qualifies", 0)


CLAIM_TAGS = ("outcome", "mechanism")
"""Tags that make a highlight a claim."""
CAVEAT_RELATIONS = ("qualifies", "contradicts")
CAVEAT_TAG = "caveat"


@dataclass
class ClaimLink:
    """A link of a claim, seen from the claim."""

    relation: str
    outgoing: bool
    """True: the claim is the FROM end ("claim supports other"); False: "other qualifies claim"."""
    other: ClaimHighlight


@dataclass
class Claim:
    """A highlight tagged as a claim, with its links (incoming first, then by relation)."""

    highlight: ClaimHighlight
    links: list[ClaimLink] = field(default_factory=list)

    @property
    def has_caveat(self) -> bool:
        """A link that qualifies or contradicts it (either way), or to a highlight tagged caveat."""
        return any(l.relation in CAVEAT_RELATIONS or CAVEAT_TAG in l.other.tags for l in self.links)


def claims(db: sqlite3.Connection, tags: tuple[str, ...] = CLAIM_TAGS, *, view: BlindView | None = None) -> list[Claim]:
    """Every highlight tagged with one of `tags` or at the TO end of a link, in source-title
    then document order, with the highlights linked to it.

    Args:
        view: blind mode: highlights hidden from this reviewer are left out, as claims and as
            linked highlights.
    """
    marks = ",".join("?" * len(tags))
    # The claims and the links touching them, each in one statement: the ids went in as
    # lists of 500, which ran a query per 500 claims and read a link whose ends fell in two
    # lists twice (22,360 links shown twice in the claims view at 100,000 highlights).
    chosen = (f"""SELECT ht.highlight_id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
                  WHERE t.name IN ({marks}) UNION SELECT to_id FROM links""")
    ids = [row[0] for row in db.execute(chosen, list(tags))]
    if not ids:
        return []
    rows = db.execute(
        f"""WITH claim(id) AS ({chosen})
            SELECT from_id, to_id, relation FROM links
            WHERE from_id IN (SELECT id FROM claim) OR to_id IN (SELECT id FROM claim)""",
        list(tags),
    ).fetchall()
    return sorted(
        assemble_claims(db, ids, rows, view),
        key=lambda c: (c.highlight.source_title.casefold(), c.highlight.source_id, c.highlight.start, c.highlight.id),
    )


def assemble_claims(db: sqlite3.Connection, ids: list[str], rows: list, view: BlindView | None) -> list[Claim]:
    """The claims `ids` (in that order, those the view shows) with the links among `rows`
    (from_id, to_id, relation) whose other end it shows: claims and claim_page share it, so
    a page holds what the whole list holds for the same claims."""
    info = _highlight_info(db, sorted({*ids, *(r[0] for r in rows), *(r[1] for r in rows)}))
    if view is not None and view.blind:
        info = {i: h for i, h in info.items() if view.shows_work_of(h.author, h.source_id)}
    found = {i: Claim(info[i]) for i in ids if i in info}
    for from_id, to_id, relation in rows:
        if from_id in found and to_id in info:
            found[from_id].links.append(ClaimLink(relation, True, info[to_id]))
        if to_id in found and from_id in info:
            found[to_id].links.append(ClaimLink(relation, False, info[from_id]))
    for claim in found.values():
        claim.links.sort(key=lambda l: (l.outgoing, l.relation, l.other.source_title.casefold(), l.other.start))
    return list(found.values())


def clusters(db: sqlite3.Connection, view: BlindView | None = None) -> list[Cluster]:
    """Every cluster of linked highlights, largest (most highlights) first.

    Ties are broken by more sources, then more links, then the earliest highlight's creation
    time, so the order is stable between calls.

    Args:
        view: blind mode: links with an end hidden from this reviewer are left out.
    """
    links = db.execute("SELECT from_id, to_id, relation FROM links").fetchall()
    if view is not None and view.blind and links:
        ends = {hid: (author, source_id) for hid, author, source_id in db.execute(
            "SELECT id, author, source_id FROM highlights WHERE id IN "
            "(SELECT from_id FROM links UNION SELECT to_id FROM links)")}
        links = [l for l in links if all(view.shows_work_of(*ends[end]) for end in l[:2] if end in ends)]
    if not links:
        return []
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = parent.setdefault(node, node)
        while root != parent[root]:
            root = parent[root]
        while node != root:  # path compression keeps big graphs near-linear
            parent[node], node = root, parent[node]
        return root

    for from_id, to_id, _ in links:
        a, b = find(from_id), find(to_id)
        if a != b:
            parent[max(a, b)] = min(a, b)

    info = _highlight_info(db, list(parent))
    members: dict[str, list[str]] = defaultdict(list)
    for node in parent:
        members[find(node)].append(node)
    from_sources: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    link_counts: dict[str, int] = defaultdict(int)
    for from_id, _to_id, relation in links:
        root = find(from_id)
        link_counts[root] += 1
        if from_id in info:
            from_sources[root][relation].add(info[from_id].source_id)

    relation_names = [row[0] for row in db.execute("SELECT name FROM relations ORDER BY position, name")]
    result = []
    for root, ids in members.items():
        highlights = sorted(
            (info[i] for i in ids if i in info),
            key=lambda h: (h.source_title.casefold(), h.source_id, h.start, h.id),
        )
        sources = sorted({(h.source_id, h.source_title) for h in highlights}, key=lambda s: (s[1].casefold(), s[0]))
        counts = {name: 0 for name in relation_names}
        for relation, source_ids in from_sources[root].items():
            counts[relation] = len(source_ids)
        result.append(Cluster(highlights, sources, counts, link_counts[root]))
    result.sort(
        key=lambda c: (
            -len(c.highlights), -len(c.sources), -c.link_count,
            min((h.created_at for h in c.highlights), default=""),
        )
    )
    return result


def _highlight_info(db: sqlite3.Connection, ids: list[str]) -> dict[str, ClaimHighlight]:
    """Quote, tags and source of many highlights: two statements, however many ids."""
    found: dict[str, ClaimHighlight] = {}
    wanted = json.dumps(ids)
    for hid, quote, source_id, title, start, created, author, note in db.execute(
        """SELECT h.id, h.quote, h.source_id, s.title, h.start, h.created_at, h.author, h.note
           FROM highlights h JOIN sources s ON s.id = h.source_id
           WHERE h.id IN (SELECT value FROM json_each(?))""",
        [wanted],
    ):
        found[hid] = ClaimHighlight(hid, quote, [], source_id, title, start, created, author, note)
    for hid, name in db.execute(
        """SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
           WHERE ht.highlight_id IN (SELECT value FROM json_each(?)) ORDER BY t.id""",
        [wanted],
    ):
        found[hid].tags.append(name)
    return found


__all__ = [
    "CAVEAT_RELATIONS", "CAVEAT_TAG", "CLAIM_TAGS", "Claim", "ClaimHighlight", "ClaimLink", "Cluster",
    "assemble_claims", "claims", "clusters",
]
