"""Databases that cannot be written: why, and how to read them anyway.

A database in a read-only folder, on a read-only file system, whose file is read-only or
marked immutable (chattr +i), or on a full disk can still be read: a WAL database needs its `-shm` file to be created or written, so SQLite
refuses even a SELECT on a normal connection ("attempt to write a readonly database").
`connect_read_only` tries `mode=ro` first (it works when the -shm file can be used) and
then `immutable=1`, which reads the main file without any locking or shared memory: right
only when nothing can change the file, which is the case when nobody can write beside it.
When the write-ahead log holds commits and its -shm file is missing, neither works (SQLite
rebuilds -shm from the log and must write it), so the file and its log are copied to a
temporary folder and read there.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import struct
import tempfile
from pathlib import Path
from urllib.parse import quote

FS_IOC_GETFLAGS = 0x80086601
"""Linux's ioctl for a file's attributes (lsattr): 'i' immutable, 'a' append only."""
FS_IMMUTABLE_FL = 0x10
FS_APPEND_FL = 0x20

DISK_FULL_BYTES = 1 << 20
"""Below this much free space an open that fails is put down to a full disk: SQLite needs
32 KiB for the -shm file a reader of a WAL database maps."""


def read_only_reason(path: str | os.PathLike) -> str | None:
    """Why the database at `path` cannot be written, in words for a user; None if it can.

    Checked with access(2), which also answers for a read-only file system (EROFS).
    """
    file = Path(path)
    folder = file.parent
    if _read_only_file_system(folder):
        return "it is on a read-only file system"
    if not os.access(folder, os.W_OK | os.X_OK):
        if _locked_attribute(folder):
            return f"its folder {folder} is marked {_locked_attribute(folder)}"
        return f"its folder {folder} cannot be written"
    if file.exists() and not os.access(file, os.W_OK):
        if _locked_attribute(file):
            return f"the file is marked {_locked_attribute(file)}"
        return "the file cannot be written"
    return None


def disk_full(path: str | os.PathLike) -> bool:
    """Whether the file system holding `path` has (almost) no room left."""
    try:
        usage = os.statvfs(Path(path).parent)
    except OSError:
        return False
    return usage.f_bavail * usage.f_frsize < DISK_FULL_BYTES


def _locked_attribute(path: Path) -> str | None:
    """"immutable (chattr +i)" or "append-only (chattr +a)" when the file system says so.

    Even root cannot write such a file, and "cannot be written" alone sends a user to
    chmod, which does not help.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        flags = struct.unpack("i", fcntl.ioctl(fd, FS_IOC_GETFLAGS, b"\0\0\0\0"))[0]
    except OSError:
        return None  # not supported by this file system
    finally:
        os.close(fd)
    if flags & FS_IMMUTABLE_FL:
        return "immutable (chattr +i)"
    if flags & FS_APPEND_FL:
        return "append-only (chattr +a)"
    return None


def _read_only_file_system(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


class ReadOnlyConnection(sqlite3.Connection):
    """A connection that knows why it cannot write (store.db.write refuses at once, naming it)."""

    read_only_cause: str = "it cannot be written"
    copy_folder: tempfile.TemporaryDirectory | None = None
    """The temporary copy this connection reads, if any; removed when it is closed."""
    original_path: str = ""
    """The database the copy was made of, for messages (store.db.database_path)."""

    def close(self) -> None:
        super().close()
        if self.copy_folder is not None:
            self.copy_folder.cleanup()
            self.copy_folder = None


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection to an existing database that cannot be written.

    Raises:
        sqlite3.Error: neither way could read it (e.g. its write-ahead log holds changes
            that only a writable -shm file could make visible).
    """
    uri = "file:" + quote(str(path.resolve()))
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None,
                               factory=ReadOnlyConnection)
        conn.execute("PRAGMA user_version").fetchone()
        return conn
    except sqlite3.OperationalError:
        pass  # mode=ro needs the -shm file; try an immutable open below
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # immutable=1 would read the main file without the log's recent commits.
        return _connect_to_a_copy(path, wal, timeout)
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout, isolation_level=None,
                           factory=ReadOnlyConnection)


def _connect_to_a_copy(path: Path, wal: Path, timeout: float) -> ReadOnlyConnection:
    """Read `path` and its log from a copy in the temporary folder, where -shm can be made.

    Nobody can write beside the original (that is why we are here), so the copy stays
    what the original holds for as long as it is read.
    """
    needed = path.stat().st_size + wal.stat().st_size
    room = shutil.disk_usage(tempfile.gettempdir()).free
    if room < needed + DISK_FULL_BYTES:
        raise sqlite3.OperationalError(
            f"its write-ahead log holds changes that can only be read from a copy, and the "
            f"temporary folder {tempfile.gettempdir()} has no room for {needed:,} bytes"
        )
    folder = tempfile.TemporaryDirectory(prefix="postil-read-")
    copy = Path(folder.name) / "copy.db"
    try:
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, f"{copy}-wal")
        conn = sqlite3.connect(f"file:{quote(str(copy))}?mode=ro", uri=True, timeout=timeout,
                               isolation_level=None, factory=ReadOnlyConnection)
        conn.execute("PRAGMA user_version").fetchone()
    except (OSError, sqlite3.Error) as error:
        folder.cleanup()
        raise sqlite3.OperationalError(f"cannot read a copy of it and its write-ahead log ({error})") from error
    conn.copy_folder = folder
    conn.original_path = str(path)
    return conn
