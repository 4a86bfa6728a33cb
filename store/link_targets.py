"""Finding the other end of a new link while the reviewer types (the link picker's list).

Asked for on every keystroke, so it reads one page of candidates, never every highlight
(at 100,000 highlights the picker used to load them all when it opened). Matching:

- nothing typed: highlights of the same source within `NEAR_CHARS` of the one being
  linked, nearest first, then all others newest first;
- words typed: every word must be found, each as a word or word prefix of the quote or
  note (the search index), or inside a tag name or the source title (case-insensitive);
  more words found in the quote come first, then the order above;
- a word of four or more letters found nowhere may be a typo: it then stands for the
  indexed words closest to it (rapidfuzz ratio >= `FUZZY_CUTOFF`), at most `FUZZY_TERMS`.
"""

from __future__ import annotations

import json
import sqlite3

from rapidfuzz import fuzz, process

from postil.store.highlights import HIGHLIGHT_COLUMNS, from_rows
from postil.store.models import Highlight
from postil.store.query import is_token_char

NEAR_CHARS = 2000
"""Same-source highlights this close (in characters) to the one being linked come first."""
FUZZY_MIN = 4
FUZZY_CUTOFF = 80
FUZZY_TERMS = 8
PREFIX_MIN = 3
"""Words this long also match as prefixes (as in store.search)."""


def link_targets(
    db: sqlite3.Connection, from_id: str, query: str = "", limit: int = 200
) -> list[tuple[Highlight, str]]:
    """(highlight, source title) pairs a link from `from_id` may go to, best first.

    Args:
        query: the words typed so far (see the module docstring).
        limit: at most this many (the picker shows one page; typing narrows it).
    """
    origin = db.execute("SELECT source_id, start FROM highlights WHERE id = ?", [from_id]).fetchone()
    words = []
    for text in query.casefold().split():
        word = _Word.find(db, text)
        if word is None:
            return []
        words.append(word)
    # Highlights whose quote holds every word come first, then the other matches.
    tiers = [(words, True), (words, False)] if words else [(words, False)]
    pks: list[int] = []
    for tier_words, in_quote in tiers:
        for pk in _ordered(db, _Filter(from_id, tier_words, in_quote), origin, limit - len(pks)):
            if pk not in pks:
                pks.append(pk)
        if len(pks) >= limit:
            break
    rows = db.execute(
        f"""SELECT h.pk, {HIGHLIGHT_COLUMNS}, s.title FROM highlights h JOIN sources s ON s.id = h.source_id
            WHERE h.pk IN (SELECT value FROM json_each(?))""",
        [json.dumps(pks)],
    ).fetchall()
    by_pk = {row[0]: row for row in rows}
    ordered = [by_pk[pk] for pk in pks if pk in by_pk]
    return list(zip(from_rows(db, [row[1:-1] for row in ordered]), [row[-1] for row in ordered]))


class _Word:
    """One typed word: the index terms, tags and sources it matches."""

    def __init__(self, match: str, tag_ids: list[int], source_ids: list[int]) -> None:
        self.match, self.tag_ids, self.source_ids = match, tag_ids, source_ids

    @classmethod
    def find(cls, db: sqlite3.Connection, word: str) -> _Word | None:
        """None when the word (and, for a typo, every word like it) is found nowhere."""
        terms = [_fts_term(word)]
        tag_ids = [row[0] for row in db.execute("SELECT id, name FROM tags") if word in row[1].casefold()]
        source_ids = [row[0] for row in db.execute("SELECT id, title FROM sources") if word in row[1].casefold()]
        if not tag_ids and not source_ids and not _any_match(db, terms[0]) and len(word) >= FUZZY_MIN:
            terms = [_fts_term(term, prefix=False) for term in _close_terms(db, word)]
            if not terms:
                return None
        return cls(" OR ".join(terms), tag_ids, source_ids)

    def sql(self, probe: bool) -> str:
        """The predicate on `h` (one parameter: `match`).

        Args:
            probe: test tags row by row (a walk in created_at order) rather than through a
                list of every tagged highlight, built first (a quarter of them for a common
                tag), which suits the sorting plan but would outlast any walk.
        """
        parts = [_FTS_IN]
        if self.tag_ids:
            ids = ",".join(map(str, self.tag_ids))
            parts.append(
                f"EXISTS (SELECT 1 FROM highlight_tags ht WHERE ht.highlight_id = h.id AND ht.tag_id IN ({ids}))"
                if probe else f"h.id IN (SELECT highlight_id FROM highlight_tags WHERE tag_id IN ({ids}))"
            )
        if self.source_ids:
            parts.append(f"h.source_id IN ({','.join(map(str, self.source_ids))})")
        return "(" + " OR ".join(parts) + ")"


