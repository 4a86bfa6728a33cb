"""The schema, as ordered migrations from the first release on.

Each migration is a function registered on `MIGRATIONS` (sqlite-utils' built-in migration
runner records applied ones in `_sqlite_migrations`). `PRAGMA user_version` mirrors the
number of applied migrations so that a database from a newer postil is recognised and
refused before anything touches it.

Never edit a released migration: add a new one.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from postil.store.db import SCHEMA_VERSION
from postil.store.errors import StoreError

MIGRATIONS = Migrations("postil")

DEFAULT_TAGS = (
    # name, colour, description
    ("mechanism", "#4e9bd6", "How it works: pathways, brain regions, pharmacology."),
    ("outcome", "#5fb85f", "What happened: effect sizes, remission, response, follow-up results."),
    ("caveat", "#e0a030", "Limits on the evidence: small samples, blinding, bias, short follow-up."),
    ("anecdote", "#c678dd", "Individual stories and testimony rather than measured evidence."),
)

DEFAULT_RELATIONS = (
    ("supports", "The source highlight gives evidence for the target."),
    ("contradicts", "The source highlight gives evidence against the target."),
    ("qualifies", "The source highlight limits or conditions the target."),
    ("elaborates", "The source highlight adds detail to the target."),
    ("same-finding", "Both highlights report the same result."),
    ("see-also", "Related, without a stronger claim."),
)

INITIAL_SCHEMA = [
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        origin TEXT NOT NULL,
        format TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        changed_at TEXT,
        read_offset INTEGER NOT NULL DEFAULT 0,
        last_read_at TEXT
    )
    """,
    "CREATE INDEX sources_sha256 ON sources(sha256)",
    "CREATE INDEX sources_origin ON sources(origin)",
    """
    CREATE TABLE blocks (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        level INTEGER NOT NULL DEFAULT 0,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        UNIQUE (source_id, seq)
    )
    """,
    """
    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        color TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE highlights (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        quote TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        anchor_status TEXT NOT NULL DEFAULT 'anchored'
            CHECK (anchor_status IN ('anchored', 'moved', 'fuzzy', 'orphaned')),
        CHECK (start >= 0 AND "end" >= start)
    )
    """,
    "CREATE INDEX highlights_source_start ON highlights(source_id, start)",
    "CREATE INDEX highlights_author ON highlights(author)",
    "CREATE INDEX highlights_created ON highlights(created_at)",
    """
    CREATE TABLE highlight_tags (
        highlight_id TEXT NOT NULL REFERENCES highlights(id) ON DELETE CASCADE ON UPDATE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (highlight_id, tag_id)
    )
    """,
    "CREATE INDEX highlight_tags_tag ON highlight_tags(tag_id, highlight_id)",
    """
    CREATE TABLE relations (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE links (
        id TEXT PRIMARY KEY,
        from_id TEXT NOT NULL REFERENCES highlights(id) ON DELETE CASCADE ON UPDATE CASCADE,
        to_id TEXT NOT NULL REFERENCES highlights(id) ON DELETE CASCADE ON UPDATE CASCADE,
        relation TEXT NOT NULL REFERENCES relations(name) ON UPDATE CASCADE,
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        CHECK (from_id <> to_id),
        UNIQUE (from_id, to_id, relation)
    )
    """,
    "CREATE INDEX links_to ON links(to_id)",
    "CREATE INDEX links_relation ON links(relation)",
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE saved_queries (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE query_history (
        id INTEGER PRIMARY KEY,
        query TEXT NOT NULL,
        used_at TEXT NOT NULL
    )
    """,
    # Full-text indexes. External-content FTS5 tables kept in sync by triggers, so the
    # text is stored once and any writer (the app, the CLI, Datasette) keeps them right.
    # porter stemming lets "relapse" find "relapses".
    """
    CREATE VIRTUAL TABLE highlights_fts USING fts5(
        quote, note,
        content='highlights', content_rowid='pk',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER highlights_fts_insert AFTER INSERT ON highlights BEGIN
        INSERT INTO highlights_fts(rowid, quote, note) VALUES (new.pk, new.quote, new.note);
    END
    """,
    """
    CREATE TRIGGER highlights_fts_delete AFTER DELETE ON highlights BEGIN
        INSERT INTO highlights_fts(highlights_fts, rowid, quote, note)
            VALUES ('delete', old.pk, old.quote, old.note);
    END
    """,
    """
    CREATE TRIGGER highlights_fts_update AFTER UPDATE OF quote, note ON highlights BEGIN
        INSERT INTO highlights_fts(highlights_fts, rowid, quote, note)
            VALUES ('delete', old.pk, old.quote, old.note);
        INSERT INTO highlights_fts(rowid, quote, note) VALUES (new.pk, new.quote, new.note);
    END
    """,
    """
    CREATE VIRTUAL TABLE sources_fts USING fts5(
        title, text,
        content='sources', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
        INSERT INTO sources_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
        INSERT INTO sources_fts(sources_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER sources_fts_update AFTER UPDATE OF title, text ON sources BEGIN
        INSERT INTO sources_fts(sources_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO sources_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
]


@MIGRATIONS(name="0001_initial")
def m0001_initial(db: sqlite_utils.Database) -> None:
    for statement in INITIAL_SCHEMA:
        db.execute(statement)
    from postil.store.clock import now

    stamp = now()
    for name, color, description in DEFAULT_TAGS:
        db.execute(
            "INSERT INTO tags (name, color, description, created_at) VALUES (?, ?, ?, ?)",
            [name, color, description, stamp],
        )
    for position, (name, description) in enumerate(DEFAULT_RELATIONS):
        db.execute(
            "INSERT INTO relations (name, description, position) VALUES (?, ?, ?)",
            [name, description, position],
        )


@MIGRATIONS(name="0002_search_indexes")
def m0002_search_indexes(db: sqlite_utils.Database) -> None:
    # Measured with bench/bench_search.py (100,000 highlights, 200 sources): search results
    # are ordered by source title then position. Without these, a page of a broad query
    # (e.g. `tag:caveat`, 25,000 matches) looked up every matching row in the table to sort
    # it (~250-500 ms). With them, an id-driven filter (tags, links) reads the sort keys from
    # the index alone, and an unfiltered list walks sources in title order with no sort.
    db.execute("CREATE INDEX IF NOT EXISTS highlights_id_order ON highlights(id, source_id, start)")
    db.execute("CREATE INDEX IF NOT EXISTS sources_title ON sources(title COLLATE NOCASE)")


@MIGRATIONS(name="0003_source_chars")
def m0003_source_chars(db: sqlite_utils.Database) -> None:
    # Measured with bench/bench_annotate.py (10 MB source): `length(text)` walks the whole
    # 10 MB value to count characters (10-25 ms), and creating a highlight needs that count
    # for its range check. Keep it in its own small table: a column added to `sources` would
    # sit after `text` in the row, and reading it walks the text's overflow pages (4-6 ms).
    # Triggers keep it right whoever writes the text (postil, raw SQL, Datasette).
    db.execute(
        """
        CREATE TABLE source_chars (
            source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
            chars INTEGER NOT NULL
        )
        """
    )
    db.execute("INSERT INTO source_chars (source_id, chars) SELECT id, length(text) FROM sources")
    for event in ("INSERT", "UPDATE OF text"):
        name = "insert" if event == "INSERT" else "update"
        db.execute(
            f"""
            CREATE TRIGGER source_chars_{name} AFTER {event} ON sources BEGIN
                INSERT OR REPLACE INTO source_chars (source_id, chars) VALUES (new.id, length(new.text));
            END
            """
        )


@MIGRATIONS(name="0004_reading_positions")
def m0004_reading_positions(db: sqlite_utils.Database) -> None:
    # Measured with bench/bench_annotate.py (10 MB source): saving the reading position as
    # `UPDATE sources SET read_offset = ...` rewrote the whole row, 10 MB of text included
    # (40 ms a save, 300 ms for the first), every time the reader stopped moving. Positions
    # now live in their own small table; the old `sources` columns stay (dropping a column
    # rewrites the table and needs SQLite 3.35) but are no longer read or written.
    db.execute(
        """
        CREATE TABLE reading_positions (
            source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
            read_offset INTEGER NOT NULL DEFAULT 0,
            last_read_at TEXT
        )
        """
    )
    db.execute(
        """INSERT INTO reading_positions (source_id, read_offset, last_read_at)
           SELECT id, read_offset, last_read_at FROM sources
           WHERE read_offset <> 0 OR last_read_at IS NOT NULL"""
    )


@MIGRATIONS(name="0005_sources_text_last")
def m0005_sources_text_last(db: sqlite_utils.Database) -> None:
    # Measured in the app's start-up (a 10 MB source): SQLite stores a row's columns in order,
    # and reading any column after `text` walks the text's whole overflow chain (~9 ms for
    # 10 MB), so listing the library cost that for every big source, for the imported/updated
    # dates alone. Move `text` to the end of the row, and drop the reading-position columns
    # that 0004 replaced. No table is dropped (with foreign keys on, DROP TABLE sources would
    # cascade-delete every block and highlight); ADD/DROP/RENAME COLUMN rewrite it in place.
    # DROP COLUMN needs SQLite 3.35 (2021): with an older library the order stays as it was,
    # which only costs that time, since every query names its columns.
    if sqlite3.sqlite_version_info < (3, 35, 0):
        return
    triggers = ["sources_fts_insert", "sources_fts_delete", "sources_fts_update",
                "source_chars_insert", "source_chars_update"]
    saved = {name: sql for name, sql in db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join('?' * len(triggers))})",
        triggers,
    )}
    for name in triggers:  # they name `text`, which DROP COLUMN refuses while anything does
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("ALTER TABLE sources ADD COLUMN text_last TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE sources SET text_last = text")
    for column in ("text", "read_offset", "last_read_at"):
        db.execute(f"ALTER TABLE sources DROP COLUMN {column}")
    db.execute("ALTER TABLE sources RENAME COLUMN text_last TO text")
    for name in triggers:
        if name in saved:
            db.execute(saved[name])


if len(MIGRATIONS._migrations) != SCHEMA_VERSION:  # the app's fast start checks the number alone
    raise RuntimeError("postil.store.db.SCHEMA_VERSION must equal the number of migrations")


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def apply_migrations(db: sqlite_utils.Database, db_path: Path | str = "") -> None:
    """Bring a database up to `SCHEMA_VERSION`, refusing one from a newer postil untouched."""
    found = schema_version(db)
    known = {m.name for m in MIGRATIONS._migrations}
    applied = {m.name for m in MIGRATIONS.applied(db)}
    if found > SCHEMA_VERSION or applied - known:
        raise StoreError(
            f"{db_path}: made by a newer postil (schema version {found}, this one knows "
            f"{SCHEMA_VERSION}); upgrade postil to open it. The file was not changed."
        )
    if not MIGRATIONS.pending(db):
        return
    if found == 0 and not applied and _has_foreign_tables(db):
        raise StoreError(f"{db_path}: not a postil database (it holds other tables); not changed")
    from postil.store.db import write

    # One immediate transaction for the lot, so two first-time openers cannot race.
    with write(db):
        pending = [m.name for m in MIGRATIONS.pending(db)]
        if not pending:
            return
        MIGRATIONS.apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    if "0005_sources_text_last" in pending:
        # Rewriting `sources` left every text's old pages free: the file had doubled. Give
        # them back once (VACUUM cannot run inside the migration's transaction). Should
        # another process hold the database, the pages are simply reused by later writes.
        with contextlib.suppress(sqlite3.OperationalError):
            db.execute("VACUUM")


def _has_foreign_tables(db: sqlite_utils.Database) -> bool:
    names = set(db.table_names())
    return bool(names - {"_sqlite_migrations"})
