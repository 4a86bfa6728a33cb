"""Sources in the store: finding, reading, listing, renaming and removing.

Adding a source, or updating it from its file, is store/source_add.py."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from postil.sources.blocks import NO_META, Block, BlockTable
from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import Ambiguous, NotFound
from postil.store.models import Source, SourceInfo

INFO_COLUMNS = """
    s.id, s.title, s.origin, s.format, s.sha256, s.size,
    coalesce((SELECT c.chars FROM source_chars c WHERE c.source_id = s.id), length(s.text)) AS chars,
    s.imported_at, s.updated_at, s.changed_at,
    coalesce((SELECT r.read_offset FROM reading_positions r WHERE r.source_id = s.id), 0) AS read_offset,
    (SELECT r.last_read_at FROM reading_positions r WHERE r.source_id = s.id) AS last_read_at,
    (SELECT count(*) FROM highlights h WHERE h.source_id = s.id) AS highlight_count
"""
"""A SourceInfo's columns in its field order, selected `FROM sources s` (see `info_from_row`)."""


def count_blocks(db: sqlite3.Connection, source_id: int) -> int:
    return db.execute("SELECT count(*) FROM blocks WHERE source_id = ?", [source_id]).fetchone()[0]


def info_from_row(row: tuple) -> SourceInfo:
    """The SourceInfo of a row selected with INFO_COLUMNS."""
    return SourceInfo(*row)


def get_source_info(db: sqlite3.Connection, source_id: int) -> SourceInfo:
    row = db.execute(f"SELECT {INFO_COLUMNS} FROM sources s WHERE s.id = ?", [source_id]).fetchone()
    if row is None:
        raise NotFound(f"no source with id {source_id}")
    return info_from_row(row)


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
    return [info_from_row(row) for row in db.execute(f"SELECT {INFO_COLUMNS} FROM sources s ORDER BY s.id")]


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
        f"SELECT {INFO_COLUMNS} FROM sources s WHERE s.origin = ? ORDER BY s.id LIMIT 1", [origin]
    ).fetchone()
    return info_from_row(row) if row else None


def source_by_sha256(db: sqlite3.Connection, sha256: str) -> SourceInfo | None:
    row = db.execute(
        f"SELECT {INFO_COLUMNS} FROM sources s WHERE s.sha256 = ? ORDER BY s.id LIMIT 1", [sha256]
    ).fetchone()
    return info_from_row(row) if row else None
