"""Small modal questions the secondary screens ask: a line of text, a choice, a yes/no.

Each dismisses with the answer, or None when escaped. Prompts and options may hold
untrusted text (tag names), so they are shown as Content/Text, never parsed as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line


class AskText(ModalScreen[str | None]):
    """Ask for one line of text; enter answers, escape cancels."""

    CSS_PATH = "ask.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(for_display_line(self.prompt)))
            yield Input(value=self.value, placeholder=self.placeholder, id="answer")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskChoice(ModalScreen[str | None]):
    """Pick one of several values from a list; enter answers, escape cancels."""

    CSS_PATH = "ask.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, choices: list[str], current: str | None = None) -> None:
        super().__init__()
        self.prompt = prompt
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(for_display_line(self.prompt)))
            yield OptionList(*(Option(Text(for_display_line(c)), id=str(i)) for i, c in enumerate(self.choices)))
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = self.choices.index(self.current)
        elif self.choices:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskConfirm(ModalScreen[bool]):
    """A yes/no question: y or enter says yes, n or escape says no."""

    CSS_PATH = "ask.tcss"
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(for_display_line(self.question)))
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
