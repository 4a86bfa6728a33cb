"""`postil open PATH|SOURCE`: import a file if needed, then read it in the app from the top."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("open", short_help="Read a file or source in the app.")
@click.argument("target", metavar="PATH|SOURCE")
@click.pass_obj
def open_command(settings, target: str) -> None:
    """Open a file (importing it first if it is new) or a source already in the library."""
    from postil.store.sources import find_source

    db = settings.open()
    path = Path(target)
    if path.is_file():
        from postil.sources.load import load_path

        from postil.store.sources import add_source, source_by_origin

        # A file already in the database (same place) opens as it is stored; reading it
        # never changes it behind the reviewer's back (`postil refresh` does that).
        known = source_by_origin(db, str(path.resolve()))
        source_id = known.id if known else add_source(db, load_path(path)).source.id
    else:
        source_id = find_source(db, target).id
    db.close()
    from postil.tui.launch import run_app

    run_app(settings, source_id=source_id, at_top=True)
