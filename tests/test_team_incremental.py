"""Team sync merges only what changed: line digests of reviewer files (store/team_lines.py).

Counts, not timings: the annotations parsed and merged, and the SQL a sync runs, when 3 of
40 highlights changed (bench/bench_team.py measures the same at 5 x 20,000)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from postil.exports.team_sync import clone_folder, join, sync
from postil.sources.load import load_path
from postil.store.db import open_db
from postil.store.highlights import create_highlight, set_note
from postil.store.links import create_link
from postil.store.source_add import add_source
from postil.store.team import team_remote

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TEXT = "\n\n".join(f"Paragraph {n} says something about the trial, its sample and its outcome." for n in range(60))
N = 40


@pytest.fixture
def pair(tmp_path):
    """ana with N highlights and ben, both synced once."""
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    article = tmp_path / "trial.txt"
    article.write_text(TEXT)
    ana_path, ben_path = tmp_path / "ana.db", tmp_path / "ben.db"
    ana, ben = open_db(ana_path), open_db(ben_path)
    source_id = add_source(ana, load_path(article)).source.id
    ids = [create_highlight(ana, source_id, n * 75, n * 75 + 20, tags=["outcome"], author="ana").id for n in range(N)]
    join(ana, ana_path, str(remote))
    sync(ana, ana_path, "ana")
    join(ben, ben_path, str(remote))
    first = sync(ben, ben_path, "ben")
    assert (first.added, first.merged) == (N, N)
    sync(ana, ana_path, "ana")  # ana reads ben's (empty) file once
    yield (ana, ana_path), (ben, ben_path), ids
    ana.close()
    ben.close()


def test_a_change_of_three_merges_three_lines(pair):
    (ana, ana_path), (ben, ben_path), ids = pair
    for highlight_id in ids[:3]:
        set_note(ana, highlight_id, "changed")
    sync(ana, ana_path, "ana")
    statements: list[str] = []
    ben.set_trace_callback(statements.append)
    report = sync(ben, ben_path, "ben")
    ben.set_trace_callback(None)
    assert report.files_read == ["ana"]
    assert (report.merged, report.updated, report.added, report.removed) == (3, 3, 0, 0)
    assert {ben.execute("SELECT note FROM highlights WHERE id = ?", [i]).fetchone()[0] for i in ids[:3]} == {"changed"}
    # Only the three changed highlights were written: their note, their origin, their line
    # (distinct statements: the trace repeats a statement for each trigger it fires).
    writes = {s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))}
    assert sum(s.startswith("UPDATE highlights SET note") for s in writes) == 3
    assert sum(s.startswith("INSERT INTO highlight_origins") for s in writes) == 3
    assert sum(s.startswith("INSERT INTO team_lines") for s in writes) == 3


def test_a_sync_with_nothing_new_parses_no_file(pair):
    (ana, ana_path), (ben, ben_path), ids = pair
    report = sync(ben, ben_path, "ben")
    assert (report.files_read, report.merged, report.committed) == ([], 0, False)
    report = sync(ana, ana_path, "ana")
    assert (report.files_read, report.merged, report.committed) == ([], 0, False)


def test_a_deleted_highlight_and_a_deleted_link_are_removed_alone(pair):
    (ana, ana_path), (ben, ben_path), ids = pair
    link = create_link(ana, ids[5], ids[6], relation="supports", author="ana")
    sync(ana, ana_path, "ana")
    assert sync(ben, ben_path, "ben").merged == 1  # the line that carries the link
    assert ben.execute("SELECT count(*) FROM links WHERE id = ?", [link.id]).fetchone()[0] == 1

    ana.execute("DELETE FROM links WHERE id = ?", [link.id])
    ana.execute("DELETE FROM highlights WHERE id = ?", [ids[0]])
    sync(ana, ana_path, "ana")
    report = sync(ben, ben_path, "ben")
    assert (report.merged, report.removed, report.links_removed) == (1, 1, 1)
    assert ben.execute("SELECT count(*) FROM links").fetchone()[0] == 0
    assert ben.execute("SELECT count(*) FROM highlights WHERE author = 'ana'").fetchone()[0] == N - 1


def test_a_file_in_another_layout_is_read_whole_and_a_broken_one_is_refused(pair):
    (ana, ana_path), (ben, ben_path), ids = pair
    clone = clone_folder(ana_path).with_name("hand")
    subprocess.run(["git", "clone", "--quiet", str(team_remote(ana)), str(clone)], check=True)
    path = clone / "reviewers" / "ana.jsonld"
    lines = path.read_text().split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith('{"@context"'))
    # A comma lost between two annotations: not JSON any more, so nothing is read.
    broken = lines[:first] + [lines[first].rstrip(",")] + lines[first + 1:]
    commit(clone, path, "\n".join(broken))
    report = sync(ben, ben_path, "ben")
    assert any("ana.jsonld: skipped" in p for p in report.problems)
    assert (report.merged, report.removed) == (0, 0)

    # Reformatted by hand (still the same annotations): read whole, nothing changes.
    document = json.loads("\n".join(lines))
    commit(clone, path, json.dumps(document, indent=2))
    report = sync(ben, ben_path, "ben")
    assert report.problems == []
    assert (report.merged, report.updated, report.removed) == (N, 0, 0)


def commit(clone: Path, path: Path, text: str) -> None:
    path.write_text(text)
    env = {"GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@x", "GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@x"}
    subprocess.run(["git", "-C", str(clone), "commit", "--quiet", "-am", "hand edit"], check=True,
                   env={**os.environ, **env})
    subprocess.run(["git", "-C", str(clone), "push", "--quiet"], check=True)
