"""Running search queries: AST -> parameterised SQL over the highlights, plus saved queries.

`store.query` parses; this module resolves names against the database (tags, relations,
sources) and compiles each node to an SQL predicate on `highlights h`. Nothing from the
query text is ever spliced into SQL: values are bound parameters, and free text reaches
FTS5 only as a MATCH parameter in which every user token is an FTS5 string ("..." with
inner quotes doubled), so `NEAR(`, `*`, `"` or `OR 1=1` cannot change the FTS or SQL syntax.

Name resolution (documented for users in the help screen):
- `tag:` and `rel:` match a name case-insensitively; when no name is equal, every name that
  starts with the value (`tag:cav` while typing); when none does, a QueryError lists the known names.
- `source:` takes an id (digits) or words that must all appear in the title or the origin's
  file name (case-insensitive substrings); no matching source simply gives no results.
- `before:D` is strictly before day D, `after:D` strictly after day D; with a time, strictly
  before/after that instant (UTC).
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import NotFound, StoreError
from postil.store.models import Highlight
from postil.store.query import (
    And,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    Words,
    has_token_chars,
    is_token_char,
    next_day,
    parse,
)

HISTORY_KEEP = 200
"""How many recent queries `record_history` keeps."""

PREFIX_MIN = 3
"""Words this long or longer also match as prefixes ("dur" finds "durability"). Shorter
ones would match most of the index and slow every query down, so they match whole words."""

_COLUMNS = (
    'h.id, h.source_id, h.start, h."end", h.quote, h.prefix, h.suffix, h.note, h.author, '
    "h.created_at, h.updated_at, h.version, h.anchor_status"
)
_ORDER = "ORDER BY s.title COLLATE NOCASE, s.id, h.start, h.pk"

Restriction = tuple[str, list] | None
"""An extra SQL predicate on `highlights h` with its parameters (None: no restriction)."""
"""Source title, then position; equal starts by creation. Matches the indexes of migration
0002 so that ordering needs no table lookups (see bench/bench_search.py)."""


@dataclass
class SearchHit:
    """A result with the facts a result list shows beside the highlight."""

    highlight: Highlight
    source_title: str


# --- compiling --------------------------------------------------------------------------


class _Compiler:
    """Turns an AST into (sql, params), looking names up in the database once."""

    def __init__(self, db: sqlite3.Connection, *, walk: bool = False) -> None:
        self.db = db
        self.walk = walk
        """Compile for a walk in result order: nothing drives, every test is a per-row probe."""
        self._tags: list[tuple[int, str]] | None = None
        self._relations: list[str] | None = None
        self._sources: list[tuple[int, str]] | None = None
        self.driven = False

    def compile(self, node: Node) -> tuple[str, list]:
        params: list = []
        # With a driving predicate, other tag/link tests look each candidate row up
        # (EXISTS, one index seek per row the driver yields); without one, every row is
        # visited and a set built once is cheaper to probe than 100,000 seeks.
        if self.walk:
            self.driven = True
            return self._node(node, params, drive=False), params
        self.driven = self._rank(node) is not None or (
            isinstance(node, And) and any(self._rank(c) is not None for c in node.children)
        )
        sql = self._node(node, params, drive=True)
        return sql, params

    # Without ANALYZE statistics (the app never runs it) SQLite may combine two IN-lists
    # into one index seek per pair (25,000 tag ids x 400 FTS rows: 9 s for one count).
    # So the compiler picks one predicate of the top-level AND to drive the query through
    # an index, in this order, and writes every other one as `+column IN (...)`: a probe of
    # a set built once. Free text is usually the most selective; tags the least.
    _DRIVE_RANK = {"fts": 0, "source": 1, "rel": 2, "author": 3, "tag": 4, "has": 5}

    def _rank(self, node: Node) -> int | None:
        if _fts_expr(node) is not None:
            return self._DRIVE_RANK["fts"]
        if isinstance(node, Term) and not node.negated:
            if node.field == "has" and node.values != ("link",):
                return None
            return self._DRIVE_RANK.get(node.field)
        return None

    def _node(self, node: Node, params: list, drive: bool = False) -> str:
        fts = _fts_expr(node)
        if fts is not None:
            params.append(fts)
            return _fts_sql(drive)
        if isinstance(node, And):
            if not node.children:
                return "1"
            # Free-text children of an AND go to FTS as one MATCH: one index lookup, not many.
            text = [c for c in node.children if _fts_expr(c) is not None]
            rest = [c for c in node.children if _fts_expr(c) is None]
            ranks = [self._rank(c) for c in rest]
            driver = None
            if drive and not text and any(r is not None for r in ranks):
                driver = min((r, i) for i, r in enumerate(ranks) if r is not None)[1]
            parts = []
            if text:
                params.append(" AND ".join(f"({_fts_expr(c)})" for c in text))
                parts.append(_fts_sql(drive))
            parts.extend(self._node(c, params, i == driver) for i, c in enumerate(rest))
            return "(" + " AND ".join(parts) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self._node(c, params) for c in node.children) + ")"
        if isinstance(node, Not):
            return f"NOT ({self._node(node.child, params)})"
        if isinstance(node, Term):
            sql = self._term(node, params, drive and not node.negated)
            return f"NOT ({sql})" if node.negated else sql
        raise QueryError(f"cannot search for {type(node).__name__}", 0)

    def _term(self, term: Term, params: list, drive: bool = False) -> str:
        name, values = term.field, term.values
        plus = "" if drive else "+"
        probe = not drive and self.driven
        if name == "tag":
            ids = self._resolve(term, [(i, n) for i, n in self.tags()], "tag")
            params.extend(ids)
            if probe:
                return (
                    "EXISTS (SELECT 1 FROM highlight_tags ht WHERE ht.highlight_id = h.id "
                    f"AND ht.tag_id IN ({_marks(ids)}))"
                )
            return (
                f"{plus}h.id IN (SELECT highlight_id FROM highlight_tags WHERE tag_id IN "
                f"({_marks(ids)}))"
            )
        if name == "rel":
            names = self._resolve(term, [(n, n) for n in self.relations()], "relation")
            params.extend(names + names)
            marks = _marks(names)
            if probe:
                return (
                    f"(EXISTS (SELECT 1 FROM links l WHERE l.from_id = h.id AND l.relation IN ({marks})) "
                    f"OR EXISTS (SELECT 1 FROM links l WHERE l.to_id = h.id AND l.relation IN ({marks})))"
                )
            return (
                f"{plus}h.id IN (SELECT from_id FROM links WHERE relation IN ({marks}) "
                f"UNION ALL SELECT to_id FROM links WHERE relation IN ({marks}))"
            )
        if name == "source":
            ids = sorted({i for v in values for i in self._match_sources(v)})
            if not ids:
                return "0"
            params.extend(ids)
            return f"{plus}h.source_id IN ({_marks(ids)})"
        if name == "author":
            # Resolved here so the comparison is case-insensitive and still uses the index.
            wanted = {v.casefold() for v in values}
            names = [a for a in self.authors() if a.casefold() in wanted]
            if not names:
                return "0"
            params.extend(names)
            return f"{plus}h.author IN ({_marks(names)})"
        if name == "has":
            checks = {
                "note": "trim(h.note) <> ''",
                "tag": "EXISTS (SELECT 1 FROM highlight_tags ht WHERE ht.highlight_id = h.id)",
                # one set of linked ids, probed per row: cheaper than two lookups per row
                "link": "(EXISTS (SELECT 1 FROM links l WHERE l.from_id = h.id) "
                "OR EXISTS (SELECT 1 FROM links l WHERE l.to_id = h.id))" if probe else
                f"{plus}h.id IN (SELECT from_id FROM links UNION ALL SELECT to_id FROM links)",
                "memo": f"{plus}h.source_id IN (SELECT source_id FROM source_memos)",
            }
            return "(" + " OR ".join(checks[v] for v in values) + ")"
        if name == "memo":
            # Each value's words all in one memo (stemmed, prefixes); a list is either of them.
            words = [[w.replace('"', '""') for w in v.replace("\x00", " ").split() if has_token_chars(w)] for v in values]
            expression = " OR ".join("(" + " AND ".join(f'"{w}"*' for w in ws) + ")" for ws in words if ws)
            if not expression:
                return "0"
            params.append(expression)
            return f"{plus}h.source_id IN (SELECT rowid FROM source_memos_fts WHERE source_memos_fts MATCH ?)"
        if name == "status":
            params.extend(values)
            return f"h.anchor_status IN ({_marks(values)})"
        # Dates never drive: a range usually covers much of the table, where a scan is
        # cheaper than an index walk plus a row lookup for each entry.
        if name == "before":
            params.append(values[0])
            return "+h.created_at < ?"
        if name == "after":
            value = values[0]
            if len(value) == 10:  # a whole day: strictly after it means from the next day on
                params.append(next_day(value))
                return "+h.created_at >= ?"
            params.append(value)
            return "+h.created_at > ?"
        if name == "id":
            parts = []
            for value in values:
                params.append(_like_escape(value.lower()) + "%")
                parts.append("h.id LIKE ? ESCAPE '\\'")
            return "(" + " OR ".join(parts) + ")"
        raise QueryError(f"unknown field '{name}:'", term.position)

    def _resolve(self, term: Term, known: list[tuple], what: str) -> list:
        """Exact case-insensitive names first, else names starting with the value."""
        found: list = []
        for value in term.values:
            folded = value.casefold()
            exact = [key for key, n in known if n.casefold() == folded]
            matches = exact or [key for key, n in known if n.casefold().startswith(folded)]
            if not matches:
                names = ", ".join(n for _, n in known) or "none yet"
                raise QueryError(f"unknown {what} {value!r}", term.position, f"known: {names}")
            found.extend(m for m in matches if m not in found)
        return found

    def _match_sources(self, value: str) -> list[int]:
        if value.isascii() and value.isdigit():
            return [i for i, _ in self.sources() if i == int(value)]
        words = value.casefold().split()
        return [i for i, hay in self.sources() if all(w in hay for w in words)]

    def tags(self) -> list[tuple[int, str]]:
        if self._tags is None:
            self._tags = [tuple(r) for r in self.db.execute("SELECT id, name FROM tags ORDER BY id")]
        return self._tags

    def relations(self) -> list[str]:
        if self._relations is None:
            rows = self.db.execute("SELECT name FROM relations ORDER BY position, name")
            self._relations = [r[0] for r in rows]
        return self._relations

    def authors(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT author FROM highlights WHERE author <> ''")
        return [row[0] for row in rows]

    def sources(self) -> list[tuple[int, str]]:
        """(id, casefolded "title filename") for every source."""
        if self._sources is None:
            rows = self.db.execute("SELECT id, title, origin FROM sources")
            self._sources = [
                (i, f"{title} {_file_name(origin)}".casefold()) for i, title, origin in rows
            ]
        return self._sources


def _fts_sql(drive: bool) -> str:
    column = "h.pk" if drive else "+h.pk"
    return f"{column} IN (SELECT rowid FROM highlights_fts WHERE highlights_fts MATCH ?)"


def _file_name(origin: str) -> str:
    parts = re.split(r"[/\\]", origin.rstrip("/\\"))
    return parts[-1] if parts else origin


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_string(text: str) -> str:
    """One FTS5 string literal: the user's text can never become FTS syntax."""
    return '"' + text.replace("\x00", " ").replace('"', '""') + '"'


