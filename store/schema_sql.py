"""The SQL of postil's migrations, as data: store/migrations.py runs it, in order.

Never edit what a released migration runs: add a new migration.
"""

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


MIGRATION_0007 = [
    # Team exchange, incrementally: each annotation line of a reviewer file as this database
    # last read or wrote it (the sha256 of the line, and the ids of the links it carries).
    # A sync compares a changed file's lines with these and merges only new or changed ones
    # (bench/bench_team.py: reading and merging a whole 20,000-annotation file to bring in a
    # change of 10 took ~6 s), removes only the ones that vanished, and deletes a link that
    # left its line. No foreign key: a row must outlive its highlight, so that a highlight
    # deleted here since my file was written is known to be a deletion (a tombstone).
    """
    CREATE TABLE team_lines (
        collection TEXT NOT NULL,
        highlight_id TEXT NOT NULL,
        digest TEXT NOT NULL,
        links TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (collection, highlight_id)
    ) WITHOUT ROWID
    """,
]


MIGRATION_0008 = [
    # A tombstone is "shared" once the marks file listing it (reviewers/<name>.json) was pushed,
    # or when it was learned from that file. Only a shared tombstone may be lifted when a later
    # version of the file no longer lists it (an undo on another machine of mine); one made
    # here and not yet pushed must stay, or an offline deletion would be undone by a file that
    # simply had not heard of it yet.
    "ALTER TABLE tombstones ADD COLUMN shared INTEGER NOT NULL DEFAULT 0",
]


MIGRATION_0009 = [
    # What each line of my own reviewer file was written from (store.team_lines.signatures):
    # a sync writes again only the lines whose highlight's signature changed and reuses the
    # others from the file as it is, so a change of 10 in 20,000 does not re-serialise all of
    # them (bench/bench_team.py). '' (a line read from a file, not written here): unknown.
    "ALTER TABLE team_lines ADD COLUMN signature TEXT NOT NULL DEFAULT ''",
]


MIGRATION_0010 = [
    # Orphaned and fuzzy highlights are the few a reviewer must look at again: a partial index
    # for each finds them without reading every highlight's status (the orphans view at
    # 100,000 highlights scanned the table twice). One per status, because SQLite uses a
    # partial index only for a query naming its very condition; store.reanchor names the
    # status as a literal for the same reason.
    "CREATE INDEX highlights_fuzzy ON highlights(source_id, start) WHERE anchor_status = 'fuzzy'",
    "CREATE INDEX highlights_orphaned ON highlights(source_id, start) WHERE anchor_status = 'orphaned'",
]
