"""`postil add` on hostile input, end to end: one table (tests/hostile_cases.py), one test.

For every case: the promised outcome (imported, imported with a warning naming the file, or
refused in one line naming the file or database), the exit code, no traceback, and the
database intact afterwards: a source added before the hostile one is still there with
byte-identical text, and PRAGMA integrity_check says ok. Whatever was imported holds no C0
(except newline and tab), C1 or ESC character in its reading text or title.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_support import ARTICLE, Postil
from hostile_cases import CASES, CONTROL, Case, can_name, spoil_database


def stored(db_path: Path) -> dict[int, tuple[str, str]]:
    """id -> (title, text) of every source, read with plain sqlite3 (not through postil)."""
    conn = sqlite3.connect(db_path)
    try:
        return {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, title, text FROM sources")}
    finally:
        conn.close()


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def param(case: Case):
    marks = [pytest.mark.slow] if case.slow else []
    return pytest.param(case, id=case.id, marks=marks)


def test_the_table_has_every_kind_of_hostile_input():
    assert len(CASES) >= 25
    assert {c.expect for c in CASES} == {"imported", "warned", "refused"}


@pytest.mark.parametrize("case", [param(c) for c in CASES])
def test_postil_add_on_hostile_input(tmp_path: Path, case: Case):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("baseline.txt", ARTICLE))
    before = stored(postil.db_path)
    inputs = tmp_path / "in"
    inputs.mkdir()
    if not can_name(inputs, case.name):
        pytest.skip(f"this file system refuses the name {case.name!r}")
    target = inputs / case.name
    case.make(target)
    if "db" in case.extra:
        spoil_database(postil.db_path, case.extra["db"])
    db_bytes = postil.db_path.read_bytes()

    run = postil("add", str(target))

    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert not CONTROL.search(output), "a control character reached the terminal"
    problems = run.stderr.strip().splitlines()
    assert all(line.startswith("postil: ") for line in problems), run.stderr
    shown_name = target.name if "\n" not in target.name and "\x1b" not in target.name else None

    if case.expect == "refused":
        assert run.exit_code == 1, (run.stdout, run.stderr)
        assert len(problems) == 1, run.stderr
        assert case.says in problems[0]
        if case.names_db:
            assert str(postil.db_path) in problems[0]
            assert postil.db_path.read_bytes() == db_bytes  # not touched at all
            return
        if shown_name:
            assert shown_name in problems[0]
        assert run.stdout == ""
    else:
        assert run.exit_code == 0, (run.stdout, run.stderr)
        if case.expect == "warned":
            assert len(problems) == 1 and case.says in problems[0], run.stderr
            assert "warning" in problems[0]
            if shown_name:
                assert shown_name in problems[0]
        else:
            assert problems == [], run.stderr
        assert run.stdout.strip().endswith("added")

    after = stored(postil.db_path)
    assert after[1] == before[1]  # the baseline: same title, byte-identical text
    assert integrity(postil.db_path) == "ok"
    new = {i: v for i, v in after.items() if i not in before}
    if case.expect == "refused":
        assert new == {}
        return
    assert len(new) == 1
    (title, reading), = new.values()
    assert not CONTROL.search(reading) and not CONTROL.search(title)
    assert title.strip() and reading.strip()
    for piece in case.keeps:
        assert piece in reading or piece in title, piece
    for piece in case.drops:
        assert piece not in reading and piece not in title, piece
    listed = postil.ok("sources")
    assert not CONTROL.search(listed.stdout)
    assert postil.ok("check").exit_code == 0


def test_hostile_files_added_together_fail_alone(tmp_path: Path):
    """One `postil add` of a good file between two bad ones: the good one is imported, exit 1."""
    postil = Postil(tmp_path)
    bad = postil.write("bad.txt", b"\x89PNG\r\n\x1a\n" + bytes(300))
    good = postil.write("good.txt", "Good file\n\nbody\n")
    empty = postil.write("empty.md", b"")
    run = postil("add", bad, good, empty)
    assert run.exit_code == 1
    assert [line.split(":")[1].strip() for line in run.stderr.splitlines()] == [str(bad), str(empty)]
    assert [title for title, _ in stored(postil.db_path).values()] == ["Good file"]
