"""The team repository's files: plain, reviewable, written from one database and read by others.

    sources/<sha256>.<ext>    the source's original file (or its reading text, as .txt, when
                              the original is no longer where it was imported from)
    sources/<sha256>.json     {"sha256", "title", "origin", "file"}
    reviewers/<name>.jsonld   one reviewer's highlights: a W3C AnnotationCollection, sorted by
                              id, one annotation per line, so a diff shows what changed
    codebook.json             the tags (colour, description) and link relations

Every file is written only when its content changes, so git sees only real changes. Files
from teammates are untrusted: names are checked against these patterns, sizes are bounded,
symbolic links are skipped, and a file that cannot be read is reported, not imported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sqlite3
from pathlib import Path

from postil.sources.errors import SourceError
from postil.sources.load import load_bytes
from postil.store.errors import StoreError
from postil.store.links import add_relation, relations
from postil.store.source_add import add_source
from postil.store.sources import list_sources, source_by_sha256, source_text
from postil.store.tags import create_tag, describe_tag, find_tag, list_tags, recolor_tag

MAX_REVIEWER_FILE_BYTES = 256 * 1024 * 1024
MAX_SOURCE_FILE_BYTES = 256 * 1024 * 1024
MAX_CODEBOOK_BYTES = 8 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
SAFE_NAME = re.compile(r"[A-Za-z0-9._-]{1,80}")
REVIEWERS = "reviewers"
SOURCES = "sources"
CODEBOOK = "codebook.json"


def reviewer_file_name(reviewer: str) -> str:
    """A file name for `reviewer` that is safe on every file system and unique per name."""
    if SAFE_NAME.fullmatch(reviewer) and not reviewer.startswith("."):
        return reviewer
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", reviewer).strip(".-")[:40] or "reviewer"
    return f"{slug}-{hashlib.sha256(reviewer.encode()).hexdigest()[:8]}"


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def write_codebook(db: sqlite3.Connection, folder: Path) -> bool:
    tags = [{"name": t.name, "color": t.color, "description": t.description}
            for t in sorted(list_tags(db), key=lambda t: t.name.casefold())]
    kinds = [{"name": r.name, "description": r.description} for r in sorted(relations(db), key=lambda r: r.name)]
    text = json.dumps({"tags": tags, "relations": kinds}, ensure_ascii=True, indent=1, sort_keys=True) + "\n"
    return write_if_changed(folder / CODEBOOK, text.encode("utf-8"))


def write_sources(db: sqlite3.Connection, folder: Path) -> list[str]:
    """Write every source not in the repository yet; the titles of those written."""
    written = []
    for info in list_sources(db):
        record = folder / SOURCES / f"{info.sha256}.json"
        if record.is_file():
            continue
        original = Path(info.origin)
        data, suffix = None, ".txt"
        if original.is_file() and original.stat().st_size <= MAX_SOURCE_FILE_BYTES:
            candidate = original.read_bytes()
            if hashlib.sha256(candidate).hexdigest() == info.sha256:
                data, suffix = candidate, original.suffix.lower() or ".txt"
        if data is None:
            data = source_text(db, info.id).encode("utf-8")
        file_name = f"{info.sha256}{suffix if SAFE_NAME.fullmatch(suffix[1:] or 'x') else '.txt'}"
        write_if_changed(folder / SOURCES / file_name, data)
        meta = {"sha256": info.sha256, "title": info.title, "origin": info.origin, "file": file_name}
        write_if_changed(record, (json.dumps(meta, ensure_ascii=True, indent=1, sort_keys=True) + "\n").encode())
        written.append(info.title)
    return written


def read_sources(db: sqlite3.Connection, folder: Path) -> tuple[list[str], list[str]]:
    """Add the repository's sources this database lacks; (titles added, problems)."""
    added, problems = [], []
    for record in sorted((folder / SOURCES).glob("*.json")):
        if not SHA256.fullmatch(record.stem) or record.is_symlink():
            continue
        if source_by_sha256(db, record.stem):
            continue
        try:
            meta = json.loads(bounded_read(record, MAX_CODEBOOK_BYTES))
            file_name = meta["file"]
            if not isinstance(file_name, str) or not file_name.startswith(record.stem) or "/" in file_name:
                raise ValueError("its file name is not the source's")
            path = folder / SOURCES / file_name
            if path.is_symlink() or not path.is_file():
                raise ValueError(f"{file_name} is missing")
            loaded = load_bytes(bounded_read(path, MAX_SOURCE_FILE_BYTES), file_name, origin=str(meta.get("origin") or file_name))
            title = meta.get("title")
            if isinstance(title, str) and title.strip():
                loaded = dataclasses.replace(loaded, document=dataclasses.replace(loaded.document, title=title))
            # The source keeps its identity (its original file's hash) even when its reading
            # text came instead of the file: everyone's annotations name it by that hash.
            loaded = dataclasses.replace(loaded, sha256=record.stem)
            add_source(db, loaded)
            added.append(loaded.document.title)
        except (ValueError, RecursionError, KeyError, TypeError, OSError, SourceError) as error:
            problems.append(f"{record.relative_to(folder)}: skipped ({one_line(error)})")
    return added, problems


def read_codebook(db: sqlite3.Connection, folder: Path) -> list[str]:
    """Merge the shared codebook by tag name (new tags come in; a colour or description that
    is empty here is filled); problems, if the file cannot be read."""
    path = folder / CODEBOOK
    if not path.is_file() or path.is_symlink():
        return []
    try:
        book = json.loads(bounded_read(path, MAX_CODEBOOK_BYTES))
        for entry in book.get("tags", []):
            name, color, description = entry["name"], entry.get("color", ""), entry.get("description", "")
            tag = find_tag(db, name)
            if tag is None:
                create_tag(db, name, color=color or None, description=description or "")
            elif description and not tag.description:
                describe_tag(db, tag.name, description)
            elif color and not tag.color:
                recolor_tag(db, tag.name, color)
        known = {r.name for r in relations(db)}
        for entry in book.get("relations", []):
            if entry["name"] not in known:
                add_relation(db, entry["name"], entry.get("description", ""))
    except (ValueError, RecursionError, KeyError, TypeError, AttributeError, OSError, StoreError) as error:
        # StoreError: a tag or relation name the store refuses.
        return [f"{CODEBOOK}: skipped ({one_line(error)})"]
    return []


def my_file(folder: Path, reviewer: str) -> Path:
    return folder / REVIEWERS / f"{reviewer_file_name(reviewer)}.jsonld"


def their_files(folder: Path, mine: str) -> list[Path]:
    """The other reviewers' files, in name order."""
    found = []
    for path in sorted((folder / REVIEWERS).glob("*.jsonld")):
        if path.stem == reviewer_file_name(mine) or path.is_symlink() or not SAFE_NAME.fullmatch(path.stem):
            continue
        found.append(path)
    return found


def file_digest(path: Path) -> str:
    return hashlib.sha256(bounded_read(path, MAX_REVIEWER_FILE_BYTES)).hexdigest()


def bounded_read(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise ValueError(f"{size} bytes, more than the {limit} allowed")
    return path.read_bytes()


def one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]
