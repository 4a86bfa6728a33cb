"""Opening the database: where it lives, one kind of connection, migrations, write transactions.

Every store function takes a plain `sqlite3.Connection` opened by `open_db`. It runs in
autocommit mode (`isolation_level=None`): a statement outside `write()` commits by itself, and
every change that belongs together goes through `write()`, which takes the write lock up front.
sqlite-utils does the schema work (its `Migrations` runner, in store.migrations) and nothing else.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

from platformdirs import user_data_path

from postil.store.errors import StoreError
from postil.store.readonly import connect_read_only, disk_full, read_only_reason
from postil.store.soundness import damage_message, ensure_sound

SCHEMA_VERSION = 10
"""The schema this postil writes: the number of migrations in store.migrations (a test checks)."""

DB_FILENAME = "postil.db"
BUSY_TIMEOUT_MS = 15_000
"""How long a writer waits for another process's transaction before giving up.

Long enough that two app instances and a CLI command never see "database is locked" in
normal use (our write transactions last milliseconds), short enough to report a stuck lock.
"""

UI_BUSY_TIMEOUT_MS = 200
"""How long the app's own connection waits for the lock before it gives up (DatabaseBusy).

The app writes on its event loop: 15 s in SQLite's busy handler is a frozen screen. A
refused keystroke's write is queued and retried on a thread (tui/write_queue.py); 200 ms
still lets it through a batched import's 0.11 s pauses (store/batched_merge.py) at once.
"""


class DatabaseBusy(StoreError):
    """Another connection held the write lock longer than this one would wait; nothing was written."""


class DatabaseReadOnly(StoreError):
    """The database cannot be written (read-only file, folder or file system); nothing was written."""

POSTIL_TABLES = frozenset({"sources", "blocks", "highlights", "tags", "highlight_tags"})
"""Tables every postil database has: a file holding other tables and not these is not ours."""

_savepoints = count(1)


def default_db_path() -> Path:
    """The database path: `POSTIL_DB` if set, else `postil.db` in the user data folder."""
    env = os.environ.get("POSTIL_DB")
    if env:
        return Path(env).expanduser()
    return user_data_path("postil", appauthor=False) / DB_FILENAME


def resolve_db_path(path: str | os.PathLike | None) -> Path:
    """`--db PATH` wins over `POSTIL_DB`, which wins over the default."""
    return Path(path).expanduser() if path else default_db_path()


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the postil database and bring its schema up to date.

    A file that is not postil's, or comes from a newer postil, is recognised from its header
    and table names before anything is written to it (not even a pragma): it stays
    byte-identical.

    Args:
        path: the database file; None for the default location.
        migrate: apply pending migrations; False opens an older schema as it is.

    Raises:
        StoreError: the file is not a usable database, not postil's, or from a newer version.
    """
    db_path = resolve_db_path(path)
    if not db_path.exists():
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{db_path.parent}: cannot create the data folder ({error.strerror})") from error
    conn, read_only = _connect(db_path)
    try:
        version = _identify(conn, db_path)
        configure_connection(conn)
        if migrate and version < SCHEMA_VERSION:
            if read_only:
                raise StoreError(
                    f"{db_path}: made by an older postil and needs upgrading, but it is read-only "
                    f"({read_only}); nothing was changed"
                )
            apply_migrations(conn, db_path)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(f"{db_path}: not a usable postil database ({error})") from error
    except BaseException:
        conn.close()
        raise
    return conn


def _connect(db_path: Path) -> tuple[sqlite3.Connection, str | None]:
    """A connection, and why it is read-only (None when it can write).

    A database that cannot be written is opened read-only, so reading works (a WAL file
    in a read-only folder otherwise refuses even a SELECT); writes then fail in `write()`
    with one line naming the cause.
    """
    timeout = BUSY_TIMEOUT_MS / 1000
    reason = read_only_reason(db_path)
    if not db_path.exists() and reason:
        raise StoreError(f"{db_path}: cannot create the database: {reason}")
    try:
        if reason is None:
            conn = sqlite3.connect(str(db_path), timeout=timeout, isolation_level=None)
            try:
                conn.execute("PRAGMA user_version").fetchone()
            except sqlite3.OperationalError as error:
                if "readonly" in str(error):
                    reason = "it cannot be written"
                elif disk_full(db_path):
                    # A reader of a WAL database must grow the -shm file: on a full disk
                    # even a SELECT fails with "disk I/O error".
                    reason = "the disk is full"
                else:
                    return conn, None  # _identify says what is wrong with the file
                conn.close()
            except sqlite3.DatabaseError:
                return conn, None
            else:
                return conn, None
        conn = connect_read_only(db_path, timeout)
        conn.read_only_cause = reason
        return conn, reason
    except sqlite3.Error as error:
        raise StoreError(f"{db_path}: cannot open the database ({error})") from error


