"""Reading many highlights as a stream: in batches, each with its tags and link counts.

Bulk readers (exports, `postil highlights --json`) hold one batch at a time, so their memory
does not grow with the number of highlights. One cursor walks the rows in order; each batch's
tags and link counts come from a few queries over that batch's ids (`highlights.from_rows`).
The query is checked when the function is called, before the first batch is asked for, so a
bad query fails before anything is written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice

from postil.store.highlights import HIGHLIGHT_COLUMNS, from_rows
from postil.store.models import Highlight
from postil.store.query import Node
from postil.store.search import RESULT_ORDER, where_clause

BATCH = 500
"""Highlights per batch: few enough to keep memory flat, enough that the per-batch
queries cost nothing beside the rows."""


def search_batches(db: sqlite3.Connection, query: str | Node, size: int = BATCH, *,
                   restrict: tuple[str, list] | None = None) -> Iterator[list[Highlight]]:
    """The highlights `store.search.search` returns for `query`, in its order, in batches.

    Args:
        restrict: a further predicate on `highlights h` and its parameters, as in `search`.

    Raises:
        QueryError: malformed query, or a name that does not exist (raised here, not later).
    """
    return _batches(db, _matching(db, HIGHLIGHT_COLUMNS, query, restrict), size)


def search_ids(db: sqlite3.Connection, query: str | Node, *,
               restrict: tuple[str, list] | None = None) -> Iterator[str]:
    """Only the ids of `search_batches`' highlights, in the same order (one light pass)."""
    return (row[0] for row in _matching(db, "h.id", query, restrict))


def keyed_search_batches(db: sqlite3.Connection, query: str | Node, size: int = BATCH, *,
                         restrict: tuple[str, list] | None = None,
                         link_counts: Mapping[str, int] | None = None) -> Iterator[tuple[list[int], list[Highlight]]]:
    """`search_batches` with each highlight's row key (`h.pk`) beside it, for a reader that
    comes back to some of them later (`batches_by_key`) instead of holding them;
    `link_counts` as `store.highlights.from_rows` takes them."""
    return _keyed_batches(db, _matching(db, f"h.pk, {HIGHLIGHT_COLUMNS}", query, restrict), size, link_counts)


def _matching(db: sqlite3.Connection, columns: str, query: str | Node,
              restrict: tuple[str, list] | None) -> sqlite3.Cursor:
    """`columns` of the highlights matching `query`, in the search's order, as a cursor."""
    where, params = _where(db, query, restrict)
    return db.execute(
        f"SELECT {columns} FROM highlights h JOIN sources s ON s.id = h.source_id WHERE {where} {RESULT_ORDER}",
        params,
    )


def batches_by_key(db: sqlite3.Connection, keys: Sequence[int], size: int = BATCH, *,
                   link_counts: Mapping[str, int] | None = None) -> Iterator[list[Highlight]]:
    """The highlights whose row keys are `keys`, in that order, in batches (one query each);
    a key no longer in the database is skipped. `link_counts` as `from_rows` takes them."""
    for begin in range(0, len(keys), size):
        chunk = list(keys[begin : begin + size])
        found = {
            row[0]: row[1:]
            for row in db.execute(
                f"SELECT h.pk, {HIGHLIGHT_COLUMNS} FROM highlights h WHERE h.pk IN (SELECT value FROM json_each(?))",
                [json.dumps(chunk)],
            )
        }
        rows = [found[key] for key in chunk if key in found]
        if rows:
            yield from_rows(db, rows, link_counts=link_counts)


def highlight_batches(
    db: sqlite3.Connection, source_id: int | None = None, size: int = BATCH
) -> Iterator[list[Highlight]]:
    """What `store.highlights.list_highlights` returns, in its order, in batches."""
    if source_id is None:
        cursor = db.execute(f'SELECT {HIGHLIGHT_COLUMNS} FROM highlights h ORDER BY h.source_id, h.start, h."end" DESC')
    else:
        cursor = db.execute(
            f'SELECT {HIGHLIGHT_COLUMNS} FROM highlights h WHERE h.source_id = ? '
            'ORDER BY h.start, h."end" DESC, h.created_at',
            [source_id],
        )
    return _batches(db, cursor, size)


def _where(db: sqlite3.Connection, query: str | Node, restrict: tuple[str, list] | None) -> tuple[str, list]:
    where, params = where_clause(db, query)
    if restrict is None:
        return where, params
    return f"({where}) AND ({restrict[0]})", [*params, *restrict[1]]


def _batches(db: sqlite3.Connection, cursor: sqlite3.Cursor, size: int) -> Iterator[list[Highlight]]:
    while True:
        rows = list(islice(cursor, size))
        if not rows:
            return
        yield from_rows(db, rows)


def _keyed_batches(db: sqlite3.Connection, cursor: sqlite3.Cursor, size: int,
                   link_counts: Mapping[str, int] | None = None) -> Iterator[tuple[list[int], list[Highlight]]]:
    while True:
        rows = list(islice(cursor, size))
        if not rows:
            return
        yield [row[0] for row in rows], from_rows(db, [row[1:] for row in rows], link_counts=link_counts)
