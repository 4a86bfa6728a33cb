"""Refusing writes to a damaged database.

A damaged page goes unnoticed by every command that does not read it, so `postil mark`
kept writing into a file that fails its own integrity check, making a repair harder.
`ensure_sound` runs SQLite's `quick_check` before a connection's first write (once per
command, once per app session: milliseconds for a reviewer's database) and refuses the
write, with the way out, when it fails. A connection remembers that it checked in its
own temporary schema's user_version, which no other connection sees.
"""

from __future__ import annotations

import sqlite3

from postil.store.errors import StoreError

_CHECKED = 1806
"""temp.user_version of a connection whose database passed the check (any nonzero mark)."""


def ensure_sound(db: sqlite3.Connection, path: str) -> None:
    """Raise StoreError when the database file at `path` fails `PRAGMA quick_check`.

    Call inside the write transaction (the file cannot change under the check). A
    database without a file (in memory) is not checked.
    """
    if not path or db.execute("PRAGMA temp.user_version").fetchone()[0] == _CHECKED:
        return
    try:
        rows = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as error:
        rows = [str(error)]
    if rows != ["ok"]:
        raise StoreError(damage_message(path, rows[0]))
    db.execute(f"PRAGMA temp.user_version = {_CHECKED}")


def damage_message(path: str, problem: str) -> str:
    """The one line a user sees when a write meets a damaged database."""
    return (
        f"{path}: the database is damaged ({problem}); nothing was written. "
        "See what is wrong with `postil check`; save what can be read with `postil backup`"
    )
