"""The help screen: every key of the app, generated from tui.keymap (so it matches the footer)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from postil.sources.sanitise import for_display_line
from postil.tui import keymap


def help_content(digit_tags: dict[int, str]) -> Table:
    """Every key, grouped, with the current digit → tag assignment.

    A two-column grid (Rich's Table): a description too long for the box wraps inside its
    own column, under its first line, where a single text used to wrap back to the box's
    left edge, under the keys (issue 17).
    """
    keys = [k for k, _ in (*keymap.OTHER_GLOBAL_KEYS, *keymap.READER_KEYS)] + [e.help_key for e in keymap.MAIN_KEYS]
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=2 + max(map(len, keys)), no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text("postil — keys", "bold"))

    def row(key: str, text: str) -> None:
        grid.add_row(Text("  " + key, "bold"), Text(text))

    for group in (keymap.GLOBAL, keymap.ANNOTATE, keymap.READER, keymap.REVIEW):
        grid.add_row()
        grid.add_row(Text(group, "bold underline"))
        if group == keymap.GLOBAL:
            for key, text in keymap.OTHER_GLOBAL_KEYS:
                row(key, text)
        for entry in keymap.MAIN_KEYS:
            if entry.group == group:
                row(entry.help_key, entry.long)
        if group == keymap.ANNOTATE:
            for digit in keymap.DIGITS:
                if digit in digit_tags:
                    row(str(digit), f"tag {for_display_line(digit_tags[digit])}")
        if group == keymap.READER:
            for key, text in keymap.READER_KEYS:
                row(key, text)
    grid.add_row()
    grid.add_row(Text("escape, q or ? closes this screen", "dim"))
    return grid


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every key."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark", "dismiss_help", "close")]

    def __init__(self, digit_tags: dict[int, str]) -> None:
        super().__init__()
        self.digit_tags = digit_tags

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_content(self.digit_tags), id="help-text")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
