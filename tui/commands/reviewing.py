"""Review teams on the command line: `reviewers`, `done`, `blind`, `agreement`."""

from __future__ import annotations

import click

from postil.store.agreement_report import UNITS, AgreementReport, agreement
from postil.store.errors import StoreError
from postil.store.reviewers import blind_mode, blind_view, list_reviewers, mark_done, set_blind_mode, unmark_done
from postil.store.tags import get_tag
from postil.tui.commands.common import echo_json, json_option, line, plain, resolve_source, table


@click.command(short_help="List reviewers with their counts.")
@json_option("Print reviewers as JSON.")
@click.pass_obj
def reviewers(settings, as_json: bool) -> None:
    """Everyone who made highlights here (yours and merged from teammates' exports), with
    their highlights, tags applied, sources coded and sources marked done."""
    db = settings.open()
    found = list_reviewers(db)
    if as_json:
        echo_json({"blind_mode": blind_mode(db), "you": settings.author, "reviewers": plain(found)})
        return
    if not found:
        click.echo("no reviewers yet: nobody has made a highlight", err=True)
        return
    rows = [[(r.name or "(no name)") + (" (you)" if r.name == settings.author else ""), r.highlights, r.tags,
             r.sources, r.done] for r in found]
    click.echo(table(["reviewer", "highlights", "tags", "sources", "done"], rows, right=(1, 2, 3, 4)))
    if blind_mode(db):
        click.echo("blind mode is on: others' work on a source shows once you mark it done (`postil done SOURCE`)")


@click.command(short_help="Mark your coding of a source done.")
@click.argument("source")
@click.option("--undo", is_flag=True, help="Take it back: the source is yours alone again in blind mode.")
@json_option()
@click.pass_obj
def done(settings, source: str, undo: bool, as_json: bool) -> None:
    """Record that you (--author) finished coding SOURCE (an id, title or file name).

    In blind mode this is what shows you the other reviewers' work on it.
    """
    db = settings.open()
    info = resolve_source(db, source)
    changed = unmark_done(db, info.id, settings.author) if undo else mark_done(db, info.id, settings.author)
    if as_json:
        echo_json({"source_id": info.id, "reviewer": settings.author, "done": not undo, "changed": changed})
        return
    state = "no longer marked done" if undo else "marked done"
    if not changed:
        state = "was not marked done" if undo else "was already marked done"
    click.echo(f"{line(info.title, 60)}: {state} by {line(settings.author)}")


@click.command(short_help="Blind mode: hide others' work until you mark a source done.")
@click.argument("state", type=click.Choice(["on", "off"]), required=False)
@json_option()
@click.pass_obj
def blind(settings, state: str | None, as_json: bool) -> None:
    """Switch blind mode on or off for this database (no STATE: say which it is).

    With it on, each reviewer sees only their own highlights, notes and links on a source
    until they mark their coding of it done (`postil done SOURCE`): in the app, in search
    and in exports.
    """
    db = settings.open()
    if state is not None:
        set_blind_mode(db, state == "on")
    on = blind_mode(db)
    if as_json:
        echo_json({"blind_mode": on})
    else:
        click.echo(f"blind mode is {'on' if on else 'off'}")


@click.command(short_help="Agreement between reviewers: percent, Cohen's kappa, Krippendorff's alpha.")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only this tag (repeat for more; default: all used).")
@click.option("--source", "sources", multiple=True, metavar="S",
              help="Only this source: id, title or file name (repeat; default: every source two reviewers coded).")
@click.option("--reviewers", "names", metavar="A,B", help="Reviewers to compare (default: all but consensus).")
@click.option("--unit", type=click.Choice(UNITS), default="char", show_default=True,
              help="What one unit is: a character of the reading text, a sentence, or a paragraph (block).")
@click.option("--share", type=click.FloatRange(0, 1, max_open=True), default=0.0, show_default=True,
              help="Sentences and paragraphs: coded when highlights with the tag cover MORE than this share "
                   "of the unit (0: any of it).")
@click.option("--all-sources", "per_source", flag_value=False, default=True,
              help="Only the totals per tag and overall, not each tag x source.")
@json_option("Print every row and measure as JSON.")
@click.pass_obj
def agreement_command(settings, tags, sources, names, unit, share, per_source, as_json) -> None:
    """For each tag x source, each tag over all sources, and overall: for each pair of
    reviewers percent agreement, Cohen's kappa and Krippendorff's alpha (nominal), and with
    three or more reviewers alpha for all together, each with its number of units.

    A reviewer who made no highlight on a source and did not mark it done did not code it
    (missing data, which alpha allows), rather than coding nothing. In blind mode only the
    sources you (--author) marked done are measured.
    """
    db = settings.open()
    tag_names = [get_tag(db, t).name for t in tags] or None
    source_ids = [resolve_source(db, s).id for s in sources] or None
    reviewer_names = [n.strip() for n in names.split(",") if n.strip()] if names else None
    if reviewer_names is not None:
        known = {r.name for r in list_reviewers(db)}
        unknown = [n for n in reviewer_names if n not in known]
        if unknown:
            raise StoreError(f"no reviewer named {', '.join(unknown)} (see `postil reviewers`)")
    view = blind_view(db, settings.author)
    if view.blind:
        # Numbers on a source I am still coding blind would tell me how the others coded it.
        source_ids = sorted(view.done if source_ids is None else set(source_ids) & view.done)
    report = agreement(db, tags=tag_names, source_ids=source_ids, reviewers=reviewer_names, unit=unit, share=share)
    if as_json:
        echo_json(report)
        return
    click.echo(render_report(report, per_source=per_source))
    if view.blind:
        click.echo(f"blind mode: only the sources {line(settings.author)} marked done are measured")


def number(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if percent else f"{value:.3f}"


def render_report(report: AgreementReport, *, per_source: bool = True) -> str:
    """The report as one aligned table, then a line on what the numbers mean."""
    if not report.sources:
        return "no source has been coded by two of these reviewers yet"
    rows = []
    for row in report.rows:
        if row.source_id is not None and not per_source:
            continue
        where = line(row.source_title, 30) if row.source_id is not None else "all sources"
        for m in row.measures:
            rows.append([row.tag if row.tag is not None else "all tags", where, "+".join(m.reviewers), m.units,
                         number(m.percent, percent=True), number(m.kappa), number(m.alpha)])
    units = {"char": "characters", "sentence": "sentences", "paragraph": "paragraphs"}[report.unit]
    rule = "" if report.unit == "char" else (
        f"; a unit is coded when the tag covers {'any' if not report.share else f'more than {report.share:.0%}'} of it")
    return table(["tag", "source", "reviewers", units, "agree", "kappa", "alpha"], rows, right=(3, 4, 5, 6)) + (
        f"\nunits: {units}{rule}; kappa: Cohen's, two reviewers; alpha: Krippendorff's, nominal; - : undefined")
