"""A screen's read that follows the keyboard: run in a thread, only the newest one shown.

The link picker reads candidates on every keystroke. At 100,000 highlights a common
three-letter prefix (the first letters of "the", say) matches nearly every highlight, and
the read took 300-450 ms: typed letters waited for it. Here each read runs in a thread
worker with its own connection (a connection cannot cross threads); a newer read makes
the older ones stale, interrupts their SQL (`Connection.interrupt` is safe from another
thread) and drops what they found, so the newest read is never behind an old one.
tui/screens/search_runner.py does the same for the search screen's paged reads.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.screen import Screen
from textual.worker import get_current_worker

from postil.store.db import open_db, reopenable_path
from postil.store.errors import StoreError


class LatestRead:
    """Runs `read(connection)` for a screen, newest call only (see the module)."""

    def __init__(self, screen: Screen, db: sqlite3.Connection, group: str) -> None:
        self.screen = screen
        self.db = db
        self.group = group
        self.generation = 0
        """Bumped by each read: results of an older one are dropped."""
        self.pending = False
        """The newest read has not been shown yet."""
        self._path = reopenable_path(db)
        self._conns: set[sqlite3.Connection] = set()
        self._conns_lock = threading.Lock()
        """Guards `_conns`: a connection is never interrupted while it is being closed."""

    def run(self, read: Callable[[sqlite3.Connection], Any], show: Callable[[Any], None],
            failed: Callable[[str], None]) -> None:
        """Read in a thread and hand the result to `show` (or a one-line error to `failed`)."""
        self.drop()
        if not self._path:
            # An in-memory database (or a read-only copy) is not opened again: read here.
            try:
                show(read(self.db))
            except (StoreError, sqlite3.Error) as error:
                failed(str(error))
            return
        self.pending = True
        self.screen.run_worker(partial(self._in_thread, read, show, failed, self.generation), thread=True,
                               group=self.group, exclusive=True)

    def drop(self) -> None:
        """Make every read in progress stale (the screen read what it needs itself)."""
        self.generation += 1
        self.pending = False
        with self._conns_lock:
            for conn in self._conns:
                conn.interrupt()

    def _in_thread(self, read, show, failed, generation: int) -> None:
        worker = get_current_worker()

        def stale() -> bool:
            return worker.is_cancelled or generation != self.generation

        def post(handler, value) -> None:
            if not stale():
                self.screen.app.call_from_thread(self._deliver, generation, handler, value)

        if stale():
            return
        try:
            db = open_db(self._path, migrate=False)
        except StoreError as error:
            post(failed, str(error))
            return
        with self._conns_lock:
            self._conns.add(db)
        try:
            post(show, read(db))
        except (StoreError, sqlite3.Error) as error:  # interrupted because stale: dropped by post
            post(failed, str(error))
        finally:
            with self._conns_lock:
                self._conns.discard(db)
            db.close()

    def _deliver(self, generation: int, handler: Callable[[Any], None], value: Any) -> None:
        """On the UI thread: hand over the newest read's outcome (an older one arrived late)."""
        if generation == self.generation:
            self.pending = False
            handler(value)
