"""Real places nobody can write: a read-only tmpfs and bind mount, an immutable file, a full disk.

Each needs root (mount, chattr) and skips, saying why, without it. Reading works; a write
fails in one line naming the cause; the database file is byte-identical afterwards.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from app_support import SIZE, make_app, select_text, widget_text
from cli_support import ARTICLE, Postil

from postil.store import highlights as store_highlights
from postil.store.db import open_db
from postil.tui.settings import Settings
from postil.tui.widgets.source_header import SourceHeader


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=30)


def _need_root(tool: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"needs root for {tool} (running as uid {os.geteuid()})")
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")


def _sha(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


class Mounts:
    """Mounts made by a test, undone at its end (lazily, should a file still be open)."""

    def __init__(self) -> None:
        self.points: list[Path] = []

    def tmpfs(self, where: Path, size: str) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        self._mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
        return where

    def bind_read_only(self, folder: Path, where: Path) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        self._mount("--bind", str(folder), str(where))
        self.remount_read_only(where, bind=True)
        return where

    def remount_read_only(self, where: Path, *, bind: bool = False) -> None:
        done = _run("mount", "-o", "remount,bind,ro" if bind else "remount,ro", str(where))
        if done.returncode:
            pytest.skip(f"cannot remount {where} read-only: {done.stderr.strip()}")

    def _mount(self, *args: str) -> None:
        done = _run("mount", *args)
        if done.returncode:
            pytest.skip(f"mount {' '.join(args)} failed: {done.stderr.strip()}")
        self.points.append(Path(args[-1]))

    def undo(self) -> None:
        for point in reversed(self.points):
            if _run("umount", str(point)).returncode:
                _run("umount", "-l", str(point))


@pytest.fixture
def mounts():
    _need_root("mount")
    made = Mounts()
    yield made
    made.undo()


def make_database(folder: Path) -> Postil:
    """A closed database in `folder` with one source and one highlight (one file, no -wal)."""
    postil = Postil(folder)
    postil.ok("add", postil.write("article.txt", ARTICLE))
    postil.ok("mark", "1", "The sample was small", "--tag", "caveat")
    return postil


def assert_reads_work(postil: Postil) -> None:
    listed = postil.ok("sources")
    assert "Durability of response" in listed.stdout
    found = postil.ok("search", "tag:caveat")
    assert "The sample was small" in found.stdout
    shown = postil.ok("show", "1")
    assert "Some relapses followed stressful events." in shown.stdout


def assert_writes_fail(postil: Postil, cause: str) -> None:
    other = postil.tmp_path / "article.txt"
    for args in (("mark", "1", "Some relapses", "--tag", "x"), ("add", str(other)), ("tag", "rename", "caveat", "limit")):
        run = postil.fails(*args)
        [line] = run.stderr.strip().splitlines()
        assert cause in line and "nothing was changed" in line, (args, line)
        assert str(postil.db_path) in line


def test_a_read_only_tmpfs(tmp_path, mounts):
    folder = mounts.tmpfs(tmp_path / "m", "4m")
    postil = make_database(folder)
    before = _sha(postil.db_path)
    mounts.remount_read_only(folder)
    assert_reads_work(postil)
    assert_writes_fail(postil, "read-only (it is on a read-only file system)")
    assert _sha(postil.db_path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["article.txt", "p.db"]


def kill_a_writer_after_a_logged_highlight(postil: Postil) -> None:
    """A writer commits a highlight tagged `logged` into the write-ahead log (no checkpoint)
    and is killed: -wal and -shm stay beside the file, holding that commit."""
    killed = _run(sys.executable, "-c", (
        "import os\n"
        "from postil.store.db import open_db\n"
        "from postil.store.highlights import create_highlight\n"
        f"db = open_db({str(postil.db_path)!r}); db.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "create_highlight(db, 1, 0, 10, tags=['logged'])\n"
        "os.kill(os.getpid(), 9)\n"))
    assert killed.returncode == -9, killed.stderr


def test_a_read_only_tmpfs_after_a_crash_keeps_the_logged_changes_readable(tmp_path, mounts):
    # A writer killed mid-session leaves -wal and -shm beside the file; the mount then
    # turns read-only. The log's commits are part of the database and must be read.
    folder = mounts.tmpfs(tmp_path / "m", "4m")
    postil = make_database(folder)
    kill_a_writer_after_a_logged_highlight(postil)
    assert Path(f"{postil.db_path}-wal").stat().st_size > 0
    mounts.remount_read_only(folder)
    assert "logged" in postil.ok("search", "tag:logged").stdout
    assert_writes_fail(postil, "read-only (it is on a read-only file system)")


def test_a_log_without_its_shared_memory_file_on_a_read_only_mount_is_read_from_a_copy(tmp_path, mounts):
    # The -shm file is gone (cleaned up, or never copied with the folder) while -wal holds
    # commits: SQLite cannot rebuild it where nothing can be written, so postil reads a copy.
    folder = mounts.tmpfs(tmp_path / "m", "4m")
    postil = make_database(folder)
    kill_a_writer_after_a_logged_highlight(postil)
    Path(f"{postil.db_path}-shm").unlink()
    mounts.remount_read_only(folder)
    before = {p.name: _sha(p) for p in folder.iterdir()}
    assert "logged" in postil.ok("search", "tag:logged").stdout
    assert_reads_work(postil)
    assert_writes_fail(postil, "read-only (it is on a read-only file system")
    assert {p.name: _sha(p) for p in folder.iterdir()} == before


def test_a_read_only_bind_mount(tmp_path, mounts):
    postil = make_database(tmp_path / "d")
    before = _sha(postil.db_path)
    view = Postil(mounts.bind_read_only(tmp_path / "d", tmp_path / "view"))
    assert_reads_work(view)
    assert_writes_fail(view, "read-only (it is on a read-only file system)")
    assert _sha(postil.db_path) == before


@pytest.fixture
def immutable():
    _need_root("chattr")
    marked: list[Path] = []

    def mark(path: Path) -> None:
        done = _run("chattr", "+i", str(path))
        if done.returncode:
            pytest.skip(f"chattr +i {path} failed: {done.stderr.strip()}")
        marked.append(path)

    yield mark
    for path in marked:
        _run("chattr", "-i", str(path))


def test_an_immutable_file(tmp_path, immutable):
    postil = make_database(tmp_path)
    before = _sha(postil.db_path)
    immutable(postil.db_path)
    assert_reads_work(postil)
    assert_writes_fail(postil, "read-only (the file is marked immutable (chattr +i))")
    assert _sha(postil.db_path) == before


def test_an_immutable_folder(tmp_path, immutable):
    postil = make_database(tmp_path / "d")
    before = _sha(postil.db_path)
    immutable(postil.db_path.parent)
    assert_reads_work(postil)
    assert_writes_fail(postil, "is marked immutable (chattr +i)")
    assert _sha(postil.db_path) == before


def fill(folder: Path) -> Path:
    """Fill the file system under `folder` to the last block."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 512, 1):
            block = b"\0" * chunk
            try:
                while True:  # until the file system refuses this size: then a smaller one
                    os.write(fd, block)
            except OSError as refused:
                if refused.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)
    return filler


