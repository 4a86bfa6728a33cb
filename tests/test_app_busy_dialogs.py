"""Dialogs while another connection holds the write lock: reconcile decisions, the memo and
record editors and `A` keep what the reviewer did in the write queue and write it later.

The lock and the sample app are the fixtures of tests/conftest.py (as in test_app_busy_database).
"""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, screen_text, settle, widget_text

from postil.store import highlights as store_highlights
from postil.store.memos import get_memo
from postil.store.reconcile import decisions
from postil.store.sources import get_source_info, list_sources, source_text
from postil.tui.screens.add_source import AddSourceScreen
from postil.tui.screens.memo_editor import MemoEditorScreen
from postil.tui.screens.reconcile import ReconcileScreen
from postil.tui.screens.record_editor import RecordEditorScreen
from postil.tui.widgets.library import LibraryList
from postil.tui.widgets.source_header import SourceHeader


def header(app) -> str:
    return widget_text(app.screen.query_one(SourceHeader))


def stored(db, source_id) -> list:
    return store_highlights.highlights_for_source(db, source_id)


def disagreeing(db) -> tuple[int, str]:
    """The sample with one place ana and ben coded differently: (source id, its text)."""
    source_id = add_text(db, SAMPLE)
    text = source_text(db, source_id)
    start = text.index("Effects lasted five weeks.")
    for author, tag in (("ana", "outcome"), ("ben", "caveat")):
        store_highlights.create_highlight(db, source_id, start, start + 26, tags=[tag], author=author)
    return source_id, text


async def open_reconcile(pilot, app) -> ReconcileScreen:
    await pilot.pause()
    await pilot.press("C")
    assert await settle(pilot, lambda: isinstance(app.screen, ReconcileScreen))
    return app.screen


async def test_a_reconcile_decision_made_while_locked_waits_and_is_written(app_settings, app_db, lock):
    """Issue 18: reconcile said 'busy… try again' and forgot the keystroke. Now `2` queues the
    decision (its row says so), it is written once the lock is released, and `u` undoes it."""
    source_id, _ = disagreeing(app_db)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reconcile(pilot, app)
        lock.take()
        await pilot.press("2")  # keep ben's version
        await pilot.pause()
        assert decisions(app_db) == []
        assert await settle(pilot, lambda: "queued: keep" in screen_text(app))
        await pilot.press("2")  # the same place again: refused, not queued twice
        await pilot.pause()
        assert app.writes.pending == 1
        lock.release()
        assert await settle(pilot, lambda: len(decisions(app_db)) == 1)
        [made] = decisions(app_db)
        assert made.decision == "keep" and made.decided_by
        assert await settle(pilot, lambda: screen.places == [] and "no disagreements left" in screen_text(app))
        await pilot.press("u")
        await pilot.pause()
        assert decisions(app_db) == [] and len(screen.places) == 1


async def test_u_takes_a_waiting_reconcile_decision_back_out_of_the_queue(app_settings, app_db, lock):
    source_id, text = disagreeing(app_db)
    alone = text.index("The sample was small")
    store_highlights.create_highlight(app_db, source_id, alone, alone + 20, tags=["caveat"], author="ana")
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reconcile(pilot, app)
        assert len(screen.places) == 2
        lock.take()
        await pilot.press("2", "down", "x")  # the first is being written (waits in SQLite), the second waits
        await pilot.pause()
        assert await settle(pilot, lambda: screen_text(app).count("queued:") == 2)
        await pilot.press("u")
        await pilot.pause()
        assert screen_text(app).count("queued:") == 1 and app.writes.pending == 1
        lock.release()
        assert await settle(pilot, lambda: [d.decision for d in decisions(app_db)] == ["keep"])
        assert await settle(pilot, lambda: [p.kind for p in screen.places] == ["only"])


async def test_a_memo_and_a_record_saved_while_locked_wait_and_are_written(app_db, lock, sample):
    # They said "busy… try again" and kept the editor open: the reviewer had to retry by hand.
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lock.take()
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"RCT, n = 59", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, MemoEditorScreen)
        assert "1 write pending" in header(app)
        await pilot.press("B")
        await pilot.pause()
        app.screen.query_one("#field-library-title").value = "Renamed while busy"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordEditorScreen)
        assert "2 writes pending" in header(app)
        assert get_memo(app_db, source_id) is None
        lock.release()
        assert await settle(pilot, lambda: get_source_info(app_db, source_id).title == "Renamed while busy")
        assert get_memo(app_db, source_id).memo == "RCT, n = 59"
        assert await settle(pilot, lambda: "Renamed while busy" in header(app))


async def test_a_file_added_with_a_while_locked_waits_and_comes_into_the_library(app_db, lock, sample, tmp_path):
    # `A` said "busy" and kept the dialog: the file had been read, and was then forgotten.
    app, _ = sample
    paper = tmp_path / "trial-report.md"
    paper.write_text("# Trial report\n\nRelapse was rare.\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lock.take()
        await pilot.press("A")
        await pilot.pause()
        app.screen.query_one("#path").value = str(paper)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, AddSourceScreen)
        assert "1 write pending" in header(app)
        lock.release()
        assert await settle(pilot, lambda: "Trial report" in [s.title for s in list_sources(app_db)])
        assert await settle(pilot, lambda: "Trial re" in widget_text(app.screen.query_one(LibraryList)))
