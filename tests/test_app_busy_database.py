"""The app while another connection holds the write lock (a long import, a stuck shell).

A second real connection on the same file takes `BEGIN IMMEDIATE` and keeps it: the app
must stay responsive, keep the keystroke's change in its write queue, say so in the
header, and write it once the lock is released. Quitting with writes pending asks.
"""

from __future__ import annotations

import threading
import time

from app_support import SAMPLE, SIZE, add_text, make_app, select_text, settle, widget_text

from postil.store import highlights as store_highlights
from postil.store.sources import get_source_info, source_text
from postil.tui.screens.confirm import ConfirmScreen
from postil.tui.widgets.source_header import SourceHeader


def header(app) -> str:
    return widget_text(app.screen.query_one(SourceHeader))


def stored(db, source_id) -> list:
    return store_highlights.highlights_for_source(db, source_id)


async def test_a_highlight_made_while_the_database_is_locked_is_kept_and_written_later(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        lock.take()
        select_text(app.screen, "Effects lasted five weeks.")
        started = time.monotonic()
        await pilot.press("1")
        await pilot.pause()
        took = time.monotonic() - started
        assert took < 2, f"the key took {took:.1f} s: the app froze on the lock"
        assert "1 write pending" in header(app)
        assert stored(app_db, source_id) == []
        # Still responsive: the cursor moves while the write waits.
        before = app.screen.reader.cursor
        await pilot.press("j")
        await pilot.pause()
        assert app.screen.reader.cursor != before
        lock.release()
        assert await settle(pilot, lambda: len(stored(app_db, source_id)) == 1)
        [highlight] = stored(app_db, source_id)
        assert highlight.quote == "Effects lasted five weeks."
        assert await settle(pilot, lambda: "pending" not in header(app))
        assert highlight.id in app.screen.by_id  # the screen shows it once written


async def test_writes_queued_behind_a_lock_are_applied_in_order(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        lock.take()
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1")
        select_text(app.screen, "The sample was small")
        await pilot.press("2")
        await pilot.pause()
        assert "2 writes pending" in header(app)
        lock.release()
        assert await settle(pilot, lambda: len(stored(app_db, source_id)) == 2)
        highlights = stored(app_db, source_id)
        assert [h.quote for h in sorted(highlights, key=lambda h: h.created_at)] == [
            "Effects lasted five weeks.", "The sample was small"]


async def test_undo_of_a_change_still_waiting_takes_it_out_of_the_queue(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        lock.take()
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1")
        select_text(app.screen, "The sample was small")
        await pilot.press("2")
        await pilot.press("u")  # takes back the second, never written
        await pilot.pause()
        assert "1 write pending" in header(app)
        lock.release()
        assert await settle(pilot, lambda: "pending" not in header(app))
        assert [h.quote for h in stored(app_db, source_id)] == ["Effects lasted five weeks."]
        await pilot.press("ctrl+r")  # redo writes it now, the database being free
        await pilot.pause()
        assert len(stored(app_db, source_id)) == 2
        await pilot.press("u", "u")
        await pilot.pause()
        assert stored(app_db, source_id) == []


async def test_undo_of_a_written_change_while_locked_is_queued_too(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1")
        await pilot.pause()
        assert len(stored(app_db, source_id)) == 1
        lock.take()
        await pilot.press("u")
        await pilot.pause()
        assert "1 write pending" in header(app)
        assert len(stored(app_db, source_id)) == 1
        lock.release()
        assert await settle(pilot, lambda: stored(app_db, source_id) == [])
        assert await settle(pilot, lambda: not app.screen.by_id)


async def test_quitting_with_writes_pending_asks_and_waiting_really_waits(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        lock.take()
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "1 write" in app.screen.question
        await pilot.press("n")  # wait
        await pilot.pause(0.3)
        assert app.is_running, "waiting must not quit while the write is pending"
        assert not isinstance(app.screen, ConfirmScreen)
        lock.release()
        assert await settle(pilot, lambda: not app.is_running)
    assert len(stored(app_db, source_id)) == 1


async def test_quitting_and_losing_the_pending_writes(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        lock.take()
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # quit and lose them
        assert await settle(pilot, lambda: not app.is_running)
    lock.release()
    time.sleep(0.3)  # the abandoned write must not sneak in after the lock is released
    assert stored(app_db, source_id) == []


async def test_a_read_only_database_says_so_in_the_header_and_refuses_in_one_line(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app_db.close()
    app_settings.db_path.chmod(0o444)
    try:
        from postil.store.readonly import connect_read_only

        db = connect_read_only(app_settings.db_path, 1)
        db.read_only_cause = "the file cannot be written"
        app = make_app(app_settings, db, source_id, at_top=True)
        async with app.run_test(size=SIZE) as pilot:
            assert "read-only (the file cannot be written)" in header(app)
            select_text(app.screen, "Effects lasted five weeks.")
            await pilot.press("1")
            await pilot.pause()
            shown = [str(n.message) for n in app._notifications]
            assert any("read-only (the file cannot be written); nothing was changed" in m for m in shown)
            assert all("\n" not in m for m in shown)
            assert "pending" not in header(app)
            assert app.is_running
        assert stored(db, source_id) == []
    finally:
        app_settings.db_path.chmod(0o644)


async def test_a_second_tag_on_a_highlight_still_waiting_is_kept_too(app_db, lock, sample):
    # Found by bench/bench_app_write_lock.py: `1` then `2` behind a lock kept the highlight
    # but dropped the second tag ("select text first"), as the new highlight was not current.
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        lock.take()
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1")
        await pilot.press("2")
        await pilot.pause()
        assert "2 writes pending" in header(app)
        lock.release()
        assert await settle(pilot, lambda: "pending" not in header(app))
        [highlight] = stored(app_db, source_id)
        assert len(highlight.tags) == 2


async def test_a_tag_key_after_moving_off_a_waiting_highlight_does_not_tag_it(app_db, lock, sample):
    # Issue 18: the tag key kept meaning the queued highlight after the cursor had left it
    # for plain text; it must mean what is under the cursor, as once the highlight is written.
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        lock.take()
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1")
        await pilot.pause()
        quote_end = source_text(app_db, source_id).index("Effects lasted five weeks.") + 26
        app.screen.reader.move_to(quote_end + 30)
        await pilot.pause()
        assert not quote_end - 26 <= app.screen.reader.cursor <= quote_end
        await pilot.press("2")
        await pilot.pause()
        assert app.writes.pending == 1  # only the highlight: the 2 was not queued on it
        lock.release()
        assert await settle(pilot, lambda: "pending" not in header(app))
        [highlight] = stored(app_db, source_id)
        assert len(highlight.tags) == 1


async def test_the_reading_position_waits_in_the_queue_and_the_last_one_wins(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lock.take()
        for _ in range(3):
            await pilot.press("j")
            app.screen.save_position()
        await pilot.pause()
        assert app.writes.queued(("position", source_id))  # waiting, not dropped
        assert "pending" not in header(app)  # a position is not a write the user must wait for
        cursor = app.screen.reader.cursor
        lock.release()
        # The queue forgets a write once told it is done, a moment after the row is in.
        assert await settle(pilot, lambda: get_source_info(app_db, source_id).read_offset == cursor
                            and not app.writes.queued(("position", source_id)))


async def test_quitting_with_only_a_position_waiting_does_not_ask(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lock.take()
        await pilot.press("j")
        app.request_quit()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert not app.is_running


async def test_quitting_gives_a_waiting_position_one_short_try(app_db, lock, sample):
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lock.take()
        await pilot.press("j", "j")
        app.screen.save_position()
        cursor = app.screen.reader.cursor
        # The other program finishes after the UI connection gave up (200 ms), within the wait.
        threading.Timer(0.3, lock.release).start()
        app.request_quit()
        assert get_source_info(app_db, source_id).read_offset == cursor  # written before quitting, not by luck after


async def test_once_a_write_waits_the_next_ones_queue_behind_it_without_trying_the_lock(app_db, lock, sample):
    # Each try on the app's own connection is up to 200 ms of frozen screen: after the reading
    # position found the lock taken, the highlight that followed spent another 200 ms on it.
    app, source_id = sample
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lock.take()
        await pilot.press("j")
        app.screen.save_position()
        assert app.writes.queued(("position", source_id))
        tried: list[str] = []
        app.db.set_trace_callback(lambda sql: tried.append(sql) if "BEGIN" in sql.upper() else None)
        select_text(app.screen, "The sample was small")
        await pilot.press("1")
        await pilot.press("2")
        await pilot.pause()
        app.db.set_trace_callback(None)
        assert tried == []  # no write tried the lock from the event loop
        assert "2 writes pending" in header(app)
        lock.release()
        assert await settle(pilot, lambda: [h.tags for h in stored(app_db, source_id)] == [["mechanism", "outcome"]])
