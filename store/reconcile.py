"""Reconciling: where reviewers differ, and the consensus decided for each place.

On each source two or more reviewers coded (store.reviewers.coders_of_sources), the
reviewers' anchored highlights are grouped into places: runs of highlights that overlap one
another. A place is a disagreement when the reviewers' versions of it differ:
- `only`: coded by some reviewers and not by others who coded the source;
- `tags`: the same passage (same extents) with different tags;
- `extent`: overlapping passages with different extents (and perhaps tags).
Otherwise (`agreed`) every reviewer made the very same highlights there.

Deciding a place (table reconcile_decisions, migration 0006) makes a consensus highlight
(author `consensus`): `keep` copies one version; `merge` takes the union of the tags over
the wider extent (from the first start to the last end) or the narrower one (the passage
every version covers); `drop` makes none. The consensus is linked (relation
`reconciled-from`) to each version it came from, and the versions stay. `undo_decision`
removes the consensus highlight and the decision. A place's key is made from its versions'
ids, so a decided place stays decided until one of its versions changes.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import NotFound, StoreError
from postil.store.highlights import create_highlight, delete_highlight, highlights_for_source
from postil.store.links import add_relation, create_link, relation_names
from postil.store.models import Highlight
from postil.store.reviewers import CONSENSUS, coders_of_sources

DECISIONS = ("keep", "merge-wider", "merge-narrower", "drop", "agreed")
RELATION = "reconciled-from"
RELATION_HELP = "A consensus highlight and a reviewer's version it was reconciled from."


@dataclass
class Decision:
    """How a disagreement between reviewers was settled, by whom and when."""

    id: int
    source_id: int
    disagreement: str
    decision: str
    consensus_id: str | None
    decided_by: str
    decided_at: str


@dataclass
class Place:
    """Overlapping highlights of the reviewers on one source, and how their versions differ."""

    key: str
    source_id: int
    kind: str
    """"only", "tags", "extent" or "agreed"."""
    start: int
    end: int
    versions: list[Highlight]
    reviewers: list[str]
    """Reviewers with a version here."""
    missing: list[str]
    """Reviewers who coded the source but have nothing here."""
    decision: Decision | None = None
    source_title: str = ""
    tags: list[str] = field(default_factory=list)
    """Every tag any version carries (in tag order)."""


def places(
    db: sqlite3.Connection,
    *,
    source_ids: list[int] | None = None,
    reviewers: list[str] | None = None,
    include_agreed: bool = False,
    include_decided: bool = False,
) -> list[Place]:
    """The places where reviewers differ (and, if asked, agree), source by source in text order.

    Args:
        reviewers: whose versions to compare (default: every author but `consensus`).
    """
    coders = coders_of_sources(db)
    decided = {d.disagreement: d for d in decisions(db)}
    titles = dict(db.execute("SELECT id, title FROM sources"))
    wanted = None if reviewers is None else set(reviewers)
    found: list[Place] = []
    for source_id in sorted(coders) if source_ids is None else source_ids:
        who = {n for n in coders.get(source_id, set()) if n != CONSENSUS and (wanted is None or n in wanted)}
        if len(who) < 2:
            continue
        highlights = [h for h in highlights_for_source(db, source_id)
                      if h.author in who and h.anchor_status != "orphaned"]
        for group in _overlapping(highlights):
            place = _place(source_id, group, sorted(who, key=str.casefold))
            place.decision = decided.get(place.key)
            place.source_title = titles.get(source_id, "")
            if place.kind == "agreed" and not include_agreed:
                continue
            if place.decision is not None and not include_decided:
                continue
            found.append(place)
    return found


def _overlapping(highlights: list[Highlight]) -> list[list[Highlight]]:
    """Runs of highlights (in text order) each overlapping the run so far."""
    groups: list[list[Highlight]] = []
    end = -1
    for h in sorted(highlights, key=lambda h: (h.start, -h.end, h.id)):
        if groups and h.start < end:
            groups[-1].append(h)
            end = max(end, h.end)
        else:
            groups.append([h])
            end = h.end
    return groups


def _place(source_id: int, group: list[Highlight], coders: list[str]) -> Place:
    by_reviewer: dict[str, set] = {}
    for h in group:
        by_reviewer.setdefault(h.author, set()).add((h.start, h.end, frozenset(t.casefold() for t in h.tags)))
    present = [n for n in coders if n in by_reviewer]
    missing = [n for n in coders if n not in by_reviewer]
    codings = list(by_reviewer.values())
    if missing:
        kind = "only"
    elif all(v == codings[0] for v in codings):
        kind = "agreed"
    elif all({(s, e) for s, e, _ in v} == {(s, e) for s, e, _ in codings[0]} for v in codings):
        kind = "tags"
    else:
        kind = "extent"
    digest = hashlib.sha1("\n".join(sorted(h.id for h in group)).encode()).hexdigest()[:12]
    tags = list(dict.fromkeys(t for h in group for t in h.tags))
    # Versions in text order, reviewers by name where two start and end alike (ids are
    # random: the order would change between runs, and so would what `2` keeps on screen).
    versions = sorted(group, key=lambda h: (h.start, -h.end, h.author.casefold(), h.id))
    return Place(f"{source_id}-{digest}", source_id, kind, min(h.start for h in group), max(h.end for h in group),
                 versions, present, missing, tags=tags)


def find_place(db: sqlite3.Connection, key: str) -> Place:
    """A place (decided or not) by its key or a unique start of it."""
    key = key.strip()
    source_id = key.split("-", 1)[0]
    ids = [int(source_id)] if source_id.isdigit() else None
    matches = [p for p in places(db, source_ids=ids, include_agreed=True, include_decided=True)
               if p.key.startswith(key)]
    if not matches:
        raise NotFound(f"no place to reconcile with key {key!r} (see `postil disagreements`)")
    if len(matches) > 1:
        raise StoreError(f"{key!r} is the start of several keys; give more of it")
    return matches[0]


def decide(db: sqlite3.Connection, place: Place, decision: str, *, keep: str | None = None,
           by: str = "") -> Decision:
    """Decide a place: `keep` (the version whose highlight id is `keep`), `merge-wider`,
    `merge-narrower`, `drop` or `agreed` (copy the versions every reviewer made alike).

    Raises:
        StoreError: the place is decided already, the decision is unknown, the version is
            not one of the place's, or the versions share no passage to narrow to.
    """
    if decision not in DECISIONS:
        raise StoreError(f"unknown decision {decision!r}; use one of {', '.join(DECISIONS)}")
    with write(db):
        if db.execute("SELECT 1 FROM reconcile_decisions WHERE disagreement = ?", [place.key]).fetchone():
            raise StoreError(f"place {place.key} is decided already; undo that decision first")
        consensus, sources = _consensus(db, place, decision, keep)
        consensus_id = None
        if consensus is not None:
            start, end, tags, note = consensus
            made = create_highlight(db, place.source_id, start, end, tags=tags, note=note, author=CONSENSUS)
            consensus_id = made.id
            if RELATION not in relation_names(db):
                add_relation(db, RELATION, RELATION_HELP)
            for version in sources:
                create_link(db, made.id, version.id, relation=RELATION, author=by)
        cursor = db.execute(
            """INSERT INTO reconcile_decisions (source_id, disagreement, decision, consensus_id, decided_by, decided_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [place.source_id, place.key, decision, consensus_id, by, now()],
        )
        return get_decision(db, cursor.lastrowid)


