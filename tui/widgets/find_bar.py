"""The find bar under the reader: an Input that reports typing, enter and escape as messages
of its own (Searched, Accepted, Closed, Left), so the screen never mistakes another Input for it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    """Hidden until `/`; the screen runs the search on every change (incremental)."""

    DEFAULT_CSS = """
    FindBar { dock: bottom; display: none; height: 3; }
    FindBar.-not-found { border: tall $error; }
    """
    BINDINGS = [Binding("escape", "close", "close", show=False)]

    class Searched(Message):
        """The text to find changed (empty: back to where the search started)."""

        def __init__(self, bar: FindBar, text: str) -> None:
            super().__init__()
            self.bar = bar
            self.text = text

    class Accepted(Message):
        """Enter: the search stays where it is."""

        def __init__(self, bar: FindBar, text: str) -> None:
            super().__init__()
            self.bar = bar
            self.text = text

    class Closed(Message):
        """Escape: the search is cancelled."""

        def __init__(self, bar: FindBar) -> None:
            super().__init__()
            self.bar = bar

    class Left(Message):
        """The focus went elsewhere (a click in the reader, another screen): the bar closed."""

        def __init__(self, bar: FindBar) -> None:
            super().__init__()
            self.bar = bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="find (enter accepts, escape closes)", id=id)
        self.origin = 0
        """Where the cursor was when the bar opened: the search starts there, escape returns there."""

    def open(self, origin: int, last_query: str = "") -> None:
        """Show the bar with the last query in it, selected (Input selects on focus), so
        enter finds it again and typing replaces it."""
        self.origin = origin
        self.value = last_query
        self.border_title = ""
        self.remove_class("-not-found")
        self.display = True
        self.focus()

    def close(self) -> None:
        self.display = False

    def on_blur(self) -> None:
        # Focus went elsewhere (a click in the reader, another screen): the search is over,
        # and a bar left open without focus would only confuse.
        if self.display:
            self.close()
            self.post_message(self.Left(self))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Searched(self, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Accepted(self, event.value))

    def action_close(self) -> None:
        self.post_message(self.Closed(self))
