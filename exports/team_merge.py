"""Bringing the team's work in: the codebook, new sources, and each changed reviewer file.

Two kinds of reviewer file:

- A teammate's (reviewers/ben.jsonld): theirs wins for their own highlights. New and changed
  lines are merged; a highlight gone from the file, or listed as deleted beside it
  (reviewers/ben.json), is removed here unless someone else linked to it (kept, reported); a
  link gone from its line is deleted; their done marks become exactly the file's.
- One of mine: my own file, and the consensus file (reviewers/consensus.jsonld, the reconciled
  highlights, which every machine writes from its database). When another machine wrote it
  (my laptop, a teammate who reconciled), its work comes in: this database wins where both
  have a highlight, nothing is removed for being absent, and the highlights that machine
  deleted (its tombstones) are deleted here, except those this database deleted and brought
  back itself (an undo). A highlight deleted here is not brought back by any file while its
  tombstone is only here (a deletion wins over an edit made elsewhere). Once the tombstone is
  shared (pushed in my marks file, or learned from it), a version of the marks file that no
  longer lists it means another machine of mine undid the deletion: it is lifted and the
  highlight comes back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from postil.exports.team_files import file_digest, my_file, read_codebook, read_sources, their_files
from postil.exports.team_marks import Marks, marks_digest, marks_path, read_marks
from postil.exports.team_report import SyncReport
from postil.exports.team_reviewer_file import ReviewerFile, read_reviewer_file
from postil.store import team
from postil.store.exchange import merge
from postil.store.reviewers import CONSENSUS
from postil.store.team_lines import delete_links_from, lines_of, save_lines


def own_authors(reviewer: str) -> list[str]:
    """The authors whose files this database writes: the reviewer, and the consensus."""
    return [reviewer] if reviewer == CONSENSUS else [reviewer, CONSENSUS]


def file_key(path: Path) -> str:
    """What a reviewer file and its marks are, in one string (unchanged: nothing to read)."""
    return f"{file_digest(path)}+{marks_digest(marks_path(path))}"


def bring_in(db: sqlite3.Connection, folder: Path, reviewer: str, report: SyncReport) -> None:
    """Import the codebook, new sources and every reviewer file that changed since last time."""
    report.problems += read_codebook(db, folder)
    added, problems = read_sources(db, folder)
    report.sources_in += added
    report.problems += problems
    seen = team.imported_hashes(db)
    own = {my_file(folder, author): author for author in own_authors(reviewer)}
    before: dict[Path, set[str]] = {}
    for path, author in own.items():
        # My deletions since my files were last written, as tombstones, before any file can
        # bring those highlights back; what was tombstoned before them tells an undo here
        # from a deletion made on another machine.
        before[path] = team.tombstoned(db, path.stem)
        team.note_deletions(db, path.stem, author)
    # Mine first: writing my file from this database must not drop work another machine added.
    files = [path for path in own if path.is_file()]
    files += [path for path in their_files(folder, reviewer) if path not in own]
    for path in files:
        damaged = path
        try:
            key = file_key(path)
            if seen.get(path.stem) == key:
                continue  # as last imported or written here: nothing in it is new
            damaged = marks_path(path)
            marks = read_marks(damaged, path.stem)
            damaged = path
            if path in own and marks.reviewer:
                # Undone on the machine that wrote it: its line is read again, so it comes back.
                save_lines(db, path.stem, {}, removed=team.lift_shared(db, path.stem, marks.deleted))
            theirs = read_reviewer_file(db, path)
        except (ValueError, RecursionError, OSError) as error:
            # RecursionError: json.loads of a file nested too deep to decode (hand-made).
            report.problems.append(f"reviewers/{damaged.name}: skipped ({' '.join(str(error).split())[:200]})")
            continue
        if theirs.problems:
            # A hand-edited or damaged file: nothing of it is imported, so nothing of it is
            # removed either; the reviewer's next sync writes it whole again.
            report.problems.append(f"reviewers/{path.name}: skipped ({theirs.problems[0]})")
            continue
        if path in own:
            bring_in_mine(db, theirs, marks, own[path], before[path], report)
        else:
            bring_in_theirs(db, theirs, marks, report)
        team.set_imported_hash(db, path.stem, key)


def bring_in_mine(db: sqlite3.Connection, theirs: ReviewerFile, marks: Marks, author: str,
                  tombstoned_before: set[str], report: SyncReport) -> None:
    """One of my files, as another machine wrote it."""
    elsewhere = marks.deleted - tombstoned_before  # deleted on that machine: news here
    report.removed += len(team.delete_own(db, elsewhere, author))
    team.add_tombstones(db, theirs.name, elsewhere, shared=True)
    team.share_tombstones(db, theirs.name, marks.deleted)  # the team has them: an undo may lift them
    deleted = team.tombstoned(db, theirs.name)
    changed = [item for item in theirs.changed if item.id not in deleted]
    merged = merge(db, changed)
    if marks.reviewer:
        team.set_done_marks(db, marks.reviewer, marks.done, exact=False)
    record(db, theirs, changed, merged, report)


def bring_in_theirs(db: sqlite3.Connection, theirs: ReviewerFile, marks: Marks, report: SyncReport) -> None:
    """A teammate's file: theirs wins for their highlights."""
    changed = [item for item in theirs.changed if item.id not in marks.deleted]
    merged = merge(db, changed, theirs_win=True)
    team.record_origins(db, theirs.name, [item.id for item in changed])
    vanished = team.remove_vanished(db, theirs.name, set(theirs.lines) - marks.deleted)
    report.removed += len(vanished.removed)
    report.kept_linked += vanished.kept_linked
    if marks.reviewer:
        report.done_marks += team.set_done_marks(db, marks.reviewer, marks.done, exact=True)
    record(db, theirs, changed, merged, report)


def record(db: sqlite3.Connection, theirs: ReviewerFile, changed: list, merged, report: SyncReport) -> None:
    """Delete the links that left their lines, remember the file's lines, and report."""
    known = lines_of(db, theirs.name)
    # A link its author deleted left the line of the highlight it starts from.
    report.links_removed += delete_links_from(db, [
        (item.id, link_id) for item in changed if item.id in known
        for link_id in sorted(known[item.id].link_ids() - theirs.lines[item.id].link_ids())])
    unplaced = {highlight_id for highlight_id, _ in merged.unknown_source}  # read again next time
    taken = {item.id for item in changed} - unplaced
    save_lines(db, theirs.name, {hid: theirs.lines[hid] for hid in taken if known.get(hid) != theirs.lines[hid]},
               removed=[hid for hid in known if hid not in theirs.lines])
    report.files_read.append(theirs.name)
    report.merged += len(changed)
    report.added += len(merged.added)
    report.updated += len(merged.updated)
    report.orphaned += len(merged.orphaned)
    report.problems += [f"reviewers/{theirs.name}.jsonld: {h[:8]} needs its source ({where})"
                        for h, where in merged.unknown_source]
