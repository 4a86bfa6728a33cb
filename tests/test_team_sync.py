"""Team exchange through git: three reviewers, three databases, one bare repository (no network)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from app_support import settle
from cli_support import Postil

from postil.store.db import open_db
from postil.store.highlights import delete_highlight
from postil.tui.app import PostilApp
from postil.tui.screens.main import MainScreen
from postil.tui.settings import Settings
from postil.tui.widgets.source_header import SourceHeader

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ARTICLE = """# Durability of psilocybin effects

The trial found a durable reduction in depressive symptoms at six months.

The sample was small and the blinding was weak.

Participants described the session as meaningful.
"""


@pytest.fixture
def team(tmp_path):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    article = docs / "durability.md"
    article.write_text(ARTICLE)
    reviewers = {name: Postil(tmp_path / name, author=name) for name in ("ana", "ben", "cy")}
    return remote, article, reviewers


def ids(postil: Postil) -> set[str]:
    return {h["id"] for h in postil.ok("highlights", "--json").json()}


def highlights(postil: Postil) -> dict[str, tuple]:
    return {h["id"]: (h["quote"], tuple(sorted(h["tags"])), h["note"], h["author"])
            for h in postil.ok("highlights", "--json").json()}


def link_set(postil: Postil) -> set[tuple]:
    return {(link["from_id"], link["to_id"], link["relation"]) for link in postil.ok("links", "--json").json()}


def tag_names(postil: Postil) -> set[str]:
    return {t["name"] for t in postil.ok("tags", "--json").json()}


def sync(postil: Postil) -> dict:
    return postil.ok("team", "sync", "--json").json()


def commits(remote: Path) -> int:
    done = subprocess.run(["git", "--git-dir", str(remote), "rev-list", "--count", "--all"],
                          capture_output=True, text=True)
    return int(done.stdout.strip() or 0)


def test_three_reviewers_end_with_the_same_review(team):
    remote, article, people = team
    ana, ben, cy = people["ana"], people["ben"], people["cy"]
    ana.ok("add", str(article))
    a1 = ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    ana.ok("mark", "1", "sample was small", "--tag", "caveat", "--note", "n = 19", "--json")
    ana.ok("tag", "add", "design", "--description", "How the study was run.")
    joined = ana.ok("team", "join", str(remote), "--json").json()
    assert joined["pushed"] and joined["mine"] == 2

    # ben joins: the source comes with the repository (ana's copy of the file), then her work.
    assert ben.ok("team", "join", str(remote), "--json").json()["added"] == 2
    assert [s["title"] for s in ben.ok("sources", "--json").json()] == ["Durability of psilocybin effects"]
    b1 = ben.ok("mark", "1", "described the session", "--tag", "anecdote", "--json").json()["id"]
    ben.ok("link", b1, a1, "--relation", "supports")
    cy.ok("team", "join", str(remote))
    # Offline edits on two databases, then syncs in every order.
    cy.ok("mark", "1", "blinding was weak", "--tag", "caveat")
    ana.ok("mark", "1", "six months", "--tag", "outcome")
    for person in (ben, cy, ana, ben, cy):
        sync(person)

    assert highlights(ana) == highlights(ben) == highlights(cy)
    assert len(ids(ana)) == 5
    assert link_set(ana) == link_set(ben) == link_set(cy) == {(b1, a1, "supports")}
    assert tag_names(ana) == tag_names(ben) == tag_names(cy)
    assert "design" in tag_names(cy)

    # A second round of syncs changes nothing: no commit, nothing imported.
    before = commits(remote)
    for person in (ana, ben, cy):
        report = sync(person)
        assert (report["added"], report["updated"], report["removed"], report["committed"]) == (0, 0, 0, False)
    assert commits(remote) == before

    files = sorted(p.name for p in (Path(str(ana.db_path) + ".team") / "reviewers").iterdir())
    assert files == ["ana.jsonld", "ben.jsonld", "cy.jsonld"]
    lines = (Path(str(ana.db_path) + ".team") / "reviewers" / "ana.jsonld").read_text().splitlines()
    assert sum(1 for line in lines if line.startswith('{"@context"')) == 3  # one annotation a line


def test_deletions_and_tag_renames_travel_links_keep_what_they_point_at(team):
    remote, article, people = team
    ana, ben = people["ana"], people["ben"]
    ana.ok("add", str(article))
    gone = ana.ok("mark", "1", "sample was small", "--tag", "limits", "--json").json()["id"]
    linked = ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    ana.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    mine = ben.ok("mark", "1", "session as meaningful", "--tag", "anecdote", "--json").json()["id"]
    ben.ok("link", mine, linked, "--relation", "supports")
    sync(ben)

    ana.ok("tag", "rename", "limits", "limitation")
    db = open_db(ana.db_path)
    delete_highlight(db, gone)
    delete_highlight(db, linked)  # ben linked to it: he keeps it
    db.close()
    sync(ana)
    report = sync(ben)
    assert report["removed"] == 1
    assert report["kept_linked"] == [linked]
    assert gone not in ids(ben)
    assert linked in ids(ben)
    assert gone not in ids(ana)

    # The rename travels on the highlights that carry the tag.
    keep = ana.ok("mark", "1", "blinding was weak", "--tag", "limitation", "--json").json()["id"]
    sync(ana)
    sync(ben)
    assert highlights(ben)[keep][1] == ("limitation",)


def test_a_damaged_teammate_file_is_reported_and_skipped(team):
    remote, article, people = team
    ana, ben = people["ana"], people["ben"]
    ana.ok("add", str(article))
    ana.ok("mark", "1", "durable reduction", "--tag", "outcome")
    ana.ok("team", "join", str(remote))
    # Someone hand-edits ana's file in the repository.
    work = remote.parent / "hand"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(work)], check=True)
    (work / "reviewers" / "ana.jsonld").write_text('{"type": "AnnotationCollection", "first": {"items": [ {"oops"')
    subprocess.run(["git", "-C", str(work), "commit", "--quiet", "-am", "hand edit"], check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@x",
                        "GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@x"})
    subprocess.run(["git", "-C", str(work), "push", "--quiet"], check=True)

    run = ben("team", "join", str(remote))
    assert run.exit_code == 0
    assert "reviewers/ana.jsonld: skipped" in run.stderr
    assert ids(ben) == set()
    assert len(ben.ok("sources", "--json").json()) == 1  # the source itself was fine


def test_offline_sync_commits_now_and_pushes_later(team):
    remote, article, people = team
    ana, ben = people["ana"], people["ben"]
    ana.ok("add", str(article))
    ana.ok("team", "join", str(remote))
    moved = remote.with_name("moved.git")
    remote.rename(moved)  # the remote is unreachable
    ana.ok("mark", "1", "durable reduction", "--tag", "outcome")
    run = ana("team", "sync")
    assert run.exit_code == 0
    assert "unreachable" in run.stderr
    moved.rename(remote)
    assert sync(ana)["pushed"]
    ben.ok("team", "join", str(remote))
    assert len(ids(ben)) == 1


def test_two_reviewers_pushing_at_once_both_land(team):
    remote, article, people = team
    ana, ben = people["ana"], people["ben"]
    ana.ok("add", str(article))
    ana.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    ana.ok("mark", "1", "durable reduction", "--tag", "outcome")
    ben.ok("mark", "1", "sample was small", "--tag", "caveat")
    # Both sync at the same moment, as two processes: one push is refused and retried.
    running = [subprocess.Popen(person.command("--author", name, "team", "sync", "--json"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
               for name, person in (("ana", ana), ("ben", ben))]
    reports = [json.loads(process.communicate(timeout=120)[0]) for process in running]
    assert [r["pushed"] for r in reports] == [True, True]
    sync(ana)
    sync(ben)
    assert ids(ana) == ids(ben) and len(ids(ana)) == 2


def test_no_team_and_missing_remote_are_one_line_errors(team, tmp_path):
    remote, article, people = team
    ana = people["ana"]
    assert "postil team join" in ana.fails("team", "sync").stderr
    assert "cannot clone" in ana.fails("team", "join", str(tmp_path / "nowhere.git")).stderr
    status = ana.ok("team", "status", "--json").json()
    assert status["remote"] is None
    assert json.loads(json.dumps(status))  # plain JSON


async def test_the_palette_syncs_and_the_header_says_when(team):
    remote, article, people = team
    ana, ben = people["ana"], people["ben"]
    ana.ok("add", str(article))
    ana.ok("team", "join", str(remote))
    ben.ok("team", "join", str(remote))
    ana.ok("mark", "1", "durable reduction", "--tag", "outcome")
    sync(ana)

    settings = Settings(ben.db_path, "ben", False)
    app = PostilApp(settings, db=settings.open(), source_id=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.source is not None)
        assert "team synced" in app.screen.query_one(SourceHeader).header_content().plain
        assert app.screen.highlights == []
        await pilot.press("ctrl+p", *"team sync")
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert await settle(pilot, lambda: len(app.screen.highlights) == 1, tries=300)
        assert app.screen.highlights[0].author == "ana"


def test_a_reviewer_on_a_new_machine_gets_their_own_work_back(team, tmp_path):
    remote, article, people = team
    ana = people["ana"]
    ana.ok("add", str(article))
    kept = ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    ana.ok("team", "join", str(remote))
    laptop = Postil(tmp_path / "laptop", author="ana")
    laptop.ok("team", "join", str(remote))
    assert ids(laptop) == {kept}
    laptop.ok("mark", "1", "sample was small", "--tag", "caveat")
    sync(laptop)
    sync(ana)
    assert ids(ana) == ids(laptop) and len(ids(ana)) == 2


@pytest.mark.parametrize("damaged", ["codebook.json", "sources/RECORD", "reviewers/ana.json"])
def test_a_deeply_nested_shared_file_is_reported_and_skipped(team, damaged):
    """A hand-edited codebook, source record or marks file nested 100,000 deep (json.loads
    raises RecursionError, not ValueError) is named and skipped; the rest comes in."""
    remote, article, people = team
    ana, ben = people["ana"], people["ben"]
    ana.ok("add", str(article))
    hid = ana.ok("mark", "1", "durable reduction", "--tag", "outcome", "--json").json()["id"]
    gone = ana.ok("mark", "1", "blinding was weak", "--json").json()["id"]
    ana.ok("team", "join", str(remote))
    ana.ok("highlight", "rm", gone)  # a shared highlight deleted: ana's marks file (reviewers/ana.json)
    ana.ok("team", "sync")
    work = remote.parent / "hand"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(work)], check=True)
    if damaged == "sources/RECORD":
        damaged = str(next((work / "sources").glob("*.json")).relative_to(work))
    assert (work / damaged).is_file()
    (work / damaged).write_text("[" * 100_000 + "]" * 100_000)
    subprocess.run(["git", "-C", str(work), "commit", "--quiet", "-am", "hand edit"], check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@x",
                        "GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@x"})
    subprocess.run(["git", "-C", str(work), "push", "--quiet"], check=True)

    run = ben("team", "join", str(remote))
    assert run.exit_code == 0, run.stderr
    assert f"{damaged}: skipped" in run.stderr
    assert "Traceback" not in run.stderr and "RecursionError" not in run.stderr
    if damaged == "codebook.json":
        assert ids(ben) == {hid}  # only the codebook was skipped
    else:
        # The source did not come, so its highlights cannot anchor; or ana's file was skipped
        # with its damaged marks (a deletion it may list must not be missed): nothing of it came.
        assert ids(ben) == set()
    assert gone not in ids(ben)
