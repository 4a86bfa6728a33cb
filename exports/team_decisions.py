"""decisions/<name>.json: a reviewer's reconcile decisions, as the team shares them.

    {
     "reviewer": "ana",
     "decisions": [
      {"consensus": "<highlight id>"|null, "decided_at": "...", "decided_by": "ana",
       "decision": "keep", "kept": "<highlight id>"|null, "place": "<12 hex>", "source": "<sha256>"},
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
  (or lost to a later one on their machine): it is undone here too.
My own file is read only as the remote has it (after a reset to it): offline, the clone holds
only what this database wrote.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from postil.exports.team_files import SAFE_NAME, SHA256, bounded_read, my_file, reviewer_file_name, write_if_changed
from postil.exports.team_marks import HIGHLIGHT_ID
from postil.exports.team_report import SyncReport
from postil.store import team, team_decisions
from postil.store.reconcile import DECISIONS
from postil.store.reviewers import CONSENSUS
from postil.store.team_decisions import SharedDecision

FOLDER = "decisions"
MAX_DECISIONS_BYTES = 16 * 1024 * 1024
PLACE = re.compile(r"[0-9a-f]{12}")
FIELDS = {"source", "place", "decision", "decided_by", "decided_at", "consensus", "kept"}


def decisions_path(folder: Path, reviewer: str) -> Path:
    return folder / FOLDER / f"{reviewer_file_name(reviewer)}.json"


def write_decisions(db: sqlite3.Connection, folder: Path, reviewer: str) -> list[SharedDecision]:
    """Write my decisions (if there are any or the file exists); the entries written."""
    entries = sorted(team_decisions.local_decisions(db, reviewer).values(), key=lambda e: e.key)
    path = decisions_path(folder, reviewer)
    if entries or path.is_file():
        rows = [json.dumps({"consensus": e.consensus, "decided_at": e.decided_at, "decided_by": e.decided_by,
                            "decision": e.decision, "kept": e.kept, "place": e.place, "source": e.source},
                           ensure_ascii=True, sort_keys=True) for e in entries]
        body = ",\n".join(f"  {row}" for row in rows)
        text = f'{{\n "reviewer": {json.dumps(reviewer, ensure_ascii=True)},\n "decisions": [\n{body}\n ]\n}}\n'
        write_if_changed(path, (text if rows else text.replace("[\n\n ]", "[]")).encode("utf-8"))
    return entries


def read_decisions(path: Path) -> dict[str, SharedDecision]:
    """{shared key: decision} of one file; ValueError with a one-line reason when it is damaged
    (not JSON, another reviewer's, an entry that is not a decision of this reviewer's)."""
    try:
        document = json.loads(bounded_read(path, MAX_DECISIONS_BYTES))
    except RecursionError as error:
        raise ValueError("nested too deeply") from error
    if not isinstance(document, dict) or not isinstance(document.get("decisions"), list):
        raise ValueError('not a JSON object with a "decisions" list')
    reviewer = document.get("reviewer")
    if not isinstance(reviewer, str) or reviewer_file_name(reviewer) != path.stem:
        raise ValueError("its reviewer is not the one the file is named for")
    found: dict[str, SharedDecision] = {}
    for number, item in enumerate(document["decisions"], 1):
        entry = decision_entry(item, reviewer)
        if entry is None:
            raise ValueError(f"entry {number} is not a decision of {reviewer}'s")
        if entry.key in found:
            raise ValueError(f"entry {number}: place {entry.place} is decided twice")
        found[entry.key] = entry
    return found


def decision_entry(item, reviewer: str) -> SharedDecision | None:
    """One checked entry, or None."""
    if not isinstance(item, dict) or set(item) - FIELDS or not {"source", "place", "decision", "decided_at"} <= set(item):
        return None
    source, place, decision, at = item["source"], item["place"], item["decision"], item["decided_at"]
    consensus, kept = item.get("consensus"), item.get("kept")
    ids_ok = all(value is None or (isinstance(value, str) and HIGHLIGHT_ID.fullmatch(value)) for value in (consensus, kept))
    if not (isinstance(source, str) and SHA256.fullmatch(source) and isinstance(place, str) and PLACE.fullmatch(place)
            and decision in DECISIONS and isinstance(at, str) and 0 < len(at) <= 40 and ids_ok
            and item.get("decided_by", reviewer) == reviewer and not (decision == "drop" and consensus)):
        return None
    return SharedDecision(source, place, decision, reviewer, at, consensus, kept)


def read_all(folder: Path, report: SyncReport) -> tuple[dict[str, dict[str, SharedDecision]], set[str]]:
    """({file name: its decisions} of the readable files, names of the damaged ones (reported))."""
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
    mine = reviewer_file_name(reviewer)
    consensus_file = my_file(folder, CONSENSUS).stem
    files, damaged = read_all(folder, report)
    seen = team_decisions.seen_decisions(db)
    # A file seen before and gone is an empty one (every decision in it undone); a damaged one
    # says nothing, and neither does mine offline.
    readable = {name: files.get(name, {}) for name in set(files) | set(seen) if name not in damaged}
    if not remote_state:
        readable.pop(mine, None)
    local = team_decisions.local_decisions(db)
    for name, entries in sorted(readable.items()):
        for key, stamp in sorted(seen.get(name, {}).items()):
            here = local.get(key)
            if key not in entries and here is not None and list(here.stamp()) == stamp:
                team_decisions.drop_decision(db, here, consensus_file)
                del local[key]
                report.decisions_undone += 1
    options: dict[str, list[tuple[str, SharedDecision]]] = {}
    for name, entries in readable.items():
        for key, entry in entries.items():
            if name == mine and seen.get(name, {}).get(key) == list(entry.stamp()):
                continue  # mine as pushed from here: if it is not here now, it was undone here
            options.setdefault(key, []).append((name, entry))
    waiting = set()
    tombstoned = team.tombstoned(db, consensus_file)
    for key, choices in sorted(options.items()):
        here = local.get(key)
        every = [entry for _name, entry in choices] + ([here] if here else [])
        name, best = max(choices + ([("", here)] if here else []), key=lambda choice: choice[1].stamp())
        losers = {entry.consensus for entry in every if entry.consensus and entry.consensus != best.consensus}
        if here is not None and here.stamp() == best.stamp():
            team_decisions.delete_consensus(db, losers, consensus_file)
            continue
        consensus = best.consensus
        if consensus and not team_decisions.has_highlight(db, consensus):
            if consensus not in tombstoned:
                waiting.add(key)
                report.problems.append(f"{FOLDER}/{name}.json: place {best.place} waits for its consensus"
                                       f" highlight {consensus[:8]} (in reviewers/consensus.jsonld; sync again)")
                continue
            consensus = None  # deleted since, by hand: the decision stands without it
        team_decisions.delete_consensus(db, losers, consensus_file)
        if not team_decisions.take_decision(db, best, here, consensus):
            report.problems.append(f"{FOLDER}/{name}.json: place {best.place} needs its source ({best.source[:12]})")
            continue
        report.decisions_in += 1
    for name, entries in readable.items():
        team_decisions.set_seen_decisions(db, name, [e for k, e in entries.items() if not (name == mine and k in waiting)])
