"""The reader: a Line-API ScrollView over one reading text, with a cursor and selections.

Only visible lines are rendered (`render_line`), wrapping happens per unit when a unit is
first needed (see reader_layout), and rendered Strips are kept in an LRU cache keyed by
everything that changes how a line looks. Every cursor and selection position is a character
offset into the reading text. The screen owns highlights and pushes them in with
`load`/`set_spans`; the widget reports back with `CursorMoved` and `SelectionChanged`.

Its parts: keys and motions (reader_motions), the mouse (reader_mouse), painting a line and
the styles it uses (reader_paint), finding (reader_find), wrapping (reader_layout).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from postil.sources import boundaries
from postil.sources.blocks import Block, BlockTable, block_columns
from postil.tui.widgets.reader_find import find_backward, find_forward, find_pattern, matches_on
from postil.tui.widgets.reader_layout import Layout
from postil.tui.widgets.reader_motions import READER_BINDINGS, ReaderMotions
from postil.tui.widgets.reader_mouse import ReaderMouse
from postil.tui.widgets.reader_paint import (
    COMPONENT_CLASSES,
    GUTTER,
    READER_CSS,
    PaintStyles,
    Span,
    SpanIndex,
    paint_line,
    paint_styles,
)
from postil.tui.widgets.reader_spans import PARTIAL_REPAINT_UNITS, ReaderSpans
from postil.tui.widgets.virtual_size import set_virtual_size

__all__ = ["Reader", "Span"]

STRIP_CACHE_LINES = 160
"""Rendered lines the reader keeps (about three screens of a tall terminal)."""

class Reader(ReaderMotions, ReaderMouse, ReaderSpans, ScrollView, can_focus=True):
    """Shows a reading text soft-wrapped, with highlights, a cursor and vim-like motions."""

    ALLOW_SELECT = False  # mouse selection is done here, in exact character offsets
    COMPONENT_CLASSES = COMPONENT_CLASSES
    DEFAULT_CSS = READER_CSS
    BINDINGS = READER_BINDINGS

    class CursorMoved(Message):
        """The cursor moved to another character."""

        def __init__(self, reader: Reader, offset: int) -> None:
            super().__init__()
            self.reader = reader
            self.offset = offset

        @property
        def control(self) -> Reader:
            return self.reader

    class SelectionChanged(Message):
        """The selection changed; start and end are None when nothing is selected."""

        def __init__(self, reader: Reader, start: int | None, end: int | None) -> None:
            super().__init__()
            self.reader = reader
            self.start = start
            self.end = end

        @property
        def control(self) -> Reader:
            return self.reader

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.text = ""
        self.blocks: Sequence[Block] = []
        self._block_starts: list[int] = []
        self._layout = Layout("", [], 80)
        self._spans = SpanIndex([])
        self._cursor = 0
        self._anchor: int | None = None
        """Where the selection started; None when nothing is selected."""
        self._goal_x: int | None = None
        """The cell that j/k try to keep, as editors do."""
        self._flash: tuple[int, int] | None = None
        self._flash_timer = None
        self._find: tuple[re.Pattern[str], int] | None = None
        """The find bar's query while it is open (pattern, query length): its matches are painted."""
        self._find_current: tuple[int, int] | None = None
        """The match the cursor is on, painted apart from the others."""
        # A few screens' worth, for scrolling back and repaints: a 120-cell Strip with its own
        # caches is ~1.5 KB, so 2048 of them held 3 MB after paging through a long text.
        self._strips: LRUCache[tuple, Strip] = LRUCache(STRIP_CACHE_LINES)
        self._gen = 0
        self._sized = False
        """The widget has had a real size (see on_resize)."""
        self._unit_gen: dict[int, int] = {}
        """Repaint counters of single units (change_spans), part of each cached line's key."""
        self._styles: PaintStyles | None = None
        self._last_selection: tuple[int, int] | None = None

    # -- loading --------------------------------------------------------------------------

    def load(self, text: str, blocks: Sequence[Block], spans: list[Span], cursor: int = 0) -> None:
        """Show a new reading text with its blocks and highlights, the cursor at `cursor`."""
        self.text = text
        self.blocks = blocks if isinstance(blocks, BlockTable) else list(blocks)
        self._block_starts = block_columns(self.blocks)[0]
        self._layout = Layout(text, self.blocks, self._text_width())
        self._spans = SpanIndex(spans)
        self._anchor = None
        self._goal_x = None
        self._flash = None
        self._cursor = self._layout.clamp(max(0, min(cursor, len(text) - 1))) if text else 0
        self._invalidate()
        self._sync_virtual_size()
        self._scroll_to_cursor(center=cursor > 0, top=cursor == 0)
        self.post_message(self.CursorMoved(self, self._cursor))
        self._post_selection()

    # -- public state ---------------------------------------------------------------------

    @property
    def cursor(self) -> int:
        """Character offset of the cursor. Setting it scrolls it into view."""
        return self._cursor

    @cursor.setter
    def cursor(self, offset: int) -> None:
        self.move_to(offset)

    @property
    def selection(self) -> tuple[int, int] | None:
        """(start, end) of the selection, end exclusive, or None."""
        if self._anchor is None or not self.text:
            return None
        lo, hi = min(self._anchor, self._cursor), max(self._anchor, self._cursor)
        return lo, self._char_end(hi)

    def select(self, start: int, end: int) -> None:
        """Select text[start:end]; later motions extend the selection from `start`."""
        if not self.text or end <= start:
            self.clear_selection()
            return
        self._anchor = self._layout.clamp(start)
        self._set_cursor(self._stop_before(end))
        self._post_selection()
        self.refresh()

    def clear_selection(self) -> None:
        """Drop the selection (the cursor stays)."""
        if self._anchor is not None:
            old = self.selection
            self._anchor = None
            self._post_selection()
            units = self._units_between(*old) if old is not None else range(0)
            if old is None or len(units) > PARTIAL_REPAINT_UNITS:
                self.refresh()
            else:
                self._refresh_units(units)

    def move_to(self, offset: int, *, center: bool = False) -> None:
        """Put the cursor on the character at `offset` and scroll it into view."""
        if not self.text:
            return
        self._goal_x = None
        self._set_cursor(self._layout.clamp(max(0, min(offset, len(self.text) - 1))), center=center)

    def position_info(self) -> tuple[int, int, int]:
        """(block number counted from 1, number of blocks, percent through the text)."""
        count = len(self.blocks)
        index = boundaries.block_index(self.blocks, self._cursor, self._block_starts) + 1 if count else 0
        return index, count, self._percent()

    def _percent(self) -> int:
        """How far through the text the cursor is, rounded down: 100 only on the last drawn
        character (rounding to nearest said 100% a screen or more before the end of a book)."""
        if not self.text:
            return 0
        last = self._layout.clamp(len(self.text) - 1)
        if self._cursor >= last:
            return 100
        return min(99, 100 * self._cursor // max(1, last))

    def find(self, query: str, *, forward: bool = True, from_offset: int | None = None) -> int | None:
        """Find `query` (ignoring case), wrapping around; move the cursor there and return it."""
        if not query or not self.text:
            return None
        pattern = find_pattern(query)
        if forward:
            found = find_forward(self.text, pattern, self._cursor + 1 if from_offset is None else from_offset)
        else:
            found = find_backward(self.text, pattern, self._cursor if from_offset is None else from_offset)
        if found is not None:
            self.move_to(found, center=True)
        return found

    def show_matches(self, query: str | None, current: int | None = None) -> None:
        """Paint every match of `query` on screen, the one at `current` apart (None: no paint).

        Only the lines drawn look for matches (reader_find.matches_on), when first drawn."""
        self._find = (find_pattern(query), len(query)) if query else None
        self._find_current = (current, current + len(query)) if query and current is not None else None
        self._invalidate()

    def flash(self, start: int, end: int) -> None:
        """Briefly emphasise text[start:end] (after following a link)."""
        self._flash = (start, end)
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(0.9, self._end_flash)
        self.refresh()

    def _end_flash(self) -> None:
        self._flash = None
        self.refresh()

    # -- rendering ------------------------------------------------------------------------

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width if self.is_mounted else 0
        return max(2, (width or 80) - GUTTER - 1)

    def _invalidate(self) -> None:
        self._gen += 1
        self._unit_gen.clear()
        self._strips.clear()
        self.refresh()

    def _sync_virtual_size(self) -> None:
        height = self._layout.total_height
        if self.virtual_size.height != height:
            set_virtual_size(self, Size(self.scrollable_content_region.width, height))

    def _paint_styles(self) -> PaintStyles:
        if self._styles is None:
            self._styles = paint_styles(self.get_component_rich_style, self.rich_style)
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._invalidate()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._layout
        doc_y = y + int(self.scroll_y)
        if doc_y >= layout.total_height or not self.text:
            return Strip.blank(width, self.rich_style)
        before = layout.total_height
        u, li = layout.locate(doc_y)
        if layout.total_height != before:
            self.call_later(self._sync_virtual_size)
        if li is None:
            return Strip.blank(width, self.rich_style)
        a, b = layout.line_span(u, li)
        cursor = self._cursor if a <= self._cursor < b else None
        selection = _clip(self.selection, a, b)
        flash = _clip(self._flash, a, b)
        key = (u, li, width, self._gen, self._unit_gen.get(u, 0), cursor, selection, flash)
        strip = self._strips.get(key)
        if strip is None:
            matches = matches_on(self.text, *self._find, a, b) if self._find else ()
            strip = paint_line(layout, u, li, width, self._paint_styles(), self._spans, cursor, selection, flash,
                               matches, _clip(self._find_current, a, b))
            self._strips[key] = strip
        return strip

    def on_resize(self, event: events.Resize) -> None:
        first = not self._sized
        self._sized = True
        width = self._text_width()
        if width != self._layout.width:
            # Keep the cursor's line where it was on screen (not on the first real size:
            # there is no "where it was" yet).
            row = self._cursor_row() - int(self.scroll_y) if self.text and not first else 0
            self._layout.set_width(width)
            self._goal_x = None
            self._invalidate()
            self._sync_virtual_size()
            if self.text and not first:
                y, _ = self._layout.point_of(self._cursor)
                self._sync_virtual_size()  # laying out the cursor's unit may change heights
                self.scroll_to(y=max(0, y - max(0, min(row, self._viewport_height() - 1))), animate=False, immediate=True)
        if self.text and first:
            # The first real size: the text was loaded (and placed) before the widget had
            # one, so place the cursor as load() means to, not where that guess put it.
            self._scroll_to_cursor(center=self._cursor > 0, top=self._cursor == 0)

    # -- cursor and selection helpers -----------------------------------------------------

    def _viewport_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _cursor_row(self) -> int:
        return self._layout.point_of(self._cursor)[0]

    def _char_end(self, offset: int) -> int:
        """End of the character at offset, zero-width marks that belong to it included."""
        end = offset + 1
        while end < len(self.text) and not self._layout.is_stop(end):
            end += 1
        return end

    def _stop_before(self, end: int) -> int:
        offset = self._layout.clamp(max(0, end - 1))
        while offset > 0 and not self._layout.is_stop(offset):
            offset -= 1
        return offset

    def _set_cursor(self, offset: int, *, center: bool = False) -> None:
        layout = self._layout
        while offset > 0 and not layout.is_stop(offset):
            offset -= 1
        old = self._cursor
        self._cursor = offset
        if self._anchor is not None or self._last_selection is not None:
            self._post_selection()
            self.refresh()
        elif old != offset:
            old_y, _ = layout.point_of(old)
            self.refresh_line(old_y)
        self._sync_virtual_size()
        self._scroll_to_cursor(center=center)
        self.refresh_line(self._cursor_row())
        if old != offset:
            self.post_message(self.CursorMoved(self, offset))

    def _scroll_to_cursor(self, *, center: bool = False, top: bool = False) -> None:
        if not self.text:
            return
        y = self._cursor_row()
        height = self._viewport_height()
        scroll = int(self.scroll_y)
        if top and y < height:
            target = 0
        elif center:
            target = y - height // 2
        elif y < scroll:
            target = y
        elif y >= scroll + height:
            target = y - height + 1
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def _post_selection(self) -> None:
        current = self.selection
        if current != self._last_selection:
            self._last_selection = current
            self.post_message(self.SelectionChanged(self, *(current or (None, None))))


def _clip(rng: tuple[int, int] | None, a: int, b: int) -> tuple[int, int] | None:
    """The part of rng that falls on [a, b), or None."""
    if rng is None or rng[1] <= a or rng[0] >= b:
        return None
    return max(rng[0], a), min(rng[1], b)
