"""The help screen: every key of the app, generated from tui.keymap (so it matches the footer)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from postil.sources.sanitise import for_display_line
from postil.tui import keymap


def help_content(digit_tags: dict[int, str]) -> Content:
    """Every key, grouped, with the current digit → tag assignment."""
    parts: list = [("postil — keys", "bold"), "\n"]

    def row(key: str, text: str) -> None:
        parts.extend([(f"\n  {key:<24}", "bold"), text])

    for group in (keymap.GLOBAL, keymap.ANNOTATE, keymap.READER, keymap.REVIEW):
        parts += ["\n", (group, "bold underline"), "\n"]
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
        parts.append("\n")
    parts += ["\n", ("escape, q or ? closes this screen", "dim")]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every key."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-height: 90%; height: auto; border: thick $accent; background: $surface; padding: 0 2; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss_help", "close")]

    def __init__(self, digit_tags: dict[int, str]) -> None:
        super().__init__()
        self.digit_tags = digit_tags

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_content(self.digit_tags), id="help-text")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
