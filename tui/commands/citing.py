"""Bibliographic records and memos: `cite`, `cite import`, `cite export`, `rename`, `memo`, `memos`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from postil.exports.writing import write_text_atomic
from postil.sources.bibliography import read_bibliography, to_bibtex
from postil.sources.csl import DATE_FIELDS, NAME_FIELDS
from postil.store.memos import get_memo, list_memos, save_memo, search_memos
from postil.store.record_import import import_entries
from postil.store.records import MANUAL, Record, get_record, list_records, update_record
from postil.store.reviewers import blind_view
from postil.store.sources import get_source_info, list_sources, rename_source
from postil.tui.commands.common import CommandError, echo_json, excerpt, json_option, line, plain, resolve_source, table
from postil.tui.wording import counted

# Options of `postil cite SOURCE` and the CSL field each sets.
FIELD_OPTIONS = {
    "title": "title", "journal": "container-title", "volume": "volume", "issue": "issue", "pages": "page",
    "doi": "DOI", "url": "URL", "publisher": "publisher", "kind": "type",
}
SHOWN_ORDER = ("type", "title", "author", "editor", "issued", "container-title", "volume", "issue", "page",
               "publisher", "DOI", "URL")


class CiteGroup(click.Group):
    """`postil cite SOURCE ...` edits a record; `postil cite import|export ...` are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["source", *args]
        return super().parse_args(ctx, args)


@click.group(cls=CiteGroup, short_help="Show or set a source's bibliographic record; import, export.")
def cite() -> None:
    """Bibliographic records (CSL-JSON) of sources, used by `export --cite` and `--format pandoc`.

    \b
    postil cite SOURCE                       show the record and where each field came from
    postil cite SOURCE --author "Roseman, Leor" --year 2017 --doi 10.1038/...
    postil cite import refs.bib|refs.json|refs.ris
    postil cite export --format bibtex|csl-json
    """


@cite.command("source", short_help="Show or set one source's record.")
@click.argument("source")
@click.option("--title", help="Title of the work.")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help='An author, "Family, Given" (repeat for each; replaces the list).')
@click.option("--year", type=click.IntRange(1, 2999), help="Year of publication.")
@click.option("--date", help="Date of publication, YYYY-MM-DD (or YYYY-MM).")
@click.option("--journal", help="Journal, site or book the work appeared in (CSL container-title).")
@click.option("--volume")
@click.option("--issue")
@click.option("--pages", help='Page range, e.g. "13187" or "4-12".')
@click.option("--doi", help="DOI, bare or as a doi.org URL.")
@click.option("--url")
@click.option("--publisher")
@click.option("--type", "kind", metavar="CSL-TYPE", help="CSL type: article-journal, webpage, book, report, ...")
@click.option("--key", help="Citation key (Pandoc's @key); made from author and year when not given.")
@click.option("--clear", "clear", multiple=True, metavar="FIELD", help="Remove a field (CSL name, e.g. DOI; repeatable).")
@json_option("Print the record as JSON (CSL item, key and provenance).")
@click.pass_obj
def cite_source(settings, source: str, authors: tuple[str, ...], year: int | None, date: str | None,
                key: str | None, clear: tuple[str, ...], as_json: bool, **options) -> None:
    """Show SOURCE's record, or set fields of it by hand (these win over the file's and imports)."""
    db = settings.open()
    info = resolve_source(db, source)
    fields = {FIELD_OPTIONS[name]: value for name, value in options.items() if value is not None}
    if authors:
        fields["author"] = list(authors)
    if date or year:
        fields["issued"] = date or str(year)
    if fields or key is not None or clear:
        record, _ = update_record(db, info.id, fields, MANUAL, key=key, remove=clear)
    else:
        record = get_record(db, info.id) or Record(info.id)
    if as_json:
        echo_json(_record_json(record, info.title))
        return
    click.echo(_record_text(record, info.title))


