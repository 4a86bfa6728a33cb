"""The reader: a Line-API ScrollView over one reading text, with a cursor and selections.

Only visible lines are rendered (`render_line`), wrapping happens per unit when a unit is
first needed (see reader_layout), and rendered Strips are kept in an LRU cache keyed by
everything that changes how a line looks. Every cursor and selection position is a character
offset into the reading text. The screen owns highlights and pushes them in with
`load`/`set_spans`; the widget reports back with `CursorMoved` and `SelectionChanged`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from postil.sources import units
from postil.sources.document import Block, BlockTable, block_columns
from postil.tui.widgets.reader_layout import Layout
from postil.tui.widgets.reader_motions import ReaderMotions
from postil.tui.widgets.reader_paint import GUTTER, PaintStyles, SpanIndex, paint_line
from postil.tui.widgets.virtual_size import set_virtual_size

_NEUTRAL = "#808080"
_FIND_WINDOW = 1 << 16


STRIP_CACHE_LINES = 160
"""Rendered lines the reader keeps (about three screens of a tall terminal)."""

_PARTIAL_REPAINT_UNITS = 200
"""Above this many units touched, change_spans repaints everything (cheaper than tracking)."""


class Span(NamedTuple):
    """A highlight as the reader paints it. (A named tuple: made 10,000 times when a big
    source opens, and making the class costs a quarter of a frozen dataclass at import.)"""

    id: str
    start: int
    end: int
    color: str
    """"#rrggbb" of the first tag (or a neutral colour when untagged)."""
    has_note: bool = False
    has_links: bool = False
    fuzzy: bool = False
    """The anchor was found again only approximately: drawn italic and underlined."""
    mark: int = 0
    """Whose it is: 0 mine (plain), 1, 2, ... another reviewer's (reader_paint.REVIEWER_MARKS)."""


