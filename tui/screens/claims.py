"""The claims view (`L`): every claim (a highlight tagged outcome or mechanism, linked or not,
or one that others link to), with the highlights linked to it under it: relation, quote and
source.

A claim with nothing linked is flagged "no links", one whose links hold no caveat (nothing
qualifies or contradicts it, no linked caveat) "no caveat", so that an outcome nobody has
questioned stands out (`store.claims.claims`). `enter` on a claim opens it; on a linked
highlight, opens that one (dismissing with its id; the main screen opens it).

The list shows a page of claims at once and reads the rest as it comes into view
(`claims_window`). The title's counts and the list's length come from the list's index
(`store.claim_pages.claim_index`, ~250 ms at 100,000 highlights), read in a worker thread
on its own connection after the first page is painted: until it arrives the title says the
claims are being counted, the list is the pages read from the first, and `end` waits for it.
"""

from __future__ import annotations

import asyncio
import sqlite3

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from postil.store import tags as store_tags
from postil.store.claim_pages import ClaimIndex, claim_index
from postil.store.claims import CLAIM_TAGS, Claim
from postil.store.reviewers import BlindView
from postil.tui.latest_read import LatestRead
from postil.tui.note_render import note_line
from postil.tui.screens.claims_window import CLAIM, EMPTY, NOTE, PAGE, PENDING, ClaimWindow, Row
from postil.tui.screens.render import plain, tag_chips
from postil.tui.widgets.row_list import RowList

FIRST_PAGE = PAGE
TITLE = f"Claims ({', '.join(CLAIM_TAGS)}, and what others link to): "
LEGEND = " ← a linked highlight acts on the claim, → the claim on it."
NO_LINKS = " no links "
NO_CAVEAT = " no caveat "


def claim_row(claim: Claim, colors: dict[str, str]) -> Text:
    """The claim itself: a flag when it has no links or no caveat, its tags, quote and source."""
    h = claim.highlight
    row = Text(end="")
    if not claim.links:
        row.append(NO_LINKS, style="bold black on yellow")
        row.append(" ")
    elif not claim.has_caveat:
        row.append(NO_CAVEAT, style="black on dark_orange")
        row.append(" ")
    if h.tags:
        row.append_text(tag_chips(h.tags, colors))
        row.append(" ")
    row.append_text(plain(h.quote, 100, style="bold"))
    row.append("  — ", style="dim")
    row.append_text(plain(h.source_title, 40, style="italic dim"))
    return row


def note_row(claim: Claim) -> Text:
    """The claim's note (rendered Markdown), on a line of its own under it."""
    row = Text("      ✎ ", style="dim", end="")
    row.append_text(note_line(claim.highlight.note, 110, style="italic"))
    return row


def link_row(relation: str, outgoing: bool, quote: str, source_title: str) -> Text:
    """`    ← qualifies  “the other quote” — its source` (← it acts on the claim, → the claim on it)."""
    row = Text("      ", end="")
    row.append(f"{'→' if outgoing else '←'} {relation:<12}", style="bold red" if relation == "contradicts" else "bold")
    row.append_text(plain(quote, 90))
    row.append("  — ", style="dim")
    row.append_text(plain(source_title, 40, style="italic dim"))
    return row


