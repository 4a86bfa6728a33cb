"""Gather everything an export needs from the store, once, through store functions.

`collect(db, query)` runs the search (an empty query means every highlight), loads each
involved source with its text (and its block spans, for locations), the links touching the
chosen highlights (and a glimpse of link ends outside the selection), checks every quote
against its source's current text, and computes where each quote sits (heading path and paragraph number). Renderers in
exports/ then work on this plain `ExportData` and never touch the database.
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from postil.exports.title import readable_title
from postil.store.clock import now
from postil.store.highlights import get_highlights
from postil.store.links import list_links
from postil.store.models import Highlight, Link, Source
from postil.store.offsets import load_offsets
from postil.store.pages import Page, PageLookup, page_lookup
from postil.store.reviewers import BlindView
from postil.store.search import search
from postil.store.sources import get_block_spans, get_source, get_source_info, table_header_starts

TAG_ORDER = ("mechanism", "outcome", "caveat", "anecdote")
"""Brief sections come in this order, then other tags alphabetically."""

HEADING_CHARS = 60


@dataclass
class Location:
    """Where a quote sits in its source, for the citation line."""

    headings: list[str]
    """Text of the enclosing headings, outermost first."""
    paragraph: int | None
    """1-based number of the block (paragraph, list item, ...) holding the quote's start."""


@dataclass
class ExportData:
    """One export's worth of highlights, sources, links and checks."""

    title: str
    query: str
    date: str
    highlights: list[Highlight]
    """In search order: sources by title, then position in the text."""
    sources: dict[int, Source]
    """With their text; `blocks` is left empty (locations hold what renderers need)."""
    links: list[Link]
    """Every link with at least one end among `highlights`."""
    outside: dict[str, tuple[Highlight, str]] = field(default_factory=dict)
    """Link ends not in the export: id -> (highlight, source title)."""
    quote_ok: dict[str, bool] = field(default_factory=dict)
    """Highlight id -> its quote still equals its source's text between its offsets."""
    locations: dict[str, Location] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    """Highlight id -> the page its start is on, for highlights in paged sources (PDF)."""
    last_pages: dict[str, Page] = field(default_factory=dict)
    """Highlight id -> the page its last character is on, for highlights that run onto a
    later page (cited "pp. 4–5")."""
    tag_order: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """Highlight id -> the header row of the table whose (non-header) row holds its quote."""
    file_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Highlight id -> (start, end) in its source file's decoded text, for the highlights
    whose quote is one unbroken stretch of that file (`sources.offsets`)."""
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Indexes worked out from `links`, `outside` and `highlights` (links by end, folded tags),
    once: the parts of one rendering batch share its links and far ends (which hold the whole
    batch), and so this dict; it was worked out again for each part (~1 s at 100,000)."""

    @property
    def mismatches(self) -> list[Highlight]:
        return [h for h in self.highlights if not self.quote_ok.get(h.id, True)]

    def links_of(self, highlight_id: str) -> list[Link]:
        return self._by_end().get(highlight_id, [])

    def _by_end(self) -> dict[str, list[Link]]:
        cached = self.derived.get("by end")
        if cached is None:
            cached = defaultdict(list)
            for link in self.links:
                cached[link.from_id].append(link)
                cached[link.to_id].append(link)
            self.derived["by end"] = cached
        return cached


def collect(db: sqlite3.Connection, query: str = "", title: str | None = None, *,
            view: BlindView | None = None, reviewer: str | None = None) -> ExportData:
    """Everything an export of `query` needs (raises store.query.QueryError for a bad query).

    Args:
        view: what the exporting reviewer may see (blind mode): nothing hidden from them
            reaches the export, not even as the far end of a link.
        reviewer: only this reviewer's highlights (e.g. "consensus" after reconciling).
    """
    highlights = search(db, query or "", restrict=restriction(view, reviewer))
    # Text for the quote checks; blocks only as spans (for locations), not as Block objects.
    source_ids = list(dict.fromkeys(h.source_id for h in highlights))
    sources = {sid: get_source(db, sid, blocks=False) for sid in source_ids}
    spans = {sid: get_block_spans(db, sid) for sid in source_ids}
    chosen = {h.id for h in highlights}
    links = [l for l in list_links(db) if l.from_id in chosen or l.to_id in chosen] if chosen else []
    missing = sorted({end for l in links for end in (l.from_id, l.to_id) if end not in chosen})
    outside: dict[str, tuple[Highlight, str]] = {}
    if missing:
        titles: dict[int, str] = {s.id: s.title for s in sources.values()}
        for other in get_highlights(db, missing):
            if view is not None and not view.shows(other):
                continue
            if other.source_id not in titles:

                titles[other.source_id] = get_source_info(db, other.source_id).title
            outside[other.id] = (other, titles[other.source_id])
    if view is not None and view.blind:
        links = [l for l in links if all(end in chosen or end in outside for end in (l.from_id, l.to_id))]
    data = ExportData(
        title=title or readable_title(db, query),
        query=query or "",
        date=now(),
        highlights=highlights,
        sources=sources,
        links=links,
        outside=outside,
    )
    data.quote_ok = {h.id: check_quote(sources[h.source_id].text, h) for h in highlights}
    data.locations = locate_all(highlights, sources, spans)
    data.pages, data.last_pages = pages_of(db, highlights)
    data.file_spans = file_spans(db, highlights, data.quote_ok)
    data.columns = table_columns(db, highlights, sources, spans)
    data.tag_order = ordered_tags({t for h in highlights for t in h.tags})
    return data


