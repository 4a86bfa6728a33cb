"""Merging highlights from another reviewer (or an earlier export) into the database.

The format-neutral store side of `postil import`: exports/w3c.py turns a W3C Web Annotation
file into `Incoming` records; `merge` puts them in, in one write transaction.

- Sources are matched by sha256, then by origin. An annotation file carries no source text,
  so an annotation whose source is not in the database is reported (`unknown_source`) and
  skipped: add the source (`postil add`) and import again.
- Highlights are matched by id: importing the same file twice changes nothing.
- A new highlight is anchored by its position if the text there still equals its quote, else
  by its quote (`sources.anchor.reanchor`: moved, or fuzzy with the quote kept as it was);
  one that cannot be found is stored as an orphaned highlight, with its note, tags and links,
  so nothing is lost, and listed in the report.
- The same highlight edited on both sides (note, tags or quote differ): the newer
  `updated_at` wins (ours on a tie) and the conflict is listed either way.
- Links are added when both ends exist and the link (by id, or by ends and relation) is
  not already there; relations unknown here are created.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from postil.sources.anchor import reanchor
from postil.sources.anchor_index import TextIndex
from postil.store.db import write
from postil.store.highlights import get_highlights, insert_highlight
from postil.store.links import add_relation, find_links, relation_names, restore_link
from postil.store.models import Highlight, Link
from postil.store.sources import source_by_origin, source_by_sha256, source_text
from postil.store.tags import TagIds


@dataclass
class IncomingLink:
    """A link an incoming highlight makes to another (`to_id`), as read from a W3C file."""

    id: str
    to_id: str
    relation: str
    note: str = ""
    author: str = ""
    created_at: str = ""


@dataclass
class Incoming:
    """One highlight as another database described it."""

    id: str
    sha256: str
    origin: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    created_at: str = ""
    updated_at: str = ""
    version: int = 1
    links: list[IncomingLink] = field(default_factory=list)


@dataclass
class Conflict:
    """A highlight both sides edited: which edit was kept, and the fields that differed."""

    highlight_id: str
    kept: str
    """"theirs" (the file's newer edit was taken) or "ours" (ours is as new or newer)."""
    ours_updated: str
    theirs_updated: str
    fields: list[str]


@dataclass
class MergeReport:
    """What merging a W3C file did: highlights added, updated, re-anchored or skipped, and links."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    moved: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unknown_source: list[tuple[str, str]] = field(default_factory=list)
    """(highlight id, origin or sha256) of annotations skipped for lack of their source."""
    links_added: int = 0
    links_skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.links_added)


def merge(db: sqlite3.Connection, incoming: list[Incoming], *, theirs_win: bool = False) -> MergeReport:
    """Merge highlights (and their outgoing links) into the database; see the module notes.

    Linear in the annotations: sources, tags and relations are looked up once each per
    merge (`_Lookups`), not once per annotation, and every source text is read once.

    Args:
        theirs_win: the file is its author's own record of their highlights (a teammate's
            file in a team sync): where it differs from ours, it wins whatever the dates.
    """
    report = MergeReport()
    with write(db):
        existing = {h.id: h for h in get_highlights(db, [item.id for item in incoming])}
        lookups = _Lookups(db)
        # One text and one index per source: the index (built on first need) lets every
        # annotation that lost its place search the text once, not scan it whole (issue 15).
        texts: dict[int, tuple[str, TextIndex]] = {}
        placed: list[Incoming] = []
        for item in incoming:
            source_id = lookups.source_id(item)
            if source_id is None:
                report.unknown_source.append((item.id, item.origin or item.sha256))
                continue
            placed.append(item)
            ours = existing.get(item.id)
            if ours is None:
                if source_id not in texts:
                    text = source_text(db, source_id)
                    texts[source_id] = (text, TextIndex(text))
                _add(db, item, source_id, *texts[source_id], report, lookups.tags)
            else:
                _reconcile(db, ours, item, report, lookups.tags, theirs_win)
        for item in placed:
            for link in item.links:
                _add_link(db, item.id, link, report, lookups)
    return report


class _Lookups:
    """What a merge looks up again and again, each read from the database once."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.tags = TagIds(db)
        self.relations = set(relation_names(db))
        self._sources: dict[tuple[str, str], int | None] = {}

    def source_id(self, item: Incoming) -> int | None:
        """The source an annotation belongs to: by sha256, then by origin."""
        key = (item.sha256, item.origin)
        if key not in self._sources:
            db = self.db
            found = (item.sha256 and source_by_sha256(db, item.sha256)) or (
                item.origin and source_by_origin(db, item.origin)
            )
            self._sources[key] = found.id if found else None
        return self._sources[key]


