"""Directed links between highlights, and the editable list of relations they may carry."""

from __future__ import annotations

import json
import sqlite3

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import NotFound, StoreError
from postil.store.ids import new_id
from postil.store.models import Link, LinkView, Relation

DEFAULT_RELATION = "see-also"
_LINK_COLUMNS = "l.id, l.from_id, l.to_id, l.relation, l.note, l.author, l.created_at"


def relations(db: sqlite3.Connection) -> list[Relation]:
    return [Relation(*row) for row in db.execute("SELECT name, description, position FROM relations ORDER BY position, name")]


def relation_names(db: sqlite3.Connection) -> list[str]:
    return [r.name for r in relations(db)]


def add_relation(db: sqlite3.Connection, name: str, description: str = "") -> Relation:
    name = name.strip().lower()
    if not name or any(c.isspace() for c in name) or any(c in name for c in ",:()\""):
        raise StoreError(f"relation name {name!r} must be one word without , : ( ) or quotes")
    with write(db):
        position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM relations").fetchone()[0]
        db.execute(
            "INSERT OR IGNORE INTO relations (name, description, position) VALUES (?, ?, ?)",
            [name, description, position],
        )
    return next(r for r in relations(db) if r.name == name)


def check_relation(db: sqlite3.Connection, relation: str) -> str:
    known = relation_names(db)
    name = relation.strip().lower()
    if name not in known:
        raise StoreError(f"unknown relation {relation!r}; known relations: {', '.join(known)}")
    return name


def create_link(
    db: sqlite3.Connection,
    from_id: str,
    to_id: str,
    *,
    relation: str = DEFAULT_RELATION,
    note: str = "",
    author: str = "",
    link_id: str | None = None,
) -> Link:
    """Link one highlight to another.

    Raises:
        StoreError: a self-link, an unknown relation, or the same link already there.
        NotFound: either highlight is missing.
    """
    if from_id == to_id:
        raise StoreError("a highlight cannot link to itself")
    with write(db):
        relation = check_relation(db, relation)
        for hid in (from_id, to_id):
            if not db.execute("SELECT 1 FROM highlights WHERE id = ?", [hid]).fetchone():
                raise NotFound(f"no highlight with id {hid}")
        if db.execute(
            "SELECT 1 FROM links WHERE from_id = ? AND to_id = ? AND relation = ?", [from_id, to_id, relation]
        ).fetchone():
            raise StoreError(f"these highlights are already linked with {relation!r}")
        link = Link(link_id or new_id(), from_id, to_id, relation, note, author, now())
        _insert(db, link)
        return link


def _insert(db: sqlite3.Connection, link: Link) -> None:
    db.execute(
        "INSERT INTO links (id, from_id, to_id, relation, note, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [link.id, link.from_id, link.to_id, link.relation, link.note, link.author, link.created_at],
    )


def restore_link(db: sqlite3.Connection, link: Link, *, missing_ok: bool = False) -> bool:
    """Put back a deleted link exactly. With missing_ok, skip it when an end is gone."""
    with write(db):
        ends = db.execute(
            "SELECT count(*) FROM highlights WHERE id IN (?, ?)", [link.from_id, link.to_id]
        ).fetchone()[0]
        if ends < 2:
            if missing_ok:
                return False
            raise NotFound("a highlight at one end of this link no longer exists")
        if db.execute("SELECT 1 FROM links WHERE id = ?", [link.id]).fetchone():
            return True
        _insert(db, link)
        return True


def get_link(db: sqlite3.Connection, link_id: str) -> Link:
    row = db.execute(f"SELECT {_LINK_COLUMNS} FROM links l WHERE l.id = ?", [link_id]).fetchone()
    if row is None:
        raise NotFound(f"no link with id {link_id}")
    return Link(*row)


def delete_link(db: sqlite3.Connection, link_id: str) -> Link:
    with write(db):
        link = get_link(db, link_id)
        db.execute("DELETE FROM links WHERE id = ?", [link_id])
        return link


def find_links(
    db: sqlite3.Connection, from_id: str, to_id: str, relation: str | None = None
) -> list[Link]:
    sql = f"SELECT {_LINK_COLUMNS} FROM links l WHERE l.from_id = ? AND l.to_id = ?"
    params: list = [from_id, to_id]
    if relation:
        sql += " AND l.relation = ?"
        params.append(relation)
    return [Link(*row) for row in db.execute(sql + " ORDER BY l.created_at", params)]


def links_of(db: sqlite3.Connection, highlight_id: str) -> list[Link]:
    """Every link touching a highlight, either direction."""
    return [
        Link(*row)
        for row in db.execute(
            f"SELECT {_LINK_COLUMNS} FROM links l WHERE l.from_id = ? OR l.to_id = ? ORDER BY l.created_at",
            [highlight_id, highlight_id],
        )
    ]


def list_links(db: sqlite3.Connection) -> list[Link]:
    return [Link(*row) for row in db.execute(f"SELECT {_LINK_COLUMNS} FROM links l ORDER BY l.created_at, l.id")]


def links_touching(db: sqlite3.Connection, highlight_ids: list[str]) -> list[Link]:
    """Every link with an end among `highlight_ids`, in `list_links` order (a batch of an export)."""
    if not highlight_ids:
        return []
    ids = json.dumps(highlight_ids)
    return [
        Link(*row)
        for row in db.execute(
            f"""SELECT {_LINK_COLUMNS} FROM links l WHERE l.from_id IN (SELECT value FROM json_each(?))
                UNION SELECT {_LINK_COLUMNS} FROM links l WHERE l.to_id IN (SELECT value FROM json_each(?))
                ORDER BY 7, 1""",
            [ids, ids],
        )
    ]


def link_counts(db: sqlite3.Connection) -> dict[str, int]:
    """Highlight id -> how many links it is an end of, for every linked highlight (one read
    for an export's many batches; `Highlight.link_count`)."""
    return dict(db.execute(
        "SELECT hid, count(*) FROM (SELECT from_id AS hid FROM links UNION ALL SELECT to_id FROM links) GROUP BY hid"))


def link_views(db: sqlite3.Connection, highlight_id: str) -> list[LinkView]:
    """Outgoing links and backlinks of a highlight, each with a glimpse of the other end."""
    views = []
    for row in db.execute(
        f"""SELECT {_LINK_COLUMNS},
                   CASE WHEN l.from_id = :h THEN 'out' ELSE 'in' END AS direction,
                   o.id, o.quote, o.source_id, s.title, o.author
            FROM links l
            JOIN highlights o ON o.id = CASE WHEN l.from_id = :h THEN l.to_id ELSE l.from_id END
            JOIN sources s ON s.id = o.source_id
            WHERE l.from_id = :h OR l.to_id = :h
            ORDER BY direction DESC, l.created_at""",
        {"h": highlight_id},
    ):
        views.append(LinkView(Link(*row[:7]), *row[7:]))
    return views
