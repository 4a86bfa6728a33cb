"""What `postil open TARGET` opens: a file (imported first when new) or a source in the library."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from postil.sources.errors import SourceError
from postil.store.errors import NotFound
from postil.store.sources import find_source, source_by_origin


def resolve_open_target(db: sqlite3.Connection, target: str) -> int:
    """The id of the source `target` names, importing the file first if it is not stored yet."""
    path = Path(target)
    if path.is_file():
        # A file already in the database (same place) opens as it is stored; reading it
        # never changes it behind the reviewer's back (`postil refresh` does that).
        known = source_by_origin(db, str(path.resolve()))
        if known:
            return known.id
        # A new file only: see tui/startup.py, 'Dialogs'.
        from postil.sources.load import load_path
        from postil.store.source_add import add_source

        return add_source(db, load_path(path)).source.id
    try:
        return find_source(db, target).id
    except NotFound:
        if looks_like_path(target):
            raise SourceError(target, "no such file") from None
        raise


def looks_like_path(target: str) -> bool:
    """A target written as a path (a separator, or a file extension) rather than a source's title."""
    return os.sep in target or "/" in target or Path(target).suffix.lower() in {
        ".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".epub", ".rst",
    }