class _Filter:
    """The WHERE clause of one tier: not the origin, every word, maybe all in the quote."""

    def __init__(self, from_id: str, words: list[_Word], in_quote: bool) -> None:
        self.from_id, self.words, self.in_quote = from_id, words, in_quote

    def sql(self, probe: bool) -> str:
        parts = ["h.id <> ?", *(word.sql(probe) for word in self.words)]
        if self.in_quote:
            parts.append(_FTS_IN)
        return " AND ".join(parts)

    def params(self) -> list:
        quote = [" AND ".join(f"quote : ({word.match})" for word in self.words)] if self.in_quote else []
        return [self.from_id, *(word.match for word in self.words), *quote]


def _ordered(db: sqlite3.Connection, where: _Filter, origin: tuple | None, limit: int) -> list[int]:
    """Row keys of matches near the origin (nearest first), then of the others newest first.

    Two indexed reads, each stopping at `limit`: the near ones by (source_id, start), the
    rest by created_at. Sorting every match would cost a second at 100,000 highlights.
    """
    near: list[int] = []
    not_near, not_near_args = "", []
    params = where.params()
    if origin is not None:
        source_id, start = origin
        near = [row[0] for row in db.execute(
            f"""SELECT h.pk FROM highlights h WHERE {where.sql(True)} AND h.source_id = ?
                AND h.start BETWEEN ? AND ? ORDER BY abs(h.start - ?), h.created_at DESC LIMIT ?""",
            [*params, source_id, start - NEAR_CHARS, start + NEAR_CHARS, start, limit],
        )]
        not_near = " AND NOT (h.source_id = ? AND h.start BETWEEN ? AND ?)"
        not_near_args = [source_id, start - NEAR_CHARS, start + NEAR_CHARS]
    args = [*params, *not_near_args, max(0, limit - len(near))]
    rest = _walk(
        db, f"SELECT h.pk FROM highlights h INDEXED BY highlights_created WHERE {where.sql(True)}{not_near} "
        "ORDER BY h.created_at DESC LIMIT ?", args,
    )
    if rest is None:
        # Few matches: find them first, then sort them (`+` keeps the index out of the order).
        # Found through the quote's index entries when the tier asks for them; else through
        # the lists of each word's matches.
        rest = [row[0] for row in db.execute(
            f"SELECT h.pk FROM highlights h WHERE {where.sql(where.in_quote)}{not_near} "
            "ORDER BY +h.created_at DESC LIMIT ?",
            args,
        )]
    return near + rest


WALK_BUDGET = 40
"""Progress-handler calls (1,000 VM steps each, a few ms) a walk in created_at order may take."""


def _walk(db: sqlite3.Connection, sql: str, params: list) -> list[int] | None:
    """The rows of `sql` read in index order, or None when that walks too far.

    Broad matches (a tag on a quarter of the highlights) fill a page after a few hundred
    rows of the created_at index; narrow ones would test every row, and are better found
    first and sorted (as store.search does for its result pages).
    """
    calls = 0

    def budget() -> int:
        nonlocal calls
        calls += 1
        return calls > WALK_BUDGET

    db.set_progress_handler(budget, 1000)
    try:
        return [row[0] for row in db.execute(sql, params)]
    except sqlite3.OperationalError:
        if calls > WALK_BUDGET:
            return None
        raise
    finally:
        db.set_progress_handler(None, 1000)


_FTS_IN = "h.pk IN (SELECT rowid FROM highlights_fts WHERE highlights_fts MATCH ?)"


def _fts_term(word: str, *, prefix: bool = True) -> str:
    """One FTS5 string (the typed text can never become FTS syntax), a prefix if long enough."""
    term = '"' + word.replace("\x00", " ").replace('"', '""') + '"'
    long_enough = sum(1 for ch in word if is_token_char(ch)) >= PREFIX_MIN
    return term + "*" if prefix and long_enough else term


def _any_match(db: sqlite3.Connection, match: str) -> bool:
    return db.execute("SELECT 1 FROM highlights_fts WHERE highlights_fts MATCH ? LIMIT 1", [match]).fetchone() is not None


def _close_terms(db: sqlite3.Connection, word: str) -> list[str]:
    """Indexed words (stems) within FUZZY_CUTOFF of a word that matched nothing.

    Only words with the same first letter: reading the whole vocabulary costs ~450 ms at
    100,000 highlights, one letter's range ~75 ms (a typo is rarely in the first letter).
    """
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.postil_fts_terms USING fts5vocab(main, highlights_fts, row)")
    first = word[:1]
    terms = [
        row[0]
        for row in db.execute(
            "SELECT term FROM temp.postil_fts_terms WHERE term >= ? AND term < ?", [first, first + "\U0010ffff"]
        )
    ]
    found = process.extract(word, terms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=FUZZY_TERMS)
    return [term for term, _score, _index in found]
