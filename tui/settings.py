"""What the app and every command get from the global options (database, author, debug).

Kept out of tui.cli so that the app can start without importing click.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from postil.store.db import open_db


@dataclass
class Settings:
    """What every command gets from the global options."""

    db_path: Path
    author: str
    debug: bool

    def open(self):
        """Open the database (lazily imported so `--help` stays instant)."""
        return open_db(self.db_path)


def default_author() -> str:
    env = os.environ.get("POSTIL_AUTHOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "reviewer"
