"""The note editor: a multi-line TextArea for a highlight's note (Markdown allowed).

`ctrl+s` saves through a callback the main screen gives; when saving fails (the database is
busy, read-only, or someone else changed the note meanwhile) the message is shown here and the
typed text stays, so nothing the reviewer wrote is lost. `escape` asks before dropping changes.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from postil.sources.sanitise import for_display, for_display_line
from postil.tui.screens.editor import EditorScreen

SaveNote = Callable[[str], "str | None"]
"""Save the text; returns None when saved, else a message for the user."""


class NoteEditorScreen(EditorScreen):
    """Dismisses with True when the note was saved, False when closed without saving."""

    ERROR_ID = "note-error"
    DROP_QUESTION = "Drop the changes to this note?"

    CSS_PATH = "note_editor.tcss"

    def __init__(self, quote: str, note: str, save: SaveNote) -> None:
        super().__init__()
        self.quote = quote
        # A TextArea draws what it holds: control characters in a stored note (put there by a
        # script, say) are shown as visible marks, and saving keeps those marks.
        self.original = for_display(note)
        self.save_note = save

    def compose(self) -> ComposeResult:
        with Vertical():
            quote = " ".join(self.quote.split())
            if len(quote) > 200:
                quote = quote[:199] + "…"
            yield Static(Content(f"Note on “{for_display_line(quote)}”"), id="note-quote")
            yield TextArea(self.original, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(Content(""), id="note-error")
            yield Static(Content("ctrl+s save · escape close · Markdown allowed"), id="note-help")

    def on_mount(self) -> None:
        area = self.text_area
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#note-text", TextArea)

    @property
    def changed(self) -> bool:
        return self.text_area.text != self.original

    def submit(self) -> str | None:
        return self.save_note(self.text_area.text)

    def keep_editing(self) -> None:
        self.text_area.focus()
