"""Moving between sources on the main screen: the library list (ctrl+b shows or hides it, and
it is listed again when another program changes the database: `postil add` in another
terminal), jumps to a highlight and ctrl+o back, and saving where the reader is, at most every
POSITION_SAVE_SECONDS (a base class of MainScreen only).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from textual.css.query import NoMatches

from postil.store import db as store_db
from postil.store import highlights as store_highlights
from postil.store import settings as store_settings
from postil.store import sources as store_sources
from postil.store.errors import StoreError
from postil.store.models import Source
from postil.tui.widgets.library import LibraryList
from postil.tui.widgets.reader import Reader

POSITION_SAVE_SECONDS = 2.0
"""Cursor moves are written at most this often (and always on switch and quit)."""


class NavigationActions:
    """What it uses of the screen, besides Screen's own methods, is declared here."""

    db: Any
    source: Source | None
    reader: Reader
    report: Callable[[BaseException | str], None]
    open_source: Callable[..., bool]
    tell: Callable[[str], None]
    history: list[tuple[int, int]]
    current_id: str | None
    _pinned: bool
    _show_current: Callable[[], None]
    _position_dirty: bool
    _data_version: int

    def _poll_database(self) -> None:
        """`postil add` (or rm) in another terminal: list the library again."""
        try:
            version = store_db.data_version(self.db)
        except StoreError:
            return
        except sqlite3.Error:
            return  # a busy or closing database: look again next time
        if version != self._data_version:
            self._data_version = version
            self.refresh_library()

    def save_position(self) -> None:
        """Write the reading position now (cheap: one UPDATE)."""
        if self.source is None or not self.is_mounted:
            return
        self._position_dirty = False
        source_id, writes = self.source.id, self.app.writes
        key = ("position", source_id)
        try:
            offset = self.reader.cursor
            # While anything waits in the queue the database is still busy: queue behind it
            # (replacing a waiting position) rather than spend another 200 ms try on the loop.
            if writes is None or not writes.busy:
                store_sources.save_reading_position(self.db, source_id, offset)
                return
        except store_db.DatabaseBusy:
            if writes is None:
                self._position_dirty = True  # no queue: try again in a while
                return
        except StoreError as error:
            self.report(error)
            return
        except sqlite3.Error:
            # Saving the position is a convenience; never let it break quitting (the
            # connection may already be closed then: ProgrammingError).
            return
        except NoMatches:
            return  # unmounting, the reader gone first (quitting saved the position already)
        # Another program is writing: the write queue keeps only the latest position.
        try:
            writes.put("reading position", lambda db: store_sources.save_reading_position(db, source_id, offset),
                       key=key)
        except StoreError:
            pass  # the queue is closed: postil is quitting, and a position never holds that up

    def _save_if_moved(self) -> None:
        if self._position_dirty:
            self.save_position()

    def refresh_library(self, current_id: int | None = None) -> None:
        """List every source again, marking `current_id` (default: the open source)."""
        try:
            sources = store_sources.list_sources(self.db)
        except StoreError as error:
            self.report(error)
            return
        if current_id is None and self.source is not None:
            current_id = self.source.id
        self.query_one(LibraryList).show_sources(sources, current_id)

    # Named for the message (not @on): Textual collects @on handlers only from the screen class itself.
    def on_library_list_open_source(self, event: LibraryList.OpenSource) -> None:
        if self.source is None or event.source_id != self.source.id:
            self.open_source(event.source_id)
        self.reader.focus()

    def action_toggle_library(self) -> None:
        library = self.query_one(LibraryList)
        library.display = not library.display
        if not library.display and library.has_focus:
            self.reader.focus()
        try:
            store_settings.set_setting(self.db, "library_visible", "1" if library.display else "0")
        except StoreError:
            pass  # a preference, not worth an error message

    # -- moving around --------------------------------------------------------------------

    def jump_to(self, highlight_id: str, *, remember: bool = True, flash: bool = True) -> bool:
        """Open the highlight's source if needed, put the cursor on its start and flash it."""
        try:
            h = store_highlights.get_highlight(self.db, highlight_id)
        except StoreError as error:
            self.report(error)
            return False
        if remember and self.source is not None:
            self.history.append((self.source.id, self.reader.cursor))
        if self.source is None or h.source_id != self.source.id:
            if not self.open_source(h.source_id, offset=h.start):
                return False
        self.reader.clear_selection()
        self.reader.move_to(h.start, center=True)
        if flash:
            self.reader.flash(h.start, h.end)
        self.current_id = h.id
        self._pinned = True
        self._show_current()
        return True

    def action_back(self) -> None:
        if not self.history:
            self.tell("nowhere to go back to")
            return
        source_id, offset = self.history.pop()
        if self.source is None or source_id != self.source.id:
            if not self.open_source(source_id, offset=offset):
                return
        self.reader.move_to(offset, center=True)
        self.reader.focus()
