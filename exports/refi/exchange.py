"""The REFI-QDA entry points the CLI and the app use: export a project or codebook, import either."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from postil.exports.refi.archive import write_qdpx
from postil.exports.refi.codebook import codebook_bytes, read_codebook
from postil.exports.refi.project import ORIGIN, build, gather
from postil.exports.refi.reader import read_qdpx
from postil.store.errors import StoreError
from postil.store.refi_import import ImportReport, import_codebook, import_project
from postil.store.tags import list_tags

MAX_CODEBOOK = 64 * 1024 * 1024
REFI_SUFFIXES = (".qdpx", ".qdc")


@dataclass
class RefiExport:
    """A REFI-QDA file made, what it holds, and what could not be carried into it."""

    data: bytes
    highlights: int
    sources: int
    codes: int
    losses: list[str]


def export_qdpx(db: sqlite3.Connection, query: str = "", title: str | None = None, *, crlf: bool = False) -> RefiExport:
    """A `.qdpx` of the highlights matching `query` (every source when there is none)."""
    export = gather(db, query, title)
    built = build(export, crlf=crlf)
    return RefiExport(write_qdpx(built.xml, built.texts), built.selections, len(export.sources), len(export.tags),
                      built.losses)


def export_qdc(db: sqlite3.Connection) -> RefiExport:
    """A `.qdc` codebook of every tag."""
    tags = list_tags(db)
    if not tags:
        raise StoreError("no tags to export: a codebook needs at least one (add one with `postil tag add`)")
    return RefiExport(codebook_bytes(tags, ORIGIN), 0, 0, len(tags), [])


@dataclass
class RefiImport:
    """What reading a REFI-QDA file did, and what of it could not be taken in."""

    report: ImportReport
    losses: list[str]
    selections: int
    links: int
    notices: list[str] = field(default_factory=list)


def import_refi(db: sqlite3.Connection, path: str | Path, *, crlf_counts: str = "auto") -> RefiImport:
    """Import a `.qdpx` project or a `.qdc` codebook, all or nothing.

    Raises:
        ValueError: the file cannot be read (one line naming it); the database is unchanged.
        StoreError: the database refused; unchanged too.
    """
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        try:
            size = path.stat().st_size
            if size > MAX_CODEBOOK:
                raise ValueError(f"{path}: refused: {size} bytes (a codebook is at most {MAX_CODEBOOK})")
            data = path.read_bytes()
        except OSError as error:
            raise ValueError(f"{path}: cannot read ({error.strerror or error})") from None
        codes, losses = read_codebook(data, str(path))
        return RefiImport(import_codebook(db, codes), losses, 0, 0)
    project = read_qdpx(path, crlf_counts)
    report = import_project(db, project, str(path.resolve()))
    return RefiImport(report, project.losses, sum(len(s.selections) for s in project.sources), len(project.links),
                      project.notices)
