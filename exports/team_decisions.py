"""decisions/<name>.json: a reviewer's reconcile decisions, as the team shares them.

    {
     "reviewer": "ana",
     "decisions": [
      {"source": "<sha256>", "place": "<12 hex>", "decision": "keep", "kept": "<highlight id>"|null,
       "consensus": "<highlight id>"|null, "decided_by": "ana", "decided_at": "..."},
      ...
     ],
     "undone": [
      {"source": "...", "place": "...", "decision": "drop", "decided_by": "ben", "decided_at": "..."},
      ...
     ]
    }

One entry a line, sorted by source and place; each reviewer writes only their own file (the
decisions they made), so git never has two versions of one file to merge. The folder is not
reviewers/: a reviewer named "ana.decisions" would have reviewers/ana.decisions.json as the
marks file beside their highlights.

A sync merges every file by place (store/team_decisions.py names places across machines):
- the later decision wins; a tie goes to the greater decider, then the greater decision;
- the losers' consensus highlights are deleted (with tombstones, so the deletion travels in
  the consensus file's marks) and the winner's row is taken; its consensus highlight is the
  winner's own, which came in reviewers/consensus.jsonld with its id. Making it again here with
  `decide` would give it a new id on every machine, and each would send its copy to the others;
- a decision that was in a file and is gone from its newer version was undone by its reviewer
  (or lost to a later one on their machine): it is undone here too;
- a teammate's decision that someone undid on their machine is listed under "undone" in that
  someone's file (until the decider's own file no longer has it): it is undone everywhere, and
  no file brings it back. Deciding the place again makes a new decision, which travels.
My own file is read only as the remote has it (after a reset to it): offline, the clone holds
only what this database wrote.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from postil.exports.team_files import SAFE_NAME, SHA256, bounded_read, my_file, reviewer_file_name, write_if_changed
from postil.exports.team_marks import HIGHLIGHT_ID
from postil.exports.team_report import SyncReport
from postil.store import team, team_decisions
from postil.store.db import write
from postil.store.reconcile import DECISIONS
from postil.store.reviewers import CONSENSUS
from postil.store.team_decisions import SharedDecision

FOLDER = "decisions"
MAX_DECISIONS_BYTES = 16 * 1024 * 1024
PLACE = re.compile(r"[0-9a-f]{12}")
FIELDS = {"source", "place", "decision", "decided_by", "decided_at", "consensus", "kept"}
UNDONE_FIELDS = {"source", "place", "decision", "decided_by", "decided_at"}


@dataclass
class DecisionsFile:
    """One reviewer's reconcile decisions as the team shares them (decisions/<name>.json)."""

    entries: dict[str, SharedDecision] = field(default_factory=dict)
    """{shared key: decision} of the reviewer's decisions."""
    undone: set[tuple[str, tuple]] = field(default_factory=set)
    """(shared key, stamp) of teammates' decisions the reviewer undid."""


def stamped(entry: SharedDecision) -> tuple[str, tuple]:
    return entry.key, entry.stamp()


def decisions_path(folder: Path, reviewer: str) -> Path:
    return folder / FOLDER / f"{reviewer_file_name(reviewer)}.json"


def write_decisions(db: sqlite3.Connection, folder: Path, reviewer: str) -> list[SharedDecision]:
    """Write my decisions and my undos of teammates' (if there are any or the file exists);
    the decisions written."""
    entries = sorted(team_decisions.local_decisions(db, reviewer).values(), key=lambda e: e.key)
    undone = sorted(team_decisions.undone_here(db), key=lambda e: (e.key, e.stamp()))
    path = decisions_path(folder, reviewer)
    if entries or undone or path.is_file():
        # Keys in reading order (where, what, who, when), the same order every time.
        rows = [{"source": e.source, "place": e.place, "decision": e.decision, "kept": e.kept,
                 "consensus": e.consensus, "decided_by": e.decided_by, "decided_at": e.decided_at} for e in entries]
        gone = [{"source": e.source, "place": e.place, "decision": e.decision, "decided_by": e.decided_by,
                 "decided_at": e.decided_at} for e in undone]
        text = (f'{{\n "reviewer": {json.dumps(reviewer, ensure_ascii=True)},\n "decisions": {block(rows)},\n'
                f' "undone": {block(gone)}\n}}\n')
        write_if_changed(path, text.encode("utf-8"))
    return entries


