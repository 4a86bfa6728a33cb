"""The reader's highlights: the screen pushes spans in, and only the lines they touch repaint.

A mixin of the Reader widget, like reader_motions; the spans live in a `SpanIndex`
(reader_paint), so a line finds its highlights with a bisect.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from postil.tui.widgets.reader_paint import Span, SpanIndex

if TYPE_CHECKING:
    from postil.tui.widgets.reader_layout import Layout

PARTIAL_REPAINT_UNITS = 200
"""Above this many units touched, change_spans repaints everything (cheaper than tracking)."""


class ReaderSpans:
    """Span updates; the Reader provides the layout, the repaint counters and scrolling."""

    _layout: Layout
    _spans: SpanIndex
    _unit_gen: dict[int, int]

    def spans_at(self, offset: int) -> list[Span]:
        """Highlights covering `offset`, innermost (shortest) first."""
        return self._spans.at(offset)

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
        if len(units) > PARTIAL_REPAINT_UNITS:
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