def _record_json(record: Record, title: str) -> dict:
    return {"source_id": record.source_id, "citation_key": record.citation_key, "csl": record.item(title),
            "provenance": record.provenance, "updated_at": record.updated_at}


def _record_text(record: Record, title: str) -> str:
    head = f"{record.source_id}  {line(title, 60)}  key: {line(record.citation_key or '(none yet)')}"
    if not record.csl:
        return head + "\n  no record yet: set one with --title/--author/--year/--doi..., or `postil cite import FILE`"
    names = [n for n in SHOWN_ORDER if n in record.csl] + sorted(n for n in record.csl if n not in SHOWN_ORDER)
    rows = [[name, _shown(name, record.csl[name]), record.provenance.get(name, "")] for name in names]
    return head + "\n" + "\n".join("  " + row for row in table(["field", "value", "from"], rows).splitlines())


def _shown(name: str, value) -> str:
    if name in NAME_FIELDS:
        return "; ".join(
            n.get("literal") or ", ".join(p for p in (n.get("family"), n.get("given")) if p) for n in value
        )
    if name in DATE_FIELDS:
        parts = value.get("date-parts") or [[]]
        return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts[0])) or value.get("raw", "")
    return line(str(value), 80)


@cite.command("import", short_help="Fill records from a .bib, CSL-JSON or .ris file.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report the matches without changing anything.")
@json_option("Print the match report as JSON.")
@click.pass_obj
def cite_import(settings, file: Path, dry_run: bool, as_json: bool) -> None:
    """Match FILE's entries to sources (by DOI, then URL, then title) and fill their records.

    Fields set by hand are kept. The report lists every entry: the source it matched and
    how, or that it matched none; then the sources no entry matched.
    """
    bibliography = read_bibliography(file)
    db = settings.open()
    report = import_entries(db, bibliography.entries, file.name, bibliography.skipped, dry_run=dry_run)
    matched_ids = {m.source_id for m in report.matched}
    unmatched_sources = [s for s in list_sources(db) if s.id not in matched_ids]
    if as_json:
        echo_json({
            "file": str(file), "dry_run": dry_run, "skipped": report.skipped,
            "matches": [{"entry": m.entry.key, "position": m.entry.position, "title": m.entry.csl.get("title", ""),
                         "source_id": m.source_id, "by": m.by or None, "score": m.score, "kept": m.kept,
                         "citation_key": m.key} for m in report.matches],
            "sources_without_entry": [{"id": s.id, "title": s.title} for s in unmatched_sources],
        })
        return
    for m in report.matches:
        name = line(m.entry.key or f"entry {m.entry.position}", 30)
        if m.source_id is None:
            click.echo(f"no match  {name}  {excerpt(m.entry.csl.get('title', ''), 60)}")
            continue
        how = f"title {m.score:.0f}%" if m.by == "title" else m.by.upper() if m.by == "doi" else m.by
        kept = f"  (kept by hand: {', '.join(m.kept)})" if m.kept else ""
        title = get_source_info(db, m.source_id).title
        click.echo(f"matched   {name}  -> {m.source_id} {line(title, 50)}  by {how}{kept}")
    verb = "would fill" if dry_run else "filled"
    click.echo(f"{len(report.matched)} of {counted(len(report.matches), 'entry', 'entries')} matched; "
               f"{verb} {counted(len(report.matched), 'record')}"
               + (f"; {counted(report.skipped, 'entry', 'entries')} could not be read" if report.skipped else ""))
    if unmatched_sources:
        listed = ", ".join(f"{s.id} {line(s.title, 40)}" for s in unmatched_sources[:10])
        more = f" and {len(unmatched_sources) - 10} more" if len(unmatched_sources) > 10 else ""
        click.echo(f"sources no entry matched: {listed}{more}")


