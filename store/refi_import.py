"""Putting a REFI-QDA project or codebook into the database, in one write transaction.

The records come from exports/refi/reader.py (store.refi_records). What `import_project` does:

- codes become tags (a nested code is "parent/child"); an existing tag of the same name is
  used as it is (its colour and description stay ours);
- each source is matched by its text (a source whose reading text is the same) or by its
  archive origin, else added as a plain-text source holding exactly the project's text,
  so every selection lands at its own positions;
- selections become highlights with the project's GUID as their id: one already here is
  left alone, so importing the same file twice changes nothing; positions outside the text
  are reported per selection and skipped;
- links between two highlights become links (relation = the link's name, when postil can
  hold it; else "see-also", reported); a source's note becomes its memo when it has none.

Any failure rolls everything back: the database is as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field

from postil.sources.anchor import capture_context
from postil.sources.blocks import Block
from postil.sources.document import Document, LoadedSource
from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import StoreError
from postil.store.highlights import restore_highlight
from postil.store.links import DEFAULT_RELATION, add_relation, find_links, relation_names, restore_link
from postil.store.models import Highlight, HighlightSnapshot, Link
from postil.store.refi_records import IncomingCode, IncomingProject, IncomingSource
from postil.store.source_add import add_source
from postil.store.tags import create_tag, find_tag


@dataclass
class SourceMemo:
    """A source's memo as a REFI-QDA project carries it."""

    memo: str
    author: str
    updated_at: str


@dataclass
class ImportReport:
    """What importing a REFI-QDA project added, matched and left unchanged."""

    tags_added: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_matched: list[str] = field(default_factory=list)
    highlights_added: int = 0
    highlights_unchanged: int = 0
    links_added: int = 0
    memos_added: int = 0
    skipped: list[str] = field(default_factory=list)
    """Selections, links and memos that were read but not put in, each with why."""


def source_memos(db: sqlite3.Connection, source_ids: list[int]) -> dict[int, SourceMemo]:
    """The memos (table source_memos) of these sources that have one."""
    out: dict[int, SourceMemo] = {}
    for start in range(0, len(source_ids), 500):
        chunk = source_ids[start : start + 500]
        rows = db.execute(
            f"SELECT source_id, memo, author, updated_at FROM source_memos WHERE source_id IN ({','.join('?' * len(chunk))})"
            " AND memo <> ''",
            chunk,
        )
        out.update({row[0]: SourceMemo(row[1], row[2], row[3]) for row in rows})
    return out


def import_codebook(db: sqlite3.Connection, codes: list[IncomingCode]) -> ImportReport:
    """Tags for the codes (existing ones kept as they are)."""
    report = ImportReport()
    with write(db):
        _tags(db, codes, report)
    return report


def import_project(db: sqlite3.Connection, project: IncomingProject, origin: str) -> ImportReport:
    """Put a whole project in (see the module notes); `origin` names the file (sources' origins)."""
    report = ImportReport()
    try:
        with write(db):
            names = _tags(db, project.codes, report)
            stamp = now()
            for source in project.sources:
                source_id = _source(db, source, origin, report)
                _selections(db, source, source_id, names, stamp, report)
                _memo(db, source, source_id, stamp, report)
            for link in project.links:
                _link(db, link, stamp, report)
    except sqlite3.Error as error:  # rolled back by write(); said in one line
        raise StoreError(f"{origin}: the database refused the import ({error}); nothing was imported") from error
    return report


def _tags(db: sqlite3.Connection, codes: list[IncomingCode], report: ImportReport) -> dict[str, str]:
    """Create the tags; returns code GUID -> tag name."""
    names: dict[str, str] = {}
    for code in codes:
        existing = find_tag(db, code.path)
        if existing is None:
            if not code.codable:
                names[code.guid] = code.path  # a folder of codes: a tag only if something uses it
                continue
            existing = create_tag(db, code.path, color=code.color or None, description=code.description)
            report.tags_added.append(existing.name)
        names[code.guid] = existing.name
    return names