def block(rows: list[dict]) -> str:
    """A JSON list, one item a line (so a diff shows each decision that changed)."""
    if not rows:
        return "[]"
    return "[\n" + ",\n".join(f"  {json.dumps(row, ensure_ascii=True)}" for row in rows) + "\n ]"


def read_decisions(path: Path) -> DecisionsFile:
    """One file's decisions and undos; ValueError with a one-line reason when it is damaged
    (not JSON, another reviewer's, an entry that is not a decision of this reviewer's)."""
    try:
        document = json.loads(bounded_read(path, MAX_DECISIONS_BYTES))
    except RecursionError as error:
        raise ValueError("nested too deeply") from error
    if not isinstance(document, dict) or not isinstance(document.get("decisions"), list) \
            or not isinstance(document.get("undone", []), list):
        raise ValueError('not a JSON object with a "decisions" list')
    reviewer = document.get("reviewer")
    if not isinstance(reviewer, str) or reviewer_file_name(reviewer) != path.stem:
        raise ValueError("its reviewer is not the one the file is named for")
    found = DecisionsFile()
    for number, item in enumerate(document["decisions"], 1):
        entry = decision_entry(item, reviewer)
        if entry is None:
            raise ValueError(f"entry {number} is not a decision of {reviewer}'s")
        if entry.key in found.entries:
            raise ValueError(f"entry {number}: place {entry.place} is decided twice")
        found.entries[entry.key] = entry
    for number, item in enumerate(document.get("undone", []), 1):
        entry = undone_entry(item)
        if entry is None:
            raise ValueError(f"undone entry {number} is not a decision")
        found.undone.add(stamped(entry))
    return found


def decision_entry(item, reviewer: str) -> SharedDecision | None:
    """One checked entry, or None."""
    if not isinstance(item, dict) or set(item) - FIELDS or not {"source", "place", "decision", "decided_at"} <= set(item):
        return None
    consensus, kept = item.get("consensus"), item.get("kept")
    ids_ok = all(value is None or (isinstance(value, str) and HIGHLIGHT_ID.fullmatch(value)) for value in (consensus, kept))
    entry = undone_entry({"decided_by": reviewer, **{k: v for k, v in item.items() if k in UNDONE_FIELDS}})
    if entry is None or not ids_ok or entry.decided_by != reviewer or (entry.decision == "drop" and consensus):
        return None
    return SharedDecision(entry.source, entry.place, entry.decision, reviewer, entry.decided_at, consensus, kept)


def undone_entry(item) -> SharedDecision | None:
    if not isinstance(item, dict) or set(item) != UNDONE_FIELDS:
        return None
    source, place, decision, by, at = (item[k] for k in ("source", "place", "decision", "decided_by", "decided_at"))
    if not (isinstance(source, str) and SHA256.fullmatch(source) and isinstance(place, str) and PLACE.fullmatch(place)
            and decision in DECISIONS and isinstance(at, str) and 0 < len(at) <= 40
            and isinstance(by, str) and len(by) <= 200):
        return None
    return SharedDecision(source, place, decision, by, at)


def read_all(folder: Path, report: SyncReport) -> tuple[dict[str, DecisionsFile], set[str]]:
    """({file name: its content} of the readable files, names of the damaged ones (reported))."""
    files, damaged = {}, set()
    for path in sorted((folder / FOLDER).glob("*.json")):
        if path.is_symlink() or not SAFE_NAME.fullmatch(path.stem):
            continue
        try:
            files[path.stem] = read_decisions(path)
        except (ValueError, OSError) as error:
            damaged.add(path.stem)
            report.problems.append(f"{FOLDER}/{path.name}: skipped ({' '.join(str(error).split())[:200]})")
    return files, damaged


def bring_in_decisions(db: sqlite3.Connection, folder: Path, reviewer: str, report: SyncReport, *,
                       remote_state: bool) -> None:
    """Merge every decisions file into this database's decisions (see the module's docstring).

    Args:
        remote_state: the clone was just reset to the remote (so my own file is the team's).
    """
    files, damaged = read_all(folder, report)
    # One transaction: a sync cut short leaves the decisions as they were, and the next one
    # reads the files again.
    with write(db):
        merge_decisions(db, folder, reviewer, files, damaged, report, remote_state=remote_state)


