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
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from postil.store import sources as store_sources
from postil.store.errors import StoreError
from postil.store.models import Highlight
from postil.store.reanchor import fuzzy_highlights, orphans
from postil.store.reviewers import BlindView
from postil.tui.note_render import note_line
from postil.tui.screens.render import plain
from postil.tui.undo import UndoStack
from postil.tui.undo_changes import MoveAnchor
from postil.tui.widgets.row_list import RowList


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
        self.titles: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="columns")
        yield OrphanRows(self, id="orphans")
        yield Footer()

    def on_mount(self) -> None:
        lost, fuzzy = orphans(self.db), fuzzy_highlights(self.db)
        if self.view is not None:
            lost, fuzzy = self.view.visible(lost), self.view.visible(fuzzy)
        self.rows = lost + fuzzy
        self._say(lost, fuzzy)
        self.titles = {s.id: s.title for s in store_sources.list_sources(self.db)}
        # Rows are described only when drawn: a DataTable measured every cell of the 4,000
        # rows of 100,000 highlights (1 s to open).
        table = self.query_one(OrphanRows)
        table.set_items(self.rows)
        if self.rows:
            table.highlighted = 0
        table.focus()

    def describe(self, h: Highlight, width: int) -> list[Content]:
        """A row: status, source, quote and note in columns."""
        status = Text(h.anchor_status, style="bold red" if h.anchor_status == "orphaned" else "yellow")
        cells = [status, plain(self.titles.get(h.source_id, ""), 30), plain(h.quote, 60), note_line(h.note, 40)]
        return [_line(cells, width)]

    def on_resize(self) -> None:
        # The header follows the rows' columns, which narrow with the terminal.
        width = self.size.width - 2  # the list's padding
        self.query_one("#columns", Static).update(_line([Text(label, style="bold") for label in HEADINGS], width))

    def action_open(self) -> None:
        h = self._current()
        if h is not None:
            self.dismiss(h.id)

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
        row = self.query_one(OrphanRows).highlighted
        return self.rows[row] if self.rows and row is not None else None

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
        self.rows.remove(h)
        self.query_one(OrphanRows).set_items(self.rows)
        lost = [r for r in self.rows if r.anchor_status == "orphaned"]
        self._say(lost, [r for r in self.rows if r.anchor_status == "fuzzy"], "1 anchor accepted (u undoes). ")

    def action_close(self) -> None:
        self.dismiss(None)


HEADINGS = ("status", "source", "quote", "note")
WIDTHS = (9, 31, 61, 40)
"""Characters of each column when the screen has room (texts are cut to one less)."""


def widths(width: int) -> tuple[int, ...]:
    """The columns' widths on a line of `width`: narrower, source and note give way to the quote."""
    if width >= sum(WIDTHS):
        return WIDTHS
    rest = max(0, width - WIDTHS[0])
    source, note = min(WIDTHS[1], rest // 4), min(WIDTHS[3], rest // 5)
    return WIDTHS[0], source, rest - source - note, note


def _line(cells: list[Text], width: int) -> Content:
    """Cells side by side, each cut or padded to its column's width, a space between."""
    parts: list[Content | str] = []
    for cell, size in zip(cells, widths(width)):
        parts += [Content.from_rich_text(cell).truncate(max(0, size - 1), ellipsis=True, pad=True), " "]
    return Content.assemble(*parts)


class OrphanRows(RowList):
    """The list of orphaned and fuzzy highlights; enter opens one."""

    def __init__(self, screen: OrphansScreen, *, id: str | None = None) -> None:
        super().__init__(screen.describe, id=id)
        self.owner = screen

    def _chosen(self, item: Highlight) -> None:
        self.owner.dismiss(item.id)
