"""The app when the database refuses writes (read-only, full disk) or a note changed elsewhere:
a message on screen, the app keeps running, nothing half-written, typed text kept.

Read-only is `PRAGMA query_only` on the app's own connection (the suite runs as root, which
ignores file modes); a full disk is `PRAGMA max_page_count` just above the current size.
"""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, select_text

from postil.store import highlights as store_highlights
from postil.store.db import open_db
from postil.tui.screens.note_editor import NoteEditorScreen


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def read_only(db, on: bool = True) -> None:
    db.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


def fill_disk(db) -> None:
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 1}")


def error_text(editor) -> str:
    return str(editor.query_one("#note-error").render())


async def test_a_read_only_database_refuses_highlights_with_a_message(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        read_only(app_db)
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1")
        await pilot.pause()
        assert store_highlights.highlights_for_source(app_db, source_id) == []
        assert any("read-only" in m and str(app_settings.db_path) in m for m in messages(app))
        assert app.is_running
        # The selection is still there: once writable again, the same key works.
        read_only(app_db, False)
        await pilot.press("1")
        await pilot.pause()
        assert len(store_highlights.highlights_for_source(app_db, source_id)) == 1
        read_only(app_db)
        await pilot.press("q")  # quitting saves the position: refused, but quitting works
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_a_note_refused_by_a_read_only_database_stays_in_the_editor(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1", "c", *"my careful note")
        await pilot.pause()
        read_only(app_db)
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.text_area.text == "my careful note"
        assert "read-only" in error_text(editor)
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.note == ""
        read_only(app_db, False)
        await pilot.press("ctrl+s")  # the reviewer retries once the database is writable
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditorScreen)
        assert store_highlights.get_highlight(app_db, h.id).note == "my careful note"


async def test_a_note_too_big_for_a_full_disk_stays_in_the_editor(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1", "c")
        await pilot.pause()
        editor = app.screen
        long_note = "A long pasted note. " * 1_000  # 20 kB: more than the one page left
        editor.text_area.text = long_note  # as if pasted
        fill_disk(app_db)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor and editor.text_area.text == long_note
        assert "disk is full" in error_text(editor)
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.note == ""
        assert app_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert app.is_running


async def test_a_note_saved_in_another_window_meanwhile_is_not_overwritten(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1", "c", *"typed here")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        other = open_db(app_settings.db_path)  # a second app instance: its own connection
        store_highlights.set_note(other, h.id, "saved in the other window", expected_version=h.version)
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.text_area.text == "typed here"
        assert "changed elsewhere" in error_text(editor)
        assert store_highlights.get_highlight(other, h.id).note == "saved in the other window"


async def test_after_a_conflict_the_reviewer_can_still_save_deliberately(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1", "c", *"typed here")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        other = open_db(app_settings.db_path)
        store_highlights.set_note(other, h.id, "saved in the other window", expected_version=h.version)
        await pilot.press("ctrl+s")  # told about the other change
        await pilot.pause()
        await pilot.press("ctrl+s")  # seen it; save anyway
        await pilot.pause()
        assert store_highlights.get_highlight(other, h.id).note == "typed here"
