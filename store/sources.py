"""Sources in the store: adding, updating in place, finding, listing and removing."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from postil.sources.document import NO_META, Block, BlockTable, LoadedSource
from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import Ambiguous, NotFound
from postil.store.models import Source, SourceInfo
from postil.store.offsets import has_offsets, save_offsets
from postil.store.pages import Page, save_pages
from postil.store.pdf_marks import add_marks
from postil.store.reanchor import reanchor_source
from postil.store.records import fill_from_source

_INFO_COLUMNS = """
    s.id, s.title, s.origin, s.format, s.sha256, s.size,
    coalesce((SELECT c.chars FROM source_chars c WHERE c.source_id = s.id), length(s.text)) AS chars,
    s.imported_at, s.updated_at, s.changed_at,
    coalesce((SELECT r.read_offset FROM reading_positions r WHERE r.source_id = s.id), 0) AS read_offset,
    (SELECT r.last_read_at FROM reading_positions r WHERE r.source_id = s.id) AS last_read_at,
    (SELECT count(*) FROM highlights h WHERE h.source_id = s.id) AS highlight_count
"""


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
            f"SELECT {_INFO_COLUMNS} FROM sources s WHERE s.sha256 = ? ORDER BY s.id LIMIT 1",
            [loaded.sha256],
        ).fetchone()
        if same_bytes:
            info = _info(db, same_bytes)
            if loaded.offsets is not None and not has_offsets(db, info.id):
                save_offsets(db, info.id, loaded.offsets)  # imported before maps were kept
            if info.origin == loaded.origin:
                return AddResult(info, "unchanged", _block_count(db, info.id))
            # The file was moved or copied: read it from where it is now (`refresh` would
            # otherwise keep reading a file that may be gone), and remember both places.
            _record_origins(db, info.id, [info.origin, loaded.origin])
            db.execute("UPDATE sources SET origin = ? WHERE id = ?", [loaded.origin, info.id])
            return AddResult(
                get_source_info(db, info.id), "unchanged", _block_count(db, info.id),
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


def _block_count(db: sqlite3.Connection, source_id: int) -> int:
    return db.execute("SELECT count(*) FROM blocks WHERE source_id = ?", [source_id]).fetchone()[0]


def _info(db: sqlite3.Connection, row: tuple) -> SourceInfo:
    return SourceInfo(*row)


def get_source_info(db: sqlite3.Connection, source_id: int) -> SourceInfo:
    row = db.execute(f"SELECT {_INFO_COLUMNS} FROM sources s WHERE s.id = ?", [source_id]).fetchone()
    if row is None:
        raise NotFound(f"no source with id {source_id}")
    return _info(db, row)


BLOCK_COLUMNS = 'kind, level, start, "end", meta'
"""The columns `blocks_from_rows` reads, in its order."""

_new = object.__new__
_set_kind, _set_start, _set_end, _set_level, _set_meta = (
    Block.__dict__[name].__set__ for name in ("kind", "start", "end", "level", "meta")
)


def blocks_from_rows(rows) -> list[Block]:
    """Blocks from rows of BLOCK_COLUMNS, built for a 10 MB source's 20,000 blocks.

    Each is filled through its slots' own setters, not the frozen dataclass `__init__`
    (one `object.__setattr__` per field took longer than the query). Each row brings its own
    copy of the kind's name: interned, 20,000 "paragraph" strings become one. Blocks without
    extra facts share the read-only NO_META.
    """
    out: list[Block] = []
    append = out.append
    intern = sys.intern
    for kind, level, start, end, meta in rows:
        block = _new(Block)
        _set_kind(block, intern(kind))
        _set_start(block, start)
        _set_end(block, end)
        _set_level(block, level)
        _set_meta(block, json.loads(meta) if meta != "{}" else NO_META)
        append(block)
    return out


def block_table_from_rows(rows) -> BlockTable:
    """Blocks from rows of BLOCK_COLUMNS as a BlockTable: what an open source keeps (see
    BlockTable for why). Kind names are interned, as in blocks_from_rows."""
    intern, loads = sys.intern, json.loads
    return BlockTable.from_rows(
        (intern(kind), level, start, end, loads(meta) if meta != "{}" else None)
        for kind, level, start, end, meta in rows
    )


def read_block_table(db: sqlite3.Connection, source_id: int) -> BlockTable:
    return block_table_from_rows(db.execute(
        f"SELECT {BLOCK_COLUMNS} FROM blocks WHERE source_id = ? ORDER BY seq", [source_id]
    ))


def get_source(db: sqlite3.Connection, source_id: int, *, blocks: bool = True) -> Source:
    """A source with its reading text and blocks (`blocks=False`: an empty block list, for
    callers that read the spans they need with `get_block_spans`)."""
    info = get_source_info(db, source_id)
    text, warnings = db.execute(
        "SELECT text, warnings FROM sources WHERE id = ?", [source_id]
    ).fetchone()
    blocks = blocks_from_rows(db.execute(
        f'SELECT {BLOCK_COLUMNS} FROM blocks WHERE source_id = ? ORDER BY seq', [source_id]
    )) if blocks else []
    return Source(**vars(info), text=text, blocks=blocks, warnings=json.loads(warnings))


def get_block_spans(db: sqlite3.Connection, source_id: int) -> list[tuple[str, int | None, int, int]]:
    """(kind, level, start, end) of a source's blocks in document order (none if no such source).

    What locating a quote needs (exports cite a heading path and paragraph number), without
    building a Block and decoding its meta for every block of every source.
    """
    return db.execute(
        'SELECT kind, level, start, "end" FROM blocks WHERE source_id = ? ORDER BY seq', [source_id]
    ).fetchall()


def table_header_starts(db: sqlite3.Connection, source_id: int) -> set[int]:
    """Where a source's table header rows start (blocks whose meta says {"header": true})."""
    return {
        row[0]
        for row in db.execute(
            "SELECT start FROM blocks WHERE source_id = ? AND kind = 'table_row' AND json_extract(meta, '$.header') = 1",
            [source_id],
        )
    }


