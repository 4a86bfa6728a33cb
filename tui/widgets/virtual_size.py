"""Changing a Line-API widget's scrollable size without laying out the whole screen.

`Widget.virtual_size` is a reactive with `layout=True`: setting it makes Textual lay out and
repaint every widget on the screen (30-100 ms with a 10 MB source open), although only this
widget's scrollbar changed. A ScrollView keeps its own virtual size through layouts and sizes
its scrollbars from it, so the scrollbar update that a layout would do is done here directly.
When the change shows or hides a scrollbar, Textual's own scrollbar refresh still asks for the
layout that the new width needs.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def set_virtual_size(widget: ScrollView, size: Size) -> None:
    """Give `widget` a new virtual size, laying out the screen only when a scrollbar appears or goes."""
    if size == widget.virtual_size:
        return
    if not widget.is_mounted or not widget.container_size:
        widget.virtual_size = size  # not laid out yet: the first layout does the work anyway
        return
    widget.set_reactive(Widget.virtual_size, size)
    # Private, but it is what ScrollView._size_updated calls after every layout.
    widget._scroll_update(size)
    widget.refresh()