def _identify(conn: sqlite3.Connection, db_path: Path) -> int:
    """The file's schema version, refusing a newer or foreign file while it is untouched."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{db_path}: made by a newer postil (schema version {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade postil to open it. The file was not changed."
        )
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables - {"_sqlite_migrations"} and not POSTIL_TABLES <= tables:
        raise StoreError(f"{db_path}: not a postil database (it holds other tables); not changed")
    return version


SMALL_PAGE_CACHE_KIB = 512
"""SQLite's page cache for a long-lived connection, in KiB (SQLite's default: 2000)."""


def use_small_page_cache(conn: sqlite3.Connection) -> None:
    """Keep a small page cache on a connection that lives as long as the app.

    Opening a big source reads its whole text through SQLite's page cache, which then keeps
    2 MB (the default) of pages nothing reads again; the file stays in the system's cache.
    """
    conn.execute(f"PRAGMA cache_size = -{SMALL_PAGE_CACHE_KIB}")


def apply_migrations(conn: sqlite3.Connection, db_path: Path | str = "") -> None:
    """Bring a database up to `SCHEMA_VERSION` (one immediate transaction for the lot).

    Imported here, not at the top: store.migrations loads sqlite-utils, whose import and
    plugin scan cost ~90 ms, a third of a bare Textual app's first screen
    (bench/bench_start_tmux.py); a current database, the everyday start, never needs it.
    """
    from postil.store.migrations import migrate  # sqlite-utils: see above

    migrate(conn, db_path, SCHEMA_VERSION)


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
def write(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction taken with BEGIN IMMEDIATE; inside another, a savepoint.

    A deferred transaction upgrades to a write lock only at the first write; two processes
    that both read first then deadlock and one gets "database is locked" regardless of the
    busy timeout. Taking the write lock up front makes the second writer wait its turn.
    """
    if db.in_transaction:
        name = f"postil_{next(_savepoints)}"
        db.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            # A failure such as SQLITE_FULL may already have ended the whole transaction.
            if db.in_transaction:
                db.execute(f"ROLLBACK TO SAVEPOINT {name}")
                db.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            db.execute(f"RELEASE SAVEPOINT {name}")
        return
    cause = read_only_cause(db)
    if cause is not None:
        raise DatabaseReadOnly(f"{database_path(db)}: the database is read-only ({cause}); nothing was changed")
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise store_error(error, db) from error
    try:
        ensure_sound(db, database_path(db))
        yield db
    except sqlite3.OperationalError as error:
        _roll_back(db)
        raise store_error(error, db) from error
    except sqlite3.DatabaseError as error:
        _roll_back(db)
        if "malformed" not in str(error):
            raise
        raise StoreError(damage_message(database_path(db), str(error))) from error
    except BaseException:
        _roll_back(db)
        raise
    else:
        try:
            db.execute("COMMIT")
        except sqlite3.OperationalError as error:
            _roll_back(db)
            raise store_error(error, db) from error


def store_error(error: sqlite3.Error, db: sqlite3.Connection) -> StoreError:
    """The StoreError (DatabaseBusy, DatabaseReadOnly or plain) for an SQLite failure on `db`."""
    waited = db.execute("PRAGMA busy_timeout").fetchone()[0]
    message = describe_operational_error(error, database_path(db), waited_ms=waited)
    if _is_busy(error):
        return DatabaseBusy(message)
    if _is_read_only(error):
        return DatabaseReadOnly(message)
    return StoreError(message)


def _is_busy(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _is_read_only(error: sqlite3.Error) -> bool:
    text = str(error)
    return "readonly" in text or "read-only" in text or "query_only" in text


def _roll_back(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already (it may after SQLITE_FULL)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            # "no transaction is active" after an automatic rollback: nothing left to undo.
            pass


def describe_operational_error(error: sqlite3.Error, path: str = "", *, waited_ms: int = BUSY_TIMEOUT_MS) -> str:
    """A one-line, user-facing explanation of an SQLite failure.

    Args:
        path: the database file, named at the start of the message when given (a user with
            several databases must know which one refused).
        waited_ms: how long the connection waited for the lock (its busy timeout).
    """
    text = str(error)
    if _is_busy(error):
        waited = f"{waited_ms // 1000} s" if waited_ms >= 1000 else f"{waited_ms} ms"
        message = (
            f"the database stayed busy for more than {waited} "
            "(another program is writing); nothing was changed, try again"
        )
    elif _is_read_only(error):
        why = read_only_reason(path) if path else None
        message = f"the database is read-only ({why}); nothing was changed" if why else (
            "the database is read-only; nothing was changed"
        )
    elif "full" in text:
        message = "the disk is full; nothing was changed"
    else:
        message = f"database error: {text}"
    return f"{path}: {message}" if path else message


def read_only_cause(db: sqlite3.Connection) -> str | None:
    """Why `db` was opened read-only ("its folder X cannot be written"); None if it can write."""
    return getattr(db, "read_only_cause", None)


def set_busy_timeout(db: sqlite3.Connection, milliseconds: int) -> None:
    """How long `db` waits for another connection's write lock before DatabaseBusy."""
    db.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")


def database_path(db: sqlite3.Connection) -> str:
    """The file behind a connection (for messages): the original when it reads a copy."""
    original = getattr(db, "original_path", None)
    if original:
        return original
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row else ""


def reopenable_path(db: sqlite3.Connection) -> str:
    """The file another thread may open to read what `db` reads; "" when there is none.

    There is none for an in-memory database, nor for a read-only temporary copy
    (store.readonly): opening the original again would copy it again.
    """
    if getattr(db, "original_path", None):
        return ""
    path = database_path(db)
    return "" if path in ("", ":memory:") else path


def data_version(db: sqlite3.Connection) -> int:
    """A number that changes when another connection (another `postil`) commits to the file.

    `PRAGMA data_version` costs no read of the database: the app polls it to notice sources
    added elsewhere. This connection's own writes leave it unchanged.
    """
    return db.execute("PRAGMA data_version").fetchone()[0]