class ClaimsScreen(Screen["str | None"]):
    """Dismisses with the id of the highlight chosen, or None."""

    CSS_PATH = "claims.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "open", "Open highlight", priority=True),  # shown in the footer over the list's own enter
    ]

    def __init__(self, db: sqlite3.Connection, view: BlindView | None = None) -> None:
        super().__init__()
        self.db = db
        self.view = view
        """Blind mode: what I may see (others' hidden work is left out)."""
        self.window = ClaimWindow(db, view)
        """The list's rows: the claims read so far, placed in the whole list."""
        self.indexed = asyncio.Event()
        """Set when the list's index has arrived (or could not be read)."""
        self.reads = LatestRead(self, db, "claims-index")
        """The index, read by a worker on its own connection once the first page is painted."""
        self.reading = False
        """Rows are being read: the list's scrolling as they arrive must not read more."""
        self.tag_colors: dict[str, str] = {}

    @property
    def rows(self) -> list[Row]:
        """The rows read so far."""
        return self.window.rows

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield ClaimRows(self, id="claims")
        yield Footer()

    def on_mount(self) -> None:
        # One page of claims, and the counts once painted: reading all 56,000 claims of
        # 100,000 highlights with their links took 1.3 s; counting them ~85 ms of ~140.
        self.tag_colors = {t.name: t.color for t in store_tags.list_tags(self.db, counts=False)}
        self._title("counting…")
        self.window.open()
        listing = self.query_one(ClaimRows)
        listing.set_items(self.window, self.window)
        if self.window.rows:
            listing.highlighted = 0
        listing.focus()
        self.call_after_refresh(self._read_index)

    def _read_index(self) -> None:
        view = self.view
        self.reads.run(lambda db: claim_index(db, view=view), lambda index: self.show_index(index, ""),
                       lambda error: self.show_index(None, error))

    def show_index(self, index: ClaimIndex | None, error: str) -> None:
        """The index arrived: the counts in the title, the whole list's length in the list."""
        self.indexed.set()
        if not self.is_attached:  # dismissed while the worker read it
            return
        if index is None:
            self._title(f"not counted ({error}).")
            return
        counts = index.counts
        self._title(f"{counts.claims} · {counts.unlinked} with no links · {counts.uncaveated} linked, none to a caveat.")
        self.window.set_index(index)
        listing = self.query_one(ClaimRows)
        listing.set_items(self.window, self.window)
        self.ensure(int(listing.scroll_y), int(listing.scroll_y) + listing.size.height)

    def _title(self, counts: str) -> None:
        self.query_one("#title", Static).update(Content(TITLE + counts + LEGEND))

    def ensure(self, lo: int, hi: int) -> None:
        """Read what the rows lo..hi-1 of the list need (see claims_window)."""
        if self.reading:
            return
        self.reading = True
        try:
            if self.window.ensure(lo, hi):
                self.query_one(ClaimRows).set_items(self.window, self.window)
        finally:
            self.reading = False

    def on_unmount(self) -> None:
        self.reads.drop()
        self.indexed.set()  # an `end` waiting for the index of a dismissed view gives up

    async def to_end(self) -> bool:
        """Read the last rows (the index tells where they are: wait for it); False when the
        view was dismissed meanwhile."""
        await self.indexed.wait()
        if not self.is_attached:
            return False
        if self.window.index is None:
            self.window.read_everything()
            self.query_one(ClaimRows).set_items(self.window, self.window)
        else:
            self.ensure(len(self.window) - self.size.height, len(self.window))
        return True

    def describe(self, row: Row, width: int) -> list[Content]:
        """The one line of a row of the list."""
        if row.link == EMPTY:
            return [Content("No claims yet: tag a highlight outcome or mechanism (the digits).")]
        if row.link == PENDING:
            return [Content.styled("      …", "dim")]
        claim = self.window.claim(row)
        if row.link == CLAIM:
            text = claim_row(claim, self.tag_colors)
        elif row.link == NOTE:
            text = note_row(claim)
        else:
            link = claim.links[row.link]
            text = link_row(link.relation, link.outgoing, link.other.quote, link.other.source_title)
        return [Content.from_rich_text(text)]

    def target(self, row: Row) -> str | None:
        """The id of the highlight a row opens: the claim's, or the linked highlight's."""
        if row.link in (EMPTY, PENDING):
            return None
        claim = self.window.claim(row)
        return claim.highlight.id if row.link in (CLAIM, NOTE) else claim.links[row.link].other.id

    def action_open(self) -> None:
        listing = self.query_one(ClaimRows)
        if listing.highlighted is not None:
            self._open(self.target(listing.items[listing.highlighted]))

    def _open(self, highlight_id: str | None) -> None:
        if highlight_id:
            self.dismiss(highlight_id)

    def action_close(self) -> None:
        self.dismiss(None)


class ClaimRows(RowList):
    """The list: each claim, its note, then its links; the cursor passes over notes."""

    def __init__(self, screen: ClaimsScreen, *, id: str | None = None) -> None:
        super().__init__(screen.describe, id=id)
        self.owner = screen

    def _around(self, row: int) -> None:
        """Read the rows a screenful either side of `row`."""
        height = self.scrollable_content_region.height
        self.owner.ensure(row - height, row + height)

    def action_move(self, step: int) -> None:
        index = 0 if self.highlighted is None else self.highlighted + step
        self._around(index)
        while 0 <= index < len(self.items) and self.items[index].link == NOTE:
            index += 1 if step > 0 else -1
            self._around(index)
        if 0 <= index < len(self.items):
            self._move_to(index)

    def action_page(self, direction: int) -> None:
        self._around((self.highlighted or 0) + direction * self.scrollable_content_region.height)
        super().action_page(direction)

    def action_first(self) -> None:
        self._around(0)
        super().action_first()

    async def action_last(self) -> None:
        if await self.owner.to_end():
            super().action_last()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Rows scrolled into view (the mouse wheel, the scrollbar) are read."""
        super().watch_scroll_y(old_value, new_value)
        self.owner.ensure(int(new_value), int(new_value) + self.scrollable_content_region.height)

    def _chosen(self, item: Row) -> None:
        self.owner._open(self.owner.target(item))