def test_a_full_disk(tmp_path, mounts):
    folder = mounts.tmpfs(tmp_path / "f", "1m")
    postil = make_database(folder)
    before = _sha(postil.db_path)
    filler = fill(folder)
    assert_reads_work(postil)
    assert_writes_fail(postil, "the disk is full")
    assert _sha(postil.db_path) == before
    filler.unlink()  # room again: the same database takes writes as before
    postil.ok("mark", "1", "Some relapses", "--tag", "x")
    assert "Some relapses" in postil.ok("search", "tag:x").stdout


@pytest.mark.parametrize("place", ["read-only tmpfs", "full disk"])
async def test_the_app_on_a_place_it_cannot_write(tmp_path, mounts, place):
    folder = mounts.tmpfs(tmp_path / "m", "1m" if place == "full disk" else "4m")
    postil = make_database(folder)
    before = _sha(postil.db_path)
    if place == "full disk":
        fill(folder)
        cause = "the disk is full"
    else:
        mounts.remount_read_only(folder)
        cause = "it is on a read-only file system"
    settings = Settings(postil.db_path, "tester", False)
    db = open_db(postil.db_path)
    try:
        app = make_app(settings, db, 1, at_top=True)
        async with app.run_test(size=SIZE) as pilot:
            assert f"read-only ({cause})" in widget_text(app.screen.query_one(SourceHeader))
            select_text(app.screen, "Some relapses")
            await pilot.press("1")
            await pilot.pause()
            shown = [str(n.message) for n in app._notifications]
            assert any(cause in m and "nothing was changed" in m for m in shown), shown
            await pilot.press("q")
            await pilot.pause()
        assert len(store_highlights.highlights_for_source(db, 1)) == 1
    finally:
        db.close()
    assert _sha(postil.db_path) == before
