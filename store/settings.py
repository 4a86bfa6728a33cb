"""Small key/value settings kept in the database (e.g. the theme the user chose)."""

from __future__ import annotations

import sqlite3

from postil.store.db import write


def get_setting(db: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: sqlite3.Connection, key: str, value: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
