"""Running the app: open the database, seed the welcome guide on first run, run PostilApp."""

from __future__ import annotations

import sqlite3

from postil.store import settings as store_settings
from postil.store.sources import library_is_empty
from postil.tui.app import PostilApp
from postil.tui.open_target import resolve_open_target
from postil.tui.settings import Settings

WELCOME_SEEDED = "welcome_seeded"
"""Setting written once the welcome guide was added, so deleting it is respected."""


def run_app(settings: Settings, source_id: int | None = None, at_top: bool = False,
            db: sqlite3.Connection | None = None) -> None:
    """Run the app on `source_id` (at the top when `at_top`), else on the last source read.

    Args:
        db: the database, when the caller opened it already (to find `source_id`).
    """
    db = db if db is not None else settings.open()
    seed_welcome(db)
    PostilApp(settings, db=db, source_id=source_id, at_top=at_top).run()


def run_app_on(settings: Settings, target: str) -> None:
    """`postil open TARGET`: the app on the source `target` names (a file is imported first),
    from its top, through the one connection that found it."""
    db = settings.open()
    try:
        source_id = resolve_open_target(db, target)
    except BaseException:
        db.close()
        raise
    run_app(settings, source_id=source_id, at_top=True, db=db)


def seed_welcome(db: sqlite3.Connection) -> int | None:
    """Add the welcome guide when the library is empty and it was never added; its id or None."""
    if not needs_welcome(db):
        return None
    # Only on a first run: the loaders (~25 ms) and what adding a source brings with it
    # (records, citations, re-anchoring: ~6 ms) are not paid by other starts (tui/startup.py,
    # 'Dialogs').
    from postil.sources.load import welcome_guide
    from postil.store.source_add import add_source

    result = add_source(db, welcome_guide())
    store_settings.set_setting(db, WELCOME_SEEDED, "1")
    return result.source.id


def needs_welcome(db: sqlite3.Connection) -> bool:
    """The library is empty and the welcome guide was never added (see seed_welcome)."""
    return library_is_empty(db) and not store_settings.get_setting(db, WELCOME_SEEDED)
