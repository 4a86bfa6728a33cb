"""PostilApp: the Textual application around the reader.

It holds what every screen shares (the database, the settings, the session's undo stack) and
remembers the chosen theme in the database.
"""

from __future__ import annotations

import sqlite3

from textual import events
from textual.app import App

from postil.store.db import use_small_page_cache
from postil.store.errors import StoreError
from postil.store.settings import get_setting, set_setting
from postil.tui.commands_provider import PostilCommands
from postil.tui.screens.main import MainScreen
from postil.tui.screens.search import SavedQueriesProvider
from postil.tui.undo import UndoStack


def postil_commands():
    """The palette's actions, tags and sources, imported when the palette opens."""
    return PostilCommands


def saved_queries_provider():
    """The palette's saved searches, imported when the palette opens (start-up stays lean)."""
    return SavedQueriesProvider


class PostilApp(App[None]):
    """Opens the main screen on a source (or the last one read)."""

    CSS_PATH = "app.tcss"
    TITLE = "postil"
    COMMANDS = App.COMMANDS | {postil_commands, saved_queries_provider}
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
        self.start_source_id = source_id
        self.start_at_top = at_top

        # The saved theme is set before the stylesheet is first read: switching at mount
        # made Textual work out every style twice (~10 ms of the first screen).
        saved = get_setting(self.db, "theme")
        if saved and saved in self.available_themes:
            self.theme = saved

    @property
    def undo_stack(self):
        """The session's undo history (tui.undo.UndoStack, across sources), made on first use."""
        if self._undo_stack is None:

            self._undo_stack = UndoStack(self.db)
        return self._undo_stack

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)

        self.push_screen(MainScreen(self.start_source_id, at_top=self.start_at_top))

    # Work that must not hold the first screen back (opening the whole source behind the
    # preview) waits for Textual's Ready event, "the first frame has been displayed", and one
    # refresh more: Ready is posted while Textual's start-up batch still holds that frame.
    _started = False
    _after_start: tuple = ()

    def on_ready(self) -> None:
        self._started = True
        callbacks, self._after_start = self._after_start, ()
        for callback in callbacks:
            self.call_after_refresh(callback)

    def call_after_start(self, callback) -> None:
        """Call `callback` once the first screen is on the terminal (soon, if it already is)."""
        if self._started:
            self.call_later(callback)
        else:
            self._after_start += (callback,)

    async def on_event(self, event) -> None:
        # A key or click must act on the whole state: if the main screen is still starting
        # (only its preview painted, its pane still being built), it finishes that first.
        if isinstance(event, (events.Key, events.MouseDown)):
            ready = getattr(self.screen, "ready_for_input", None) if self._screen_stack else None
            if ready is not None:
                await ready()
        await super().on_event(event)

    async def action_quit(self) -> None:
        """ctrl+q (or the palette's quit): write the reading position first."""
        self.save_reading_position()
        await super().action_quit()

    def save_reading_position(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.save_position()

    def _remember_theme(self, theme) -> None:
        try:
            set_setting(self.db, "theme", theme.name)
        except StoreError:
            pass  # a preference; the next start simply uses the default theme
