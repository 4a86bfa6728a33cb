"""The main screen's keys that open other screens: help, search, overview, export, tags, claims,
orphans."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from postil.store.models import Source, Tag
from postil.tui import keymap
from postil.tui.screens.claims import ClaimsScreen
from postil.tui.screens.export import ExportScreen
from postil.tui.screens.help import HelpScreen
from postil.tui.screens.orphans import OrphansScreen
from postil.tui.screens.overview import OverviewScreen
from postil.tui.screens.search import SearchScreen
from postil.tui.screens.tags import TagsScreen
from postil.tui.undo import UndoStack
from postil.tui.widgets.reader import Reader


class ScreenActions:
    """MainScreen's keys ? f o e T L O (a base class of MainScreen only). What it uses of the
    screen, besides Screen's own methods, is declared here."""

    db: sqlite3.Connection
    reader: Reader
    source: Source | None
    tags: list[Tag]
    last_search: str
    undo_stack: UndoStack
    tell: Callable[[str], None]
    jump_to: Callable[..., None]
    refresh_annotations: Callable[..., None]

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(keymap.digit_labels(self.tags)))

    def action_search(self, query: str | None = None) -> None:
        screen = SearchScreen(self.db, self.last_search if query is None else query)

        def done(highlight_id: str | None) -> None:
            self.last_search = getattr(screen, "query_text", self.last_search) or ""
            self.after_other_screen(highlight_id)

        self.app.push_screen(screen, done)

    def action_overview(self) -> None:
        def done(query: str | None) -> None:
            if query:
                self.action_search(query)
            else:
                self.after_other_screen(None)

        self.app.push_screen(OverviewScreen(self.db), done)

    def action_export(self) -> None:
        def done(path) -> None:
            if path:
                self.tell(f"exported to {path}")
            self.reader.focus()

        self.app.push_screen(ExportScreen(self.db, self.source.id if self.source else None, self.last_search or None), done)

    def action_tags(self) -> None:
        def done(_result=None) -> None:
            # Renames, recolours, merges and deletes may touch every highlight on screen.
            self.refresh_annotations(tags_changed=True)
            self.reader.focus()

        self.app.push_screen(TagsScreen(self.db, self.undo_stack), done)

    def action_claims(self) -> None:
        self.app.push_screen(ClaimsScreen(self.db), self.after_other_screen)

    def action_orphans(self) -> None:
        self.app.push_screen(OrphansScreen(self.db), self.after_other_screen)

    def after_other_screen(self, highlight_id: str | None) -> None:
        """Back from a screen that may have changed things and may have chosen a highlight."""
        self.refresh_annotations(tags_changed=True)
        if highlight_id:
            self.jump_to(highlight_id, remember=True)
        self.reader.focus()
