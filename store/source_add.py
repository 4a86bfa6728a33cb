"""Adding a source to the store, or updating it in place when its file changed.

Apart from store/sources.py (finding, reading, listing) because adding needs the whole chain
of what a file brings with it: its record (store.records, sources.csl), the page map, the
marks a PDF carries, and re-anchoring. The first screen only reads, and never imports these
(see tui/startup.py, 'Dialogs').
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from postil.sources.blocks import Block
from postil.sources.document import LoadedSource
from postil.store.clock import now
from postil.store.db import write
from postil.store.models import SourceInfo
from postil.store.offsets import has_offsets, save_offsets
from postil.store.pages import Page, save_pages
from postil.store.pdf_marks import add_marks
from postil.store.reanchor import reanchor_source
from postil.store.records import fill_from_source
from postil.store.sources import INFO_COLUMNS, count_blocks, get_source_info, info_from_row


@dataclass
class AddResult:
    """What `add_source` did with one loaded file."""

    source: SourceInfo
    status: str
    """"added", "unchanged" (same bytes seen before) or "updated" (changed in place)."""
    block_count: int
    reanchor: object | None = None
    """A store.reanchor.ReanchorReport when an update moved highlights."""
    marks_added: int = 0
    """Highlights made from the file's own annotations (a PDF marked in another reader)."""
    previous_origin: str | None = None
    """Where the source was read from before, when the same bytes came from a new place."""


def add_source(db: sqlite3.Connection, loaded: LoadedSource) -> AddResult:
    """Store a loaded source, or update the source with the same origin in place.

    Bytes seen before (same sha256) change nothing but the origin, when they now come from a
    new place (the old one is kept in source_origins). What the file says about itself (its
    record: meta tags, front matter) fills the source's bibliographic record, never over a
    field set by hand or by an imported bibliography. A changed file with a known origin
    replaces that source's text and blocks and re-anchors its highlights, all in one
    transaction: a failure leaves the database as it was.
    """
    document = loaded.document
    with write(db):
        same_bytes = db.execute(
            f"SELECT {INFO_COLUMNS} FROM sources s WHERE s.sha256 = ? ORDER BY s.id LIMIT 1",
            [loaded.sha256],
        ).fetchone()
        if same_bytes:
            info = info_from_row(same_bytes)
            if loaded.offsets is not None and not has_offsets(db, info.id):
                save_offsets(db, info.id, loaded.offsets)  # imported before maps were kept
            if info.origin == loaded.origin:
                return AddResult(info, "unchanged", count_blocks(db, info.id))
            # The file was moved or copied: read it from where it is now (`refresh` would
            # otherwise keep reading a file that may be gone), and remember both places.
            _record_origins(db, info.id, [info.origin, loaded.origin])
            db.execute("UPDATE sources SET origin = ? WHERE id = ?", [loaded.origin, info.id])
            return AddResult(
                get_source_info(db, info.id), "unchanged", count_blocks(db, info.id),
                previous_origin=info.origin,
            )
        existing = db.execute(
            "SELECT id FROM sources WHERE origin = ? ORDER BY id LIMIT 1", [loaded.origin]
        ).fetchone()
        stamp = now()
        if existing:
            source_id = existing[0]
            db.execute(
                """UPDATE sources SET title = ?, format = ?, sha256 = ?, size = ?, text = ?,
                   warnings = ?, updated_at = ?, changed_at = ? WHERE id = ?""",
                [
                    document.title, document.format, loaded.sha256, loaded.size, document.text,
                    json.dumps(document.warnings), stamp, stamp, source_id,
                ],
            )
            db.execute(
                "UPDATE reading_positions SET read_offset = min(read_offset, ?) WHERE source_id = ?",
                [len(document.text), source_id],
            )
            db.execute("DELETE FROM blocks WHERE source_id = ?", [source_id])
            _insert_blocks(db, source_id, document.blocks)
            _save_page_map(db, source_id, loaded)
            save_offsets(db, source_id, loaded.offsets)

            fill_from_source(db, source_id, document.record)
            report = reanchor_source(db, source_id, document.text)
            marks = add_marks(db, source_id, loaded.marks)
            return AddResult(get_source_info(db, source_id), "updated", len(document.blocks), report, marks_added=marks)
        cursor = db.execute(
            """INSERT INTO sources (title, origin, format, sha256, size, text, warnings,
               imported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                document.title, loaded.origin, document.format, loaded.sha256, loaded.size,
                document.text, json.dumps(document.warnings), stamp, stamp,
            ],
        )
        source_id = cursor.lastrowid
        # A reused id (a deleted source, foreign keys off) must not inherit a position.
        db.execute("DELETE FROM reading_positions WHERE source_id = ?", [source_id])
        _insert_blocks(db, source_id, document.blocks)
        fill_from_source(db, source_id, document.record)
        if loaded.offsets is not None:
            save_offsets(db, source_id, loaded.offsets)
        _save_page_map(db, source_id, loaded)
        marks = add_marks(db, source_id, loaded.marks)
        return AddResult(get_source_info(db, source_id), "added", len(document.blocks), marks_added=marks)


def _save_page_map(db: sqlite3.Connection, source_id: int, loaded: LoadedSource) -> None:
    """The page map goes in the same transaction as the text it maps (replacing the old map
    when a PDF changes). Sources without pages touch nothing, so adding text still works on
    a database that predates the page table (as the upgrade tests build)."""
    if loaded.pages:
        save_pages(db, source_id, (Page(p.index, p.label, p.start, p.end) for p in loaded.pages))


def _record_origins(db: sqlite3.Connection, source_id: int, origins: list[str]) -> None:
    stamp = now()
    db.executemany(
        "INSERT OR IGNORE INTO source_origins (source_id, origin, seen_at) VALUES (?, ?, ?)",
        [(source_id, origin, stamp) for origin in origins],
    )


def _insert_blocks(db: sqlite3.Connection, source_id: int, blocks: list[Block]) -> None:
    db.executemany(
        'INSERT INTO blocks (source_id, seq, kind, level, start, "end", meta) VALUES (?, ?, ?, ?, ?, ?, ?)',
        (
            (source_id, seq, b.kind, b.level, b.start, b.end, json.dumps(b.meta) if b.meta else "{}")
            for seq, b in enumerate(blocks)
        ),
    )