def source_text(db: sqlite3.Connection, source_id: int) -> str:
    row = db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()
    if row is None:
        raise NotFound(f"no source with id {source_id}")
    return row[0]


def list_sources(db: sqlite3.Connection) -> list[SourceInfo]:
    """Every source, in the order they were added."""
    return [_info(db, row) for row in db.execute(f"SELECT {_INFO_COLUMNS} FROM sources s ORDER BY s.id")]


def source_titles(db: sqlite3.Connection) -> dict[int, str]:
    """Every source's title by id (what a list naming sources needs, without their counts)."""
    return dict(db.execute("SELECT id, title FROM sources"))


def find_source(db: sqlite3.Connection, ref: str) -> SourceInfo:
    """Resolve what a user typed: an id, a title or file name, or a unique prefix of either.

    Raises:
        NotFound: nothing matches.
        Ambiguous: a prefix matches several sources (the message lists them).
    """
    ref = ref.strip()
    sources = list_sources(db)
    if ref.isdigit():
        for source in sources:
            if source.id == int(ref):
                return source
    needle = ref.casefold()

    def names(source: SourceInfo) -> tuple[str, str, str]:
        file_name = Path(source.origin).name.casefold()
        return source.title.casefold(), file_name, Path(file_name).stem

    exact = [s for s in sources if needle in names(s)]
    if len(exact) == 1:
        return exact[0]
    matches = exact or [s for s in sources if any(n.startswith(needle) for n in names(s))]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no source matches {ref!r} (try `postil sources` for ids and titles)")
    listed = ", ".join(f"{s.id} {s.title!r}" for s in matches[:6])
    raise Ambiguous(f"{ref!r} matches {len(matches)} sources: {listed}; give an id or more of the title")


def delete_source(db: sqlite3.Connection, source_id: int) -> None:
    """Delete a source with its blocks, highlights and their links."""
    with write(db):
        get_source_info(db, source_id)
        db.execute("DELETE FROM sources WHERE id = ?", [source_id])


def rename_source(db: sqlite3.Connection, source_id: int, title: str) -> None:
    with write(db):
        db.execute("UPDATE sources SET title = ? WHERE id = ?", [title, source_id])


def save_reading_position(db: sqlite3.Connection, source_id: int, offset: int) -> None:
    """Remember where the reader was in a source, and that it was the last one read.

    Kept in `reading_positions`, not in the source's row: updating that row rewrites its
    whole text (40 ms on a 10 MB source), and this runs whenever the reader stops moving.
    """
    with write(db):
        db.execute(
            """INSERT OR REPLACE INTO reading_positions (source_id, read_offset, last_read_at)
               SELECT id, ?, ? FROM sources WHERE id = ?""",
            [offset, now(), source_id],
        )


def library_is_empty(db: sqlite3.Connection) -> bool:
    return not db.execute("SELECT EXISTS (SELECT 1 FROM sources)").fetchone()[0]


def last_read_source(db: sqlite3.Connection) -> int | None:
    """The source read most recently, else the first one added, else None."""
    row = db.execute(
        """SELECT s.id FROM sources s LEFT JOIN reading_positions r ON r.source_id = s.id
           ORDER BY r.last_read_at IS NULL, r.last_read_at DESC, s.id LIMIT 1"""
    ).fetchone()
    return row[0] if row else None


def source_by_origin(db: sqlite3.Connection, origin: str) -> SourceInfo | None:
    row = db.execute(
        f"SELECT {_INFO_COLUMNS} FROM sources s WHERE s.origin = ? ORDER BY s.id LIMIT 1", [origin]
    ).fetchone()
    return _info(db, row) if row else None


def source_by_sha256(db: sqlite3.Connection, sha256: str) -> SourceInfo | None:
    row = db.execute(
        f"SELECT {_INFO_COLUMNS} FROM sources s WHERE s.sha256 = ? ORDER BY s.id LIMIT 1", [sha256]
    ).fetchone()
    return _info(db, row) if row else None
