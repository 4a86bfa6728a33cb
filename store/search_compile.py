"""Compiling a parsed query (store.query) to a parameterised SQL predicate on `highlights h`.

Nothing from the query text is ever spliced into SQL: values are bound parameters, and free
text reaches FTS5 only as a MATCH parameter in which every user token is an FTS5 string
("..." with inner quotes doubled), so `NEAR(`, `*`, `"` or `OR 1=1` cannot change the FTS or
SQL syntax.

Name resolution (documented for users in the help screen):
- `tag:` and `rel:` match a name case-insensitively; when no name is equal, every name that
  starts with the value (`tag:cav` while typing); when none does, a QueryError lists the known names.
- `source:` takes an id (digits) or words that must all appear in the title or the origin's
  file name (case-insensitive substrings); no matching source simply gives no results.
- `before:D` is strictly before day D, `after:D` strictly after day D; with a time, strictly
  before/after that instant (UTC).
"""

from __future__ import annotations

import re
import sqlite3

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
from postil.store.search_terms import PREFIX_MIN

_UNSURE = {
    status: f"SELECT pk FROM highlights INDEXED BY highlights_{status} WHERE anchor_status = '{status}'"
    for status in ("fuzzy", "orphaned")
}
"""The few highlights of an uncertain place, each status through its partial index (migration
0010): SQLite uses one only for a query naming its very condition, a literal (not a bound
parameter, not an IN list). `status:fuzzy,orphaned` read every highlight's status (~22 ms at
100,000); now the ~4,000 of them. The SQL is made of these constants, never of query text."""


class Compiler:
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
    _DRIVE_RANK = {"fts": 0, "source": 1, "status": 2, "rel": 3, "author": 4, "tag": 5, "has": 6}

    def _rank(self, node: Node) -> int | None:
        if fts_expr(node) is not None:
            return self._DRIVE_RANK["fts"]
        if isinstance(node, Term) and not node.negated:
            if node.field == "has" and node.values != ("link",):
                return None
            if node.field == "status" and not set(node.values) <= set(_UNSURE):
                return None  # anchored and moved have no index: most highlights are
            return self._DRIVE_RANK.get(node.field)
        return None

    def _node(self, node: Node, params: list, drive: bool = False) -> str:
        fts = fts_expr(node)
        if fts is not None:
            params.append(fts)
            return fts_sql(drive)
        if isinstance(node, And):
            if not node.children:
                return "1"
            # Free-text children of an AND go to FTS as one MATCH: one index lookup, not many.
            text = [c for c in node.children if fts_expr(c) is not None]
            rest = [c for c in node.children if fts_expr(c) is None]
            ranks = [self._rank(c) for c in rest]
            driver = None
            if drive and not text and any(r is not None for r in ranks):
                driver = min((r, i) for i, r in enumerate(ranks) if r is not None)[1]
            parts = []
            if text:
                params.append(" AND ".join(f"({fts_expr(c)})" for c in text))
                parts.append(fts_sql(drive))
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
            ids = sorted({i for v in values for i in self.match_sources(v)})
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
            if drive and set(values) <= set(_UNSURE):
                return "h.pk IN (" + " UNION ALL ".join(_UNSURE[v] for v in dict.fromkeys(values)) + ")"
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

    def match_sources(self, value: str) -> list[int]:
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


def fts_sql(drive: bool) -> str:
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


def fts_expr(node: Node) -> str | None:
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
        parts = [fts_expr(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        joiner = " AND " if isinstance(node, And) else " OR "
        return joiner.join(f"({p})" for p in parts)
    return None


def parsed(query: str | Node) -> Node:
    return query if isinstance(query, Node) else parse(query)
