"""Each reviewer file's annotation lines as this database last read or wrote them (team_lines).

A team sync reads a changed reviewer file line by line: a line whose sha256 is recorded here
is the annotation already merged, so only new and changed lines are parsed and merged, and a
recorded line gone from the file is an annotation its reviewer deleted. The links a line
carried are recorded with it, so a link gone from a changed line is deleted here too.
"""

from __future__ import annotations

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

    def link_ids(self) -> set[str]:
        return set(self.links.split())


def lines_of(db: sqlite3.Connection, collection: str) -> dict[str, LineRecord]:
    """{highlight id: its line} of `collection`'s file (a reviewer file's name without .jsonld)."""
    return {row[0]: LineRecord(row[1], row[2]) for row in db.execute(
        "SELECT highlight_id, digest, links FROM team_lines WHERE collection = ?", [collection])}


def save_lines(db: sqlite3.Connection, collection: str, changed: Mapping[str, LineRecord],
               removed: Iterable[str] = ()) -> None:
    """Record new and changed lines of `collection`'s file, and forget the removed ones."""
    with write(db):
        db.executemany(
            "INSERT INTO team_lines (collection, highlight_id, digest, links) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(collection, highlight_id) DO UPDATE SET digest = excluded.digest, links = excluded.links",
            [(collection, highlight_id, line.digest, line.links) for highlight_id, line in changed.items()],
        )
        db.executemany("DELETE FROM team_lines WHERE collection = ? AND highlight_id = ?",
                       [(collection, highlight_id) for highlight_id in removed])


def delete_links_from(db: sqlite3.Connection, gone: Iterable[tuple[str, str]]) -> int:
    """Delete links (highlight id, link id) that left their highlight's line; how many were here."""
    deleted = 0
    with write(db):
        for from_id, link_id in gone:
            deleted += db.execute("DELETE FROM links WHERE id = ? AND from_id = ?", [link_id, from_id]).rowcount
    return deleted
