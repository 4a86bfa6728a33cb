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

import gc
import json
from contextlib import contextmanager
from typing import Iterator

import sqlite_utils

from sources.document import Block
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


def source_for_reading(db: sqlite_utils.Database, source_id: int) -> Source:
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
