"""A database nobody may write: reading works, writing fails in one line naming the cause.

A real read-only folder and file, used by a real `postil` process. Root may write anywhere,
so as root the command runs as the user `nobody` (setpriv); without either, the test skips.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from cli_support import ARTICLE, Postil


def _as_other_user() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def locked():
    """A database with one source and one highlight in a folder then made read-only."""
    prefix = _as_other_user()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot make a folder read-only for us")
    folder = Path(tempfile.mkdtemp(prefix="postil-ro-", dir="/tmp"))
    try:
        postil = Postil(folder)
        postil.ok("add", postil.write("article.txt", ARTICLE))
        postil.ok("mark", "1", "The sample was small", "--tag", "caveat")
        postil.write("other.txt", "Another source\n\nWith its own text.\n")
        for extra in ("-wal", "-shm"):  # as a closed database leaves it: one file
            Path(f"{postil.db_path}{extra}").unlink(missing_ok=True)
        postil.db_path.chmod(0o444)
        folder.chmod(0o555)
        before = postil.db_path.read_bytes()

        def run(*args: str) -> subprocess.CompletedProcess:
            env = {**os.environ, "POSTIL_AUTHOR": "tester", "HOME": str(folder)}
            env.pop("POSTIL_DB", None)
            return subprocess.run(
                [*prefix, sys.executable, "-m", "postil", "--db", str(postil.db_path), *args],
                capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
                cwd=folder,
            )

        yield run, postil.db_path
        assert postil.db_path.read_bytes() == before, "the read-only database changed"
        assert sorted(p.name for p in folder.iterdir()) == ["article.txt", "other.txt", "p.db"]
    finally:
        folder.chmod(stat.S_IRWXU)
        shutil.rmtree(folder)


def test_reading_a_read_only_database_works(locked):
    run, _ = locked
    listed = run("sources")
    assert listed.returncode == 0, listed.stderr
    assert "Durability of response" in listed.stdout
    found = run("search", "tag:caveat")
    assert found.returncode == 0, found.stderr
    assert "The sample was small" in found.stdout
    shown = run("show", "1")
    assert shown.returncode == 0 and "Some relapses followed stressful events." in shown.stdout


def test_writing_to_a_read_only_database_fails_in_one_line_naming_the_cause(locked):
    run, db_path = locked
    for args in (("mark", "1", "Some relapses"), ("add", str(db_path.parent / "other.txt"))):
        result = run(*args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"postil: {db_path}: the database is read-only (")
        assert "cannot be written" in line and "nothing was changed" in line
        assert "Traceback" not in result.stderr


def test_check_of_a_healthy_read_only_database_says_it_could_not_check(locked):
    # It used to exit 1 "problems found": the full-text checks need the write lock.
    run, _ = locked
    result = run("check")
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "integrity: ok" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("could not check: read-only")
    assert "problems found" not in result.stdout


def test_check_while_another_postil_writes_says_busy(tmp_path):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("article.txt", ARTICLE))
    writer = sqlite3.connect(postil.db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another postil in the middle of a write
    try:
        started = time.monotonic()
        result = postil("check")
        waited = time.monotonic() - started
        as_json = postil("check", "--json")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert result.stdout.strip().splitlines()[-1].startswith("could not check: busy")
    assert waited < 5
    assert as_json.exit_code == 3
    report = as_json.json()
    assert report["ok"] is False and report["checked"] is False and report["not_checked"].startswith("busy")
    assert postil("check").exit_code == 0
