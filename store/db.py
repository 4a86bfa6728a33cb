"""Opening the database: where it lives, connection pragmas, and write transactions."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Union

from postil.store.errors import StoreError

if TYPE_CHECKING:  # imported where used: the app's first screen is read before sqlite-utils loads
    import sqlite_utils

SCHEMA_VERSION = 5
"""The schema this postil writes: the number of migrations in store.migrations (checked there)."""

Readable = Union["sqlite_utils.Database", sqlite3.Connection]
"""What the read-only store functions on the app's start-up path accept: they only call
`execute`, which a sqlite-utils Database and a bare sqlite3 connection both have."""

DB_FILENAME = "postil.db"
BUSY_TIMEOUT_MS = 15_000
"""How long a writer waits for another process's transaction before giving up.

Long enough that two app instances and a CLI command never see "database is locked" in
normal use (our write transactions last milliseconds), short enough to report a stuck lock.
"""


def default_db_path() -> Path:
    """The database path: `POSTIL_DB` if set, else `postil.db` in the user data folder."""
    env = os.environ.get("POSTIL_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("postil", appauthor=False) / DB_FILENAME


def resolve_db_path(path: str | os.PathLike | None) -> Path:
    """`--db PATH` wins over `POSTIL_DB`, which wins over the default."""
    return Path(path).expanduser() if path else default_db_path()


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the postil database and bring its schema up to date.

    Args:
        path: the database file; None for the default location.
        migrate: apply pending migrations (refusing a database from a newer postil).

    Raises:
        StoreError: the file is not a usable database, or comes from a newer version.
    """
    import sqlite_utils

    from postil.store.migrations import apply_migrations

    db_path = resolve_db_path(path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"{db_path.parent}: cannot create the data folder ({error.strerror})") from error
    try:
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
    except sqlite3.Error as error:
        raise StoreError(f"{db_path}: cannot open the database ({error})") from error
    try:
        configure_connection(conn)
        db = sqlite_utils.Database(conn)
        if migrate:
            apply_migrations(db, db_path)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(f"{db_path}: not a usable postil database ({error})") from error
    except StoreError:
        conn.close()
        raise
    return db


def open_current(path: str | os.PathLike | None = None) -> sqlite3.Connection | None:
    """A plain connection to an existing database already at this schema version, else None.

    The app starts through this: importing sqlite-utils and letting it scan the installed
    packages for plugins takes ~90 ms, more than a third of a bare Textual app's whole start,
    so the first screen is read through the bare connection and `as_database` wraps the same
    connection once it is painted. A missing file, a pending migration, a newer or foreign
    file: None, and the caller uses `open_db`, which creates, migrates or explains.
    """
    db_path = resolve_db_path(path)
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
    except sqlite3.Error:
        return None
    try:
        configure_connection(conn)
        current = conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    except sqlite3.Error:
        current = False
    if not current:
        conn.close()
        return None
    return conn


def connection(db: Readable) -> sqlite3.Connection:
    """The sqlite3 connection behind a Readable (a sqlite-utils Database keeps it as `conn`)."""
    return getattr(db, "conn", db)


def as_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """The sqlite-utils Database over a connection from `open_current` (same transactions)."""
    import sqlite_utils

    return sqlite_utils.Database(conn)


def configure_connection(conn: sqlite3.Connection) -> None:
    """Pragmas every postil connection needs."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # WAL lets readers (a second app instance) run while one process writes.
    # It cannot be switched on for a read-only file; such a database still opens for reading.
    try:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass
    conn.execute("PRAGMA synchronous = NORMAL")


@contextmanager
def write(db: Readable) -> Iterator[Readable]:
    """A write transaction taken with BEGIN IMMEDIATE.

    sqlite-utils' `db.atomic()` starts a deferred transaction, which upgrades to a write lock
    only at the first write; two processes that both read first then deadlock and one gets
    "database is locked" regardless of the busy timeout. Taking the write lock up front makes
    the second writer wait its turn instead. Nested calls become savepoints via `atomic()`.

    `db` may be the app's plain connection (store.db.open_current) for writes that only
    execute statements, such as saving the reading position: a reader who never annotates
    never loads sqlite-utils (~6 MB).
    """
    conn = connection(db)
    if conn.in_transaction:
        with (db if hasattr(db, "atomic") else as_database(conn)).atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise StoreError(describe_operational_error(error, database_path(db))) from error
    try:
        yield db
    except sqlite3.OperationalError as error:
        _roll_back(conn)
        raise StoreError(describe_operational_error(error, database_path(db))) from error
    except BaseException:
        _roll_back(conn)
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            _roll_back(conn)
            raise StoreError(describe_operational_error(error, database_path(db))) from error


def _roll_back(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already (it may after SQLITE_FULL)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            # "no transaction is active" after an automatic rollback: nothing left to undo.
            pass


def describe_operational_error(error: sqlite3.Error, path: str = "") -> str:
    """A one-line, user-facing explanation of an SQLite failure.

    Args:
        path: the database file, named at the start of the message when given (a user with
            several databases must know which one refused).
    """
    text = str(error)
    if "locked" in text or "busy" in text:
        message = (
            f"the database stayed busy for more than {BUSY_TIMEOUT_MS // 1000} s "
            "(another postil is writing); nothing was changed, try again"
        )
    elif "readonly" in text or "read-only" in text or "query_only" in text:
        message = "the database is read-only; nothing was changed"
    elif "full" in text:
        message = "the disk is full; nothing was changed"
    else:
        message = f"database error: {text}"
    return f"{path}: {message}" if path else message


def database_path(db: Readable) -> str:
    """The file behind a connection (for messages)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row else ""
