"""Fast reads for the reader's open path: a source with its blocks, and a preview of it."""

from __future__ import annotations

import codecs
import sqlite3
from dataclasses import dataclass
from itertools import takewhile

from postil.sources.blocks import Block
from postil.store.errors import NotFound
from postil.store.models import Source
from postil.store.sources import BLOCK_COLUMNS, blocks_from_rows, get_source, read_block_table


def source_for_reading(db: sqlite3.Connection, source_id: int) -> Source:
    """postil.store.sources.get_source with its blocks as a BlockTable (what an open source keeps).

    Raises:
        NotFound: no source with that id.
    """
    source = get_source(db, source_id, blocks=False)
    source.blocks = read_block_table(db, source_id)
    return source


PREVIEW_CHARS = 65_536
"""How much text past the cursor a preview holds: many screens' worth at any width."""


@dataclass
class Preview:
    """The start of a source's reading text, up to past the cursor: enough to paint the
    first screen before the whole text and its blocks are read."""

    title: str
    text: str
    """`text[:len(preview.text)]` of the reading text (offsets are the same)."""
    blocks: list[Block]
    """The blocks wholly inside that part, as source_for_reading gives them."""
    cursor: int
    """Where the reader opens: 0 at the top, else the saved reading position."""


def preview_for_reading(db: sqlite3.Connection, source_id: int, *, at_top: bool) -> Preview:
    """The part of a source that the first screen shows (see Preview).

    Reading a 10 MB source whole costs ~65 ms (the text, 20,000 block rows, their objects);
    the first screen needs a few dozen blocks. The text's first bytes are read through
    SQLite's incremental blob I/O, which fetches only the pages asked for (a SELECT of the
    column, even with substr, loads all 10 MB). The preview always starts
    at offset 0, so a cursor deep in the text makes it long: no slower than a full read.

    Raises:
        NotFound: no source with that id.
    """
    row = db.execute(
        """SELECT s.title,
                  coalesce((SELECT r.read_offset FROM reading_positions r WHERE r.source_id = s.id), 0)
           FROM sources s WHERE s.id = ?""",
        [source_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no source with id {source_id}")
    title, read_offset = row
    cursor = 0 if at_top else max(0, read_offset)
    limit = cursor + PREVIEW_CHARS
    with db.blobopen("sources", "text", source_id, readonly=True) as blob:
        data = blob.read(min(len(blob), 4 * limit))  # UTF-8: at most 4 bytes a character
    # Complete characters only: the cut may fall inside one.
    text = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    rows = db.execute(f"SELECT {BLOCK_COLUMNS} FROM blocks WHERE source_id = ? ORDER BY seq", [source_id])
    # Blocks come in text order: stop at the first past the limit. (A `start < ?` in the
    # query scanned all 20,000 blocks of a 10 MB source: 2 ms of the first screen.)
    blocks = blocks_from_rows(takewhile(lambda row: row[2] < limit, rows))
    rows.close()  # the statement stopped early: release it now, not when collected
    blocks = [b for b in blocks if b.end <= len(text)]
    # End with the last block: text past it would be shown as loose paragraphs meanwhile.
    text = text[: blocks[-1].end] if blocks else text[:limit]
    return Preview(title, text, blocks, min(cursor, max(0, len(text) - 1)))
