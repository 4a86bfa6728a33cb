"""Annotation commands: mark (create a highlight), highlight edit/rm, highlights (list), orphans."""

from __future__ import annotations

import unicodedata

import click

from postil.sources.anchor import find_occurrences, nth_occurrence
from postil.store.highlights import (
    create_highlight,
    delete_highlight,
    edit_highlight,
    list_highlights,
    resolve_highlight_id,
)
from postil.store.reanchor import fuzzy_highlights
from postil.store.reanchor import orphans as find_orphans
from postil.store.reviewers import blind_view
from postil.store.sources import list_sources, source_text
from postil.store.streaming import highlight_batches
from postil.tui.commands.common import (
    CommandError,
    echo_json,
    echo_json_list,
    excerpt,
    json_option,
    line,
    progress,
    resolve_source,
    short_id,
    table,
)
from postil.tui.commands.highlight_json import HighlightJson


@click.command(short_help="Highlight a quote in a source.")
@click.argument("source")
@click.argument("quote")
@click.option("--tag", "-t", "tags", multiple=True, help="Tag to put on it (repeatable; created if new).")
@click.option("--note", "-n", default="", help="A note on the highlight.")
@click.option("--nth", type=click.IntRange(min=1), default=1, show_default=True, help="Which occurrence of QUOTE.")
@json_option("Print the new highlight as a JSON object.")
@click.pass_obj
def mark(settings, source: str, quote: str, tags: tuple[str, ...], note: str, nth: int, as_json: bool) -> None:
    """Highlight the NTH exact occurrence of QUOTE in SOURCE; prints the new highlight's id."""


    db = settings.open()
    info = resolve_source(db, source)
    # Reading texts are NFC with LF line ends; a quote typed or pasted must be too to match.
    wanted = unicodedata.normalize("NFC", quote.replace("\r\n", "\n").replace("\r", "\n"))
    if not wanted.strip():
        raise CommandError("the quote is empty")
    text = source_text(db, info.id)
    start = nth_occurrence(text, wanted, nth)
    if start is None:
        found = len(find_occurrences(text, wanted)) if nth > 1 else 0
        where = f"source {info.id} ({line(info.title, 40)})"
        if found:
            raise CommandError(f"the quote occurs only {found} time(s) in {where}, not {nth}")
        raise CommandError(f"quote {line(wanted, 40)!r} not found in {where}")
    highlight = create_highlight(
        db, info.id, start, start + len(wanted), tags=list(tags), note=note, author=settings.author
    )
    if as_json:
        echo_json(HighlightJson(db).one(highlight, links=[]))
    else:
        click.echo(highlight.id)


@click.command(short_help="List highlights of one SOURCE or of all, in text order.")
@click.argument("source", required=False)
@json_option()
@click.pass_obj
def highlights(settings, source: str | None, as_json: bool) -> None:
    """List highlights, of one SOURCE or of all, in document order."""
    db = settings.open()
    source_id = resolve_source(db, source).id if source else None
    sources = list_sources(db)
    titles = {s.id: s.title for s in sources}
    view = blind_view(db, settings.author)
    if as_json:
        total = sum(s.highlight_count for s in sources if source_id in (None, s.id))
        objects = HighlightJson(db, view, titles)
        with progress(total, "listing") as bar:
            echo_json_list(_shown(objects, view.visible(batch), bar, len(batch))
                           for batch in highlight_batches(db, source_id))
        return
    found = view.visible(list_highlights(db, source_id))
    if not found:
        click.echo("no highlights")
        return
    click.echo(
        table(
            ["id", "source", "start", "end", "status", "tags", "quote", "note"],
            [
                [short_id(h.id), line(titles.get(h.source_id, ""), 24), h.start, h.end,
                 h.anchor_status, ",".join(h.tags), excerpt(h.quote, 50), excerpt(h.note, 30)]
                for h in found
            ],
            right=(2, 3),
        )
    )


def _shown(objects: HighlightJson, batch, bar, read: int) -> list[dict]:
    bar.update(read)
    return objects.objects(batch)


@click.command(short_help="Highlights lost (or fuzzy) after a change.")
@json_option()
@click.pass_obj
def orphans(settings, as_json: bool) -> None:
    """Highlights whose text was lost when a source changed (and fuzzy ones to review)."""
    db = settings.open()
    titles = {s.id: s.title for s in list_sources(db)}
    found = find_orphans(db) + fuzzy_highlights(db)
    if as_json:
        echo_json(HighlightJson(db, titles=titles).objects(found))
        return
    if not found:
        click.echo("no orphaned or fuzzy highlights")
        return
    click.echo(
        table(
            ["id", "status", "source", "quote", "note"],
            [
                [short_id(h.id), h.anchor_status, line(titles.get(h.source_id, ""), 30),
                 excerpt(h.quote, 50), excerpt(h.note, 40)]
                for h in found
            ],
        )
    )


@click.group("highlight", short_help="Edit or delete one highlight.")
def highlight_group() -> None:
    """Change or delete one highlight, named by its id or an id prefix (8+ characters)."""


@highlight_group.command("edit")
@click.argument("highlight")
@click.option("--note", default=None, help="Replace the note (an empty string clears it).")
@click.option("--tag", "-t", "tags", multiple=True, help="Put this tag on it (repeatable; created if new).")
@click.option("--untag", "untags", multiple=True, help="Take this tag off (repeatable).")
@json_option("Print the changed highlight as a JSON object.")
@click.pass_obj
def edit(settings, highlight: str, note: str | None, tags: tuple[str, ...], untags: tuple[str, ...], as_json: bool) -> None:
    """Change HIGHLIGHT's note and tags, all at once or not at all."""
    if note is None and not tags and not untags:
        raise CommandError("no change asked: give --note, --tag or --untag")
    db = settings.open()
    changed = edit_highlight(db, resolve_highlight_id(db, highlight), note=note, add_tags=tags, remove_tags=untags)
    if as_json:
        echo_json(HighlightJson(db).one(changed))
    else:
        click.echo(f"{short_id(changed.id)}  [{line(','.join(changed.tags) or '-')}]  {excerpt(changed.quote, 60)}")


@highlight_group.command("rm", short_help="Delete HIGHLIGHT and its links (the app's undo cannot restore it).")
@click.argument("highlight")
@json_option("Print the deleted highlight as a JSON object.")
@click.pass_obj
def rm(settings, highlight: str, as_json: bool) -> None:
    """Delete HIGHLIGHT and its links (the app's undo cannot bring it back)."""
    db = settings.open()
    saved = delete_highlight(db, resolve_highlight_id(db, highlight))
    removed = saved.highlight
    if as_json:
        echo_json(HighlightJson(db).one(removed, links=saved.links))
    else:
        click.echo(f"deleted {short_id(removed.id)}  {excerpt(removed.quote, 60)}")
