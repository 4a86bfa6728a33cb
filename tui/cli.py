"""The `postil` command line: a click group whose commands live in tui/commands/, one module
per area. Plain `postil` and the other ways of opening the app skip it (tui.startup.main).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from postil.sources.errors import SourceError
from postil.store.db import resolve_db_path
from postil.store.errors import StoreError
from postil.tui.commands import (
    annotate,
    citing,
    exporting,
    library,
    linking,
    maintenance,
    reading,
    reconciling,
    reviewing,
    searching,
    tagging,
    team,
)
from postil.tui.commands.common import CommandError
from postil.tui.errors import one_line
from postil.tui.launch import run_app
from postil.tui.settings import Settings, default_author


class PostilGroup(click.Group):
    """The command group: errors of ours become one-line click errors."""

    def invoke(self, ctx: click.Context):
        # Errors of ours carry messages written for users: turn them into one-line click
        # errors here (not only in main()) so that CliRunner and scripts see the same output.
        try:
            return super().invoke(ctx)
        except (StoreError, SourceError) as error:
            if ctx.obj is not None and getattr(ctx.obj, "debug", False):
                raise
            raise CommandError(str(error)) from error


@click.group(cls=PostilGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="POSTIL_DB",
    help="Database file (default: postil.db in your user data folder; env POSTIL_DB).",
)
@click.option("--author", envvar="POSTIL_AUTHOR", help="Name recorded on new highlights (env POSTIL_AUTHOR; default: login name).")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="postil")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, author: str | None, debug: bool) -> None:
    """postil: read sources, mark and tag passages, link evidence, export briefs.

    With no command, opens the app on the last-read source (or the welcome guide).
    """
    ctx.obj = Settings(resolve_db_path(db_path), author or default_author(), debug)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj)


cli.add_command(reading.open_command, 'open')
cli.add_command(library.add, 'add')
cli.add_command(library.sources, 'sources')
cli.add_command(library.show, 'show')
cli.add_command(library.rm, 'rm')
cli.add_command(library.refresh, 'refresh')
cli.add_command(annotate.mark, 'mark')
cli.add_command(annotate.highlight_group, 'highlight')
cli.add_command(annotate.highlights, 'highlights')
cli.add_command(annotate.orphans, 'orphans')
cli.add_command(tagging.tags, 'tags')
cli.add_command(tagging.tag, 'tag')
cli.add_command(linking.link, 'link')
cli.add_command(linking.unlink, 'unlink')
cli.add_command(linking.links, 'links')
cli.add_command(linking.relations_command, 'relations')
cli.add_command(searching.search, 'search')
cli.add_command(searching.overview_command, 'overview')
cli.add_command(searching.queries_command, 'queries')
cli.add_command(exporting.export, 'export')
cli.add_command(citing.cite, 'cite')
cli.add_command(citing.rename, 'rename')
cli.add_command(citing.memo, 'memo')
cli.add_command(citing.memos, 'memos')
cli.add_command(exporting.import_command, 'import')
cli.add_command(maintenance.backup, 'backup')
cli.add_command(maintenance.check, 'check')
cli.add_command(reviewing.reviewers, 'reviewers')
cli.add_command(reviewing.done, 'done')
cli.add_command(reviewing.blind, 'blind')
cli.add_command(reviewing.agreement_command, 'agreement')
cli.add_command(reconciling.disagreements, 'disagreements')
cli.add_command(reconciling.reconcile, 'reconcile')
cli.add_command(team.team, 'team')


def main() -> None:
    """Console-script entry point: one-line errors, never a traceback unless --debug."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(prog_name="postil", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("postil: aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KeyboardInterrupt:
        click.echo("postil: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:
        if debug:
            raise
        click.echo(f"postil: {one_line(error)}", err=True)
        sys.exit(1)
