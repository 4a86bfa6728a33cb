"""`postil export` (Markdown brief, CSV, JSON, W3C Web Annotation, REFI-QDA) and `postil import`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from postil.exports.brief import write_brief
from postil.exports.brief_input import StoreInput
from postil.exports.brief_plan import BriefPlan
from postil.exports.citations import STYLES, Citer, gather
from postil.exports.collect import collect
from postil.exports.pdf import PdfExportError, mark_pdf
from postil.exports.refi.exchange import REFI_SUFFIXES, export_qdc, export_qdpx, import_refi
from postil.exports.stream import FORMATS as STREAMED
from postil.exports.stream import StreamedExport, write_export
from postil.exports.w3c import read_file
from postil.exports.writing import ExportPathError, atomic_writer, output_target, write_bytes_atomic, write_text_atomic
from postil.sources.document import PageSpan
from postil.store.batched_merge import merge_in_batches
from postil.store.errors import StoreError
from postil.store.pages import list_pages
from postil.store.reviewers import blind_view
from postil.store.tags import list_tags
from postil.tui.commands.common import CommandError, QueryCommand, line, progress, resolve_source
from postil.tui.commands.library import add
from postil.tui.wording import counted


@click.command(cls=QueryCommand, short_help="Export highlights matching QUERY as a brief or data file.")
@click.argument("query", nargs=-1)
@click.option("--by", type=click.Choice(["tag", "source", "order"]), default="tag", show_default=True,
              help="Group the brief by tag (mechanism, outcome, caveat, anecdote, others), by source, or not at all.")
@click.option("--title", help="Title of the brief (default: \"Evidence brief\" and what the query means, in words).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write; `-` for stdout. Default: the title as a file name in the current folder.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--keep-images", is_flag=True,
              help="Keep remote images in notes as images (by default they become links: an image "
                   "fetched when the brief is opened tells its server who read it).")
@click.option("--reviewer", metavar="NAME",
              help="Only this reviewer's highlights, e.g. `consensus` for the reconciled set.")
@click.option("--format", "fmt", type=click.Choice(["md", "pandoc", "csv", "json", "w3c", "qdpx", "qdc", "pdf"]), default="md",
              show_default=True,
              help="md: annotated brief; pandoc: the brief with [@key, p. 4] citations and references.json beside it; "
                   "csv/json: one record per highlight; w3c: Web Annotation JSON-LD; "
                   "qdpx: REFI-QDA project (QualCoder, NVivo, ATLAS.ti, MAXQDA); qdc: REFI-QDA codebook (all tags); "
                   "pdf: a copy of one PDF source with its highlights as annotations (QUERY is then SOURCE [QUERY]).")
@click.option("--crlf", is_flag=True,
              help="qdpx: write texts with CRLF line ends (positions count each CRLF as two characters).")
@click.option("--cite", "style", type=click.Choice(sorted(STYLES)), default=None,
              help="Cite sources in this style in the brief (in-text citations and a reference list).")
@click.pass_obj
def export(
    settings, query: tuple[str, ...], by: str, title: str | None, output: str | None, force: bool,
    keep_images: bool, reviewer: str | None, fmt: str, crlf: bool, style: str | None,
) -> None:
    """Export the highlights matching QUERY (all when none) as a brief or data file.

    QUERY is the search language of `postil search`, e.g. `tag:caveat durability`.
    Give sources records first (`postil cite`) for `--cite` and `--format pandoc`.
    """
    if style is not None and fmt not in ("md", "pandoc"):
        raise CommandError(f"--cite applies to briefs (--format md or pandoc), not --format {fmt}")
    if fmt == "pandoc" and output == "-":
        raise CommandError("--format pandoc writes references.json beside the brief: give -o FILE, not -o -")
    db = settings.open()
    if fmt == "pdf":
        export_marked_pdf(db, query, output, force, view=blind_view(db, settings.author), reviewer=reviewer)
        return
    if fmt in ("qdpx", "qdc"):
        # The REFI-QDA export gathers its own highlights: rather than leak what blind mode
        # hides, or ignore --reviewer, say so (a query `author:NAME` selects one reviewer).
        if fmt == "qdpx" and reviewer is not None:
            raise CommandError(f"--reviewer does not apply to qdpx; select with the query instead: author:{reviewer}")
        if fmt == "qdpx" and blind_view(db, settings.author).blind:
            raise CommandError("qdpx export is not available in blind mode (it would hold others' hidden work); "
                               "use md, csv, json or w3c, or switch blind mode off (postil blind off)")
        export_refi(db, " ".join(query), title, output, force, fmt, crlf)
        return
    if reviewer is not None and title is None:
        title = f"Evidence brief: {reviewer}'s highlights"
    view = blind_view(db, settings.author)
    if fmt in STREAMED:
        _export_streamed(db, " ".join(query), title, output, force, fmt, view, reviewer)
        return
    try:
        source = StoreInput(db, " ".join(query), title, view=view, reviewer=reviewer)
    except StoreError as error:
        raise CommandError(str(error)) from error
    # The brief's counts, sections and anchors need the whole selection: a first pass
    # gathers them (counters and row keys, not highlights), the second writes as it renders.
    plan = BriefPlan.read(source, by)
    facts = gather(db, plan.sources, view)
    citer = Citer(plan.sources, facts, style, pandoc=fmt == "pandoc") if fmt == "pandoc" or style is not None else None
    try:
        target = output_target(output, plan.title, fmt)
        references = target.with_name(citer.bibliography_file) if target and citer is not None and citer.pandoc else None
        if references is not None and references.exists() and not force:
            raise CommandError(f"{references}: exists (the brief's references go there); pass --force to replace it")
        if target is None:
            write_brief(plan, source, sys.stdout, by, facts, citer, keep_images)
            sys.stdout.flush()
        else:
            with atomic_writer(target, force=force) as handle:
                write_brief(plan, source, handle, by, facts, citer, keep_images)
        if references is not None:
            write_text_atomic(references, json.dumps(citer.items(), ensure_ascii=False, indent=2) + "\n", force=True)
            click.echo(f"wrote the brief's references to {line(str(references))}", err=True)
    except ExportPathError as error:
        raise CommandError(str(error)) from error
    _warn(plan.mismatches)
    if target is not None:
        _wrote(plan.total, len(plan.sources), target)


def _export_streamed(db, query: str, title: str | None, output: str | None, force: bool, fmt: str,
                     view, reviewer: str | None) -> None:
    """CSV, JSON and W3C: rows are written as they are read (exports.stream), with a
    progress bar on a terminal; the file appears only once complete."""
    try:
        export = StreamedExport(db, query, title, view=view, reviewer=reviewer)
        target = output_target(output, export.title, fmt)
    except StoreError as error:
        raise CommandError(str(error)) from error
    except ExportPathError as error:
        raise CommandError(str(error)) from error
    with progress(export.total, "exporting") as bar:

        def done(data) -> None:
            _warn(data.mismatches)
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


def _warn(mismatches) -> None:
    for h in mismatches:
        click.echo(
            f"postil: warning: highlight {h.id[:8]} ({h.anchor_status}): quote no longer matches its source; "
            f"marked in the export: {line(h.quote, 50)}",
            err=True,
        )


def _wrote(n: int, m: int, written) -> None:
    click.echo(f"wrote {counted(n, 'highlight')} from {counted(m, 'source')} "
               f"to {line(str(written))}")


def export_marked_pdf(db, query: tuple[str, ...], output: str | None, force: bool, *, view=None,
                      reviewer: str | None = None) -> None:
    """`export --format pdf SOURCE [QUERY] -o marked.pdf`: the PDF with its highlights in it
    (those the blind view lets this reviewer see; `reviewer`: one reviewer's only)."""
    if not query:
        raise CommandError("--format pdf needs the PDF source: postil export --format pdf SOURCE -o marked.pdf")
    try:
        source = resolve_source(db, query[0])
        if source.format != "pdf":
            raise CommandError(f"{line(source.title)} is not a PDF source (its format is {source.format})")
        data = collect(db, " ".join(query[1:]), source.title, view=view, reviewer=reviewer)
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
    click.echo(f"wrote {counted(marked.placed, 'highlight')} into {line(str(written))}")


def export_refi(db, query: str, title: str | None, output: str | None, force: bool, fmt: str, crlf: bool) -> None:
    """`--format qdpx|qdc`: binary or XML files, with the data-loss report on stderr."""
    try:
        made = export_qdpx(db, query, title or None, crlf=crlf) if fmt == "qdpx" else export_qdc(db)
        target = output_target(output, title or ("postil project" if fmt == "qdpx" else "postil codebook"), fmt)
        if target is None:
            sys.stdout.buffer.write(made.data)
            sys.stdout.flush()
        else:
            written = write_bytes_atomic(target, made.data, force=force)
    except (StoreError, ExportPathError) as error:
        raise CommandError(str(error)) from error
    for loss in made.losses:
        click.echo(f"postil: not carried into the {fmt}: {line(loss, 160)}", err=True)
    if target is None:
        return
    if fmt == "qdpx":
        click.echo(f"wrote {counted(made.highlights, 'selection')} from {counted(made.sources, 'source')} "
                   f"and {counted(made.codes, 'code')} to {line(str(written))}")
    else:
        click.echo(f"wrote {counted(made.codes, 'code')} to {line(str(written))}")


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
            f"interrupted: {done} of {counted(len(incoming), 'annotation')} are in (each batch whole); "
            "import the same file again to finish"
        ) from None
    except StoreError as error:
        raise CommandError(str(error)) from error
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@click.command("import", short_help="Merge W3C annotations, a REFI-QDA file or a marked PDF.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crlf-counts", type=click.Choice(["auto", "1", "2"]), default="auto", show_default=True,
              help=".qdpx: how the project counted a CRLF line end (auto: from its origin and selections).")
