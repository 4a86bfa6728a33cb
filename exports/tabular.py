"""CSV (one row per highlight) and JSON (a list of objects) exports.

JSON is the exact record: the highlight object every `--json` prints (exports.highlight_json:
every field as stored, the source's title, the page, the links), plus the source's origin and
hash, the citation and the quote check. CSV carries the same fields flattened (tags joined by ", " since tag names
cannot hold commas; links as "relation>id" / "relation<id"). Because spreadsheets run a
cell starting with = + - @ as a formula, such text cells are prefixed with an apostrophe
(OWASP's advice); use JSON when the exact text matters.

Positions: `start`/`end` count characters of postil's reading text (what `postil show`
prints), as stored; `file_start`/`file_end` are the same quote's place in the source file's
decoded text (code points, BOM removed), empty/null when the quote is not one unbroken
stretch of the file (it spans a joined line end, or text postil wrote such as a list marker).
"""

from __future__ import annotations

import csv
import io
import json
import re

from postil.exports.collect import ExportData
from postil.exports.highlight_json import highlight_record, link_record

FIELDS = (
    "id", "source_id", "source_title", "source_origin", "source_sha256", "start", "end",
    "file_start", "file_end", "quote", "prefix", "suffix", "note", "tags", "author", "created_at", "updated_at",
    "version", "anchor_status", "quote_matches_source", "headings", "paragraph", "page", "page_end", "links",
)
_JSON_UNSAFE = re.compile("[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def records(data: ExportData) -> list[dict]:
    """One plain dict per highlight, in export order: the highlight object every `--json`
    prints (exports.highlight_json) and the fields only an export computes, in `FIELDS` order."""
    out = []
    for h in data.highlights:
        source = data.sources[h.source_id]
        location = data.locations.get(h.id)
        page = data.pages.get(h.id)
        links = [link_record(link, h.id) for link in data.links_of(h.id)]
        # The page's label as the PDF declares it ("iv", "12"); None outside paged sources.
        record = highlight_record(h, source.title, page.label if page else None, links)
        record.update(
            source_origin=source.origin,
            source_sha256=source.sha256,
            file_start=data.file_spans[h.id][0] if h.id in data.file_spans else None,
            file_end=data.file_spans[h.id][1] if h.id in data.file_spans else None,
            quote_matches_source=data.quote_ok.get(h.id, True),
            headings=location.headings if location else [],
            paragraph=location.paragraph if location else None,
            page_end=(data.last_pages.get(h.id) or page).label if page else None,
        )
        out.append({name: record[name] for name in FIELDS})
    return out


def json_lines(data: ExportData) -> list[str]:
    """Each record as one line of JSON, safe to `cat` (see `to_json`)."""
    # One object per line: json's C encoder only runs without indent, and a line per
    # highlight still reads and diffs well.
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps would build one per record
    # Keep the file safe to `cat`: characters a terminal acts on or reorders stay \u-escaped
    # (outside strings JSON is ASCII, so these can only be inside strings).
    return [_JSON_UNSAFE.sub(_escape, encode(r)) for r in records(data)]


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def to_json(data: ExportData) -> str:
    """A JSON array of highlight objects (exact text; non-ASCII kept readable)."""
    return "[\n" + ",\n".join(json_lines(data)) + "\n]\n"


_TEXT_FIELDS = ("source_title", "source_origin", "quote", "prefix", "suffix", "note", "author", "headings", "page", "page_end")


def csv_rows(data: ExportData) -> list[list]:
    """The CSV rows (without the header) of the export's highlights."""
    rows = []
    for record in records(data):
        record["tags"] = ", ".join(record["tags"])
        record["headings"] = " › ".join(record["headings"])
        record["links"] = " ".join(
            f"{l['relation']}{'>' if l['direction'] == 'out' else '<'}{l['other_id']}" for l in record["links"]
        )
        for name in _TEXT_FIELDS:
            value = record[name]
            if value and value[0] in _FORMULA_START:
                record[name] = "'" + value
        if record["tags"][:1] in _FORMULA_START and record["tags"]:
            record["tags"] = "'" + record["tags"]
        rows.append([record[name] for name in FIELDS])
    return rows


def to_csv(data: ExportData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    writer.writerows(csv_rows(data))
    return buffer.getvalue()
