"""A read-only database and a full disk: a clear StoreError, nothing half-written.

The suite runs as root, which ignores file permissions, so read-only is made with
`PRAGMA query_only` or a `mode=ro` URI connection, and a full disk with `PRAGMA max_page_count`
just above the current size. The CLI gets the same connections through its Settings.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from cli_support import ARTICLE, Postil

from postil.sources.blocks import Block
from postil.sources.document import Document, LoadedSource
from postil.store import highlights, sources, tags
from postil.store.db import configure_connection, open_db
from postil.store.errors import Conflict, StoreError
from postil.store.source_add import add_source
from postil.tui.settings import Settings

TABLES = ("sources", "blocks", "highlights", "highlight_tags", "tags", "links", "settings")


def loaded(text: str, origin: str) -> LoadedSource:
    blocks, offset = [], 0
    for chunk in text.split("\n\n"):
        blocks.append(Block("paragraph", offset, offset + len(chunk)))
        offset += len(chunk) + 2
    doc = Document("Big", text, blocks, "text")
    return LoadedSource(doc, origin, hashlib.sha256(text.encode()).hexdigest(), len(text.encode()))


BIG = "\n\n".join(f"Paragraph {i} of a large source, with words worth indexing: {i * 7919}." for i in range(20_000))


def counts(db) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def healthy(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO highlights_fts(highlights_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO sources_fts(sources_fts) VALUES ('integrity-check')")
    finally:
        conn.close()


@pytest.fixture
def filled(tmp_path) -> tuple[Path, str]:
    """A database with one source and one highlight with a note; (path, highlight id)."""
    path = tmp_path / "p.db"
    db = open_db(path)
    source = add_source(db, loaded("Alpha beta gamma.\n\nDelta epsilon zeta.", "/a.txt")).source
    h = highlights.create_highlight(db, source.id, 0, 5, tags=["caveat"], note="first")
    db.close()
    return path, h.id


def read_only_by_pragma(path: Path) -> sqlite3.Connection:
    db = open_db(path)
    db.execute("PRAGMA query_only = ON")
    return db


def read_only_by_uri(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    configure_connection(conn)
    return conn


def full_disk(path: Path) -> sqlite3.Connection:
    db = open_db(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")
    return db


WRITES = {
    "create_highlight": lambda db, hid: highlights.create_highlight(db, 1, 6, 10, tags=["outcome", "brand-new"], note="n"),
    "set_note": lambda db, hid: highlights.set_note(db, hid, "second " * 2000, expected_version=1),
    "add_source": lambda db, hid: add_source(db, loaded(BIG, "/big.txt")),
    "update_source": lambda db, hid: add_source(db, loaded(BIG, "/a.txt")),
    "delete_highlight": lambda db, hid: highlights.delete_highlight(db, hid),
    "create_tag": lambda db, hid: tags.create_tag(db, "another"),
}


OPENERS = [
    ("query_only", read_only_by_pragma, "the database is read-only; nothing was changed"),
    ("mode=ro", read_only_by_uri, "the database is read-only; nothing was changed"),
    ("full", full_disk, "the disk is full; nothing was changed"),
]
# A full disk only stops writes that grow the file: the small ones fit in the pages left.
GROWING = ("set_note", "add_source", "update_source")


@pytest.mark.parametrize(
    "opener, expected, write_name",
    [
        pytest.param(opener, expected, name, id=f"{label}-{name}")
        for label, opener, expected in OPENERS
        for name in WRITES
        if opener is not full_disk or name in GROWING
    ],
)
def test_a_refused_write_is_a_clear_error_and_changes_nothing(filled, opener, expected, write_name):
    path, hid = filled
    db = opener(path)
    before = counts(db)
    note = highlights.get_highlight(db, hid).note
    with pytest.raises(StoreError) as caught:
        WRITES[write_name](db, hid)
    message = str(caught.value)
    assert expected in message and str(path) in message and "\n" not in message
    assert not db.in_transaction
    assert counts(db) == before
    assert highlights.get_highlight(db, hid).note == note
    db.close()
    healthy(path)
    # The same database, opened normally afterwards, takes the write.
    again = open_db(path)
    WRITES[write_name](again, hid)


def test_after_a_full_disk_the_connection_keeps_working(filled):
    path, hid = filled
    db = full_disk(path)
    with pytest.raises(StoreError, match="disk is full"):
        add_source(db, loaded(BIG, "/big.txt"))
    # Room again (the user freed space): the same connection writes normally.
    db.execute("PRAGMA max_page_count = 1073741823")
    add_source(db, loaded(BIG, "/big.txt"))
    highlights.set_note(db, hid, "after", expected_version=1)
    assert [s.title for s in sources.list_sources(db)] == ["Big", "Big"]
    db.close()
    healthy(path)


# --- a note saved in two places --------------------------------------------------------


def test_a_stale_note_save_is_a_conflict_and_keeps_the_newer_note(filled):
    path, hid = filled
    mine, theirs = open_db(path), open_db(path)
    started = highlights.get_highlight(mine, hid).version
    saved = highlights.set_note(theirs, hid, "written in the other window", expected_version=started)
    assert saved.version == started + 1
    with pytest.raises(Conflict) as caught:
        highlights.set_note(mine, hid, "written here, from the old version", expected_version=started)
    assert "changed elsewhere" in str(caught.value)
    h = highlights.get_highlight(mine, hid)
    assert (h.note, h.version) == ("written in the other window", started + 1)
    # Saving again from the version now seen works: nothing is lost for good.
    highlights.set_note(mine, hid, "merged by hand", expected_version=h.version)
    assert highlights.get_highlight(theirs, hid).note == "merged by hand"


def test_any_change_to_a_highlight_makes_an_open_note_stale(filled):
    path, hid = filled
    db = open_db(path)
    started = highlights.get_highlight(db, hid).version
    highlights.add_tag(db, hid, "outcome")  # a tag added elsewhere also bumps the version
    with pytest.raises(Conflict):
        highlights.set_note(db, hid, "late", expected_version=started)
    assert highlights.get_highlight(db, hid).note == "first"


# --- the command line ------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    """A Postil runner whose database connections can be made read-only or full."""
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("a.txt", ARTICLE))
    postil.ok("mark", "1", "The sample was small", "--tag", "caveat")
    mode = {"how": None}
    real_open = Settings.open

    def open_with_trouble(self):
        db = real_open(self)
        if mode["how"] == "ro":
            db.execute("PRAGMA query_only = ON")
        elif mode["how"] == "full":
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages + 1}")
        return db

    monkeypatch.setattr(Settings, "open", open_with_trouble)
    return postil, mode


@pytest.mark.parametrize(
    "how, expected", [("ro", "the database is read-only; nothing was changed"), ("full", "the disk is full; nothing was changed")]
)
def test_cli_writes_on_a_read_only_or_full_database_fail_in_one_line(cli_db, how, expected):
    postil, mode = cli_db
    big = postil.write("big.txt", "Big\n\n" + BIG)
    mode["how"] = how
    attempts = [
        ["add", big],
        # A long note: more than the pages a full disk has left.
        ["mark", "1", "Some relapses followed", "--tag", "outcome", "--note", "long note " * 50_000],
    ]
    if how == "ro":
        attempts += [["tag", "add", "limit"], ["rm", "1", "--yes"], ["tag", "rename", "caveat", "limit"]]
    for args in attempts:
        run = postil.fails(*args)
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], (args, run.stderr)
        assert str(postil.db_path) in lines[0], (args, run.stderr)
    mode["how"] = None
    assert [s["title"] for s in postil.ok("sources", "--json").json()] == ["Durability of response"]
    assert [h["tags"] for h in postil.ok("highlights", "--json").json()] == [["caveat"]]
    postil.ok("check")