def restriction(view: BlindView | None, reviewer: str | None) -> tuple[str, list] | None:
    """The SQL predicate on `highlights h` an export adds to its query: what blind mode
    hides from `view`'s reviewer, and only `reviewer`'s highlights when one is named."""
    restrict = view.restriction() if view is not None else None
    if reviewer is not None:
        where, params = restrict or ("1", [])
        restrict = (f"({where}) AND h.author = ?", [*params, reviewer])
    return restrict


def file_spans(db: sqlite3.Connection, highlights: list[Highlight], quote_ok: dict[str, bool],
               maps: dict[int, object] | None = None) -> dict[str, tuple[int, int]]:
    """Where each sound highlight's quote is in its file's text, when the offset map knows.

    `maps`: each source's offset map, kept by a caller that asks batch by batch (a streamed
    export), so a source's map is loaded once.
    """
    if maps is None:
        maps = {}
    out: dict[str, tuple[int, int]] = {}
    for h in highlights:
        if not quote_ok.get(h.id, False):
            continue
        if h.source_id not in maps:
            maps[h.source_id] = load_offsets(db, h.source_id)
        offsets = maps[h.source_id]
        span = offsets.file_span(h.start, h.end) if offsets is not None else None
        if span is not None:
            out[h.id] = span
    return out


def table_columns(
    db: sqlite3.Connection,
    highlights: list[Highlight],
    sources: dict[int, Source],
    spans: dict[int, list[tuple[str, int | None, int, int]]],
) -> dict[str, str]:
    """The header row (its text) of the table each table-row quote is in, when it has one.

    Rows of one table follow each other one newline apart; the header is the nearest row
    above marked as a header with nothing but rows between.
    """
    out: dict[str, str] = {}
    headers: dict[int, set[int]] = {}
    starts_of: dict[int, list[int]] = {}
    for h in highlights:
        rows = spans.get(h.source_id) or []
        if h.source_id not in starts_of:
            starts_of[h.source_id] = [row[2] for row in rows]
        index = bisect_right(starts_of[h.source_id], h.start) - 1
        if index < 0 or rows[index][0] != "table_row":
            continue
        if h.source_id not in headers:
            headers[h.source_id] = table_header_starts(db, h.source_id)
        marked, text = headers[h.source_id], sources[h.source_id].text
        while index >= 0 and rows[index][0] == "table_row" and rows[index][2] not in marked:
            above = index - 1
            if above < 0 or rows[above][0] != "table_row" or text[rows[above][3] : rows[index][2]] != "\n":
                index = -1
                break
            index = above
        if index >= 0 and rows[index][2] in marked and not rows[index][2] <= h.start < rows[index][3]:
            out[h.id] = text[rows[index][2] : rows[index][3]]
    return out


def check_quote(text: str, highlight: Highlight) -> bool:
    """The quote integrity rule: an anchored quote equals the text between its offsets."""
    if highlight.anchor_status == "orphaned":
        return False
    return 0 <= highlight.start <= highlight.end <= len(text) and text[highlight.start : highlight.end] == highlight.quote


def ordered_tags(names: set[str]) -> list[str]:
    """The default tags in their brief order, then the rest alphabetically."""
    folded = {n.casefold(): n for n in names}
    first = [folded[t] for t in TAG_ORDER if t in folded]
    rest = sorted((n for n in names if n not in first), key=str.casefold)
    return first + rest


