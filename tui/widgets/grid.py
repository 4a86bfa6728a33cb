"""A table of one-line cells that draws only the cells in view, through Textual's Line API.

DataTable renders every cell of a row to draw any line of it: the tags screen, one column
per source, drew 8 x 205 cells to paint (~280 ms at 200 sources, whatever the highlights).
Here columns have widths known up front, so which columns a line shows is arithmetic (a
bisect on their offsets), and a cell is asked for (`cell(row, column)`) and rendered only
when it is in view. It looks and moves like a DataTable with a row cursor, zebra stripes and
fixed columns (the same component styles and keys), so the screen using it looks the same.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip

CELL_PADDING = 1
"""Blank cells each side of a cell's text, as DataTable's default `cell_padding`."""
ALL = -1
"""The cursor covers every column of its line (a row cursor)."""


class Grid(ScrollView, can_focus=True):
    """Rows of cells under a header; the first `fixed_columns` stay in view while it scrolls sideways."""

    COMPONENT_CLASSES = {
        "grid--header", "grid--fixed", "grid--odd-row", "grid--even-row", "grid--cursor", "grid--fixed-cursor",
    }
    # DataTable's own look (Textual 8.2), under this widget's names.
    DEFAULT_CSS = """
    Grid {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .grid--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .grid--header { background-tint: $foreground 5%; }
            & > .grid--fixed-cursor { color: $block-cursor-foreground; background: $block-cursor-background; }
        }
        &:dark > .grid--even-row { background: $surface-darken-1 40%; }
        & > .grid--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .grid--header { background: ansi_bright_blue; color: ansi_default; }
        & > .grid--fixed { background: $secondary-muted; color: $foreground; }
        & > .grid--even-row { background: $surface-lighten-1 50%; }
        & > .grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .grid--fixed-cursor { background: $block-cursor-blurred-background; color: $foreground; }
    }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Cursor up", show=False),
        Binding("down", "cursor(1)", "Cursor down", show=False),
        Binding("left", "sideways(-1)", "Left", show=False),
        Binding("right", "sideways(1)", "Right", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("ctrl+home", "first", "Top", show=False),
        Binding("ctrl+end", "last", "Bottom", show=False),
        Binding("home", "leftmost", "Home", show=False),
        Binding("end", "rightmost", "End", show=False),
    ]

    @dataclass
    class RowHighlighted(Message):
        """The row cursor moved to `cursor_row`."""

        grid: Grid
        cursor_row: int

    @dataclass
    class CellSelected(Message):
        """Enter or a click chose the cell at (`row`, `column`) (a grid with a cell cursor)."""

        grid: Grid
        row: int
        column: int

    def __init__(
        self, *, fixed_columns: int = 0, zebra_stripes: bool = True, cell_cursor: bool = False, id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.fixed_columns = fixed_columns
        self.cell_cursor = cell_cursor
        """True: the cursor is one cell, moved by left and right (else a row; they scroll)."""
        self.cursor_column = 0
        self.zebra_stripes = zebra_stripes
        self.headers: Sequence[Text] = []
        self.row_count = 0
        self.cursor_row = 0
        self._cell: Callable[[int, int], Text] = lambda row, column: Text()
        self._offsets: list[int] = [0]
        """Where each column starts in the whole row, then where the last one ends."""
        self._cells: LRUCache[tuple, list[Segment]] = LRUCache(2048)
        self._lines: LRUCache[tuple, Strip] = LRUCache(256)
        self._rendered: LRUCache[tuple, list[Segment]] = LRUCache(4096)
        """A cell's segments by what they are made of (see `_render_cell`), kept over `_forget`."""
        self._gen = 0

    # -- content --------------------------------------------------------------------------

    def set_table(
        self, headers: Sequence[Text], widths: Sequence[int], row_count: int,
        cell: Callable[[int, int], Text], cursor_row: int = 0, cursor_column: int = 0,
    ) -> None:
        """Show `row_count` rows under `headers`; nothing is rendered here.

        Args:
            widths: each column's text width (the widest of its header and cells).
            cell: the text of a cell, asked for only when the cell comes into view.
        """
        self.headers, self.row_count, self._cell = headers, row_count, cell
        offsets = [0]
        for width in widths:
            offsets.append(offsets[-1] + width + 2 * CELL_PADDING)
        self._offsets = offsets
        self._forget()
        self.virtual_size = Size(offsets[-1], row_count + 1)
        self.move_cursor(cursor_row, cursor_column)

    @property
    def cursor_coordinate(self) -> tuple[int, int]:
        """(row, column) of the cursor."""
        return self.cursor_row, self.cursor_column

    def move_cursor(self, row: int, column: int | None = None) -> None:
        """Put the cursor on `row` (and `column`), clamped; scroll it into view and say so."""
        row = max(0, min(row, self.row_count - 1))
        column = self.cursor_column if column is None else max(0, min(column, len(self._offsets) - 2))
        if (row, column) != self.cursor_coordinate:
            self.cursor_row, self.cursor_column = row, column
            self._gen += 1
            self.refresh()
        if self.cell_cursor:
            self._scroll_to_column(column)
        if self.row_count:
            # The header line stays on top: the row must be in view below it.
            self.scroll_to_region(Region(int(self.scroll_x), row, 1, 2), animate=False, force=True)
            self.post_message(self.RowHighlighted(self, row))

    def _forget(self) -> None:
        self._cells.clear()
        self._lines.clear()
        self._gen += 1
        self.refresh()

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        row = -1 if y == 0 else y - 1 + int(self.scroll_y)
        if row >= self.row_count:
            return Strip.blank(width, self.rich_style)
        # The cursor's columns on this line: none, all (a row cursor) or one.
        lit: int | None = None
        if row == self.cursor_row:
            lit = self.cursor_column if self.cell_cursor else ALL
        key = (row, scroll_x, width, lit, self._gen)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = self._line(row, scroll_x, width, lit)
        return strip

    def _line(self, row: int, scroll_x: int, width: int, lit: int | None) -> Strip:
        styles = self._row_styles(row)
        offsets, fixed = self._offsets, min(self.fixed_columns, len(self._offsets) - 1)
        fixed_segments: list[Segment] = []
        for column in range(fixed):
            fixed_segments += self._render_cell(row, column, styles[0], lit in (ALL, column), fixed=True)
        # The columns under [start, end) of the whole row, less the fixed ones drawn over it.
        start, end = scroll_x + offsets[fixed], scroll_x + width
        first = max(fixed, bisect_right(offsets, start) - 1)
        segments: list[Segment] = []
        column = first
        while column < len(offsets) - 1 and offsets[column] < end:
            segments += self._render_cell(row, column, styles[1], lit in (ALL, column), fixed=False)
            column += 1
        if column == len(offsets) - 1 and offsets[column] < end:
            segments.append(Segment(" " * (end - offsets[column]), self._filler(styles[1], row >= 0 and lit == ALL)))
        scrolled = Strip(segments).crop(start - offsets[first], end - offsets[first])
        return Strip.join([Strip(fixed_segments), scrolled]).adjust_cell_length(width, self.rich_style).simplify()

    def _filler(self, row_style: Style, cursor: bool) -> Style:
        """What runs on from the last column to the right edge, as in DataTable: the row's
        style (and a row cursor's); beside a cell cursor, the row's colour a quarter faded."""
        if not self.cell_cursor:
            return row_style + (self._component("grid--cursor") if cursor else Style())
        if row_style.bgcolor is None:
            return Style.from_color(row_style.color, row_style.bgcolor)
        faded = Color.from_rich_color(row_style.bgcolor).blend(self.background_colors[1], factor=0.25)
        return Style.from_color(color=row_style.color, bgcolor=faded.rich_color)

    def _row_styles(self, row: int) -> tuple[Style, Style]:
        """(fixed cells', other cells') base style for `row` (-1: the header)."""
        if row < 0:
            header = self._component("grid--header")
            return header, header
        fixed = self._component("grid--fixed")
        if self.zebra_stripes:
            return fixed, self._component("grid--odd-row" if row % 2 else "grid--even-row")
        return fixed, self.rich_style

    def _component(self, name: str) -> Style:
        return self.get_component_styles(name).rich_style

    def _render_cell(self, row: int, column: int, base: Style, cursor: bool, *, fixed: bool) -> list[Segment]:
        key = (row, column, cursor, self._gen)
        segments = self._cells.get(key)
        if segments is None:
            text = self.headers[column] if row < 0 else self._cell(row, column)
            over = Style()
            if cursor and row >= 0:
                over = self._component("grid--cursor")
                if fixed:
                    over += self._component("grid--fixed-cursor")
            # As DataTable: the cursor's colour wins over the cell's, the cell's background
            # (a tag's swatch) over the cursor's.
            post = Style.from_color(color=over.color)
            width = self._offsets[column + 1] - self._offsets[column]
            segments = self._cells[key] = self._render_text(text, width, base + over, post)
        return segments

    def _render_text(self, text: Text, width: int, pre: Style, post: Style) -> list[Segment]:
        """A cell's text padded to `width` in these styles, rendered once for every cell alike.

        Rich takes ~0.1 ms a cell, ~50 ms for a 160x48 screen of them, and a table that
        changes (the overview's figures filled in, a cursor moved, the focus) asked again for
        every cell in view. Cells whose text, styles and width are the same render alike:
        titles, the "…" of figures not read yet, and zeros are rendered once.
        """
        key = (text.plain, text.style, tuple(text.spans), text.justify, text.overflow, text.no_wrap, text.end, text.tab_size,
               width, pre, post)
        segments = self._rendered.get(key)
        if segments is None:
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            lines = self.app.console.render_lines(
                Styled(Padding(text, (0, CELL_PADDING)), pre_style=pre, post_style=post), options
            )
            segments = self._rendered[key] = lines[0]
        return segments

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rendered.clear()
        self._forget()

    def on_focus(self) -> None:
        self._forget()  # the cursor and header look different with the focus

    def on_blur(self) -> None:
        self._forget()

    # -- keys and mouse -------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_sideways(self, step: int) -> None:
        if self.cell_cursor:
            self.move_cursor(self.cursor_row, self.cursor_column + step)
        elif step < 0:
            self.scroll_left()
        else:
            self.scroll_right()

    def action_select(self) -> None:
        if self.cell_cursor and self.row_count:
            self.post_message(self.CellSelected(self, self.cursor_row, self.cursor_column))

    def _scroll_to_column(self, column: int) -> None:
        """Scroll sideways so that `column` is in view beside the fixed columns."""
        if column < self.fixed_columns:
            return
        offsets, scroll_x = self._offsets, int(self.scroll_x)
        fixed_width = offsets[min(self.fixed_columns, len(offsets) - 1)]
        width = self.scrollable_content_region.width
        if offsets[column] < scroll_x + fixed_width:
            self.scroll_to(x=offsets[column] - fixed_width, animate=False, force=True)
        elif offsets[column + 1] > scroll_x + width:
            self.scroll_to(x=offsets[column + 1] - width, animate=False, force=True)

    def action_leftmost(self) -> None:
        self.scroll_x = 0

    def action_rightmost(self) -> None:
        self.scroll_x = self.max_scroll_x

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = event.y - 1 + int(self.scroll_y)
        if row >= self.row_count:
            return
        if not self.cell_cursor:
            self.move_cursor(row)
            return
        offsets = self._offsets
        fixed_width = offsets[min(self.fixed_columns, len(offsets) - 1)]
        x = event.x if event.x < fixed_width else event.x + int(self.scroll_x)
        column = bisect_right(offsets, x) - 1
        if column >= len(offsets) - 1:
            self.move_cursor(row)
            return
        self.move_cursor(row, column)
        self.action_select()
