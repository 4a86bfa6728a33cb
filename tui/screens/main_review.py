"""Review teams on the main screen: whose highlights the reader shows, blind mode, "done".

`ReviewerFilter` is a helper the screen owns: it decides which of a source's highlights
reach the reader, the pane and the header counts (blind mode first, then the chosen
filter: everyone's, mine, or one reviewer's) and which marker each reviewer's highlights
get. `ReviewActions` holds the keys: R (whose highlights), D (my coding of this source is
done), A (agreement screen), C (reconcile screen), and the palette's blind-mode switch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from postil.store.errors import StoreError
from postil.store.models import Highlight, Source
from postil.store.reviewers import (
    BlindView,
    authors,
    blind_mode,
    blind_view,
    is_done,
    mark_done,
    set_blind_mode,
    unmark_done,
)

EVERYONE = ""
"""The filter that shows every reviewer's highlights (what blind mode allows)."""

MARK_NAMES = ("underlined", "double-underlined", "overlined", "under- and overlined")
"""How the reader draws other reviewers' highlights, by their mark (1, 2, ...); mine: plain."""


class ReviewerFilter:
    """Which highlights are shown, and how each reviewer's are marked."""

    def __init__(self, me: str) -> None:
        self.me = me
        self.choice: str = EVERYONE
        """EVERYONE, or the one reviewer whose highlights alone are shown (me for "mine")."""
        self.view = BlindView(me, False)
        self.reviewers: list[str] = []
        """Every reviewer, me first: the order of the R key and of the marks."""

    def reload(self, db: sqlite3.Connection) -> None:
        """Read blind mode, my done sources and the reviewers again."""
        self.view = blind_view(db, self.me)
        self.reviewers = [self.me, *(n for n in authors(db) if n != self.me)]
        if self.choice not in self.reviewers:
            self.choice = EVERYONE

    def shows(self, h: Highlight) -> bool:
        if not self.view.shows(h):
            return False
        return self.choice == EVERYONE or h.author == self.choice

    def visible(self, highlights: list[Highlight]) -> list[Highlight]:
        if not self.view.blind and self.choice == EVERYONE:
            return highlights
        return [h for h in highlights if self.shows(h)]

    def mark(self, h: Highlight) -> int:
        """0 for my highlights, 1, 2, ... for each other reviewer's (their order in R)."""
        if h.author == self.me:
            return 0
        try:
            return self.reviewers.index(h.author)
        except ValueError:
            return len(self.reviewers)

    def cycle(self) -> str:
        """Next filter: everyone, mine, then each other reviewer; returns a description."""
        order = [EVERYONE, *self.reviewers]
        at = order.index(self.choice) if self.choice in order else 0
        self.choice = order[(at + 1) % len(order)]
        return self.describe()

    def choose(self, name: str) -> str:
        self.choice = name if name in self.reviewers else EVERYONE
        return self.describe()

    def describe(self) -> str:
        if self.choice == EVERYONE:
            shown = "every reviewer's highlights"
        elif self.choice == self.me:
            shown = "only my highlights"
        else:
            shown = f"only {self.choice}'s highlights"
        legend = [f"{name} {MARK_NAMES[(i - 1) % len(MARK_NAMES)]}" for i, name in enumerate(self.reviewers) if i]
        text = f"showing {shown}" + (f" (mine plain; {', '.join(legend)})" if legend and self.choice == EVERYONE else "")
        return text


class ReviewActions:
    """MainScreen's keys R D A C and the blind-mode switch (a base class of MainScreen only).
    What it uses of the screen, besides Screen's own methods, is declared here."""

    db: sqlite3.Connection
    source: Source | None
    reviewer_filter: ReviewerFilter
    tell: Callable[[str], None]
    report: Callable[[Exception], None]
    refresh_annotations: Callable[..., None]
    action_search: Callable[..., None]
    after_other_screen: Callable[[str | None], None]

    def action_reviewers(self) -> None:
        self.reviewer_filter.reload(self.db)
        self.tell(self.reviewer_filter.cycle())
        self.refresh_annotations()

    def show_reviewer(self, name: str) -> None:
        """Show one reviewer's highlights (EVERYONE: all); for the command palette."""
        self.reviewer_filter.reload(self.db)
        self.tell(self.reviewer_filter.choose(name))
        self.refresh_annotations()

    def action_done(self) -> None:
        if self.source is None:
            self.tell("open a source first")
            return
        me = self.reviewer_filter.me
        try:
            if is_done(self.db, self.source.id, me):
                unmark_done(self.db, self.source.id, me)
                message = "this source is no longer marked done"
                if blind_mode(self.db):
                    message += ": others' work on it is hidden again"
            else:
                mark_done(self.db, self.source.id, me)
                message = "marked your coding of this source done"
                if blind_mode(self.db):
                    message += ": the other reviewers' work on it now shows"
        except StoreError as error:
            self.report(error)
            return
        self.reviewer_filter.reload(self.db)
        self.tell(message)
        self.refresh_annotations()

    def set_blind(self, on: bool) -> None:
        try:
            set_blind_mode(self.db, on)
        except StoreError as error:
            self.report(error)
            return
        self.reviewer_filter.reload(self.db)
        self.tell("blind mode on: others' work shows on a source once you mark it done (D)" if on
                  else "blind mode off: every reviewer's work shows")
        self.refresh_annotations()

    def action_agreement(self) -> None:
        from postil.tui.screens.agreement import AgreementScreen  # on first use: see tui/startup.py, 'Dialogs'
        source_id = self.source.id if self.source is not None else None
        def done(query: str | None) -> None:
            if query:
                self.action_search(query)
            else:
                self.after_other_screen(None)

        self.reviewer_filter.reload(self.db)
        self.app.push_screen(AgreementScreen(self.db, self.reviewer_filter.view, source_id), done)

    def action_reconcile(self) -> None:
        from postil.tui.screens.reconcile import ReconcileScreen  # on first use: see tui/startup.py, 'Dialogs'
        self.reviewer_filter.reload(self.db)
        view = self.reviewer_filter.view
        # Reconciling shows every reviewer's versions: in blind mode, of my done sources only.
        sources = sorted(view.done) if view.blind else None
        source_id = self.source.id if self.source is not None else None
        self.app.push_screen(ReconcileScreen(self.db, view.reviewer, source_id, sources, writes=self.app.writes),
                             self.after_other_screen)