@cite.command("export", short_help="Write the library's bibliography (BibTeX or CSL-JSON).")
@click.option("--format", "fmt", type=click.Choice(["bibtex", "csl-json"]), default="csl-json", show_default=True)
@click.option("-o", "--output", metavar="FILE", default="-", show_default=True, help="Where to write; `-` for stdout.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_obj
def cite_export(settings, fmt: str, output: str, force: bool) -> None:
    """Every source's record as BibTeX or CSL-JSON (sources without one: title only)."""
    items = _library_items(settings.open())
    text = to_bibtex(items) if fmt == "bibtex" else json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    if output == "-":
        sys.stdout.write(text)
        return
    target = Path(output)
    if target.exists() and not force:
        raise CommandError(f"{target}: exists; pass --force to replace it")
    write_text_atomic(target, text, force=True)
    click.echo(f"wrote {len(items)} references to {line(str(target))}")


def _library_items(db) -> list[dict]:
    records = list_records(db)
    items = []
    for source in list_sources(db):
        record = records.get(source.id) or Record(source.id)
        items.append(record.item(source.title or "untitled"))
    return items


@click.command(short_help="Give a source a new title.")
@click.argument("source")
@click.argument("title")
@json_option()
@click.pass_obj
def rename(settings, source: str, title: str, as_json: bool) -> None:
    """Rename SOURCE (its title in the library, lists and briefs; its record's title is apart)."""
    db = settings.open()
    info = resolve_source(db, source)
    cleaned = " ".join(title.split())
    if not cleaned:
        raise CommandError("a title cannot be empty")
    rename_source(db, info.id, cleaned)
    if as_json:
        echo_json({"id": info.id, "old_title": info.title, "title": cleaned})
        return
    click.echo(f"renamed {info.id}: {line(info.title, 50)} -> {line(cleaned)}")


@click.command(short_help="Show or set a source's memo.")
@click.argument("source")
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Remove the memo.")
@json_option()
@click.pass_obj
def memo(settings, source: str, text: str | None, clear: bool, as_json: bool) -> None:
    """Show SOURCE's memo, or set it to TEXT (`-` reads it from stdin).

    A memo is the reviewer's note on a whole source: summary, appraisal, design, sample
    size. It is printed under the source in briefs and found by `postil memos WORDS`.
    """
    db = settings.open()
    info = resolve_source(db, source)
    existing = get_memo(db, info.id)
    if existing is not None and existing.author != settings.author and blind_view(db, settings.author).hides_source(info.id):
        raise CommandError(f"source {info.id}'s memo is another reviewer's, hidden in blind mode until you mark "
                           "the source done")
    if clear:
        text = ""
    elif text == "-":
        text = sys.stdin.read()
    found = save_memo(db, info.id, text, settings.author) if text is not None else get_memo(db, info.id)
    if as_json:
        echo_json({"source_id": info.id, "memo": plain(found)})
        return
    if found is None:
        click.echo(f"{info.id}  {line(info.title, 60)}: no memo" + (" (removed)" if text is not None else ""))
        return
    click.echo(f"{info.id}  {line(info.title, 60)}  ({line(found.author) or 'no author'}, {found.updated_at})")
    for memo_line in found.memo.splitlines():
        click.echo("  " + line(memo_line))


@click.command(short_help="List memos, or find the sources whose memo has WORDS.")
@click.argument("words", nargs=-1)
@json_option()
@click.pass_obj
def memos(settings, words: tuple[str, ...], as_json: bool) -> None:
    """List every source's memo, or only those holding all of WORDS (stemmed, like search)."""
    db = settings.open()
    every = list_memos(db)
    ids = search_memos(db, " ".join(words)) if words else sorted(every)
    view = blind_view(db, settings.author)
    found = [every[i] for i in ids if i in every and (not view.hides_source(i) or every[i].author == settings.author)]
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo("no memos match" if words else "no memos yet; write one with `postil memo SOURCE TEXT`")
        return
    titles = {s.id: s.title for s in list_sources(db)}
    click.echo(table(["id", "title", "memo"], [[m.source_id, line(titles.get(m.source_id, ""), 40), excerpt(m.memo, 70)]
                                             for m in found], right=(0,)))
