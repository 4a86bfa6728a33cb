"""A paged source's page map (PDF): each page's index, declared label and span in the reading text.

Migration 0006 made the table. A highlight's page is the page whose span holds its start, so
citations say "p. 4" with the label the document declares (iii, 4, A-1), not the index.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from postil.store.db import write


@dataclass(frozen=True)
class Page:
    """One page of a PDF source: where its text lies in the source's text."""

    index: int
    """Zero-based position of the page in the file."""
    label: str
    """The label the document declares for the page ("iii", "4"), else its 1-based number."""
    start: int
    end: int
    """The page's span in the reading text, end exclusive."""


def save_pages(db: sqlite3.Connection, source_id: int, pages: Iterable[Page]) -> None:
    """Replace the page map of a source."""
    with write(db):
        db.execute("DELETE FROM source_pages WHERE source_id = ?", [source_id])
        db.executemany(
            'INSERT INTO source_pages (source_id, page_index, label, start, "end") VALUES (?, ?, ?, ?, ?)',
            [(source_id, p.index, p.label, p.start, p.end) for p in pages],
        )


def list_pages(db: sqlite3.Connection, source_id: int) -> list[Page]:
    rows = db.execute(
        'SELECT page_index, label, start, "end" FROM source_pages WHERE source_id = ? ORDER BY page_index',
        [source_id],
    )
    return [Page(*row) for row in rows]


def page_at(db: sqlite3.Connection, source_id: int, offset: int) -> Page | None:
    """The page holding `offset` of the reading text; None for a source without pages.

    A page without text (a scanned page) has an empty span at the start of the next page
    and is never the answer. One index seek (source_pages_start), then a step back past
    any empty pages: O(log pages).
    """
    row = db.execute(
        'SELECT page_index, label, start, "end" FROM source_pages'
        ' WHERE source_id = ? AND start <= ? AND "end" > start ORDER BY start DESC LIMIT 1',
        [source_id, offset],
    ).fetchone()
    return Page(*row) if row else None


def page_label_at(db: sqlite3.Connection, source_id: int, offset: int) -> str | None:
    """The label of the page holding `offset` ("4", "iii"), or None for a source without pages."""
    page = page_at(db, source_id, offset)
    return page.label if page else None


@dataclass
class PageLookup:
    """A source's pages with text, held in memory to find the page of many offsets (a list
    of highlights, the reader's cursor) with a bisect each: O(log pages), no query."""

    pages: list[Page] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def page_at(self, offset: int) -> Page | None:
        index = bisect_right(self.starts, offset) - 1
        return self.pages[index] if index >= 0 else None

    def label_at(self, offset: int) -> str | None:
        """The label of the page holding `offset`, or None (no pages, e.g. not a PDF)."""
        page = self.page_at(offset)
        return page.label if page else None

    def __bool__(self) -> bool:
        return bool(self.pages)


def page_lookup(db: sqlite3.Connection, source_id: int) -> PageLookup:
    """The page map of a source for repeated lookups (empty for a source without pages)."""
    pages = [p for p in list_pages(db, source_id) if p.end > p.start]
    return PageLookup(pages, [p.start for p in pages])
