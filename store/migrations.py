"""The schema, as ordered migrations from the first release on.

Each migration is a function registered with `@migration(name)` on sqlite-utils' built-in
runner, which records applied ones in `_sqlite_migrations`. `PRAGMA user_version` mirrors the
number of migrations so that a database from a newer postil is recognised and refused before
anything touches it (store.db checks it without importing this module).

Never edit a released migration: add a new one, and raise store.db.SCHEMA_VERSION.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from postil.store.clock import now
from postil.store.errors import StoreError
from postil.store.schema_sql import (
    DEFAULT_RELATIONS,
    DEFAULT_TAGS,
    INITIAL_SCHEMA,
    MIGRATION_0006,
    MIGRATION_0007,
    MIGRATION_0008,
    MIGRATION_0009,
    MIGRATION_0010,
)

MIGRATIONS = Migrations("postil")
MIGRATION_NAMES: list[str] = []
"""Every migration's name, in order: its length is the schema version this module writes."""


def migration(name: str) -> Callable:
    """Register a migration under `name` (the name recorded in `_sqlite_migrations`)."""

    def register(function: Callable[[sqlite_utils.Database], None]) -> Callable:
        MIGRATION_NAMES.append(name)
        return MIGRATIONS(name=name)(function)

    return register

@migration("0001_initial")
def m0001_initial(db: sqlite_utils.Database) -> None:
    for statement in INITIAL_SCHEMA:
        db.execute(statement)
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


@migration("0002_search_indexes")
def m0002_search_indexes(db: sqlite_utils.Database) -> None:
    # Measured with bench/bench_search.py (100,000 highlights, 200 sources): search results
    # are ordered by source title then position. Without these, a page of a broad query
    # (e.g. `tag:caveat`, 25,000 matches) looked up every matching row in the table to sort
    # it (~250-500 ms). With them, an id-driven filter (tags, links) reads the sort keys from
    # the index alone, and an unfiltered list walks sources in title order with no sort.
    db.execute("CREATE INDEX IF NOT EXISTS highlights_id_order ON highlights(id, source_id, start)")
    db.execute("CREATE INDEX IF NOT EXISTS sources_title ON sources(title COLLATE NOCASE)")


@migration("0003_source_chars")
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


@migration("0004_reading_positions")
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


@migration("0005_sources_text_last")
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


@migration("0006_records_pages_reviewers_exchange")
def m0006_records_pages_reviewers_exchange(db: sqlite_utils.Database) -> None:
    for statement in MIGRATION_0006:
        db.execute(statement)
    stamp = now()
    db.execute(
        "INSERT INTO source_origins (source_id, origin, seen_at) SELECT id, origin, ? FROM sources",
        [stamp],
    )


@migration("0007_team_exchange")
def m0007_team_exchange(db: sqlite_utils.Database) -> None:
    for statement in MIGRATION_0007:
        db.execute(statement)


@migration("0008_shared_tombstones")
def m0008_shared_tombstones(db: sqlite_utils.Database) -> None:
    for statement in MIGRATION_0008:
        db.execute(statement)


@migration("0009_team_line_signatures")
def m0009_team_line_signatures(db: sqlite_utils.Database) -> None:
    for statement in MIGRATION_0009:
        db.execute(statement)


@migration("0010_unsure_anchors_index")
def m0010_unsure_anchors_index(db: sqlite_utils.Database) -> None:
    for statement in MIGRATION_0010:
        db.execute(statement)


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """The migrations recorded as applied in this database, in the order they ran."""
    return [m.name for m in MIGRATIONS.applied(sqlite_utils.Database(conn))]


def migrate(conn: sqlite3.Connection, db_path: Path | str, expected: int) -> None:
    """Bring a database up to date (store.db.apply_migrations calls this with its version).

    All pending migrations run in one immediate transaction, so two first-time openers
    cannot race; the second finds nothing left to do.
    """
    if expected != len(MIGRATION_NAMES):
        raise RuntimeError("store.db.SCHEMA_VERSION must equal the number of migrations")
    db = sqlite_utils.Database(conn)
    applied = {m.name for m in MIGRATIONS.applied(db)}
    if applied - set(MIGRATION_NAMES):
        found = db.execute("PRAGMA user_version").fetchone()[0]
        raise StoreError(
            f"{db_path}: made by a newer postil (schema version {found}, this one knows "
            f"{expected}); upgrade postil to open it. The file was not changed."
        )
    if not MIGRATIONS.pending(db):
        return
    # store.db.write is not used here: it would make this module import store.db, which
    # imports this one. The transaction is the same: the write lock taken up front.
    conn.execute("BEGIN IMMEDIATE")
    try:
        pending = [m.name for m in MIGRATIONS.pending(db)]
        MIGRATIONS.apply(db)
        conn.execute(f"PRAGMA user_version = {expected}")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    if "0005_sources_text_last" in pending:
        # Rewriting `sources` left every text's old pages free: the file had doubled. Give
        # them back once (VACUUM cannot run inside the migration's transaction). Should
        # another process hold the database, the pages are simply reused by later writes.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("VACUUM")