def _source(db: sqlite3.Connection, source: IncomingSource, origin: str, report: ImportReport) -> int:
    data = source.text.encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    where = f"{origin}#{source.member}"
    # By the reading text itself, not the file's sha256: a Markdown or HTML file with the same
    # bytes has another reading text, and the selections' positions are into this one.
    row = db.execute(
        """SELECT s.id FROM sources s JOIN source_chars c ON c.source_id = s.id
           WHERE c.chars = ? AND s.text = ? ORDER BY s.id LIMIT 1""",
        [len(source.text), source.text],
    ).fetchone()
    if row:
        report.sources_matched.append(source.name)
        return row[0]
    if db.execute("SELECT 1 FROM sources WHERE origin = ?", [where]).fetchone():
        # Same archive member, other text: add_source would replace that source's text.
        where = f"{where}@{sha256[:12]}"
    title = " ".join(source.name.split()) or source.member
    document = Document(title, source.text, paragraph_blocks(source.text), "text")
    result = add_source(db, LoadedSource(document, where, sha256, len(data)))
    report.sources_added.append(title)
    return result.source.id


def paragraph_blocks(text: str) -> list[Block]:
    """One paragraph block per run of text between blank lines, the text itself untouched."""
    blocks: list[Block] = []
    position = 0
    for chunk in text.split("\n\n"):
        body = chunk.strip()
        if body:
            start = position + len(chunk) - len(chunk.lstrip())
            blocks.append(Block("paragraph", start, start + len(body)))
        position += len(chunk) + 2
    return blocks


def _selections(db, source: IncomingSource, source_id: int, names: dict[str, str], stamp: str,
                report: ImportReport) -> None:
    text = source.text
    for sel in source.selections:
        label = f"selection {sel.guid} in {source.name!r}"
        if db.execute("SELECT 1 FROM highlights WHERE id = ?", [sel.guid]).fetchone():
            report.highlights_unchanged += 1
            continue
        if not 0 <= sel.start < sel.end <= len(text):
            report.skipped.append(f"{label}: positions {sel.start}-{sel.end} are outside the text (0-{len(text)}) or empty")
            continue
        tags = []
        for guid in sel.codes:
            if guid not in names:
                report.skipped.append(f"{label}: coded with an unknown code {guid}; the code was left off")
                continue
            tag = find_tag(db, names[guid]) or create_tag(db, names[guid])
            if tag.name not in tags:
                tags.append(tag.name)
        prefix, suffix = capture_context(text, sel.start, sel.end)
        created = sel.created_at or stamp
        highlight = Highlight(sel.guid, source_id, sel.start, sel.end, text[sel.start : sel.end], prefix, suffix,
                              sel.note, sel.author, created, sel.updated_at or created, 1, "anchored", tags)
        restore_highlight(db, HighlightSnapshot(highlight, []))
        db.execute(
            "INSERT OR IGNORE INTO highlight_origins (highlight_id, collection, imported_at) VALUES (?, ?, ?)",
            [sel.guid, f"refi-qda:{source.guid}", stamp],
        )
        report.highlights_added += 1


def _memo(db, source: IncomingSource, source_id: int, stamp: str, report: ImportReport) -> None:
    if not source.memo:
        return
    row = db.execute("SELECT memo FROM source_memos WHERE source_id = ?", [source_id]).fetchone()
    if row and row[0].strip() == source.memo.strip():
        return
    if row and row[0].strip():
        report.skipped.append(f"note on source {source.name!r}: the source has a memo already (kept ours)")
        return
    db.execute(
        "INSERT OR REPLACE INTO source_memos (source_id, memo, author, updated_at) VALUES (?, ?, ?, ?)",
        [source_id, source.memo, source.memo_author, stamp],
    )
    report.memos_added += 1


def _link(db, link, stamp: str, report: ImportReport) -> None:
    label = f"link {link.name or '(unnamed)'!r} {link.origin[:8]} → {link.target[:8]}"
    if db.execute("SELECT 1 FROM links WHERE id = ?", [link.guid]).fetchone():
        return
    ends = db.execute("SELECT count(*) FROM highlights WHERE id IN (?, ?)", [link.origin, link.target]).fetchone()[0]
    if link.origin == link.target or ends < 2:
        report.skipped.append(f"{label}: postil links only two different selections of text")
        return
    relation = "-".join(link.name.strip().lower().split()) or DEFAULT_RELATION
    if relation not in relation_names(db):
        try:
            add_relation(db, relation)
        except StoreError:
            report.skipped.append(f"{label}: relation name not usable here; linked as {DEFAULT_RELATION!r}")
            relation = DEFAULT_RELATION
    if find_links(db, link.origin, link.target, relation):
        return
    restore_link(db, Link(link.guid, link.origin, link.target, relation, link.note, "", stamp))
    report.links_added += 1
