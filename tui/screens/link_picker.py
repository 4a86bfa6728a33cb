"""The link picker (`l`): find the highlight to link to, then the relation, then a note.

Dismisses with `(to_id, relation, note)` or None. The main screen turns that into an
undoable `CreateLink`; nothing is written here.

Candidates come from the store one page at a time, on opening and on every keystroke
(`store.link_targets`, which documents the matching and the order): at 100,000 highlights
the picker never holds more than the `SHOWN` it lists. They are drawn as rows of the Line
API (TargetRows): an OptionList measured and wrapped all 200 two-line options on opening, a
third of the picker's first frame. What the reviewer types is read in a thread (tui.latest_read):
a common prefix at 100,000 highlights takes a few hundred milliseconds, and typing never waits
for it. Enter pressed before the newest read came back reads it at once, so enter always
chooses among what was typed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line
from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import tags as store_tags
from postil.store.errors import NotFound
from postil.store.link_targets import link_targets
from postil.store.models import Highlight
from postil.tui.latest_read import LatestRead
from postil.tui.note_render import note_line
from postil.tui.screens.compact import fit_to_size
from postil.tui.screens.render import clip, plain, tag_chips
from postil.tui.widgets.row_list import RowList

SHOWN = 200
"""At most this many candidates are listed; typing narrows them."""


@dataclass
class Candidate:
    """A highlight the link may go to, with the title of its source."""

    highlight: Highlight
    source_title: str

    @property
    def id(self) -> str:
        return self.highlight.id


class TargetRows(RowList):
    """The candidates, two lines each: tags and quote, then source and note."""

    ROW_HEIGHT = 2

    class Chosen(Message):
        """Enter or a click on a candidate."""

        def __init__(self, candidate: Candidate) -> None:
            super().__init__()
            self.candidate = candidate

    def _chosen(self, item: Candidate) -> None:
        self.post_message(self.Chosen(item))


def relation_label(name: str) -> Text:
    """A relation's row; the one a link gets when nobody picks another says so."""
    label = Text(for_display_line(name))
    if name == store_links.DEFAULT_RELATION:
        label.append("  (default)", style="dim")
    return label


