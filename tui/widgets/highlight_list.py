"""A list of highlights that stays instant with 10,000 of them.

An OptionList measures every option's height whenever its options change (3 s for 10,000
highlights here). Every row of this list has the same height, so it is a Line-API ScrollView
that renders only the visible lines and caches them; replacing the items costs nothing until
a line is drawn.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.models import Highlight
from tui.widgets.virtual_size import set_virtual_size

ROW = 3
"""Lines per highlight: tag chips, the quote's first words, a note excerpt (or blank)."""


def document_order(h: Highlight) -> tuple[int, int]:
    """The list's order, as store.highlights.highlights_for_source gives it: by start, longer first."""
    return h.start, -h.end


class RowIndex:
    """Highlight id -> row in a list kept in document order, found by bisecting.

    Building an id -> row dict over 10,000 highlights on every keystroke cost milliseconds;
    the caller already keeps id -> highlight, and the order gives the row.
    """

    def __init__(self, items: list[Highlight], by_id: dict[str, Highlight]) -> None:
        self.items = items
        self.by_id = by_id

    def __contains__(self, highlight_id: object) -> bool:
        return self.get(highlight_id) is not None  # type: ignore[arg-type]

    def __getitem__(self, highlight_id: str) -> int:
        row = self.get(highlight_id)
        if row is None:
            raise KeyError(highlight_id)
        return row

    def get(self, highlight_id: str | None, default: int | None = None) -> int | None:
        h = self.by_id.get(highlight_id) if highlight_id is not None else None
        if h is None:
            return default
        items, key = self.items, document_order(h)
        row = bisect_left(items, key, key=document_order)
        while row < len(items) and document_order(items[row]) == key:
            if items[row].id == highlight_id:
                return row
            row += 1
        # Not where its offsets say (a caller broke the order): look it up the slow way.
        return next((i for i, item in enumerate(items) if item.id == highlight_id), default)


class HighlightList(ScrollView, can_focus=True):
    """Rows built by a `describe(highlight, width) -> [Content, Content, Content]` function."""

    COMPONENT_CLASSES = {"highlight-list--cursor", "highlight-list--cursor-blurred"}
    DEFAULT_CSS = """
    HighlightList { height: 1fr; overflow-x: hidden; }
    HighlightList > .highlight-list--cursor { background: $block-cursor-background; }
    HighlightList > .highlight-list--cursor-blurred { background: $block-cursor-blurred-background; }
    """
    BINDINGS = [
        Binding("up,k", "move(-1)", "previous", show=False),
        Binding("down,j", "move(1)", "next", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        Binding("home,g", "first", "first", show=False),
        Binding("end,G", "last", "last", show=False),
        Binding("enter", "select", "show in reader", show=False),
    ]

    class Highlighted(Message):
        """The user moved the list cursor to another highlight."""

        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    class Selected(Message):
        """The user pressed enter (or clicked) on a highlight."""

        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    def __init__(self, describe: Callable[[Highlight, int], list[Content]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.describe = describe
        self.items: list[Highlight] = []
        self._index = RowIndex([], {})
        self._cursor: int | None = None
        self._lines: LRUCache[tuple, Strip] = LRUCache(512)
        self._rows: LRUCache[str, tuple[Highlight, int, list[Content]]] = LRUCache(256)
        """Highlight id -> (the highlight object, width, its described rows): after a keystroke
        changes one highlight, only that one is described again (it is a new object)."""
        self._gen = 0

    # -- content --------------------------------------------------------------------------

    def set_items(self, items: list[Highlight], index: RowIndex | None = None) -> None:
        """Replace the rows (cheap: nothing is measured or drawn here).

        Args:
            index: id -> position in `items`, when the caller already has one.
        """
        selected = self.highlighted_id
        self.items = items
        self._index = index if index is not None else RowIndex(items, {h.id: h for h in items})
        self._cursor = self._index.get(selected) if selected else None
        self._gen += 1
        self._lines.clear()
        self._sync_virtual_size()
        self.refresh()

    def _sync_virtual_size(self) -> None:
        set_virtual_size(self, Size(self.size.width, len(self.items) * ROW))

    @property
    def option_count(self) -> int:
        return len(self.items)

    @property
    def highlighted(self) -> int | None:
        """Index of the row under the list cursor (None: no row)."""
        return self._cursor

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        """Move the list cursor without telling anyone (the screen sets it to follow the reader)."""
        if index is not None and not 0 <= index < len(self.items):
            index = None
        if index != self._cursor:
            self._cursor = index
            self._gen += 1
            self.refresh()
        if index is not None:
            self._scroll_to_row(index)

    @property
    def highlighted_id(self) -> str | None:
        return self.items[self._cursor].id if self._cursor is not None and self._cursor < len(self.items) else None

    def select_id(self, highlight_id: str | None) -> None:
        self.highlighted = self._index.get(highlight_id) if highlight_id else None

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row_y = y + int(self.scroll_y)
        index, line = divmod(row_y, ROW)
        if index >= len(self.items):
            return Strip.blank(width, self.rich_style)
        on_cursor = index == self._cursor
        key = (index, line, width, on_cursor, self.has_focus, self._gen)
        strip = self._lines.get(key)
        if strip is None:
            if on_cursor:
                style = self.get_visual_style("highlight-list--cursor" if self.has_focus else "highlight-list--cursor-blurred")
            else:
                style = self.get_visual_style()
            content = self._described(self.items[index], width)[line]
            content = content.truncate(width, ellipsis=True, pad=True)
            strip = Strip(content.render_segments(style), width)
            self._lines[key] = strip
        return strip

    def _described(self, h: Highlight, width: int) -> list[Content]:
        cached = self._rows.get(h.id)
        if cached is None or cached[0] is not h or cached[1] != width:
            cached = (h, width, self.describe(h, width))
            self._rows[h.id] = cached
        return cached[2]

    def restyle(self) -> None:
        """Describe every row again (what `describe` draws changed, e.g. tag colours)."""
        self._rows.clear()
        self._lines.clear()
        self._gen += 1
        self.refresh()

    def on_focus(self) -> None:
        self._gen += 1
        self.refresh()

    def on_blur(self) -> None:
        self._gen += 1
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._gen += 1
        self._lines.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._sync_virtual_size()
        self._gen += 1

    def _scroll_to_row(self, index: int) -> None:
        top = index * ROW
        height = max(ROW, self.scrollable_content_region.height)
        scroll = int(self.scroll_y)
        if top < scroll:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + ROW > scroll + height:
            self.scroll_to(y=top + ROW - height, animate=False, immediate=True)

    # -- keys and mouse -------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if not self.items:
            return
        index = max(0, min(len(self.items) - 1, index))
        self.highlighted = index
        self.post_message(self.Highlighted(self.items[index].id))

    def action_move(self, step: int) -> None:
        self._move_to(0 if self._cursor is None else self._cursor + step)

    def action_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // ROW - 1)
        self._move_to((self._cursor or 0) + direction * rows)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.items) - 1)

    def action_select(self) -> None:
        if self._cursor is not None:
            self.post_message(self.Selected(self.items[self._cursor].id))

    def on_click(self, event: events.Click) -> None:
        index = (event.y + int(self.scroll_y)) // ROW
        if 0 <= index < len(self.items):
            self._move_to(index)
            self.post_message(self.Selected(self.items[index].id))
