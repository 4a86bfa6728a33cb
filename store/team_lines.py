"""Each reviewer file's annotation lines as this database last read or wrote them (team_lines).

A team sync reads a changed reviewer file line by line: a line whose sha256 is recorded here
is the annotation already merged, so only new and changed lines are parsed and merged, and a
recorded line gone from the file is an annotation its reviewer deleted. The links a line
carried are recorded with it, so a link gone from a changed line is deleted here too.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from postil.store.db import write


@dataclass(frozen=True)
class LineRecord:
    """One annotation line of a reviewer file, as last read or written."""

    digest: str
    """sha256 of the line (without the comma that separates it from the next)."""
    links: str = ""
    """The ids of the links the annotation carried, sorted, separated by spaces."""
    signature: str = ""
    """What this database wrote the line from (`signatures`); "" for a line read from a file."""

    def link_ids(self) -> set[str]:
        return set(self.links.split())


def lines_of(db: sqlite3.Connection, collection: str) -> dict[str, LineRecord]:
    """{highlight id: its line} of `collection`'s file (a reviewer file's name without .jsonld)."""
    return {row[0]: LineRecord(row[1], row[2], row[3]) for row in db.execute(
        "SELECT highlight_id, digest, links, signature FROM team_lines WHERE collection = ?", [collection])}


def save_lines(db: sqlite3.Connection, collection: str, changed: Mapping[str, LineRecord],
               removed: Iterable[str] = ()) -> None:
    """Record new and changed lines of `collection`'s file, and forget the removed ones."""
    with write(db):
        db.executemany(
            "INSERT INTO team_lines (collection, highlight_id, digest, links, signature) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(collection, highlight_id) DO UPDATE SET digest = excluded.digest, links = excluded.links,"
            " signature = excluded.signature",
            [(collection, highlight_id, line.digest, line.links, line.signature)
             for highlight_id, line in changed.items()],
        )
        db.executemany("DELETE FROM team_lines WHERE collection = ? AND highlight_id = ?",
                       [(collection, highlight_id) for highlight_id in removed])


def signatures(db: sqlite3.Connection, author: str) -> dict[str, tuple[str, str]]:
    """{highlight id: (signature, updated_at)} of `author`'s highlights. The signature is the
    sha256 of everything their annotation line is made from: the highlight's columns, its
    source's hash and origin, its tags' names and its outgoing links (a tag rename or a new
    link changes it, though neither touches the highlight's updated_at)."""
    rows = db.execute(
        """SELECT h.id, h.updated_at, h.source_id, h.start, h."end", h.quote, h.prefix, h.suffix, h.note,
                  h.author, h.created_at, h.version, h.anchor_status, s.sha256, s.origin,
                  (SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM highlight_tags ht
                       JOIN tags t ON t.id = ht.tag_id WHERE ht.highlight_id = h.id ORDER BY t.name)),
                  (SELECT group_concat(k, char(30)) FROM (SELECT l.id || char(31) || l.to_id || char(31)
                       || l.relation || char(31) || l.note || char(31) || l.author || char(31) || l.created_at AS k
                       FROM links l WHERE l.from_id = h.id ORDER BY l.id))
           FROM highlights h JOIN sources s ON s.id = h.source_id WHERE h.author = ?""", [author])
    return {row[0]: (hashlib.sha256("\x1f".join(map(repr, row)).encode("utf-8")).hexdigest(), row[1])
            for row in rows}


def delete_links_from(db: sqlite3.Connection, gone: Iterable[tuple[str, str]]) -> int:
    """Delete links (highlight id, link id) that left their highlight's line; how many were here."""
    deleted = 0
    with write(db):
        for from_id, link_id in gone:
            deleted += db.execute("DELETE FROM links WHERE id = ? AND from_id = ?", [link_id, from_id]).rowcount
    return deleted
