"""tui.latest_read: a read that follows the keyboard runs off the UI thread, newest only."""

import threading

from screen_host import Host, add_text
from textual.screen import Screen

from postil.store.db import open_db
from postil.store.sources import list_sources
from postil.tui.latest_read import LatestRead


class Reads(Screen):
    def __init__(self, db) -> None:
        super().__init__()
        self.reads = LatestRead(self, db, "test")
        self.shown: list = []
        self.errors: list[str] = []


async def test_an_older_read_that_ends_last_is_dropped(tmp_path):
    db = open_db(tmp_path / "reads.db")
    add_text(db, "Trial", "One passage.")
    screen = Reads(db)
    app = Host(screen)
    release = threading.Event()
    threads = []

    def slow(conn):
        threads.append(threading.current_thread())
        release.wait(5)
        return ["old", *[s.title for s in list_sources(conn)]]

    def fast(conn):
        threads.append(threading.current_thread())
        return ["new", *[s.title for s in list_sources(conn)]]

    async with app.run_test() as pilot:
        await pilot.pause()
        screen.reads.run(slow, screen.shown.append, screen.errors.append)
        while not threads:  # the slow read is under way
            await pilot.pause(0.01)
        screen.reads.run(fast, screen.shown.append, screen.errors.append)
        while not screen.shown:
            await pilot.pause(0.01)
        release.set()  # the old read ends after the new one was shown
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert screen.shown == [["new", "Trial"]] and screen.errors == []
    assert threading.main_thread() not in threads
    assert not screen.reads.pending


async def test_an_in_memory_database_is_read_at_once():
    db = open_db(":memory:")
    screen = Reads(db)
    app = Host(screen)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen.reads.run(lambda conn: [s.title for s in list_sources(conn)], screen.shown.append,
                         screen.errors.append)
        assert screen.shown == [[]] and not screen.reads.pending


async def test_a_failed_read_is_one_line(tmp_path):
    db = open_db(tmp_path / "reads.db")
    screen = Reads(db)
    app = Host(screen)

    def broken(conn):
        return conn.execute("SELECT x FROM nowhere").fetchall()

    async with app.run_test() as pilot:
        await pilot.pause()
        screen.reads.run(broken, screen.shown.append, screen.errors.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert screen.shown == [] and screen.errors == ["no such table: nowhere"]
