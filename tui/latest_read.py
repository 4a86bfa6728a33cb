"""A screen's read that follows the keyboard: run in a thread, only the newest one shown.

The link picker reads candidates on every keystroke. At 100,000 highlights a common
three-letter prefix (the first letters of "the", say) matches nearly every highlight, and
the read took 300-450 ms: typed letters waited for it. Here each read runs in a thread
worker with its own connection (a connection cannot cross threads); a newer read makes
the older ones stale, interrupts their SQL (`Connection.interrupt` is safe from another
thread) and drops what they found, so the newest read is never behind an old one.
A read may come in steps (the overview's counts, then its coverage), each shown as it is
read. tui/screens/search_runner.py does the same for the search screen's paged reads, whose
results name their query's generation.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from textual.screen import Screen
from textual.worker import get_current_worker

from postil.store.db import open_db, reopenable_path
from postil.store.errors import StoreError

Step = tuple[Callable[[sqlite3.Connection], Any], Callable[[Any], None]]
"""(read, show): what to read on a connection, and what to hand it to on the UI thread."""


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

    @property
    def threaded(self) -> bool:
        """Reads run in a thread: False for an in-memory database or a read-only copy, which
        are not opened again (opening the original would copy it again), and are read here."""
        return bool(self._path)

    def run(self, read: Callable[[sqlite3.Connection], Any], show: Callable[[Any], None],
            failed: Callable[[str], None]) -> None:
        """Read in a thread and hand the result to `show` (or a one-line error to `failed`)."""
        self.run_steps([(read, show)], failed)

    def run_steps(self, steps: Sequence[Step], failed: Callable[[str], None]) -> None:
        """Read each step in turn on one connection, handing each part over as it is read."""
        self.drop()
        if not self.threaded:
            try:
                for read, show in steps:
                    show(read(self.db))
            except (StoreError, sqlite3.Error) as error:
                failed(str(error))
            return
        self.pending = True
        self.screen.run_worker(partial(self._in_thread, steps, failed, self.generation), thread=True,
                               group=self.group, exclusive=True)

    def drop(self) -> None:
        """Make every read in progress stale (the screen read what it needs itself, or closes)."""
        self.generation += 1
        self.pending = False
        with self._conns_lock:
            for conn in self._conns:
                conn.interrupt()

    def _in_thread(self, steps: Sequence[Step], failed, generation: int) -> None:
        worker = get_current_worker()

        def stale() -> bool:
            return worker.is_cancelled or generation != self.generation

        def post(handler, value, last: bool = True) -> None:
            if not stale():
                self.screen.app.call_from_thread(self._deliver, generation, handler, value, last)

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
            for number, (read, show) in enumerate(steps, 1):
                part = read(db)
                post(show, part, number == len(steps))
        except (StoreError, sqlite3.Error) as error:  # interrupted because stale: dropped by post
            post(failed, str(error))
        finally:
            with self._conns_lock:
                self._conns.discard(db)
            db.close()

    def _deliver(self, generation: int, handler: Callable[[Any], None], value: Any, last: bool) -> None:
        """On the UI thread: hand over the newest read's outcome (an older one arrived late)."""
        if generation == self.generation:
            self.pending = not last
            handler(value)
