"""The link picker (`l`): find the highlight to link to, then the relation, then a note.

Dismisses with `(to_id, relation, note)` or None. The main screen turns that into an
undoable `CreateLink`; nothing is written here.

Matching: every word typed must occur in the highlight's quote, note, tags or source title
(case-insensitive substring); a word of four or more letters that occurs nowhere may still
match approximately (a typo), scored by rapidfuzz. Order with nothing typed: highlights of
the same source within `NEAR_CHARS` of the one being linked, nearest first, then all
others newest first. With words typed: more words found literally in the quote first, then
that same order.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from rapidfuzz import fuzz
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line
from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import sources as store_sources
from postil.store import tags as store_tags
from postil.store.models import Highlight
from postil.tui.screens.compact import fit_to_size
from postil.tui.screens.render import clip, plain, tag_chips

NEAR_CHARS = 2000
"""Same-source highlights this close (in characters) to the one being linked come first."""
SHOWN = 200
"""At most this many candidates are listed; typing narrows them."""
FUZZY_MIN = 4
FUZZY_CUTOFF = 80


@dataclass
class Candidate:
    highlight: Highlight
    source_title: str
    haystack: str
    quote_folded: str
    base_rank: tuple


def _rank(h: Highlight, origin: Highlight | None, age: int) -> tuple[int, int]:
    """Near same-source highlights by distance, then the rest by `age` (0 = newest)."""
    if origin is not None and h.source_id == origin.source_id and abs(h.start - origin.start) <= NEAR_CHARS:
        return (0, abs(h.start - origin.start))
    return (1, age)


def rank_candidates(candidates: list[Candidate], query: str) -> list[Candidate]:
    """Candidates matching every word of `query`, best first (see the module docstring)."""
    words = query.casefold().split()
    if not words:
        return sorted(candidates, key=lambda c: c.base_rank)
    scored = []
    for cand in candidates:
        in_quote = 0
        for word in words:
            if word in cand.haystack:
                in_quote += word in cand.quote_folded
            elif len(word) < FUZZY_MIN or fuzz.partial_ratio(word, cand.haystack) < FUZZY_CUTOFF:
                break
        else:
            scored.append((-in_quote, cand.base_rank, cand))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [s[2] for s in scored]


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

    def __init__(self, db: sqlite3.Connection, from_highlight_id: str) -> None:
        super().__init__()
        self.db = db
        self.from_id = from_highlight_id
        self.target: Candidate | None = None
        self.relation = store_links.DEFAULT_RELATION
        titles = {s.id: s.title for s in store_sources.list_sources(db)}
        self.tag_colors = {t.name: t.color for t in store_tags.list_tags(db)}
        everything = sorted(store_highlights.list_highlights(db), key=lambda h: h.created_at, reverse=True)
        self.origin = next((h for h in everything if h.id == from_highlight_id), None)
        self.candidates = [
            Candidate(
                h, titles.get(h.source_id, ""),
                " ".join([h.quote, h.note, *h.tags, titles.get(h.source_id, "")]).casefold(),
                h.quote.casefold(), _rank(h, self.origin, age),
            )
            for age, h in enumerate(everything)
            if h.id != from_highlight_id
        ]
        self.relations = store_links.relations(db)
        self.shown: list[Candidate] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            quote = clip(self.origin.quote, 60) if self.origin else "?"
            yield Label(Content.from_markup("[b]Link from[/b] “$q”", q=quote), id="from")
            yield Input(placeholder="find a highlight: words of its quote, note, tag or source", id="query")
            yield OptionList(id="targets")
            yield Label(Content("Target: none chosen yet (enter on a highlight)"), id="target")
            yield OptionList(
                *(Option(Text(for_display_line(r.name)), id=r.name) for r in self.relations), id="relations"
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
        self.say("type words of the other highlight; up/down move, enter chooses it")

    def on_resize(self) -> None:
        fit_to_size(self)

    def option_for(self, cand: Candidate) -> Option:
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
            second.append_text(plain(h.note, 60, style="dim"))
        return Option(Text("\n", end="").join([first, second]), id=h.id)

    def refresh_targets(self, query: str) -> None:
        self.shown = rank_candidates(self.candidates, query)[:SHOWN]
        targets = self.query_one("#targets", OptionList)
        targets.clear_options()
        targets.add_options([self.option_for(c) for c in self.shown])
        if self.shown:
            targets.highlighted = 0

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.refresh_targets(event.value)

    @on(Input.Submitted, "#query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        targets = self.query_one("#targets", OptionList)
        if targets.highlighted is None or not self.shown:
            self.say("nothing matches; change the words")
            return
        self.choose_target(self.shown[targets.highlighted])

    @on(OptionList.OptionSelected, "#targets")
    def _target_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose_target(self.shown[event.option_index])

    def choose_target(self, cand: Candidate) -> None:
        self.target = cand
        self.query_one("#target", Label).update(
            Content.from_markup(
                "[b]Target[/b] “$q” ($s)", q=clip(cand.highlight.quote, 70), s=clip(cand.source_title, 50)
            )
        )
        self.say("choose the relation: up/down, then enter")
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
        if isinstance(focused, OptionList):
            focused.action_cursor_up() if step < 0 else focused.action_cursor_down()
            return
        if focused is not None and focused.id == "note":
            self.query_one("#relations", OptionList).action_cursor_up() if step < 0 else self.query_one(
                "#relations", OptionList
            ).action_cursor_down()
            return
        targets = self.query_one("#targets", OptionList)
        targets.action_cursor_up() if step < 0 else targets.action_cursor_down()

    def action_noop(self) -> None:
        """Shown in the footer only: enter is handled by each field."""

    def action_cancel(self) -> None:
        self.dismiss(None)
