"""Links between highlights on the command line: link, unlink, links, relations."""

from __future__ import annotations

import click

from postil.store.highlights import get_highlights
from postil.store.links import add_relation, check_relation, create_link, delete_link, find_links, list_links, relations
from postil.store.reviewers import blind_view
from postil.store.sources import list_sources
from postil.tui.commands.common import (
    CommandError,
    echo_json,
    excerpt,
    json_option,
    line,
    plain,
    resolve_highlight,
    short_id,
    table,
)


@click.command(short_help="Link one highlight to another.")
@click.argument("from_ref", metavar="FROM")
@click.argument("to_ref", metavar="TO")
@click.option("--relation", "-r", default="see-also", show_default=True, help="How FROM bears on TO.")
@click.option("--note", "-n", default="", help="A note on the link.")
@json_option("Print the new link as a JSON object.")
@click.pass_obj
def link(settings, from_ref: str, to_ref: str, relation: str, note: str, as_json: bool) -> None:
    """Link highlight FROM to highlight TO (ids or unique id prefixes); prints the link id."""
    db = settings.open()
    from_id, to_id = resolve_highlight(db, from_ref), resolve_highlight(db, to_ref)
    created = create_link(db, from_id, to_id, relation=relation, note=note, author=settings.author)
    if as_json:
        echo_json(created)
    else:
        click.echo(created.id)


@click.command(short_help="Remove links.")
@click.argument("from_ref", metavar="FROM|LINK")
@click.argument("to_ref", metavar="[TO]", required=False)
@click.option("--relation", "-r", help="Only the link with this relation.")
@json_option("Print the removed links as JSON.")
@click.pass_obj
def unlink(settings, from_ref: str, to_ref: str | None, relation: str | None, as_json: bool) -> None:
    """Remove the links from highlight FROM to TO (or one link by its id or id prefix)."""
    db = settings.open()
    if to_ref is None:
        wanted = from_ref.strip().lower()
        matches = [l for l in list_links(db) if l.id.startswith(wanted)] if len(wanted) >= 4 else []
        if not matches:
            raise CommandError(f"no link id starts with {line(from_ref)!r} (give FROM and TO highlight ids, or a link id)")
        if len(matches) > 1:
            raise CommandError(f"{line(from_ref)!r} is the start of {len(matches)} link ids; give more characters")
        found = matches
    else:
        from_id, to_id = resolve_highlight(db, from_ref), resolve_highlight(db, to_ref)
        found = find_links(db, from_id, to_id, check_relation(db, relation) if relation else None)
        if not found:
            what = f" with relation {relation!r}" if relation else ""
            raise CommandError(f"no link from {short_id(from_id)} to {short_id(to_id)}{what}")
    removed = [delete_link(db, l.id) for l in found]
    if as_json:
        echo_json(removed)
    else:
        for l in removed:
            click.echo(f"removed {l.id}  {short_id(l.from_id)} {l.relation} {short_id(l.to_id)}")


def _end(highlight, titles: dict[int, str]) -> dict:
    return {
        "id": highlight.id,
        "quote": highlight.quote,
        "source_id": highlight.source_id,
        "source_title": titles.get(highlight.source_id, ""),
    }


@click.command()
@json_option()
@click.pass_obj
def links(settings, as_json: bool) -> None:
    """List every link with both ends' quote and source."""
    db = settings.open()
    found = list_links(db)
    ends = {h.id: h for h in get_highlights(db, sorted({i for l in found for i in (l.from_id, l.to_id)}))}
    view = blind_view(db, settings.author)
    found = [l for l in found if view.shows(ends[l.from_id]) and view.shows(ends[l.to_id])]
    titles = {s.id: s.title for s in list_sources(db)}
    if as_json:
        echo_json(
            [
                {**plain(l), "from": _end(ends[l.from_id], titles), "to": _end(ends[l.to_id], titles)}
                for l in found
            ]
        )
        return
    if not found:
        click.echo("no links")
        return
    rows = []
    for l in found:
        a, b = ends[l.from_id], ends[l.to_id]
        rows.append(
            [short_id(l.id), short_id(a.id), excerpt(a.quote, 30), line(titles.get(a.source_id, ""), 18),
             l.relation, short_id(b.id), excerpt(b.quote, 30), line(titles.get(b.source_id, ""), 18)]
        )
    click.echo(table(["link", "from", "quote", "source", "relation", "to", "quote", "source"], rows))


@click.group("relations", invoke_without_command=True, short_help="List (or add) link relations.")
@json_option()
@click.pass_context
def relations_command(ctx: click.Context, as_json: bool) -> None:
    """List the relations a link may carry (`relations add NAME` makes a new one)."""
    if ctx.invoked_subcommand is not None:
        return

    found = relations(ctx.obj.open())
    if as_json:
        echo_json(found)
    else:
        click.echo(table(["relation", "description"], [[r.name, line(r.description, 70)] for r in found]))


@relations_command.command("add")
@click.argument("name")
@click.option("--description", default="", help="What the relation means.")
@json_option()
@click.pass_obj
def add_relation_command(settings, name: str, description: str, as_json: bool) -> None:
    """Add relation NAME (one word) to the list."""
    created = add_relation(settings.open(), name, description)
    if as_json:
        echo_json(created)
    else:
        click.echo(f"relation {line(created.name)} ready")
