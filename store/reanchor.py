"""Re-anchoring a source's highlights after its text changed, and reviewing the results.

`reanchor_source` runs inside the caller's write transaction (the caller replaces the text
and re-anchors in one go, so a failure leaves both as they were). The matching itself is
`sources.anchor.reanchor`; this module only reads and writes the `highlights` rows.

What is written, by outcome:
- anchored / moved: new offsets, the quote and its context cut from the new text (for a
  whitespace-only difference the quote takes the new whitespace), so `text[start:end] == quote`.
- fuzzy: new offsets only; quote, prefix and suffix stay as the reviewer marked them until
  `accept_fuzzy`, so a later refresh still searches for the original words.
- orphaned: everything kept, offsets clamped into the new text; never deleted.

`sources.anchor` is imported by the three functions that match text, not at the top: it
loads rapidfuzz (~15 ms and 3.6 MiB), and the app imports this module at start-up (through
the undo stack and store.sources) to open a source that needs none of it (tui/startup.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import NotFound, StoreError
from postil.store.highlights import HIGHLIGHT_COLUMNS, from_rows
from postil.store.models import Highlight


@dataclass
class ReanchorReport:
    """How one source's highlights fared against its new text."""

    anchored: int = 0
    moved: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    details: list[tuple[str, str]] = field(default_factory=list)
    """(highlight id, anchor status) for every highlight, in document order of the old text."""

    @property
    def total(self) -> int:
        return self.anchored + self.moved + self.fuzzy + self.orphaned

    def summary(self) -> str:
        """One line for the user, e.g. "12 highlights: 9 anchored, 2 moved, 1 fuzzy, 0 orphaned"."""
        noun = "highlight" if self.total == 1 else "highlights"
        return (
            f"{self.total} {noun}: {self.anchored} anchored, {self.moved} moved, "
            f"{self.fuzzy} fuzzy, {self.orphaned} orphaned"
        )


def reanchor_source(db: sqlite3.Connection, source_id: int, new_text: str) -> ReanchorReport:
    """Re-anchor every highlight of a source against `new_text`, in the caller's transaction.

    A highlight already orphaned or fuzzy is tried again from its stored quote (it may come
    back). Rows change only when something about them changed; those get `updated_at` and
    `version + 1` (so an editor holding the old version hears about it).

    Raises:
        RuntimeError: called outside a transaction (wrap the caller in `store.db.write`).
    """
    from postil.sources.anchor import capture_context, reanchor  # see the module's docstring
    from postil.sources.anchor_index import TextIndex

    if not db.in_transaction:
        raise RuntimeError("reanchor_source must run inside the caller's store.db.write(db) transaction")
    rows = db.execute(
        """SELECT id, start, "end", quote, prefix, suffix, anchor_status FROM highlights
           WHERE source_id = ? ORDER BY start, "end" DESC, pk""",
        [source_id],
    ).fetchall()
    report = ReanchorReport()
    stamp = now()
    n = len(new_text)
    # One index of the new text for all its highlights (built on first need): each orphan
    # then searches where its words are, not the whole text (1,000 in a 1 MB text: a minute).
    index = TextIndex(new_text)
    for hid, start, end, quote, prefix, suffix, status in rows:
        result = reanchor(new_text, quote, prefix, suffix, start, end, index=index)
        if result.status in ("anchored", "moved"):
            new_start, new_end = result.start, result.end
            new_quote = new_text[new_start:new_end]
            new_prefix, new_suffix = capture_context(new_text, new_start, new_end)
        elif result.status == "fuzzy":
            new_start, new_end = result.start, result.end
            new_quote, new_prefix, new_suffix = quote, prefix, suffix
        else:
            new_start = min(start, n)
            new_end = max(new_start, min(end, n))
            new_quote, new_prefix, new_suffix = quote, prefix, suffix
        setattr(report, result.status, getattr(report, result.status) + 1)
        report.details.append((hid, result.status))
        old = (start, end, quote, prefix, suffix, status)
        new = (new_start, new_end, new_quote, new_prefix, new_suffix, result.status)
        if new == old:
            continue
        # Name `quote` in the SET only when it changed: its FTS trigger fires on any mention.
        quote_sql = "quote = ?, " if new_quote != quote else ""
        db.execute(
            f"""UPDATE highlights SET start = ?, "end" = ?, {quote_sql}prefix = ?, suffix = ?,
                anchor_status = ?, updated_at = ?, version = version + 1 WHERE id = ?""",
            [new_start, new_end, *([new_quote] if quote_sql else []), new_prefix, new_suffix,
             result.status, stamp, hid],
        )
    return report


def accept_fuzzy(db: sqlite3.Connection, highlight_id: str) -> None:
    """The reviewer accepts a fuzzy anchor: the text now between its offsets becomes its quote.

    Raises:
        NotFound: no such highlight.
        StoreError: the highlight is not awaiting review (only fuzzy anchors can be accepted).
    """
    with write(db):
        row = db.execute(
            """SELECT h.start, h."end", h.anchor_status, s.text FROM highlights h
               JOIN sources s ON s.id = h.source_id WHERE h.id = ?""",
            [highlight_id],
        ).fetchone()
        if row is None:
            raise NotFound(f"no highlight with id {highlight_id}")
        start, end, status, text = row
        if status != "fuzzy":
            raise StoreError(f"highlight {highlight_id[:8]} is {status}, not a fuzzy match awaiting review")
        start = min(start, len(text))
        end = max(start, min(end, len(text)))
        from postil.sources.anchor import capture_context  # see the module's docstring

        prefix, suffix = capture_context(text, start, end)
        db.execute(
            """UPDATE highlights SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?,
               anchor_status = 'anchored', updated_at = ?, version = version + 1 WHERE id = ?""",
            [start, end, text[start:end], prefix, suffix, now(), highlight_id],
        )


