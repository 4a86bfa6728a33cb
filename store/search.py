"""Running search queries over the highlights: results in order, paged, counted.

`store.query` parses a query; `store.search_compile` resolves its names against the
database and compiles it to an SQL predicate; this module runs it, choosing a plan per page
(a walk in result order for broad queries, an indexed lookup for narrow ones).
`store.search_terms` finds what a result matched, for emphasis (its functions are
re-exported here, as the search screen uses both); `store.search_saved` keeps saved queries
and the history.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from postil.store.models import Highlight
from postil.store.query import And, Node, Or, Phrase, QueryError, Term, Words
from postil.store.search_compile import Compiler, fts_expr, parsed
from postil.store.search_terms import PREFIX_MIN, emphasis_spans, match_terms

_COLUMNS = (
    'h.id, h.source_id, h.start, h."end", h.quote, h.prefix, h.suffix, h.note, h.author, '
    "h.created_at, h.updated_at, h.version, h.anchor_status"
)
_ORDER = "ORDER BY s.title COLLATE NOCASE, s.id, h.start, h.pk"
"""Source title, then position; equal starts by creation. Matches the indexes of migration
0002 so that ordering needs no table lookups (see bench/bench_search.py)."""
RESULT_ORDER = _ORDER
"""The result order, for store modules that read the same results another way (streaming)."""

Restriction = tuple[str, list] | None
"""An extra SQL predicate on `highlights h` with its parameters (None: no restriction)."""


@dataclass
class SearchHit:
    """A result with the facts a result list shows beside the highlight."""

    highlight: Highlight
    source_title: str


def where_clause(db: sqlite3.Connection, query: str | Node) -> tuple[str, list]:
    """The SQL predicate on `highlights h` for a query, and its parameters.

    For other store modules (exports) that need the matching set inside their own SQL.

    Raises:
        QueryError: malformed query, or a tag/relation name that does not exist.
    """
    return Compiler(db).compile(parsed(query))


@dataclass
class TextQuery:
    """What a query asks of the sources' own text (see `text_query`)."""

    fts: str
    """FTS5 MATCH expression over `sources_fts.text`."""
    terms: list[str]
    """The words and phrases, for locating and emphasising passages."""
    source_ids: set[int] | None
    """Only these sources (from `source:`), or None for all."""
    excluded: set[int]
    """Sources a negated `source:` leaves out."""
    any_term: bool
    """An OR query: a passage needs one of the terms, not all of them."""


def text_query(db: sqlite3.Connection, query: str | Node) -> TextQuery | None:
    """The query's words as a search of the sources' text, or None when it has none or when
    it also filters highlights (tag:, has:, rel:, a column, ...), which text cannot have.

    Raises:
        QueryError: a malformed query.
    """
    node = parsed(query)
    parts = list(node.children) if isinstance(node, And) else [node]
    text, sources, excluded = [], None, set()
    compiler = Compiler(db)
    for part in parts:
        if fts_expr(part) is not None and not _has_column(part):
            text.append(part)
        elif isinstance(part, Term) and part.field == "source":
            ids = {i for v in part.values for i in compiler.match_sources(v)}
            if part.negated:
                excluded |= ids
            else:
                sources = ids if sources is None else sources & ids
        else:
            return None
    if not text:
        return None
    fts = " AND ".join(f"({fts_expr(part)})" for part in text)
    return TextQuery(f"text : ({fts})", match_terms(node), sources, excluded, _has_or(node))


def _has_column(node: Node) -> bool:
    if isinstance(node, (Words, Phrase)):
        return node.column is not None
    return isinstance(node, (And, Or)) and any(_has_column(c) for c in node.children)


def _has_or(node: Node) -> bool:
    return isinstance(node, Or) or (isinstance(node, And) and any(_has_or(c) for c in node.children))


WALK_BUDGET = 40
"""Progress-handler calls (1,000 VM steps each; 40 is about 7 ms) a walk in result order may take."""


def _walk_in_order(db: sqlite3.Connection, node: Node, page: list[int],
                   restrict: Restriction = None) -> list[int] | None:
    """A page of matches found by walking highlights in result order, or None if too slow.

    A broad query (one tag, has:link, has:note) matches so many rows that sorting them all
    for one page costs 50-200 ms, while walking sources by title and highlights by position,
    testing each row, fills the page after a few hundred rows and stops. A narrow query
    would walk far; the walk is then cut off by a step budget and the caller's indexed plan
    (find the few matches, sort them) runs instead.
    """
    where, params = _restricted(Compiler(db, walk=True).compile(node), restrict)
    sql = (
        "SELECT h.pk FROM sources s CROSS JOIN highlights h ON h.source_id = s.id "
        f"WHERE {where} {_ORDER} LIMIT ? OFFSET ?"
    )
    calls = 0

    def budget() -> int:
        nonlocal calls
        calls += 1
        return calls > WALK_BUDGET

    conn = db
    conn.set_progress_handler(budget, 1000)
    try:
        return [row[0] for row in conn.execute(sql, params + page)]
    except sqlite3.OperationalError:
        if calls > WALK_BUDGET:
            return None
        raise
    finally:
        conn.set_progress_handler(None, 1000)


