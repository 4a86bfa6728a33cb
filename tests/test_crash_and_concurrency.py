"""Real processes writing one database: SIGKILL mid-write, and two writers at once."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from postil.sources.blocks import Block
from postil.sources.document import Document, LoadedSource
from postil.store.db import open_db
from postil.store.source_add import add_source

TEXT = " ".join(f"Sentence number {i} says something worth marking." for i in range(400))

WRITER = textwrap.dedent(
    """
    import sys, time
    from postil.store.db import open_db
    from postil.store.highlights import create_highlight
    db = open_db(sys.argv[1])
    deadline = time.monotonic() + float(sys.argv[3])
    step = int(sys.argv[2])
    i = 0
    while time.monotonic() < deadline:
        start = (i * 7 + step) % 19000  # the text is 19,889 characters long
        h = create_highlight(db, 1, start, start + 20, tags=["caveat"], note=f"w{step} {i}")
        print(h.id, flush=True)   # acknowledged only after the commit returned
        i += 1
    """
)


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "shared.db"
    db = open_db(path)
    doc = Document("Long", TEXT, [Block("paragraph", 0, len(TEXT))], "text")
    add_source(db, LoadedSource(doc, "/long.txt", hashlib.sha256(TEXT.encode()).hexdigest(), len(TEXT)))
    db.close()
    return path


def start_writer(db_path, step: int, seconds: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(step), str(seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def stored_ids(db_path) -> set[str]:
    db = open_db(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.execute("INSERT INTO highlights_fts(highlights_fts) VALUES ('integrity-check')")
        return {row[0] for row in db.execute("SELECT id FROM highlights")}
    finally:
        db.close()


@pytest.mark.slow
def test_sigkill_during_writes_loses_no_acknowledged_highlight(db_path):
    writer = start_writer(db_path, 1, 30)
    acknowledged = []
    deadline = time.monotonic() + 20
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        acknowledged.append(line.strip())
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate()
    acknowledged += [line for line in rest.split() if line]
    assert len(acknowledged) >= 50, writer.stderr
    assert set(acknowledged) <= stored_ids(db_path)


@pytest.mark.slow
def test_two_writers_at_once_never_see_a_locked_database(db_path):
    writers = [start_writer(db_path, step, 3) for step in (1, 2)]
    outputs = [w.communicate(timeout=60) for w in writers]
    for writer, (_out, err) in zip(writers, outputs):
        assert writer.returncode == 0, err
        assert "locked" not in err
    written = [line for out, _ in outputs for line in out.split()]
    assert len(written) > 20
    assert set(written) == stored_ids(db_path)
