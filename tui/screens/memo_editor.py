"""The memo editor: the note editor, for a whole source's memo (summary, appraisal, design, n).

Saving, failures and "drop changes?" behave as in the note editor (tui.screens.note_editor):
the callback the main screen gives saves the text exactly as typed, and a failure keeps it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from postil.sources.sanitise import for_display_line
from postil.tui.screens.note_editor import NoteEditorScreen, SaveNote


class MemoEditorScreen(NoteEditorScreen):
    """Dismisses with True when the memo was saved, False when closed without saving."""

    CSS_PATH = ["note_editor.tcss", "memo_editor.tcss"]

    DROP_QUESTION = "Drop the changes to this memo?"

    def __init__(self, source_title: str, memo: str, save: SaveNote) -> None:
        super().__init__(source_title, memo, save)

    def compose(self) -> ComposeResult:
        title = " ".join(self.quote.split())
        if len(title) > 120:
            title = title[:119] + "…"
        with Vertical():
            yield Static(Content(f"Memo on {for_display_line(title)}"), id="note-quote")
            yield TextArea(self.original, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(Content(""), id="note-error")
            yield Static(Content("ctrl+s save · escape close · summary, appraisal, design, sample size"),
                         id="note-help")
