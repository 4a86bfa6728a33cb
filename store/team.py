"""The store's side of team exchange through git (exports/team_sync.py runs it).

A team sync imports every other reviewer's W3C file. Each highlight that came from a file is
recorded in `highlight_origins` (highlight id -> the reviewer whose file it came from), so a
highlight that later disappears from that file can be told apart from one made here: it was
deleted by its reviewer and is removed here too (a tombstone is kept in `tombstones`), unless a
link of someone else's points at it or from it, in which case it is kept and reported.

The team's settings (remote, last sync, what was last imported from each file) are rows of
the `settings` table, under keys starting with "team.".
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from postil.store.clock import now
from postil.store.db import write
from postil.store.settings import get_setting, set_setting

REMOTE_KEY = "team.remote"
LAST_SYNC_KEY = "team.last_sync"
IMPORTED_KEY = "team.imported"
"""JSON {reviewer file name: content hash} of the files as last imported."""


@dataclass
class Vanished:
    """What became of highlights gone from their reviewer's file."""

    removed: list[str] = field(default_factory=list)
    kept_linked: list[str] = field(default_factory=list)
    """Gone from the file but linked from or to another reviewer's highlight: kept."""


def team_remote(db: sqlite3.Connection) -> str | None:
    return get_setting(db, REMOTE_KEY)


def set_team_remote(db: sqlite3.Connection, remote: str) -> None:
    set_setting(db, REMOTE_KEY, remote)


def last_sync(db: sqlite3.Connection) -> str | None:
    return get_setting(db, LAST_SYNC_KEY)


def mark_synced(db: sqlite3.Connection) -> str:
    stamp = now()
    set_setting(db, LAST_SYNC_KEY, stamp)
    return stamp


