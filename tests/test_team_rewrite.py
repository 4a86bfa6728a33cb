"""My own reviewer file is written again only where it changed (exports/team_reviewer_file.py):
after random edits, the file a sync writes (reusing unchanged lines) is byte-identical to a
whole export, and only the changed highlights' lines were serialised again."""

from __future__ import annotations

import random

import pytest

from postil.exports.team_files import my_file
from postil.exports.team_reviewer_file import reusable_lines, write_whole
from postil.exports.team_sync import write_own
from postil.sources.load import load_path
from postil.store.db import open_db
from postil.store.highlights import add_tag, create_highlight, delete_highlight, remove_tag, set_note
from postil.store.links import create_link, delete_link, list_links
from postil.store.source_add import add_source
from postil.store.tags import rename_tag
from postil.store.team_lines import signatures

TEXT = "\n\n".join(f"Paragraph {n} says something about the trial, its sample and its outcome." for n in range(80))


def mine(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT id FROM highlights WHERE author = 'ana' ORDER BY id")]


def edit(db, rng: random.Random, source_id: int, other: str, renamed: list[int]) -> set[str]:
    """One random edit; the ids of ana's highlights whose line it changes."""
    ids = mine(db)
    pick = rng.choice(ids)
    kind = rng.choice(["note", "tag", "untag", "rename", "link", "unlink", "delete", "create", "link_out"])
    if kind == "note":
        set_note(db, pick, f"note {rng.random()}")
    elif kind in ("tag", "untag"):
        has = {row[0] for row in db.execute(
            "SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.highlight_id = ?", [pick])}
        if kind == "untag" and has:
            remove_tag(db, pick, sorted(has)[0])
        elif kind == "tag" and {"caveat", "method"} - has:
            add_tag(db, pick, sorted({"caveat", "method"} - has)[0])
        else:
            return set()  # nothing to do: no line changes
    elif kind == "rename":
        # A rename touches no highlight's updated_at, yet changes every line with that tag.
        renamed[0] += 1
        old = "outcome" if renamed[0] == 1 else f"result{renamed[0] - 1}"
        changed = {h for h in ids if db.execute(
            "SELECT 1 FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.highlight_id = ? AND t.name = ?",
            [h, old]).fetchone()}
        rename_tag(db, old, f"result{renamed[0]}")
        return changed
    elif kind in ("link", "link_out"):
        to = rng.choice([h for h in ids if h != pick]) if kind == "link" else other
        if db.execute("SELECT 1 FROM links WHERE from_id = ? AND to_id = ?", [pick, to]).fetchone():
            return set()
        create_link(db, pick, to, author="ana")
    elif kind == "unlink":
        links = [link for link in list_links(db) if link.from_id in set(ids)]
        if not links:
            return set()
        link = rng.choice(links)
        delete_link(db, link.id)
        return {link.from_id}
    elif kind == "delete" and len(ids) > 5:
        # Its links go with it: the lines of the highlights linking to it change.
        linking = {row[0] for row in db.execute("SELECT from_id FROM links WHERE to_id = ?", [pick])}
        delete_highlight(db, pick)
        return linking - {pick}
    else:
        start = rng.randrange(0, len(TEXT) - 40)
        return {create_highlight(db, source_id, start, start + rng.randint(5, 30), author="ana").id}
    return {pick}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_incremental_file_equals_the_whole_export(tmp_path, seed):
    article = tmp_path / "trial.txt"
    article.write_text(TEXT)
    db = open_db(tmp_path / "ana.db")
    source_id = add_source(db, load_path(article)).source.id
    for n in range(30):
        create_highlight(db, source_id, n * 60, n * 60 + 25, tags=["outcome"], author="ana")
    other = create_highlight(db, source_id, 5, 20, author="ben").id
    folder, whole = tmp_path / "clone", tmp_path / "whole"
    write_own(db, folder, "ana", {})
    _, _, before = write_whole(db, whole, "ana", signatures(db, "ana"))
    rng = random.Random(seed)
    renamed = [0]
    for round_ in range(12):
        edited: set[str] = set()
        for _ in range(rng.randint(1, 3)):
            edited |= edit(db, rng, source_id, other, renamed)
        present = set(mine(db))
        kept = reusable_lines(db, my_file(folder, "ana"), signatures(db, "ana"))
        path, count, after = write_whole(db, whole, "ana", signatures(db, "ana"))
        same = {hid for hid, line in after.items() if hid in before and before[hid].digest == line.digest}
        # Only lines that a whole export writes the same are reused, and every line the edits
        # did not touch is (an edit undone in the same round may leave its line as it was).
        assert present - edited <= set(kept) <= same, f"round {round_}"
        write_own(db, folder, "ana", {})
        assert count == len(present)
        assert my_file(folder, "ana").read_bytes() == path.read_bytes(), f"round {round_}"
        before = after
    db.close()
