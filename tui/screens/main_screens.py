"""The main screen's keys that open other screens: help, search, overview, export, tags, claims,
orphans."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from postil.store.models import Source, Tag
from postil.tui import keymap
from postil.tui.screens.main_review import ReviewerFilter
from postil.tui.undo import UndoStack
from postil.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from postil.store.passages import Passage


class ScreenActions:
    """MainScreen's keys ? f A o e T L O (a base class of MainScreen only). What it uses of the
    screen, besides Screen's own methods, is declared here."""

    db: sqlite3.Connection
    reader: Reader
    source: Source | None
    tags: list[Tag]
    last_search: str
    undo_stack: UndoStack
    tell: Callable[[str], None]
    jump_to: Callable[..., None]
    after_orphans: Callable[..., None]
    refresh_annotations: Callable[..., None]
    reviewer_filter: ReviewerFilter
    open_source: Callable[..., bool]
    refresh_library: Callable[..., None]
    history: list[tuple[int, int]]

    def action_help(self) -> None:
        from postil.tui.screens.help import HelpScreen  # on first use: see tui/startup.py, 'Dialogs'
        self.app.push_screen(HelpScreen(keymap.digit_labels(self.tags)))

    def action_search(self, query: str | None = None) -> None:
        from postil.store.passages import Passage  # on first use: see tui/startup.py, 'Dialogs'
        from postil.tui.screens.search import SearchScreen  # on first use: see tui/startup.py, 'Dialogs'
        self.reviewer_filter.reload(self.db)
        screen = SearchScreen(self.db, self.last_search if query is None else query,
                              restrict=self.reviewer_filter.view.restriction())

        def done(chosen: str | Passage | None) -> None:
            self.last_search = getattr(screen, "query_text", self.last_search) or ""
            if isinstance(chosen, Passage):
                self.refresh_annotations(tags_changed=True)
                self.show_passage(chosen)
                self.reader.focus()
            else:
                self.after_other_screen(chosen)

        self.app.push_screen(screen, done)

    def action_add_source(self) -> None:
        from postil.tui.screens.add_source import AddSourceScreen  # on first use: see tui/startup.py, 'Dialogs'
        def done(source_id: int | None) -> None:
            if source_id is not None and self.open_source(source_id, at_top=True):
                self.tell("added to the library")
            self.reader.focus()

        def added_later(source_id: int) -> None:
            # Written from the queue once the database was free: listed, not opened (the
            # reviewer has moved on meanwhile).
            self.refresh_library()
            self.tell("a file that waited for the database is now in the library")

        self.app.push_screen(AddSourceScreen(self.db, self.app.writes, added_later), done)

    def action_overview(self) -> None:
        from postil.tui.screens.overview import OverviewScreen  # on first use: see tui/startup.py, 'Dialogs'
        def done(query: str | None) -> None:
            if query:
                self.action_search(query)
            else:
                self.after_other_screen(None)

        self.app.push_screen(OverviewScreen(self.db), done)

    def action_export(self) -> None:
        from postil.tui.screens.export import ExportScreen  # on first use: see tui/startup.py, 'Dialogs'
        def done(path) -> None:
            if path:
                self.tell(f"exported to {path}")
            self.reader.focus()

        self.reviewer_filter.reload(self.db)
        self.app.push_screen(ExportScreen(self.db, self.source.id if self.source else None, self.last_search or None,
                                          view=self.reviewer_filter.view), done)

    def action_tags(self) -> None:
        from postil.tui.screens.tags import TagsScreen  # on first use: see tui/startup.py, 'Dialogs'
        def done(_result=None) -> None:
            # Renames, recolours, merges and deletes may touch every highlight on screen.
            self.refresh_annotations(tags_changed=True)
            self.reader.focus()

        self.app.push_screen(TagsScreen(self.db, self.undo_stack), done)

    def action_claims(self) -> None:
        from postil.tui.screens.claims import ClaimsScreen  # on first use: see tui/startup.py, 'Dialogs'
        self.reviewer_filter.reload(self.db)
        self.app.push_screen(ClaimsScreen(self.db, self.reviewer_filter.view), self.after_other_screen)

    def action_orphans(self) -> None:
        from postil.tui.screens.orphans import OrphansScreen  # on first use: see tui/startup.py, 'Dialogs'
        self.reviewer_filter.reload(self.db)
        self.app.push_screen(OrphansScreen(self.db, self.reviewer_filter.view, self.undo_stack), self.after_orphans)

    def show_passage(self, passage: Passage) -> None:
        """Open a passage of a source's text at its first match (cursor there, ready to mark)."""
        if self.source is not None:
            self.history.append((self.source.id, self.reader.cursor))
        if self.source is None or passage.source_id != self.source.id:
            if not self.open_source(passage.source_id, offset=passage.match_start):
                return
        self.reader.clear_selection()
        self.reader.move_to(passage.match_start, center=True)
        self.reader.flash(passage.match_start, passage.match_end)

    def after_other_screen(self, highlight_id: str | None) -> None:
        """Back from a screen that may have changed things and may have chosen a highlight."""
        self.refresh_annotations(tags_changed=True)
        if highlight_id:
            self.jump_to(highlight_id, remember=True)
        self.reader.focus()
