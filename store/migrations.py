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

MIGRATIONS = Migrations("postil")
MIGRATION_NAMES: list[str] = []
"""Every migration's name, in order: its length is the schema version this module writes."""


def migration(name: str) -> Callable:
    """Register a migration under `name` (the name recorded in `_sqlite_migrations`)."""

    def register(function: Callable[[sqlite_utils.Database], None]) -> Callable:
        MIGRATION_NAMES.append(name)
        return MIGRATIONS(name=name)(function)

    return register

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


MIGRATION_0006 = [
    # Planned together for PDF pages, bibliographic records, source memos, exact file
    # positions, reviewers and consensus, and team exchange: one table per kind of fact,
    # each keyed by its source or highlight, so `sources` keeps its text last in the row
    # (see 0005) and Datasette shows each as a plain table.
    #
    # The record a source has (CSL-JSON, the format Zotero, Pandoc and citeproc share) and
    # where each field came from ({"title": "source", "DOI": "manual", ...}).
    """
    CREATE TABLE source_records (
        source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        csl TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(csl)),
        citation_key TEXT,
        provenance TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(provenance)),
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE UNIQUE INDEX source_records_key ON source_records(citation_key COLLATE NOCASE)"
    " WHERE citation_key IS NOT NULL",
    # The reviewer's note on a whole source (summary, appraisal, design, sample size).
    """
    CREATE TABLE source_memos (
        source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        memo TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE VIRTUAL TABLE source_memos_fts USING fts5(
        memo, content='source_memos', content_rowid='source_id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER source_memos_fts_insert AFTER INSERT ON source_memos BEGIN
        INSERT INTO source_memos_fts(rowid, memo) VALUES (new.source_id, new.memo);
    END
    """,
    """
    CREATE TRIGGER source_memos_fts_delete AFTER DELETE ON source_memos BEGIN
        INSERT INTO source_memos_fts(source_memos_fts, rowid, memo) VALUES ('delete', old.source_id, old.memo);
    END
    """,
    """
    CREATE TRIGGER source_memos_fts_update AFTER UPDATE OF memo ON source_memos BEGIN
        INSERT INTO source_memos_fts(source_memos_fts, rowid, memo) VALUES ('delete', old.source_id, old.memo);
        INSERT INTO source_memos_fts(rowid, memo) VALUES (new.source_id, new.memo);
    END
    """,
    # A paged source's pages (PDF): index in the file, the label it declares (iii, 4, ...)
    # and the page's span in the reading text. A highlight's page is found by its start.
    """
    CREATE TABLE source_pages (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        page_index INTEGER NOT NULL,
        label TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        PRIMARY KEY (source_id, page_index)
    )
    """,
    "CREATE INDEX source_pages_start ON source_pages(source_id, start)",
    # Reading text -> the file's decoded text: runs of (reading start, file start, length)
    # where the two are the same characters, as little-endian int64 triples.
    """
    CREATE TABLE source_offsets (
        source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        file_chars INTEGER NOT NULL,
        runs BLOB NOT NULL
    )
    """,
    # Every place a source's file was found (re-adding the same bytes from a new path).
    """
    CREATE TABLE source_origins (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        origin TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (source_id, origin)
    )
    """,
    # Blind coding: a reviewer marks their coding of a source done, and only then sees
    # the other reviewers' work on it (the mode itself is the setting `blind_mode`).
    """
    CREATE TABLE reviewer_progress (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        reviewer TEXT NOT NULL,
        done_at TEXT NOT NULL,
        PRIMARY KEY (source_id, reviewer)
    )
    """,
    # Reconciling: each disagreement decided (keep one version, merge, drop), with the
    # consensus highlight it produced; the versions it came from stay, linked to it.
    """
    CREATE TABLE reconcile_decisions (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        disagreement TEXT NOT NULL UNIQUE,
        decision TEXT NOT NULL,
        consensus_id TEXT REFERENCES highlights(id) ON DELETE SET NULL ON UPDATE CASCADE,
        decided_by TEXT NOT NULL DEFAULT '',
        decided_at TEXT NOT NULL
    )
    """,
    # Exchange: which collection (a teammate's file, an imported W3C or QDPX file) brought
    # each highlight in, so one gone from that collection can be removed on the next sync;
    # and highlights deleted here, so an exchange does not bring them back.
    """
    CREATE TABLE highlight_origins (
        highlight_id TEXT PRIMARY KEY REFERENCES highlights(id) ON DELETE CASCADE ON UPDATE CASCADE,
        collection TEXT NOT NULL,
        imported_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX highlight_origins_collection ON highlight_origins(collection)",
    """
    CREATE TABLE tombstones (
        highlight_id TEXT PRIMARY KEY,
        author TEXT NOT NULL DEFAULT '',
        deleted_at TEXT NOT NULL
    )
    """,
]

@migration("0006_records_pages_reviewers_exchange")
def m0006_records_pages_reviewers_exchange(db: sqlite_utils.Database) -> None:
    for statement in MIGRATION_0006:
        db.execute(statement)
    stamp = now()
    db.execute(
        "INSERT INTO source_origins (source_id, origin, seen_at) SELECT id, origin, ? FROM sources",
        [stamp],
    )


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
