"""Disagreements and consensus on the command line: `disagreements`, `reconcile ...`."""

from __future__ import annotations

import click

from postil.store.reconcile import Decision, Place, accept_agreed, decide, decisions, find_place, places, undo_decision
from postil.tui.commands.common import echo_json, excerpt, json_option, line, plain, resolve_source, short_id
from postil.tui.commands.highlight_json import HighlightJson
from postil.tui.wording import counted

KIND_TEXT = {
    "only": "coded by {reviewers}, not by {missing}",
    "tags": "same passage, different tags",
    "extent": "overlapping passages, different extents",
    "agreed": "all alike",
}


def place_json(place: Place, objects: HighlightJson) -> dict:
    """A place to reconcile; its versions are highlight objects like every `--json` prints."""
    return {
        "key": place.key,
        "source_id": place.source_id,
        "source_title": place.source_title,
        "kind": place.kind,
        "start": place.start,
        "end": place.end,
        "reviewers": place.reviewers,
        "missing": place.missing,
        "tags": place.tags,
        "versions": objects.objects(place.versions),
        "decision": plain(place.decision),
    }


def describe(place: Place) -> str:
    return KIND_TEXT[place.kind].format(reviewers=", ".join(place.reviewers), missing=", ".join(place.missing))


@click.command(short_help="Places where reviewers' coding differs.")
@click.option("--source", "sources", multiple=True, metavar="S", help="Only this source (repeat for more).")
@click.option("--reviewers", "names", metavar="A,B", help="Compare only these reviewers.")
@click.option("--decided", is_flag=True, help="Also list places already decided.")
@json_option("Print the places with every version as JSON.")
@click.pass_obj
def disagreements(settings, sources, names, decided, as_json) -> None:
    """The queue of places to reconcile: coded by one reviewer and not another, the same
    passage with different tags, or overlapping passages with different extents. Decide
    each with `postil reconcile keep|merge|drop KEY`."""
    db = settings.open()
    source_ids = [resolve_source(db, s).id for s in sources] or None
    reviewers = [n.strip() for n in names.split(",") if n.strip()] if names else None
    found = places(db, source_ids=source_ids, reviewers=reviewers, include_decided=decided)
    if as_json:
        objects = HighlightJson(db)
        echo_json([place_json(p, objects) for p in found])
        return
    if not found:
        click.echo("no disagreements to reconcile", err=True)
        return
    for place in found:
        state = f"  [{place.decision.decision}]" if place.decision else ""
        click.echo(f"{place.key}  {line(place.source_title, 30)}  {line(describe(place))}{state}")
        for h in place.versions:
            click.echo(f"    {short_id(h.id)}  {line(h.author, 12):<12}  [{line(','.join(h.tags)) or '-'}]  "
                       f"{excerpt(h.quote, 60)}")


@click.group(short_help="Decide disagreements into consensus highlights.")
def reconcile() -> None:
    """Turn disagreements into consensus highlights (author `consensus`), linked to the
    versions they came from, which stay. Export the result with
    `postil export --reviewer consensus`."""


def _report(decision: Decision, as_json: bool, text: str) -> None:
    if as_json:
        echo_json(decision)
    else:
        made = f": consensus {short_id(decision.consensus_id)}" if decision.consensus_id else ""
        click.echo(line(text + made))


@reconcile.command(short_help="Keep VERSION (highlight id or start) of place KEY as consensus.")
@click.argument("key")
@click.argument("version")
@json_option()
@click.pass_obj
def keep(settings, key: str, version: str, as_json: bool) -> None:
    """Keep VERSION (a highlight id or its start) of the place KEY as the consensus."""
    db = settings.open()
    place = find_place(db, key)
    _report(decide(db, place, "keep", keep=version.strip().lower(), by=settings.author), as_json, f"{place.key}: kept")


@reconcile.command(short_help="Merge the versions of place KEY: every tag, wider or narrower.")
@click.argument("key")
@click.option("--narrower", is_flag=True, help="The passage every version covers (default: from first start to last end).")
@json_option()
@click.pass_obj
def merge(settings, key: str, narrower: bool, as_json: bool) -> None:
    """Merge the versions of place KEY: every tag, over the wider (or narrower) extent."""
    db = settings.open()
    place = find_place(db, key)
    decision = "merge-narrower" if narrower else "merge-wider"
    _report(decide(db, place, decision, by=settings.author), as_json, f"{place.key}: merged")


@reconcile.command(short_help="Decide place KEY has no consensus highlight (versions stay).")
@click.argument("key")
@json_option()
@click.pass_obj
def drop(settings, key: str, as_json: bool) -> None:
    """Decide that place KEY has no consensus highlight (the versions stay)."""
    db = settings.open()
    place = find_place(db, key)
    _report(decide(db, place, "drop", by=settings.author), as_json, f"{place.key}: dropped")


@reconcile.command(short_help="Copy every place the reviewers coded alike into the consensus.")
@click.option("--source", "sources", multiple=True, metavar="S", help="Only this source (repeat for more).")
@json_option()
@click.pass_obj
def agreed(settings, sources, as_json: bool) -> None:
    """Copy every place where the reviewers coded exactly alike into the consensus."""
    db = settings.open()
    source_ids = [resolve_source(db, s).id for s in sources] or None
    made = accept_agreed(db, source_ids=source_ids, by=settings.author)
    if as_json:
        echo_json(made)
    else:
        click.echo(f"{counted(len(made), 'agreed place')} copied into the consensus")


@reconcile.command(short_help="Take back a decision (default: the latest) and its consensus.")
@click.argument("decision_id", required=False, type=int)
@json_option()
@click.pass_obj
def undo(settings, decision_id: int | None, as_json: bool) -> None:
    """Take back a decision (default: the latest); its consensus highlight is deleted."""
    decision = undo_decision(settings.open(), decision_id)
    if as_json:
        echo_json(decision)
    else:
        click.echo(line(f"undid {decision.decision} of {decision.disagreement}"))


@reconcile.command("list")
@json_option()
@click.pass_obj
def list_command(settings, as_json: bool) -> None:
    """Every decision made, oldest first."""
    found = decisions(settings.open())
    if as_json:
        echo_json(found)
        return
    for d in found:
        made = short_id(d.consensus_id) if d.consensus_id else "-"
        click.echo(line(f"{d.id:>4}  {d.disagreement}  {d.decision:<14}  {made}  {d.decided_by}  {d.decided_at[:16]}"))
