"""Writes that found the database busy: kept in order and retried on a thread of their own.

The app writes on its event loop, so a write that waits for another program's lock (a long
import, a stuck `sqlite3` shell) freezes the screen, and after the busy timeout the
keystroke's change was lost. The app's connection now waits only briefly
(store.db.UI_BUSY_TIMEOUT_MS); a write it could not make is put here instead. One thread,
with a connection of its own (a sqlite3 connection stays in the thread that made it),
applies the queued writes one by one in the order they came, each in one transaction,
waiting in SQLite's busy handler for as long as the lock is held.

No Textual here: the thread calls `notify` (the app posts itself a message) and the event
loop then collects the finished writes with `take_finished` and runs their callbacks, so
the screen is only ever touched from its own thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from postil.store.db import DatabaseBusy, write
from postil.store.errors import StoreError

RETRY_PAUSE_SECONDS = 0.05
"""Pause between attempts after the busy handler gave up (it has already waited 15 s)."""


class _Abandoned(Exception):
    """The app quit (losing the pending writes) while this one waited for the lock."""


@dataclass(eq=False)
class PendingWrite:
    """One queued write: `run(db)` inside one write transaction, then a callback on the UI thread."""

    label: str
    run: Callable[[sqlite3.Connection], object]
    on_done: Callable[[PendingWrite], None] | None = None
    """Called on the event loop (from `take_finished`) once written, or once it failed."""
    state: str = "waiting"
    """waiting, writing, written, failed or cancelled."""
    error: StoreError | None = None
    """Why it failed (anything but a busy database, which is retried)."""
    attempts: int = 0
    result: object = None
    """What `run` returned, once written (e.g. the reconcile decision it made)."""
    key: object = None
    """Set for a write whose latest version is all that matters (the reading position): a
    later `put` with the same key replaces it while it waits, and `pending` does not count it."""


class WriteQueue:
    """Pending writes, applied in order by one background thread."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], notify: Callable[[], None]) -> None:
        """
        Args:
            connect: opens the thread's own connection (store.db.open_db on the app's file);
                called in the thread, on the first queued write.
            notify: called whenever the number pending changed: from the thread after each
                write finished, and from `put` and `cancel` (so thread-safe, e.g. Textual's
                post_message).
        """
        self._connect = connect
        self._notify = notify
        self._lock = threading.Condition()
        self._waiting: deque[PendingWrite] = deque()
        self._finished: list[PendingWrite] = []
        self._thread: threading.Thread | None = None
        self._closing = False

    @property
    def pending(self) -> int:
        """Writes queued and not yet written (the one being written included)."""
        with self._lock:
            return sum(1 for item in self._waiting if item.key is None)

    @property
    def busy(self) -> bool:
        """Whether any write waits or is being written, the reading position included.

        Each of those found the database busy: a new write goes straight behind them rather
        than spend its own wait for the lock on the event loop (and would be out of order).
        """
        with self._lock:
            return bool(self._waiting)

    def queued(self, key: object) -> bool:
        """Whether a write put with `key` is still waiting or being written."""
        with self._lock:
            return any(item.key == key for item in self._waiting)

    def put(self, label: str, run: Callable[[sqlite3.Connection], object],
            on_done: Callable[[PendingWrite], None] | None = None, key: object = None) -> PendingWrite:
        """Queue `run` after every write queued before it; returns its PendingWrite.

        With `key`, a write with the same key still waiting is replaced (the last one wins).
        """
        item = PendingWrite(label, run, on_done, key=key)
        with self._lock:
            if self._closing:
                raise StoreError("postil is quitting: the change was not written")
            if key is not None:
                for old in [w for w in self._waiting if w.key == key and w.state == "waiting"]:
                    self._waiting.remove(old)
                    old.state = "cancelled"
            self._waiting.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="postil-writes", daemon=True)
                self._thread.start()
            self._lock.notify_all()
        self._notify()
        return item

    def cancel(self, item: PendingWrite) -> bool:
        """Take a write out before it starts (undo of a change never written). False if too late."""
        with self._lock:
            if item.state != "waiting" or item not in self._waiting:
                return False
            self._waiting.remove(item)
            item.state = "cancelled"
            self._lock.notify_all()
        self._notify()
        return True

    def take_finished(self) -> list[PendingWrite]:
        """The writes finished (written or failed) since the last call, in order; call on the UI thread."""
        with self._lock:
            finished, self._finished = self._finished, []
        return finished

    def wait(self, timeout: float | None = None) -> bool:
        """Block until nothing is pending (True) or `timeout` seconds passed (False)."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._waiting, timeout)

    def close(self, timeout: float = 1.0) -> int:
        """Stop the thread; the number of writes given up (they were never written).

        A write already inside SQLite's busy handler cannot be interrupted: the thread is a
        daemon, so quitting does not wait for it (the user chose to lose the pending writes).
        """
        with self._lock:
            self._closing = True
            dropped = len(self._waiting)
            for item in list(self._waiting):
                if item.state == "waiting":
                    self._waiting.remove(item)
                    item.state = "cancelled"
            self._lock.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return dropped

    def _next(self) -> PendingWrite | None:
        with self._lock:
            self._lock.wait_for(lambda: self._waiting or self._closing)
            if self._closing:
                for item in self._waiting:
                    item.state = "cancelled"
                self._waiting.clear()
                return None
            item = self._waiting[0]
            item.state = "writing"
            item.attempts += 1
            return item

    def _work(self) -> None:
        db: sqlite3.Connection | None = None
        try:
            while (item := self._next()) is not None:
                try:
                    if db is None:
                        db = self._connect()
                    with write(db):
                        if self._closing:
                            raise _Abandoned  # the lock came free after the user chose to lose it
                        item.result = item.run(db)
                except _Abandoned:
                    break
                except DatabaseBusy:
                    self._retry_later(item)
                    continue
                except StoreError as error:
                    self._finish(item, "failed", error)
                except Exception as error:  # a bug must not silently stop every later write
                    self._finish(item, "failed", StoreError(f"{item.label}: not written ({error})"))
                else:
                    self._finish(item, "written")
        finally:
            if db is not None:
                db.close()

    def _retry_later(self, item: PendingWrite) -> None:
        with self._lock:
            if item.state == "writing":
                item.state = "waiting"
            self._lock.wait_for(lambda: self._closing, RETRY_PAUSE_SECONDS)

    def _finish(self, item: PendingWrite, state: str, error: StoreError | None = None) -> None:
        with self._lock:
            item.state = state
            item.error = error
            self._waiting.popleft()
            self._finished.append(item)
            self._lock.notify_all()
        self._notify()


def write_or_queue(db: sqlite3.Connection, writes: WriteQueue | None, label: str,
                   run: Callable[[sqlite3.Connection], object],
                   on_done: Callable[[PendingWrite], None] | None = None) -> tuple[object, PendingWrite | None]:
    """Run `run(db)` in one write transaction now or, when the database is busy, queue it.

    A write goes behind any already waiting (they found the database busy, and order
    matters) without a try of its own on the event loop.

    Returns:
        (what `run` returned, None) when written now; (None, its PendingWrite) when queued.

    Raises:
        StoreError: any other failure; DatabaseBusy when there is no queue; the queue closed.
    """
    if writes is None or not writes.busy:
        try:
            with write(db):
                return run(db), None
        except DatabaseBusy:
            if writes is None:
                raise
    return None, writes.put(label, run, on_done)
