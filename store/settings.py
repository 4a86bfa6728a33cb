"""Small key/value settings kept in the database (e.g. the theme the user chose)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from postil.store.db import Readable, write

if TYPE_CHECKING:  # annotations only: the app reads its first screen before sqlite-utils is imported
    import sqlite_utils


def get_setting(db: Readable, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
