"""Library commands: add, sources, show, rm, refresh."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from postil.sources.errors import SourceError
from postil.sources.load import collect_paths, load_path
from postil.sources.sanitise import for_display
from postil.store.errors import StoreError
from postil.store.source_add import add_source
from postil.store.sources import delete_source, list_sources, source_text
from postil.tui.commands.common import (
    CommandError,
    confirm,
    echo_json,
    json_option,
    line,
    plain,
    report_line,
    resolve_source,
    table,
)
from postil.tui.wording import counted

PROGRESS_OVER = 5
"""Show a progress bar when importing more files than this."""
PAGES_PROGRESS_OVER = 50
"""A PDF longer than this shows a bar of its pages while it is read (on a terminal)."""


@click.command(short_help="Import files or folders.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option("Print a JSON array with one object per imported source.")
@click.pass_obj
def add(settings, paths: tuple[Path, ...], as_json: bool) -> None:
    """Import files, or folders recursively (.txt, .md, .markdown, .html, .htm, .pdf).

    A PDF's own Highlight and Underline annotations (made in Zotero, Acrobat, Preview, or by
    `export --format pdf`) become highlights; adding the same file again adds none twice.

    Re-adding an unchanged file does nothing (from a new place, it records the new place, so
    `refresh` reads it there); a changed one is updated in place and its
    highlights are re-anchored. A file that fails is reported on stderr and the others are
    still imported; the exit code is then 1.
    """


    files, failures = _expand(paths)
    db = settings.open()
    results = []
    notices: list[str] = []
    bar = None
    if len(files) > PROGRESS_OVER:
        # The bar goes to stderr so that stdout stays one line (or one JSON array) per source.
        bar = click.progressbar(length=len(files), label="importing", file=sys.stderr)
        bar.__enter__()
    try:
        for path in files:
            try:
                result, warnings = _add_one(db, path, show_pages=bar is None and sys.stderr.isatty())
            except SourceError as error:
                failures.append(_problem(path, error))
            except StoreError as error:
                # A database that refuses writes (read-only, full, locked) will refuse every
                # other file too: say it once, without a file name that is not to blame.
                failures.append(str(error))
                break
            else:
                results.append(result)
                if result.status != "unchanged":
                    notices.extend(f"{path}: warning: {w}" for w in warnings)
                result.warnings = warnings if result.status != "unchanged" else []
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for problem in [*notices, *failures]:
        click.echo(f"postil: {line(problem)}", err=True)
    if as_json:
        echo_json([_result_json(r) for r in results])
    else:
        for result in results:
            click.echo(_result_line(result))
            if result.previous_origin is not None:
                click.echo(f"    moved: now read from {line(result.source.origin)} (was {line(result.previous_origin)})")
            if result.status == "updated" and result.reanchor is not None:
                click.echo(f"    highlights: {report_line(result.reanchor)}")
            if result.marks_added:
                n = result.marks_added
                click.echo(f"    {counted(n, 'highlight')} from the PDF's own annotations")
    if failures:
        sys.exit(1)


def _expand(paths: tuple[Path, ...]) -> tuple[list[Path], list[str]]:
    """The files to import from what the user named, and a problem line for each bad name."""
    files, errors = collect_paths(paths)
    return files, [str(error) for error in errors]


def _add_one(db, path: Path, *, show_pages: bool = False):
    pages = PageBar(f"reading {line(path.name, 40)}") if show_pages else None
    try:
        loaded = load_path(path, progress=pages)
    finally:
        if pages is not None:
            pages.close()
    warnings = list(loaded.document.warnings)
    if loaded.unplaced_marks:
        n = loaded.unplaced_marks
        warnings.append(f"{counted(n, 'highlight annotation')} in the PDF could not be found in its text; skipped")
    return add_source(db, loaded), warnings


class PageBar:
    """A progress bar over a long PDF's pages, made when the page count is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total <= PAGES_PROGRESS_OVER:
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _problem(path: Path, error: Exception) -> str:
    text = str(error)
    # SourceError names the file itself; a store error does not.
    return text if str(path) in text else f"{path}: {text}"


def _result_line(result) -> str:
    s = result.source
    return f"{s.id}  {line(s.title)}  ({counted(result.block_count, 'block')}) {result.status}"


def _result_json(result) -> dict:
    return {
        **plain(result.source),
        "status": result.status,
        "previous_origin": result.previous_origin,
        "blocks": result.block_count,
        "reanchor": plain(result.reanchor) if result.reanchor is not None else None,
        "marks_added": result.marks_added,
        "warnings": getattr(result, "warnings", []),
    }


@click.command(short_help="List sources.")
@json_option()
@click.pass_obj
def sources(settings, as_json: bool) -> None:
    """List sources: id, title, format, characters, highlights, origin."""
    found = list_sources(settings.open())
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo("no sources yet; add some with `postil add PATH...`")
        return
    click.echo(
        table(
            ["id", "title", "format", "chars", "highlights", "origin"],
            [[s.id, line(s.title, 50), s.format, s.chars, s.highlight_count, s.origin] for s in found],
            right=(0, 3, 4),
        )
    )


@click.command(short_help="Print a source's reading text.")
@click.argument("source")
@click.pass_obj
def show(settings, source: str) -> None:
    """Print a source's reading text (SOURCE: id, or unique prefix of title or file name)."""
    db = settings.open()
    text = source_text(db, resolve_source(db, source).id)
    if sys.stdout.isatty():
        # Stored text is normalised already; this only makes bidi and zero-width controls
        # visible on a terminal. Redirected output stays byte-exact.

        text = for_display(text)
    click.echo(text)


@click.command(short_help="Delete a source (asks if it has highlights).")
@click.argument("source")
@click.option("--yes", "-y", is_flag=True, help="Do not ask, even when the source has highlights.")
@json_option("Print the removed source as JSON.")
@click.pass_obj
def rm(settings, source: str, yes: bool, as_json: bool) -> None:
    """Delete a source with its highlights and their links (asks if it has highlights)."""
    db = settings.open()
    info = resolve_source(db, source)
    if info.highlight_count:
        confirm(
            f"Delete {line(info.title, 60)!r} and its {info.highlight_count} highlight(s)?",
            yes=yes,
            refusal=f"source {info.id} was not deleted",
        )
    delete_source(db, info.id)
    if as_json:
        echo_json({"removed": plain(info)})
    else:
        click.echo(f"removed {info.id}  {line(info.title)}  ({counted(info.highlight_count, 'highlight')})")


@click.command(short_help="Re-read a source's file, re-anchor highlights.")
@click.argument("source")
@json_option()
@click.pass_obj
def refresh(settings, source: str, as_json: bool) -> None:
    """Re-read a source's original file and update it in place, re-anchoring its highlights."""


    db = settings.open()
    info = resolve_source(db, source)
    origin = Path(info.origin)
    if "://" in info.origin or not origin.is_file():
        raise CommandError(
            f"{info.origin}: the original file is gone (or not a file); "
            f"source {info.id} keeps the text it has"
        )
    result = add_source(db, load_path(origin))
    if result.source.id != info.id:
        # The file now holds the same bytes as another source, which add_source found instead.
        raise CommandError(
            f"{info.origin}: now identical to source {result.source.id} ({line(result.source.title, 40)}); "
            f"source {info.id} was left as it was"
        )
    if as_json:
        echo_json(_result_json(result))
        return
    click.echo(_result_line(result))
    if result.reanchor is not None:
        click.echo(f"    highlights: {report_line(result.reanchor)}")
