"""What travels beside the highlights in a team sync: a reviewer's deletions on all their
machines, link deletions, the consensus, done marks, and blind mode with all of it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import Postil
from test_team_sync import ARTICLE, ids, link_set, sync

from postil.store.db import open_db
from postil.store.highlights import delete_highlight, restore_highlight

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def team(tmp_path):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    article = tmp_path / "durability.md"
    article.write_text(ARTICLE)
    return remote, article, tmp_path


def clone_file(postil: Postil, name: str) -> Path:
    return Path(str(postil.db_path) + ".team") / "reviewers" / name


def done_count(postil: Postil, reviewer: str) -> int:
    db = open_db(postil.db_path)
    try:
        return db.execute("SELECT count(*) FROM reviewer_progress WHERE reviewer = ?", [reviewer]).fetchone()[0]
    finally:
        db.close()


def test_my_deletion_travels_to_my_other_machine_and_an_undo_here_is_kept(team):
    remote, article, tmp_path = team
    desk, laptop = Postil(tmp_path / "desk", author="ana"), Postil(tmp_path / "laptop", author="ana")
    ben = Postil(tmp_path / "ben", author="ben")
    desk.ok("add", str(article))
    gone = desk.ok("mark", "1", "sample was small", "--tag", "caveat", "--json").json()["id"]
    undone = desk.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    desk.ok("team", "join", str(remote))
    laptop.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    assert ids(laptop) == ids(ben) == {gone, undone}

    desk.ok("highlight", "rm", gone)
    db = open_db(desk.db_path)
    saved = delete_highlight(db, undone)
    db.close()
    sync(desk)
    marks = json.loads(clone_file(desk, "ana.json").read_text())
    assert marks == {"reviewer": "ana", "deleted": sorted([gone, undone]), "done": {}}
    # The laptop edits something else meanwhile; it must not write the deleted ones back.
    laptop.ok("mark", "1", "blinding was weak", "--tag", "caveat")
    report = sync(laptop)
    assert report["removed"] == 2
    assert ids(laptop) & {gone, undone} == set()

    # An undo on the desk after its deletion was pushed reaches the laptop: the tombstone the
    # laptop learned was shared, and the desk's marks file no longer lists it.
    db = open_db(desk.db_path)
    restore_highlight(db, saved)
    db.close()
    sync(desk)
    assert json.loads(clone_file(desk, "ana.json").read_text())["deleted"] == [gone]
    report = sync(laptop)
    assert report["added"] == 1 and report["removed"] == 0
    sync(ben)
    assert undone in ids(laptop) and undone in ids(ben) and undone in ids(desk)
    assert gone not in ids(laptop) | ids(ben) | ids(desk)
    # A second round changes nothing, and the laptop does not delete it again.
    sync(desk)
    sync(laptop)
    assert ids(laptop) == ids(desk) == ids(ben)


def test_my_deletion_made_offline_is_not_undone_by_my_other_machine(team):
    remote, article, tmp_path = team
    desk, laptop = Postil(tmp_path / "desk", author="ana"), Postil(tmp_path / "laptop", author="ana")
    desk.ok("add", str(article))
    gone = desk.ok("mark", "1", "sample was small", "--tag", "caveat", "--json").json()["id"]
    desk.ok("team", "join", str(remote))
    laptop.ok("team", "join", str(remote))
    moved = remote.with_name("away.git")
    remote.rename(moved)
    desk.ok("highlight", "rm", gone)
    assert "unreachable" in desk("team", "sync").stderr  # committed in the clone only
    moved.rename(remote)
    laptop.ok("highlight", "edit", gone, "--note", "edited on the laptop")
    sync(laptop)  # the remote still has the highlight, edited
    sync(desk)
    sync(laptop)
    assert gone not in ids(desk) and gone not in ids(laptop)


def test_a_deleted_link_travels(team):
    remote, article, tmp_path = team
    ana, ben = Postil(tmp_path / "ana", author="ana"), Postil(tmp_path / "ben", author="ben")
    ana.ok("add", str(article))
    a1 = ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    a2 = ana.ok("mark", "1", "sample was small", "--tag", "caveat", "--json").json()["id"]
    ana.ok("link", a2, a1, "--relation", "contradicts")
    ana.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    b1 = ben.ok("mark", "1", "described the session", "--tag", "anecdote", "--json").json()["id"]
    ben.ok("link", b1, a1, "--relation", "supports")
    sync(ben)
    sync(ana)
    assert link_set(ana) == link_set(ben) == {(a2, a1, "contradicts"), (b1, a1, "supports")}
    ana.ok("unlink", a2, a1)
    ben.ok("unlink", b1, a1)
    sync(ana)
    assert sync(ben)["links_removed"] == 1
    assert sync(ana)["links_removed"] == 1
    assert link_set(ana) == link_set(ben) == set()


def test_the_consensus_and_done_marks_travel_and_blind_mode_hides_until_done(team):
    remote, article, tmp_path = team
    ana, ben = Postil(tmp_path / "ana", author="ana"), Postil(tmp_path / "ben", author="ben")
    ana.ok("add", str(article))
    ana.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    ben.ok("blind", "on")
    ana_ids = {ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"],
               ana.ok("mark", "1", "sample was small", "--tag", "caveat", "--json").json()["id"]}
    ben_id = ben.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    sync(ana)
    report = sync(ben)
    # The blinded reviewer's sync imports ana's work, and does not show it.
    assert report["added"] == 2
    db = open_db(ben.db_path)
    assert db.execute("SELECT count(*) FROM highlights WHERE author = 'ana'").fetchone()[0] == 2
    db.close()
    assert ids(ben) == {ben_id}

    # ana marks the source done: that travels, and changes nothing of what ben sees.
    ana.ok("done", "1")
    sync(ana)
    assert sync(ben)["done_marks"] == 1
    assert ids(ben) == {ben_id}
    assert done_count(ben, "ana") == 1
    # ben marks it done: now he sees ana's work.
    ben.ok("done", "1")
    assert ids(ben) == ana_ids | {ben_id}

    # ben reconciles (they agree on one place): the consensus reaches ana.
    agreed = ben.ok("reconcile", "agreed", "--json").json()
    assert agreed
    sync(ben)
    sync(ana)
    consensus = {h["id"] for h in ana.ok("highlights", "--json").json() if h["author"] == "consensus"}
    assert len(consensus) == 1
    assert consensus == {h["id"] for h in ben.ok("highlights", "--json").json() if h["author"] == "consensus"}
    assert clone_file(ana, "consensus.jsonld").is_file()

    # ben takes his done mark back: blind again, and ana sees it gone.
    ben.ok("done", "1", "--undo")
    assert ids(ben) == {ben_id}
    sync(ben)
    sync(ana)
    assert done_count(ana, "ben") == 0


def test_team_init_starts_a_team_that_join_then_joins_and_help_lists_it_once(team):
    remote, article, tmp_path = team
    ana, ben = Postil(tmp_path / "ana", author="ana"), Postil(tmp_path / "ben", author="ben")
    ana.ok("add", str(article))
    mark = ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    ana.ok("team", "init", str(remote))  # what a reviewer starting a team tries first
    ben.ok("team", "join", str(remote))
    assert ids(ben) == {mark}
    listing = ana.ok("team", "--help").stdout
    assert "init    Same as join" in listing
    assert listing.count("Clone the team repository") == 1
