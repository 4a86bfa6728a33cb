"""The reconcile screen (`C`): the queue of places where reviewers differ, and deciding them.

The list holds the undecided places (store.reconcile.places), the panel under it the
versions of the highlighted one, numbered. `1`-`9` keep that version as the consensus,
`w` merges over the wider extent, `n` over the narrower one, `x` drops the place (no
consensus), `a` copies every place coded alike into the consensus, `u` undoes the last
decision made here, `enter` goes to the place in the reader. The versions always stay.

When another program holds the write lock, a decision is not refused: it waits in the
app's write queue (tui/write_queue.py), its row says so, and it is counted as made once
written; `u` takes a decision back out of the queue if it has not started.
"""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line
from postil.store import reconcile as store_reconcile
from postil.store.db import DatabaseBusy
from postil.store.errors import StoreError
from postil.store.reconcile import Decision, Place
from postil.tui.screens.render import plain
from postil.tui.write_queue import PendingWrite, WriteQueue, write_or_queue

AGREED = "*agreed*"
"""The queue key of `a` (copy every place coded alike): no place key looks like it."""

KINDS = {
    "only": "coded by {reviewers} only",
    "tags": "same passage, other tags",
    "extent": "other extents",
}


class ReconcileScreen(Screen["str | None"]):
    """Dismisses with the id of a highlight to show in the reader, or None."""

    CSS_PATH = "reconcile.tcss"

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "go", "Go to", priority=True),
        Binding("1", "keep(1)", "Keep 1-9"),
        Binding("2", "keep(2)", "Keep 2", show=False),
        *(Binding(str(n), f"keep({n})", f"Keep {n}", show=False) for n in range(3, 10)),
        Binding("w", "merge('merge-wider')", "Wide"),
        Binding("n", "merge('merge-narrower')", "Narrow"),
        Binding("x", "drop", "Drop"),
        Binding("a", "agreed", "Agreed→consensus", show=False),
        Binding("u", "undo", "Undo"),
    ]

    def __init__(self, db: sqlite3.Connection, me: str, source_id: int | None = None,
                 sources: list[int] | None = None, writes: WriteQueue | None = None) -> None:
        """
        Args:
            source_id: the source open in the reader (its places come first).
            sources: only these sources (blind mode: those I marked done); None: all.
            writes: where a decision waits when the database is busy (None: refused instead).
        """
        super().__init__()
        self.db = db
        self.me = me
        self.sources = sources
        self.focus_source = source_id
        self.places: list[Place] = []
        self.made: list[int] = []
        """Decisions made on this screen, for `u` (latest last)."""
        self.writes = writes
        self.queued: dict[str, PendingWrite] = {}
        """Decisions waiting for the busy database, by place key (newer than every `made`)."""

    def compose(self) -> ComposeResult:
        yield Static(id="reconcile-title")
        yield OptionList(id="reconcile-places")
        yield Static(id="reconcile-versions")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self, keep_index: int = 0, *, key: str | None = None) -> None:
        """Read the queue again; highlight the place `key`, else the row at `keep_index`."""
        try:
            found = store_reconcile.places(self.db, source_ids=self.sources)
        except StoreError as error:
            self.say(str(error), error=True)
            found = []
        if self.focus_source is not None:
            found.sort(key=lambda p: p.source_id != self.focus_source)  # stable: text order kept
        self.places = found
        self._draw_rows()
        title = (f"Reconcile: {len(found)} place{'s' * (len(found) != 1)} where reviewers differ"
                 if found else "Reconcile: no disagreements left (a: copy places coded alike into the consensus)")
        self.query_one("#reconcile-title", Static).update(Text(title))
        keys = [p.key for p in found]
        if key in keys:
            keep_index = keys.index(key)
        if found:
            self.query_one(OptionList).highlighted = min(keep_index, len(found) - 1)
        self.show_versions()

    def _draw_rows(self) -> None:
        """One row per place: what differs, then the first version's quote and its source. The
        kind column is as wide as its longest label; under 100 columns the source follows the
        quote, because at 60 a source column left the quote two letters ('the d…')."""
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        kinds = [KINDS[p.kind].format(reviewers=", ".join(p.reviewers)) for p in self.places]
        kind_width = max(map(len, kinds), default=0)
        wide = self.app.size.width >= 100
        for place, kind in zip(self.places, kinds):
            row = Text(end="", no_wrap=True, overflow="ellipsis")
            if place.key in self.queued:
                row.append(f"queued: {self.queued[place.key].label.removeprefix('reconcile ')}  ", style="italic")
            row.append(f"{kind:<{kind_width}}  ", style="bold")
            quote = plain(" ".join(place.versions[0].quote.split()), 60)
            if wide:
                row.append_text(plain(place.source_title, 24, style="dim"))
                row.append(" ")
                row.append_text(quote)
            else:
                row.append_text(quote)
                row.append("  ·  ", style="dim")
                row.append_text(plain(place.source_title, 40, style="dim"))
            options.add_option(Option(row, id=place.key))
        if highlighted is not None and self.places:
            options.highlighted = min(highlighted, len(self.places) - 1)

    def on_resize(self) -> None:
        if self.places:
            self._draw_rows()

    def current(self) -> Place | None:
        index = self.query_one(OptionList).highlighted
        return self.places[index] if index is not None and 0 <= index < len(self.places) else None

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        self.show_versions()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_go()

    def show_versions(self) -> None:
        place = self.current()
        panel = self.query_one("#reconcile-versions", Static)
        if place is None:
            panel.update(Text(""))
            return
        text = Text(end="")
        for number, h in enumerate(place.versions, 1):
            if number > 1:
                text.append("\n")
            text.append(f"{number} ", style="bold")
            text.append_text(plain(h.author or "unknown", 12, style="bold"))
            text.append(" [")
            text.append_text(plain(",".join(h.tags) or "-", 30))
            text.append("] ")
            text.append_text(plain(" ".join(h.quote.split()), 200))
        if place.missing:
            text.append("\n")
            text.append_text(plain(f"nothing here from {', '.join(place.missing)}", style="dim"))
        panel.update(text)

    def say(self, message: str, *, error: bool = False) -> None:
        self.notify(for_display_line(message), severity="error" if error else "information", markup=False,
                    timeout=6 if error else 3)

    def _decide(self, decision: str, keep: str | None = None) -> None:
        place = self.current()
        if place is None:
            self.say("nothing to decide")
            return
        if place.key in self.queued:
            self.say(f"this place's decision ({self.queued[place.key].label}) is waiting for the database (u takes it back)")
            return
        index = self.query_one(OptionList).highlighted or 0

        def run(db: sqlite3.Connection) -> Decision:
            return store_reconcile.decide(db, place, decision, keep=keep, by=self.me)

        try:
            made, waiting = write_or_queue(self.db, self.writes, f"reconcile {decision}", run, self._written)
        except StoreError as error:
            self.say(str(error), error=True)
            return
        if waiting is not None:
            self._queued(place.key, decision, waiting)
            return
        self.made.append(made.id)
        self.say(f"{decision}: {'consensus highlight made' if made.consensus_id else 'no consensus highlight'} (u undoes)")
        self.reload(index)

    def _queued(self, key: str, label: str, waiting: PendingWrite) -> None:
        """The database is busy: the decision waits in the write queue, its row says so."""
        self.queued[key] = waiting
        self.say(f"the database is busy (another program is writing): {label} is queued and "
                 "written as soon as it is free")
        self._draw_rows()

    def _written(self, item: PendingWrite) -> None:
        """A queued decision was written (or failed): count it, and redraw if still shown."""
        for key, waiting in list(self.queued.items()):
            if waiting is item:
                del self.queued[key]
        if item.state == "written":
            made = item.result if isinstance(item.result, list) else [item.result]
            self.made.extend(d.id for d in made if isinstance(d, Decision))
            self.say(f"{item.label}: written (u undoes)")
        elif item.error is not None:
            self.say(f"{item.label} was not written: {item.error}", error=True)
        if self.is_current:
            self.reload(self.query_one(OptionList).highlighted or 0)

    def action_keep(self, number: int) -> None:
        place = self.current()
        if place is None or not 1 <= number <= len(place.versions):
            self.say(f"no version {number} here")
            return
        self._decide("keep", place.versions[number - 1].id)

    def action_merge(self, decision: str) -> None:
        self._decide(decision)

    def action_drop(self) -> None:
        self._decide("drop")

    def action_agreed(self) -> None:
        if AGREED in self.queued:
            self.say("copying the places coded alike is already waiting for the database")
            return

        def run(db: sqlite3.Connection) -> list[Decision]:
            return store_reconcile.accept_agreed(db, source_ids=self.sources, by=self.me)

        try:
            made, waiting = write_or_queue(self.db, self.writes, "reconcile agreed", run, self._written)
        except StoreError as error:
            self.say(str(error), error=True)
            return
        if waiting is not None:
            self._queued(AGREED, "agreed", waiting)
            return
        self.made.extend(d.id for d in made)
        self.say(f"{len(made)} place{'s' * (len(made) != 1)} coded alike copied into the consensus")
        self.reload()

    def action_undo(self) -> None:
        if self.queued:
            key, item = list(self.queued.items())[-1]
            if self.writes is not None and self.writes.cancel(item):
                del self.queued[key]
                self.say(f"took back {item.label} (it was never written)")
                self._draw_rows()
            else:
                self.say(f"{item.label} is being written now; u again undoes it once written")
            return
        if not self.made:
            self.say("no decision made here to undo")
            return
        decision_id = self.made[-1]
        try:
            undone = store_reconcile.undo_decision(self.db, decision_id)
        except DatabaseBusy as error:
            self.say(f"{error}; the decision stays, u again once the database is free", error=True)
            return
        except StoreError as error:
            self.made.pop()
            self.say(str(error), error=True)
            return
        self.made.pop()
        self.say(f"undid {undone.decision}")
        self.reload(key=undone.disagreement)

    def action_go(self) -> None:
        place = self.current()
        if place is not None:
            self.dismiss(place.versions[0].id)

    def action_close(self) -> None:
        self.dismiss(None)
