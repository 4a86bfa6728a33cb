"""A database that fails its own integrity check takes no more writes, and says the way out.

A damaged page used to go unnoticed by any command that did not read it: `postil mark` went
on writing into the damaged file.
"""

from __future__ import annotations

import sqlite3

import pytest
from cli_support import ARTICLE, Postil


def damage_a_page(db_path, table: str) -> None:
    """Overwrite the header of `table`'s root page, as a bad sector or a torn copy would."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 16)


@pytest.fixture
def damaged(tmp_path):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("article.txt", ARTICLE))
    postil.ok("mark", "1", "The sample was small")
    damage_a_page(postil.db_path, "links")  # a table `mark` itself never reads
    return postil


def test_writes_to_a_damaged_database_are_refused_with_the_way_out(damaged):
    before = damaged.db_path.read_bytes()
    for args in (("mark", "1", "Some relapses"), ("add", damaged.write("b.txt", "Other\n\nbody\n"))):
        run = damaged.fails(*args)
        [line] = run.stderr.strip().splitlines()
        assert line.startswith(f"postil: {damaged.db_path}: the database is damaged")
        assert "nothing was written" in line and "postil check" in line and "postil backup" in line
    assert damaged.db_path.read_bytes() == before
    conn = sqlite3.connect(damaged.db_path)
    assert conn.execute("SELECT count(*) FROM highlights").fetchone()[0] == 1
    conn.close()


def test_reading_a_damaged_database_still_works(damaged):
    assert "The sample was small" in damaged.ok("highlights").stdout
    assert damaged("check").exit_code == 1
