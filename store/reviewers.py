"""Reviewers: who has coded what, "my coding of this source is done", and blind mode.

A reviewer is the author name on highlights (the `--author` option, env POSTIL_AUTHOR).
Blind mode (the setting `blind_mode`, per database) hides other reviewers' highlights,
their notes and their links from a reviewer on every source that reviewer has not yet
marked done (table reviewer_progress, migration 0006), so coding stays independent. The
consensus made by reconciling (author `consensus`) counts as another reviewer's work.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import NotFound
from postil.store.models import Highlight, LinkView
from postil.store.settings import get_setting, set_setting

CONSENSUS = "consensus"
"""The author of highlights made by reconciling (store.reconcile)."""

BLIND_SETTING = "blind_mode"


@dataclass
class Reviewer:
    """One author of highlights, with what they have done."""

    name: str
    highlights: int
    sources: int
    """Sources with at least one of their highlights."""
    done: int
    """Sources they marked done."""
    tags: int = 0
    """Tag applications on their highlights."""


def list_reviewers(db: sqlite3.Connection) -> list[Reviewer]:
    """Every reviewer with highlights or a source marked done, by name (consensus last)."""
    found: dict[str, Reviewer] = {}
    for name, count, sources in db.execute(
        "SELECT author, count(*), count(DISTINCT source_id) FROM highlights GROUP BY author"
    ):
        found[name] = Reviewer(name, count, sources, 0)
    for name, count in db.execute(
        """SELECT h.author, count(*) FROM highlights h JOIN highlight_tags ht ON ht.highlight_id = h.id
           GROUP BY h.author"""
    ):
        found[name].tags = count
    for name, done in db.execute("SELECT reviewer, count(*) FROM reviewer_progress GROUP BY reviewer"):
        found.setdefault(name, Reviewer(name, 0, 0, 0)).done = done
    return sorted(found.values(), key=lambda r: (r.name == CONSENSUS, r.name.casefold()))


def reviewer_names(db: sqlite3.Connection, *, consensus: bool = False) -> list[str]:
    """Names of reviewers who made highlights, by name; the consensus last and only if asked."""
    return [r.name for r in list_reviewers(db) if r.highlights and (consensus or r.name != CONSENSUS)]


def authors(db: sqlite3.Connection) -> list[str]:
    """Every author of highlights by name, consensus last (read for each source opened).

    Each name is one seek in the author index, from the last name to the next one: a
    DISTINCT read every entry of it, 11 ms at 100,000 highlights for 5 names.
    """
    names = [row[0] for row in db.execute(
        """WITH RECURSIVE names(name) AS (
               SELECT min(author) FROM highlights
               UNION ALL SELECT (SELECT min(author) FROM highlights WHERE author > names.name)
               FROM names WHERE names.name IS NOT NULL)
           SELECT name FROM names WHERE name IS NOT NULL""")]
    return sorted(names, key=lambda n: (n == CONSENSUS, n.casefold()))


def mark_done(db: sqlite3.Connection, source_id: int, reviewer: str) -> bool:
    """Record that `reviewer` finished coding a source; False if it was already recorded."""
    with write(db):
        if db.execute("SELECT 1 FROM sources WHERE id = ?", [source_id]).fetchone() is None:
            raise NotFound(f"no source with id {source_id}")
        cursor = db.execute(
            "INSERT OR IGNORE INTO reviewer_progress (source_id, reviewer, done_at) VALUES (?, ?, ?)",
            [source_id, reviewer, now()],
        )
        return cursor.rowcount > 0


def unmark_done(db: sqlite3.Connection, source_id: int, reviewer: str) -> bool:
    """Take back "done" (coding goes on, blind again); False if it was not marked."""
    with write(db):
        cursor = db.execute(
            "DELETE FROM reviewer_progress WHERE source_id = ? AND reviewer = ?", [source_id, reviewer]
        )
        return cursor.rowcount > 0


def done_sources(db: sqlite3.Connection, reviewer: str) -> set[int]:
    return {row[0] for row in db.execute("SELECT source_id FROM reviewer_progress WHERE reviewer = ?", [reviewer])}


def is_done(db: sqlite3.Connection, source_id: int, reviewer: str) -> bool:
    return db.execute(
        "SELECT 1 FROM reviewer_progress WHERE source_id = ? AND reviewer = ?", [source_id, reviewer]
    ).fetchone() is not None


def coders_of_sources(db: sqlite3.Connection) -> dict[int, set[str]]:
    """Per source, the reviewers who coded it: authors of its (anchored) highlights, and
    whoever marked it done (coding nothing is a coding too, once declared)."""
    coders: dict[int, set[str]] = {}
    for source_id, name in db.execute(
        """SELECT DISTINCT source_id, author FROM highlights WHERE anchor_status <> 'orphaned'
           UNION SELECT source_id, reviewer FROM reviewer_progress"""
    ):
        coders.setdefault(source_id, set()).add(name)
    return coders


def blind_mode(db: sqlite3.Connection) -> bool:
    return get_setting(db, BLIND_SETTING, "0") == "1"


def set_blind_mode(db: sqlite3.Connection, on: bool) -> None:
    set_setting(db, BLIND_SETTING, "1" if on else "0")


@dataclass
class BlindView:
    """What one reviewer may see: in blind mode, on sources they have not marked done, only
    their own highlights (and so only their notes, and links between their highlights)."""

    reviewer: str
    blind: bool
    done: set[int] = field(default_factory=set)

    def hides_source(self, source_id: int) -> bool:
        """True when others' work on this source is hidden from the reviewer."""
        return self.blind and source_id not in self.done

    def shows(self, highlight: Highlight) -> bool:
        return self.shows_work_of(highlight.author, highlight.source_id)

    def shows_work_of(self, author: str, source_id: int) -> bool:
        """True when a highlight by `author` on that source may reach this reviewer."""
        return author == self.reviewer or not self.hides_source(source_id)

    def restriction(self) -> tuple[str, list] | None:
        """The same rule as SQL on `highlights h`, for searches (store.search's `restrict`)."""
        if not self.blind:
            return None
        return ("h.author = ? OR h.source_id IN (SELECT value FROM json_each(?))",
                [self.reviewer, json.dumps(sorted(self.done))])

    def visible(self, highlights: Iterable[Highlight]) -> list[Highlight]:
        if not self.blind:
            return list(highlights)
        return [h for h in highlights if self.shows(h)]

    def visible_links(self, views: Iterable[LinkView]) -> list[LinkView]:
        """Links whose far end is visible and which this reviewer may see being made: on a
        blinded source another reviewer's link between two of my highlights is hidden too."""
        if not self.blind:
            return list(views)
        return [v for v in views if v.link.author == self.reviewer and v.other_author == self.reviewer
                or not self.hides_source(v.other_source_id)]


def blind_view(db: sqlite3.Connection, reviewer: str) -> BlindView:
    """The reviewer's view of the database now (read again after marking a source done)."""
    if not blind_mode(db):
        return BlindView(reviewer, False)
    return BlindView(reviewer, True, done_sources(db, reviewer))
