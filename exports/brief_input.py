"""Where a brief's highlights come from, a batch at a time: the store, or a collected ExportData.

A brief is written in two passes (exports.brief_plan): one over every highlight for its
counts, sections and anchors, one that renders. Neither holds the whole selection: each batch
is a small ExportData of its own highlights, the sources they sit in (with their text), the
links touching them and, in `outside`, every other end of those links with its source title
(the far end of a link may be in another batch, or not in the brief at all). Renderers look
up a highlight's link ends there, and ask the plan whether one is in the brief.

`StoreInput` reads the store (the `postil export` command: 100,000 highlights in ~1 MB of
row keys); `CollectedInput` slices an ExportData already in memory (the app's export dialog
and tests), so both go through the same rendering code and give the same bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from postil.exports.collect import (
    ExportData,
    PreparedBlocks,
    check_quote,
    locate_all,
    pages_of,
    restriction,
    table_columns,
)
from postil.exports.title import readable_title
from postil.store.clock import now
from postil.store.highlights import get_highlights
from postil.store.links import link_counts, links_touching
from postil.store.models import Highlight, Source, SourceInfo
from postil.store.reviewers import BlindView
from postil.store.search import count
from postil.store.sources import get_block_spans, get_source, get_source_info
from postil.store.streaming import BATCH, batches_by_key, keyed_search_batches, search_ids


class StoreInput:
    """A brief's highlights read from the store in batches.

    Raises:
        QueryError: a bad query (when constructed, before anything is read or written).
    """

    def __init__(self, db: sqlite3.Connection, query: str = "", title: str | None = None,
                 batch: int = BATCH, *, view: BlindView | None = None, reviewer: str | None = None) -> None:
        self.db = db
        self.query = query or ""
        self.title = title or readable_title(db, self.query)
        self.date = now()
        self.view = view
        self.batch = batch
        self.restrict = restriction(view, reviewer)
        count(db, self.query, restrict=self.restrict)  # checks the query now
        self.link_counts = link_counts(db)
        """Every highlight's link count, read once: each batch counted its own, and its far
        ends' (~2.4 s of CPU of ~13 at 100,000 highlights, over the two passes)."""
        self.read = 0
        """Highlights read so far by the rendering pass (tests watch it against the writes)."""
        self._sources: dict[int, Source] = {}
        self._spans: dict[int, list] = {}
        self._prepared: dict[int, PreparedBlocks] = {}
        self._infos: dict[int, SourceInfo] = {}

    def ids(self) -> Iterator[str]:
        """Every highlight id of the brief, in its order (one light pass)."""
        return search_ids(self.db, self.query, restrict=self.restrict)

    def source(self, source_id: int) -> SourceInfo:
        """A source of the brief without its text (titles, origins, hashes)."""
        found = self._infos.get(source_id)
        if found is None:
            found = self._infos[source_id] = get_source_info(self.db, source_id)
        return found

    def scan(self) -> Iterator[tuple[list[int], ExportData]]:
        """Every highlight, in the brief's order: (row keys, the batch with its links and
        quote checks, without locations)."""
        for keys, highlights in keyed_search_batches(self.db, self.query, self.batch, restrict=self.restrict,
                                                     link_counts=self.link_counts):
            yield keys, self._data(highlights, rendering=False)

    def render_all(self) -> Iterator[ExportData]:
        """Every highlight again, ready to render (locations, pages, table columns)."""
        for _keys, highlights in keyed_search_batches(self.db, self.query, self.batch, restrict=self.restrict,
                                                      link_counts=self.link_counts):
            self.read += len(highlights)
            yield self._data(highlights, rendering=True)

    def render_keys(self, keys: Sequence[int]) -> Iterator[ExportData]:
        """The highlights of `keys` (from `scan`), in that order, ready to render."""
        for highlights in batches_by_key(self.db, keys, self.batch, link_counts=self.link_counts):
            # Links once for the batch, shared by its parts: to a part, the rest of the batch
            # is far ends like any other.
            links, outside = self._links(highlights)
            outside.update((h.id, (h, self.source(h.source_id).title)) for h in highlights)
            shared: dict = {}
            # A section of a rare tag has a few highlights in each of many sources: without
            # this a batch held 180 sources' texts at once (+35 MB at 100,000 highlights).
            for part in _few_sources(highlights, SOURCES_AT_ONCE):
                self.read += len(part)
                yield self._data(part, rendering=True, links=(links, outside), derived=shared)

    def glimpses(self, keys: Sequence[int]) -> Iterator[list[Highlight]]:
        """The highlights of `keys`, in that order, for references to them (no checks)."""
        yield from batches_by_key(self.db, keys, self.batch, link_counts=self.link_counts)

    def _data(self, highlights: list[Highlight], rendering: bool,
              links: tuple[list, dict[str, tuple[Highlight, str]]] | None = None,
              derived: dict | None = None) -> ExportData:
        """One batch's ExportData; `links`: its links and their far ends when the caller read
        them for more highlights than these (the extra links are never looked up), and
        `derived` the indexes of them that its other parts share (ExportData.derived)."""
        db = self.db
        wanted = list(dict.fromkeys(h.source_id for h in highlights))
        # Highlights come grouped by source: keep only the sources this batch needs.
        self._sources = {sid: self._sources.get(sid) or get_source(db, sid, blocks=False) for sid in wanted}
        links, outside = links if links is not None else self._links(highlights)
        data = ExportData(title=self.title, query=self.query, date=self.date, highlights=highlights,
                          sources=self._sources, links=links, outside=outside,
                          derived=derived if derived is not None else {})
        data.quote_ok = {h.id: check_quote(self._sources[h.source_id].text, h) for h in highlights}
        if rendering:
            # Every source's blocks stay prepared (small: collect.PreparedBlocks); their
            # spans are read again only for a source with tables, which table_columns needs.
            prepared = self._prepared
            self._spans = {sid: self._spans[sid] if sid in self._spans else get_block_spans(db, sid)
                           for sid in wanted if sid not in prepared or prepared[sid].tables}
            data.locations = locate_all(highlights, self._sources, self._spans, prepared)
            data.pages, data.last_pages = pages_of(db, highlights)
            tables = {sid: self._spans[sid] for sid in wanted if prepared[sid].tables}
            data.columns = table_columns(db, highlights, self._sources, tables)
        return data

    def _links(self, highlights: list[Highlight]) -> tuple[list, dict[str, tuple[Highlight, str]]]:
        """Links touching the batch and their far ends, as `collect` keeps them: a far end
        the reviewer may not see is left out, and in blind mode so is its link."""
        links = links_touching(self.db, [h.id for h in highlights])
        mine = {h.id for h in highlights}
        others = sorted({end for link in links for end in (link.from_id, link.to_id) if end not in mine})
        view = self.view
        outside = {
            other.id: (other, self.source(other.source_id).title)
            for other in get_highlights(self.db, others, link_counts=self.link_counts)
            if view is None or view.shows(other)
        }
        if view is not None and view.blind:
            links = [l for l in links if all(end in mine or end in outside for end in (l.from_id, l.to_id))]
        return links, outside


