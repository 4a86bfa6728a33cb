"""The command palette (ctrl+p): every main-screen action, every tag, every source, and the
searches saved on the search screen (ctrl+s there).

Entries come from tui.keymap so the palette, the footer and the help screen agree. Titles and
tag names are untrusted, so hits are drawn with tui.safe_text (never parsed as markup).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets import Input

from postil.sources.sanitise import for_display_line
from postil.store.errors import StoreError
from postil.store.sources import list_sources
from postil.tui import keymap
from postil.tui.safe_text import highlight_matches
from postil.tui.screens.main import MainScreen
from postil.tui.screens.main_review import EVERYONE
from postil.tui.team_action import has_team, start_team_sync
from postil.tui.wording import counted


class PostilCommands(Provider):
    """Commands for the main screen; nothing is offered over other screens."""

    def _main_screen(self):
        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(text, callback, help) for everything the palette offers right now."""
        screen = self._main_screen()
        if screen is None:
            return []
        found: list[tuple[str, Callable[[], object], str]] = []
        for entry in keymap.MAIN_KEYS:
            if entry.palette:
                found.append(
                    (entry.long[:1].upper() + entry.long[1:],
                     partial(screen.run_action, entry.action),
                     f"key: {entry.shown_key}")
                )
        if has_team(screen.db):
            found.append(("Team: sync", partial(start_team_sync, screen),
                          "send my highlights to the team repository and bring the team's in"))
        for tag in screen.tags:
            key = f"key: {tag.digit}" if tag.digit else "no key"
            found.append((f"Tag: {tag.name}", partial(screen.apply_tag, tag.name),
                          f"new highlight from the selection, or toggle on the current one ({key})"))
        found += self._review_commands(screen)
        try:
            sources = list_sources(screen.db)
        except sqlite3.Error:
            # A database that cannot be read just now (damaged, or its file gone from under a
            # running app): the palette still offers every other command.
            sources = []
        for source in sources:
            found.append((f"Open: {source.title}", partial(screen.open_source, source.id),
                          counted(source.highlight_count, "highlight")))
        return found

    @staticmethod
    def _review_commands(screen) -> list[tuple[str, Callable[[], object], str]]:
        """Whose highlights to show (as R cycles through) and the blind-mode switch."""
        reviewers = screen.reviewer_filter
        found = [("Show: every reviewer's highlights", partial(screen.show_reviewer, EVERYONE), "key: R cycles"),
                 ("Show: only my highlights", partial(screen.show_reviewer, reviewers.me), "key: R cycles")]
        for name in reviewers.reviewers[1:]:
            found.append((f"Show: only {name}'s highlights", partial(screen.show_reviewer, name), "key: R cycles"))
        if reviewers.view.blind:
            found.append(("Blind mode: off (show every reviewer's work)", partial(screen.set_blind, False),
                          "now on: others' work shows on sources you marked done (D)"))
        else:
            found.append(("Blind mode: on (hide others' work until I mark a source done)",
                          partial(screen.set_blind, True), "independent coding"))
        return found

    async def discover(self) -> Hits:
        for text, callback, help_text in self.commands():
            yield DiscoveryHit(Content(for_display_line(text)), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self.commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight_matches(matcher, text), callback, text=text, help=help_text)


class SavedQueriesProvider(Provider):
    """Command palette entries "Saved search: NAME" that run the saved query.

    Register it on the app (`COMMANDS = App.COMMANDS | {SavedQueriesProvider}`). Running one
    calls the active screen's `action_search(query)` when it has one (the main screen), and
    otherwise opens a SearchScreen on top.
    """

    def _db(self):
        return getattr(self.screen, "db", None) or getattr(self.app, "db", None)

    def _entries(self) -> list[tuple[str, str]]:
        from postil.store import search_saved  # the query parser: see tui/startup.py, 'Dialogs'

        db = self._db()
        if db is None:
            return []
        try:
            return search_saved.saved_queries(db)
        except StoreError:
            return []

    def _run(self, query: str) -> None:
        from postil.tui.screens.search import SearchScreen  # on first use: see tui/startup.py, 'Dialogs'

        screen = self.app.screen
        if hasattr(screen, "action_search"):
            screen.action_search(query)
        elif isinstance(screen, SearchScreen):
            screen.query_one("#query", Input).value = query
        else:
            self.app.push_screen(SearchScreen(self._db(), query))

    # The palette parses `help` as markup, so the (untrusted) query goes in the Content shown
    # as the entry itself, and help stays a fixed string.
    HELP = "run this saved search"

    @staticmethod
    def _label(name: str, query: str) -> str:
        return for_display_line(f"Saved search: {name} — {query}")

    async def discover(self) -> Hits:
        for name, query in self._entries():
            label = self._label(name, query)
            yield DiscoveryHit(Content(label), partial(self._run, query), text=label, help=self.HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, saved in self._entries():
            label = self._label(name, saved)
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, Content(label), partial(self._run, saved), text=label, help=self.HELP)
