"""`postil backup` while another process holds an open write transaction on the database.

The backup must neither wait for the writer nor copy its uncommitted rows: it is a snapshot
of what was committed, and the copy opens and passes `postil check`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from cli_support import ARTICLE, NOTES, Postil

HOLDER = textwrap.dedent(
    """
    import sys
    from postil.store.db import open_db
    db = open_db(sys.argv[1])
    conn = db
    conn.execute("BEGIN IMMEDIATE")
    # Real store writes, inside the one open transaction (write() nests as savepoints).
    from postil.sources.load import load_bytes
    from postil.store.highlights import list_highlights, set_note
    from postil.store.source_add import add_source
    from postil.store.tags import create_tag
    for h in list_highlights(db):
        set_note(db, h.id, "uncommitted note")
    create_tag(db, "uncommitted")
    add_source(db, load_bytes(("Uncommitted\\n\\n" + "Uncommitted source. " * 50000).encode(), "u.txt", origin="/u.txt"))
    print("holding", flush=True)
    action = sys.stdin.readline().strip()
    conn.execute("COMMIT" if action == "commit" else "ROLLBACK")
    print("done", flush=True)
    """
)


@pytest.fixture
def postil(tmp_path):
    p = Postil(tmp_path)
    p.ok("add", p.write("durability.txt", ARTICLE), p.write("notes.md", NOTES))
    p.ok("mark", "1", "The sample was small", "--tag", "caveat", "--note", "committed note")
    return p


def hold_a_write_transaction(db_path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
    return holder


def release(holder: subprocess.Popen, action: str) -> None:
    out, err = holder.communicate(action + "\n", timeout=30)
    assert holder.returncode == 0 and "done" in out, err


@pytest.mark.slow
def test_backup_during_an_open_write_transaction_is_a_committed_snapshot(postil, tmp_path):
    holder = hold_a_write_transaction(postil.db_path)
    try:
        copy_path = tmp_path / "backups" / "copy.db"
        copy_path.parent.mkdir()
        done = postil.process("backup", copy_path, timeout=30)
        assert done.returncode == 0, done.stderr
        assert "backed up" in done.stdout
    finally:
        release(holder, "commit")
    copy = Postil(tmp_path)
    copy.db_path = copy_path
    checked = copy.process("check", "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert '"ok": true' in checked.stdout
    assert [s["title"] for s in copy.ok("sources", "--json").json()] == ["Durability of response", "Field notes"]
    [h] = copy.ok("highlights", "--json").json()
    assert h["note"] == "committed note"
    assert "uncommitted" not in [t["name"] for t in copy.ok("tags", "--json").json()]
    # The original got the writer's change once it committed; the copy is unaffected.
    assert len(postil.ok("sources", "--json").json()) == 3
    assert copy.ok("highlights", "--json").json()[0]["note"] == "committed note"


@pytest.mark.slow
def test_backup_and_check_of_the_live_database_while_a_writer_waits(postil, tmp_path):
    holder = hold_a_write_transaction(postil.db_path)
    try:
        first = postil.process("backup", tmp_path / "one.db", timeout=30)
        assert first.returncode == 0, first.stderr
        # check's full-text checks need the write lock: it waits for the writer (which
        # finishes a moment later) instead of reporting "database is locked" as a problem.
        checker = subprocess.Popen(
            [sys.executable, "-m", "postil", "--db", str(postil.db_path), "check"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(1)
    finally:
        release(holder, "rollback")
    out, err = checker.communicate(timeout=30)
    assert checker.returncode == 0, out + err
    assert "locked" not in out and "all checks passed" in out
    second = postil.process("backup", tmp_path / "two.db", timeout=30)
    assert second.returncode == 0, second.stderr
    for name in ("one.db", "two.db"):
        copy = Postil(tmp_path)
        copy.db_path = tmp_path / name
        assert copy.process("check").returncode == 0
        assert len(copy.ok("sources", "--json").json()) == 2
