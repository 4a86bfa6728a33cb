"""The annotating keys of the main screen: digits, tag picker, note, delete, undo/redo, links.

Every change goes through the session's UndoStack (tui.undo), which writes it to SQLite at
once, or queues it when the database is busy (shown when written, `change_written`). A store
error is shown as a notification and the app keeps running; the note editor keeps the typed
text when its save fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store.errors import Conflict, StoreError
from postil.store.models import Highlight, LinkView, Source, Tag
from postil.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from postil.tui.undo import UndoStack
    from postil.tui.undo_changes import Change, CreateHighlight

NEED_SELECTION = "select text first (v, s, p or a mouse drag), or put the cursor on a highlight"


class AnnotateActions:
    """MainScreen's actions behind 1-9 t c x u ctrl+r l enter (a base class of MainScreen
    only). What it uses of the screen, besides Screen's own methods, is declared here."""

    db: sqlite3.Connection
    reader: Reader
    source: Source | None
    tags: list[Tag]
    tag_colors: dict[str, str]
    by_id: dict[str, Highlight]
    current_id: str | None
    waiting_id: str | None = None  # the new highlight still in the write queue, if any
    waiting_span: tuple[int, int] = (0, 0)  # its place: a tag key means it only with the cursor there
    _pinned: bool
    undo_stack: UndoStack
    tell: Callable[[str], None]
    report: Callable[[Exception], None]
    refresh_annotations: Callable[..., None]
    reload_tags: Callable[..., None]
    open_source: Callable[..., bool]
    jump_to: Callable[..., None]
    _show_current: Callable[[], None]

    def do_change(self, change: Change, *, tags_changed: bool = False) -> bool:
        """Apply a change through the undo stack and repaint; False (and a message) on error."""
        try:
            self.undo_stack.do(change)
        except StoreError as error:
            self.report(error)
            return False
        if change.queued is not None:
            self.tell(f"the database is busy (another program is writing): {change.label} is "
                      "kept and written as soon as it is free")
            return True
        self.refresh_annotations(tags_changed=tags_changed, changed=change.touched())
        return True

    def change_written(self, change: Change) -> None:
        """A change the write queue wrote later (the database was busy): show it now."""
        ids = change.touched()
        self.reload_tags()  # it may have made a tag
        self.refresh_annotations(changed=ids, tags_changed=ids is None)
        if self.waiting_id is not None and getattr(change, "highlight_id", None) == self.waiting_id:
            self.waiting_id = None  # written: on screen now, so current in the usual way
            self.make_current(change.highlight_id)
        if getattr(change, "overwrote", False):
            self.tell("a note was changed elsewhere while yours waited: yours replaced it (u brings the other back)")

    def make_current(self, highlight_id: str) -> None:
        if highlight_id in self.by_id:
            self.current_id = highlight_id
            self._pinned = True
            self._show_current()

    # -- tags -----------------------------------------------------------------------------

    def action_tag_digit(self, digit: int) -> None:
        tag = next((t for t in self.tags if t.digit == digit), None)
        if tag is None:
            self.tell(f"no tag on {digit} yet: press t to create one")
            return
        self.apply_tag(tag.name)

    def apply_tag(self, name: str) -> None:
        """With a selection: a new highlight tagged `name`; else toggle `name` on the current highlight."""
        if self.source is None:
            return
        new_tag = name.casefold() not in {t.casefold() for t in self.tag_colors}
        selection = self.reader.selection
        if selection is not None:
            from postil.tui.undo_changes import CreateHighlight  # the first change: see tui/startup.py, 'Dialogs'

            change = CreateHighlight(self.source.id, selection[0], selection[1], [name], author=self.app.author)
            if self.do_change(change, tags_changed=new_tag):
                self.reader.clear_selection()
                self.make_current(change.highlight_id)
                # A highlight still waiting for the database is not on screen yet, so it cannot
                # be current; the next tag key means it, as it would once written.
                self.waiting_id = change.highlight_id if change.queued is not None else None
                self.waiting_span = selection
            return
        current = self.current_highlight()
        target = current.id if current is not None else None
        if target is None and self.waiting_id is not None:
            start, end = self.waiting_span
            # Moved off it onto plain text, the key means that text, not the queued highlight.
            target = self.waiting_id if start <= self.reader.cursor <= end else None
        if target is None:
            self.tell(NEED_SELECTION)
            return
        from postil.tui.undo_changes import ToggleTag  # the first change: see tui/startup.py, 'Dialogs'

        change = ToggleTag(target, name)
        if self.do_change(change, tags_changed=new_tag):
            self.make_current(target)

    def action_tag_picker(self) -> None:
        from postil.tui.screens.tag_picker import TagPickerScreen  # on first use: see tui/startup.py, 'Dialogs'
        if self.source is None:
            return
        if self.reader.selection is None and self.current_highlight() is None:
            self.tell(NEED_SELECTION)
            return

        title = "Tag the selection" if self.reader.selection is not None else "Toggle a tag on this highlight"
        current = self.current_highlight() if self.reader.selection is None else None

        def chosen(name: str | None) -> None:
            if name:
                self.apply_tag(name)

        self.app.push_screen(TagPickerScreen(self.tags, title, set(current.tags) if current else set()), chosen)

    # -- notes ----------------------------------------------------------------------------

    def action_note(self) -> None:
        if self.source is None:
            return
        selection = self.reader.selection
        created = None
        if selection is not None:
            from postil.tui.undo_changes import CreateHighlight  # the first change: see tui/startup.py, 'Dialogs'

            created = CreateHighlight(self.source.id, selection[0], selection[1], [], author=self.app.author)
            if not self.do_change(created):
                return
            self.reader.clear_selection()
            self.make_current(created.highlight_id)
        highlight = self.current_highlight()
        if highlight is None:
            self.tell(NEED_SELECTION)
            return
        self.open_note_editor(highlight, created)

    def open_note_editor(self, highlight, created: CreateHighlight | None = None) -> None:
        """Edit a highlight's note; `created` is the highlight made just for this note, if any
        (closing without saving takes it back, so a cancelled `c` leaves nothing behind)."""
        from postil.tui.screens.note_editor import NoteEditorScreen  # on first use: see tui/startup.py, 'Dialogs'
        from postil.tui.undo_changes import EditNote  # the first change: see tui/startup.py, 'Dialogs'
        started_from = highlight.version

        def save(text: str) -> str | None:
            nonlocal started_from
            try:
                change = self.undo_stack.do(EditNote(highlight.id, text, expected_version=started_from))
            except Conflict:
                # Tell once what the other window saved; a second ctrl+s is a deliberate choice
                # to put this text over it (undo brings the other one back).
                try:
                    now = store_highlights.get_highlight(self.db, highlight.id)
                except StoreError as error:
                    return f"Not saved ({error}); your text is still here"
                started_from = now.version
                shown = " ".join(now.note.split())
                shown = shown if len(shown) <= 80 else shown[:79] + "…"
                return (
                    f"Not saved: this note was changed elsewhere meanwhile, to “{shown}”. "
                    "Your text is still here: ctrl+s again saves it over that one, escape drops it."
                )
            except StoreError as error:
                return f"Not saved ({error}); your text is still here, try ctrl+s again"
            if change.queued is None:
                self.refresh_annotations(changed=[highlight.id])
            return None

        def closed(saved: bool | None) -> None:
            if saved:
                waiting = self.undo_stack.can_undo and self.undo_stack.last_queued
                self.tell("note kept: written as soon as the database is free" if waiting else "note saved")
            elif created is not None:  # the editor is modal: the creation is still the latest change
                self._history_step(undo=True, quiet=True)
            self.reader.focus()

        self.app.push_screen(NoteEditorScreen(highlight.quote, highlight.note, save), closed)

    # -- delete, undo, redo ---------------------------------------------------------------

    def action_delete(self) -> None:
        highlight = self.current_highlight()
        if highlight is None:
            self.tell("no highlight under the cursor")
            return
        from postil.tui.undo_changes import DeleteHighlight  # the first change: see tui/startup.py, 'Dialogs'

        if self.do_change(DeleteHighlight(highlight.id)):
            self.tell("highlight deleted (u undoes)")

    def action_undo(self) -> None:
        self._history_step(undo=True)

    def action_redo(self) -> None:
        self._history_step(undo=False)

    def _history_step(self, *, undo: bool, quiet: bool = False) -> None:
        self.waiting_id = None  # a tag key after undo/redo means what is on screen, not a queued highlight
        try:
            change = self.undo_stack.undo() if undo else self.undo_stack.redo()
        except StoreError as error:
            self.report(error)
            self.refresh_annotations(tags_changed=True)
            return
        if change is None:
            self.tell("nothing to undo" if undo else "nothing to redo")
            return
        self._show_change(change)
        if not quiet:
            later = " (written as soon as the database is free)" if change.queued is not None else ""
            self.tell(f"{'undone' if undo else 'redone'}: {change.label}{later}")

    def _show_change(self, change: Change) -> None:
        """After undo/redo: switch to the source the change touched and put the cursor there."""
        source_id = change.source_id
        highlight = None
        if change.highlight_id is not None:
            try:
                highlight = store_highlights.get_highlight(self.db, change.highlight_id)
                source_id = highlight.source_id
            except StoreError:
                highlight = None  # undone creation: the highlight is gone
        if source_id is not None and (self.source is None or source_id != self.source.id):
            self.reload_tags()
            self.open_source(source_id, offset=highlight.start if highlight else None)
        else:

            ids = change.touched()
            self.refresh_annotations(changed=ids, tags_changed=ids is None)
        if highlight is not None and highlight.id in self.by_id:
            self.reader.clear_selection()
            self.reader.move_to(highlight.start, center=True)
            self.make_current(highlight.id)

    # -- links ----------------------------------------------------------------------------

    def action_link(self) -> None:
        from postil.tui.screens.link_picker import LinkPickerScreen  # on first use: see tui/startup.py, 'Dialogs'
        from postil.tui.undo_changes import CreateLink  # the first change: see tui/startup.py, 'Dialogs'
        highlight = self.current_highlight()
        if highlight is None:
            self.tell("put the cursor on a highlight to link it")
            return

        def chosen(result) -> None:
            if not result:
                return
            to_id, relation, note = result

            if self.do_change(CreateLink(highlight.id, to_id, relation, note, author=self.app.author)):
                self.tell(f"linked ({relation})")

        self.app.push_screen(LinkPickerScreen(self.db, highlight.id), chosen)

    def action_follow(self) -> None:
        from postil.tui.screens.link_chooser import LinkChooserScreen  # on first use: see tui/startup.py, 'Dialogs'
        highlight = self.current_highlight()
        if highlight is None:
            return
        try:
            views = store_links.link_views(self.db, highlight.id)
        except StoreError as error:
            self.report(error)
            return
        outgoing = [v for v in views if v.direction == "out"]
        candidates = outgoing or views
        if not candidates:
            self.tell("this highlight has no links (l makes one)")
        elif len(candidates) == 1:
            self.follow_link(candidates[0])
        else:

            def chosen(view: LinkView | None) -> None:
                if view is not None:
                    self.follow_link(view)

            self.app.push_screen(LinkChooserScreen(candidates), chosen)

    def follow_link(self, view: LinkView) -> None:
        """Open the other end of a link (remembering where we were for ctrl+o)."""
        if self.jump_to(view.other_id, remember=True):
            self.reader.focus()
