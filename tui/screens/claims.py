"""The claims view (`L`): every claim (a highlight tagged outcome or mechanism, linked or not,
or one that others link to), with the highlights linked to it under it: relation, quote and
source.

A claim with nothing linked is flagged "no links", one whose links hold no caveat (nothing
qualifies or contradicts it, no linked caveat) "no caveat", so that an outcome nobody has
questioned stands out (`store.claims.claims`). `enter` on a claim opens it; on a linked
highlight, opens that one (dismissing with its id; the main screen opens it).
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
from postil.store.claims import CLAIM_TAGS, Claim, claims
from postil.store.reviewers import BlindView
from postil.tui.note_render import note_line
from postil.tui.screens.render import plain, tag_chips
from postil.tui.widgets.row_list import RowList

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
        self.tag_colors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield ClaimRows(self, id="claims")
        yield Footer()

    def on_mount(self) -> None:
        self.claims = claims(self.db, view=self.view)
        self.tag_colors = {t.name: t.color for t in store_tags.list_tags(self.db, counts=False)}
        unlinked = sum(1 for c in self.claims if not c.links)
        uncaveated = sum(1 for c in self.claims if c.links and not c.has_caveat)
        self.query_one("#title", Static).update(Content(
            f"Claims ({', '.join(CLAIM_TAGS)}, and what others link to): {len(self.claims)} · {unlinked} with no links · "
            f"{uncaveated} with no caveat. ← a linked highlight acts on the claim, → the claim on it."
        ))
        # Rows are tuples described only when drawn: an OptionList of the 87,000 rows of
        # 100,000 highlights took 28 s to open (it measures every option).
        rows: list[Row] = []
        for number, claim in enumerate(self.claims):
            rows.append(Row(f"c{number}", number, CLAIM))
            if claim.highlight.note.strip():
                rows.append(Row(f"n{number}", number, NOTE))
            rows.extend(Row(f"l{number}.{index}", number, index) for index in range(len(claim.links)))
        listing = self.query_one(ClaimRows)
        listing.set_items(rows or [Row("none", -1, EMPTY)])
        if rows:
            listing.highlighted = 0
        listing.focus()

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
        while 0 <= index < len(self.items) and self.items[index].link == NOTE:
            index += 1 if step > 0 else -1
        if 0 <= index < len(self.items):
            self._move_to(index)

    def _chosen(self, item: Row) -> None:
        self.owner._open(self.owner.target(item))

