"""The search screen (`f`): results as you type, grouped by source, with matches emphasised.

The query runs in a thread worker with its own SQLite connection (a connection cannot cross
threads). Typing restarts a short debounce timer; when it fires, the search starts at once
if no search is running, else as soon as the running one ends, always with the latest text
(stale results are never shown). That keeps the list within a search's time of the last
keystroke instead of a long fixed delay.

`enter` opens the highlighted result (dismissing with its id) and records the query in the
history; `up`/`down` in the query field walk recent queries; `ctrl+s` saves the query
under a name, and `SavedQueriesProvider` offers saved queries in the command palette.
"""

from __future__ import annotations

from functools import partial

import sqlite_utils
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from sources.sanitise import for_display_line
from store import search as store_search
from store import tags as store_tags
from store.db import database_path, open_db
from store.errors import StoreError
from store.query import QueryError
from store.search import SearchHit
from tui.screens.ask import AskText
from tui.screens.render import emphasised, plain, tag_chips

LIMIT = 500
"""Results listed at most; the summary says when there are more."""
FIRST_ROWS = 40
"""Rows drawn at once after a search (more than a tall screen shows); the rest follow in chunks."""
MORE_ROWS = 50


class SearchScreen(Screen["str | None"]):
    """Dismisses with the id of the highlight to open, or None."""

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

    def __init__(self, db: sqlite_utils.Database, query: str = "") -> None:
        super().__init__()
        self.db = db
        self.query_text = query
        """The current query; the app keeps it for the next visit."""
        self.hits: list[SearchHit] = []
        self.error: str = ""
        self.shown_query: str | None = None
        """The query whose results the list holds (None before the first search ends)."""
        self._db_path = database_path(db)
        self._search_timer: Timer | None = None
        self._search_busy = False
        self._search_pending = False
        self._search_generation = 0
        self._draw_generation = 0
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
        self._colors = {t.name: t.color for t in store_tags.list_tags(self.db)}
        self._history = store_search.history(self.db)
        query_input = self.query_one("#query", Input)
        query_input.focus()
        query_input.cursor_position = len(self.query_text)
        self._start_search()

    # --- running searches ---------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._search_generation += 1
        self._draw_generation += 1  # stop filling the list with the previous query's rows
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(self.DEBOUNCE, self._start_search)

    def _start_search(self) -> None:
        if self._search_busy:
            self._search_pending = True
            return
        self._search_busy = True
        self._search_pending = False
        if self._db_path:
            self._search_worker(self.query_text, self._search_generation)
        else:  # an in-memory database cannot be opened again from another thread
            self._finish(self._search_generation, self.query_text, *_run(self.db, self.query_text))

    @work(thread=True, group="search")
    def _search_worker(self, query: str, generation: int) -> None:
        try:
            db = open_db(self._db_path, migrate=False)
        except StoreError as error:
            self.app.call_from_thread(self._finish, generation, query, [], str(error))
            return
        try:
            hits, error = _run(db, query)
        finally:
            db.conn.close()
        self.app.call_from_thread(self._finish, generation, query, hits, error)

    def _finish(self, generation: int, query: str, hits: list[SearchHit], error: str) -> None:
        self._search_busy = False
        if generation == self._search_generation:
            self._show(query, hits, error)
        if self._search_pending or generation != self._search_generation:
            self._start_search()

    # --- drawing ------------------------------------------------------------------------

    def _show(self, query: str, hits: list[SearchHit], error: str) -> None:
        self.error = error
        self.query_one("#error", Static).update(Content(for_display_line(error)))
        self.query_one("#error", Static).display = bool(error)
        if error:
            return  # keep the last good results under the message while the user fixes it
        self.hits = hits[:LIMIT]
        self.shown_query = query
        terms = store_search.match_terms(query)
        counts: dict[int, int] = {}
        for hit in self.hits:
            counts[hit.highlight.source_id] = counts.get(hit.highlight.source_id, 0) + 1
        rows: list[tuple[int, SearchHit, bool]] = []  # (index, hit, starts a source group)
        previous = None
        for index, hit in enumerate(self.hits):
            rows.append((index, hit, hit.highlight.source_id != previous))
            previous = hit.highlight.source_id
        self._draw_generation += 1
        results = self.query_one("#results", OptionList)
        results.clear_options()
        self._append_rows(self._draw_generation, rows, terms, counts, FIRST_ROWS)
        if self.hits:
            results.highlighted = 1
        n, sources = len(self.hits), len(counts)
        more = f"+ (showing the first {LIMIT})" if len(hits) > LIMIT else ""
        self.query_one("#summary", Static).update(
            Content(f"{n}{more} highlight{'s' * (n != 1)} in {sources} source{'s' * (sources != 1)}")
            if n
            else Content("no highlights match")
        )

    def _append_rows(self, generation: int, rows: list, terms, counts: dict[int, int], size: int) -> None:
        """Add the next `size` rows to the list, and the rest after the next paint.

        Building and measuring 500 rows takes a quarter of a second; a screenful first keeps
        the list within a search's time of the last keystroke, and the rest follows in
        chunks between paints. A newer search (generation) stops a stale fill.
        """
        if generation != self._draw_generation:
            return
        chunk, rest = rows[:size], rows[size:]
        options: list[Option] = []
        for index, hit, new_source in chunk:
            h = hit.highlight
            if new_source:
                header = plain(hit.source_title, 80, style="bold")
                header.append(f"  ({counts[h.source_id]})", style="dim")
                options.append(Option(header, disabled=True))
            first = Text("  ", end="")
            if h.tags:
                first.append_text(tag_chips(h.tags, self._colors))
                first.append(" ")
            # No free words (e.g. `tag:caveat`): nothing to emphasise, skip the folding.
            spans = store_search.emphasis_spans(h.quote, terms) if terms else []
            first.append_text(emphasised(h.quote, spans, 110))
            lines = [first]
            if h.note.strip():
                note = Text("    ", style="dim", end="")
                spans = store_search.emphasis_spans(h.note, terms) if terms else []
                note.append_text(emphasised(h.note, spans, 100))
                lines.append(note)
            options.append(Option(Text("\n", end="").join(lines), id=str(index)))
        self.query_one("#results", OptionList).add_options(options)
        if rest:
            self.call_after_refresh(self._append_rows, generation, rest, terms, counts, MORE_ROWS)

    # --- actions ------------------------------------------------------------------------

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    @on(OptionList.OptionSelected, "#results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(int(event.option.id))

    def action_open(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.highlighted is None or not self.hits:
            return
        option = results.get_option_at_index(results.highlighted)
        if option.id is not None:
            self._open(int(option.id))

    def _open(self, index: int) -> None:
        try:
            store_search.record_history(self.db, self.query_text)
        except StoreError:
            pass  # history is a convenience; opening the highlight matters more
        self.dismiss(self.hits[index].highlight.id)

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
                store_search.save_query(self.db, name, query)
            except StoreError as error:
                self.notify(for_display_line(str(error)), severity="error", markup=False)
                return
            self.notify(for_display_line(f"saved as {name.strip()}: in the palette (ctrl+p)"), markup=False)

        self.app.push_screen(AskText(f"Save “{query}” as:", placeholder="a name, e.g. durability caveats"), done)

    def action_close(self) -> None:
        self.dismiss(None)


def _run(db: sqlite_utils.Database, query: str) -> tuple[list[SearchHit], str]:
    """Results and an error message ("" when fine); a malformed query is a message, not a crash."""
    try:
        return store_search.search_hits(db, query, limit=LIMIT + 1), ""
    except QueryError as error:
        return [], str(error)
    except StoreError as error:
        return [], str(error)


class SavedQueriesProvider(Provider):
    """Command palette entries "Saved search: NAME" that run the saved query.

    Register it on the app (`COMMANDS = App.COMMANDS | {SavedQueriesProvider}`). Running one
    calls the active screen's `action_search(query)` when it has one (the main screen), and
    otherwise opens a SearchScreen on top.
    """

    def _db(self):
        return getattr(self.screen, "db", None) or getattr(self.app, "db", None)

    def _entries(self) -> list[tuple[str, str]]:
        db = self._db()
        if db is None:
            return []
        try:
            return store_search.saved_queries(db)
        except StoreError:
            return []

    def _run(self, query: str) -> None:
        screen = self.app.screen
        if hasattr(screen, "action_search"):
            screen.action_search(query)
        elif isinstance(screen, SearchScreen):
            screen.query_one("#query", Input).value = query
        else:
            self.app.push_screen(SearchScreen(self._db(), query))

    # The palette parses `help` as markup, so the (untrusted) query goes in the Content shown
    # as the entry itself, and help stays a fixed string.
    HELP = "run this saved search"

    @staticmethod
    def _label(name: str, query: str) -> str:
        return for_display_line(f"Saved search: {name} — {query}")

    async def discover(self) -> Hits:
        for name, query in self._entries():
            label = self._label(name, query)
            yield DiscoveryHit(Content(label), partial(self._run, query), text=label, help=self.HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, saved in self._entries():
            label = self._label(name, saved)
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, Content(label), partial(self._run, saved), text=label, help=self.HELP)
