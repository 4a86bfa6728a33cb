"""Keeping the database safe from the command line: backup and check."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from postil.store.maintenance import backup as backup_db
from postil.store.maintenance import check as check_db
from postil.tui.commands.common import echo_json, json_option, line, plain


@click.command(short_help="Copy the database safely (online backup).")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@json_option()
@click.pass_obj
def backup(settings, path: Path, force: bool, as_json: bool) -> None:
    """Copy the database to PATH (safe while postil is running elsewhere)."""
    size = backup_db(settings.open(), path, overwrite=force)
    if as_json:
        echo_json({"path": str(path), "bytes": size})
    else:
        click.echo(f"backed up {settings.db_path} to {line(str(path))} ({size:,} bytes)")


COULD_NOT_CHECK = 3
"""`postil check`'s exit code when nothing was found wrong but some checks could not run."""


@click.command(short_help="Check the database; exit 1 on problems, 3 if it could not check.")
@json_option()
@click.pass_obj
def check(settings, as_json: bool) -> None:
    """Check the database: integrity, foreign keys, full-text indexes, quotes.

    Exit 1 on problems; exit 3 when nothing was found wrong but the database was busy
    (another postil writing) or read-only, so the full-text checks could not run.
    """
    report = check_db(settings.open())
    if as_json:
        echo_json({**plain(report), "ok": report.ok, "checked": not report.not_checked})
    else:
        integrity = "ok" if report.integrity == ["ok"] else f"{len(report.integrity)} problem(s)"
        click.echo(f"integrity: {integrity}")
        for problem in report.integrity if report.integrity != ["ok"] else []:
            click.echo(f"  {line(problem)}")
        click.echo(f"foreign keys: {'ok' if not report.foreign_keys else f'{len(report.foreign_keys)} problem(s)'}")
        for problem in report.foreign_keys[:20]:
            click.echo(f"  {line(problem)}")
        for table, result in report.fts.items():
            click.echo(f"full-text index {table}: {line(result)}")
        click.echo(f"quotes at their offsets: {'ok' if not report.quotes else f'{len(report.quotes)} differ'}")
        for highlight_id in report.quotes[:20]:
            click.echo(f"  {line(highlight_id)}")
        if report.problems:
            click.echo("problems found")
        elif report.not_checked:
            click.echo(f"could not check: {report.not_checked}")
        else:
            click.echo("all checks passed")
    if report.problems:
        sys.exit(1)
    if report.not_checked:
        sys.exit(COULD_NOT_CHECK)
