"""The main screen for the application: library, reader and annotation pane side by side.

The screen owns the state (which source is open, its highlights, the current highlight, the
back history) and pushes it down into the widgets; the widgets post messages back up. The
annotating keys and the secondary screens live in mixins (main_actions, main_screens) to keep
each file about one job.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from itertools import chain

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from postil.sources.sanitise import for_display_line
from postil.store import db as store_db
from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import pages as store_pages
from postil.store import reading as store_reading
from postil.store import settings as store_settings
from postil.store import tags as store_tags
from postil.store.errors import StoreError
from postil.store.models import Highlight, Source, Tag
from postil.tui import keymap
from postil.tui.screens.main_actions import AnnotateActions
from postil.tui.screens.main_anchor import AnchorActions
from postil.tui.screens.main_find import FindActions
from postil.tui.screens.main_navigation import POSITION_SAVE_SECONDS, NavigationActions
from postil.tui.screens.main_records import RecordActions
from postil.tui.screens.main_review import ReviewActions, ReviewerFilter
from postil.tui.screens.main_screens import ScreenActions
from postil.tui.team_action import team_label, team_sync_finished
from postil.tui.widgets.annotation_pane import AnnotationPane
from postil.tui.widgets.highlight_order import document_order
from postil.tui.widgets.key_bar import KeyBar, LabelsKeys
from postil.tui.widgets.library import LibraryList
from postil.tui.widgets.reader import Reader, Span
from postil.tui.widgets.reader_paint import NEUTRAL
from postil.tui.widgets.source_header import SourceHeader


class MainScreen(AnnotateActions, AnchorActions, FindActions, NavigationActions, ScreenActions, RecordActions, ReviewActions,
                 LabelsKeys, Screen):
    """Library (left, ctrl+b), reader (middle), annotation pane (right), header and footer."""

    BINDINGS = keymap.main_bindings()
    DATA_POLL_SECONDS = 1.0
    """How often to look for commits by another program (store.db.data_version)."""
    AUTO_FOCUS = "#reader"
    """The reader has the focus from the start (not first the library, then the reader:
    each focus change updates the bindings, the footer and the styles of both)."""

    def __init__(self, first_source: Callable[[MainScreen], None] | None = None) -> None:
        """
        Args:
            first_source: puts the first source on this screen once it is mounted, before its
                first frame (tui.first_screen.FirstScreen.show); None opens nothing.
        """
        super().__init__()
        self._first_source = first_source
        self.source: Source | None = None
        self.pages = store_pages.PageLookup()
        """The open source's page map (empty unless it is a PDF): the header and pane cite pages."""
        self.highlights: list[Highlight] = []
        self.by_id: dict[str, Highlight] = {}
        self._tag_counts: Counter[str] = Counter()
        """Highlights per tag name in this source (kept up to date per change, not recounted)."""
        self.tags: list[Tag] = []
        self.tag_colors: dict[str, str] = {}
        self.current_id: str | None = None
        """The highlight the annotating keys act on (innermost under the cursor, or picked in the pane)."""
        self._pinned = False
        """True when the current highlight was picked in the pane and should survive cursor moves inside it."""
        self.history: list[tuple[int, int]] = []
        """(source id, offset) to go back to with ctrl+o."""
        self.last_query = ""
        """The last text found with / (n and N repeat it)."""
        self.last_search = ""
        """The last query of the search screen (f), offered again next time."""
        self._position_dirty = False
        self.digit_labels: dict[int, str] = {}
        """{digit: tag name}, as the footer shows them."""
        self.reviewer_filter = ReviewerFilter("")
        """Whose highlights are shown (blind mode, R); its reviewer is set at mount."""

    # -- plumbing -------------------------------------------------------------------------

    @property
    def db(self):
        return self.app.db

    @property
    def undo_stack(self):
        return self.app.undo_stack

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def pane(self) -> AnnotationPane:
        return self.query_one("#pane", AnnotationPane)

    def report(self, error: BaseException | str) -> None:
        """Show a store error (or any message) without letting markup in it act."""
        self.app.notify(for_display_line(str(error)), severity="error", markup=False, timeout=6)

    def tell(self, message: str) -> None:
        self.app.notify(for_display_line(message), markup=False, timeout=3)

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Library, reader and pane sit side by side on the screen itself (app.tcss), with
        # the header and footer docked: a container around them cost ~5 ms of the first
        # screen (mounting, styling and drawing one more widget).
        yield SourceHeader(id="header")
        yield LibraryList(id="library")
        yield Reader(id="reader")
        yield AnnotationPane(id="pane")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reviewer_filter.me = self.app.author
        library = self.query_one(LibraryList)
        self.query_one(SourceHeader).set_team(team_label(self.db))
        self.query_one(SourceHeader).set_writes(0, self.app.read_only)
        library.display = store_settings.get_setting(self.db, "library_visible", "1") == "1"
        # No bindings update of its own: the footer first draws after the focus settles on
        # the reader (AUTO_FOCUS), with these labels already in place.
        self.reload_tags(announce=False)
        if self._first_source is not None:
            self._first_source(self)
        self.set_interval(POSITION_SAVE_SECONDS, self._save_if_moved)
        self._data_version = store_db.data_version(self.db)
        self.set_interval(self.DATA_POLL_SECONDS, self._poll_database)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        team_sync_finished(self, event.worker)

    def on_unmount(self) -> None:
        self.save_position()

    # -- sources --------------------------------------------------------------------------

    def open_source(self, source_id: int, *, offset: int | None = None, at_top: bool = False,
                    relist_library: bool = True) -> bool:
        """Show a source: at `offset`, at the top, or where it was last read. False if it failed.

        Args:
            relist_library: read the library again (not when it already lists this source:
                that would also move a row the user picked in it meanwhile).
        """
        self.save_position()
        try:
            source = store_reading.source_for_reading(self.db, source_id)
            pages = store_pages.page_lookup(self.db, source_id)
            self.reviewer_filter.reload(self.db)
            highlights = self.reviewer_filter.visible(store_highlights.highlights_for_source(self.db, source_id))
        except StoreError as error:
            self.report(error)
            return False
        self.source = source
        self.pages = pages
        self.pane.set_pages(pages)
        self.pane.set_text(source.text)
        self.current_id = None
        self._pinned = False
        cursor = offset if offset is not None else (0 if at_top else source.read_offset)
        cursor = max(0, min(cursor, max(0, len(source.text) - 1)))
        self._set_highlights(highlights)
        self.reader.load(source.text, source.blocks, self.spans(), cursor=cursor)
        self.query_one(SourceHeader).set_source(source.title)
        self._update_counts()
        self.sync_current(self.reader.cursor, force=True)
        if relist_library:
            self.refresh_library()
        self._position_dirty = True
        self.save_position()
        return True

    def footer_label(self, binding: Binding) -> str | None:
        """Digits are named after their tags; a digit no tag has stays out of the footer."""
        if binding.action.startswith("tag_digit("):
            name = self.digit_labels.get(int(binding.key))
            return for_display_line(name) if name else None
        return binding.description

    # -- highlights and tags --------------------------------------------------------------

    def reload_tags(self, *, announce: bool = True) -> None:
        """Read the tags again and put their names on the digit keys (announce: tell the footer)."""
        try:
            self.tags = store_tags.list_tags(self.db, counts=False)  # digits and colours; the screen counts
        except StoreError as error:
            self.report(error)
            return
        self.tag_colors = {tag.name: tag.color for tag in self.tags}
        self.digit_labels = keymap.digit_labels(self.tags)
        if announce:
            self.refresh_bindings()

    def _set_highlights(self, highlights: list[Highlight]) -> None:
        self.highlights = highlights
        self.by_id = {h.id: h for h in highlights}
        # Counter over a flat chain counts 10,000 highlights' tags in C, not a Python loop.
        self._tag_counts = Counter(chain.from_iterable(h.tags for h in highlights))
        self.pane.show_authors = len({h.author for h in highlights}) > 1
        self.pane.show_highlights(highlights, self.tag_colors, self.by_id)

    def span_for(self, h: Highlight) -> Span:
        color = self.tag_colors.get(h.tags[0], NEUTRAL) if h.tags else NEUTRAL
        return Span(h.id, h.start, h.end, color, has_note=bool(h.note), has_links=h.link_count > 0,
                    fuzzy=h.anchor_status == "fuzzy", mark=self.reviewer_filter.mark(h))

    def spans(self) -> list[Span]:
        """The reader's spans, made afresh: the reader keeps them (a copy here cost 1 MB)."""
        return [self.span_for(h) for h in self.highlights if h.anchor_status != "orphaned"]

    def refresh_annotations(self, *, tags_changed: bool = False, changed: list[str] | None = None) -> None:
        """Repaint reader, pane, header and library after a change.

        Args:
            tags_changed: tags were created, renamed or recoloured (reload them first).
            changed: ids of the only highlights that changed; only those are read again
                (a keystroke on a source with 10,000 highlights must not re-read them all).
                None re-reads every highlight of the source.
        """
        if tags_changed:
            self.reload_tags()
        if self.source is None:
            self.refresh_library()
            return
        if changed is None or tags_changed:
            try:
                highlights = self.reviewer_filter.visible(
                    store_highlights.highlights_for_source(self.db, self.source.id))
            except StoreError as error:
                self.report(error)
                return
            self._set_highlights(highlights)
            self.refresh_library()
            self.reader.set_spans(self.spans())
        else:
            removed, added = self._update_some(changed)
            self.pane.show_highlights(self.highlights, self.tag_colors, self.by_id)
            # The library's count is the least looked-at thing on screen and redrawing the
            # list costs ~7 ms: it follows one frame after the highlight itself.
            self.call_after_refresh(self.query_one(LibraryList).set_count, self.source.id, len(self.highlights))
            self.reader.change_spans(removed, added)
        self._update_counts()
        if self.current_id not in self.by_id:
            self.current_id = None
            self._pinned = False
        self.sync_current(self.reader.cursor, force=True)

    def _update_some(self, ids: list[str]) -> tuple[list[Span], list[Span]]:
        """Re-read a few highlights and put them in place (document order) or take them out.

        Returns the reader spans that went away and those that came (for change_spans).
        """
        removed: list[Span] = []
        added: list[Span] = []
        for highlight_id in dict.fromkeys(ids):
            try:
                fresh = store_highlights.get_highlights(self.db, [highlight_id])
            except StoreError as error:
                self.report(error)
                fresh = []
            new = fresh[0] if fresh and fresh[0].source_id == self.source.id else None
            if new is not None and not self.reviewer_filter.shows(new):
                new = None
            old = self.by_id.pop(highlight_id, None)
            if old is not None:
                self._take_out(old)
                self._tag_counts.subtract(old.tags)
                if old.anchor_status != "orphaned":
                    removed.append(self.span_for(old))  # the reader finds it by id and start
            if new is not None:
                # No list of keys over every highlight per keystroke: bisect on a key function.
                at = bisect_right(self.highlights, document_order(new), key=document_order)
                self.highlights.insert(at, new)
                self.by_id[new.id] = new
                self._tag_counts.update(new.tags)
                if new.anchor_status != "orphaned":
                    added.append(self.span_for(new))
        return removed, added

    def _take_out(self, old: Highlight) -> None:
        """Remove `old` from the ordered list, found by bisecting (list.remove would compare
        it field by field with every highlight before it)."""
        at = bisect_left(self.highlights, document_order(old), key=document_order)
        while at < len(self.highlights) and self.highlights[at] is not old:
            at += 1
        if at < len(self.highlights):
            del self.highlights[at]
        else:
            self.highlights.remove(old)  # not where its offsets say: the list was out of order

    def _update_counts(self) -> None:
        counts = {tag.name: 0 for tag in self.tags}
        for name, count in self._tag_counts.items():
            if count > 0 or name in counts:
                counts[name] = max(0, count)
        self.query_one(SourceHeader).set_counts(
            [(name, self.tag_colors.get(name, NEUTRAL), count) for name, count in counts.items()]
        )

    def current_highlight(self) -> Highlight | None:
        return self.by_id.get(self.current_id) if self.current_id else None

    def sync_current(self, offset: int, *, force: bool = False) -> None:
        """Make the innermost highlight under `offset` current (unless one picked in the pane still covers it)."""
        under = [s.id for s in self.reader.spans_at(offset)]
        if self._pinned and self.current_id in under:
            new = self.current_id
        else:
            self._pinned = False
            new = under[0] if under else None
        if new != self.current_id or force:
            self.current_id = new
            self._show_current()

    def _show_current(self) -> None:
        links = []
        if self.current_id is not None:
            try:
                links = self.reviewer_filter.view.visible_links(store_links.link_views(self.db, self.current_id))
            except StoreError as error:
                self.report(error)
        self.pane.select(self.current_id, links)

    # -- reader and pane moving together --------------------------------------------------

    @on(Reader.CursorMoved)
    def _cursor_moved(self, event: Reader.CursorMoved) -> None:
        if self.source is None:
            return  # a start-up preview (tui.first_screen): its block count and percentage would be wrong
        self._position_dirty = True
        self.query_one(SourceHeader).set_position(*self.reader.position_info(), self.pages.label_at(self.reader.cursor))
        # Where the cursor is now, not where it was when the message was posted: a stale
        # offset would flip the pane to another highlight and straight back.
        self.sync_current(self.reader.cursor)

    @on(AnnotationPane.Picked)
    def _pane_picked(self, event: AnnotationPane.Picked) -> None:
        if event.highlight_id in self.by_id:
            self.current_id = event.highlight_id
            self._pinned = True
            self._show_current()

    @on(AnnotationPane.Chosen)
    def _pane_chosen(self, event: AnnotationPane.Chosen) -> None:
        h = self.by_id.get(event.highlight_id)
        if h is None:
            return
        self.current_id = h.id
        self._pinned = True
        self.reader.clear_selection()
        self.reader.move_to(h.start, center=True)
        self._show_current()

    @on(AnnotationPane.FollowLink)
    def _pane_follow(self, event: AnnotationPane.FollowLink) -> None:
        self.follow_link(event.view)

    def action_quit(self) -> None:
        self.app.request_quit()  # saves the position; asks first while writes are pending
