"""Passages of the sources' own text that a query's words match: what is there to mark.

`store.search` finds highlights; this finds paragraphs (blocks) of the sources themselves,
so a search also shows where a word occurs that nobody has marked yet. The sources are
chosen by the full-text index (`sources_fts`, porter-stemmed like the highlights' index);
within each, a case-insensitive scan for the terms' stems finds the candidate paragraphs
and `search_terms.emphasis_spans` confirms and places each match. A passage needs every term
(any one of them for an OR query), and a paragraph a highlight already covers whole is
left out: the highlight is listed instead.

Only queries made of words, phrases and `source:` search the text: tags, notes and links
belong to highlights (`search.text_query`).
"""

from __future__ import annotations

import bisect
import re
import sqlite3
from dataclasses import dataclass, field

from postil.store.search import text_query
from postil.store.search_terms import PREFIX_MIN, around_first, emphasis_spans
from postil.store.sources import get_block_spans, source_text

LIMIT = 100
"""Passages returned at most by default."""
SNIPPET = 220
"""Characters of a passage shown around its first match."""
BEFORE = 60
"""Characters of context kept before the first match."""


@dataclass
class Passage:
    """A paragraph of a source with the query's words in it."""

    source_id: int
    source_title: str
    start: int
    """Where the paragraph starts in the source's reading text."""
    end: int
    match_start: int
    """Where the first match starts (the place to open the source at)."""
    match_end: int
    snippet: str
    """Up to SNIPPET characters of the paragraph around the first match."""
    snippet_start: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Matches inside `snippet` (offsets relative to it), to emphasise."""

    def excerpt(self) -> tuple[str, list[tuple[int, int]]]:
        """The snippet from a few words before its first match, "…" where the paragraph was
        cut, and its spans (a row or a line shows the match even when narrow)."""
        return around_first(self.snippet, self.spans, cut_before=self.snippet_start > self.start)


def passage_hits(db: sqlite3.Connection, query: str, *, limit: int = LIMIT) -> list[Passage]:
    """Paragraphs of the sources' text matching `query`, by source title then position.

    Raises:
        QueryError: a malformed query (as `search.search_hits`).
    """
    wanted = text_query(db, query)
    if wanted is None or limit <= 0:
        return []
    rows = db.execute(
        "SELECT s.id, s.title FROM sources_fts JOIN sources s ON s.id = sources_fts.rowid "
        "WHERE sources_fts MATCH ? ORDER BY s.title COLLATE NOCASE, s.id",
        [wanted.fts],
    ).fetchall()
    finder = _finder(wanted.terms)
    if finder is None:
        return []
    found: list[Passage] = []
    for source_id, title in rows:
        if (wanted.source_ids is not None and source_id not in wanted.source_ids) or source_id in wanted.excluded:
            continue
        found.extend(_in_source(db, source_id, title, wanted.terms, wanted.any_term, finder, limit - len(found)))
        if len(found) >= limit:
            break
    return found


def _finder(terms: list[str]) -> re.Pattern | None:
    """A fast first pass: where any term's first word could start (its stem, any case)."""
    stems = []
    for term in terms:
        words = re.findall(r"[^\W_]+", term)
        if not words:
            continue
        word = words[0]
        # emphasis_spans matches a word of PREFIX_MIN+ letters as a prefix of its stem.
        stem = word[: max(PREFIX_MIN, len(word) - 3)] if len(word) >= PREFIX_MIN else word
        stems.append(re.escape(stem))
    if not stems:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(stems) + ")", re.IGNORECASE)


def _in_source(
    db: sqlite3.Connection, source_id: int, title: str, terms: list[str], any_term: bool,
    finder: re.Pattern, limit: int,
) -> list[Passage]:
    text = source_text(db, source_id)
    blocks = [(start, end) for _kind, _level, start, end in get_block_spans(db, source_id) if end > start]
    if not blocks:
        blocks = [(0, len(text))]
    starts = [start for start, _ in blocks]
    covered = _covered(db, source_id)
    passages: list[Passage] = []
    seen: set[int] = set()
    for hit in finder.finditer(text):
        index = bisect.bisect_right(starts, hit.start()) - 1
        if index < 0 or hit.start() >= blocks[index][1]:
            continue
        start, end = _part(text, *blocks[index], hit.start())
        if start in seen:
            continue
        seen.add(start)
        if any(h_start <= start and h_end >= end for h_start, h_end in covered):
            continue
        passage = _passage(text, start, end, terms, any_term)
        if passage is None:
            continue
        passage.source_id, passage.source_title = source_id, title
        passages.append(passage)
        if len(passages) >= limit:
            break
    return passages


def _part(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """The blank-line-separated part of the block [start, end) around `at`: a block may hold
    several paragraphs (a source stored without blocks is one block)."""
    before = text.rfind("\n\n", start, at)
    after = text.find("\n\n", at, end)
    return (before + 2 if before >= 0 else start), (after if after >= 0 else end)


def _covered(db: sqlite3.Connection, source_id: int) -> list[tuple[int, int]]:
    return [tuple(row) for row in db.execute(
        'SELECT start, "end" FROM highlights WHERE source_id = ? AND anchor_status <> ?', [source_id, "orphaned"]
    )]


def _passage(text: str, start: int, end: int, terms: list[str], any_term: bool) -> Passage | None:
    paragraph = text[start:end]
    per_term = [emphasis_spans(paragraph, [term]) for term in terms]
    if not any(per_term) or (not any_term and not all(per_term)):
        return None
    spans = sorted({span for spans in per_term for span in spans})
    first = spans[0][0]
    cut = max(0, first - BEFORE)
    if cut:
        space = paragraph.rfind(" ", 0, cut + 1)
        cut = space + 1 if space > cut - 20 else cut  # start at a word when one is near
    snippet = paragraph[cut : cut + SNIPPET]
    inside = [(a - cut, min(b, cut + SNIPPET) - cut) for a, b in spans if a >= cut and a < cut + SNIPPET]
    return Passage(
        0, "", start, end, start + first, start + spans[0][1], snippet, start + cut, inside,
    )
