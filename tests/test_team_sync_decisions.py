"""Reconcile decisions travel in a team sync: a place decided on one machine is decided, with
the same consensus, on every machine; an undo travels; two machines that decided one place
differently end with the same decision; a damaged decisions file is named and skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import Postil
from test_team_sync import ARTICLE, commits, link_set, sync

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OTHER = "# Field notes\n\nNothing about psilocybin here.\n"


@pytest.fixture
def team(tmp_path):
    """ana and ben code one passage with different tags; cy has another source first, so the
    article has another id in cy's database than in theirs."""
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    article = tmp_path / "durability.md"
    article.write_text(ARTICLE)
    (tmp_path / "notes.md").write_text(OTHER)
    ana, ben, cy = (Postil(tmp_path / name, author=name) for name in ("ana", "ben", "cy"))
    ana.ok("add", str(article))
    versions = {"ana": ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]}
    ana.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    versions["ben"] = ben.ok("mark", "1", "durable reduction", "--tag", "caveat", "--json").json()["id"]
    sync(ben)
    cy.ok("add", str(tmp_path / "notes.md"))
    cy.ok("team", "join", str(remote))
    sync(ana)
    return remote, {"ana": ana, "ben": ben, "cy": cy}, versions


def undecided(postil: Postil) -> list[str]:
    return [p["key"] for p in postil.ok("disagreements", "--json").json()]


def decided(postil: Postil) -> set[tuple]:
    """The decisions as a user compares them across machines: the place (its key without this
    database's source id), the decision, its consensus highlight, who and when."""
    return {(d["disagreement"].split("-", 1)[1], d["decision"], d["consensus_id"], d["decided_by"], d["decided_at"])
            for d in postil.ok("reconcile", "list", "--json").json()}


def consensus(postil: Postil) -> dict[str, tuple]:
    return {h["id"]: (h["quote"], tuple(sorted(h["tags"])))
            for h in postil.ok("highlights", "--json").json() if h["author"] == "consensus"}


def test_a_decision_and_its_undo_reach_every_machine(team):
    _remote, people, versions = team
    ana, ben, cy = people["ana"], people["ben"], people["cy"]
    [key] = undecided(ana)
    assert undecided(ben) == [key] and undecided(cy) != [key]  # cy's article is source 2
    assert undecided(cy)[0].split("-", 1)[1] == key.split("-", 1)[1]  # the same place everywhere

    ana.ok("reconcile", "keep", key, versions["ben"][:8])
    assert sync(ana)["decisions_out"] == 1
    run = ben("team", "sync")
    assert "decisions 1 new, 0 undone" in run.stdout
    sync(cy)
    for person in (ben, cy):
        assert undecided(person) == []
        assert decided(person) == decided(ana)
        assert consensus(person) == consensus(ana) == {next(iter(consensus(ana))): ("durable reduction", ("caveat",))}
    [entry] = json.loads((Path(str(ana.db_path) + ".team") / "decisions" / "ana.json").read_text())["decisions"]
    assert (entry["decision"], entry["kept"], entry["decided_by"]) == ("keep", versions["ben"], "ana")
    # ben cannot decide it again differently: it is decided on his machine too.
    assert "decided already" in ben.fails("reconcile", "drop", key).stderr

    # ana takes it back: undone everywhere, its consensus highlight gone, the place open again.
    ana.ok("reconcile", "undo")
    assert sync(ana)["decisions_in"] == 0  # her pushed file still had it: not brought back
    assert sync(ben)["decisions_undone"] == 1
    assert sync(cy)["decisions_undone"] == 1
    for person in (ana, ben, cy):
        assert decided(person) == set()
        assert consensus(person) == {}
        assert len(undecided(person)) == 1


@pytest.mark.parametrize("same_moment", [False, True])
def test_two_offline_decisions_of_one_place_end_as_one(team, monkeypatch, same_moment):
    """ana keeps her version, then ben merges, both offline: the later (ben's) wins on every
    machine. At the very same moment the tie goes to the greater name: ben's again."""
    remote, people, _versions = team
    ana, ben, cy = people["ana"], people["ben"], people["cy"]
    [key] = undecided(ana)
    if same_moment:
        monkeypatch.setenv("POSTIL_NOW", "2026-12-01T10:00:00.000Z")
    ana.ok("reconcile", "keep", key, ana.ok("disagreements", "--json").json()[0]["versions"][0]["id"][:8])
    ben.ok("reconcile", "merge", key)
    monkeypatch.delenv("POSTIL_NOW", raising=False)
    sync(ana)
    report = sync(ben)  # ben's wins here: ana's consensus, which just came in, is deleted
    assert report["decisions_in"] == 0
    assert sync(ana)["decisions_in"] == 1  # ana's loses: ben's is taken
    sync(cy)
    sync(ben)
    assert decided(ana) == decided(ben) == decided(cy)
    [(_place, decision, consensus_id, by, _at)] = decided(ana)
    assert (decision, by) == ("merge-wider", "ben")
    assert consensus(ana) == consensus(ben) == consensus(cy) == {consensus_id: ("durable reduction", ("caveat", "outcome"))}
    # The consensus is linked to both versions it merged, and ana's lost one left no link.
    assert link_set(ana) == link_set(ben) == link_set(cy)
    assert {(f, r) for f, _t, r in link_set(ana)} == {(consensus_id, "reconciled-from")}
    assert len(link_set(ana)) == 2
    assert undecided(ana) == undecided(ben) == undecided(cy) == []

    # A second round changes nothing: no decision in or undone, no commit.
    before = commits(remote)
    for person in (ana, ben, cy):
        report = sync(person)
        assert (report["decisions_in"], report["decisions_undone"], report["committed"]) == (0, 0, False)
    assert commits(remote) == before


