"""The main screen's keys that open other screens: help, search, overview, export, tags, claims,
orphans. Each screen module is imported only when its key is pressed, so start-up stays fast.
"""

from __future__ import annotations

import importlib

from postil.tui import keymap


class ScreenActions:
    """Mixin for MainScreen: ? f o e T L O."""

    def _screen_class(self, module: str, name: str, what: str):
        """The screen class, or None (with a message) when that module is missing from this build."""
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            self.tell(f"the {what} is not available in this build")
            return None

    def action_help(self) -> None:
        from postil.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(keymap.digit_labels(self.tags)))

    def action_search(self, query: str | None = None) -> None:
        cls = self._screen_class("postil.tui.screens.search", "SearchScreen", "search screen")
        if cls is None:
            return
        screen = cls(self.db, self.last_search if query is None else query)

        def done(highlight_id: str | None) -> None:
            self.last_search = getattr(screen, "query_text", self.last_search) or ""
            self.after_other_screen(highlight_id)

        self.app.push_screen(screen, done)

    def action_overview(self) -> None:
        cls = self._screen_class("postil.tui.screens.overview", "OverviewScreen", "overview")
        if cls is None:
            return

        def done(query: str | None) -> None:
            if query:
                self.action_search(query)
            else:
                self.after_other_screen(None)

        self.app.push_screen(cls(self.db), done)

    def action_export(self) -> None:
        cls = self._screen_class("postil.tui.screens.export", "ExportScreen", "export dialog")
        if cls is None:
            return

        def done(path) -> None:
            if path:
                self.tell(f"exported to {path}")
            self.reader.focus()

        self.app.push_screen(cls(self.db, self.source.id if self.source else None, self.last_search or None), done)

    def action_tags(self) -> None:
        cls = self._screen_class("postil.tui.screens.tags", "TagsScreen", "tags screen")
        if cls is None:
            return

        def done(_result=None) -> None:
            # Renames, recolours, merges and deletes may touch every highlight on screen.
            self.refresh_annotations(tags_changed=True)
            self.reader.focus()

        self.app.push_screen(cls(self.db, self.undo_stack), done)

    def action_claims(self) -> None:
        cls = self._screen_class("postil.tui.screens.claims", "ClaimsScreen", "claims view")
        if cls is not None:
            self.app.push_screen(cls(self.db), self.after_other_screen)

    def action_orphans(self) -> None:
        cls = self._screen_class("postil.tui.screens.orphans", "OrphansScreen", "orphans view")
        if cls is not None:
            self.app.push_screen(cls(self.db), self.after_other_screen)

    def after_other_screen(self, highlight_id: str | None) -> None:
        """Back from a screen that may have changed things and may have chosen a highlight."""
        self.refresh_annotations(tags_changed=True)
        if highlight_id:
            self.jump_to(highlight_id, remember=True)
        self.reader.focus()
