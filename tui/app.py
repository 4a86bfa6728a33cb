"""PostilApp: the Textual application around the reader.

It holds what every screen shares (the database, the settings, the session's undo stack and
write queue) and remembers the chosen theme in the database. A write the busy database
refused waits in the queue (tui/write_queue.py); the header says how many, and quitting
with some still waiting asks whether to wait for them.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from textual.app import App
from textual.message import Message

from postil.sources.sanitise import for_display_line
from postil.store.db import (
    UI_BUSY_TIMEOUT_MS,
    database_path,
    open_db,
    read_only_cause,
    set_busy_timeout,
    use_small_page_cache,
)
from postil.store.errors import StoreError
from postil.store.settings import get_setting, set_setting
from postil.tui.first_screen import FirstScreen
from postil.tui.palette import PostilCommands, SavedQueriesProvider
from postil.tui.screens.main import MainScreen
from postil.tui.undo import UndoStack
from postil.tui.widgets.source_header import SourceHeader
from postil.tui.wording import counted
from postil.tui.write_queue import WriteQueue

if TYPE_CHECKING:
    from postil.tui.undo_changes import Change  # made by the actions: see tui/undo.py

POSITION_WAIT_SECONDS = 0.5
"""How long quitting waits for a reading position still queued behind a busy database."""


class WritesChanged(Message):
    """The write queue took, finished or dropped a write (posted from any thread)."""


class PostilApp(App[None]):
    """Opens the main screen on a source (or the last one read)."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-under-100-columns"), (100, "-100-columns-or-more")]
    """Classes Textual puts on every screen by its width (app.tcss narrows the library under
    100 columns); not `-narrow`, which the export dialog sets itself at another width."""
    TITLE = "postil"
    COMMANDS = App.COMMANDS | {PostilCommands, SavedQueriesProvider}
    """The palette offers every action, tag and source, and the searches saved with ctrl+s."""

    def __init__(self, settings, *, db: sqlite3.Connection | None = None,
                 source_id: int | None = None, at_top: bool = False) -> None:
        """
        Args:
            settings: tui.settings.Settings (database path, author).
            db: the open database (store.db.open_db); opened from `settings` when not given.
            source_id: the source to open; None opens the last one read at its position.
            at_top: open `source_id` at its start instead of where it was left.
        """
        super().__init__()
        self.settings = settings
        self.db: sqlite3.Connection = db if db is not None else settings.open()
        """The database connection every store function takes."""
        use_small_page_cache(self.db)
        self.author: str = getattr(settings, "author", "") or ""
        self._undo_stack = None
        self.read_only: str | None = read_only_cause(self.db)
        """Why the database cannot be written (the header says so); None when it can."""
        self.writes: WriteQueue | None = None
        """Writes the busy database refused, retried in order on a thread (None: in memory or read-only)."""
        path = database_path(self.db)
        if path and self.read_only is None:
            self.writes = WriteQueue(lambda: open_db(path), lambda: self.post_message(WritesChanged()))
            # The event loop never sits in SQLite's busy handler for long: see UI_BUSY_TIMEOUT_MS.
            set_busy_timeout(self.db, UI_BUSY_TIMEOUT_MS)
        self._quit_when_written = False
        self.first_screen = FirstScreen(source_id, at_top=at_top)
        """The start-up: preview, the whole source after the first frame, the input gate."""

        # The saved theme is set before the stylesheet is first read: switching at mount
        # made Textual work out every style twice (~10 ms of the first screen).
        saved = get_setting(self.db, "theme")
        if saved and saved in self.available_themes:
            self.theme = saved

    @property
    def undo_stack(self):
        """The session's undo history (tui.undo.UndoStack, across sources), made on first use."""
        if self._undo_stack is None:
            self._undo_stack = UndoStack(self.db, queue=self.writes)
            self._undo_stack.on_written = self._change_written
            self._undo_stack.on_failed = self._change_failed
        return self._undo_stack

    def get_default_screen(self) -> MainScreen:
        # The main screen is the app's first screen itself, not pushed over Textual's empty
        # default one: that screen was laid out, resized and suspended for nothing before
        # the first frame.
        return MainScreen(first_source=self.first_screen.show)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def on_ready(self) -> None:
        self.first_screen.ready()

    async def on_event(self, event) -> None:
        await self.first_screen.before_input(event)
        await super().on_event(event)

    def on_unmount(self) -> None:
        if self.writes is not None:
            self.writes.close()

    async def action_quit(self) -> None:
        """ctrl+q (or the palette's quit)."""
        self.request_quit()

    def request_quit(self) -> None:
        """Quit after writing the reading position; with writes pending, ask first."""
        self.save_reading_position()
        pending = self.writes.pending if self.writes is not None else 0
        if not pending:
            if self.writes is not None:
                # Only a reading position may wait: not worth a question, worth a short wait.
                self.writes.wait(POSITION_WAIT_SECONDS)
            self.exit()
            return
        from postil.tui.screens.confirm import ConfirmScreen  # only then: see tui/startup.py, 'Dialogs'

        question = (
            f"{_writes(pending)} still wait for the database (another program holds it). "
            "Wait for them (postil quits once they are written), or quit and lose them?"
        )
        self.push_screen(ConfirmScreen(question, yes="Quit and lose them", no="Wait"), self._quit_answer)

    def _quit_answer(self, lose: bool | None) -> None:
        pending = self.writes.pending if self.writes is not None else 0
        if lose or not pending:
            self.exit()
            return
        self._quit_when_written = True
        self.notify(f"waiting for {_writes(pending)}: postil quits once they are written "
                    "(ctrl+q to choose again)", timeout=6)

    def on_writes_changed(self, message: WritesChanged) -> None:
        """Run the callbacks of finished writes here, on the event loop, and show what is left."""
        if self.writes is None:
            return
        for item in self.writes.take_finished():
            if item.on_done is not None:
                item.on_done(item)
            if item.state == "failed" and item.on_done is None:
                self._report(str(item.error))
        pending = self.writes.pending
        for screen in self.screen_stack:
            for header in screen.query(SourceHeader):
                header.set_writes(pending, self.read_only)
        if self._quit_when_written and not pending:
            self.exit()

    def _change_written(self, change: Change, undone: bool) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.change_written(change)

    def _change_failed(self, change: Change, error: StoreError) -> None:
        # A write the user thought made: say so even while waiting to quit, and stay.
        self._quit_when_written = False
        self._report(f"not written: {error}")
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.refresh_annotations(tags_changed=True)

    def _report(self, message: str) -> None:
        self.notify(for_display_line(message), severity="error", markup=False, timeout=8)

    def save_reading_position(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.save_position()

    def _remember_theme(self, theme) -> None:
        try:
            set_setting(self.db, "theme", theme.name)
        except StoreError:
            pass  # a preference; the next start simply uses the default theme


def _writes(count: int) -> str:
    return counted(count, "write")
