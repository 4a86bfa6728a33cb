"""`postil import` in short write transactions: nobody waits long, nothing is lost or partial.

A long import used to hold the write lock for its whole run (38 s for 20,000 annotations):
the app froze on a cursor move and `postil mark` failed after 15 s.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from export_fixtures import MECHANISM_TEXT, OUTCOME_TEXT, add_text_source, two_source_db
from import_load import Writer, big_import, run_postil

from postil.exports.collect import collect
from postil.exports.w3c import parse, to_w3c
from postil.store import batched_merge
from postil.store.db import open_db
from postil.store.links import list_links


def comparable_w3c(collection: dict) -> list[dict]:
    return sorted(collection["first"]["items"], key=lambda a: a["id"])


def fresh_copy(tmp_path, name: str):
    fresh = open_db(tmp_path / name)
    add_text_source(fresh, OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    add_text_source(fresh, MECHANISM_TEXT, "Mechanisms", "/data/mech.txt")
    return fresh


def test_one_annotation_a_slice_gives_what_one_transaction_gives(tmp_path, monkeypatch):
    db = open_db(tmp_path / "from.db")
    two_source_db(db)
    first = to_w3c(collect(db))
    incoming, _ = parse(json.loads(json.dumps(first)))
    monkeypatch.setattr(batched_merge, "BATCH_SECONDS", 0)  # every slice one annotation
    monkeypatch.setattr(batched_merge, "SOLO_BATCH_SECONDS", 0)
    monkeypatch.setattr(batched_merge, "FIRST_BATCH", 1)
    monkeypatch.setattr(batched_merge, "PAUSE_SECONDS", 0)
    sizes = []
    fresh = fresh_copy(tmp_path, "fresh.db")
    report = batched_merge.merge_in_batches(fresh, incoming, sizes.append)
    assert sizes == [1] * 5
    # Links whose other end came in a later slice are there too.
    assert len(report.added) == 5 and report.links_added == 2 and report.links_skipped == []
    assert len(list_links(fresh)) == 2
    assert comparable_w3c(to_w3c(collect(fresh))) == comparable_w3c(first)
    again = batched_merge.merge_in_batches(fresh, incoming)
    assert not again.changed and again.unchanged == 5


def test_slices_shorten_once_another_connection_writes(tmp_path):
    db = open_db(tmp_path / "alone.db")
    others = batched_merge.OtherWriters(db)
    assert others.slice_seconds() == batched_merge.SOLO_BATCH_SECONDS
    db.execute("CREATE TABLE mine (x)")  # this connection's own writes do not count
    db.commit()
    assert others.slice_seconds() == batched_merge.SOLO_BATCH_SECONDS
    other = sqlite3.connect(tmp_path / "alone.db")
    other.execute("CREATE TABLE theirs (x)")
    other.commit()
    assert others.slice_seconds() == batched_merge.BATCH_SECONDS
    assert others.slice_seconds() == batched_merge.BATCH_SECONDS  # for POLITE_SECONDS after it
    others.last_seen -= batched_merge.POLITE_SECONDS
    assert others.slice_seconds() == batched_merge.SOLO_BATCH_SECONDS
    other.close()


@pytest.mark.slow
def test_an_interrupted_import_leaves_whole_batches_and_finishes_when_run_again(tmp_path):
    db, annotations = big_import(tmp_path, 3000)
    process = subprocess.Popen(
        [sys.executable, "-m", "postil", "--db", str(db), "import", str(annotations)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    conn = sqlite3.connect(db)
    deadline = time.monotonic() + 60
    while conn.execute("SELECT count(*) FROM highlights").fetchone()[0] < 300:
        assert time.monotonic() < deadline and process.poll() is None, "the import ended too soon"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)  # Ctrl-C
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, (out, err)
    [line] = err.strip().splitlines()
    assert line.startswith("postil: interrupted: ") and "import the same file again" in line
    kept = conn.execute("SELECT count(*) FROM highlights").fetchone()[0]
    assert 300 <= kept < 3000
    # Whole batches: every highlight that is in has its tag (nothing half-written).
    untagged = conn.execute(
        "SELECT count(*) FROM highlights h WHERE NOT EXISTS "
        "(SELECT 1 FROM highlight_tags t WHERE t.highlight_id = h.id)"
    ).fetchone()[0]
    assert untagged == 0
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    finished = run_postil(db, "import", str(annotations))
    assert finished.stdout.startswith(f"3000 annotations read: {3000 - kept} added, 0 updated, {kept} unchanged")


@pytest.mark.slow
def test_a_20000_annotation_import_keeps_every_other_write_under_1_s(tmp_path):
    """The fault-injection test of issue 18: a writer every 100 ms beside a big import."""
    db, annotations = big_import(tmp_path, 20_000)
    writer = Writer(db, tmp_path)
    writer.wait_until_writing(db)
    imported = run_postil(db, "import", str(annotations), timeout=600)
    written = writer.stop()
    assert imported.stdout.startswith("20000 annotations read: 20000 added"), imported.stdout
    assert written.errors == []
    assert len(written.waits) > 20, "the import was too quick to test anything"
    assert max(written.waits) < 1.0, sorted(written.waits)[-5:]
    conn = sqlite3.connect(db)
    notes = {row[0] for row in conn.execute("SELECT id FROM highlights WHERE note LIKE 'write %'")}
    conn.close()
    assert notes == set(written.ids)  # none lost
