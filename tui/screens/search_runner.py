"""Running the search screen's queries off the UI thread, so typing never waits for SQL.

Each search runs in a thread worker with its own SQLite connection (a connection cannot cross
threads). A keystroke makes every running search stale (`go_stale`): its connection is
interrupted (`sqlite3.Connection.interrupt`, safe from another thread), the worker checks
the search generation before each step and drops what it found, and the search workers are
`exclusive` in one group. So the search for `tag:cavea` never delays the one for
`tag:caveat`, and stale results are never shown.

Each search is paged: the first page (a screenful) is read with a small `limit` and handed
to the screen at once, then the rest up to `LIMIT` and the total (`store.search.count`),
then the passages of the sources' text.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import partial
from typing import Protocol

from textual.app import App
from textual.worker import get_current_worker

from postil.store import search as store_search
from postil.store.db import database_path, open_db
from postil.store.errors import StoreError
from postil.store.passages import Passage, passage_hits
from postil.store.query import QueryError
from postil.store.search import Restriction, SearchHit

LIMIT = 500
"""Results listed at most; the summary gives the total when there are more."""
PASSAGES = 100
"""Passages of the sources' text listed at most, after the highlights."""
FIRST_PAGE = 60
"""Results read by the first, fast query (more than a tall screen shows)."""


class ShowsResults(Protocol):
    """What the runner hands results to (the search screen); each call names its generation."""

    @property
    def app(self) -> App: ...

    def show_first_page(self, generation: int, query: str, hits: list[SearchHit], error: str,
                        complete: bool) -> None: ...

    def show_more(self, generation: int, rest: list[SearchHit], total: int) -> None: ...

    def show_passages(self, generation: int, passages: list[Passage]) -> None: ...

    def run_worker(self, work, *, thread: bool, group: str, exclusive: bool): ...


class SearchRunner:
    """Runs one screen's searches, newest query only (see the module)."""

    def __init__(self, screen: ShowsResults, db: sqlite3.Connection, restrict: Restriction) -> None:
        self.screen = screen
        self.db = db
        self.restrict = restrict
        """What blind mode hides from me, kept out of every result."""
        self.generation = 0
        """Bumped by each keystroke: results of an older generation are dropped."""
        self._db_path = database_path(db)
        self._conns: set[sqlite3.Connection] = set()
        """Connections of searches in progress, to interrupt when they go stale."""
        self._conns_lock = threading.Lock()
        """Guards `_conns`: a connection is never interrupted while it is being closed."""

    def go_stale(self) -> None:
        """The query changed: stop the SQL of every running search; its worker then drops out."""
        self.generation += 1
        with self._conns_lock:
            for conn in self._conns:
                conn.interrupt()

    def start(self, query: str) -> None:
        """Search for `query` now (in a worker, or here for an in-memory database)."""
        generation = self.generation
        if self._db_path:
            self.screen.run_worker(partial(self._search_in_thread, query, generation), thread=True,
                                   group="search", exclusive=True)
            return
        # An in-memory database cannot be opened again from another thread: search here.
        screen = self.screen
        try:
            first = store_search.search_hits(self.db, query, limit=FIRST_PAGE, restrict=self.restrict)
            screen.show_first_page(generation, query, first, "", len(first) < FIRST_PAGE)
            if len(first) == FIRST_PAGE:
                screen.show_more(generation, *_rest(self.db, query, self.restrict))
            screen.show_passages(generation, passage_hits(self.db, query, limit=PASSAGES))
        except (QueryError, StoreError) as error:
            screen.show_first_page(generation, query, [], str(error), True)

    def _search_in_thread(self, query: str, generation: int) -> None:
        worker = get_current_worker()
        screen = self.screen

        def stale() -> bool:
            return worker.is_cancelled or generation != self.generation

        def post(method, *args) -> None:
            if not stale():
                screen.app.call_from_thread(method, generation, *args)

        if stale():
            return
        try:
            db = open_db(self._db_path, migrate=False)
        except StoreError as error:
            post(screen.show_first_page, query, [], str(error), True)
            return
        with self._conns_lock:
            self._conns.add(db)
        try:
            first = store_search.search_hits(db, query, limit=FIRST_PAGE, restrict=self.restrict)
            post(screen.show_first_page, query, first, "", len(first) < FIRST_PAGE)
            if len(first) == FIRST_PAGE and not stale():
                post(screen.show_more, *_rest(db, query, self.restrict))
            if not stale():
                post(screen.show_passages, passage_hits(db, query, limit=PASSAGES))
        except (QueryError, StoreError) as error:
            post(screen.show_first_page, query, [], str(error), True)
        except sqlite3.OperationalError as error:  # interrupted because stale; else a message
            post(screen.show_first_page, query, [], str(error), True)
        finally:
            with self._conns_lock:
                self._conns.discard(db)
            db.close()


def _rest(db: sqlite3.Connection, query: str, restrict: Restriction = None) -> tuple[list[SearchHit], int]:
    """The results after the first page (up to LIMIT in all), and how many match in total."""
    rest = store_search.search_hits(db, query, limit=LIMIT + 1 - FIRST_PAGE, offset=FIRST_PAGE, restrict=restrict)
    shown = FIRST_PAGE + len(rest)
    total = store_search.count(db, query, restrict=restrict) if shown > LIMIT else shown
    return rest[: LIMIT - FIRST_PAGE], total
