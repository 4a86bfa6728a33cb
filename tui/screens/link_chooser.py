"""A small chooser shown when `enter` on a highlight could follow several links."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from postil.store.models import LinkView
from postil.tui.widgets.highlight_detail import link_prompt


class LinkChooserScreen(ModalScreen["LinkView | None"]):
    """Dismisses with the link to follow, or None."""

    CSS_PATH = "link_chooser.tcss"
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, views: list[LinkView]) -> None:
        super().__init__()
        self.views = list(views)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Follow which link?"))
            yield OptionList(*(Option(link_prompt(v)) for v in self.views))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.views[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
