"""`postil export` (Markdown brief, CSV, JSON, W3C Web Annotation) and `postil import`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from postil.exports.brief import render_brief
from postil.exports.collect import collect
from postil.exports.pdf import PdfExportError, mark_pdf
from postil.exports.tabular import to_csv, to_json
from postil.exports.w3c import dumps, read_file
from postil.exports.writing import ExportPathError, output_target, write_bytes_atomic, write_text_atomic
from postil.sources.document import PageSpan
from postil.store.errors import StoreError
from postil.store.exchange import merge
from postil.store.pages import list_pages
from postil.store.tags import list_tags
from postil.tui.commands.common import CommandError, line, resolve_source


@click.command()
@click.argument("query", nargs=-1)
@click.option("--by", type=click.Choice(["tag", "source", "order"]), default="tag", show_default=True,
              help="Group the brief by tag (mechanism, outcome, caveat, anecdote, others), by source, or not at all.")
@click.option("--title", help="Title of the brief (default: \"Evidence brief\" and the query).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write; `-` for stdout. Default: the title as a file name in the current folder.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json", "w3c", "pdf"]), default="md", show_default=True,
              help="md: annotated brief; csv/json: one record per highlight; w3c: Web Annotation JSON-LD; "
                   "pdf: a copy of one PDF source with its highlights as annotations (QUERY is then SOURCE [QUERY]).")
@click.pass_obj
def export(settings, query: tuple[str, ...], by: str, title: str | None, output: str | None, force: bool, fmt: str) -> None:
    """Export the highlights matching QUERY (all when none) as a brief or data file.

    QUERY is the search language of `postil search`, e.g. `tag:caveat durability`.
    """
    db = settings.open()
    if fmt == "pdf":
        export_marked_pdf(db, query, output, force)
        return
    try:
        data = collect(db, " ".join(query), title)
    except StoreError as error:
        raise CommandError(str(error)) from error
    text = render(data, fmt, by)
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


def export_marked_pdf(db, query: tuple[str, ...], output: str | None, force: bool) -> None:
    """`export --format pdf SOURCE [QUERY] -o marked.pdf`: the PDF with its highlights in it."""
    if not query:
        raise CommandError("--format pdf needs the PDF source: postil export --format pdf SOURCE -o marked.pdf")
    try:
        source = resolve_source(db, query[0])
        if source.format != "pdf":
            raise CommandError(f"{line(source.title)} is not a PDF source (its format is {source.format})")
        data = collect(db, " ".join(query[1:]), source.title)
        pages = [PageSpan(p.index, p.label, p.start, p.end) for p in list_pages(db, source.id)]
        colors = {t.name: t.color for t in list_tags(db)}
    except StoreError as error:
        raise CommandError(str(error)) from error
    if source.id not in data.sources:
        raise CommandError(f"no highlights of {line(source.title)} to export")
    if output == "-":
        raise CommandError("a PDF is not written to stdout; give a file with -o")
    target = Path(output) if output else Path.cwd() / (Path(source.origin).stem + "-marked.pdf")
    if target.resolve() == Path(source.origin).resolve():
        raise CommandError(f"{line(str(target))} is the original PDF; postil never changes it, give another -o")
    try:
        marked = mark_pdf(data, source.id, pages, colors)
        written = write_bytes_atomic(target, marked.data, force=force)
    except (PdfExportError, ExportPathError) as error:
        raise CommandError(str(error)) from error
    for h in marked.missed:
        click.echo(f"postil: warning: highlight {h.id[:8]} not found on its page, left out: {line(h.quote, 50)}", err=True)
    click.echo(f"wrote {marked.placed} highlight{'s' if marked.placed != 1 else ''} into {line(str(written))}")


def render(data, fmt: str, by: str = "tag") -> str:
    """The export's text in one of the formats."""
    if fmt == "md":

        return render_brief(data, by).text
    if fmt == "csv":

        return to_csv(data)
    if fmt == "json":

        return to_json(data)

    return dumps(data)


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
