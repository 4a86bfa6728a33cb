"""The reader's keyboard motions and quick selections, as a mixin of the Reader widget.

Every motion computes a character offset (with sources.boundaries for words, sentences and
blocks, and the layout for rows) and hands it to the widget's `move_to` / `select`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding

from postil.sources import boundaries
from postil.sources.blocks import Block

if TYPE_CHECKING:
    from postil.tui.widgets.reader_layout import Layout
    from postil.tui.widgets.reader_paint import SpanIndex


READER_BINDINGS = [
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
"""The reader's own keys, beside the actions they run (tui/keymap.READER_KEYS documents them)."""


class ReaderMotions:
    """Motion actions; the Reader provides text, blocks, cursor, layout and scrolling."""

    text: str
    blocks: Sequence[Block]
    _layout: Layout
    _spans: SpanIndex
    _cursor: int
    _anchor: int | None
    _goal_x: int | None

    def _step(self, offset: int, direction: int) -> int:
        """The next cursor stop from offset in direction (+1/-1), crossing block gaps."""
        layout, n = self._layout, len(self.text)
        i = offset + direction
        while 0 <= i < n:
            u = layout.unit_at(i)
            unit = layout.units[u]
            if not unit.start <= i < unit.end:  # in a gap between units: jump over it
                if direction > 0:
                    if u + 1 >= len(layout.units):
                        return offset
                    i = layout.units[u + 1].start
                else:
                    i = unit.end - 1
                continue
            if layout.is_stop(i):
                return i
            i += direction
        return offset

    def _move_vertical(self, rows: int) -> None:
        layout = self._layout
        y, x = layout.point_of(self._cursor)
        goal = self._goal_x if self._goal_x is not None else x
        target = max(0, min(layout.total_height - 1, y + rows))
        step = 1 if rows > 0 else -1
        # Blank spacing rows hold no character: keep going the same way (or back) to text.
        while 0 < target < layout.total_height - 1 and layout.locate(target)[1] is None:
            target += step
        self._set_cursor(layout.offset_at(target, goal))
        self._goal_x = goal

    # -- actions --------------------------------------------------------------------------

    def action_cursor_left(self) -> None:
        self.move_to(self._step(self._cursor, -1))

    def action_cursor_right(self) -> None:
        self.move_to(self._step(self._cursor, 1))

    def action_cursor_down(self) -> None:
        self._move_vertical(1)

    def action_cursor_up(self) -> None:
        self._move_vertical(-1)

    def action_word_next(self) -> None:
        # A selection growing forward takes the character under the cursor, so there `w`
        # stops on the word's last character (vim's `e`) instead of the next word's first.
        if self._anchor is not None and self._cursor >= self._anchor:
            self.move_to(boundaries.end_of_word(self.text, self._cursor))
        else:
            self.move_to(boundaries.next_word(self.text, self._cursor))

    def action_word_prev(self) -> None:
        self.move_to(boundaries.prev_word(self.text, self._cursor))

    def action_sentence_next(self) -> None:
        self.move_to(boundaries.next_sentence(self.text, self._unit_blocks(), self._cursor))

    def action_sentence_prev(self) -> None:
        self.move_to(boundaries.prev_sentence(self.text, self._unit_blocks(), self._cursor))

    def action_block_next(self) -> None:
        layout = self._layout
        u = layout.unit_at(self._cursor)
        block = layout.units[u].block
        while u + 1 < len(layout.units) and (layout.units[u + 1].block == block != -1 or not layout.units[u + 1].first):
            u += 1
        self.move_to(layout.units[min(u + 1, len(layout.units) - 1)].start)

    def action_block_prev(self) -> None:
        layout = self._layout
        u = layout.unit_at(self._cursor)
        if self._cursor == layout.units[u].start and u > 0:
            u -= 1
        while u > 0 and not layout.units[u].first:
            u -= 1
        self.move_to(layout.units[u].start)

    def action_doc_start(self) -> None:
        self.move_to(0)

    def action_doc_end(self) -> None:
        self.move_to(len(self.text) - 1)

    def action_page(self, direction: int) -> None:
        self._scroll_and_move(direction * max(1, self._viewport_height() - 1))

    def action_half_page(self, direction: int) -> None:
        self._scroll_and_move(direction * max(1, self._viewport_height() // 2))

    def _scroll_and_move(self, rows: int) -> None:
        """Scroll by rows and move the cursor by the same amount, keeping its screen row."""
        if not self.text:
            return
        self.scroll_to(y=max(0, int(self.scroll_y) + rows), animate=False, immediate=True)
        self._move_vertical(rows)

    def action_highlight_next(self) -> None:
        found = self._spans.next_start(self._cursor)
        if found is not None:
            self._jump(found)

    def action_highlight_prev(self) -> None:
        found = self._spans.prev_start(self._cursor)
        if found is not None:
            self._jump(found)

    def _jump(self, offset: int) -> None:
        """Move to a far target: centred when it is off screen, so the text after it shows
        (scrolling just far enough would leave a highlight on the bottom row)."""
        y, _ = self._layout.point_of(offset)
        top = int(self.scroll_y)
        self.move_to(offset, center=not top <= y < top + self._viewport_height())

    def action_toggle_visual(self) -> None:
        if self._anchor is None:
            self._anchor = self._cursor
            self._post_selection()
            self.refresh()
        else:
            self.clear_selection()

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def action_select_sentence(self) -> None:
        if not self.text:
            return
        start, end = self._block_bounds(self._cursor)
        self.select(*boundaries.sentence_bounds(self.text, self._cursor, start, end))

    def action_select_block(self) -> None:
        if self.text:
            self.select(*self._block_bounds(self._cursor))

    def _block_bounds(self, offset: int) -> tuple[int, int]:
        unit = self._layout.units[self._layout.unit_at(offset)]
        if unit.block >= 0:
            block = self.blocks[unit.block]
            return block.start, block.end
        return boundaries.block_bounds(self.text, [], offset)

    def _unit_blocks(self) -> Sequence[Block]:
        """Blocks for sentence motions: the loader's, or paragraphs when there are none."""
        if self.blocks:
            return self.blocks
        return [Block("paragraph", u.start, u.end) for u in self._layout.units]

