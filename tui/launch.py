"""Starting the app: open the database, seed the welcome guide on first run, run PostilApp."""

from __future__ import annotations

WELCOME_SEEDED = "welcome_seeded"
"""Setting written once the welcome guide was added, so deleting it is respected."""


def seed_welcome(db) -> int | None:
    """Add the welcome guide when the library is empty and it was never added; its id or None."""
    from postil.store import settings as store_settings
    from postil.store.sources import add_source

    if not needs_welcome(db):
        return None
    from postil.sources.load import welcome_guide

    result = add_source(db, welcome_guide())
    store_settings.set_setting(db, WELCOME_SEEDED, "1")
    return result.source.id


def main() -> None:
    """The `postil` console script.

    With no arguments (the everyday start) on an existing database, the app runs straight
    away; anything else goes through the click command line in tui.cli, whose import alone
    (click and every option) costs ~40 ms before the first screen.
    """
    import sys

    if len(sys.argv) == 1:
        import gc

        # Until the first screen is up nothing made is garbage, yet the cyclic collector
        # ran full passes over Textual's freshly imported modules (~15 ms of the start).
        # The main screen turns it back on once the whole source is open.
        gc.disable()
        from postil.store.db import resolve_db_path
        from postil.tui.settings import Settings, default_author

        try:
            run_app(Settings(resolve_db_path(None), default_author(), False))
        except Exception as error:  # one line, as tui.cli.main reports it
            from postil.tui.cli import one_line

            print(f"postil: {one_line(error)}", file=sys.stderr)
            sys.exit(1)
        return
    from postil.tui.cli import main as command_line

    command_line()


def run_app(settings, source_id: int | None = None, at_top: bool = False) -> None:
    """Run the app on `source_id` (at the top when `at_top`), else on the last source read."""
    db = settings.open()
    seed_welcome(db)
    from postil.tui.app import PostilApp

    PostilApp(settings, db=db, source_id=source_id, at_top=at_top).run()


def needs_welcome(db) -> bool:
    """The library is empty and the welcome guide was never added (see seed_welcome).

    `db` is a store.db.Readable: the fast start asks this on its plain connection."""
    from postil.store import settings as store_settings

    empty = db.execute("SELECT NOT EXISTS (SELECT 1 FROM sources)").fetchone()[0]
    return bool(empty) and not store_settings.get_setting(db, WELCOME_SEEDED)
