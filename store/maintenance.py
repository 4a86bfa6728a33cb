"""Keeping a database safe: online backup and integrity checks.

`backup` uses SQLite's online backup API, so it is safe while an app or another command is
writing: the copy is a consistent snapshot. It writes to a temporary file beside the target
and renames it into place, so a failed backup never leaves half a file under the name asked for.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from postil.store.db import BUSY_TIMEOUT_MS, database_path, describe_operational_error
from postil.store.errors import StoreError
from postil.store.readonly import read_only_reason

FTS_TABLES = ("highlights_fts", "sources_fts")


@dataclass
class CheckReport:
    """What `check` found. Every list is empty (and `integrity` is ["ok"]) when all is well."""

    integrity: list[str] = field(default_factory=list)
    """Lines from PRAGMA integrity_check ("ok" alone when the file is sound)."""
    foreign_keys: list[str] = field(default_factory=list)
    """One line per row that points at a missing parent."""
    fts: dict[str, str] = field(default_factory=dict)
    """FTS table -> "ok" or the problem its integrity-check command reported."""
    not_checked: str = ""
    """Why some checks could not run ("busy (...)", "read-only (...)"); "" when all ran."""
    quotes: list[str] = field(default_factory=list)
    """Ids of anchored/moved highlights whose quote differs from the text at their offsets."""

    @property
    def ok(self) -> bool:
        return (
            self.integrity == ["ok"]
            and not self.foreign_keys
            and all(v == "ok" for v in self.fts.values())
            and not self.quotes
            and not self.not_checked
        )

    @property
    def problems(self) -> bool:
        """Whether a check that ran found something wrong (not merely could not run)."""
        return not (
            self.integrity == ["ok"]
            and not self.foreign_keys
            and all(v in ("ok", NOT_CHECKED) for v in self.fts.values())
            and not self.quotes
        )


NOT_CHECKED = "not checked"
"""An FTS check's result when the database was busy or read-only (see CheckReport.not_checked)."""

CHECK_WAIT_MS = 1000
"""How long the full-text checks wait for another postil's write before saying "busy"."""


def backup(db: sqlite3.Connection, target: str | os.PathLike, *, overwrite: bool = False) -> int:
    """Copy the whole database to `target` with SQLite's online backup.

    Returns:
        The size of the copy in bytes.

    Raises:
        StoreError: the target exists (and not `overwrite`), is the database itself, or
            cannot be written.
    """
    target = Path(target)
    source_file = database_path(db)
    if source_file and target.exists() and target.resolve() == Path(source_file).resolve():
        raise StoreError(f"{target}: that is the database itself; choose another file")
    if target.exists() and not overwrite:
        raise StoreError(f"{target}: exists already; pass --force to replace it")
    if target.is_dir():
        raise StoreError(f"{target}: is a directory")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StoreError(f"{target}: the folder {folder} does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".postil-backup-", suffix=".db", dir=folder)
        os.close(handle)
    except OSError as error:
        raise StoreError(f"{target}: cannot write there ({error.strerror})") from None
    try:
        copy = sqlite3.connect(temp_name)
        try:
            db.backup(copy)
        finally:
            copy.close()
        os.replace(temp_name, target)
    except (sqlite3.Error, OSError) as error:
        Path(temp_name).unlink(missing_ok=True)
        raise StoreError(f"{target}: backup failed ({error})") from None
    return target.stat().st_size


def check(db: sqlite3.Connection) -> CheckReport:
    """Run SQLite's integrity and foreign-key checks, FTS5 integrity checks, and a quote check."""
    report = CheckReport()
    conn = db
    try:
        report.integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        report.integrity = [f"integrity check could not run: {error}"]
    try:
        report.foreign_keys = [
            f"{table} row {rowid} points at a missing {parent}"
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
        ]
    except sqlite3.DatabaseError as error:
        report.foreign_keys = [f"foreign-key check could not run: {error}"]
    # The FTS checks need the write lock: a busy or read-only database is "not checked",
    # not a problem, and one busy wait is enough to know.
    conn.execute(f"PRAGMA busy_timeout = {CHECK_WAIT_MS}")
    try:
        for table in FTS_TABLES:
            if report.not_checked:
                report.fts[table] = NOT_CHECKED
                continue
            result = _fts_check(conn, table)
            reason = _why_not_checked(result, conn)
            if reason:
                report.not_checked, result = reason, NOT_CHECKED
            report.fts[table] = result
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        report.quotes = [
            row[0]
            for row in conn.execute(
                """SELECT h.id FROM highlights h JOIN sources s ON s.id = h.source_id
                   WHERE h.anchor_status IN ('anchored', 'moved')
                     AND substr(s.text, h.start + 1, h."end" - h.start) <> h.quote
                   ORDER BY h.source_id, h.start"""
            )
        ]
    except sqlite3.DatabaseError as error:
        report.quotes = [f"quote check could not run: {error}"]
    return report


def _why_not_checked(result: str, conn: sqlite3.Connection) -> str:
    """ "busy (...)" or "read-only (...)" when an FTS check could not run, else ""."""
    if "locked" in result or "busy" in result:
        return "busy (another postil is writing; try again when it is done)"
    if "readonly" in result or "read-only" in result:
        why = read_only_reason(database_path(conn)) or "it cannot be written"
        return f"read-only ({why}; the full-text checks need to write)"
    return ""


def _fts_check(conn: sqlite3.Connection, table: str) -> str:
    # rank = 1 makes FTS5 also compare the index with its external content table (the
    # triggers' job). The command writes nothing, but it is an INSERT, so it needs the write
    # lock: taken up front with BEGIN IMMEDIATE, it waits (busy timeout) for another postil's
    # short write instead of failing at once with "database is locked" when SQLite would
    # have to upgrade a read transaction, and it is rolled back either way.
    command = f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"
    if conn.in_transaction:
        try:
            conn.execute("SAVEPOINT fts_check")
            try:
                conn.execute(command)
            finally:
                conn.execute("ROLLBACK TO fts_check")
                conn.execute("RELEASE fts_check")
            return "ok"
        except sqlite3.DatabaseError as error:
            return str(error)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:

        return f"not checked: {describe_operational_error(error)}"
    try:
        conn.execute(command)
        return "ok"
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