def _add(db: sqlite3.Connection, item: Incoming, source_id: int, text: str, index: TextIndex,
         report: MergeReport, tag_ids: TagIds) -> None:
    start, end, quote, status = item.start, item.end, item.quote, "anchored"
    if not (0 <= start < end <= len(text) and text[start:end] == quote):
        result = reanchor(text, item.quote, item.prefix, item.suffix, item.start, item.end, index=index)
        status = result.status
        if result.start is not None and result.end is not None and result.end > result.start:
            start, end = result.start, result.end
            if status != "fuzzy":  # a fuzzy match keeps the quote as highlighted, for review
                quote = text[start:end]
        else:
            status = "orphaned"
            # Keep the old offsets, clipped to the text, so the row stays valid.
            start = min(max(0, item.start), len(text))
            end = min(max(start, item.end), len(text))
    if status == "anchored" and (start, end) != (item.start, item.end):
        status = "moved"
    if status in ("moved", "fuzzy", "orphaned"):
        getattr(report, status).append(item.id)
    highlight = Highlight(
        item.id, source_id, start, end, quote, item.prefix, item.suffix, item.note, item.author,
        item.created_at, item.updated_at or item.created_at, item.version, status, list(item.tags),
    )
    insert_highlight(db, highlight, tag_ids)
    report.added.append(item.id)


def _differences(ours: Highlight, item: Incoming) -> list[str]:
    fields = []
    if ours.note != item.note:
        fields.append("note")
    if sorted(t.casefold() for t in ours.tags) != sorted(t.casefold() for t in item.tags):
        fields.append("tags")
    if ours.quote != item.quote:
        fields.append("quote")
    return fields


def _reconcile(db: sqlite3.Connection, ours: Highlight, item: Incoming, report: MergeReport,
               tag_ids: TagIds, theirs_win: bool = False) -> None:
    fields = _differences(ours, item)
    if not fields:
        report.unchanged += 1
        return
    theirs_newer = theirs_win or (item.updated_at or "") > (ours.updated_at or "")
    report.conflicts.append(
        Conflict(ours.id, "theirs" if theirs_newer else "ours", ours.updated_at, item.updated_at, fields)
    )
    if not theirs_newer:
        return
    # The quote and offsets stay ours: they are anchored in our copy of the text.
    db.execute(
        "UPDATE highlights SET note = ?, author = ?, updated_at = ?, version = max(version + 1, ?) WHERE id = ?",
        [item.note, item.author or ours.author, item.updated_at, item.version, ours.id],
    )
    if "tags" in fields:
        db.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", [ours.id])
        for name in item.tags:
            db.execute(
                "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
                [ours.id, tag_ids.id_for(name)],
            )
    report.updated.append(ours.id)


def _add_link(db: sqlite3.Connection, from_id: str, link: IncomingLink, report: MergeReport,
              lookups: _Lookups) -> None:
    if db.execute("SELECT 1 FROM links WHERE id = ?", [link.id]).fetchone():
        return
    ends = db.execute("SELECT count(*) FROM highlights WHERE id IN (?, ?)", [from_id, link.to_id]).fetchone()[0]
    if from_id == link.to_id or ends < 2:
        report.links_skipped.append(f"{link.relation} link {from_id[:8]} → {link.to_id[:8]}: an end is missing")
        return
    relation = link.relation.strip().lower()
    if relation not in lookups.relations:
        try:
            add_relation(db, relation)
            lookups.relations.add(relation)
        except Exception as error:  # a name our rules refuse: report, do not fail the import
            report.links_skipped.append(f"{link.relation!r} link {from_id[:8]} → {link.to_id[:8]}: {error}")
            return
    if find_links(db, from_id, link.to_id, relation):
        return
    restore_link(db, Link(link.id, from_id, link.to_id, relation, link.note, link.author, link.created_at))
    report.links_added += 1
