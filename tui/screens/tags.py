"""The tags screen (`T`): the codebook, with every tag's colour, description, key and counts.

Every change goes through an undoable `tui.undo` change on the session's stack, so `u` on
the main screen takes back a rename, merge, recolour, description edit, delete or new tag.
"""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from postil.sources.sanitise import for_display_line
from postil.store import sources as store_sources
from postil.store import tags as store_tags
from postil.store.errors import StoreError
from postil.store.models import Tag
from postil.tui import undo_changes as changes
from postil.tui.screens.ask import AskChoice, AskConfirm, AskText
from postil.tui.screens.render import clip, plain, swatch
from postil.tui.undo import UndoStack
from postil.tui.widgets.grid import Grid
from postil.tui.wording import counted

FIXED_COLUMNS = 4
"""key, colour, tag and total stay in view while the table scrolls right through the sources."""
COUNTED_AT_ONCE = 16
"""Sources whose counts are read together when one comes into view (~9 fit in 160 columns)."""


class TagsScreen(Screen[None]):
    """List and edit the tags; escape goes back."""

    CSS_PATH = "tags.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("n", "new", "New"),
        Binding("r", "rename", "Rename"),
        Binding("c", "recolor", "Colour"),
        Binding("d", "describe", "Describe"),
        Binding("m", "merge", "Merge into"),
        Binding("x", "delete", "Delete"),
    ]

    def __init__(self, db: sqlite3.Connection, undo_stack: UndoStack) -> None:
        super().__init__()
        self.db = db
        self.undo_stack = undo_stack
        self.tags: list[Tag] = []
        """The tags as last loaded, in table order."""

    def compose(self) -> ComposeResult:
        yield Static(Content("Tags (codebook)"), id="title")
        yield Grid(id="tags", fixed_columns=FIXED_COLUMNS, zebra_stripes=True)
        yield Static(id="detail")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_table()

    # --- drawing ----------------------------------------------------------------------

    def refresh_table(self, select: str | None = None) -> None:
        """Reload tags and counts from the store; keep the cursor on `select` (a name) if given."""
        table = self.query_one(Grid)
        current = select or (self.selected.name if self.selected else None)
        self.tags = store_tags.list_tags(self.db)
        self._sources = store_sources.list_sources(self.db)
        # Counts are read for the sources in view as they come into view (`_cell`), and for
        # the selected tag (`_show_detail`): all of them cost ~300 ms at 100,000 highlights.
        self._counts: dict[tuple[int, int], int] = {}
        self._counted: set[int] = set()
        self._by_tag: dict[int, dict[int, int]] = {}
        # Every source has its column (it once stopped at 6); the table scrolls sideways, and
        # a cell is made only when it comes into view: a DataTable rendered all 200 source
        # columns of a row to draw it.
        headers = [Text("key"), Text(""), Text("tag"), Text("total")]
        headers += [plain(source.title, 14) for source in self._sources]
        headers.append(Text("description"))
        widths = [
            max([3] + [len(str(tag.digit)) for tag in self.tags if tag.digit]),
            2,
            max([3] + [plain(tag.name).cell_len for tag in self.tags]),
            max([5] + [len(str(tag.count)) for tag in self.tags]),
            # No tag's count in a source is more than the source's highlights.
            *(max(header.cell_len, len(str(source.highlight_count or ""))) for header, source in
              zip(headers[FIXED_COLUMNS:], self._sources)),
            max([11] + [plain(tag.description, 60).cell_len for tag in self.tags]),
        ]
        names = [t.name.casefold() for t in self.tags]
        row = names.index(current.casefold()) if current and current.casefold() in names else 0
        table.set_table(headers, widths, len(self.tags), self._cell, cursor_row=row)
        self._show_detail()

    def _cell(self, row: int, column: int) -> Text:
        """The text of one cell: key, colour, tag, total, a column per source, description."""
        tag = self.tags[row]
        if column >= FIXED_COLUMNS + len(self._sources):
            return plain(tag.description, 60)
        if column >= FIXED_COLUMNS:
            source = self._sources[column - FIXED_COLUMNS]
            if source.id not in self._counted:
                self._count_from(column - FIXED_COLUMNS)
            return Text(str(self._counts.get((tag.id, source.id), "")), justify="right")
        if column == 0:
            return Text(str(tag.digit) if tag.digit else "")
        if column == 1:
            return swatch(tag.color)
        if column == 2:
            return plain(tag.name)
        return Text(str(tag.count), justify="right")

    def _count_from(self, index: int) -> None:
        """Read the counts of the sources from `index` on, as many as a wide screen shows."""
        batch = [s.id for s in self._sources[index : index + COUNTED_AT_ONCE] if s.id not in self._counted]
        self._counts.update(store_tags.counts_per_source(self.db, batch))
        self._counted.update(batch)

    def _tag_counts(self, tag: Tag) -> dict[int, int]:
        """source id -> highlights of `tag` there (read once per tag while the screen is open)."""
        if tag.id not in self._by_tag:
            self._by_tag[tag.id] = store_tags.tag_counts_by_source(self.db, tag.id)
        return self._by_tag[tag.id]

    @property
    def selected(self) -> Tag | None:
        table = self.query_one(Grid)
        if not self.tags or table.row_count == 0:
            return None
        return self.tags[min(table.cursor_row, len(self.tags) - 1)]

    @on(Grid.RowHighlighted)
    def _show_detail(self) -> None:
        tag = self.selected
        detail = self.query_one("#detail", Static)
        if tag is None:
            detail.update(Content("No tags yet: n creates one."))
            return
        counts = self._tag_counts(tag)
        per_source = [f"{clip(s.title, 30)}: {counts[s.id]}" for s in self._sources if s.id in counts]
        lines = [
            f"{for_display_line(tag.name)} ({tag.color}): {for_display_line(tag.description) or 'no description'}",
            "by source: " + ("; ".join(per_source) if per_source else "not used yet"),
        ]
        detail.update(Content("\n".join(lines)))

    def say(self, message: str, *, error: bool = False) -> None:
        """One line under the table: what happened, or what went wrong."""
        status = self.query_one("#status", Static)
        status.set_class(error, "error")
        status.update(Content(for_display_line(message)))

    def _do(self, change: changes.Change, select: str | None = None) -> bool:
        try:
            self.undo_stack.do(change)
        except StoreError as error:
            self.say(str(error), error=True)
            return False
        self.say(f"{change.label} (u on the main screen undoes it)")
        self.refresh_table(select)
        return True

    # --- actions ----------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        def done(name: str | None) -> None:
            if name and name.strip():
                self._do(changes.CreateTag(name.strip()), select=name.strip())

        self.app.push_screen(AskText("New tag name:", placeholder="e.g. durability"), done)

    def action_rename(self) -> None:
        tag = self.selected
        if tag is None:
            return

        def done(name: str | None) -> None:
            if name and name.strip() and name.strip() != tag.name:
                self._do(changes.RenameTag(tag.name, name.strip()), select=name.strip())

        self.app.push_screen(AskText(f"Rename tag {tag.name} to:", tag.name), done)

    def action_recolor(self) -> None:
        tag = self.selected
        if tag is None:
            return

        def done(color: str | None) -> None:
            if color and color.strip():
                self._do(changes.EditTag(tag.name, color=color.strip()), select=tag.name)

        prompt = f"Colour for {tag.name} (a name like cyan or a code like #3a7bd5):"
        self.app.push_screen(AskText(prompt, tag.color), done)

    def action_describe(self) -> None:
        tag = self.selected
        if tag is None:
            return

        def done(text: str | None) -> None:
            if text is not None and text.strip() != tag.description:
                self._do(changes.EditTag(tag.name, description=text.strip()), select=tag.name)

        self.app.push_screen(AskText(f"Description of {tag.name}:", tag.description), done)

    def action_merge(self) -> None:
        tag = self.selected
        if tag is None:
            return
        others = [t.name for t in self.tags if t.id != tag.id]
        if not others:
            self.say("there is no other tag to merge into", error=True)
            return

        def done(into: str | None) -> None:
            if into:
                self._do(changes.MergeTags(tag.name, into), select=into)

        prompt = f"Merge {tag.name} ({counted(tag.count, 'highlight')}) into:"
        self.app.push_screen(AskChoice(prompt, others), done)

    def action_delete(self) -> None:
        tag = self.selected
        if tag is None:
            return
        if tag.count == 0:
            self._do(changes.DeleteTag(tag.name))
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._do(changes.DeleteTag(tag.name))

        question = f"Tag {tag.name} is on {counted(tag.count, 'highlight')}. Delete it (the highlights stay)? y/n"
        self.app.push_screen(AskConfirm(question), done)
