"""`postil team ...`: share a review with a team through a git repository (exports/team_sync.py)."""

from __future__ import annotations

import click

from postil.exports.git_repo import TeamError
from postil.exports.team_sync import SyncReport, clone_folder, join, sync
from postil.store import team as store_team
from postil.tui.commands.common import CommandError, echo_json, json_option, line, plain


@click.group(short_help="Share the review with a team through git.")
def team() -> None:
    """Share this database's review with a team through a git repository.

    Each reviewer's highlights go to their own file (reviewers/NAME.jsonld), with the sources
    and the codebook beside them; `postil team sync` brings everyone's in and sends yours out.
    The clone lives beside the database (DB.team). Needs the `git` program.
    """


@team.command("join", short_help="Clone the team repository for this database.")
@click.argument("remote")
@json_option()
@click.pass_obj
def join_command(settings, remote: str, as_json: bool) -> None:
    """Clone REMOTE (a URL or path of a git repository; an empty one starts a team) and sync."""
    db = settings.open()
    try:
        folder = join(db, settings.db_path, remote)
        report = sync(db, settings.db_path, settings.author)
    except TeamError as error:
        raise CommandError(str(error)) from error
    show(report, as_json, f"joined {line(remote)} (clone in {line(str(folder))})")


# `init` is what a reviewer starting a team tries first (as with git). The same command, with
# a listing of its own, so `postil team --help` does not show two commands alike.
team.add_command(click.Command(
    "init", callback=join_command.callback, params=join_command.params, help=join_command.help,
    short_help="Same as join: an empty repository starts the team."))


@team.command("sync", short_help="Send my review out and bring the team's in.")
@json_option()
@click.pass_obj
def sync_command(settings, as_json: bool) -> None:
    """Export my highlights and new sources, commit, pull the team's work, push."""
    db = settings.open()
    try:
        report = sync(db, settings.db_path, settings.author)
    except TeamError as error:
        raise CommandError(str(error)) from error
    show(report, as_json)


@team.command("status", short_help="The team remote and when it last synced.")
@json_option()
@click.pass_obj
def status_command(settings, as_json: bool) -> None:
    db = settings.open()
    remote = store_team.team_remote(db)
    synced = store_team.last_sync(db)
    if as_json:
        echo_json({"remote": remote, "clone": str(clone_folder(settings.db_path)) if remote else None,
                   "last_sync": synced, "reviewer": settings.author})
        return
    if not remote:
        click.echo("no team: `postil team join REMOTE` starts one")
        return
    click.echo(f"team: {line(remote)}")
    click.echo(f"reviewer: {line(settings.author)}")
    click.echo(f"last sync: {synced or 'never'}")


def count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def show(report: SyncReport, as_json: bool, first: str | None = None) -> None:
    if as_json:
        echo_json(plain(report))
        return
    if first:
        click.echo(first)
    if report.pushed or report.committed:
        went = "pushed" if report.pushed else "committed, not pushed"
        decided = f", {count(report.decisions_out, 'decision')}" if report.decisions_out else ""
        click.echo(f"out: {count(report.mine, 'highlight')}{decided} of {line(report.reviewer)},"
                   f" {count(len(report.sources_out), 'new source')} ({went})")
    else:
        # Nothing of mine changed: say so first, so a second machine's join (which has just
        # brought my highlights in) does not read as if it sent them.
        click.echo(f"out: nothing ({line(report.reviewer)}'s shared file is unchanged:"
                   f" {count(report.mine, 'highlight')})")
    came = ", ".join(line(name) for name in report.files_read) or "no teammate changed anything"
    # "highlights:" leads, so the counts never need a plural of their own ("1 removed highlights").
    links = f"; {count(report.links_removed, 'link')} removed" if report.links_removed else ""
    # Named once the team reconciles (a decision of mine or one that came or went), not before.
    decisions = (f"; decisions {report.decisions_in} new, {report.decisions_undone} undone"
                 if report.decisions_in or report.decisions_undone or report.decisions_out else "")
    click.echo(f"in: highlights {report.added} new, {report.updated} changed, {report.removed} removed{links}"
               f"{decisions}; {count(len(report.sources_in), 'new source')} ({came})")
    for highlight_id in report.kept_linked:
        click.echo(f"kept {highlight_id[:8]}: deleted by its reviewer but linked from another's highlight")
    for problem in report.problems:
        click.echo(f"postil: {line(problem)}", err=True)
