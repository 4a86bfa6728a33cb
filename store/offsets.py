"""Each source's map from reading text to its file's text (table source_offsets, 0006)."""

from __future__ import annotations

import sqlite3

from postil.sources.offsets import OffsetMap


def save_offsets(db: sqlite3.Connection, source_id: int, offsets: OffsetMap | None) -> None:
    """Keep (or, with None, forget) a source's offset map; call inside `write(db)`."""
    if offsets is None:
        db.execute("DELETE FROM source_offsets WHERE source_id = ?", [source_id])
        return
    db.execute(
        "INSERT OR REPLACE INTO source_offsets (source_id, file_chars, runs) VALUES (?, ?, ?)",
        [source_id, offsets.file_chars, offsets.to_blob()],
    )


def load_offsets(db: sqlite3.Connection, source_id: int) -> OffsetMap | None:
    """A source's offset map, or None when it has none (imported before maps were kept)."""
    row = db.execute("SELECT file_chars, runs FROM source_offsets WHERE source_id = ?", [source_id]).fetchone()
    return OffsetMap.from_blob(row[0], row[1]) if row else None


def has_offsets(db: sqlite3.Connection, source_id: int) -> bool:
    """Whether a source has an offset map."""
    return db.execute("SELECT 1 FROM source_offsets WHERE source_id = ?", [source_id]).fetchone() is not None
