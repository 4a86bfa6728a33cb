"""Source memos: the reviewer's note on a whole source (table `source_memos`, migration 0006).

A summary, an appraisal, the study design and sample size: kept apart from highlights'
notes, searchable through `source_memos_fts` (kept in step by the migration's triggers) and
printed under the source in a brief. An empty memo is no memo: saving one deletes the row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import NotFound, StoreError

MAX_MEMO_CHARS = 200_000
"""A memo is a note, not a second copy of the source."""


@dataclass
class Memo:
    """A source's memo: the reviewer's note on the source as a whole."""

    source_id: int
    memo: str
    author: str
    updated_at: str


def get_memo(db: sqlite3.Connection, source_id: int) -> Memo | None:
    row = db.execute(
        "SELECT source_id, memo, author, updated_at FROM source_memos WHERE source_id = ?", [source_id]
    ).fetchone()
    return Memo(*row) if row else None


def list_memos(db: sqlite3.Connection) -> dict[int, Memo]:
    """Every memo, by source id."""
    return {row[0]: Memo(*row) for row in db.execute("SELECT source_id, memo, author, updated_at FROM source_memos")}


def save_memo(db: sqlite3.Connection, source_id: int, memo: str, author: str = "") -> Memo | None:
    """Replace a source's memo (the text exactly as given); an all-blank memo removes it.

    Raises:
        NotFound: no such source. StoreError: the memo is longer than MAX_MEMO_CHARS.
    """
    if len(memo) > MAX_MEMO_CHARS:
        raise StoreError(f"memo too long ({len(memo)} characters; the limit is {MAX_MEMO_CHARS})")
    with write(db):
        if db.execute("SELECT 1 FROM sources WHERE id = ?", [source_id]).fetchone() is None:
            raise NotFound(f"no source with id {source_id}")
        if not memo.strip():
            db.execute("DELETE FROM source_memos WHERE source_id = ?", [source_id])
            return None
        stamp = now()
        db.execute(
            """INSERT INTO source_memos (source_id, memo, author, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(source_id) DO UPDATE SET memo = excluded.memo, author = excluded.author,
               updated_at = excluded.updated_at""",
            [source_id, memo, author, stamp],
        )
        return Memo(source_id, memo, author, stamp)


def search_memos(db: sqlite3.Connection, words: str) -> list[int]:
    """Ids of sources whose memo holds all of `words` (stemmed, accents ignored), best first."""
    expression = " AND ".join(
        '"' + word.replace('"', '""') + '"*' for word in words.replace("\x00", " ").split()
    )
    if not expression:
        return []
    rows = db.execute(
        "SELECT rowid FROM source_memos_fts WHERE source_memos_fts MATCH ? ORDER BY rank", [expression]
    )
    return [row[0] for row in rows]
