"""Textual's footer, rebuilt only when what it shows changes.

Textual's Footer removes and mounts all its key widgets again on every bindings update: a
focus change, the terminal window gaining focus, a new tag on a digit. With the main
screen's fifteen keys that is ~50 ms each, and start-up alone sent three or four of them,
holding back the first screen and the first keys. Most of those updates change nothing
the footer shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """The footer bar: the keys that work here, each with what it does."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        """What the key widgets were composed from (None: not composed with keys yet)."""

    def _what_to_show(self) -> tuple:
        return tuple(
            (binding.key, binding.key_display, binding.description, binding.action, binding.show,
             binding.priority, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and screen is self.screen and self._what_to_show() == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._shown = self._what_to_show() if self._bindings_ready else None
        yield from super().compose()