class LinkPickerScreen(ModalScreen["tuple[str, str, str] | None"]):
    """Choose a target highlight, a relation and an optional note for a new link."""

    CSS_PATH = "link_picker.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("tab", "app.focus_next", "Next field"),
        Binding("enter", "noop", "Choose"),
    ]

    HINT = "type words of the other highlight; up/down move, enter chooses it"

    def __init__(self, db: sqlite3.Connection, from_highlight_id: str) -> None:
        super().__init__()
        self.db = db
        self.from_id = from_highlight_id
        self.target: Candidate | None = None
        self.relation = store_links.DEFAULT_RELATION
        self.tag_colors = {t.name: t.color for t in store_tags.list_tags(db, counts=False)}
        try:
            self.origin: Highlight | None = store_highlights.get_highlight(db, from_highlight_id)
        except NotFound:
            self.origin = None
        self.relations = store_links.relations(db)
        self.shown: list[Candidate] = []
        self.reads = LatestRead(self, db, "link-targets")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            quote = clip(self.origin.quote, 60) if self.origin else "?"
            yield Label(Content.from_markup("[b]Link from[/b] “$q”", q=quote), id="from")
            yield Input(placeholder="find a highlight: words of its quote, note, tag or source", id="query")
            yield TargetRows(self.describe, id="targets")
            yield Label(Content("Target: none chosen yet (enter on a highlight)"), id="target")
            yield OptionList(
                *(Option(relation_label(r.name), id=r.name) for r in self.relations), id="relations"
            )
            yield Input(placeholder="optional note on the link; enter creates it", id="note")
            yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        fit_to_size(self)
        self.refresh_targets("")
        relations = self.query_one("#relations", OptionList)
        names = [r.name for r in self.relations]
        if self.relation in names:
            relations.highlighted = names.index(self.relation)
        self.query_one("#query", Input).focus()

    def on_resize(self) -> None:
        fit_to_size(self)

    def describe(self, cand: Candidate, width: int) -> list[Content]:
        """A candidate's two lines."""
        h = cand.highlight
        first = Text(end="")
        if h.tags:
            first.append_text(tag_chips(h.tags, self.tag_colors))
            first.append(" ")
        first.append_text(plain(h.quote, 100))
        second = Text("   ", end="")
        second.append_text(plain(cand.source_title, 70, style="italic"))
        if h.note.strip():
            second.append("  ·  ", style="dim")
            second.append_text(note_line(h.note, 60, style="dim"))
        return [Content.from_rich_text(first), Content.from_rich_text(second)]

    def refresh_targets(self, query: str, *, now: bool = False) -> None:
        """List the candidates for `query`: from a thread, or at once when nothing is typed
        (one page of an index, read before the first frame) or `now`."""
        if now or not query.strip():
            self.reads.drop()
            self.show_targets(query, link_targets(self.db, self.from_id, query, SHOWN))
            return
        from_id = self.from_id
        self.reads.run(lambda db: link_targets(db, from_id, query, SHOWN),
                       lambda found: self.show_targets(query, found), self.say)

    def show_targets(self, query: str, found: list) -> None:
        self.shown = [Candidate(h, title) for h, title in found]
        targets = self.query_one("#targets", TargetRows)
        targets.set_items(self.shown)
        if self.shown:
            targets.highlighted = 0
            if self.target is None:
                self.say(self.HINT)
        elif query.strip():
            self.say(f"no other highlight matches '{query.strip()}'; change the words")
        else:
            self.say("no other highlight to link to yet: mark another passage first (esc)")

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.refresh_targets(event.value)

    @on(Input.Submitted, "#query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.reads.pending:
            self.refresh_targets(event.value, now=True)
        targets = self.query_one("#targets", TargetRows)
        if targets.highlighted is None or not self.shown:
            self.say("nothing matches; change the words")
            return
        self.choose_target(self.shown[targets.highlighted])

    @on(TargetRows.Chosen)
    def _target_selected(self, event: TargetRows.Chosen) -> None:
        event.stop()
        self.choose_target(event.candidate)

    def choose_target(self, cand: Candidate) -> None:
        self.target = cand
        self.query_one("#target", Label).update(
            Content.from_markup(
                "[b]Target[/b] “$q” ($s)", q=clip(cand.highlight.quote, 70), s=clip(cand.source_title, 50)
            )
        )
        self.say(f"choose the relation: up/down, then enter (enter now: {for_display_line(self.relation)})")
        self.query_one("#relations", OptionList).focus()

    @on(OptionList.OptionSelected, "#relations")
    def _relation_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.relation = event.option.id
        self.query_one("#note", Input).focus()
        self._note_hint()

    @on(OptionList.OptionHighlighted, "#relations")
    def _relation_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.relation = event.option.id
        if self.focused is not None and self.focused.id == "note":
            self._note_hint()

    def _note_hint(self) -> None:
        self.say(f"relation: {self.relation} · type an optional note, enter creates the link")

    @on(Input.Submitted, "#note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.target is None:
            self.say("choose a target highlight first")
            self.query_one("#query", Input).focus()
            return
        self.dismiss((self.target.highlight.id, self.relation, event.value.strip()))

    def say(self, message: str) -> None:
        self.query_one("#status", Static).update(Content(for_display_line(message)))

    def action_move(self, step: int) -> None:
        """up/down in a text field move the list that goes with it."""
        focused = self.focused
        if isinstance(focused, TargetRows):
            focused.action_move(step)
            return
        if isinstance(focused, OptionList):
            focused.action_cursor_up() if step < 0 else focused.action_cursor_down()
            return
        if focused is not None and focused.id == "note":
            self.query_one("#relations", OptionList).action_cursor_up() if step < 0 else self.query_one(
                "#relations", OptionList
            ).action_cursor_down()
            return
        self.query_one("#targets", TargetRows).action_move(step)

    def action_noop(self) -> None:
        """Shown in the footer only: enter is handled by each field."""

    def action_cancel(self) -> None:
        self.dismiss(None)
