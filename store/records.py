"""Bibliographic records of sources (table `source_records`, migration 0006).

A record is CSL-JSON (sources.csl keeps it schema-valid) with a citation key, unique without
regard to case, and the provenance of each field: "source" (the file said so), "import:<file>"
(a bibliography file), "manual" (typed by the reviewer). A later, surer origin wins: by hand
beats an imported file, which beats what a page's meta tags claimed, and re-reading the file
never overwrites a field someone set.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from postil.sources.csl import ascii_word, first_family, infer_type, normalise, year_of
from postil.store.clock import now
from postil.store.db import write
from postil.store.errors import Conflict, NotFound, StoreError

SOURCE = "source"
MANUAL = "manual"
IMPORT_PREFIX = "import:"

MAX_KEY = 100
KEY_FIELD = "citation-key"
"""The provenance entry for the key itself (a key typed by hand is not replaced by a file's)."""


@dataclass
class Record:
    """One source's record."""

    source_id: int
    csl: dict = field(default_factory=dict)
    """CSL-JSON fields without `id` (the citation key is the id when exported)."""
    citation_key: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    """Field name -> where its value came from."""
    updated_at: str = ""

    def item(self, fallback_title: str = "") -> dict:
        """The CSL-JSON item citeproc and Pandoc read: the fields, `id` and a type."""
        item = {"id": self.citation_key or f"source{self.source_id}", **self.csl, "type": infer_type(self.csl)}
        if not item.get("title") and fallback_title:
            item["title"] = fallback_title
        return item

    @property
    def citable(self) -> bool:
        """Has an author or a date: enough for a citation that is more than a title."""
        return bool(self.csl.get("author") or self.csl.get("editor") or self.csl.get("issued"))


def rank(origin: str) -> int:
    """How sure an origin is: manual 2, an imported file 1, the source's own tags 0."""
    if origin == MANUAL:
        return 2
    return 1 if origin.startswith(IMPORT_PREFIX) else 0


def get_record(db: sqlite3.Connection, source_id: int) -> Record | None:
    row = db.execute(
        "SELECT source_id, csl, citation_key, provenance, updated_at FROM source_records WHERE source_id = ?",
        [source_id],
    ).fetchone()
    return _record(row) if row else None


def list_records(db: sqlite3.Connection) -> dict[int, Record]:
    """Every record, by source id."""
    rows = db.execute("SELECT source_id, csl, citation_key, provenance, updated_at FROM source_records")
    return {row[0]: _record(row) for row in rows}


def _record(row: tuple) -> Record:
    return Record(row[0], json.loads(row[1]), row[2], json.loads(row[3]), row[4])


def update_record(
    db: sqlite3.Connection,
    source_id: int,
    fields: dict,
    origin: str,
    *,
    key: str | None = None,
    remove: tuple[str, ...] = (),
) -> tuple[Record, list[str]]:
    """Set fields of a source's record from `origin`; a field set by a surer origin is kept.

    Args:
        fields: CSL fields (normalised here; unknown fields are dropped).
        origin: SOURCE, MANUAL or IMPORT_PREFIX + file name.
        key: a citation key to set (else the record keeps its key, or is given one).
        remove: fields to clear (by hand only).

    Returns:
        The record as stored and the fields that were kept because a surer origin set them.

    Raises:
        NotFound: no such source. Conflict: `key` belongs to another source.
    """
    with write(db):
        if db.execute("SELECT 1 FROM sources WHERE id = ?", [source_id]).fetchone() is None:
            raise NotFound(f"no source with id {source_id}")
        record = get_record(db, source_id) or Record(source_id)
        kept: list[str] = []
        for name, value in normalise(fields).items():
            if record.csl.get(name) == value:
                continue
            if rank(record.provenance.get(name, SOURCE)) > rank(origin) and name in record.csl:
                kept.append(name)
                continue
            record.csl[name] = value
            record.provenance[name] = origin
        for name in remove:
            record.csl.pop(name, None)
            record.provenance.pop(name, None)
        if key is not None and rank(record.provenance.get(KEY_FIELD, SOURCE)) > rank(origin):
            if key != record.citation_key:
                kept.append(KEY_FIELD)
        elif key is not None:
            record.citation_key = check_key(db, source_id, key)
            record.provenance[KEY_FIELD] = origin
        elif record.citation_key is None or KEY_FIELD not in record.provenance:
            # A key nobody chose follows the record (a title word, then author and year).
            record.citation_key = suggest_key(db, source_id, record.csl)
        _save(db, record)
        return record, kept


def check_key(db: sqlite3.Connection, source_id: int, key: str) -> str:
    """`key` if it is a usable citation key free for this source (Pandoc's key syntax)."""
    key = key.strip()
    # Pandoc reads a key's trailing punctuation as text after it: a key starts and ends with
    # a letter or digit.
    if not key or len(key) > MAX_KEY or not key[0].isalnum() or not key[-1].isalnum() or any(
        not (ch.isalnum() or ch in "_-:.#$%&+?<>~/") for ch in key
    ):
        raise StoreError(f"{key!r} is not a citation key (letters and digits, with _-:./ inside; at most {MAX_KEY})")
    row = db.execute(
        "SELECT source_id FROM source_records WHERE citation_key = ? COLLATE NOCASE AND source_id != ?",
        [key, source_id],
    ).fetchone()
    if row:
        raise Conflict(f"citation key {key!r} is already source {row[0]}'s")
    return key


def key_is_free(db: sqlite3.Connection, source_id: int, key: str) -> bool:
    try:
        check_key(db, source_id, key)
    except StoreError:
        return False
    return True


def suggest_key(db: sqlite3.Connection, source_id: int, csl: dict) -> str:
    """"carhartharris2017" (first author, year), else a title word; "a", "b" ... when taken."""
    family = ascii_word(first_family(csl))
    if not family:
        words = [ascii_word(w) for w in str(csl.get("title", "")).split()]
        family = next((w for w in words if len(w) > 3), "") or next((w for w in words if w), "") or "source"
    base = (family[:40] + str(year_of(csl) or "")) or f"source{source_id}"
    taken = {
        row[0].casefold() for row in db.execute(
            "SELECT citation_key FROM source_records WHERE citation_key LIKE ? AND source_id != ?",
            [base + "%", source_id],
        )
    }
    if base.casefold() not in taken:
        return base
    for suffix in "abcdefghijklmnopqrstuvwxyz":
        if (base + suffix).casefold() not in taken:
            return base + suffix
    return f"{base}-{source_id}"


def _save(db: sqlite3.Connection, record: Record) -> None:
    record.updated_at = now()
    db.execute(
        """INSERT INTO source_records (source_id, csl, citation_key, provenance, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(source_id) DO UPDATE SET csl = excluded.csl, citation_key = excluded.citation_key,
           provenance = excluded.provenance, updated_at = excluded.updated_at""",
        [record.source_id, json.dumps(record.csl, ensure_ascii=False), record.citation_key,
         json.dumps(record.provenance), record.updated_at],
    )


def fill_from_source(db: sqlite3.Connection, source_id: int, fields: dict) -> None:
    """What a file says about itself, kept where nobody has set a field (postil add)."""
    if fields:
        update_record(db, source_id, fields, SOURCE)
