"""`postil team sync`: share this database's review through the team's git repository.

The database is the truth; the clone's files are written from it. So a sync can always start
from the remote's latest state (reset the clone to it), bring every teammate's changes in,
then write this reviewer's files on top and push. When the push is refused because someone
pushed meanwhile, that is done again (a few times). When the remote cannot be reached the
files are committed in the clone and pushed by the next sync: no work is lost either way,
since it is all still in the database.

Order of a sync: fetch -> reset to the remote -> import the shared codebook, new sources and
every changed teammate file (highlights gone from a teammate's file are removed here) ->
merge every reconcile decisions file (exports/team_decisions.py) -> write my reviewer file,
decisions file, codebook and new sources -> commit -> push.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from postil.exports import git_repo
from postil.exports.git_repo import TeamError
from postil.exports.team_decisions import bring_in_decisions, decisions_path, write_decisions
from postil.exports.team_files import file_digest, my_file, write_codebook, write_sources
from postil.exports.team_marks import Marks, marks_path, write_marks
from postil.exports.team_merge import bring_in, file_key, own_authors
from postil.exports.team_report import SyncReport
from postil.exports.team_reviewer_file import write_reviewer_file
from postil.store import team, team_decisions
from postil.store.reviewers import CONSENSUS
from postil.store.team_lines import lines_of, save_lines

__all__ = ["SyncReport", "clone_folder", "join", "sync"]

PUSH_ATTEMPTS = 5


def clone_folder(db_path: Path) -> Path:
    """Where postil keeps this database's clone of the team repository (beside the database)."""
    return db_path.with_name(db_path.name + ".team")


def join(db: sqlite3.Connection, db_path: Path, remote: str) -> Path:
    """Clone `remote` for this database and remember it (an empty remote is fine: `init`)."""
    folder = clone_folder(db_path)
    if Path(remote).exists():
        # A repository on this machine or a file share: remembered as an absolute path, so
        # the clone and later syncs find it whatever folder postil is run from.
        remote = str(Path(remote).resolve())
    current = team.team_remote(db)
    if folder.exists():
        if current == remote:
            return folder
        raise TeamError(f"{folder}: this database already has a team clone (of {current or 'another remote'})")
    git_repo.clone(remote, folder)
    team.set_team_remote(db, remote)
    return folder


def sync(db: sqlite3.Connection, db_path: Path, reviewer: str) -> SyncReport:
    remote = team.team_remote(db)
    folder = clone_folder(db_path)
    if not remote or not (folder / ".git").is_dir():
        raise TeamError("no team yet: run `postil team join REMOTE` first")
    report = SyncReport(reviewer, remote)
    for _attempt in range(PUSH_ATTEMPTS):
        report.online = git_repo.fetch(folder)
        upstream = git_repo.remote_head(folder)
        if report.online and upstream:
            git_repo.reset_to(folder, upstream)
        bring_in(db, folder, reviewer, report)
        # After the highlights: a winning decision's consensus highlight came with them.
        bring_in_decisions(db, folder, reviewer, report, remote_state=bool(report.online and upstream))
        written, decided = send_out(db, folder, reviewer, report)
        if not report.online:
            report.problems.append(f"{remote}: unreachable; committed in {folder}, to be pushed by the next sync")
            break
        if not report.committed and git_repo.unpushed_commits(folder, upstream) == 0:
            share(db, folder, reviewer, written, decided)  # the remote has my files as written
            break  # nothing to push
        outcome = git_repo.push(folder, upstream.split("/", 1)[1] if upstream else git_repo.local_branch(folder))
        if outcome == "pushed":
            report.pushed = True
            share(db, folder, reviewer, written, decided)
            break
        if outcome == "unreachable":
            report.online = False
            report.problems.append(f"{remote}: push failed; committed in {folder}, to be pushed by the next sync")
            break
        # Rejected: someone pushed first. Start again from their state.
    else:
        raise TeamError(f"{remote}: the push was refused {PUSH_ATTEMPTS} times (others are pushing); sync again")
    report.synced_at = team.mark_synced(db)
    return report


def share(db: sqlite3.Connection, folder: Path, reviewer: str, written: dict[str, set[str]],
          decided: list[team_decisions.SharedDecision]) -> None:
    """The tombstones in the marks files just pushed are the team's now: an undo elsewhere lifts
    them. My decisions file is as the team has it: a decision gone from a later version of it
    was undone on another machine of mine."""
    for collection, ids in written.items():
        team.share_tombstones(db, collection, ids)
    team_decisions.set_seen_decisions(db, decisions_path(folder, reviewer).stem, decided)


def send_out(db: sqlite3.Connection, folder: Path, reviewer: str,
             report: SyncReport) -> tuple[dict[str, set[str]], list[team_decisions.SharedDecision]]:
    """Write my files (and the consensus file, when there is a consensus) and commit them: the
    tombstones written, by file, and the decisions written."""
    shared: dict[str, set[str]] = {}
    report.sources_out = write_sources(db, folder)
    write_codebook(db, folder)
    for author in own_authors(reviewer):
        count = write_own(db, folder, author, shared)
        if author == reviewer:
            report.mine = count
    decided = write_decisions(db, folder, reviewer) if reviewer != CONSENSUS else []
    report.decisions_out = len(decided)
    report.committed = git_repo.commit_all(folder, f"postil: {reviewer} synced ({report.mine} highlight{'' if report.mine == 1 else 's'})") or report.committed
    return shared, decided


def write_own(db: sqlite3.Connection, folder: Path, author: str, shared: dict[str, set[str]]) -> int:
    """Write one of my files and the marks beside it (its tombstones go into `shared`, to be
    marked shared once pushed); how many highlights it holds."""
    path = my_file(folder, author)
    count = team.count_by_author(db, author)
    deleted = team.tombstoned(db, path.stem)
    if author == CONSENSUS and not (count or deleted or path.is_file()):
        return 0  # no consensus yet: no file
    fingerprint = team.review_fingerprint(db, author)
    # Unchanged: the highlights are as they were when this database last wrote the file, and
    # the file in the clone is still what it wrote then (a reset to the remote may bring back
    # an older one).
    if not (path.is_file() and team.written_fingerprint(db, path.stem) == (fingerprint, file_digest(path))):
        path, count, lines = write_reviewer_file(db, folder, author)
        # Its lines as written here, so that a later change by another machine of mine is
        # merged line by line, and a highlight deleted here is known to be a deletion.
        known = lines_of(db, path.stem)
        save_lines(db, path.stem, {hid: line for hid, line in lines.items() if known.get(hid) != line},
                   removed=[hid for hid in known if hid not in lines])
    done = team.done_marks(db, author) if author != CONSENSUS else {}
    write_marks(marks_path(path), Marks(author, deleted, done))
    shared[path.stem] = deleted
    # As written here: the next sync reads it back only if another machine changed it.
    team.set_imported_hash(db, path.stem, file_key(path))
    team.set_written_fingerprint(db, path.stem, fingerprint, file_digest(path))
    return count
