"""Matching a bibliography file's entries to sources, and filling their records from it.

An entry matches a source by DOI (the record's), then URL (the record's, or the source's
origin when it was added from a URL), then title similarity (the entry's title against the
source's record title and library title, rapidfuzz token ratio at least TITLE_SIMILARITY, and
clearly better than the next source). Each source takes at most one entry: the first, by
the surest kind of match. The report says what matched, how, and what did not.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from postil.sources.bibliography import Entry
from postil.sources.csl import doi_key, url_key
from postil.store.db import write
from postil.store.records import IMPORT_PREFIX, key_is_free, list_records, update_record
from postil.store.sources import list_sources

TITLE_SIMILARITY = 90.0
"""Titles this similar (0-100, word order ignored) are taken as the same work."""
TITLE_MARGIN = 5.0
"""The best title must beat the second best by this much, or the entry is ambiguous."""


@dataclass
class Match:
    """One bibliography entry and the source it was matched to (if any), and how."""

    entry: Entry
    source_id: int | None
    by: str
    """"doi", "url", "title" or "" (no match)."""
    score: float = 100.0
    kept: list[str] = field(default_factory=list)
    """Fields not taken from the file because they were set by hand."""
    key: str | None = None
    """The citation key the source has after the import."""


@dataclass
class ImportReport:
    """What importing a bibliography did: every entry with its match, and how many were unreadable."""

    matches: list[Match]
    skipped: int
    """Entries the file held but that could not be read."""

    @property
    def matched(self) -> list[Match]:
        return [m for m in self.matches if m.source_id is not None]


def match_entries(db: sqlite3.Connection, entries: list[Entry]) -> list[Match]:
    """Each entry with the source it describes, if any (nothing is written)."""
    sources = list_sources(db)
    records = list_records(db)
    by_doi: dict[str, int] = {}
    by_url: dict[str, int] = {}
    titles: dict[int, list[str]] = {}
    for source in sources:
        record = records.get(source.id)
        csl = record.csl if record else {}
        if csl.get("DOI"):
            by_doi.setdefault(doi_key(csl["DOI"]), source.id)
        for url in (csl.get("URL"), source.origin if "://" in source.origin else None):
            if url:
                by_url.setdefault(url_key(url), source.id)
        titles[source.id] = [t for t in (csl.get("title"), source.title) if t]
    taken: set[int] = set()
    out: list[Match | None] = [None] * len(entries)
    # Surest kind of match first for every entry, so a DOI match is never lost to a title.
    for kind in ("doi", "url", "title"):
        for i, entry in enumerate(entries):
            if out[i] is not None:
                continue
            found = _find(kind, entry.csl, by_doi, by_url, titles, taken)
            if found is not None:
                source_id, score = found
                taken.add(source_id)
                out[i] = Match(entry, source_id, kind, score)
    return [m if m is not None else Match(e, None, "", 0.0) for m, e in zip(out, entries)]


def _find(kind, csl, by_doi, by_url, titles, taken) -> tuple[int, float] | None:
    if kind == "doi":
        source_id = by_doi.get(doi_key(csl.get("DOI", ""))) if csl.get("DOI") else None
        return (source_id, 100.0) if source_id is not None and source_id not in taken else None
    if kind == "url":
        source_id = by_url.get(url_key(csl["URL"])) if csl.get("URL") else None
        return (source_id, 100.0) if source_id is not None and source_id not in taken else None
    title = csl.get("title")
    if not title:
        return None
    scores = sorted(
        ((max(fuzz.token_sort_ratio(title, t, processor=str.casefold) for t in ts), sid)
         for sid, ts in titles.items() if ts and sid not in taken),
        reverse=True,
    )
    if not scores or scores[0][0] < TITLE_SIMILARITY:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < TITLE_MARGIN:
        return None
    return scores[0][1], round(scores[0][0], 1)


def import_entries(db: sqlite3.Connection, entries: list[Entry], file_name: str, skipped: int = 0,
                   *, dry_run: bool = False) -> ImportReport:
    """Match entries to sources and fill the matched sources' records, in one transaction.

    Fields set by hand are kept (listed in each Match's `kept`); the entry's key becomes the
    source's citation key when no other source has it.
    """
    origin = IMPORT_PREFIX + file_name
    with write(db):
        matches = match_entries(db, entries)
        if dry_run:
            return ImportReport(matches, skipped)
        for match in matches:
            if match.source_id is None:
                continue
            key = match.entry.key if match.entry.key and key_is_free(db, match.source_id, match.entry.key) else None
            record, kept = update_record(db, match.source_id, match.entry.csl, origin, key=key)
            match.kept = kept
            match.key = record.citation_key
    return ImportReport(matches, skipped)
