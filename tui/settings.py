"""What the app and every command get from the global options (database, author, debug).

Kept out of tui.cli so that the app can start without importing click.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from postil.store.db import open_db


@dataclass
class Settings:
    """What every command gets from the global options."""

    db_path: Path
    author: str
    debug: bool
    opened: list[sqlite3.Connection] = field(default_factory=list, repr=False)
    """Connections `open` made, closed by `close` (the command line closes them when a
    command ends: a connection left to the garbage collector would be closed, and its
    write-ahead log checkpointed into the file, at an unknown later time)."""

    def open(self) -> sqlite3.Connection:
        """Open the database (see `close`)."""
        db = open_db(self.db_path)
        self.opened.append(db)
        return db

    def close(self) -> None:
        """Close every connection `open` made."""
        while self.opened:
            self.opened.pop().close()


def default_author() -> str:
    env = os.environ.get("POSTIL_AUTHOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "reviewer"
