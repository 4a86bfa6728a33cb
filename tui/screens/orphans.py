"""The orphans view (`O`): highlights whose place in their source was lost or is uncertain.

Orphaned highlights (quote no longer found after the source changed) and fuzzy ones
(matched approximately, awaiting `a` in the reader) are listed with source, quote and note.
`enter` dismisses with the highlight's id so the main screen can open it.
"""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from postil.store import sources as store_sources
from postil.store.models import Highlight
from postil.store.reanchor import fuzzy_highlights, orphans
from postil.store.reviewers import BlindView
from postil.tui.screens.render import plain


class OrphansScreen(Screen["str | None"]):
    """Dismisses with the id of the highlight chosen, or None."""

    CSS_PATH = "orphans.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "open", "Open highlight"),
    ]

    def __init__(self, db: sqlite3.Connection, view: BlindView | None = None) -> None:
        super().__init__()
        self.db = db
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
        titles = {s.id: s.title for s in store_sources.list_sources(self.db)}
        self.query_one("#title", Static).update(
            Content(
                f"{len(lost)} orphaned (text no longer found; kept with tags, note and links), "
                f"{len(fuzzy)} fuzzy (placed approximately; a in the reader accepts)"
                if self.rows
                else "Every highlight is anchored in its source's current text."
            )
        )
        table = self.query_one(DataTable)
        for label in ("status", "source", "quote", "note"):
            table.add_column(Text(label), key=label)
        for h in self.rows:
            status = Text(h.anchor_status, style="bold red" if h.anchor_status == "orphaned" else "yellow")
            table.add_row(status, plain(titles.get(h.source_id, ""), 30), plain(h.quote, 60), plain(h.note, 40), key=h.id)
        table.focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.rows:
            self.dismiss(self.rows[table.cursor_row].id)

    def action_close(self) -> None:
        self.dismiss(None)
