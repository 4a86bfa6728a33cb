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

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class FooterItem(NamedTuple):
    """One key as the footer shows it. (Named tuples, not dataclasses: making a dataclass
    at import costs ~0.5 ms, on the way to the first screen.)"""

    key: str
    """The Textual key name a click simulates."""
    key_display: str
    description: str
    enabled: bool
    tooltip: str


class _Placed(NamedTuple):
    item: FooterItem
    start: int
    end: int
    """Cells [start, end) of the footer line."""


class Footer(Widget, can_focus=False):
    """The footer bar: the keys that work here, each with what it does."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--palette-edge",
    }
    DEFAULT_CSS = """
    Footer {
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

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and self._read_items() != self._items:
            self.refresh()

    def _read_items(self) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        """The keys to show now: the screen's active bindings marked `show`, one per action
        (as Textual's footer does: the first key bound to it), and the palette's key."""
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, FooterItem] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = FooterItem(
                    binding.key, app.get_key_display(binding), binding.description, enabled, tooltip
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

    def render(self) -> Content:
        width = self.size.width
        self._items = keys, palette = self._read_items()
        self._placed = []
        parts: list[Content] = []
        x = 0
        palette_part = self._palette_part(palette) if palette is not None else None
        room = width - (palette_part.cell_length if palette_part is not None else 0)
        for item in keys:
            part = self._key_part(item, leading=" ")
            if x + part.cell_length > room:
                break  # the rest would not fit: cut at a key, never inside one
            self._placed.append(_Placed(item, x, x + part.cell_length))
            parts.append(part)
            x += part.cell_length
        if palette_part is not None and room >= x:
            parts.append(Content(" " * (room - x)))
            self._placed.append(_Placed(palette, room + 1, width))
            parts.append(palette_part)
        return Content("").join(parts)

    def _key_part(self, item: FooterItem, *, leading: str) -> Content:
        hover = ("footer--hover",) if item == self._hover and item.enabled else ()
        part = Content.assemble(
            (f"{leading}{item.key_display} ", self.get_visual_style("footer--key", *hover)),
            (f"{item.description} " if item.description else "",
             self.get_visual_style("footer--description", *hover)),
        )
        return part if item.enabled else part.stylize("dim")

    def _palette_part(self, item: FooterItem) -> Content:
        edge = Content.styled("▏", self.get_visual_style("footer--palette-edge"))
        return edge + self._key_part(item, leading="")

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
