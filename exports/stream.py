"""Exports that write while they read: CSV, JSON and W3C in batches of highlights.

`collect` builds one ExportData holding every highlight, source text and link before a byte
is written (100,000 highlights: 500-600 MB). Here the highlights come from the store in
batches (store.streaming); each batch becomes a small ExportData of its own highlights, the
sources they sit in and the links touching them, and goes through the same renderers
(tabular.records, w3c.annotation), so the output is byte-identical to the collected one.
At most the sources of the current batch are held, with their text and located blocks.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from typing import TextIO

from postil.exports import tabular, w3c
from postil.exports.collect import (
    ExportData,
    PreparedBlocks,
    check_quote,
    file_spans,
    locate_all,
    pages_of,
    restriction,
)
from postil.exports.title import readable_title
from postil.store.clock import now
from postil.store.highlights import get_highlights
from postil.store.links import links_touching
from postil.store.models import Highlight, Source
from postil.store.reviewers import BlindView
from postil.store.search import count
from postil.store.sources import get_block_spans, get_source
from postil.store.streaming import BATCH, search_batches, search_ids

FORMATS = ("csv", "json", "w3c")
"""The formats written here in one pass; the Markdown brief needs two (exports.brief_plan, exports.brief)."""


class StreamedExport:
    """One export of `query`, read in batches; `total` is known before the first batch.

    Raises:
        QueryError: a bad query (when constructed, before anything is written).
    """

    def __init__(self, db: sqlite3.Connection, query: str = "", title: str | None = None,
                 batch: int = BATCH, *, view: BlindView | None = None, reviewer: str | None = None) -> None:
        self.db = db
        self.query = query or ""
        self.title = title or readable_title(db, self.query)
        self.date = now()
        self.view = view
        self.restrict = restriction(view, reviewer)
        self.total = count(db, self.query, restrict=self.restrict)
        self.written = 0
        self.source_ids: set[int] = set()
        self._sources: dict[int, Source] = {}
        self._spans: dict[int, list] = {}
        self._prepared: dict[int, PreparedBlocks] = {}
        self._maps: dict[int, object] = {}
        self._batches = search_batches(db, self.query, batch, restrict=self.restrict)

    def batches(self) -> Iterator[ExportData]:
        """Each batch of highlights as an ExportData (sources, links, checks, locations)."""
        for highlights in self._batches:
            yield self._data(highlights)

    def _data(self, highlights: list[Highlight]) -> ExportData:
        wanted = list(dict.fromkeys(h.source_id for h in highlights))
        # Highlights come grouped by source: keep only the sources this batch needs.
        self._sources = {sid: self._sources.get(sid) or get_source(self.db, sid, blocks=False) for sid in wanted}
        self._spans = {sid: self._spans[sid] if sid in self._spans else get_block_spans(self.db, sid) for sid in wanted}
        self._prepared = {sid: found for sid, found in self._prepared.items() if sid in self._sources}
        data = ExportData(
            title=self.title,
            query=self.query,
            date=self.date,
            highlights=highlights,
            sources=self._sources,
            links=self._links(highlights),
        )
        data.quote_ok = {h.id: check_quote(self._sources[h.source_id].text, h) for h in highlights}
        data.locations = locate_all(highlights, self._sources, self._spans, self._prepared)
        # The collected export had pages; the streamed one (CSV, JSON, W3C) wrote page null.
        data.pages, data.last_pages = pages_of(self.db, highlights)
        self._maps = {sid: found for sid, found in self._maps.items() if sid in self._sources}
        data.file_spans = file_spans(self.db, highlights, data.quote_ok, self._maps)
        self.written += len(highlights)
        self.source_ids.update(wanted)
        return data

    def _links(self, highlights: list[Highlight]) -> list:
        """Links touching the batch; in blind mode only those whose every end the reviewer
        may see (as `collect` keeps them: nothing hidden leaks as a link's far end)."""
        links = links_touching(self.db, [h.id for h in highlights])
        view = self.view
        if view is None or not view.blind or not links:
            return links
        mine = {h.id for h in highlights}
        others = sorted({end for link in links for end in (link.from_id, link.to_id) if end not in mine})
        seen = mine | {h.id for h in get_highlights(self.db, others) if view.shows(h)}
        return [link for link in links if link.from_id in seen and link.to_id in seen]


def write_export(export: StreamedExport, fmt: str, out: TextIO,
                 on_batch: Callable[[ExportData], None] | None = None) -> None:
    """Write the export in `fmt` (csv, json or w3c) to `out`, batch by batch.

    Args:
        on_batch: called with each batch's ExportData once it is written (progress,
            warnings about quotes that no longer match).
    """
    writer = {"csv": _write_csv, "json": _write_json, "w3c": _write_w3c}[fmt]
    writer(export, out, on_batch or (lambda _data: None))


def _write_csv(export: StreamedExport, out: TextIO, on_batch) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(tabular.FIELDS)
    for data in export.batches():
        writer.writerows(tabular.csv_rows(data))
        on_batch(data)


def _write_json(export: StreamedExport, out: TextIO, on_batch) -> None:
    out.write("[\n")
    first = True
    for data in export.batches():
        for line in tabular.json_lines(data):
            out.write(line if first else ",\n" + line)
            first = False
        on_batch(data)
    out.write("\n]\n")


def _write_w3c(export: StreamedExport, out: TextIO, on_batch) -> None:
    # The collection's id hashes every highlight id, and its head comes first: one light
    # pass over the ids (uuid5 is SHA-1 over the namespace and the name, fed piecewise).
    digest = hashlib.sha1(w3c.COLLECTION_NAMESPACE.bytes)
    digest.update(export.title.encode("utf-8"))
    digest.update(b"\n" + export.query.encode("utf-8"))
    for hid in search_ids(export.db, export.query, restrict=export.restrict):
        digest.update(b"\n" + hid.encode("utf-8"))
    key = uuid.UUID(bytes=digest.digest()[:16], version=5)
    head, tail = w3c.frame(export.title, export.date, export.total, key)
    out.write(head)
    first = True
    uris: dict[int, str] = {}
    for data in export.batches():
        for sid, source in data.sources.items():
            if sid not in uris:
                uris[sid] = w3c.source_uri(source.origin, source.sha256)
        for h in data.highlights:
            line = json.dumps(w3c.annotation(data, h, uris), ensure_ascii=True)
            out.write(line if first else ",\n" + line)
            first = False
        on_batch(data)
    out.write(tail)
