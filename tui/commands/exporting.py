"""`postil export` (Markdown brief, CSV, JSON, W3C Web Annotation) and `postil import`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from postil.exports.brief import render_brief
from postil.exports.collect import collect
from postil.exports.tabular import to_csv, to_json
from postil.exports.w3c import dumps, read_file
from postil.exports.writing import ExportPathError, output_target, write_text_atomic
from postil.store.batched_merge import merge_in_batches
from postil.store.errors import StoreError
from postil.tui.commands.common import CommandError, line


@click.command()
@click.argument("query", nargs=-1)
@click.option("--by", type=click.Choice(["tag", "source", "order"]), default="tag", show_default=True,
              help="Group the brief by tag (mechanism, outcome, caveat, anecdote, others), by source, or not at all.")
@click.option("--title", help="Title of the brief (default: \"Evidence brief\" and the query).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write; `-` for stdout. Default: the title as a file name in the current folder.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--keep-images", is_flag=True,
              help="Keep remote images in notes as images (by default they become links: an image "
                   "fetched when the brief is opened tells its server who read it).")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json", "w3c"]), default="md", show_default=True,
              help="md: annotated brief; csv/json: one record per highlight; w3c: Web Annotation JSON-LD.")
@click.pass_obj
def export(
    settings, query: tuple[str, ...], by: str, title: str | None, output: str | None, force: bool,
    keep_images: bool, fmt: str,
) -> None:
    """Export the highlights matching QUERY (all when none) as a brief or data file.

    QUERY is the search language of `postil search`, e.g. `tag:caveat durability`.
    """
    db = settings.open()
    try:
        data = collect(db, " ".join(query), title)
    except StoreError as error:
        raise CommandError(str(error)) from error
    text = render(data, fmt, by, keep_images)
    for h in data.mismatches:
        click.echo(
            f"postil: warning: highlight {h.id[:8]} ({h.anchor_status}): quote no longer matches its source; "
            f"marked in the export: {line(h.quote, 50)}",
            err=True,
        )
    try:
        target = output_target(output, data.title, fmt)
        if target is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        written = write_text_atomic(target, text, force=force)
    except ExportPathError as error:
        raise CommandError(str(error)) from error
    n, m = len(data.highlights), len(data.sources)
    click.echo(f"wrote {n} highlight{'s' if n != 1 else ''} from {m} source{'s' if m != 1 else ''} "
               f"to {line(str(written))}")


def render(data, fmt: str, by: str = "tag", keep_images: bool = False) -> str:
    """The export's text in one of the formats."""
    if fmt == "md":

        return render_brief(data, by, keep_images).text
    if fmt == "csv":

        return to_csv(data)
    if fmt == "json":

        return to_json(data)

    return dumps(data)


def _merge_showing_progress(db, incoming):
    """merge_in_batches with a progress bar on a terminal, and a clear word on Ctrl-C."""
    done = 0

    def count(n: int) -> None:
        nonlocal done
        done += n
        if bar is not None:
            bar.update(n)

    bar = None
    if sys.stderr.isatty() and len(incoming) > 500:
        bar = click.progressbar(length=len(incoming), label="importing", file=sys.stderr)
        bar.__enter__()
    try:
        return merge_in_batches(db, incoming, count)
    except KeyboardInterrupt:
        raise CommandError(
            f"interrupted: {done} of {len(incoming)} annotations are in (each batch whole); "
            "import the same file again to finish"
        ) from None
    except StoreError as error:
        raise CommandError(str(error)) from error
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(settings, file: Path) -> None:
    """Merge a W3C Web Annotation file (another reviewer's, or an earlier `export --format w3c`).

    Sources are matched by sha256, then origin: add them first with `postil add`, since an
    annotation file holds no source text. Annotations of unknown sources are listed and
    skipped; nothing in the database is lost. Importing the same file twice changes nothing.

    A big file goes in in short transactions, so others can write meanwhile; if it is
    interrupted (Ctrl-C), what went in stays, and importing the file again finishes it.
    """
    try:
        incoming, problems = read_file(file)
    except (OSError, ValueError) as error:
        raise CommandError(str(error)) from error
    db = settings.open()
    report = _merge_showing_progress(db, incoming)
    click.echo(
        f"{len(incoming)} annotations read: {len(report.added)} added, {len(report.updated)} updated, "
        f"{report.unchanged} unchanged, {report.links_added} links added"
    )
    if report.moved or report.fuzzy or report.orphaned:
        click.echo(
            f"anchoring: {len(report.moved)} moved, {len(report.fuzzy)} fuzzy (review them), "
            f"{len(report.orphaned)} orphaned (kept; see `postil orphans`)"
        )
    for conflict in report.conflicts:
        kept = "the file's newer edit" if conflict.kept == "theirs" else "ours (as new or newer)"
        click.echo(
            f"conflict: highlight {conflict.highlight_id[:8]} differs in {', '.join(conflict.fields)}: kept {kept} "
            f"(ours {line(conflict.ours_updated)}, file {line(conflict.theirs_updated)})"
        )
    unknown = {}
    for hid, where in report.unknown_source:
        unknown.setdefault(where, []).append(hid)
    for where, ids in unknown.items():
        click.echo(
            f"skipped {len(ids)} annotation(s) of a source not in the database: {line(where or 'unknown source', 80)} "
            "(add it with `postil add`, then import again)",
            err=True,
        )
    for message in report.links_skipped + problems:
        click.echo(f"skipped: {line(message, 120)}", err=True)
