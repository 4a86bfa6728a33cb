"""The search screen (`f`): results as you type, grouped by source, with matches emphasised.

Typing restarts a short debounce timer; when it fires, a search starts at once, off the UI
thread (`search_runner.SearchRunner`: a keystroke makes every running search stale, and
stale results are never shown). Each search is paged: the first page is drawn at once, then
the rest and the total follow; the list fills in chunks between paints.

`enter` opens the highlighted result (dismissing with its id) and records the query in the
history; `up`/`down` in the query field walk recent queries; `ctrl+s` saves the query
under a name, and the command palette offers saved queries (tui.palette).
"""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line
from postil.store import pages as store_pages
from postil.store import search as store_search
from postil.store import search_saved
from postil.store import tags as store_tags
from postil.store.errors import StoreError
from postil.store.passages import Passage
from postil.store.search import Restriction, SearchHit
from postil.store.search_terms import around_first
from postil.tui.note_render import note_line
from postil.tui.screens.ask import AskText
from postil.tui.screens.render import emphasised, plain, tag_chips
from postil.tui.screens.search_passages import passage_index, passage_options, passages_summary
from postil.tui.screens.search_runner import SearchRunner

MORE_LINES = 100
"""Lines of rows added per chunk after the first screenful."""

Row = tuple[int, SearchHit, bool]
"""(index in hits, hit, starts a source group)."""