SOURCES_AT_ONCE = 4
"""Sources (with their text and blocks) a rendering batch holds at most."""


def _few_sources(highlights: list[Highlight], most: int) -> Iterator[list[Highlight]]:
    """`highlights` in runs, in order, each from at most `most` sources."""
    run: list[Highlight] = []
    seen: set[int] = set()
    for h in highlights:
        if h.source_id not in seen and len(seen) == most:
            yield run
            run, seen = [], set()
        seen.add(h.source_id)
        run.append(h)
    if run:
        yield run


class CollectedInput:
    """A collected ExportData (exports.collect) handed out as a brief's batches: one batch
    for the counts, and for each section the highlights it prints."""

    def __init__(self, data: ExportData) -> None:
        self.data = data
        self.query = data.query
        self.title = data.title
        self.date = data.date
        self._everyone: dict[str, tuple[Highlight, str]] | None = None

    def ids(self) -> Iterator[str]:
        return (h.id for h in self.data.highlights)

    def source(self, source_id: int) -> Source:
        return self.data.sources[source_id]

    def scan(self) -> Iterator[tuple[list[int], ExportData]]:
        yield list(range(len(self.data.highlights))), self.data

    def render_all(self) -> Iterator[ExportData]:
        yield self.data

    def render_keys(self, keys: Sequence[int]) -> Iterator[ExportData]:
        data = self.data
        if self._everyone is None:
            # Within a section the other highlights of the brief are far ends like any other.
            self._everyone = {h.id: (h, data.sources[h.source_id].title) for h in data.highlights}
            self._everyone.update(data.outside)
        part = ExportData(title=data.title, query=data.query, date=data.date,
                          highlights=[data.highlights[k] for k in keys], sources=data.sources,
                          links=data.links, outside=self._everyone, quote_ok=data.quote_ok,
                          locations=data.locations, pages=data.pages, last_pages=data.last_pages,
                          tag_order=data.tag_order, columns=data.columns, file_spans=data.file_spans,
                          derived=data.derived)  # the same links and far ends: index them once
        yield part

    def glimpses(self, keys: Sequence[int]) -> Iterator[list[Highlight]]:
        yield [self.data.highlights[k] for k in keys]