@click.pass_obj
def import_command(settings, file: Path, crlf_counts: str) -> None:
    """Merge a W3C Web Annotation file, a REFI-QDA project (.qdpx) or codebook (.qdc), or the
    highlights of a marked PDF (as `postil add` does).

    W3C: sources are matched by sha256, then origin: add them first with `postil add`, since
    an annotation file holds no source text. Annotations of unknown sources are listed and
    skipped; nothing in the database is lost. Importing the same file twice changes nothing.

    A big W3C file goes in in short transactions, so others can write meanwhile; if it is
    interrupted (Ctrl-C), what went in stays, and importing the file again finishes it.

    .qdpx: sources come with the project (matched by text, else added), codes become tags,
    selections highlights, users authors, descriptions and notes notes, links links; what
    postil cannot hold is listed as not carried. .qdc: codes become tags.
    """
    if file.suffix.lower() in REFI_SUFFIXES:
        import_refi_file(settings, file, crlf_counts)
        return
    if file.suffix.lower() == ".pdf":
        # A PDF brings its text with its annotations: importing it is adding it (or, when it
        # is known, reading its highlights again), which `add` does and reports.
        click.get_current_context().invoke(add, paths=(file,), as_json=False)
        return
    try:
        incoming, problems = read_file(file)
    except (OSError, ValueError) as error:
        raise CommandError(str(error)) from error
    db = settings.open()
    report = _merge_showing_progress(db, incoming)
    click.echo(
        f"{counted(len(incoming), 'annotation')} read: {len(report.added)} added, {len(report.updated)} updated, "
        f"{report.unchanged} unchanged, {counted(report.links_added, 'link')} added"
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
    unknown: dict[str, list[str]] = {}
    for hid, where in report.unknown_source:
        unknown.setdefault(where, []).append(hid)
    for where, ids in unknown.items():
        click.echo(
            f"postil: skipped {len(ids)} annotation(s) of a source not in the database: "
            f"{line(where or 'unknown source', 80)} (add it with `postil add`, then import again)",
            err=True,
        )
    for message in report.links_skipped + problems:
        click.echo(f"postil: skipped: {line(message, 120)}", err=True)
    if not incoming and problems:
        # Every annotation was skipped (each named above): nothing went in, which is a failure.
        raise CommandError(
            f"{file}: no annotation in it could be read ({counted(len(problems), 'problem')} listed above)"
        )
    if incoming and len(report.unknown_source) == len(incoming):
        # Nothing was imported: a script (or a reviewer skimming the output) must see a failure.
        # An annotation names its source by origin, else only by sha256: name the file to add.
        missing = " ".join(line(where, 80) for where in unknown if where and not _is_sha256(where))
        raise CommandError(
            f"{file}: none of its {counted(len(incoming), 'annotation')} matched a source in the database; "
            f"add the sources first (postil add {missing or 'FILE'}), then import again"
        )


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def import_refi_file(settings, file: Path, crlf_counts: str) -> None:
    db = settings.open()
    try:
        result = import_refi(db, file, crlf_counts=crlf_counts)
    except ValueError as error:
        raise CommandError(f"{error}; nothing was imported") from error
    except StoreError as error:
        raise CommandError(str(error)) from error
    report = result.report
    if file.suffix.lower() == ".qdc":
        click.echo(f"{counted(len(report.tags_added), 'tag')} added from {line(str(file))}")
    else:
        click.echo(
            f"{counted(len(report.sources_added), 'source')} added, {len(report.sources_matched)} matched; "
            f"{counted(len(report.tags_added), 'tag')} added; {counted(report.highlights_added, 'highlight')} added, "
            f"{report.highlights_unchanged} already here; {counted(report.links_added, 'link')} added; "
            f"{counted(report.memos_added, 'source memo')} added"
        )
    for message in report.skipped:
        click.echo(f"skipped: {line(message, 160)}", err=True)
    for loss in result.losses:
        click.echo(f"not carried: {line(loss, 160)}", err=True)
    for notice in result.notices:
        click.echo(f"note: {line(notice, 160)}", err=True)