class SearchScreen(Screen["str | Passage | None"]):
    """Dismisses with the id of the highlight to open, a Passage of a source to open, or None."""

    CSS_PATH = "search.tcss"
    DEBOUNCE = 0.03
    """Seconds of quiet typing before a search starts (coalesces bursts and pastes)."""
    BINDINGS = [
        Binding("escape", "close", "Back"),
        # priority: the query field and the list both take enter themselves, which hid this
        # key from the footer; the action does what either would (open the highlighted result).
        Binding("enter", "open", "Open", priority=True),
        Binding("tab", "app.focus_next", "Results/query"),
        Binding("up", "history(1)", "Older query", show=False),
        Binding("down", "history(-1)", "Newer query", show=False),
        Binding("ctrl+s", "save", "Save query"),
    ]

    def __init__(self, db: sqlite3.Connection, query: str = "", *, restrict: Restriction = None) -> None:
        super().__init__()
        self.db = db
        self.restrict = restrict
        """What blind mode hides from me (store.reviewers.BlindView.restriction), kept out of every result."""
        self.query_text = query
        """The current query; the app keeps it for the next visit."""
        self.hits: list[SearchHit] = []
        self.passages: list[Passage] = []
        """Passages of the sources' text (store.passages), listed after the highlights."""
        self._passages_drawn = False
        self._total: int | None = None
        self.error: str = ""
        self.shown_query: str | None = None
        """The query whose results the list holds (None before the first search ends)."""
        self.runner = SearchRunner(self, db, restrict)
        """Runs the searches; hands results back to `show_first_page`, `show_more`, `show_passages`."""
        self._search_timer: Timer | None = None
        self._draw_generation = 0
        self._pending: list[Row] = []
        """Rows found but not yet added to the list."""
        self._fill_scheduled = False
        self._counts: dict[int, int] = {}
        """Results per source among `hits` (the group headers show them)."""
        self._titles: dict[int, str] = {}
        self._page_maps: dict[int, store_pages.PageLookup] = {}
        self._headers: set[int] = set()
        """Sources whose group header is in the list."""
        self._terms: list[str] = []
        self._chips: dict[tuple[str, ...], Text] = {}
        self._history: list[str] = []
        self._history_index = -1
        self._draft = query

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.query_text,
            placeholder='words, "a phrase", tag:caveat, -tag:anecdote, source:3, has:note, rel:contradicts, OR, ( )',
            id="query",
        )
        yield Static(id="error")
        yield Static(id="summary")
        yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self._colors = {t.name: t.color for t in store_tags.list_tags(self.db, counts=False)}
        self._history = search_saved.history(self.db)
        query_input = self.query_one("#query", Input)
        query_input.focus()
        # The last query comes back selected, as in a browser's find bar: typing replaces it
        # (pressing f again and typing a new word used to search 'serotoninguide'), while
        # `end` or an arrow keeps it to refine.
        query_input.select_all()
        self._start_search()

    # --- running searches ---------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if event.value == self.query_text:
            return  # e.g. the field announcing its initial value: on_mount searched it already
        self.query_text = event.value
        self.runner.go_stale()
        self._draw_generation += 1  # stop filling the list with the previous query's rows
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(self.DEBOUNCE, self._start_search)

    def _start_search(self) -> None:
        self.runner.start(self.query_text)

    def show_first_page(self, generation: int, query: str, hits: list[SearchHit], error: str,
                        complete: bool) -> None:
        """The first page of results (or the query's error); the rest may follow."""
        if generation == self.runner.generation:
            self._show(query, hits, error, complete)

    def show_more(self, generation: int, rest: list[SearchHit], total: int) -> None:
        """The results after the first page, and the total; appended after the drawn rows."""
        if generation != self.runner.generation or self.error:
            return
        boundary = self.hits[-1].highlight.source_id if self.hits else None
        rows = self._rows(rest, len(self.hits))
        self.hits.extend(rest)
        self._count(rest)
        if boundary in self._headers:  # its group continues: the header's count grew
            self.query_one("#results", OptionList).replace_option_prompt(f"s{boundary}", self._header(boundary))
        self._pending.extend(rows)
        self._schedule_fill()
        self._summarise(total)

    def show_passages(self, generation: int, passages: list[Passage]) -> None:
        """Passages of the sources' text: drawn once every highlight row is in the list."""
        if generation != self.runner.generation or self.error:
            return
        self.passages = passages
        self._draw_passages()
        self._summarise(self._total)

    def _draw_passages(self) -> None:
        if self._passages_drawn or self._pending or not self.passages:
            return
        self._passages_drawn = True
        results = self.query_one("#results", OptionList)
        results.add_options(passage_options(self.passages))
        if not self.hits:
            results.highlighted = 1  # the first passage (0 is its header)

    # --- drawing ------------------------------------------------------------------------

    def _show(self, query: str, hits: list[SearchHit], error: str, complete: bool) -> None:
        self.error = error
        self.query_one("#error", Static).update(Content(for_display_line(error)))
        self.query_one("#error", Static).display = bool(error)
        if error:
            # No results under a bad query: the last good ones (often the unfiltered list)
            # would read as its answer.
            hits, query = [], None
        self.hits = list(hits)
        self.passages, self._passages_drawn = [], False
        self.shown_query = query
        self._terms = store_search.match_terms(query)
        self._counts, self._headers = {}, set()
        self._count(self.hits)
        self._pending = self._rows(self.hits, 0)
        self._draw_generation += 1
        self._fill_scheduled = False
        results = self.query_one("#results", OptionList)
        results.clear_options()
        self._append_rows(self._draw_generation, results.size.height or 40)
        if self.hits:
            results.highlighted = 1
        self._summarise(len(self.hits) if complete else None)

    def _rows(self, hits: list[SearchHit], start: int) -> list[Row]:
        previous = self.hits[-1].highlight.source_id if start and self.hits else None
        rows: list[Row] = []
        for index, hit in enumerate(hits, start):
            rows.append((index, hit, hit.highlight.source_id != previous))
            previous = hit.highlight.source_id
        return rows

    def _count(self, hits: list[SearchHit]) -> None:
        for hit in hits:
            source_id = hit.highlight.source_id
            self._counts[source_id] = self._counts.get(source_id, 0) + 1
            self._titles[source_id] = hit.source_title

    def _summarise(self, total: int | None) -> None:
        """`total` None: only the first page is in, more are coming."""
        self._total = total
        n, sources = len(self.hits), len(self._counts)
        in_sources = f"in {sources} source{'s' * (sources != 1)}"
        if self.error:
            text = "no results until the query is fixed"
        elif not n:
            text = "no highlights match"
        elif total is None:
            text = f"{n}+ highlights {in_sources}…"
        elif total > n:
            text = f"{total} highlights; the first {n} shown, {in_sources}"
        else:
            text = f"{n} highlight{'s' * (n != 1)} {in_sources}"
        if not self.error:
            text += passages_summary(len(self.passages))
        self.query_one("#summary", Static).update(Content(text))

    def _header(self, source_id: int) -> Text:
        header = plain(self._titles[source_id], 80, style="bold")
        header.append(f"  ({self._counts[source_id]})", style="dim")
        return header

    def _schedule_fill(self) -> None:
        if self._pending and not self._fill_scheduled:
            self._fill_scheduled = True
            self.call_after_refresh(self._append_rows, self._draw_generation, MORE_LINES)

    def _append_rows(self, generation: int, lines: int) -> None:
        """Add pending rows filling about `lines` lines to the list, the rest after the next paint.

        Building and measuring 500 rows takes a quarter of a second; a screenful first keeps
        the list within a search's time of the last keystroke, and the rest follows in
        chunks between paints. A newer search (generation) stops a stale fill.
        """
        if generation != self._draw_generation:
            return
        self._fill_scheduled = False
        options: list[Option] = []
        used = 0
        while self._pending and used < lines:
            index, hit, new_source = self._pending.pop(0)
            h = hit.highlight
            if new_source:
                self._headers.add(h.source_id)
                options.append(Option(self._header(h.source_id), id=f"s{h.source_id}", disabled=True))
                used += 1
            first = Text("  ", end="")
            page = self._page_label(h.source_id, h.start)
            if page:
                first.append(f"p. {page} ", style="dim")
            if h.tags:
                first.append_text(self._tag_chips(h.tags))
                first.append(" ")
            if h.author:  # who made it: reviewers' work sits side by side here
                first.append_text(plain(h.author, 12, style="dim"))
                first.append(" ")
            # No free words (e.g. `tag:caveat`): nothing to emphasise, skip the folding.
            spans = store_search.emphasis_spans(h.quote, self._terms) if self._terms else []
            quote, spans = around_first(h.quote, spans)  # a long quote's match stays in view
            first.append_text(emphasised(quote, spans, 110))
            lines_of_row = [first]
            if h.note.strip():
                note = Text("    ", style="dim", end="")
                rendered = note_line(h.note, 100)  # Markdown drawn; the terms found in what is drawn
                for start, end in store_search.emphasis_spans(rendered.plain, self._terms) if self._terms else []:
                    rendered.stylize("bold underline", start, end)
                note.append_text(rendered)
                lines_of_row.append(note)
            used += len(lines_of_row)
            options.append(Option(Text("\n", end="").join(lines_of_row), id=str(index)))
        self.query_one("#results", OptionList).add_options(options)
        self._schedule_fill()
        self._draw_passages()

    def _page_label(self, source_id: int, offset: int) -> str | None:
        """"4" for a result on page 4 of a PDF (each source's page map read once), else None."""
        lookup = self._page_maps.get(source_id)
        if lookup is None:
            try:
                lookup = self._page_maps[source_id] = store_pages.page_lookup(self.db, source_id)
            except (StoreError, sqlite3.Error):  # a page map that cannot be read: no page shown
                lookup = self._page_maps[source_id] = store_pages.PageLookup()
        label = lookup.label_at(offset)
        return for_display_line(label) if label else None

    def _tag_chips(self, tags: list[str]) -> Text:
        """Chips per tag set, built once per screen (parsing colours is most of a row's cost)."""
        key = tuple(tags)
        chips = self._chips.get(key)
        if chips is None:
            chips = self._chips[key] = tag_chips(tags, self._colors)
        return chips

    # --- actions ------------------------------------------------------------------------

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    @on(OptionList.OptionSelected, "#results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_option(event.option.id)

    def action_open(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.highlighted is None or not (self.hits or self.passages):
            return
        self._open_option(results.get_option_at_index(results.highlighted).id)

    def _open_option(self, option_id: str | None) -> None:
        """Open a highlight row (id: its index) or a passage row (`p<index>`); headers do nothing."""
        passage = passage_index(option_id)
        if passage is not None:
            self._record_history()
            self.dismiss(self.passages[passage])
        elif option_id is not None and option_id.isdigit():
            self._record_history()
            self.dismiss(self.hits[int(option_id)].highlight.id)

    def _record_history(self) -> None:
        try:
            search_saved.record_history(self.db, self.query_text)
        except StoreError:
            pass  # history is a convenience; opening the result matters more

    def action_history(self, step: int) -> None:
        """In the query field: up goes to older queries, down back towards the draft."""
        if self.focused is not self.query_one("#query", Input):
            results = self.query_one("#results", OptionList)
            results.action_cursor_up() if step > 0 else results.action_cursor_down()
            return
        if self._history_index == -1:
            self._draft = self.query_text
        index = max(-1, min(len(self._history) - 1, self._history_index + step))
        if index == self._history_index:
            return
        self._history_index = index
        query_input = self.query_one("#query", Input)
        query_input.value = self._draft if index == -1 else self._history[index]
        query_input.cursor_position = len(query_input.value)

    def action_save(self) -> None:
        query = self.query_text.strip()
        if not query:
            self.notify("type a query first", severity="warning", markup=False)
            return

        def done(name: str | None) -> None:
            if not name or not name.strip():
                return
            try:
                search_saved.save_query(self.db, name, query)
            except StoreError as error:
                self.notify(for_display_line(str(error)), severity="error", markup=False)
                return
            self.notify(for_display_line(f"saved as {name.strip()}: in the palette (ctrl+p)"), markup=False)

        self.app.push_screen(AskText(f"Save “{query}” as:", placeholder="a name, e.g. durability caveats"), done)

    def action_close(self) -> None:
        self.dismiss(None)
