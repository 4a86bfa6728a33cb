"""Highlights a PDF brought with it (its Highlight/Underline annotations) become postil highlights.

Called by `add_source` inside its transaction. postil's own annotations keep their id and
tags; another reader's get the tag whose colour is nearest theirs (when near enough, else
none). Ids are stable per file and annotation, so reading a file again adds nothing twice.
"""

from __future__ import annotations

import sqlite3

from postil.sources.document import PdfMark
from postil.store.colors import parse_color
from postil.store.errors import StoreError
from postil.store.highlights import create_highlight
from postil.store.tags import list_tags

NEAR_ENOUGH = 120
"""Largest RGB distance at which a foreign highlight's colour still names a tag."""


def add_marks(db: sqlite3.Connection, source_id: int, marks: list[PdfMark]) -> int:
    """Create the highlights for `marks` that do not exist yet; how many were created."""
    if not marks:
        return 0
    colors = [(t.name, _rgb(t.color)) for t in list_tags(db)]
    added = 0
    for mark in marks:
        if db.execute("SELECT 1 FROM highlights WHERE id = ?", [mark.mark_id]).fetchone():
            continue
        tags = mark.tags if mark.own else nearest_tag(mark.color, colors)
        create_highlight(db, source_id, mark.start, mark.end, tags=tags, note=mark.note, author=mark.author,
                         highlight_id=mark.mark_id)
        added += 1
    return added


def nearest_tag(color: str | None, colors: list[tuple[str, tuple[int, int, int] | None]]) -> list[str]:
    """[the tag whose colour is nearest `color`] when near enough, else []."""
    rgb = _rgb(color) if color else None
    if rgb is None:
        return []
    best, distance = None, NEAR_ENOUGH + 1.0
    for name, other in colors:
        if other is None:
            continue
        d = sum((a - b) ** 2 for a, b in zip(rgb, other)) ** 0.5
        if d < distance:
            best, distance = name, d
    return [best] if best is not None else []


def _rgb(color: str) -> tuple[int, int, int] | None:
    try:
        value = parse_color(color).lstrip("#")
    except (StoreError, ValueError, TypeError):
        return None
    if len(value) != 6:
        return None
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