class Reader(ReaderMotions, ScrollView, can_focus=True):
    """Shows a reading text soft-wrapped, with highlights, a cursor and vim-like motions."""

    ALLOW_SELECT = False  # mouse selection is done here, in exact character offsets
    COMPONENT_CLASSES = {
        "reader--cursor",
        "reader--selection",
        "reader--heading",
        "reader--code",
        "reader--quote",
        "reader--table",
        "reader--prefix",
        "reader--flash",
    }
    DEFAULT_CSS = """
    Reader { scrollbar-gutter: stable; overflow-x: hidden; }
    Reader > .reader--cursor { text-style: reverse; }
    Reader > .reader--selection { background: $accent 45%; }
    Reader > .reader--heading { text-style: bold; color: $text-primary; }
    Reader > .reader--code { color: $text-muted; }
    Reader > .reader--quote { color: $text-muted; text-style: italic; }
    Reader > .reader--table { color: $text; }
    Reader > .reader--prefix { color: $text-muted; }
    Reader > .reader--flash { background: $warning 60%; }
    """
    BINDINGS = [
        Binding("h,left", "cursor_left", "Left", show=False),
        Binding("right", "cursor_right", "Right", show=False),
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("w", "word_next", "Next word", show=False),
        Binding("b", "word_prev", "Previous word", show=False),
        Binding("right_parenthesis", "sentence_next", "Next sentence", show=False),
        Binding("left_parenthesis", "sentence_prev", "Previous sentence", show=False),
        Binding("right_curly_bracket", "block_next", "Next paragraph", show=False),
        Binding("left_curly_bracket", "block_prev", "Previous paragraph", show=False),
        Binding("g,home", "doc_start", "Start", show=False),
        Binding("G,end", "doc_end", "End", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
        Binding("right_square_bracket", "highlight_next", "Next highlight", show=False),
        Binding("left_square_bracket", "highlight_prev", "Previous highlight", show=False),
        Binding("v", "toggle_visual", "Select", show=False),
        Binding("escape", "clear_selection", "Cancel selection", show=False),
        Binding("s", "select_sentence", "Select sentence", show=False),
        Binding("p", "select_block", "Select paragraph", show=False),
    ]

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
        self._dragging = False
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

    def set_spans(self, spans: list[Span]) -> None:
        """Repaint with new highlights without wrapping anything again."""
        self._spans = SpanIndex(spans)
        self._invalidate()

    def change_spans(self, removed: list[Span], added: list[Span]) -> None:
        """Take some highlights out and put some in, repainting only the lines they touch.

        A keystroke that makes one highlight must not re-sort 10,000 of them or repaint
        every visible line (set_spans does both).
        """
        units: set[int] = set()
        for span in removed:
            if self._spans.remove(span):
                units.update(self._units_of(span))
        for span in added:
            self._spans.add(span)
            units.update(self._units_of(span))
        if len(units) > _PARTIAL_REPAINT_UNITS:
            self._invalidate()
            return
        for u in units:
            self._unit_gen[u] = self._unit_gen.get(u, 0) + 1
        self._refresh_units(units)

    def _units_of(self, span: Span) -> range:
        """Units whose lines show any of `span` (its end marker included)."""
        return self._units_between(span.start, span.end)

    def _units_between(self, start: int, end: int) -> range:
        first = self._layout.unit_at(start)
        last = self._layout.unit_at(end)
        return range(first, last + 1)

    def _refresh_units(self, units: Iterable[int]) -> None:
        """Repaint only the on-screen rows of these units.

        A whole-widget refresh makes Textual redraw and restyle every visible line; a
        keystroke that changes one highlight or drops a selection touches a few.
        """
        heights = self._layout.heights
        first_row = int(self.scroll_y)
        last_row = first_row + self._viewport_height()
        for u in units:
            top = heights.top(u)
            height = heights.heights[u]
            if top < last_row and top + height > first_row:
                self.refresh_lines(top, height)

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
            if old is None or len(units) > _PARTIAL_REPAINT_UNITS:
                self.refresh()
            else:
                self._refresh_units(units)

    def move_to(self, offset: int, *, center: bool = False) -> None:
        """Put the cursor on the character at `offset` and scroll it into view."""
        if not self.text:
            return
        self._goal_x = None
        self._set_cursor(self._layout.clamp(max(0, min(offset, len(self.text) - 1))), center=center)

    def spans_at(self, offset: int) -> list[Span]:
        """Highlights covering `offset`, innermost (shortest) first."""
        return self._spans.at(offset)

    def position_info(self) -> tuple[int, int, int]:
        """(block number counted from 1, number of blocks, percent through the text)."""
        count = len(self.blocks)
        index = units.block_index(self.blocks, self._cursor, self._block_starts) + 1 if count else 0
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
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        text = self.text
        if forward:
            start = self._cursor + 1 if from_offset is None else from_offset
            match = pattern.search(text, start) or pattern.search(text, 0)
            found = match.start() if match else None
        else:
            start = self._cursor if from_offset is None else from_offset
            found = self._find_back(pattern, start)
            if found is None:
                found = self._find_back(pattern, len(text))
        if found is not None:
            self.move_to(found, center=True)
        return found

    def _find_back(self, pattern: re.Pattern[str], before: int) -> int | None:
        """Last match starting before `before`, searching backwards window by window."""
        hi = before
        while hi > 0:
            lo = max(0, hi - _FIND_WINDOW)
            last = None
            for match in pattern.finditer(self.text, lo, min(len(self.text), hi + len(pattern.pattern) * 2)):
                if match.start() >= hi:
                    break
                last = match.start()
            if last is not None:
                return last
            hi = lo
        return None

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
            get = self.get_component_rich_style
            base = self.rich_style
            background = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)

            def blend(color: str, fuzzy: bool) -> Style:
                try:
                    tint = Color.parse(color)
                except Exception:
                    tint = Color.parse(_NEUTRAL)
                return Style(bgcolor=background.blend(tint, 0.25 if fuzzy else 0.42).rich_color)

            selection = get("reader--selection")
            self._styles = PaintStyles(
                base=base,
                kinds={
                    "heading": get("reader--heading", partial=True),
                    "code": get("reader--code", partial=True),
                    "quote": get("reader--quote", partial=True),
                    "table_row": get("reader--table", partial=True),
                },
                prefix=get("reader--prefix", partial=True),
                cursor=get("reader--cursor", partial=True),
                selection=Style(bgcolor=selection.bgcolor),
                flash=Style(bgcolor=get("reader--flash").bgcolor),
                blend=blend,
            )
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
            strip = paint_line(layout, u, li, width, self._paint_styles(), self._spans, cursor, selection, flash)
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

    # -- mouse ----------------------------------------------------------------------------

    def _offset_at_mouse(self, event: events.MouseEvent) -> int:
        return self._layout.offset_at(event.y + int(self.scroll_y), event.x - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if not self.text or event.button != 1:
            return
        self.focus()
        self.capture_mouse()
        self._dragging = True
        self._goal_x = None
        self.clear_selection()
        self._drag_from = self._offset_at_mouse(event)
        self._set_cursor(self._drag_from)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        if event.y < 0 or event.y >= self._viewport_height():  # drag past an edge scrolls
            self.scroll_to(y=max(0, int(self.scroll_y) + (1 if event.y > 0 else -1)), animate=False, immediate=True)
        offset = self._offset_at_mouse(event)
        if offset != self._drag_from and self._anchor is None:
            self._anchor = self._drag_from
        self._set_cursor(offset)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()


def _clip(rng: tuple[int, int] | None, a: int, b: int) -> tuple[int, int] | None:
    """The part of rng that falls on [a, b), or None."""
    if rng is None or rng[1] <= a or rng[0] >= b:
        return None
    return max(rng[0], a), min(rng[1], b)
