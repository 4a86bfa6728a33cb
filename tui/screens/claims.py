"""The claims view (`L`): clusters of linked highlights, with how many sources back each side.

Counts come from `store.claims.clusters`: per relation, the number of distinct sources of
highlights at the FROM end of links with that relation in the cluster. `enter` on a
highlight dismisses with its id, and the main screen opens it.
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
from postil.store.claims import Cluster, clusters
from postil.store.reviewers import BlindView
from postil.tui.screens.render import plain, tag_chips

SHOWN_RELATIONS = ("supports", "contradicts", "qualifies")
"""Always shown in a cluster's header; other relations appear when used."""


def cluster_header(number: int, cluster: Cluster) -> Text:
    """`Claim 1 · 3 highlights in 2 sources · supports 2 · contradicts 1 · qualifies 0`."""
    n, s = len(cluster.highlights), len(cluster.sources)
    header = Text(f"Claim {number} · {n} highlight{'s' * (n != 1)} in {s} source{'s' * (s != 1)}", style="bold", end="")
    for relation, count in cluster.counts.items():
        if relation in SHOWN_RELATIONS or count:
            style = "bold red" if relation == "contradicts" and count else "bold green" if relation == "supports" and count else ""
            header.append(" · ")
            header.append(f"{relation} {count}", style=style)
    return header


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
        """Blind mode: what I may see (links to others' hidden work are left out)."""
        self.clusters: list[Cluster] = []

    def compose(self) -> ComposeResult:
        yield Static(
            Content("Claims: highlights joined by links. Counts are distinct sources on the FROM side of each relation."),
            id="title",
        )
        yield OptionList(id="claims")
        yield Footer()

    def on_mount(self) -> None:
        self.clusters = clusters(self.db, self.view)
        colors = {t.name: t.color for t in store_tags.list_tags(self.db, counts=False)}
        options: list[Option] = []
        for number, cluster in enumerate(self.clusters, start=1):
            options.append(Option(cluster_header(number, cluster), id=f"c{number}", disabled=True))
            for h in cluster.highlights:
                row = Text("  ", end="")
                if h.tags:
                    row.append_text(tag_chips(h.tags, colors))
                    row.append(" ")
                row.append_text(plain(h.quote, 90))
                row.append("  — ", style="dim")
                row.append_text(plain(h.source_title, 40, style="italic dim"))
                options.append(Option(row, id=f"h{number}:{h.id}"))
        listing = self.query_one(OptionList)
        if not options:
            listing.add_option(Option(Text("No links yet: l on a highlight links it to another."), disabled=True))
            return
        listing.add_options(options)
        listing.highlighted = 1
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
        if option_id and option_id.startswith("h"):
            self.dismiss(option_id.split(":", 1)[1])

    def action_close(self) -> None:
        self.dismiss(None)
