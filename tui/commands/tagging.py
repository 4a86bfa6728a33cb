"""The codebook on the command line: `tags` lists them, `tag ...` changes them."""

from __future__ import annotations

import click

from postil.store.sources import list_sources
from postil.store.tags import (
    counts_per_source,
    create_tag,
    delete_tag,
    describe_tag,
    find_tag,
    get_tag,
    list_tags,
    merge_tags,
    recolor_tag,
    rename_tag,
)
from postil.tui.commands.common import confirm, echo_json, json_option, line, plain, table
from postil.tui.wording import counted


@click.command(short_help="List tags with counts.")
@json_option("Print tags as JSON, with counts per source.")
@click.pass_obj
def tags(settings, as_json: bool) -> None:
    """List tags with their key, colour, number of highlights and description."""
    db = settings.open()
    found = list_tags(db)
    if as_json:
        titles = {s.id: s.title for s in list_sources(db)}
        per_source = counts_per_source(db)
        echo_json(
            [
                {
                    **plain(t),
                    "per_source": [
                        {"source_id": sid, "source_title": titles.get(sid, ""), "count": n}
                        for (tid, sid), n in sorted(per_source.items(), key=lambda kv: kv[0][1])
                        if tid == t.id
                    ],
                }
                for t in found
            ]
        )
        return
    click.echo(
        table(
            ["key", "tag", "colour", "highlights", "description"],
            [[t.digit or "", t.name, t.color, t.count, line(t.description, 60)] for t in found],
            right=(3,),
        )
    )


@click.group(short_help="Rename, merge, describe, colour, add, delete tags.")
def tag() -> None:
    """Change the codebook: rename, merge, describe, color, add, delete."""


def _done(tag_obj, as_json: bool, message: str) -> None:
    if as_json:
        echo_json(tag_obj)
    else:
        click.echo(line(message))


@tag.command()
@click.argument("old")
@click.argument("new")
@json_option()
@click.pass_obj
def rename(settings, old: str, new: str, as_json: bool) -> None:
    """Rename tag OLD to NEW everywhere."""
    renamed = rename_tag(settings.open(), old, new)
    _done(renamed, as_json, f"renamed {old} to {renamed.name}")


@tag.command()
@click.argument("from_tag", metavar="FROM")
@click.argument("into")
@json_option()
@click.pass_obj
def merge(settings, from_tag: str, into: str, as_json: bool) -> None:
    """Move every highlight tagged FROM to INTO, then delete FROM."""
    result = merge_tags(settings.open(), from_tag, into)
    moved = len(result.removed.highlight_ids)
    if as_json:
        echo_json({"removed": result.removed.tag.name, "into": plain(result.into), "highlights": moved})
    else:
        click.echo(line(f"merged {result.removed.tag.name} into {result.into.name} ({counted(moved, 'highlight')})"))


@tag.command(short_help="Set the description of tag NAME: what it means in the codebook.")
@click.argument("name")
@click.argument("text")
@json_option()
@click.pass_obj
def describe(settings, name: str, text: str, as_json: bool) -> None:
    """Set the description of tag NAME (what it means in your codebook)."""
    _done(describe_tag(settings.open(), name, text), as_json, f"described {name}")


@tag.command()
@click.argument("name")
@click.argument("colour")
@json_option()
@click.pass_obj
def color(settings, name: str, colour: str, as_json: bool) -> None:
    """Set the colour of tag NAME (a name like cyan, or #rrggbb)."""
    changed = recolor_tag(settings.open(), name, colour)
    _done(changed, as_json, f"{changed.name} is now {changed.color}")


@tag.command("add")
@click.argument("name")
@click.option("--color", "colour", help="Colour name or #rrggbb (default: the next in the palette).")
@click.option("--description", default="", help="What the tag means.")
@json_option()
@click.pass_obj
def add_tag(settings, name: str, colour: str | None, description: str, as_json: bool) -> None:
    """Create tag NAME (an existing one is left as it is)."""
    db = settings.open()
    existed = find_tag(db, name) is not None
    created = create_tag(db, name, color=colour, description=description)
    _done(created, as_json, f"{created.name} {'exists already' if existed else 'added'} ({created.color})")


@tag.command(short_help="Delete tag NAME; its highlights stay (asks when it is in use).")
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Do not ask, even when highlights carry it.")
@json_option()
@click.pass_obj
def delete(settings, name: str, yes: bool, as_json: bool) -> None:
    """Delete tag NAME; its highlights stay, without it (asks when it is in use)."""
    db = settings.open()
    found = get_tag(db, name)
    if found.count:
        confirm(
            f"Tag {line(found.name)!r} is on {counted(found.count, 'highlight')}; delete it?",
            yes=yes,
            refusal=f"tag {line(found.name)!r} was not deleted",
        )
    removed = delete_tag(db, name)
    _done(removed.tag, as_json, f"deleted {removed.tag.name} (was on {counted(len(removed.highlight_ids), 'highlight')})")