def locate_all(
    highlights: list[Highlight],
    sources: dict[int, Source],
    spans: dict[int, list[tuple[str, int | None, int, int]]] | None = None,
    prepared: dict[int, PreparedBlocks] | None = None,
) -> dict[str, Location]:
    """Heading path and block number of every highlight, one pass over each source's blocks.

    `spans`: (kind, level, start, end) of each source's blocks (store.sources.get_block_spans);
    without it, the sources' own `blocks`. Highlights in the same block share one Location.
    `prepared`: each source's blocks made ready for lookups, kept by a caller that locates
    the highlights of one source in several batches (a streaming export).
    """
    if prepared is None:
        prepared = {}
    made: dict[tuple[int, int], Location] = {}
    out: dict[str, Location] = {}
    for h in highlights:
        sid = h.source_id
        found = prepared.get(sid)
        if found is None:
            source = sources[sid]
            rows = spans[sid] if spans is not None else [(b.kind, b.level, b.start, b.end) for b in source.blocks]
            found = prepared[sid] = _prepare(source.text, rows)
        index = bisect_right(found.starts, h.start) - 1
        if index < 0:
            out[h.id] = Location([], None)
            continue
        location = made.get((sid, index))
        if location is None:  # made only for blocks that hold a quote
            headings, paragraph = found.entry(index)
            location = made[(sid, index)] = Location(list(headings), paragraph)
        out[h.id] = location
    return out


def pages_of(db: sqlite3.Connection, highlights: list[Highlight]) -> tuple[dict[str, Page], dict[str, Page]]:
    """The page each highlight starts on (orphans and sources without pages have none), and
    the page it ends on where that is a later one.

    One read of each source's page map, then a bisect per highlight; pages without text
    (empty spans) are left out so a quote is never cited to a scanned page.
    """
    maps: dict[int, PageLookup] = {}
    out: dict[str, Page] = {}
    last: dict[str, Page] = {}
    for h in highlights:
        if h.anchor_status == "orphaned":
            continue
        lookup = maps.get(h.source_id)
        if lookup is None:
            lookup = maps[h.source_id] = page_lookup(db, h.source_id)
        page = lookup.page_at(h.start) if lookup else None
        if page is not None:
            out[h.id] = page
            end_page = lookup.page_at(max(h.start, h.end - 1))
            if end_page is not None and end_page.index > page.index:
                last[h.id] = end_page
    return out, last


@dataclass
class PreparedBlocks:
    """A source's blocks made ready for locating quotes, in arrays: a streaming brief keeps
    every source's (100,000 blocks in ~2 MB, where lists of tuples took ~25 MB with the
    spans they were made from), instead of reading and preparing them again for each batch
    (~1,700 times at 100,000 highlights in 200 sources, ~1.5 s)."""

    starts: array
    """Each block's start, in order (for bisect)."""
    paths: list[list[str]]
    """The distinct heading paths, in order."""
    path_of: array
    """Each block's heading path (an index into `paths`)."""
    paragraph: array
    """Each block's paragraph number (1-based; 0 for a heading, which has none)."""
    tables: bool
    """Some block is a table row (`table_columns` needs the source's spans)."""

    def entry(self, index: int) -> tuple[list[str], int | None]:
        """(heading path, paragraph number or None) of block `index`."""
        return self.paths[self.path_of[index]], self.paragraph[index] or None


def _prepare(text: str, blocks: list[tuple[str, int | None, int, int]]) -> PreparedBlocks:
    """Block starts (for bisect) and each block's heading path and paragraph number."""
    starts, path_of, paragraphs = array("q"), array("l"), array("l")
    paths: list[list[str]] = [[]]
    path: list[tuple[int, str]] = []
    number = 0
    tables = False
    for kind, level, start, end in blocks:
        if kind == "heading":
            title = " ".join(text[start:end].split()).lstrip("#").strip()
            if len(title) > HEADING_CHARS:
                title = title[: HEADING_CHARS - 1].rstrip() + "…"
            level = level or 1
            path = [p for p in path if p[0] < level] + [(level, title)]
            paths.append([t for _, t in path])  # shared by the blocks under it, copied per Location
            paragraph = 0
        else:
            number += 1
            paragraph = number
            tables = tables or kind == "table_row"
        starts.append(start)
        path_of.append(len(paths) - 1)
        paragraphs.append(paragraph)
    return PreparedBlocks(starts, paths, path_of, paragraphs, tables)
