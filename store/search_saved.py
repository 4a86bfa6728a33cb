"""Saved queries (by name, offered in the command palette) and the history of queries run."""

from __future__ import annotations

import sqlite3

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import NotFound, StoreError
from postil.store.query import parse

HISTORY_KEEP = 200
"""How many recent queries `record_history` keeps."""


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
