"""The reader's mouse: a click places the cursor, a drag selects (past an edge it scrolls).

A mixin of the Reader widget, like reader_motions; positions are character offsets from the
layout, never cell indexes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from postil.tui.widgets.reader_paint import GUTTER

if TYPE_CHECKING:
    from postil.tui.widgets.reader_layout import Layout


class ReaderMouse:
    """Mouse handlers; the Reader provides text, layout, cursor, selection and scrolling."""

    text: str
    _layout: Layout
    _anchor: int | None
    _goal_x: int | None
    _dragging: bool = False
    _drag_from: int = 0

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
