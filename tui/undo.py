"""Undo and redo for every annotation change of a session, across sources.

Each user action becomes a `Change` (tui/undo_changes.py) that knows how to apply and revert
itself through store functions.

Each apply or revert is one write transaction. When the database is busy (another program
holds the lock longer than the app waits), the step goes to the session's WriteQueue
(tui/write_queue.py) and the history is updated at once: the stack always says what the
database will hold once the queue has drained. Undoing a step still waiting in the queue
takes it out of the queue instead of queueing its opposite.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from postil.store.db import DatabaseBusy, write
from postil.store.errors import StoreError
from postil.tui.write_queue import PendingWrite, WriteQueue

if TYPE_CHECKING:
    # Only named here: the changes are made by the actions that import them (tui/startup.py,
    # 'Dialogs': their 13 dataclasses cost ~7 ms of every start).
    from postil.tui.undo_changes import Change


class UndoStack:
    """The session's history of changes, many steps deep."""

    def __init__(self, db: sqlite3.Connection, limit: int = 1000, *, queue: WriteQueue | None = None) -> None:
        """
        Args:
            queue: where steps go when the database is busy; None makes a busy database
                an error (DatabaseBusy), as for a command-line write.
        """
        self.db = db
        self.limit = limit
        self.queue = queue
        self.on_written: Callable[[Change, bool], None] | None = None
        """Called (on the UI thread) with (change, undone) when a queued step was written."""
        self.on_failed: Callable[[Change, StoreError], None] | None = None
        """Called (on the UI thread) when a queued step failed; the change left the history."""
        self._done: list[Change] = []
        self._undone: list[Change] = []

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def last_queued(self) -> bool:
        """The latest change done still waits in the write queue."""
        return bool(self._done) and self._done[-1].queued is not None

    def do(self, change: Change) -> Change:
        """Apply a change and remember it. On error nothing is remembered (and nothing written).

        A busy database queues the change (`change.queued` is then set) and remembers it.
        """
        self._step(change, undo=False)
        self._done.append(change)
        del self._done[: -self.limit]
        self._undone.clear()
        return change

    def undo(self) -> Change | None:
        """Revert the latest change; None when there is nothing to undo.

        Raises:
            StoreError: the change can no longer be reverted (e.g. another process deleted
                what it touched); it is dropped from the history.
        """
        if not self._done:
            return None
        change = self._done.pop()
        self._step(change, undo=True)
        self._undone.append(change)
        return change

    def redo(self) -> Change | None:
        if not self._undone:
            return None
        change = self._undone.pop()
        self._step(change, undo=False)
        self._done.append(change)
        return change

    def _step(self, change: Change, *, undo: bool) -> None:
        """Write one step now, or queue it behind the others (busy database)."""
        if change.queued is not None and self.queue is not None and self.queue.cancel(change.queued):
            # Its previous step was never written: forgetting it is this step.
            change.queued = None
            return
        if self.queue is None or not self.queue.busy:
            try:
                with write(self.db):
                    (change.revert if undo else change.apply)(self.db)
                return
            except DatabaseBusy:
                if self.queue is None:
                    raise
        self._enqueue(change, undo=undo)

    def _enqueue(self, change: Change, *, undo: bool) -> None:
        run = change.revert if undo else change.apply_queued
        label = f"{'undo ' if undo else ''}{change.label}"
        change.queued = self.queue.put(label, run, lambda item: self._written(change, item, undo))

    def _written(self, change: Change, item: PendingWrite, undo: bool) -> None:
        if change.queued is item:
            change.queued = None
        if item.state == "written":
            if self.on_written is not None:
                self.on_written(change, undo)
            return
        # Failed (not busy: e.g. another program deleted the highlight): drop the change,
        # and what else waits for it, so that undo never acts on a step that did not happen.
        for stack in (self._done, self._undone):
            stack[:] = [other for other in stack if other is not change]  # by identity: dataclasses compare fields
        if change.queued is not None and self.queue is not None:
            self.queue.cancel(change.queued)
            change.queued = None
        if self.on_failed is not None:
            self.on_failed(change, item.error or StoreError(f"{item.label}: not written"))

