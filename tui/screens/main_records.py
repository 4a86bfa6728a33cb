"""The main screen's keys for a source's record and memo: B opens the record form (title,
authors, year, DOI ... and the library title), M the memo editor. In the library list the
same keys act on the source under its cursor; elsewhere on the open source.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from postil.store.errors import StoreError
from postil.store.models import Source
from postil.store.reviewers import blind_view
from postil.store.sources import get_source_info
from postil.tui.widgets.library import LibraryList
from postil.tui.widgets.reader import Reader
from postil.tui.widgets.source_header import SourceHeader
from postil.tui.write_queue import PendingWrite, write_or_queue

if TYPE_CHECKING:
    from postil.tui.screens.record_editor import RecordEdit


class RecordActions:
    """MainScreen's keys B and M (a base class of MainScreen only). What it uses of the screen,
    besides Screen's own methods, is declared here."""

    db: sqlite3.Connection
    reader: Reader
    source: Source | None
    tell: Callable[[str], None]
    report: Callable[[BaseException | str], None]
    refresh_library: Callable[..., None]

    def write_or_queue(self, what: str, run: Callable[[sqlite3.Connection], object],
                       written: Callable[[], None]) -> str | None:
        """Write `run` in one transaction now, or queue it when the database is busy.

        None when it was written (`written` called) or queued (`written` called once it is);
        else the message to show in the editor, whose typed text stays.
        """
        def done(item: PendingWrite) -> None:
            if item.state == "written":
                written()
            elif item.state == "failed":
                self.report(item.error or StoreError(f"{what}: not written"))

        try:
            _, queued = write_or_queue(self.db, self.app.writes, what, run, done)
        except StoreError as error:
            return str(error)
        if queued is None:
            written()
        else:
            self.tell(f"the database is busy (another program is writing): the {what} is kept and "
                      "written as soon as it is free")
        return None

    def source_to_describe(self, source_id: int | None) -> int | None:
        """The library row's source when the key came from there, else the open one (or None,
        said to the reviewer)."""
        if source_id is None and self.source is not None:
            source_id = self.source.id
        if source_id is None:
            self.tell("no source open: add one with `postil add`")
        return source_id

    def action_record(self, source_id: int | None = None) -> None:
        # On first use, with the records and citation fields it needs: see tui/startup.py, 'Dialogs'.
        from postil.store.records import Record, get_record
        from postil.tui.screens.record_editor import RecordEditorScreen, apply_record_edit

        source_id = self.source_to_describe(source_id)
        if source_id is None:
            return
        try:
            info = get_source_info(self.db, source_id)
            record = get_record(self.db, source_id) or Record(source_id)
        except StoreError as error:
            self.report(error)
            return

        def written() -> None:
            self.refresh_library()
            if self.source is not None and self.source.id == source_id:
                self.source.title = get_source_info(self.db, source_id).title
                self.query_one(SourceHeader).set_source(self.source.title)
            self.tell("record saved")

        def save(edit: RecordEdit) -> str | None:
            return self.write_or_queue("record", lambda db: apply_record_edit(db, source_id, edit), written)

        def closed(saved: bool | None) -> None:
            self.reader.focus()

        self.app.push_screen(RecordEditorScreen(info.title, record, save), closed)

    def action_memo(self, source_id: int | None = None) -> None:
        # On first use, the editor and the memos' store: see tui/startup.py, 'Dialogs'.
        from postil.store.memos import get_memo, save_memo
        from postil.tui.screens.memo_editor import MemoEditorScreen

        source_id = self.source_to_describe(source_id)
        if source_id is None:
            return
        try:
            info = get_source_info(self.db, source_id)
            memo = get_memo(self.db, source_id)
            hidden = memo is not None and memo.author != self.app.author and \
                blind_view(self.db, self.app.author).hides_source(source_id)
        except StoreError as error:
            self.report(error)
            return
        if hidden:
            self.tell("this source's memo is another reviewer's, hidden in blind mode until you mark it done")
            return

        def save(text: str) -> str | None:
            return self.write_or_queue("memo", lambda db: save_memo(db, source_id, text, self.app.author),
                                       lambda: self.tell("memo saved"))

        def closed(saved: bool | None) -> None:
            self.reader.focus()

        self.app.push_screen(MemoEditorScreen(info.title, memo.memo if memo else "", save), closed)

    # Named for the message (not @on): Textual collects @on handlers only from the screen class itself.
    def on_library_list_edit(self, event: LibraryList.Edit) -> None:
        if event.what == "record":
            self.action_record(event.source_id)
        else:
            self.action_memo(event.source_id)

