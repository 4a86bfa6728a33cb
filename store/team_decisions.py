"""Reconcile decisions as a team sync shares them (exports/team_decisions.py reads and writes
the files; store/reconcile.py makes and undoes them).

Across machines a decision is named by its source's sha256 and its place's digest: the part of
the place key after the source's id. The digest is made from the ids of the place's versions,
which every machine shares (an imported highlight keeps its id); the source id is this
database's own row number, which differs from one machine to another.

What each decisions file held when this database last read it (or, for my own file, last
pushed it) is kept as a setting, so that a decision gone from a newer version of its file can
be told for an undo: the entries are few (one per decided place), far fewer than highlights.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from postil.store.db import write
from postil.store.highlights import delete_highlight
from postil.store.reconcile import RELATION, undo_decision
from postil.store.settings import get_setting, set_setting
from postil.store.team import add_tombstones

SEEN_KEY = "team.decisions_seen"
"""JSON {decisions file name: {shared key: [decided_at, decided_by, decision]}}."""
UNDONE_KEY = "team.decisions_undone"
"""JSON [[source, place, decided_at, decided_by, decision], ...]: teammates' decisions undone
here, which my decisions file lists (under "undone") until their own file no longer has them."""


@dataclass(frozen=True)
class SharedDecision:
    """A decision as the team's files name it."""

    source: str
    """The source's sha256."""
    place: str
    """The place key's digest (after "<source id>-")."""
    decision: str
    decided_by: str
    decided_at: str
    consensus: str | None = None
    """The consensus highlight's id (it travels in reviewers/consensus.jsonld), or None."""
    kept: str | None = None
    """For `keep`: the version kept (for the reader of the file; the consensus says it all)."""
    local_id: int | None = field(default=None, compare=False)
    """Its row here, if it is this database's."""

    @property
    def key(self) -> str:
        return f"{self.source}-{self.place}"

    def stamp(self) -> tuple[str, str, str]:
        """What orders two decisions of one place: the later wins, a tie goes to the greater
        decider, then to the greater decision (so every machine picks the same)."""
        return (self.decided_at, self.decided_by, self.decision)


def local_decisions(db: sqlite3.Connection, decided_by: str | None = None) -> dict[str, SharedDecision]:
    """{shared key: decision} of the decisions here (only `decided_by`'s, if given)."""
    rows = db.execute(
        """SELECT d.id, s.sha256, d.disagreement, d.decision, d.decided_by, d.decided_at, d.consensus_id,
                  CASE WHEN d.decision = 'keep' THEN (SELECT min(l.to_id) FROM links l
                       WHERE l.from_id = d.consensus_id AND l.relation = ?) END
           FROM reconcile_decisions d JOIN sources s ON s.id = d.source_id
           WHERE ?2 IS NULL OR d.decided_by = ?2 ORDER BY d.id""", [RELATION, decided_by])
    found = {}
    for local_id, sha256, key, decision, by, at, consensus, kept in rows:
        entry = SharedDecision(sha256, key.split("-", 1)[-1], decision, by, at, consensus, kept, local_id)
        found[entry.key] = entry
    return found


def take_decision(db: sqlite3.Connection, entry: SharedDecision, replacing: SharedDecision | None,
                  consensus: str | None) -> bool:
    """Record a teammate's decision here in place of `replacing` (this database's, which lost),
    with `consensus` as its consensus highlight; False if its source is not here."""
    with write(db):
        row = db.execute("SELECT id FROM sources WHERE sha256 = ?", [entry.source]).fetchone()
        if row is None:
            return False
        if replacing is not None and replacing.local_id is not None:
            undo_decision(db, replacing.local_id)
        db.execute(
            """INSERT INTO reconcile_decisions (source_id, disagreement, decision, consensus_id, decided_by, decided_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [row[0], f"{row[0]}-{entry.place}", entry.decision, consensus, entry.decided_by, entry.decided_at])
    return True


def drop_decision(db: sqlite3.Connection, entry: SharedDecision, collection: str) -> None:
    """Undo a decision here that its reviewer undid; its consensus highlight goes too, and a
    tombstone in `collection` (the consensus file's) says so to every machine."""
    if entry.local_id is None:
        return  # not a row here (None would undo the latest)
    with write(db):
        undo_decision(db, entry.local_id)
        if entry.consensus:
            add_tombstones(db, collection, [entry.consensus])


def delete_consensus(db: sqlite3.Connection, ids: Iterable[str], collection: str) -> list[str]:
    """Delete the consensus highlights of decisions that lost (those here), with tombstones in
    `collection`, so no file brings them back and the deletion travels; the ids deleted."""
    deleted = []
    with write(db):
        for highlight_id in sorted(set(ids)):
            if db.execute("SELECT 1 FROM highlights WHERE id = ?", [highlight_id]).fetchone():
                delete_highlight(db, highlight_id)
                deleted.append(highlight_id)
        add_tombstones(db, collection, deleted)
    return deleted


def has_highlight(db: sqlite3.Connection, highlight_id: str) -> bool:
    return db.execute("SELECT 1 FROM highlights WHERE id = ?", [highlight_id]).fetchone() is not None


def seen_decisions(db: sqlite3.Connection) -> dict[str, dict[str, list[str]]]:
    try:
        value = json.loads(get_setting(db, SEEN_KEY, "{}") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def set_seen_decisions(db: sqlite3.Connection, name: str, entries: Iterable[SharedDecision]) -> None:
    """Remember what the decisions file `name` holds (as read, or as pushed)."""
    seen = seen_decisions(db)
    seen[name] = {entry.key: list(entry.stamp()) for entry in sorted(entries, key=lambda e: e.key)}
    set_setting(db, SEEN_KEY, json.dumps(seen, sort_keys=True))


def undone_here(db: sqlite3.Connection) -> set[SharedDecision]:
    """Teammates' decisions undone in this database (see UNDONE_KEY)."""
    try:
        rows = json.loads(get_setting(db, UNDONE_KEY, "[]") or "[]")
        return {SharedDecision(source, place, decision, by, at) for source, place, at, by, decision in rows}
    except (ValueError, TypeError):
        return set()


def set_undone_here(db: sqlite3.Connection, undone: Iterable[SharedDecision]) -> None:
    rows = sorted([e.source, e.place, e.decided_at, e.decided_by, e.decision] for e in undone)
    set_setting(db, UNDONE_KEY, json.dumps(rows))


def source_hashes(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT sha256 FROM sources")}