def test_a_damaged_decisions_file_is_reported_and_skipped(team):
    remote, people, versions = team
    ana, ben = people["ana"], people["ben"]
    [key] = undecided(ana)
    ana.ok("reconcile", "keep", key, versions["ana"][:8])
    sync(ana)
    sync(ben)
    before = (decided(ben), consensus(ben))
    assert before[0]
    # Someone hand-edits ana's decisions file in the repository: the decision is gone from it,
    # and the file is no longer one postil wrote.
    work = remote.parent / "hand"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(work)], check=True)
    path = work / "decisions" / "ana.json"
    path.write_text(path.read_text().replace('"keep"', '"keep it"').replace(key.split("-", 1)[1], "zz"))
    subprocess.run(["git", "-C", str(work), "commit", "--quiet", "-am", "hand edit"], check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@x",
                        "GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@x"})
    subprocess.run(["git", "-C", str(work), "push", "--quiet"], check=True)

    run = ben("team", "sync")
    assert run.exit_code == 0, run.stderr
    assert "postil: decisions/ana.json: skipped (entry 1 is not a decision of ana's)" in run.stderr
    assert "Traceback" not in run.stderr
    assert (decided(ben), consensus(ben)) == before  # not undone, nothing taken
    # ana's next sync writes her file whole again from her database.
    run = ana("team", "sync")
    assert "decisions/ana.json: skipped" in run.stderr
    assert '"keep"' in (Path(str(ana.db_path) + ".team") / "decisions" / "ana.json").read_text()
    assert ben("team", "sync").stderr == ""
    assert decided(ben) == decided(ana) == before[0]


def test_undoing_a_teammates_decision_travels_too(team):
    """ben takes back the decision ana made (on his own machine): no file of ana's can bring it
    back, and ana's machine, then everyone's, undoes it."""
    _remote, people, versions = team
    ana, ben, cy = people["ana"], people["ben"], people["cy"]
    [key] = undecided(ana)
    ana.ok("reconcile", "keep", key, versions["ana"][:8])
    for person in (ana, ben, cy):
        sync(person)
    assert decided(cy)
    ben.ok("reconcile", "undo")
    assert sync(ben)["decisions_in"] == 0
    assert sync(ana)["decisions_undone"] == 1
    assert sync(cy)["decisions_undone"] == 1
    sync(ben)
    for person in (ana, ben, cy):
        assert decided(person) == set()
        assert consensus(person) == {}
        assert len(undecided(person)) == 1
    # A decision made again afterwards is a new one: it travels as any other.
    ana.ok("reconcile", "drop", key)
    sync(ana)
    assert sync(ben)["decisions_in"] == 1
    assert {d[1] for d in decided(ben)} == {"drop"}


def test_a_decision_made_offline_on_one_machine_reaches_my_other_and_its_undo_comes_back(tmp_path):
    """ana decides on her desk while the remote is unreachable: the next sync (which starts from
    the remote, where her decision is not yet) pushes it instead of undoing it; her laptop takes
    it as hers, and an undo on the laptop reaches the desk."""
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    article = tmp_path / "durability.md"
    article.write_text(ARTICLE)
    desk, laptop = Postil(tmp_path / "desk", author="ana"), Postil(tmp_path / "laptop", author="ana")
    ben = Postil(tmp_path / "ben", author="ben")
    desk.ok("add", str(article))
    desk.ok("mark", "1", "durable reduction", "--tag", "outcome")
    desk.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    ben.ok("mark", "1", "durable reduction", "--tag", "caveat")
    sync(ben)
    laptop.ok("team", "join", str(remote))
    sync(desk)

    [key] = undecided(desk)
    desk.ok("reconcile", "merge", key)
    moved = remote.with_name("moved.git")
    remote.rename(moved)
    for _twice in range(2):  # the second reads back the file the first committed, not pushed
        assert "unreachable" in desk("team", "sync").stderr
    moved.rename(remote)
    report = sync(desk)
    assert report["pushed"] and report["decisions_undone"] == 0
    assert decided(desk)
    assert sync(laptop)["decisions_in"] == 1
    assert sync(ben)["decisions_in"] == 1
    assert decided(laptop) == decided(ben) == decided(desk)

    laptop.ok("reconcile", "undo")
    sync(laptop)
    assert sync(desk)["decisions_undone"] == 1
    assert sync(ben)["decisions_undone"] == 1
    assert decided(desk) == decided(ben) == decided(laptop) == set()
    assert consensus(desk) == consensus(ben) == {}
