"""Fast reads for the reader's open path: a source with its blocks, as store.sources.get_source.

A 10 MB source has about 20,000 blocks. `Block` is a frozen dataclass whose `__init__` goes
through `object.__setattr__` once per field, which made building the list cost more than
reading the rows. Here each Block gets its field dict in one step (same class, same fields,
same equality), so opening a source costs about the query and the text copy.

Building tens of thousands of objects also sets off the cyclic garbage collector again and
again, and each full pass walks every object the app has (the Textual DOM, styles, modules):
that took longer than the building itself. `paused_gc` holds it off for such a bulk read;
nothing built there is cyclic garbage, so nothing is lost by collecting afterwards.
"""

from __future__ import annotations

import codecs
import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sources.document import Block
from store.db import Readable
from store.errors import NotFound
from store.models import Source
from store.sources import get_source_info

_new = object.__new__
_set = object.__setattr__
_EMPTY_META = "{}"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cyclic garbage collector while building many objects (re-entrant)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _blocks(rows) -> list[Block]:
    """Blocks from (kind, level, start, end, meta) rows, built without the dataclass __init__."""
    out: list[Block] = []
    append = out.append
    for kind, level, start, end, meta in rows:
        block = _new(Block)
        _set(block, "__dict__", {"kind": kind, "start": start, "end": end, "level": level,
                                 "meta": json.loads(meta) if meta != _EMPTY_META else {}})
        append(block)
    return out


def source_for_reading(db: Readable, source_id: int) -> Source:
    """The same Source as store.sources.get_source (text, blocks, warnings), built faster.

    Raises:
        NotFound: no source with that id.
    """
    info = get_source_info(db, source_id)
    text, warnings = db.execute("SELECT text, warnings FROM sources WHERE id = ?", [source_id]).fetchone()
    with paused_gc():
        blocks = _blocks(
            db.execute('SELECT kind, level, start, "end", meta FROM blocks WHERE source_id = ? ORDER BY seq', [source_id])
        )
    return Source(**vars(info), text=text, blocks=blocks, warnings=json.loads(warnings))


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


def preview_for_reading(db: Readable, source_id: int, *, at_top: bool) -> Preview:
    """The part of a source that the first screen shows (see Preview).

    Reading a 10 MB source whole costs ~65 ms (the text, 20,000 block rows, their objects);
    the first screen needs a few dozen blocks. The text's first bytes are read through
    SQLite's incremental blob I/O, which fetches only the pages asked for (a SELECT of the
    column, even with substr, loads all 10 MB), and only columns stored before the text are
    selected (reaching a later one walks the whole overflow chain). The preview always starts
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
    conn = getattr(db, "conn", db)
    with conn.blobopen("sources", "text", source_id, readonly=True) as blob:
        data = blob.read(min(len(blob), 4 * limit))  # UTF-8: at most 4 bytes a character
    # Complete characters only: the cut may fall inside one.
    text = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    with paused_gc():
        blocks = _blocks(db.execute(
            'SELECT kind, level, start, "end", meta FROM blocks WHERE source_id = ? AND start < ? ORDER BY seq',
            [source_id, limit],
        ))
    blocks = [b for b in blocks if b.end <= len(text)]
    # End with the last block: text past it would be shown as loose paragraphs meanwhile.
    text = text[: blocks[-1].end] if blocks else text[:limit]
    return Preview(title, text, blocks, min(cursor, max(0, len(text) - 1)))
