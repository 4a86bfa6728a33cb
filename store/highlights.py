"""Highlights: creating, reading, tagging, noting, deleting and restoring them.

Offsets are character offsets into the source's reading text, end exclusive. The quote and
its context are cut from the stored text inside SQLite (see `_cut`) so that creating a
highlight on a 10 MB source neither copies the text into Python nor counts its characters.
"""

from __future__ import annotations

import sqlite3
import sys
from collections import defaultdict
from typing import Iterable

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import Ambiguous, Conflict, NotFound, StoreError
from postil.store.ids import new_id
from postil.store.links import links_of, restore_link
from postil.store.models import Highlight, HighlightSnapshot
from postil.store.tags import TagIds, create_tag, find_tag

CONTEXT_CHARS = 32
"""Characters of text kept before and after a quote for re-anchoring."""

_COLUMNS = (
    'h.id, h.source_id, h.start, h."end", h.quote, h.prefix, h.suffix, h.note, h.author, '
    "h.created_at, h.updated_at, h.version, h.anchor_status"
)


def create_highlight(
    db: sqlite3.Connection,
    source_id: int,
    start: int,
    end: int,
    *,
    tags: list[str] | tuple[str, ...] = (),
    note: str = "",
    author: str = "",
    highlight_id: str | None = None,
) -> Highlight:
    """Create a highlight over text[start:end] of a source, with tags (created if new).

    Raises:
        StoreError: the range is empty or outside the text.
    """
    with write(db):
        row = db.execute(
            """SELECT coalesce((SELECT chars FROM source_chars WHERE source_id = s.id), length(text))
               FROM sources s WHERE s.id = ?""",
            [source_id],
        ).fetchone()
        if row is None:
            raise NotFound(f"no source with id {source_id}")
        length = row[0]
        if not 0 <= start < end <= length:
            raise StoreError(f"highlight range {start}-{end} is outside the text (0-{length}) or empty")
        stamp = now()
        hid = highlight_id or new_id()
        ctx_start = max(0, start - CONTEXT_CHARS)
        ctx_end = min(length, end + CONTEXT_CHARS)
        piece = _cut(db, source_id, length, ctx_start, ctx_end)
        quote = piece[start - ctx_start : end - ctx_start]
        prefix, suffix = piece[: start - ctx_start], piece[end - ctx_start :]
        db.execute(
            """INSERT INTO highlights (id, source_id, start, "end", quote, prefix, suffix, note,
                                       author, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [hid, source_id, start, end, quote, prefix, suffix, note, author, stamp, stamp],
        )
        for name in tags:
            _attach_tag(db, hid, name)
        return get_highlight(db, hid)


def _cut(db: sqlite3.Connection, source_id: int, chars: int, start: int, end: int) -> str:
    """text[start:end] of a source, read without copying the whole text into Python.

    Measured with bench/bench_annotate.py on a 10 MB source: every `substr(text, ...)` walks
    the whole value (10-15 ms each). When the text is all single-byte characters (its UTF-8
    byte length equals its character count) character offsets are byte offsets, so only the
    wanted bytes are read through SQLite's incremental blob I/O (microseconds). Otherwise one
    `substr` cuts quote and context together.
    """
    try:
        with db.blobopen("sources", "text", source_id, readonly=True) as blob:
            if len(blob) == chars:
                blob.seek(start)
                return blob.read(end - start).decode("utf-8")
    except (sqlite3.Error, UnicodeDecodeError):
        pass  # e.g. a NULL text or a UTF-16 database: the SQL path below is always right
    return db.execute(
        "SELECT substr(text, ?, ?) FROM sources WHERE id = ?", [start + 1, end - start, source_id]
    ).fetchone()[0]


def _attach_tag(db: sqlite3.Connection, highlight_id: str, name: str) -> None:
    tag = find_tag(db, name) or create_tag(db, name)
    db.execute(
        "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
        [highlight_id, tag.id],
    )


HIGHLIGHT_COLUMNS = _COLUMNS
"""The columns `from_rows` reads (of `highlights h`), in its order."""


def from_rows(db: sqlite3.Connection, rows: Iterable[tuple]) -> list[Highlight]:
    """Highlights from rows of HIGHLIGHT_COLUMNS, with their tags and link counts (a few
    queries for the lot, not per row; for the batches of a streaming reader)."""
    return _from_rows(db, rows)


def _from_rows(db: sqlite3.Connection, rows: Iterable[tuple], source_id: int | None = None) -> list[Highlight]:
    """Highlights from rows of _COLUMNS, with their tags and link counts (`source_id`: the
    rows are all of that source's highlights, so their details are found through it).

    SQLite hands every row its own copy of each string. A source's 10,000 highlights share a
    few authors and statuses, and most were never edited (updated_at == created_at): those
    become one string each, which keeps an open big source ~1.5 MB smaller.
    """
    intern = sys.intern
    highlights = []
    append = highlights.append
    for row in rows:
        highlight = Highlight(*row)
        highlight.author = intern(highlight.author)
        highlight.anchor_status = intern(highlight.anchor_status)
        if highlight.updated_at == highlight.created_at:
            highlight.updated_at = highlight.created_at
        append(highlight)
    if not highlights:
        return highlights
    by_id = {h.id: h for h in highlights}
    if source_id is None:
        _fill_details(db, by_id)
    else:
        _fill_details_of_source(db, source_id, by_id)
    return highlights


def _fill_details(db: sqlite3.Connection, by_id: dict[str, Highlight]) -> None:
    """Fill tags and link counts for many highlights with two queries, not two per row."""
    ids = list(by_id)
    tags: dict[str, list[str]] = defaultdict(list)
    links: dict[str, int] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        marks = ",".join("?" * len(chunk))
        _read_details(
            db, tags, links,
            f"""SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
                WHERE ht.highlight_id IN ({marks}) ORDER BY t.id""",
            chunk,
            f"""SELECT hid, count(*) FROM (
                    SELECT from_id AS hid FROM links WHERE from_id IN ({marks})
                    UNION ALL SELECT to_id FROM links WHERE to_id IN ({marks}))
                GROUP BY hid""",
            chunk + chunk,
        )
    _set_details(by_id, tags, links)


def _fill_details_of_source(db: sqlite3.Connection, source_id: int, by_id: dict[str, Highlight]) -> None:
    """Tags and link counts for all of one source's highlights, each in one query joined
    through the source: for 10,000 highlights ~25% quicker than lists of ids."""
    tags: dict[str, list[str]] = defaultdict(list)
    links: dict[str, int] = {}
    _read_details(
        db, tags, links,
        """SELECT ht.highlight_id, t.name FROM highlights h
           JOIN highlight_tags ht ON ht.highlight_id = h.id JOIN tags t ON t.id = ht.tag_id
           WHERE h.source_id = ? ORDER BY t.id""",
        [source_id],
        _LINKS_BY_LINK if _links_at_most(db, len(by_id)) else _LINKS_BY_HIGHLIGHT,
        [source_id, source_id],
    )
    _set_details(by_id, tags, links)


_LINKS_BY_LINK = """SELECT hid, count(*) FROM (
        SELECT l.from_id AS hid FROM links l CROSS JOIN highlights h ON h.id = l.from_id WHERE h.source_id = ?
        UNION ALL SELECT l.to_id FROM links l CROSS JOIN highlights h ON h.id = l.to_id WHERE h.source_id = ?)
    GROUP BY hid"""
"""A source's link counts read from the links: each link once, its ends found by id."""
_LINKS_BY_HIGHLIGHT = """SELECT hid, count(*) FROM (
        SELECT l.from_id AS hid FROM highlights h JOIN links l ON l.from_id = h.id WHERE h.source_id = ?
        UNION ALL SELECT l.to_id FROM highlights h JOIN links l ON l.to_id = h.id WHERE h.source_id = ?)
    GROUP BY hid"""
"""The same read from the source's highlights: each one's links found through the indexes."""


def _links_at_most(db: sqlite3.Connection, n: int) -> bool:
    """There are at most about `n` links (the largest rowid: deleted links only count high).

    Which read of a source's link counts is cheaper depends on which is fewer: a 10,000-highlight
    source with no links probed the index 20,000 times for nothing (10 ms), and at 100,000
    highlights and 20,000 links every link was read to open a source of 500 (20-30 ms, 2 ms by
    its highlights).
    """
    largest = db.execute("SELECT max(rowid) FROM links").fetchone()[0]
    return (largest or 0) <= n


def _read_details(db: sqlite3.Connection, tags: dict[str, list[str]], links: dict[str, int],
                  tags_sql: str, tags_params: list, links_sql: str, links_params: list) -> None:
    """Add to `tags` (highlight id -> names, in tag order) and `links` (id -> count) the
    rows of a (highlight id, tag name) query and a (highlight id, link count) query."""
    intern = sys.intern
    for hid, name in db.execute(tags_sql, tags_params):
        tags[hid].append(intern(name))
    links.update(db.execute(links_sql, links_params))


def _set_details(by_id: dict[str, Highlight], tags: dict[str, list[str]], links: dict[str, int]) -> None:
    for hid, highlight in by_id.items():
        found = tags.get(hid)
        # Copied to its exact size: a list grown by append keeps room for four names.
        highlight.tags = [*found] if found else []
        highlight.link_count = links.get(hid, 0)


def get_highlight(db: sqlite3.Connection, highlight_id: str) -> Highlight:
    rows = db.execute(f"SELECT {_COLUMNS} FROM highlights h WHERE h.id = ?", [highlight_id]).fetchall()
    if not rows:
        raise NotFound(f"no highlight with id {highlight_id}")
    return _from_rows(db, rows)[0]


def get_highlights(db: sqlite3.Connection, highlight_ids: list[str]) -> list[Highlight]:
    """Highlights by id, in the order asked (missing ones are left out)."""
    found: dict[str, Highlight] = {}
    for chunk_start in range(0, len(highlight_ids), 500):
        chunk = highlight_ids[chunk_start : chunk_start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT {_COLUMNS} FROM highlights h WHERE h.id IN ({marks})", chunk).fetchall()
        found.update({h.id: h for h in _from_rows(db, rows)})
    return [found[hid] for hid in highlight_ids if hid in found]


def resolve_highlight_id(db: sqlite3.Connection, ref: str) -> str:
    """A full highlight id from an id or a unique prefix of one."""
    ref = ref.strip().lower()
    if len(ref) < 4:
        raise StoreError(f"highlight id {ref!r} is too short; give at least 4 characters")
    rows = db.execute(
        "SELECT id FROM highlights WHERE id >= ? AND id < ? ORDER BY id LIMIT 3", [ref, ref + "\uffff"]
    ).fetchall()
    if not rows:
        raise NotFound(f"no highlight id starts with {ref!r}")
    if len(rows) > 1 and rows[0][0] != ref:
        raise Ambiguous(f"{ref!r} is the start of several highlight ids; give more characters")
    return rows[0][0]


def highlights_for_source(db: sqlite3.Connection, source_id: int) -> list[Highlight]:
    """A source's highlights in document order (longer first where two start together)."""
    rows = db.execute(
        f'SELECT {_COLUMNS} FROM highlights h WHERE h.source_id = ? ORDER BY h.start, h."end" DESC, h.created_at',
        [source_id],
    )
    return _from_rows(db, rows, source_id)


def list_highlights(db: sqlite3.Connection, source_id: int | None = None) -> list[Highlight]:
    """Highlights of one source, or of all sources in source then document order."""
    if source_id is not None:
        return highlights_for_source(db, source_id)
    rows = db.execute(
        f'SELECT {_COLUMNS} FROM highlights h ORDER BY h.source_id, h.start, h."end" DESC'
    ).fetchall()
    return _from_rows(db, rows)


def _touch(db: sqlite3.Connection, highlight_id: str) -> None:
    db.execute(
        "UPDATE highlights SET updated_at = ?, version = version + 1 WHERE id = ?",
        [now(), highlight_id],
    )


def add_tag(db: sqlite3.Connection, highlight_id: str, tag_name: str) -> Highlight:
    with write(db):
        get_highlight(db, highlight_id)
        _attach_tag(db, highlight_id, tag_name)
        _touch(db, highlight_id)
        return get_highlight(db, highlight_id)


def remove_tag(db: sqlite3.Connection, highlight_id: str, tag_name: str) -> Highlight:
    with write(db):
        tag = find_tag(db, tag_name)
        if tag is not None:
            db.execute(
                "DELETE FROM highlight_tags WHERE highlight_id = ? AND tag_id = ?", [highlight_id, tag.id]
            )
        _touch(db, highlight_id)
        return get_highlight(db, highlight_id)


def toggle_tag(db: sqlite3.Connection, highlight_id: str, tag_name: str) -> bool:
    """Put a tag on a highlight or take it off; True when the tag is now on."""
    with write(db):
        highlight = get_highlight(db, highlight_id)
        if any(t.casefold() == tag_name.casefold() for t in highlight.tags):
            remove_tag(db, highlight_id, tag_name)
            return False
        add_tag(db, highlight_id, tag_name)
        return True


def set_note(
    db: sqlite3.Connection, highlight_id: str, note: str, *, expected_version: int | None = None
) -> Highlight:
    """Replace a highlight's note.

    Args:
        expected_version: the version the editor started from. If someone else saved in
            between, nothing is written and Conflict is raised, so a change is never
            silently overwritten by one that never saw it.
    """
    with write(db):
        current = get_highlight(db, highlight_id)
        if expected_version is not None and current.version != expected_version:
            raise Conflict(
                f"the note of this highlight was changed elsewhere (version {current.version}, "
                f"you started from {expected_version}); your text was kept, nothing was overwritten"
            )
        db.execute("UPDATE highlights SET note = ? WHERE id = ?", [note, highlight_id])
        _touch(db, highlight_id)
        return get_highlight(db, highlight_id)


def edit_highlight(
    db: sqlite3.Connection, highlight_id: str, *, note: str | None = None,
    add_tags: Iterable[str] = (), remove_tags: Iterable[str] = (),
) -> Highlight:
    """Change a highlight's note and tags in one transaction (all of it, or nothing).

    Raises:
        NotFound: no such highlight, or a tag to remove that it does not carry.
    """
    with write(db):
        current = get_highlight(db, highlight_id)
        carried = {t.casefold() for t in current.tags}
        for name in remove_tags:
            if name.casefold() not in carried:
                raise NotFound(f"tag {name!r} is not on highlight {highlight_id[:8]}")
            remove_tag(db, highlight_id, name)
        for name in add_tags:
            if name.casefold() not in carried:
                _attach_tag(db, highlight_id, name)
        if note is not None:
            db.execute("UPDATE highlights SET note = ? WHERE id = ?", [note, highlight_id])
        _touch(db, highlight_id)
        return get_highlight(db, highlight_id)


def snapshot(db: sqlite3.Connection, highlight_id: str) -> HighlightSnapshot:
    return HighlightSnapshot(get_highlight(db, highlight_id), links_of(db, highlight_id))


def delete_highlight(db: sqlite3.Connection, highlight_id: str) -> HighlightSnapshot:
    """Delete a highlight and its links; returns what `restore_highlight` needs."""
    with write(db):
        saved = snapshot(db, highlight_id)
        db.execute("DELETE FROM highlights WHERE id = ?", [highlight_id])
        return saved


def restore_highlight(db: sqlite3.Connection, saved: HighlightSnapshot) -> Highlight:
    """Bring back a deleted highlight with the same id, offsets, tags, note and links.

    Links whose other end no longer exists are left out.
    """
    h = saved.highlight
    with write(db):
        insert_highlight(db, h)
        for link in saved.links:
            restore_link(db, link, missing_ok=True)
        return get_highlight(db, h.id)


def insert_highlight(db: sqlite3.Connection, h: Highlight, tag_ids: TagIds | None = None) -> None:
    """Insert one highlight row as given (id, offsets, status) with its tags, in the caller's
    transaction; tags not yet in the codebook are created.

    Args:
        tag_ids: the tag lookup of a bulk insert (an import), so that each tag name costs a
            dictionary lookup rather than a read of the tags table.
    """
    db.execute(
        """INSERT INTO highlights (id, source_id, start, "end", quote, prefix, suffix, note,
               author, created_at, updated_at, version, anchor_status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [h.id, h.source_id, h.start, h.end, h.quote, h.prefix, h.suffix, h.note, h.author,
         h.created_at, h.updated_at, h.version, h.anchor_status],
    )
    if tag_ids is None:
        for name in h.tags:
            _attach_tag(db, h.id, name)
        return
    db.executemany(
        "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
        [(h.id, tag_ids.id_for(name)) for name in h.tags],
    )
