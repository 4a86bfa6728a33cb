"""The main screen's keys for a source's record and memo: B opens the record form (title,
authors, year, DOI ... and the library title), M the memo editor. In the library list the
same keys act on the source under its cursor; elsewhere on the open source.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from postil.store.errors import StoreError
from postil.store.memos import get_memo, save_memo
from postil.store.models import Source
from postil.store.records import MANUAL, Record, get_record, update_record
from postil.store.reviewers import blind_view
from postil.store.sources import get_source_info, rename_source
from postil.tui.screens.memo_editor import MemoEditorScreen
from postil.tui.screens.record_editor import RecordEdit, RecordEditorScreen
from postil.tui.widgets.library import LibraryList
from postil.tui.widgets.reader import Reader
from postil.tui.widgets.source_header import SourceHeader


class RecordActions:
    """MainScreen's keys B and M (a base class of MainScreen only). What it uses of the screen,
    besides Screen's own methods, is declared here."""

    db: sqlite3.Connection
    reader: Reader
    source: Source | None
    tell: Callable[[str], None]
    report: Callable[[BaseException | str], None]
    refresh_library: Callable[..., None]

    def source_to_describe(self, source_id: int | None) -> int | None:
        """The library row's source when the key came from there, else the open one (or None,
        said to the reviewer)."""
        if source_id is None and self.source is not None:
            source_id = self.source.id
        if source_id is None:
            self.tell("no source open: add one with `postil add`")
        return source_id

    def action_record(self, source_id: int | None = None) -> None:
        source_id = self.source_to_describe(source_id)
        if source_id is None:
            return
        try:
            info = get_source_info(self.db, source_id)
            record = get_record(self.db, source_id) or Record(source_id)
        except StoreError as error:
            self.report(error)
            return

        def save(edit: RecordEdit) -> str | None:
            try:
                if edit.title:
                    rename_source(self.db, source_id, edit.title)
                if edit.fields or edit.cleared or edit.key:
                    update_record(self.db, source_id, edit.fields, MANUAL, key=edit.key, remove=edit.cleared)
            except StoreError as error:
                return str(error)
            return None

        def closed(saved: bool | None) -> None:
            if saved:
                self.refresh_library()
                if self.source is not None and self.source.id == source_id:
                    self.source.title = get_source_info(self.db, source_id).title
                    self.query_one(SourceHeader).set_source(self.source.title)
                self.tell("record saved")
            self.reader.focus()

        self.app.push_screen(RecordEditorScreen(info.title, record, save), closed)

    def action_memo(self, source_id: int | None = None) -> None:
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
            try:
                save_memo(self.db, source_id, text, self.app.author)
            except StoreError as error:
                return str(error)
            return None

        def closed(saved: bool | None) -> None:
            if saved:
                self.tell("memo saved")
            self.reader.focus()

        self.app.push_screen(MemoEditorScreen(info.title, memo.memo if memo else "", save), closed)

    # Named for the message (not @on): Textual collects @on handlers only from the screen class itself.
    def on_library_list_edit(self, event: LibraryList.Edit) -> None:
        if event.what == "record":
            self.action_record(event.source_id)
        else:
            self.action_memo(event.source_id)
