"""`postil open PATH|SOURCE`: import a file if needed, then read it in the app from the top."""

from __future__ import annotations

import click

from postil.tui.launch import run_app_on


@click.command("open", short_help="Read a file or source in the app.")
@click.argument("target", metavar="PATH|SOURCE")
@click.pass_obj
def open_command(settings, target: str) -> None:
    """Open a file (importing it first if it is new) or a source already in the library."""
    run_app_on(settings, target)
