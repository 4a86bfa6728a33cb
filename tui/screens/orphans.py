"""The orphans view (`O`): highlights whose place in their source was lost or is uncertain.

Orphaned highlights (quote no longer found after the source changed) and fuzzy ones
(matched approximately, awaiting `a` in the reader) are listed with source, quote and note.
`enter` dismisses with the highlight's id so the main screen can open it; `r` dismisses with
a `Reattach` so the main screen opens it ready to re-attach to a selection; `a` accepts a
fuzzy row where it is, through the session's undo stack.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from postil.store import sources as store_sources
from postil.store.errors import StoreError
from postil.store.models import Highlight
from postil.store.reanchor import fuzzy_highlights, orphans
from postil.store.reviewers import BlindView
from postil.tui.note_render import note_line
from postil.tui.screens.render import plain
from postil.tui.undo import MoveAnchor, UndoStack


@dataclass(frozen=True)
class Reattach:
    """The reviewer chose to re-attach this highlight to a selection in its source."""

    highlight_id: str


class OrphansScreen(Screen["str | Reattach | None"]):
    """Dismisses with the id of the highlight chosen, a `Reattach`, or None."""

    CSS_PATH = "orphans.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "open", "Open highlight"),
        Binding("r", "reattach", "Re-attach to a selection"),
        Binding("a", "accept", "Accept fuzzy"),
    ]

    def __init__(self, db: sqlite3.Connection, view: BlindView | None = None, undo: UndoStack | None = None) -> None:
        super().__init__()
        self.db = db
        self.undo = undo
        """The session's undo stack (`a` accepts through it); None: `a` is not offered."""
        self.view = view
        """Blind mode: what I may see (others' hidden highlights are left out)."""
        self.rows: list[Highlight] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield DataTable(id="orphans", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        lost, fuzzy = orphans(self.db), fuzzy_highlights(self.db)
        if self.view is not None:
            lost, fuzzy = self.view.visible(lost), self.view.visible(fuzzy)
        self.rows = lost + fuzzy
        self._say(lost, fuzzy)
        titles = {s.id: s.title for s in store_sources.list_sources(self.db)}
        table = self.query_one(DataTable)
        for label in ("status", "source", "quote", "note"):
            table.add_column(Text(label), key=label)
        for h in self.rows:
            status = Text(h.anchor_status, style="bold red" if h.anchor_status == "orphaned" else "yellow")
            table.add_row(status, plain(titles.get(h.source_id, ""), 30), plain(h.quote, 60), note_line(h.note, 40), key=h.id)
        table.focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.rows:
            self.dismiss(self.rows[table.cursor_row].id)

    def _say(self, lost: list[Highlight], fuzzy: list[Highlight], done: str = "") -> None:
        self.query_one("#title", Static).update(
            Content(
                f"{done}{len(lost)} orphaned (text no longer found; kept with tags, note and links), "
                f"{len(fuzzy)} fuzzy (placed approximately). "
                "r re-attaches to a selection, a accepts a fuzzy one where it is, enter opens"
                if lost or fuzzy
                else f"{done}Every highlight is anchored in its source's current text."
            )
        )

    def _current(self) -> Highlight | None:
        return self.rows[self.query_one(DataTable).cursor_row] if self.rows else None

    def action_reattach(self) -> None:
        h = self._current()
        if h is not None:
            self.dismiss(Reattach(h.id))

    def action_accept(self) -> None:
        h = self._current()
        if h is None or self.undo is None:
            return
        if h.anchor_status != "fuzzy":
            self.notify("an orphan has no place to accept: r re-attaches it to a selection")
            return
        try:
            self.undo.do(MoveAnchor(h.id))
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        table = self.query_one(DataTable)
        table.remove_row(h.id)
        self.rows.remove(h)
        lost = [r for r in self.rows if r.anchor_status == "orphaned"]
        self._say(lost, [r for r in self.rows if r.anchor_status == "fuzzy"], "1 anchor accepted (u undoes). ")

    def action_close(self) -> None:
        self.dismiss(None)