def imported_hashes(db: sqlite3.Connection) -> dict[str, str]:
    try:
        value = json.loads(get_setting(db, IMPORTED_KEY, "{}") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def set_imported_hash(db: sqlite3.Connection, name: str, digest: str) -> None:
    hashes = imported_hashes(db)
    hashes[name] = digest
    set_setting(db, IMPORTED_KEY, json.dumps(hashes, sort_keys=True))


WRITTEN_KEY = "team.written"
"""JSON {file name: [review_fingerprint, file digest]} of my files as this database last wrote them."""


def written_fingerprint(db: sqlite3.Connection, collection: str) -> tuple[str, str] | None:
    try:
        value = json.loads(get_setting(db, WRITTEN_KEY, "{}") or "{}")
    except ValueError:
        return None
    entry = value.get(collection) if isinstance(value, dict) else None  # a list: one file, before 0007
    return tuple(entry) if isinstance(entry, list) and len(entry) == 2 else None


def set_written_fingerprint(db: sqlite3.Connection, collection: str, fingerprint: str, digest: str) -> None:
    try:
        value = json.loads(get_setting(db, WRITTEN_KEY, "{}") or "{}")
    except ValueError:
        value = {}
    value = value if isinstance(value, dict) else {}
    value[collection] = [fingerprint, digest]
    set_setting(db, WRITTEN_KEY, json.dumps(value, sort_keys=True))


def count_by_author(db: sqlite3.Connection, reviewer: str) -> int:
    return db.execute("SELECT count(*) FROM highlights WHERE author = ?", [reviewer]).fetchone()[0]


def review_fingerprint(db: sqlite3.Connection, reviewer: str) -> str:
    """What a reviewer's file is written from, in one line: it changes when any of their
    highlights, its tags (names included), its links or its source's title change, so an
    unchanged review need not be exported again (a 20,000-highlight export costs seconds)."""
    row = db.execute(
        """SELECT count(*), max(h.updated_at), total(h.version), total(h.start), total(h."end"),
                  (SELECT group_concat(t.name || ':' || c, '|') FROM
                       (SELECT ht.tag_id, count(*) AS c FROM highlight_tags ht JOIN highlights x ON x.id = ht.highlight_id
                        WHERE x.author = ?1 GROUP BY ht.tag_id ORDER BY ht.tag_id) k JOIN tags t ON t.id = k.tag_id),
                  (SELECT count(*) || ':' || coalesce(max(l.created_at), '') FROM links l JOIN highlights y ON y.id = l.from_id
                       WHERE y.author = ?1),
                  (SELECT group_concat(s.title || s.sha256, '|') FROM sources s WHERE s.id IN
                       (SELECT DISTINCT source_id FROM highlights WHERE author = ?1))
           FROM highlights h WHERE h.author = ?1""",
        [reviewer],
    ).fetchone()
    return json.dumps(list(row))


def record_origins(db: sqlite3.Connection, collection: str, highlight_ids: Iterable[str]) -> None:
    """Remember that these highlights (those stored here) came from `collection`'s file."""
    stamp = now()
    with write(db):
        db.executemany(
            "INSERT INTO highlight_origins (highlight_id, collection, imported_at)"
            " SELECT id, ?, ? FROM highlights WHERE id = ?"
            " ON CONFLICT(highlight_id) DO UPDATE SET collection = excluded.collection",
            [(collection, stamp, highlight_id) for highlight_id in highlight_ids],
        )


def remove_vanished(db: sqlite3.Connection, collection: str, present: set[str]) -> Vanished:
    """Remove the highlights that came from `collection`'s file and are no longer in it."""
    result = Vanished()
    with write(db):
        gone = [row[0] for row in db.execute(
            "SELECT o.highlight_id FROM highlight_origins o JOIN highlights h ON h.id = o.highlight_id"
            " WHERE o.collection = ? ORDER BY o.highlight_id", [collection])
            if row[0] not in present]
        stamp = now()
        for highlight_id in gone:
            linked = db.execute(
                "SELECT 1 FROM links l JOIN highlights other"
                " ON other.id = CASE WHEN l.from_id = ? THEN l.to_id ELSE l.from_id END"
                " LEFT JOIN highlight_origins o ON o.highlight_id = other.id"
                " WHERE (l.from_id = ? OR l.to_id = ?) AND coalesce(o.collection, '') != ? LIMIT 1",
                [highlight_id, highlight_id, highlight_id, collection],
            ).fetchone()
            if linked:
                result.kept_linked.append(highlight_id)
                continue
            db.execute("DELETE FROM highlights WHERE id = ?", [highlight_id])
            db.execute("DELETE FROM highlight_origins WHERE highlight_id = ?", [highlight_id])
            db.execute(
                "INSERT INTO tombstones (highlight_id, author, deleted_at) VALUES (?, ?, ?)"
                " ON CONFLICT(highlight_id) DO UPDATE SET deleted_at = excluded.deleted_at",
                [highlight_id, collection, stamp],
            )
            result.removed.append(highlight_id)
    return result


# --- my deletions (tombstones) and done marks, as they travel in reviewers/<name>.json ---------


def tombstoned(db: sqlite3.Connection, collection: str) -> set[str]:
    """Highlight ids recorded as deleted from `collection`'s file."""
    return {row[0] for row in db.execute("SELECT highlight_id FROM tombstones WHERE author = ?", [collection])}


def note_deletions(db: sqlite3.Connection, collection: str, author: str) -> set[str]:
    """Tombstones for `author`'s highlights deleted here since this database last read or wrote
    their file (their line is recorded, the highlight is gone), and none for those brought back
    (an undo): the ids newly deleted."""
    stamp = now()
    with write(db):
        gone = {row[0] for row in db.execute(
            "SELECT l.highlight_id FROM team_lines l WHERE l.collection = ?"
            " AND NOT EXISTS (SELECT 1 FROM highlights h WHERE h.id = l.highlight_id)", [collection])}
        add_tombstones(db, collection, gone, stamp)
        lift_tombstones(db, collection, author)
    return gone


def add_tombstones(db: sqlite3.Connection, collection: str, ids: Iterable[str], stamp: str | None = None,
                   *, shared: bool = False) -> None:
    """Tombstones for `ids`; `shared` when they were learned from the team's file (a tombstone
    already shared stays shared)."""
    stamp = stamp or now()
    with write(db):
        db.executemany(
            "INSERT INTO tombstones (highlight_id, author, deleted_at, shared) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(highlight_id) DO UPDATE SET author = excluded.author, deleted_at = excluded.deleted_at,"
            " shared = max(shared, excluded.shared)",
            [(highlight_id, collection, stamp, int(shared)) for highlight_id in ids])


def shared_tombstones(db: sqlite3.Connection, collection: str) -> set[str]:
    """The tombstones of `collection` that the team's copy of its marks file listed."""
    return {row[0] for row in db.execute(
        "SELECT highlight_id FROM tombstones WHERE author = ? AND shared = 1", [collection])}


def share_tombstones(db: sqlite3.Connection, collection: str, ids: Iterable[str]) -> None:
    """Mark `ids` shared: the marks file listing them was pushed."""
    with write(db):
        db.executemany("UPDATE tombstones SET shared = 1 WHERE author = ? AND highlight_id = ?",
                       [(collection, highlight_id) for highlight_id in ids])


def lift_shared(db: sqlite3.Connection, collection: str, listed: set[str]) -> set[str]:
    """Forget the shared tombstones of `collection` that its marks file no longer lists (undone
    on the machine that wrote it): the ids lifted, whose highlights may come back."""
    lifted = shared_tombstones(db, collection) - listed
    with write(db):
        db.executemany("DELETE FROM tombstones WHERE author = ? AND highlight_id = ?",
                       [(collection, highlight_id) for highlight_id in sorted(lifted)])
    return lifted


def lift_tombstones(db: sqlite3.Connection, collection: str, author: str) -> None:
    """Forget the tombstones of `author`'s highlights that exist again (undone, or brought back)."""
    with write(db):
        db.execute("DELETE FROM tombstones WHERE author = ? AND highlight_id IN"
                   " (SELECT id FROM highlights WHERE author = ?)", [collection, author])


def delete_own(db: sqlite3.Connection, ids: Iterable[str], author: str) -> list[str]:
    """Delete those of `ids` that are `author`'s highlights here (their deletion on another
    machine of theirs); the ids deleted."""
    deleted = []
    with write(db):
        for highlight_id in sorted(ids):
            if db.execute("DELETE FROM highlights WHERE id = ? AND author = ?", [highlight_id, author]).rowcount:
                deleted.append(highlight_id)
    return deleted


def done_marks(db: sqlite3.Connection, reviewer: str) -> dict[str, str]:
    """{source sha256: when} of the sources `reviewer` marked done."""
    return dict(db.execute(
        "SELECT s.sha256, p.done_at FROM reviewer_progress p JOIN sources s ON s.id = p.source_id"
        " WHERE p.reviewer = ? ORDER BY s.sha256", [reviewer]))


def set_done_marks(db: sqlite3.Connection, reviewer: str, marks: dict[str, str], *, exact: bool) -> int:
    """Mark done the sources (by sha256, those here) of `marks`; with `exact`, unmark the others
    (a teammate's marks are theirs to take back). How many marks changed."""
    changed = 0
    with write(db):
        ours = done_marks(db, reviewer)
        for sha256, stamp in marks.items():
            if sha256 not in ours:
                changed += db.execute(
                    "INSERT OR IGNORE INTO reviewer_progress (source_id, reviewer, done_at)"
                    " SELECT id, ?, ? FROM sources WHERE sha256 = ?", [reviewer, stamp, sha256]).rowcount
        if exact:
            for sha256 in set(ours) - set(marks):
                changed += db.execute(
                    "DELETE FROM reviewer_progress WHERE reviewer = ? AND source_id IN"
                    " (SELECT id FROM sources WHERE sha256 = ?)", [reviewer, sha256]).rowcount
    return changed
