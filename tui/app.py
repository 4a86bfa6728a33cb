"""PostilApp: the Textual application around the reader.

It holds what every screen shares (the database, the settings, the session's undo stack) and
remembers the chosen theme in the database.
"""

from __future__ import annotations

import sqlite3

from textual.app import App

from postil.store.db import use_small_page_cache
from postil.store.errors import StoreError
from postil.store.settings import get_setting, set_setting
from postil.tui.commands_provider import PostilCommands, SavedQueriesProvider
from postil.tui.first_screen import FirstScreen
from postil.tui.screens.main import MainScreen
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

            self._undo_stack = UndoStack(self.db)
        return self._undo_stack

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(MainScreen(first_source=self.first_screen.show))

    def on_ready(self) -> None:
        self.first_screen.ready()

    async def on_event(self, event) -> None:
        await self.first_screen.before_input(event)
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
