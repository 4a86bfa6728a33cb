"""The claims view (`L`): every claim (a highlight tagged outcome or mechanism, linked or not,
or one that others link to), with the highlights linked to it under it: relation, quote and
source.

A claim with nothing linked is flagged "no links", one whose links hold no caveat (nothing
qualifies or contradicts it, no linked caveat) "no caveat", so that an outcome nobody has
questioned stands out (`store.claims.claims`). `enter` on a claim opens it; on a linked
highlight, opens that one (dismissing with its id; the main screen opens it).

The title counts every claim (`store.claim_pages.claim_counts`); the list holds the claims read so
far (`claim_page`), and moving, paging or scrolling near its end reads the next page.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from postil.store import tags as store_tags
from postil.store.claim_pages import ClaimCursor, claim_counts, claim_page
from postil.store.claims import CLAIM_TAGS, Claim
from postil.store.reviewers import BlindView
from postil.tui.note_render import note_line
from postil.tui.screens.render import plain, tag_chips
from postil.tui.widgets.row_list import RowList

FIRST_PAGE = 100
"""Claims read at a time as the list scrolls: a 48-line screen shows at most 48 (~3 ms)."""
LAST_PAGES = 2_000
"""Claims read at a time when `end` needs them all."""
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
        self.claims: list[Claim] = []
        """The claims read so far, in the list's order (pages are added as the list scrolls)."""
        self.rows: list[Row] = []
        self.row_index: dict[str, int] = {}
        """Row id -> its place in `rows`, kept as pages are added (not rebuilt for each)."""
        self.after: ClaimCursor | None = None
        """Where the next page starts."""
        self.read_all = False
        """Every claim is read (the last page said nothing comes after it)."""
        self.reading = False
        """A page is being added: the list's scrolling as it grows must not read another."""
        self.tag_colors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield ClaimRows(self, id="claims")
        yield Footer()

    def on_mount(self) -> None:
        # The title's counts and one page of claims: reading all 56,000 claims of 100,000
        # highlights with their links took 1.3 s, and building their 87,000 rows more.
        counts = claim_counts(self.db, view=self.view)
        self.tag_colors = {t.name: t.color for t in store_tags.list_tags(self.db, counts=False)}
        self.query_one("#title", Static).update(Content(
            f"Claims ({', '.join(CLAIM_TAGS)}, and what others link to): {counts.claims} · {counts.unlinked} with no links · "
            f"{counts.uncaveated} with no caveat. ← a linked highlight acts on the claim, → the claim on it."
        ))
        listing = self.query_one(ClaimRows)
        self.read_page(FIRST_PAGE)
        if not self.rows:
            listing.set_items([Row("none", -1, EMPTY)])
        else:
            listing.highlighted = 0
        listing.focus()

    def read_page(self, limit: int) -> bool:
        """Add the next `limit` claims' rows to the list; False when every claim is read."""
        if self.read_all or self.reading:
            return False
        page = claim_page(self.db, self.after, limit, view=self.view)
        self.after, self.read_all = page.next, page.next is None
        # Rows are tuples described only when drawn: an OptionList of the 87,000 rows of
        # 100,000 highlights took 28 s to open (it measures every option).
        for claim in page.claims:
            number = len(self.claims)
            self.claims.append(claim)
            self.add_row(Row(f"c{number}", number, CLAIM))
            if claim.highlight.note.strip():
                self.add_row(Row(f"n{number}", number, NOTE))
            for index in range(len(claim.links)):
                self.add_row(Row(f"l{number}.{index}", number, index))
        if page.claims:
            self.reading = True
            try:
                self.query_one(ClaimRows).set_items(self.rows, self.row_index)
            finally:
                self.reading = False
        return not self.read_all

    def add_row(self, row: Row) -> None:
        self.row_index[row.id] = len(self.rows)
        self.rows.append(row)

    def read_to(self, row: int | None) -> None:
        """Read pages until the list holds `row` and a screenful beyond it (None: every row)."""
        limit = LAST_PAGES if row is None else FIRST_PAGE
        more = True
        while more and (row is None or len(self.rows) <= row + self.size.height):
            more = self.read_page(limit)

    def describe(self, row: Row, width: int) -> list[Content]:
        """The one line of a row of the list."""
        if row.link == EMPTY:
            return [Content("No claims yet: tag a highlight outcome or mechanism (the digits).")]
        claim = self.claims[row.claim]
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
        if row.link == EMPTY:
            return None
        claim = self.claims[row.claim]
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


class Row(NamedTuple):
    """One line of the claims list: a claim, its note, or one of its links."""

    id: str
    claim: int
    """Index into ClaimsScreen.claims."""
    link: int
    """Index into the claim's links, or CLAIM, NOTE, EMPTY."""


CLAIM, NOTE, EMPTY = -1, -2, -3


class ClaimRows(RowList):
    """The list: each claim, its note, then its links; the cursor passes over notes."""

    def __init__(self, screen: ClaimsScreen, *, id: str | None = None) -> None:
        super().__init__(screen.describe, id=id)
        self.owner = screen

    def action_move(self, step: int) -> None:
        index = 0 if self.highlighted is None else self.highlighted + step
        self.owner.read_to(index)
        while 0 <= index < len(self.items) and self.items[index].link == NOTE:
            index += 1 if step > 0 else -1
            self.owner.read_to(index)
        if 0 <= index < len(self.items):
            self._move_to(index)

    def action_page(self, direction: int) -> None:
        self.owner.read_to((self.highlighted or 0) + self.size.height)
        super().action_page(direction)

    def action_last(self) -> None:
        self.owner.read_to(None)
        super().action_last()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling near the end of the rows read so far reads the next page."""
        super().watch_scroll_y(old_value, new_value)
        self.owner.read_to(int(new_value) + self.size.height)

    def _chosen(self, item: Row) -> None:
        self.owner._open(self.owner.target(item))
