"""Opening, migrating and refusing databases; FTS sync; transactions that roll back."""

import hashlib
import sqlite3

import pytest
import sqlite_utils

from postil.sources.blocks import Block, BlockTable
from postil.sources.document import Document, LoadedSource
from postil.store import highlights, reading, sources
from postil.store.db import SCHEMA_VERSION, configure_connection, open_db, write
from postil.store.errors import StoreError
from postil.store.migrations import MIGRATION_NAMES, MIGRATIONS, applied_names
from postil.store.source_add import add_source


def tag_names(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM tags ORDER BY id")]


def loaded(text: str, origin: str = "/a.txt", title: str = "A") -> LoadedSource:
    doc = Document(title, text, [Block("paragraph", 0, len(text))], "text")
    return LoadedSource(doc, origin, hashlib.sha256(text.encode()).hexdigest(), len(text.encode()))


def test_new_database_has_wal_foreign_keys_busy_timeout_and_default_tags(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert tag_names(db) == ["mechanism", "outcome", "caveat", "anecdote"]
    assert len({row[0] for row in db.execute("SELECT color FROM tags")}) == 4
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_default_path_honours_postil_db(monkeypatch, tmp_path):
    target = tmp_path / "env" / "chosen.db"
    monkeypatch.setenv("POSTIL_DB", str(target))
    open_db()
    assert target.exists()


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "again.db"
    open_db(path).close()
    db = open_db(path)
    assert len(applied_names(db)) == SCHEMA_VERSION
    assert len(tag_names(db)) == 4


def test_database_from_a_newer_postil_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.db"
    db = open_db(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer postil"):
        open_db(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_a_clear_error(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="corrupt.db"):
        open_db(path)


def test_foreign_sqlite_file_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a postil database"):
        open_db(path)


def test_fts_follows_inserts_updates_and_deletes(tmp_path):
    db = open_db(tmp_path / "fts.db")
    source = add_source(db, loaded("Patients relapsed after twelve weeks of follow-up.")).source
    h = highlights.create_highlight(db, source.id, 0, 17)

    def hits(word):
        return db.execute("SELECT count(*) FROM highlights_fts WHERE highlights_fts MATCH ?", [word]).fetchone()[0]

    assert hits("relapse") == 1  # porter stemming
    highlights.set_note(db, h.id, "durability concern")
    assert hits("durability") == 1
    highlights.delete_highlight(db, h.id)
    assert hits("relapse") == 0 and hits("durability") == 0
    assert db.execute("SELECT count(*) FROM sources_fts WHERE sources_fts MATCH 'twelve'").fetchone()[0] == 1
    db.execute("INSERT INTO highlights_fts(highlights_fts) VALUES ('integrity-check')")


def test_write_rolls_back_everything_on_error(tmp_path):
    db = open_db(tmp_path / "rollback.db")
    source = add_source(db, loaded("Some text to mark.")).source
    with pytest.raises(RuntimeError):
        with write(db):
            highlights.create_highlight(db, source.id, 0, 4, tags=["brand-new"])
            raise RuntimeError("boom")
    assert highlights.list_highlights(db) == []
    assert "brand-new" not in tag_names(db)


def test_write_on_a_plain_connection_commits_and_nests_as_a_savepoint(tmp_path):
    db = open_db(tmp_path / "plain.db")
    db.close()
    conn = open_db(tmp_path / "plain.db")
    with write(conn):
        conn.execute("INSERT INTO settings (key, value) VALUES ('kept', '1')")
        with pytest.raises(RuntimeError):
            with write(conn):
                conn.execute("INSERT INTO settings (key, value) VALUES ('undone', '1')")
                raise RuntimeError("inner")
    conn.close()
    again = open_db(tmp_path / "plain.db")
    keys = {row[0] for row in again.execute("SELECT key FROM settings")}
    assert "kept" in keys and "undone" not in keys


def test_same_bytes_twice_is_one_source_and_changed_bytes_update_in_place(tmp_path):
    db = open_db(tmp_path / "dedupe.db")
    first = add_source(db, loaded("Version one of the text."))
    again = add_source(db, loaded("Version one of the text."))
    assert (first.status, again.status) == ("added", "unchanged")
    highlights.create_highlight(db, first.source.id, 0, 7)
    changed = add_source(db, loaded("Preface. Version one of the text, revised."))
    assert changed.status == "updated" and changed.source.id == first.source.id
    assert len(sources.list_sources(db)) == 1
    kept = highlights.list_highlights(db)
    assert len(kept) == 1 and kept[0].quote == "Version"
    assert changed.source.changed_at is not None


def test_blocks_come_back_as_stored_as_a_list_and_as_a_reading_table(tmp_path):
    """get_source gives a list; source_for_reading (an open source) a BlockTable. In both, the
    empty meta that blocks share cannot be changed."""
    db = open_db(tmp_path / "blocks.db")
    text = "Title\n\n- one\n\nPlain."
    blocks = [Block("heading", 0, 5, 1), Block("list_item", 7, 12, 1, {"ordinal": "1."}),
              Block("paragraph", 14, 20)]
    doc = Document("T", text, blocks, "markdown")
    source_id = add_source(db, LoadedSource(doc, "/b.md", "b" * 64, len(text))).source.id
    back = sources.get_source(db, source_id).blocks
    assert back == blocks
    assert [b.meta for b in back] == [{}, {"ordinal": "1."}, {}]
    with pytest.raises(TypeError):
        back[0].meta["links"] = ["https://example.org"]
    assert back[2].meta == {}
    opened = reading.source_for_reading(db, source_id).blocks
    assert isinstance(opened, BlockTable)
    assert opened == blocks == back
    assert opened[1].meta == {"ordinal": "1."}
    with pytest.raises(TypeError):
        opened[0].meta["links"] = ["https://example.org"]


def test_highlight_quote_equals_text_between_offsets(tmp_path):
    db = open_db(tmp_path / "quote.db")
    text = "Émotions 😀 and 中文 text — with [bold]markup[/] too."
    source = add_source(db, loaded(text)).source
    for start, end in [(0, 8), (9, 10), (15, 17), (30, len(text))]:
        h = highlights.create_highlight(db, source.id, start, end)
        assert h.quote == text[start:end]
        assert h.prefix == text[max(0, start - 32):start]
        assert h.suffix == text[end:end + 32]


@pytest.mark.parametrize("start,end", [(-1, 3), (3, 3), (5, 2), (0, 10_000)])
def test_bad_ranges_are_refused(tmp_path, start, end):
    db = open_db(tmp_path / "ranges.db")
    source = add_source(db, loaded("short text")).source
    with pytest.raises(StoreError):
        highlights.create_highlight(db, source.id, start, end)
    assert highlights.list_highlights(db) == []


def database_before(path, migration: str) -> sqlite3.Connection:
    """A file as the release before `migration` left it: the earlier migrations applied and
    `user_version` saying so; its open connection."""
    conn = sqlite3.connect(path, isolation_level=None)
    configure_connection(conn)
    names = MIGRATION_NAMES
    MIGRATIONS.apply(sqlite_utils.Database(conn), stop_before=migration)
    conn.execute(f"PRAGMA user_version = {names.index(migration)}")
    return conn


def test_database_from_the_previous_version_upgrades_in_place(tmp_path):
    """A file made by the release before this one (all migrations but the last) upgrades."""
    path = tmp_path / "previous.db"
    names = MIGRATION_NAMES
    database_before(path, names[-1]).close()
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert applied_names(db) == names
    assert len(tag_names(db)) == 4


@pytest.mark.parametrize("text", ["plain ascii text " * 50, "wide 中文 and 😀 text " * 50])
def test_quote_and_length_follow_a_text_changed_by_raw_sql(tmp_path, text):
    """The stored character count (kept by triggers) follows any writer, e.g. Datasette."""
    db = open_db(tmp_path / "raw.db")
    source = add_source(db, loaded("short")).source
    with write(db):
        db.execute("UPDATE sources SET text = ? WHERE id = ?", [text, source.id])
    assert sources.get_source_info(db, source.id).chars == len(text)
    for start, end in [(0, 5), (100, 140), (len(text) - 7, len(text))]:
        h = highlights.create_highlight(db, source.id, start, end)
        assert (h.quote, h.prefix, h.suffix) == (text[start:end], text[max(0, start - 32):start], text[end:end + 32])
    with pytest.raises(StoreError):
        highlights.create_highlight(db, source.id, 0, len(text) + 1)


def test_upgrade_counts_the_characters_of_existing_sources(tmp_path):
    path = tmp_path / "before-chars.db"
    conn = database_before(path, "0003_source_chars")
    text = "Émotions 😀 and 中文 text"
    conn.execute(
        "INSERT INTO sources (title, origin, format, sha256, size, text, imported_at, updated_at) "
        "VALUES ('A', '/a.txt', 'text', 'x', 1, ?, 'now', 'now')",
        [text],
    )
    conn.commit()
    conn.close()
    db = open_db(path)
    [info] = sources.list_sources(db)
    assert info.chars == len(text)
    assert highlights.create_highlight(db, info.id, 9, 10).quote == "😀"


def test_reading_positions_survive_the_upgrade_and_follow_saves(tmp_path):
    path = tmp_path / "before-positions.db"
    conn = database_before(path, "0004_reading_positions")
    for title, offset, read_at in [("A", 7, "2025-01-02T00:00:00Z"), ("B", 0, None)]:
        conn.execute(
            "INSERT INTO sources (title, origin, format, sha256, size, text, imported_at, updated_at, "
            "read_offset, last_read_at) VALUES (?, ?, 'text', ?, 1, 'some text here', 'now', 'now', ?, ?)",
            [title, f"/{title}.txt", title, offset, read_at],
        )
    conn.commit()
    conn.close()
    db = open_db(path)
    a, b = sources.list_sources(db)
    assert (a.read_offset, a.last_read_at, b.read_offset, b.last_read_at) == (7, "2025-01-02T00:00:00Z", 0, None)
    assert sources.last_read_source(db) == a.id
    sources.save_reading_position(db, b.id, 3)
    assert sources.get_source_info(db, b.id).read_offset == 3
    assert sources.last_read_source(db) == b.id
    sources.save_reading_position(db, 999, 3)  # a source deleted meanwhile: nothing to remember
    sources.delete_source(db, b.id)
    assert sources.last_read_source(db) == a.id


def test_upgrade_moves_the_text_last_keeping_blocks_highlights_search_and_positions(tmp_path):
    """0005 rewrites `sources` in place: nothing hanging off a source may be lost (a dropped
    table would cascade-delete blocks and highlights), and its triggers must still work."""
    path = tmp_path / "before5.db"
    old = database_before(path, "0005_sources_text_last")
    source = add_source(old, loaded("Psilocybin eased the amygdala response.")).source
    mark = highlights.create_highlight(old, source.id, 0, 10, tags=["outcome"])
    sources.save_reading_position(old, source.id, 12)
    add_source(old, loaded("A long text on overflow pages. " * 2000, origin="/long.txt"))
    old.close()

    db = open_db(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(sources)")]
    assert columns[-1] == "text" and "read_offset" not in columns
    again = sources.get_source(db, source.id)
    assert again.text == "Psilocybin eased the amygdala response."
    assert again.blocks == [Block("paragraph", 0, len(again.text))] and again.read_offset == 12
    assert [h.quote for h in highlights.list_highlights(db)] == [mark.quote] == ["Psilocybin"]
    assert db.execute("SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'amygdala'").fetchall() == [(source.id,)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0  # the old text's pages given back
    # The rebuilt triggers follow a changed text: search and the character count.
    changed = add_source(db, loaded("Psilocybin eased the hippocampus response, briefly."))
    assert changed.status == "updated"
    assert db.execute("SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'amygdala'").fetchall() == []
    assert db.execute("SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'hippocampus'").fetchall() == [(source.id,)]
    assert sources.get_source_info(db, source.id).chars == len("Psilocybin eased the hippocampus response, briefly.")
    db.execute("INSERT INTO sources_fts(sources_fts) VALUES ('integrity-check')")


def test_schema_version_counts_every_migration():
    assert len(MIGRATION_NAMES) == SCHEMA_VERSION


def test_a_foreign_sqlite_file_stays_byte_identical(tmp_path):
    path = tmp_path / "f.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a postil database"):
        open_db(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "f.db-wal").exists()
