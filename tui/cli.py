"""The `postil` command line: a click group whose commands live in tui/commands/.

Commands are imported lazily, by name, so that plain `postil` (which opens the app) does not
pay for importing parsers and exporters it will not use.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from postil.tui.settings import Settings, default_author

# command name -> "module:function" under tui.commands
COMMANDS = {
    "open": "postil.tui.commands.reading:open_command",
    "add": "postil.tui.commands.library:add",
    "sources": "postil.tui.commands.library:sources",
    "show": "postil.tui.commands.library:show",
    "rm": "postil.tui.commands.library:rm",
    "refresh": "postil.tui.commands.library:refresh",
    "mark": "postil.tui.commands.annotate:mark",
    "highlights": "postil.tui.commands.annotate:highlights",
    "orphans": "postil.tui.commands.annotate:orphans",
    "tags": "postil.tui.commands.tagging:tags",
    "tag": "postil.tui.commands.tagging:tag",
    "link": "postil.tui.commands.linking:link",
    "unlink": "postil.tui.commands.linking:unlink",
    "links": "postil.tui.commands.linking:links",
    "relations": "postil.tui.commands.linking:relations_command",
    "search": "postil.tui.commands.searching:search",
    "overview": "postil.tui.commands.searching:overview_command",
    "export": "postil.tui.commands.exporting:export",
    "import": "postil.tui.commands.exporting:import_command",
    "backup": "postil.tui.commands.maintenance:backup",
    "check": "postil.tui.commands.maintenance:check",
}


class CommandError(click.ClickException):
    """A failure a command reports as one line, "postil: <problem>", on stderr (exit 1)."""

    def format_message(self) -> str:
        return one_line(self.message, known=True)

    def show(self, file=None) -> None:
        click.echo(f"postil: {self.format_message()}", err=True)


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs (or help lists it)."""

    def invoke(self, ctx: click.Context):
        # Errors of ours carry messages written for users: turn them into one-line click
        # errors here (not only in main()) so that CliRunner and scripts see the same output.
        from postil.sources.errors import SourceError
        from postil.store.errors import StoreError

        try:
            return super().invoke(ctx)
        except (StoreError, SourceError) as error:
            if ctx.obj is not None and getattr(ctx.obj, "debug", False):
                raise
            raise CommandError(str(error)) from error

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._available(name))

    def _available(self, name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module) is not None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None or not self._available(name):
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
    from postil.store.db import resolve_db_path

    ctx.obj = Settings(resolve_db_path(db_path), author or default_author(), debug)
    if ctx.invoked_subcommand is None:
        from postil.tui.launch import run_app

        run_app(ctx.obj)


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


def one_line(error: BaseException | str, *, known: bool = False) -> str:
    """An error as one line fit for a terminal (sanitised: it may quote untrusted text)."""
    from postil.sources.sanitise import for_display_line
    from postil.store.errors import StoreError

    if isinstance(error, str):
        text = error
    else:
        known = known or isinstance(error, StoreError) or type(error).__module__.startswith(
            ("sources", "store", "exports", "tui")
        )
        text = str(error) if known else f"unexpected {type(error).__name__}: {error} (run with --debug for details)"
    return for_display_line(text)
