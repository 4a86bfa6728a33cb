"""Starting the app: open the database, seed the welcome guide on first run, run PostilApp."""

from __future__ import annotations

WELCOME_SEEDED = "welcome_seeded"
"""Setting written once the welcome guide was added, so deleting it is respected."""


def seed_welcome(db) -> int | None:
    """Add the welcome guide when the library is empty and it was never added; its id or None."""
    from store import settings as store_settings
    from store.sources import add_source, list_sources

    if list_sources(db) or store_settings.get_setting(db, WELCOME_SEEDED):
        return None
    from sources.load import welcome_guide

    result = add_source(db, welcome_guide())
    store_settings.set_setting(db, WELCOME_SEEDED, "1")
    return result.source.id


def run_app(settings, source_id: int | None = None, at_top: bool = False) -> None:
    """Run the app on `source_id` (at the top when `at_top`), else on the last source read."""
    from store.db import open_current

    conn = open_current(settings.db_path)
    if conn is not None and not needs_welcome(conn):
        # The usual start: an existing, current database is read through the plain
        # connection, and sqlite-utils is loaded only after the first screen is painted.
        from tui.app import PostilApp

        PostilApp(settings, conn=conn, source_id=source_id, at_top=at_top).run()
        return
    if conn is not None:
        conn.close()
    db = settings.open()
    seed_welcome(db)
    from tui.app import PostilApp

    PostilApp(settings, db=db, source_id=source_id, at_top=at_top).run()


def needs_welcome(conn) -> bool:
    """The library is empty and the welcome guide was never added (see seed_welcome)."""
    from store import settings as store_settings

    empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM sources)").fetchone()[0]
    return bool(empty) and not store_settings.get_setting(conn, WELCOME_SEEDED)
