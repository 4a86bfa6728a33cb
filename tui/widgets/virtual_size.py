"""Changing a Line-API widget's scrollable size without laying out the whole screen.

`Widget.virtual_size` is a reactive with `layout=True`: setting it makes Textual lay out and
repaint every widget on the screen (30-100 ms with a 10 MB source open), although only this
widget's scrollbar changed. While no scrollbar appears or goes, the new size only changes the
scrollbar's thumb: that is set here through the scrollbar's public attributes. When a
scrollbar must appear or go, the widget's width changes, so the full layout is asked for.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def set_virtual_size(widget: ScrollView, size: Size) -> None:
    """Give `widget` a new virtual size, laying out the screen only when a scrollbar appears or goes."""
    old = widget.virtual_size
    if size == old:
        return
    if not widget.is_mounted or not widget.container_size or overflow_changes(widget, old, size):
        widget.virtual_size = size  # a layout is due anyway (first one, or a scrollbar comes or goes)
        return
    widget.set_reactive(Widget.virtual_size, size)
    width, height = widget.container_size
    if widget.show_vertical_scrollbar:
        widget.vertical_scrollbar.window_virtual_size = size.height
        widget.vertical_scrollbar.window_size = height - widget.scrollbar_size_horizontal
        widget.vertical_scrollbar.refresh()
    if widget.show_horizontal_scrollbar:
        widget.horizontal_scrollbar.window_virtual_size = size.width
        widget.horizontal_scrollbar.window_size = width - widget.scrollbar_size_vertical
        widget.horizontal_scrollbar.refresh()
    widget.scroll_y = widget.validate_scroll_y(widget.scroll_y)
    widget.scroll_x = widget.validate_scroll_x(widget.scroll_x)
    widget.refresh()


def overflow_changes(widget: Widget, old: Size, new: Size) -> bool:
    """Whether the content starts or stops overflowing the widget in either direction."""
    width, height = widget.container_size
    return (old.height > height) != (new.height > height) or (old.width > width) != (new.width > width)
