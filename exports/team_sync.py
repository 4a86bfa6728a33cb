"""`postil team sync`: share this database's review through the team's git repository.

The database is the truth; the clone's files are written from it. So a sync can always start
from the remote's latest state (reset the clone to it), bring every teammate's changes in,
then write this reviewer's files on top and push. When the push is refused because someone
pushed meanwhile, that is done again (a few times). When the remote cannot be reached the
files are committed in the clone and pushed by the next sync: no work is lost either way,
since it is all still in the database.

Order of a sync: fetch -> reset to the remote -> import the shared codebook, new sources and
every changed teammate file (highlights gone from a teammate's file are removed here) ->
write my reviewer file, codebook and new sources -> commit -> push.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from postil.exports import git_repo
from postil.exports.git_repo import TeamError
from postil.exports.team_files import (
    file_digest,
    my_file,
    read_codebook,
    read_sources,
    their_files,
    write_codebook,
    write_sources,
)
from postil.exports.team_reviewer_file import ReviewerFile, read_reviewer_file, write_reviewer_file
from postil.store import team
from postil.store.exchange import merge
from postil.store.team_lines import delete_links_from, lines_of, save_lines

PUSH_ATTEMPTS = 5


@dataclass
class SyncReport:
    reviewer: str
    remote: str
    online: bool = True
    pushed: bool = False
    committed: bool = False
    mine: int = 0
    """How many of my highlights my file holds."""
    sources_in: list[str] = field(default_factory=list)
    sources_out: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    """Teammates whose changed file was imported."""
    merged: int = 0
    """Annotation lines that were new or changed in those files (the only ones merged)."""
    added: int = 0
    updated: int = 0
    removed: int = 0
    links_removed: int = 0
    kept_linked: list[str] = field(default_factory=list)
    orphaned: int = 0
    problems: list[str] = field(default_factory=list)
    synced_at: str = ""


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
        send_out(db, folder, reviewer, report)
        if not report.online:
            report.problems.append(f"{remote}: unreachable; committed in {folder}, to be pushed by the next sync")
            break
        if not report.committed and git_repo.unpushed_commits(folder, upstream) == 0:
            break  # nothing to push
        outcome = git_repo.push(folder, upstream.split("/", 1)[1] if upstream else git_repo.local_branch(folder))
        if outcome == "pushed":
            report.pushed = True
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


def bring_in(db: sqlite3.Connection, folder: Path, reviewer: str, report: SyncReport) -> None:
    """Import the codebook, new sources and every teammate file that changed since last time."""
    report.problems += read_codebook(db, folder)
    added, problems = read_sources(db, folder)
    report.sources_in += added
    report.problems += problems
    seen = team.imported_hashes(db)
    files = their_files(folder, reviewer)
    own = my_file(folder, reviewer)
    if own.is_file():
        # My own file, when this database did not write it as it is: a first sync (a new
        # database joining) or my work from another machine. It comes in first, or writing
        # my file from this database would drop that work from the team.
        files.insert(0, own)
    for path in files:
        try:
            if seen.get(path.stem) == file_digest(path):
                continue  # as last imported or written here: nothing in it is new
            theirs = read_reviewer_file(db, path)
        except (ValueError, OSError) as error:
            report.problems.append(f"reviewers/{path.name}: skipped ({' '.join(str(error).split())[:200]})")
            continue
        if theirs.problems:
            # A hand-edited or damaged file: nothing of it is imported, so nothing of it is
            # removed either; the reviewer's next sync writes it whole again.
            report.problems.append(f"reviewers/{path.name}: skipped ({theirs.problems[0]})")
            continue
        bring_in_file(db, theirs, path == own, report)


def bring_in_file(db: sqlite3.Connection, theirs: ReviewerFile, own: bool, report: SyncReport) -> None:
    """Merge the new and changed lines of one reviewer file; remove what left it."""
    if own:
        # My own earlier work: it comes in (this database wins where both have it); it is
        # mine, so nothing is removed for being absent from it.
        merged = merge(db, theirs.changed)
        vanished = team.Vanished()
    else:
        merged = merge(db, theirs.changed, theirs_win=True)
        team.record_origins(db, theirs.name, [item.id for item in theirs.changed])
        vanished = team.remove_vanished(db, theirs.name, set(theirs.lines))
    known = lines_of(db, theirs.name)
    # A link its author deleted left the line of the highlight it starts from.
    report.links_removed += delete_links_from(db, [
        (item.id, link_id) for item in theirs.changed if item.id in known
        for link_id in sorted(known[item.id].link_ids() - theirs.lines[item.id].link_ids())])
    unplaced = {highlight_id for highlight_id, _ in merged.unknown_source}  # read again next time
    save_lines(db, theirs.name,
               {hid: line for hid, line in theirs.lines.items() if hid not in unplaced and known.get(hid) != line},
               removed=[hid for hid in known if hid not in theirs.lines])
    team.set_imported_hash(db, theirs.name, theirs.digest)
    report.files_read.append(theirs.name)
    report.merged += len(theirs.changed)
    report.added += len(merged.added)
    report.updated += len(merged.updated)
    report.orphaned += len(merged.orphaned)
    report.removed += len(vanished.removed)
    report.kept_linked += vanished.kept_linked
    report.problems += [f"reviewers/{theirs.name}.jsonld: {h[:8]} needs its source ({where})"
                        for h, where in merged.unknown_source]


def send_out(db: sqlite3.Connection, folder: Path, reviewer: str, report: SyncReport) -> None:
    """Write my files and commit them."""
    report.sources_out = write_sources(db, folder)
    write_codebook(db, folder)
    fingerprint = team.review_fingerprint(db, reviewer)
    path = my_file(folder, reviewer)
    # Unchanged: my highlights are as they were when this database last wrote my file, and
    # the file in the clone is still what it wrote then (a reset to the remote may bring back
    # an older one).
    if path.is_file() and team.written_fingerprint(db) == (fingerprint, file_digest(path)):
        report.mine = team.count_by_author(db, reviewer)
    else:
        path, report.mine, lines = write_reviewer_file(db, folder, reviewer)
        # Its lines as written here, so that a later change by another machine of mine is
        # merged line by line, and a highlight deleted here is known to be a deletion.
        known = lines_of(db, path.stem)
        save_lines(db, path.stem, {hid: line for hid, line in lines.items() if known.get(hid) != line},
                   removed=[hid for hid in known if hid not in lines])
    digest = file_digest(path)
    # As written here: the next sync reads it back only if another machine changed it.
    team.set_imported_hash(db, path.stem, digest)
    team.set_written_fingerprint(db, fingerprint, digest)
    report.committed = git_repo.commit_all(folder, f"postil: {reviewer} synced ({report.mine} highlights)") or report.committed