def orphans(db: sqlite3.Connection, source_id: int | None = None) -> list[Highlight]:
    """Highlights whose quote was not found in their source's current text (with tags)."""
    return _with_status(db, "orphaned", source_id)


def fuzzy_highlights(db: sqlite3.Connection, source_id: int | None = None) -> list[Highlight]:
    """Highlights matched only approximately, awaiting the reviewer's acceptance (with tags)."""
    return _with_status(db, "fuzzy", source_id)


@dataclass
class Unanchored:
    """An orphaned or fuzzy highlight as the orphans view lists it: no tags or link counts,
    which it does not show (reading them was ~90 of its ~110 ms of reads at 100,000)."""

    id: str
    source_id: int
    quote: str
    note: str
    author: str
    anchor_status: str


def unanchored(db: sqlite3.Connection, status: str) -> list[Unanchored]:
    """The highlights `orphans` (status "orphaned") or `fuzzy_highlights` ("fuzzy") lists, in its order."""
    columns = "h.id, h.source_id, h.quote, h.note, h.author, h.anchor_status"
    return [Unanchored(*row) for row in _status_rows(db, columns, status, None)]


def _with_status(db: sqlite3.Connection, status: str, source_id: int | None) -> list[Highlight]:
    return from_rows(db, _status_rows(db, HIGHLIGHT_COLUMNS, status, source_id))


def _status_rows(db: sqlite3.Connection, columns: str, status: str, source_id: int | None) -> sqlite3.Cursor:
    if status not in ("fuzzy", "orphaned"):
        raise ValueError(f"no index of highlights whose status is {status!r}")
    # The status as a literal (one of the two above, never user text): a bound parameter
    # would keep SQLite from using its partial index (migration 0010); and INDEXED BY, as
    # without statistics the planner walks highlights_source_start in order instead, reading
    # every highlight.
    where, args = f"h.anchor_status = '{status}'", []
    if source_id is not None:
        where, args = where + " AND h.source_id = ?", [source_id]
    return db.execute(
        f"SELECT {columns} FROM highlights h INDEXED BY highlights_{status} WHERE {where}"
        ' ORDER BY h.source_id, h.start, h."end" DESC, h.pk',
        args,
    )


@dataclass(frozen=True)
class AnchorState:
    """Where a highlight is anchored and what it quotes: enough to put it back (undo)."""

    highlight_id: str
    source_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    anchor_status: str


def anchor_state(db: sqlite3.Connection, highlight_id: str) -> AnchorState:
    """The highlight's anchor as stored now.

    Raises:
        NotFound: no such highlight.
    """
    row = db.execute(
        'SELECT id, source_id, start, "end", quote, prefix, suffix, anchor_status FROM highlights WHERE id = ?',
        [highlight_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no highlight with id {highlight_id}")
    return AnchorState(*row)


def reattach(db: sqlite3.Connection, highlight_id: str, start: int, end: int) -> AnchorState:
    """Move a highlight (an orphan, a fuzzy match, any) to text[start:end] of its source, which
    becomes its quote; tags, note and links stay. Returns the anchor it had (for undo).

    Raises:
        NotFound: no such highlight.
        StoreError: the range is empty or runs outside the source's text.
    """
    with write(db):
        before = anchor_state(db, highlight_id)
        text = db.execute("SELECT text FROM sources WHERE id = ?", [before.source_id]).fetchone()[0]
        if end <= start:
            raise StoreError(f"highlight {highlight_id[:8]}: the new place is empty (select some text)")
        if start < 0 or end > len(text):
            raise StoreError(f"highlight {highlight_id[:8]}: {start}..{end} is outside the source's text")
        from postil.sources.anchor import capture_context  # see the module's docstring

        prefix, suffix = capture_context(text, start, end)
        db.execute(
            """UPDATE highlights SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?,
               anchor_status = 'anchored', updated_at = ?, version = version + 1 WHERE id = ?""",
            [start, end, text[start:end], prefix, suffix, now(), highlight_id],
        )
    return before


def restore_anchor(db: sqlite3.Connection, state: AnchorState) -> None:
    """Put a highlight's anchor back as `state` recorded it (undoing reattach or accept_fuzzy).

    Raises:
        NotFound: the highlight is gone.
    """
    with write(db):
        cursor = db.execute(
            """UPDATE highlights SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?,
               anchor_status = ?, updated_at = ?, version = version + 1 WHERE id = ?""",
            [state.start, state.end, state.quote, state.prefix, state.suffix, state.anchor_status, now(),
             state.highlight_id],
        )
        if cursor.rowcount == 0:
            raise NotFound(f"no highlight with id {state.highlight_id}")
