"""`postil export` (Markdown brief, CSV, JSON, W3C Web Annotation) and `postil import`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from postil.exports.brief import write_brief
from postil.exports.collect import collect
from postil.exports.stream import FORMATS as STREAMED
from postil.exports.stream import StreamedExport, write_export
from postil.exports.w3c import read_file
from postil.exports.writing import ExportPathError, atomic_writer, output_target
from postil.store.errors import StoreError
from postil.store.exchange import merge
from postil.tui.commands.common import CommandError, line, progress


@click.command()
@click.argument("query", nargs=-1)
@click.option("--by", type=click.Choice(["tag", "source", "order"]), default="tag", show_default=True,
              help="Group the brief by tag (mechanism, outcome, caveat, anecdote, others), by source, or not at all.")
@click.option("--title", help="Title of the brief (default: \"Evidence brief\" and the query).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write; `-` for stdout. Default: the title as a file name in the current folder.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json", "w3c"]), default="md", show_default=True,
              help="md: annotated brief; csv/json: one record per highlight; w3c: Web Annotation JSON-LD.")
@click.pass_obj
def export(settings, query: tuple[str, ...], by: str, title: str | None, output: str | None, force: bool, fmt: str) -> None:
    """Export the highlights matching QUERY (all when none) as a brief or data file.

    QUERY is the search language of `postil search`, e.g. `tag:caveat durability`.
    """
    db = settings.open()
    if fmt in STREAMED:
        _export_streamed(db, " ".join(query), title, output, force, fmt)
        return
    try:
        data = collect(db, " ".join(query), title)
    except StoreError as error:
        raise CommandError(str(error)) from error
    # The brief's summary and anchors need the whole selection, so it is collected first;
    # its text is written as it is rendered, never held whole.
    try:
        target = output_target(output, data.title, fmt)
        if target is None:
            write_brief(data, sys.stdout, by)
            sys.stdout.flush()
        else:
            with atomic_writer(target, force=force) as handle:
                write_brief(data, handle, by)
    except ExportPathError as error:
        raise CommandError(str(error)) from error
    _warn(data)
    if target is not None:
        _wrote(len(data.highlights), len(data.sources), target)


def _export_streamed(db, query: str, title: str | None, output: str | None, force: bool, fmt: str) -> None:
    """CSV, JSON and W3C: rows are written as they are read (exports.stream), with a
    progress bar on a terminal; the file appears only once complete."""
    try:
        export = StreamedExport(db, query, title)
        target = output_target(output, export.title, fmt)
    except StoreError as error:
        raise CommandError(str(error)) from error
    except ExportPathError as error:
        raise CommandError(str(error)) from error
    with progress(export.total, "exporting") as bar:

        def done(data) -> None:
            _warn(data)
            bar.update(len(data.highlights))

        try:
            if target is None:
                write_export(export, fmt, sys.stdout, done)
                sys.stdout.flush()
                return
            with atomic_writer(target, force=force) as handle:
                write_export(export, fmt, handle, done)
        except ExportPathError as error:
            raise CommandError(str(error)) from error
    _wrote(export.written, len(export.source_ids), target)


def _warn(data) -> None:
    for h in data.mismatches:
        click.echo(
            f"postil: warning: highlight {h.id[:8]} ({h.anchor_status}): quote no longer matches its source; "
            f"marked in the export: {line(h.quote, 50)}",
            err=True,
        )


def _wrote(n: int, m: int, written) -> None:
    click.echo(f"wrote {n} highlight{'s' if n != 1 else ''} from {m} source{'s' if m != 1 else ''} "
               f"to {line(str(written))}")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(settings, file: Path) -> None:
    """Merge a W3C Web Annotation file (another reviewer's, or an earlier `export --format w3c`).

    Sources are matched by sha256, then origin: add them first with `postil add`, since an
    annotation file holds no source text. Annotations of unknown sources are listed and
    skipped; nothing in the database is lost. Importing the same file twice changes nothing.
    """
    try:
        incoming, problems = read_file(file)
    except (OSError, ValueError) as error:
        raise CommandError(str(error)) from error
    db = settings.open()
    report = merge(db, incoming)
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