def merge_decisions(db: sqlite3.Connection, folder: Path, reviewer: str, files: dict[str, DecisionsFile],
                    damaged: set[str], report: SyncReport, *, remote_state: bool) -> None:
    mine = reviewer_file_name(reviewer)
    consensus_file = my_file(folder, CONSENSUS).stem
    seen = team_decisions.seen_decisions(db)
    # A file seen before and gone is an empty one (every decision in it undone); a damaged one
    # says nothing, and neither does mine offline.
    readable = {name: files.get(name, DecisionsFile()) for name in set(files) | set(seen) if name not in damaged}
    if not remote_state:
        readable.pop(mine, None)
    local = team_decisions.local_decisions(db)
    undone = note_undone_here(db, readable, seen, local, mine)
    dead = set().union(*(f.undone for f in readable.values())) | {stamped(e) for e in undone}
    for name, content in sorted(readable.items()):
        for key, stamp in sorted(seen.get(name, {}).items()):
            here = local.get(key)
            if key not in content.entries and here is not None and list(here.stamp()) == stamp:
                team_decisions.drop_decision(db, here, consensus_file)
                del local[key]
                report.decisions_undone += 1
    for key, here in sorted(local.items()):
        if stamped(here) in dead:  # undone on a teammate's machine
            team_decisions.drop_decision(db, here, consensus_file)
            del local[key]
            report.decisions_undone += 1
    options: dict[str, list[tuple[str, SharedDecision]]] = {}
    for name, content in readable.items():
        for key, entry in content.entries.items():
            if stamped(entry) in dead or (name == mine and seen.get(name, {}).get(key) == list(entry.stamp())):
                continue  # undone somewhere; or mine as pushed from here, so if it is not here now, undone here
            options.setdefault(key, []).append((name, entry))
    waiting = {key for key, choices in sorted(options.items())
               if not take_winner(db, choices, local.get(key), consensus_file, report)}
    for name, content in readable.items():
        team_decisions.set_seen_decisions(db, name, [e for k, e in content.entries.items() if k not in waiting])


def note_undone_here(db: sqlite3.Connection, readable: dict[str, DecisionsFile], seen: dict,
                     local: dict[str, SharedDecision], mine: str) -> set[SharedDecision]:
    """Teammates' decisions applied here before and gone now (undone here since the last sync),
    added to those remembered; those whose decider's file no longer has them are forgotten
    (every machine undoes them from that file now)."""
    sources = team_decisions.source_hashes(db)
    undone = team_decisions.undone_here(db)
    for name, content in readable.items():
        if name == mine:
            continue  # mine undone here: my next file leaves them out, which says it
        for key, entry in content.entries.items():
            if key not in local and entry.source in sources and seen.get(name, {}).get(key) == list(entry.stamp()):
                undone.add(SharedDecision(entry.source, entry.place, entry.decision, entry.decided_by, entry.decided_at))
    undone = {e for e in undone if reviewer_file_name(e.decided_by) not in readable
              or stamped(e) in {stamped(x) for x in readable[reviewer_file_name(e.decided_by)].entries.values()}}
    team_decisions.set_undone_here(db, undone)
    return undone


def take_winner(db: sqlite3.Connection, choices: list[tuple[str, SharedDecision]],
                here: SharedDecision | None, consensus_file: str, report: SyncReport) -> bool:
    """Make the winner of one place this database's decision; False if it must wait (its
    consensus highlight or its source has not come yet)."""
    every = choices + ([("", here)] if here else [])
    name, best = max(every, key=lambda choice: choice[1].stamp())
    losers = {entry.consensus for _n, entry in every if entry.consensus and entry.consensus != best.consensus}
    if here is not None and here.stamp() == best.stamp():
        team_decisions.delete_consensus(db, losers, consensus_file)
        return True
    consensus = best.consensus
    if consensus and not team_decisions.has_highlight(db, consensus):
        if consensus not in team.tombstoned(db, consensus_file):
            report.problems.append(f"{FOLDER}/{name}.json: place {best.place} waits for its consensus"
                                   f" highlight {consensus[:8]} (in reviewers/consensus.jsonld; sync again)")
            return False
        consensus = None  # deleted since, by hand: the decision stands without it
    # Before the row is replaced: undoing the losing row here would delete its consensus
    # highlight without the tombstone that makes the deletion travel.
    team_decisions.delete_consensus(db, losers, consensus_file)
    if not team_decisions.take_decision(db, best, here, consensus):
        report.problems.append(f"{FOLDER}/{name}.json: place {best.place} needs its source ({best.source[:12]})")
        return False
    report.decisions_in += 1
    return True
