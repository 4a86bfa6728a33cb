"""A reviewer file, written and read line by line, so a sync merges only what changed.

A reviewer file is written by exports/w3c.py's `dumps`: the collection's frame, indented, and
one annotation per line (`{"@context": ...}`), lines separated by a comma. Reading it, each
annotation line is hashed (sha256, without its comma) and compared with the lines this
database recorded when it last read or wrote the file (store/team_lines.py): a known line is
the annotation already merged and is not parsed again; only new and changed lines are.

The file is still checked whole: the annotation lines must be one run, each but the last
followed by a comma, and the frame without them must be an AnnotationCollection with no
other items, so a file that a JSON reader would refuse is refused here too. A file in any
other layout (reformatted by hand, written by another tool) is read whole, as JSON.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from postil.exports.collect import collect
from postil.exports.team_files import MAX_REVIEWER_FILE_BYTES, bounded_read, my_file, write_if_changed
from postil.exports.w3c import annotation_line, assemble, dumps, parse, source_uri
from postil.store.exchange import Incoming
from postil.store.query import quote_value
from postil.store.team_lines import LineRecord, lines_of, signatures

ANNOTATION_START = '{"@context"'
HIGHLIGHT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class ReviewerFile:
    """A reviewer file, read against what this database last read or wrote of it."""

    name: str
    """The file's name without .jsonld: the collection its highlights came from."""
    digest: str
    """sha256 of the whole file."""
    changed: list[Incoming] = field(default_factory=list)
    """The annotations of new or changed lines (the only ones parsed)."""
    lines: dict[str, LineRecord] = field(default_factory=dict)
    """Every annotation in the file, by highlight id, with its line."""
    problems: list[str] = field(default_factory=list)


def read_reviewer_file(db: sqlite3.Connection, path: Path) -> ReviewerFile:
    """Read `path` against the lines recorded for it (raises ValueError or OSError, with a
    one-line reason, when it cannot be read at all; a bad annotation is in `problems`)."""
    data = bounded_read(path, MAX_REVIEWER_FILE_BYTES)
    result = ReviewerFile(path.stem, hashlib.sha256(data).hexdigest())
    text = data.decode("utf-8")
    rows = annotation_lines(text)
    if rows is None:
        read_whole(text, result)
        return result
    known = {line.digest: (highlight_id, line) for highlight_id, line in lines_of(db, result.name).items()}
    for number, row in enumerate(rows, 1):
        digest = hashlib.sha256(row.encode("utf-8")).hexdigest()
        if digest in known:
            highlight_id, line = known[digest]
        else:
            try:
                incoming, problems = parse(json.loads(row))
            except (ValueError, RecursionError) as error:
                result.problems.append(f"annotation line {number}: not JSON ({' '.join(str(error).split())[:120]})")
                continue
            if problems or len(incoming) != 1:
                result.problems += problems or [f"annotation line {number}: not one annotation"]
                continue
            item = incoming[0]
            highlight_id, line = item.id, LineRecord(digest, " ".join(sorted(link.id for link in item.links)))
            result.changed.append(item)
        if highlight_id in result.lines:
            result.problems.append(f"annotation {highlight_id}: its id appears twice in the file")
        result.lines[highlight_id] = line
    return result


def annotation_lines(text: str) -> list[str] | None:
    """The file's annotation lines without their commas, or None if it is not in dumps' layout."""
    rows = text.split("\n")
    starts = [index for index, row in enumerate(rows) if row.startswith(ANNOTATION_START)]
    if starts and starts != list(range(starts[0], starts[-1] + 1)):
        return None
    annotations = [rows[index] for index in starts]
    if any(not row.endswith(",") for row in annotations[:-1]) or (annotations and annotations[-1].endswith(",")):
        return None
    frame = rows[:starts[0]] + rows[starts[-1] + 1:] if starts else rows
    try:
        document = json.loads("\n".join(frame))
    except (ValueError, RecursionError):
        return None
    first = document.get("first") if isinstance(document, dict) else None
    if document.get("type") != "AnnotationCollection" or not isinstance(first, dict) or first.get("items") != []:
        return None
    return [row[:-1] if row.endswith(",") else row for row in annotations]


def read_whole(text: str, result: ReviewerFile) -> None:
    """A file in another layout: parsed whole, every annotation taken as changed."""
    try:
        document = json.loads(text)
    except RecursionError as error:
        raise ValueError("nested too deeply") from error
    incoming, result.problems = parse(document)
    result.changed = incoming
    # An empty digest matches no line: the next read parses these again (this layout is rare).
    result.lines = {item.id: LineRecord("", " ".join(sorted(link.id for link in item.links))) for item in incoming}