def _consensus(db, place: Place, decision: str, keep: str | None):
    """(start, end, tags, note) of the consensus highlight or None, and the versions it comes from."""
    if decision == "drop":
        return None, []
    if decision == "keep":
        chosen = [h for h in place.versions if keep and h.id.startswith(keep)]
        if len(chosen) != 1:
            raise StoreError(f"keep which version? give one of {', '.join(h.id[:8] for h in place.versions)}")
        h = chosen[0]
        return (h.start, h.end, list(h.tags), h.note), [h]
    if decision == "agreed":
        if place.kind != "agreed":
            raise StoreError(f"the reviewers differ at place {place.key} ({place.kind}); decide it instead")
        first = place.reviewers[0]
        mine = [h for h in place.versions if h.author == first]
        if len(mine) != 1:
            raise StoreError(f"place {place.key} holds several highlights of each reviewer; keep or merge them")
        h = mine[0]
        return (h.start, h.end, list(h.tags), ""), list(place.versions)
    if decision == "merge-wider":
        start, end = place.start, place.end
    else:
        start, end = max(h.start for h in place.versions), min(h.end for h in place.versions)
        if start >= end:
            raise StoreError(f"the versions at place {place.key} share no passage: keep one or merge wider")
    return (start, end, place.tags, ""), list(place.versions)


def get_decision(db: sqlite3.Connection, decision_id: int) -> Decision:
    row = db.execute(f"SELECT {_DECISION_COLUMNS} FROM reconcile_decisions WHERE id = ?", [decision_id]).fetchone()
    if row is None:
        raise NotFound(f"no reconcile decision {decision_id}")
    return Decision(*row)


_DECISION_COLUMNS = "id, source_id, disagreement, decision, consensus_id, decided_by, decided_at"


def decisions(db: sqlite3.Connection) -> list[Decision]:
    """Every decision, oldest first."""
    return [Decision(*row) for row in db.execute(f"SELECT {_DECISION_COLUMNS} FROM reconcile_decisions ORDER BY id")]


def undo_decision(db: sqlite3.Connection, decision_id: int | None = None) -> Decision:
    """Take back a decision (default: the latest) and delete the consensus highlight it made."""
    with write(db):
        if decision_id is None:
            row = db.execute("SELECT max(id) FROM reconcile_decisions").fetchone()
            if row[0] is None:
                raise NotFound("no reconcile decision to undo")
            decision_id = row[0]
        decision = get_decision(db, decision_id)
        if decision.consensus_id is not None:
            try:
                delete_highlight(db, decision.consensus_id)
            except NotFound:
                pass  # deleted by hand since: the decision goes all the same
        db.execute("DELETE FROM reconcile_decisions WHERE id = ?", [decision_id])
        return decision


def accept_agreed(db: sqlite3.Connection, *, source_ids: list[int] | None = None,
                  reviewers: list[str] | None = None, by: str = "") -> list[Decision]:
    """Make the consensus of every undecided place where the reviewers agree exactly (so the
    consensus brief holds what everyone coded alike, not only the reconciled differences).
    Places with several highlights of each reviewer are left for a decision by hand."""
    made = []
    with write(db):
        for place in places(db, source_ids=source_ids, reviewers=reviewers, include_agreed=True):
            if place.kind != "agreed":
                continue
            if len([h for h in place.versions if h.author == place.reviewers[0]]) != 1:
                continue
            made.append(decide(db, place, "agreed", by=by))
    return made
