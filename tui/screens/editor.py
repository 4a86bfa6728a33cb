"""What the note, memo and record editors share: save through a callback, ask before dropping.

`ctrl+s` calls `submit`, which hands the typed text to the callback the main screen gave; when
saving fails (the database is busy, read-only, or a value is refused) its message is shown in the
editor and the typed text stays, so nothing the reviewer wrote is lost. `escape` closes at once
when nothing changed, and otherwise asks before dropping the changes.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from postil.sources.sanitise import for_display_line
from postil.tui.screens.confirm import ConfirmScreen


class EditorScreen(ModalScreen[bool]):
    """Dismisses with True when saved, False when closed without saving.

    A subclass says what changed (`changed`), how to save (`submit`: None when saved, else a
    message), where a failure is shown (`ERROR_ID`, a Static it composes) and what to ask."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "close", "close"),
    ]
    ERROR_ID = "editor-error"
    DROP_QUESTION = "Drop the changes?"

    @property
    def changed(self) -> bool:
        raise NotImplementedError

    def submit(self) -> str | None:
        raise NotImplementedError

    def keep_editing(self) -> None:
        """Where the cursor goes back to when the reviewer keeps editing."""

    def action_save(self) -> None:
        problem = self.submit()
        if problem is None:
            self.dismiss(True)
        else:
            self.query_one(f"#{self.ERROR_ID}", Static).update(Content(for_display_line(problem)))

    def action_close(self) -> None:
        if not self.changed:
            self.dismiss(False)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(False)
            else:
                self.keep_editing()

        self.app.push_screen(ConfirmScreen(self.DROP_QUESTION, yes="Drop changes", no="Keep editing"), answered)
