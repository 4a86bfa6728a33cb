"""A list whose rows all have the same height, drawn through Textual's Line API.

Textual's OptionList measures every option whenever its options change (3 s for 10,000
highlights here), and even with one option its mounting and per-line rendering cost ~25 ms
of the first screen. Here every row is `ROW_HEIGHT` lines, so a row's place is arithmetic:
only the visible lines are rendered (and cached), and replacing the items costs nothing
until a line is drawn. The annotation pane's highlights and the library's sources use it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from postil.tui.widgets.virtual_size import set_virtual_size


class RowIndexLike(Protocol):
    """Item id -> row number (a dict, or highlight_list.RowIndex)."""

    def get(self, item_id: Any, default: int | None = None) -> int | None: ...


class RowList(ScrollView, can_focus=True):
    """Rows built by a `describe(item, width) -> [Content] * ROW_HEIGHT` function.

    Items need an `id`. Subclasses say what moving the cursor (`_moved`) and choosing a row
    with enter or a click (`_chosen`) mean.
    """

    ROW_HEIGHT = 1
    COMPONENT_CLASSES = {"row-list--cursor", "row-list--cursor-blurred"}
    DEFAULT_CSS = """
    RowList { height: 1fr; overflow-x: hidden; }
    RowList > .row-list--cursor { background: $block-cursor-background; }
    RowList > .row-list--cursor-blurred { background: $block-cursor-blurred-background; }
    """
    BINDINGS = [
        Binding("up,k", "move(-1)", "previous", show=False),
        Binding("down,j", "move(1)", "next", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        Binding("home,g", "first", "first", show=False),
        Binding("end,G", "last", "last", show=False),
        Binding("enter", "select", "choose", show=False),
    ]

    def __init__(self, describe: Callable[[Any, int], list[Content]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.describe = describe
        self.items: Sequence[Any] = []
        self._index: RowIndexLike = {}
        self._cursor: int | None = None
        self._lines: LRUCache[tuple, Strip] = LRUCache(512)
        self._rows: LRUCache[Any, tuple[Any, int, list[Content]]] = LRUCache(256)
        """Item id -> (the item object, width, its described rows): after a keystroke changes
        one item, only that one is described again (it is a new object)."""
        self._gen = 0

    # -- what the subclass says -----------------------------------------------------------

    def _moved(self, item: Any) -> None:
        """The user moved the list cursor onto `item`."""

    def _chosen(self, item: Any) -> None:
        """The user pressed enter on `item`, or clicked it."""

    # -- content --------------------------------------------------------------------------

    def set_items(self, items: Sequence[Any], index: RowIndexLike | None = None) -> None:
        """Replace the rows (cheap: nothing is measured or drawn here).

        Args:
            index: id -> position in `items`, when the caller already has one.
        """
        selected = self.highlighted_id
        self.items = items
        self._index = index if index is not None else {item.id: row for row, item in enumerate(items)}
        self._cursor = self._index.get(selected) if selected is not None else None
        self._gen += 1
        self._lines.clear()
        self._sync_virtual_size()
        self.refresh()

    def _sync_virtual_size(self) -> None:
        set_virtual_size(self, Size(self.size.width, len(self.items) * self.ROW_HEIGHT))

    @property
    def option_count(self) -> int:
        return len(self.items)

    @property
    def highlighted(self) -> int | None:
        """Index of the row under the list cursor (None: no row)."""
        return self._cursor

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        """Move the list cursor without telling anyone (e.g. to follow the reader)."""
        if index is not None and not 0 <= index < len(self.items):
            index = None
        if index != self._cursor:
            self._cursor = index
            self._gen += 1
            self.refresh()
        if index is not None:
            self._scroll_to_row(index)

    @property
    def highlighted_id(self) -> Any:
        return self.items[self._cursor].id if self._cursor is not None and self._cursor < len(self.items) else None

    def select_id(self, item_id: Any) -> None:
        self.highlighted = self._index.get(item_id) if item_id is not None else None

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index, line = divmod(y + int(self.scroll_y), self.ROW_HEIGHT)
        if index >= len(self.items):
            # One blank strip for every empty line below the rows: working out the widget's
            # style for each cost ~0.1 ms a line, most of an empty list's first paint.
            key = ("blank", width, self._gen)
            strip = self._lines.get(key)
            if strip is None:
                strip = self._lines[key] = Strip.blank(width, self.rich_style)
            return strip
        on_cursor = index == self._cursor
        key = (index, line, width, on_cursor, self.has_focus, self._gen)
        strip = self._lines.get(key)
        if strip is None:
            if on_cursor:
                style = self.get_visual_style("row-list--cursor" if self.has_focus else "row-list--cursor-blurred")
            else:
                style = self.get_visual_style()
            content = self._described(self.items[index], width)[line]
            content = content.truncate(width, ellipsis=True, pad=True)
            strip = Strip(content.render_segments(style), width)
            self._lines[key] = strip
        return strip

    def _described(self, item: Any, width: int) -> list[Content]:
        cached = self._rows.get(item.id)
        if cached is None or cached[0] is not item or cached[1] != width:
            cached = (item, width, self.describe(item, width))
            self._rows[item.id] = cached
        return cached[2]

    def restyle(self) -> None:
        """Describe every row again (what `describe` draws changed, e.g. tag colours)."""
        self._rows.clear()
        self._lines.clear()
        self._gen += 1
        self.refresh()

    def redescribe(self, item_id: Any) -> None:
        """Describe one row again (its item changed in place)."""
        self._rows.discard(item_id)
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
        row = self.ROW_HEIGHT
        top = index * row
        height = max(row, self.scrollable_content_region.height)
        scroll = int(self.scroll_y)
        if top < scroll:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + row > scroll + height:
            self.scroll_to(y=top + row - height, animate=False, immediate=True)

    # -- keys and mouse -------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if not self.items:
            return
        index = max(0, min(len(self.items) - 1, index))
        self.highlighted = index
        self._moved(self.items[index])

    def action_move(self, step: int) -> None:
        self._move_to(0 if self._cursor is None else self._cursor + step)

    def action_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // self.ROW_HEIGHT - 1)
        self._move_to((self._cursor or 0) + direction * rows)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.items) - 1)

    def action_select(self) -> None:
        if self._cursor is not None:
            self._chosen(self.items[self._cursor])

    def on_click(self, event: events.Click) -> None:
        index = (event.y + int(self.scroll_y)) // self.ROW_HEIGHT
        if 0 <= index < len(self.items):
            self._move_to(index)
            self._chosen(self.items[index])
