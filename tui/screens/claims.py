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

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from postil.store import tags as store_tags
from postil.store.claims import CLAIM_TAGS, Claim, claims
from postil.store.reviewers import BlindView
from postil.tui.note_render import note_line
from postil.tui.screens.render import plain, tag_chips

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
    if h.note.strip():  # the claim's note (rendered Markdown) on a line of its own
        row.append("\n      ✎ ", style="dim")
        row.append_text(note_line(h.note, 110, style="italic"))
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

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield OptionList(id="claims")
        yield Footer()

    def on_mount(self) -> None:
        self.claims = claims(self.db, view=self.view)
        colors = {t.name: t.color for t in store_tags.list_tags(self.db, counts=False)}
        unlinked = sum(1 for c in self.claims if not c.links)
        uncaveated = sum(1 for c in self.claims if c.links and not c.has_caveat)
        self.query_one("#title", Static).update(Content(
            f"Claims ({', '.join(CLAIM_TAGS)}, and what others link to): {len(self.claims)} · {unlinked} with no links · "
            f"{uncaveated} with no caveat. ← a linked highlight acts on the claim, → the claim on it."
        ))
        options: list[Option] = []
        for number, claim in enumerate(self.claims):
            options.append(Option(claim_row(claim, colors), id=f"c{number}:{claim.highlight.id}"))
            for index, link in enumerate(claim.links):
                row = link_row(link.relation, link.outgoing, link.other.quote, link.other.source_title)
                options.append(Option(row, id=f"l{number}.{index}:{link.other.id}"))
        listing = self.query_one(OptionList)
        if not options:
            listing.add_option(Option(Text("No claims yet: tag a highlight outcome or mechanism (the digits)."), disabled=True))
            return
        listing.add_options(options)
        listing.highlighted = 0
        listing.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option.id)

    def action_open(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is not None:
            self._open(listing.get_option_at_index(listing.highlighted).id)

    def _open(self, option_id: str | None) -> None:
        if option_id and ":" in option_id:
            self.dismiss(option_id.split(":", 1)[1])

    def action_close(self) -> None:
        self.dismiss(None)