MAX_REWRITTEN = 500
"""Above this many changed lines my file is written whole (the query of changed ids grows)."""


def write_reviewer_file(db: sqlite3.Connection, folder: Path, author: str) -> tuple[Path, int, dict[str, LineRecord]]:
    """Write `author`'s highlights to their file: (its path, how many, its lines by highlight id).

    The lines of highlights whose signature is what it was when their line was written here
    are taken from the file as it is; only the others are serialised again. The file is the
    same, byte for byte, as `write_whole` would write (a test holds them to it)."""
    signed = signatures(db, author)  # before the lines: an edit meanwhile only makes a line look stale
    path = my_file(folder, author)
    kept = reusable_lines(db, path, signed)
    fresh = sorted(set(signed) - set(kept or ()))
    if kept is None or len(fresh) > MAX_REWRITTEN:
        return write_whole(db, folder, author, signed)
    data = None
    if fresh:
        data = collect(db, f"author:{quote_value(author)} ({' OR '.join(f'id:{hid}' for hid in fresh)})",
                       title=f"postil team: {author}")
        data = dataclasses.replace(data, highlights=[h for h in data.highlights if h.author == author])
        if sorted(h.id for h in data.highlights) != fresh:
            return write_whole(db, folder, author, signed)  # changed meanwhile: write it all
    rows = dict(kept)
    if data is not None:
        uris = {sid: source_uri(s.origin, s.sha256) for sid, s in data.sources.items()}
        rows.update((h.id, annotation_line(data, h, uris)) for h in data.highlights)
    order = sorted(rows)
    newest = max((signed[hid][1] for hid in order), default="")
    text = assemble(f"postil team: {author}", f"author:{quote_value(author)}", newest,
                    [(hid, rows[hid]) for hid in order])
    write_if_changed(path, text.encode("utf-8"))
    known = lines_of(db, path.stem)
    lines = {}
    for hid in order:
        if hid in kept:
            lines[hid] = dataclasses.replace(known[hid], signature=signed[hid][0])
        else:
            lines[hid] = line_record(rows[hid], data.links_of(hid), hid, signed[hid][0])
    return path, len(order), lines


def reusable_lines(db: sqlite3.Connection, path: Path, signed: dict[str, tuple[str, str]]) -> dict[str, str] | None:
    """{highlight id: its line in the file} for the lines still as their highlight is; None if
    the file is not there or not in dumps' layout."""
    if not path.is_file() or path.is_symlink():
        return None
    try:
        rows = annotation_lines(bounded_read(path, MAX_REVIEWER_FILE_BYTES).decode("utf-8"))
    except (ValueError, OSError):
        return None
    if rows is None:
        return None
    by_digest = {hashlib.sha256(row.encode("utf-8")).hexdigest(): row for row in rows}
    return {hid: by_digest[line.digest] for hid, line in lines_of(db, path.stem).items()
            if line.signature and hid in signed and line.signature == signed[hid][0] and line.digest in by_digest}


def line_record(row: str, links, highlight_id: str, signature: str) -> LineRecord:
    return LineRecord(hashlib.sha256(row.encode("utf-8")).hexdigest(),
                      " ".join(sorted(link.id for link in links if link.from_id == highlight_id)), signature)


def write_whole(db: sqlite3.Connection, folder: Path, author: str,
                signed: dict[str, tuple[str, str]]) -> tuple[Path, int, dict[str, LineRecord]]:
    """Write all of `author`'s file from a full export (the first time, or when much changed)."""
    path = my_file(folder, author)
    data = collect(db, f"author:{quote_value(author)}", title=f"postil team: {author}")
    mine = sorted((h for h in data.highlights if h.author == author), key=lambda h: h.id)
    # The collection's date is its newest change, not the time of writing: the same
    # highlights give the same bytes, so an unchanged review makes no commit.
    data = dataclasses.replace(data, highlights=mine, date=max((h.updated_at for h in mine), default=""))
    text = dumps(data)
    write_if_changed(path, text.encode("utf-8"))
    # The lines as written, known without parsing them back: dumps writes one per highlight, in order.
    rows = annotation_lines(text) or []
    lines = {h.id: line_record(row, data.links_of(h.id), h.id, signed.get(h.id, ("", ""))[0])
             for h, row in zip(mine, rows, strict=True)}
    return path, len(mine), lines
