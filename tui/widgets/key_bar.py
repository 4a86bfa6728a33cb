"""The footer bar: the keys that work here, drawn as one line by one widget.

Textual's Footer is a container with one widget per key, and it removes and mounts them all
again on every bindings update. With the main screen's fifteen keys, composing, styling and
laying out those widgets was the largest single cost of the first screen after Textual's own
start (~40 ms of ~150), and each focus change paid part of it again. This footer looks and
behaves the same (the theme's footer colours, dimmed disabled keys, a click runs the key,
the command palette's key on the right) but is one widget that renders one line, and it
repaints only when what it shows changes.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

DIM = Style(dim=True)


class FooterItem(NamedTuple):
    """One key as the footer shows it. (Named tuples, not dataclasses: making a dataclass
    at import costs ~0.5 ms, on the way to the first screen.)"""

    key: str
    """The Textual key name a click simulates."""
    key_display: str
    description: str
    enabled: bool
    tooltip: str


class LabelsKeys:
    """A screen whose footer labels change while it is shown (the main screen's digits are
    named after the tags on them): the footer asks `footer_label` for each key it shows."""

    def footer_label(self, binding: Binding) -> str | None:
        """What the footer says beside `binding`'s key; None leaves the key out."""
        return binding.description


class _Placed(NamedTuple):
    item: FooterItem
    start: int
    end: int
    """Cells [start, end) of the footer line."""


class KeyBar(Widget, can_focus=False):
    """The footer bar: the keys that work here, each with what it does."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--palette-edge",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer--hover { background: $block-hover-background; }
        & > .footer--palette-edge { color: $foreground 20%; }
    }
    """

    def __init__(self, *, show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        self._items: tuple[tuple[FooterItem, ...], FooterItem | None] | None = None
        """The keys on the left and the palette's key, as last shown (None: not read yet)."""
        self._placed: list[_Placed] = []
        """Where each key was drawn, for clicks and hovering."""
        self._hover: FooterItem | None = None
        self._drawn: tuple[tuple, Strip] | None = None
        """The last line drawn and what it was drawn from."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        items = self._read_items()
        if items != self._items:
            self._items = items
            self.refresh()

    def _read_items(self) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        """The keys to show now: the screen's active bindings marked `show`, one per action
        (as Textual's footer does: the first key bound to it), and the palette's key."""
        app = self.app
        screen = self.screen
        active = screen.active_bindings
        label_for = screen.footer_label if isinstance(screen, LabelsKeys) else None
        by_action: dict[str, FooterItem] = {}
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in by_action:
                continue
            description = label_for(binding) if label_for else binding.description
            if description is not None:
                by_action[binding.action] = FooterItem(
                    binding.key, app.get_key_display(binding), description, enabled, tooltip
                )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = FooterItem(
                    binding.key, app.get_key_display(binding), binding.description, enabled,
                    binding.tooltip or binding.description,
                )
        return tuple(by_action.values()), palette

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The footer's one line, as segments in the footer's styles (its descriptions are
        the app's own words and tag names already made safe to draw)."""
        width = self.size.width
        if y or width <= 0:
            return Strip.blank(width, self.rich_style)
        if self._items is None:  # not drawn yet; later, bindings_updated_signal tells
            self._items = self._read_items()
        keys, palette = self._items
        key = (width, self._items, self._hover)
        if self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1]
        base = self.rich_style
        placed: list[_Placed] = []
        segments: list[Segment] = []
        x = 0
        palette_part = self._palette_part(palette) if palette is not None else []
        room = width - Segment.get_line_length(palette_part)
        for item in keys:
            part = self._key_part(item, leading=" ")
            length = Segment.get_line_length(part)
            if x + length > room:
                break  # the rest would not fit: cut at a key, never inside one
            placed.append(_Placed(item, x, x + length))
            segments += part
            x += length
        if palette_part and room >= x:
            segments.append(Segment(" " * (room - x), base))
            placed.append(_Placed(palette, room + 1, width))
            segments += palette_part
        self._placed = placed
        strip = Strip(segments).adjust_cell_length(width, base)
        self._drawn = (key, strip)
        return strip

    def _key_part(self, item: FooterItem, *, leading: str) -> list[Segment]:
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        if item == self._hover and item.enabled:
            hover = self.get_component_rich_style("footer--hover")
            key_style, description_style = key_style + hover, description_style + hover
        elif not item.enabled:
            key_style, description_style = key_style + DIM, description_style + DIM
        part = [Segment(f"{leading}{item.key_display} ", key_style)]
        if item.description:
            part.append(Segment(f"{item.description} ", description_style))
        return part

    def _palette_part(self, item: FooterItem) -> list[Segment]:
        return [Segment("▏", self.get_component_rich_style("footer--palette-edge")),
                *self._key_part(item, leading="")]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None  # a new theme: the same keys in new colours

    # -- the mouse -------------------------------------------------------------------------

    def _item_at(self, x: int) -> FooterItem | None:
        return next((placed.item for placed in self._placed if placed.start <= x < placed.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._item_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, item: FooterItem | None) -> None:
        if item != self._hover:
            self._hover = item
            self.tooltip = item.tooltip or None if item is not None else None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