def search_hits(
    db: sqlite3.Connection, query: str | Node, *, limit: int | None = None, offset: int = 0,
    restrict: Restriction = None,
) -> list[SearchHit]:
    """Highlights matching `query` with their source titles, in source then document order.

    Args:
        db: an open postil database.
        query: query text or a parsed AST; empty text means every highlight.
        limit: at most this many results (None: all).
        offset: skip this many first (paging).
        restrict: a further SQL predicate on `highlights h` and its parameters, e.g. what
            blind mode hides (store.reviewers.BlindView.restriction).

    Raises:
        QueryError: malformed query, or a tag/relation name that does not exist.
    """
    node = parsed(query)
    if limit is None and restrict is None and isinstance(node, And) and not node.children:
        return _every_hit(db, max(0, int(offset)))
    page = [-1 if limit is None else max(0, int(limit)), max(0, int(offset))]
    pks = _walk_in_order(db, node, page, restrict) if limit is not None else None
    if pks is None:
        where, params = _restricted(Compiler(db).compile(node), restrict)
        # Two steps: order and page only the row keys (narrow rows sort fast, and the indexes
        # cover them), then read the full rows of that page.
        keys = (
            f"SELECT h.pk FROM highlights h JOIN sources s ON s.id = h.source_id "
            f"WHERE {where} {_ORDER} LIMIT ? OFFSET ?"
        )
        pks = [row[0] for row in db.execute(keys, params + page)]
    if not pks:
        return []
    rows = db.execute(
        f"SELECT h.pk, {_COLUMNS}, s.title FROM highlights h JOIN sources s ON s.id = h.source_id "
        "WHERE h.pk IN (SELECT value FROM json_each(?))",
        [json.dumps(pks)],
    )
    by_pk = {row[0]: SearchHit(Highlight(*row[1:14]), row[14]) for row in rows}
    hits = [by_pk[pk] for pk in pks]
    _fill_tags_and_links(db, [hit.highlight for hit in hits])
    return hits


def _every_hit(db: sqlite3.Connection, offset: int) -> list[SearchHit]:
    """Every highlight in result order (an export of everything): with nothing to filter,
    the indexes already give the order, so the full rows are read in one pass (no key list
    to sort and look up again) and tags and link counts come from one grouped query each."""
    rows = db.execute(
        f"SELECT {_COLUMNS}, s.title FROM highlights h JOIN sources s ON s.id = h.source_id "
        f"{_ORDER} LIMIT -1 OFFSET ?",
        [offset],
    )
    hits = [SearchHit(Highlight(*row[:13]), row[13]) for row in rows]
    by_id = {hit.highlight.id: hit.highlight for hit in hits}
    # Ordered by tag id like `_fill_tags_and_links`; with an offset, rows of skipped
    # highlights are dropped here.
    for highlight_id, name in db.execute(
        "SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
        "ORDER BY t.id"
    ):
        highlight = by_id.get(highlight_id)
        if highlight is not None:
            highlight.tags.append(name)
    for highlight_id, links in db.execute(
        "SELECT end_id, count(*) FROM (SELECT from_id AS end_id FROM links "
        "UNION ALL SELECT to_id FROM links) GROUP BY end_id"
    ):
        highlight = by_id.get(highlight_id)
        if highlight is not None:
            highlight.link_count = links
    return hits


def _restricted(compiled: tuple[str, list], restrict: Restriction) -> tuple[str, list]:
    if restrict is None:
        return compiled
    where, params = compiled
    return f"({where}) AND ({restrict[0]})", [*params, *restrict[1]]


def search(
    db: sqlite3.Connection, query: str | Node, *, limit: int | None = None, offset: int = 0,
    restrict: Restriction = None,
) -> list[Highlight]:
    """Highlights matching `query`, tags and link counts filled, in source then document order.

    Sources are ordered by title (case-insensitive), highlights by position in each source.
    See `search_hits` for the arguments and errors.
    """
    return [hit.highlight for hit in search_hits(db, query, limit=limit, offset=offset, restrict=restrict)]


def count(db: sqlite3.Connection, query: str | Node, *, restrict: Restriction = None) -> int:
    """How many highlights match `query` (raises QueryError like `search`)."""
    where, params = _restricted(where_clause(db, query), restrict)
    return db.execute(f"SELECT count(*) FROM highlights h WHERE {where}", params).fetchone()[0]


def _fill_tags_and_links(db: sqlite3.Connection, highlights: list[Highlight]) -> None:
    if not highlights:
        return

    by_id = {h.id: h for h in highlights}
    ids = json.dumps(list(by_id))
    rows = db.execute(
        "SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
        "WHERE ht.highlight_id IN (SELECT value FROM json_each(?)) ORDER BY t.id",
        [ids],
    )
    for highlight_id, name in rows:
        by_id[highlight_id].tags.append(name)
    rows = db.execute(
        "SELECT j.value, "
        "(SELECT count(*) FROM links WHERE from_id = j.value) + "
        "(SELECT count(*) FROM links WHERE to_id = j.value) FROM json_each(?) j",
        [ids],
    )
    for highlight_id, links in rows:
        by_id[highlight_id].link_count = links


__all__ = [
    "SearchHit", "search", "search_hits", "count", "where_clause", "text_query", "TextQuery",
    "match_terms", "emphasis_spans", "PREFIX_MIN", "QueryError", "Restriction", "RESULT_ORDER",
]
