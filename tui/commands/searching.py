"""Searching prior annotations (`search`), saved searches (`queries`) and the evidence-balance
table (`overview`)."""

from __future__ import annotations

from collections.abc import Iterator

import click

from postil.store.models import Highlight
from postil.store.overview import overview
from postil.store.passages import passage_hits
from postil.store.reviewers import blind_view
from postil.store.search import search_hits
from postil.store.search_saved import delete_saved_query, save_query, saved_queries
from postil.store.streaming import search_batches
from postil.tui.commands.common import (
    QueryCommand,
    echo_json,
    echo_json_list,
    excerpt,
    json_option,
    line,
    plain,
    short_id,
    table,
)
from postil.tui.commands.highlight_json import HighlightJson


@click.command(cls=QueryCommand, short_help="Search highlights with the query language.")
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=None, help="At most N results.")
@click.option("--passages", is_flag=True, help="Only passages of the sources' text, not highlights.")
@json_option("Print a JSON array of highlight objects (README, \"JSON output\"); with --passages: of passages.")
@click.pass_obj
def search(settings, words: tuple[str, ...], limit: int | None, passages: bool, as_json: bool) -> None:
    """Find highlights: words, "phrases", tag:T, -tag:T, source:S, author:A, has:note|link,
    rel:R, before:DATE, after:DATE, OR and (groups). No QUERY lists every highlight.
    The query may start with `-` (`postil search -tag:anecdote placebo`) and need not be quoted.

    A query of words (and source:) also lists the passages of the sources' own text that have
    them and no highlight yet, after the highlights, as SOURCE:OFFSET (in the app, `f` opens
    one there, ready to mark).
    """
    query = " ".join(words)
    db = settings.open()
    if passages:
        _passages(db, query, limit, as_json)
        return
    view = blind_view(db, settings.author)
    if as_json:
        # Written as read, a batch at a time: every highlight of a 100,000-highlight
        # database as one list took 837 MB.
        objects = HighlightJson(db, view)
        batches = search_batches(db, query, restrict=view.restriction())
        echo_json_list(objects.objects(batch) for batch in _at_most(batches, limit))
        return
    hits = search_hits(db, query, limit=limit, restrict=view.restriction())
    objects = HighlightJson(db, view, {hit.highlight.source_id: hit.source_title for hit in hits})
    for hit in hits:
        h = hit.highlight
        tags = ",".join(h.tags) or "-"
        label = objects.page(h)
        where = f"{line(hit.source_title, 30)}, p. {line(label, 8)}" if label else line(hit.source_title, 30)
        author = f"  {line(h.author, 16)}" if h.author else ""
        click.echo(f"{short_id(h.id)}  {where}  [{line(tags)}]{author}  {excerpt(h.quote, 70)}")
    if not hits:
        click.echo("no highlights match", err=True)
    found = passage_hits(db, query, limit=PASSAGES_SHOWN if limit is None else limit)
    if found:
        if hits:
            click.echo()
        click.echo(f"{len(found)} passage{'s' * (len(found) != 1)} in the sources' text (not highlighted):")
        for passage in found:
            click.echo(_passage_line(passage))


def _at_most(batches: Iterator[list[Highlight]], limit: int | None) -> Iterator[list[Highlight]]:
    """The batches' highlights, cut after the first `limit` (None: all)."""
    left = limit
    for batch in batches:
        if left is not None:
            batch = batch[:left]
            left -= len(batch)
        if batch:
            yield batch
        if left == 0:
            return


PASSAGES_SHOWN = 20
"""Passages `postil search` lists after the highlights (without --limit)."""


def _passages(db, query: str, limit: int | None, as_json: bool) -> None:
    found = passage_hits(db, query, **({} if limit is None else {"limit": limit}))
    if as_json:
        echo_json([
            {"source_id": p.source_id, "source_title": p.source_title, "start": p.start, "end": p.end,
             "match_start": p.match_start, "match_end": p.match_end, "text": p.snippet}
            for p in found
        ])
        return
    for passage in found:
        click.echo(_passage_line(passage))
    if not found:
        click.echo("no passages match", err=True)


def _passage_line(passage) -> str:
    return f"{passage.source_id}:{passage.start}  {line(passage.source_title, 30)}  {excerpt(passage.excerpt()[0], 70)}"


@click.group("queries", invoke_without_command=True, short_help="List, add or forget saved searches.")
@json_option("Print the saved searches as a JSON array of {name, query}.")
@click.pass_context
def queries_command(ctx: click.Context, as_json: bool) -> None:
    """List the saved searches (the app's ctrl+s in search; the palette runs them)."""
    if ctx.invoked_subcommand is not None:
        return
    found = saved_queries(ctx.obj.open())
    if as_json:
        echo_json([{"name": name, "query": query} for name, query in found])
    elif not found:
        click.echo("no saved searches (save one with ctrl+s in the app's search, or `postil queries add`)")
    else:
        click.echo(table(["name", "query"], [[line(name, 30), line(query, 80)] for name, query in found]))


@queries_command.command("add", cls=QueryCommand, short_help="Save QUERY as NAME (replacing one of that name).")
@click.argument("name")
@click.argument("words", nargs=-1, required=True, metavar="QUERY...")
@click.pass_obj
def add_query_command(settings, name: str, words: tuple[str, ...]) -> None:
    """Save QUERY under NAME, as ctrl+s does in the app's search; the query must parse."""
    query = " ".join(words)
    save_query(settings.open(), name, query)
    click.echo(f"saved {line(name.strip())}: {line(query, 80)}")


@queries_command.command("rm", short_help="Forget the saved search NAME.")
@click.argument("name")
@click.pass_obj
def forget_query_command(settings, name: str) -> None:
    """Forget the saved search NAME (its highlights and the query language are untouched)."""
    delete_saved_query(settings.open(), name)
    click.echo(f"forgot {line(name)}")


@click.command("overview", short_help="Tag x source counts and warnings.")
@json_option("Print the tag x source counts and the warnings as JSON.")
@click.pass_obj
def overview_command(settings, as_json: bool) -> None:
    """Tag x source counts of highlights, with warnings worth reading before writing."""
    result = overview(settings.open())
    if as_json:
        echo_json(_overview_json(result))
        return
    click.echo(_overview_table(result))
    for warning in result.warnings:
        click.echo(f"! {line(warning.message)}  (search: {line(warning.query)})")


def _overview_json(result) -> dict:
    return {
        "tags": result.tags,
        "total": result.total,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "chars": s.chars,
                "highlighted_chars": s.highlighted_chars,
                "share": round(s.share, 4),
                "highlight_count": s.highlight_count,
                "counts": {t: result.count(t, s.id) for t in result.tags},
            }
            for s in result.sources
        ],
        "warnings": [plain(w) for w in result.warnings],
    }


def _overview_table(result) -> str:
    if not result.sources:
        return "no sources yet"
    headers = ["id", "source", *result.tags, "highlights", "share"]
    rows = [
        [s.id, line(s.title, 36), *(result.count(t, s.id) or "." for t in result.tags),
         s.highlight_count, f"{s.share:.0%}"]
        for s in result.sources
    ]
    rows.append(["", "all sources", *(result.tag_total(t) for t in result.tags), result.total, ""])
    numeric = tuple(range(2, len(headers)))
    return table(headers, rows, right=(0, *numeric))