def _fts_expr(node: Node) -> str | None:
    """The FTS5 MATCH expression for a node made only of free text, else None."""
    if isinstance(node, Words):
        expr = _fts_string(node.text)
        if sum(1 for ch in node.text if is_token_char(ch)) >= PREFIX_MIN:
            expr += "*"  # porter stems the prefix too: "relapse"* finds relapses, relapsing
        return f"{node.column} : {expr}" if node.column else expr
    if isinstance(node, Phrase):
        expr = _fts_string(node.text)
        return f"{node.column} : {expr}" if node.column else expr
    if isinstance(node, (And, Or)) and node.children:
        parts = [_fts_expr(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        joiner = " AND " if isinstance(node, And) else " OR "
        return joiner.join(f"({p})" for p in parts)
    return None


def _parsed(query: str | Node) -> Node:
    return query if isinstance(query, Node) else parse(query)


# --- running ----------------------------------------------------------------------------


def where_clause(db: sqlite3.Connection, query: str | Node) -> tuple[str, list]:
    """The SQL predicate on `highlights h` for a query, and its parameters.

    For other store modules (exports) that need the matching set inside their own SQL.

    Raises:
        QueryError: malformed query, or a tag/relation name that does not exist.
    """
    return _Compiler(db).compile(_parsed(query))


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
    node = _parsed(query)
    parts = list(node.children) if isinstance(node, And) else [node]
    text, sources, excluded = [], None, set()
    compiler = _Compiler(db)
    for part in parts:
        if _fts_expr(part) is not None and not _has_column(part):
            text.append(part)
        elif isinstance(part, Term) and part.field == "source":
            ids = {i for v in part.values for i in compiler._match_sources(v)}
            if part.negated:
                excluded |= ids
            else:
                sources = ids if sources is None else sources & ids
        else:
            return None
    if not text:
        return None
    fts = " AND ".join(f"({_fts_expr(part)})" for part in text)
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
    where, params = _restricted(_Compiler(db, walk=True).compile(node), restrict)
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
    node = _parsed(query)
    if limit is None and restrict is None and isinstance(node, And) and not node.children:
        return _every_hit(db, max(0, int(offset)))
    page = [-1 if limit is None else max(0, int(limit)), max(0, int(offset))]
    pks = _walk_in_order(db, node, page, restrict) if limit is not None else None
    if pks is None:
        where, params = _restricted(_Compiler(db).compile(node), restrict)
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


# --- emphasis ---------------------------------------------------------------------------


def match_terms(query: str | Node) -> list[str]:
    """The words and phrases a result matched, for emphasis in the UI (never raises).

    Negated text is left out: it is absent from the results by definition.
    """
    try:
        node = _parsed(query)
    except QueryError:
        return []
    terms: list[str] = []

    def visit(n: Node) -> None:
        if isinstance(n, Not):
            return
        if isinstance(n, (Words, Phrase)) and n.text not in terms:
            terms.append(n.text)
        if isinstance(n, (And, Or)):
            for child in n.children:
                visit(child)

    visit(node)
    return terms


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SUFFIXES = ("ing", "es", "ed", "s", "e", "y")


def _stem(word: str) -> str:
    """A crude stem, so emphasis agrees with FTS's porter stemming in common cases."""
    word = _fold(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def emphasis_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Character ranges of `text` to emphasise for `terms` (from `match_terms`), sorted.

    A word is emphasised when it starts with a term's stem (as FTS prefix matching does);
    a multi-word term (a phrase) is emphasised where its words occur consecutively.
    """
    words = [(m.start(), m.end(), _fold(m.group())) for m in _WORD.finditer(text)]
    spans: set[tuple[int, int]] = set()
    for term in terms:
        parts = [_fold(w) for w in _WORD.findall(term)]
        if not parts:
            continue
        if len(parts) == 1:
            stem = _stem(parts[0])
            for start, end, word in words:
                if word.startswith(stem) if len(parts[0]) >= PREFIX_MIN else _stem(word) == stem:
                    spans.add((start, end))
            continue
        stems = [_stem(p) for p in parts]
        for i in range(len(words) - len(parts) + 1):
            window = words[i : i + len(parts)]
            if all(_stem(w[2]) == s for w, s in zip(window, stems)):
                spans.add((window[0][0], window[-1][1]))
    return sorted(spans)


# --- saved queries and history ------------------------------------------------------------


def save_query(db: sqlite3.Connection, name: str, query: str) -> None:
    """Save (or replace) `query` under `name`. Raises QueryError if it does not parse."""
    name = name.strip()
    if not name:
        raise StoreError("a saved query needs a name")
    parse(query)
    with write(db):
        db.execute(
            "INSERT INTO saved_queries (name, query, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET query = excluded.query",
            [name, query, now()],
        )


def saved_queries(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, query) pairs, by name."""
    rows = db.execute("SELECT name, query FROM saved_queries ORDER BY name COLLATE NOCASE, name")
    return [(name, query) for name, query in rows]


def delete_saved_query(db: sqlite3.Connection, name: str) -> None:
    """Forget a saved query. Raises NotFound when there is none of that name."""
    with write(db):
        cursor = db.execute("DELETE FROM saved_queries WHERE name = ?", [name])
        if cursor.rowcount == 0:
            raise NotFound(f"no saved query named {name!r}")


def record_history(db: sqlite3.Connection, query: str) -> None:
    """Remember a query the user ran; repeats of the latest are not added twice."""
    query = query.strip()
    if not query:
        return
    with write(db):
        last = db.execute("SELECT id, query FROM query_history ORDER BY id DESC LIMIT 1").fetchone()
        if last and last[1] == query:
            db.execute("UPDATE query_history SET used_at = ? WHERE id = ?", [now(), last[0]])
            return
        db.execute("INSERT INTO query_history (query, used_at) VALUES (?, ?)", [query, now()])
        db.execute(
            "DELETE FROM query_history WHERE id NOT IN "
            "(SELECT id FROM query_history ORDER BY id DESC LIMIT ?)",
            [HISTORY_KEEP],
        )


def history(db: sqlite3.Connection) -> list[str]:
    """Recent queries, newest first."""
    return [row[0] for row in db.execute("SELECT query FROM query_history ORDER BY id DESC")]


__all__ = [
    "SearchHit", "search", "search_hits", "count", "where_clause", "match_terms",
    "emphasis_spans", "save_query", "saved_queries", "delete_saved_query", "record_history",
    "history", "QueryError",
]
