"""reviewers/<name>.json: what a reviewer's W3C file cannot say, beside it.

    {"reviewer": "ana",
     "deleted": ["<highlight id>", ...],      the highlights they deleted (tombstones), sorted
     "done": {"<source sha256>": "<when>"}}   the sources they marked done

The tombstones let a deletion travel to the reviewer's other machines: without them, a machine
that still holds the highlight would write it back. The done marks let blind mode show a
teammate's work only once they, too, are done (store/reviewers.py). Written only when there is
something to say (or the file exists), one id per line, so a diff reads well.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from postil.exports.team_files import SHA256, bounded_read, reviewer_file_name, write_if_changed

MAX_MARKS_BYTES = 64 * 1024 * 1024
HIGHLIGHT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Marks:
    """One reviewer's marks in the team's repository: highlights deleted, sources marked done."""

    reviewer: str
    deleted: set[str] = field(default_factory=set)
    done: dict[str, str] = field(default_factory=dict)


def marks_path(reviewer_file: Path) -> Path:
    """reviewers/ana.jsonld -> reviewers/ana.json"""
    return reviewer_file.with_suffix(".json")


def marks_digest(path: Path) -> str:
    """sha256 of the file, "" when there is none (nothing deleted, nothing done)."""
    if not path.is_file() or path.is_symlink():
        return ""
    return hashlib.sha256(bounded_read(path, MAX_MARKS_BYTES)).hexdigest()


def read_marks(path: Path, reviewer_file_stem: str) -> Marks:
    """The marks beside a reviewer file (none if there is no file); ValueError with a one-line
    reason when it is damaged or names a reviewer whose file this is not."""
    if not path.is_file() or path.is_symlink():
        return Marks("")
    document = json.loads(bounded_read(path, MAX_MARKS_BYTES))
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    reviewer, deleted, done = document.get("reviewer"), document.get("deleted", []), document.get("done", {})
    if not isinstance(reviewer, str) or reviewer_file_name(reviewer) != reviewer_file_stem:
        raise ValueError("its reviewer is not the one of the file beside it")
    if not isinstance(deleted, list) or not all(isinstance(i, str) and HIGHLIGHT_ID.fullmatch(i) for i in deleted):
        raise ValueError('"deleted" is not a list of highlight ids')
    if not isinstance(done, dict) or not all(SHA256.fullmatch(k) and isinstance(v, str) for k, v in done.items()):
        raise ValueError('"done" does not map source hashes to dates')
    return Marks(reviewer, set(deleted), dict(done))


def write_marks(path: Path, marks: Marks) -> bool:
    """Write the marks if there are any or the file exists; True if the file changed."""
    if not (marks.deleted or marks.done or path.is_file()):
        return False
    document = {"reviewer": marks.reviewer, "deleted": sorted(marks.deleted), "done": dict(sorted(marks.done.items()))}
    text = json.dumps(document, ensure_ascii=True, indent=1) + "\n"
    return write_if_changed(path, text.encode("utf-8"))
