"""Bibliography files a reviewer already has: BibTeX (bibtexparser), CSL-JSON, RIS (rispy).

Each becomes a list of `Entry` (its key in the file and a CSL-JSON record made schema-valid
by sources.csl). The files are untrusted: bounded in size and in entries, parse failures of
single entries are counted rather than fatal, and nothing in them is ever executed or fetched.
`to_bibtex` writes records back out as BibTeX that bibtexparser and Pandoc read.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser import middlewares

from postil.sources.csl import normalise, parse_names, text
from postil.sources.errors import SourceError
from postil.sources.normalise import decode

MAX_BYTES = 16 * 1024 * 1024
"""A bibliography of 50,000 entries is ~25 MB; a reviewer's is far smaller."""
MAX_ENTRIES = 20_000

FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json", ".ris": "ris"}


@dataclass
class Entry:
    """One reference read from a bibliography file."""

    key: str
    """Its key in the file (BibTeX key, CSL `id`, RIS `ID`), or "" when it has none."""
    csl: dict
    position: int
    """1-based number of the entry in the file (for the report)."""


@dataclass
class Bibliography:
    """The entries read from a bibliography file, and how many could not be read."""

    entries: list[Entry]
    skipped: int
    """Entries that could not be read (broken syntax, not an object)."""


def read_bibliography(path: str | Path) -> Bibliography:
    """Read a .bib, .json (CSL-JSON) or .ris file.

    Raises:
        SourceError: unknown extension, missing, too large, or no entry readable in it.
    """
    shown = str(path)
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise SourceError(shown, "not a bibliography file (.bib, .json or .ris)")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(shown, f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(shown, f"cannot read ({error.strerror or type(error).__name__})") from None
    content, _ = decode(data, shown)
    return parse_bibliography(content, kind, shown)


def parse_bibliography(content: str, kind: str, name: str = "bibliography") -> Bibliography:
    """Entries of a bibliography in `kind` "bibtex", "csl-json" or "ris"."""
    if kind == "bibtex":
        result = _bibtex(content)
    elif kind == "csl-json":
        result = _csl_json(content, name)
    elif kind == "ris":
        result = _ris(content, name)
    else:
        raise ValueError(f"unknown bibliography format {kind!r}")
    if not result.entries:
        if not content.strip():
            raise SourceError(name, "file is empty")
        # Nothing to match: a report of "0 of 0 entries" and exit 0 read as a success.
        broken = f" ({result.skipped} could not be read)" if result.skipped else ""
        raise SourceError(name, f"no bibliography entry in it{broken}")
    if len(result.entries) > MAX_ENTRIES:
        raise SourceError(name, f"more than {MAX_ENTRIES} entries; split the file")
    return result


# --- BibTeX ---------------------------------------------------------------------------

_BIBTEX_TYPES = {
    "article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report", "report": "report",
    "manual": "report", "booklet": "pamphlet", "unpublished": "manuscript", "online": "webpage",
    "electronic": "webpage", "www": "webpage", "dataset": "dataset", "software": "software",
}
_BIBTEX_FIELDS = {
    "title": "title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "volume": "volume", "number": "issue", "issue": "issue",
    "pages": "page", "doi": "DOI", "url": "URL", "publisher": "publisher", "school": "publisher",
    "institution": "publisher", "organization": "publisher", "address": "publisher-place",
    "location": "publisher-place", "isbn": "ISBN", "issn": "ISSN", "abstract": "abstract",
    "note": "note", "language": "language", "pmid": "PMID", "edition": "edition",
    "keywords": "keyword", "series": "collection-title", "shorttitle": "title-short",
}
_CSL_TO_BIBTEX_TYPE = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "book": "book", "chapter": "incollection", "paper-conference": "inproceedings", "thesis": "phdthesis",
    "report": "techreport", "manuscript": "unpublished", "pamphlet": "booklet",
}
_CSL_TO_BIBTEX_FIELD = {
    "title": "title", "container-title": "journal", "volume": "volume", "issue": "number", "page": "pages",
    "DOI": "doi", "URL": "url", "publisher": "publisher", "publisher-place": "address", "ISBN": "isbn",
    "ISSN": "issn", "abstract": "abstract", "note": "note", "language": "language", "PMID": "pmid",
    "edition": "edition",
}


def _bibtex(content: str) -> Bibliography:
    # bibtexparser logs every broken block; the count goes in our report instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(content, append_middleware=[
            middlewares.LatexDecodingMiddleware(keep_braced_groups=True),
            middlewares.MonthIntMiddleware(True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ])
    except RecursionError:
        raise SourceError("bibliography", "nesting too deep to read") from None
    entries = []
    for position, entry in enumerate(library.entries[: MAX_ENTRIES + 1], 1):
        fields = {k.lower(): f.value for k, f in entry.fields_dict.items()}
        record: dict = {"type": _BIBTEX_TYPES.get(entry.entry_type.lower(), "document")}
        if record["type"] == "document" and fields.get("url"):
            record["type"] = "webpage"
        for name in ("author", "editor"):
            if name in fields:
                record[name] = [_bibtex_name(parts) for parts in fields[name] if hasattr(parts, "last")]
        if "date" in fields:
            record["issued"] = _unbrace(fields["date"])
        elif "year" in fields:
            year = re.search(r"\d{4}", str(fields["year"]))
            if year:
                month = fields.get("month")
                record["issued"] = {"date-parts": [[int(year.group())] + ([month] if isinstance(month, int) else [])]}
        if "urldate" in fields:
            record["accessed"] = _unbrace(fields["urldate"])
        for name, field in _BIBTEX_FIELDS.items():
            if name in fields and field not in record and isinstance(fields[name], str):
                record[field] = _unbrace(fields[name])
        entries.append(Entry(text(entry.key, 200), normalise(record), position))
    return Bibliography(entries, len(library.failed_blocks))


def _bibtex_name(parts) -> dict:
    family = " ".join(parts.last)
    if not parts.first and not parts.von and family.startswith("{") and family.endswith("}"):
        return {"literal": _unbrace(family)}
    name = {"family": _unbrace(family), "given": _unbrace(" ".join(parts.first))}
    if parts.von:
        name["non-dropping-particle"] = _unbrace(" ".join(parts.von))
    if parts.jr:
        name["suffix"] = _unbrace(" ".join(parts.jr))
    return {k: v for k, v in name.items() if v}


def _unbrace(value: str) -> str:
    """BibTeX's case-protecting braces are not part of the text."""
    return str(value).replace("{", "").replace("}", "")


def to_bibtex(items: list[dict]) -> str:
    """CSL-JSON items (each with an `id`) as BibTeX; special characters escaped for LaTeX."""
    out = []
    for item in items:
        kind = _CSL_TO_BIBTEX_TYPE.get(item.get("type", ""), "misc")
        lines = [f"@{kind}{{{_bibtex_key(str(item['id']))},"]
        for name in ("author", "editor"):
            if item.get(name):
                lines.append(f"  {name} = {{{' and '.join(_bibtex_person(n) for n in item[name])}}},")
        parts = (item.get("issued") or {}).get("date-parts") or [[]]
        if parts[0]:
            lines.append(f"  year = {{{parts[0][0]}}},")
            if len(parts[0]) > 1:
                lines.append(f"  month = {{{parts[0][1]}}},")
        for field, name in _CSL_TO_BIBTEX_FIELD.items():
            if field == "container-title" and kind in ("incollection", "inproceedings"):
                name = "booktitle"
            if item.get(field):
                value = _latex(str(item[field]))
                if field == "title":
                    value = "{" + value + "}"  # keep the title's case as it is
                if field in ("DOI", "URL"):
                    # Braces percent-encoded (they are BibTeX syntax); % would start a comment.
                    value = str(item[field]).replace("{", "%7B").replace("}", "%7D").replace("%", r"\%")
                lines.append(f"  {name} = {{{value}}},")
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + ("\n" if out else "")


def _bibtex_key(key: str) -> str:
    return re.sub(r"[^\w:.\-/]", "", key) or "entry"


def _bibtex_person(name: dict) -> str:
    if "literal" in name:
        return "{" + _latex(name["literal"]) + "}"
    family = " ".join(p for p in (name.get("non-dropping-particle", ""), name.get("family", "")) if p)
    given = name.get("given", "")
    return _latex(f"{family}, {given}" if given else family)


# `^` stays bare: bibtexparser reads it back as itself, its LaTeX names as other characters.
_LATEX_SPECIAL = re.compile(r"([\\{}&%$#_~])")
_LATEX_WORDS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}"}


_LIGATURE = re.compile(r"([-`'])(?=\1)|([?!])(?=`)")


def _latex(value: str) -> str:
    value = _LATEX_SPECIAL.sub(lambda m: _LATEX_WORDS.get(m.group(1), "\\" + m.group(1)), value)
    # "--" would read back as an en dash, "``" as a quote mark: an empty group keeps them apart.
    return _LIGATURE.sub(lambda m: (m.group(1) or m.group(2)) + "{}", value)


# --- CSL-JSON -------------------------------------------------------------------------

def _csl_json(content: str, name: str) -> Bibliography:
    try:
        data = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise SourceError(name, f"not valid JSON ({type(error).__name__}: {str(error)[:80]})") from None
    if isinstance(data, dict):
        data = data.get("items", [data]) if "items" in data else [data]
    if not isinstance(data, list):
        raise SourceError(name, "not CSL-JSON (expected a list of items)")
    entries, skipped = [], 0
    for position, item in enumerate(data[: MAX_ENTRIES + 1], 1):
        if not isinstance(item, dict):
            skipped += 1
            continue
        key = item.get("citation-key") or item.get("id") or ""
        entries.append(Entry(text(key, 200), normalise(item), position))
    return Bibliography(entries, skipped)


# --- RIS ------------------------------------------------------------------------------

_RIS_TYPES = {
    "JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal", "BOOK": "book",
    "EBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "THES": "thesis", "RPRT": "report", "ELEC": "webpage", "WEB": "webpage",
    "ICOMM": "webpage", "BLOG": "post-weblog", "NEWS": "article-newspaper", "MGZN": "article-magazine",
    "DATA": "dataset", "COMP": "software", "UNPB": "manuscript", "GEN": "document",
}
_RIS_FIELDS = {
    "title": "title", "primary_title": "title", "secondary_title": "container-title",
    "journal_name": "container-title", "alternate_title3": "container-title", "volume": "volume",
    "number": "issue", "doi": "DOI", "publisher": "publisher", "place_published": "publisher-place",
    "abstract": "abstract", "issn": "ISSN", "language": "language", "notes_abstract": "abstract",
}


def _ris(content: str, name: str) -> Bibliography:
    try:
        records = rispy.loads(content)
    except Exception as error:  # rispy raises bare IOError/ValueError/KeyError on bad lines
        raise SourceError(name, f"not a readable RIS file ({type(error).__name__})") from None
    entries = []
    for position, ris in enumerate(records[: MAX_ENTRIES + 1], 1):
        record: dict = {"type": _RIS_TYPES.get(str(ris.get("type_of_reference", "")).upper(), "document")}
        authors = ris.get("authors") or ris.get("first_authors") or []
        if authors:
            record["author"] = parse_names(authors)
        date = ris.get("date") or ris.get("publication_year") or ris.get("year")
        if date:
            record["issued"] = str(date).replace("/", "-").strip("-")
        first, last = ris.get("start_page"), ris.get("end_page")
        if first:
            record["page"] = f"{first}-{last}" if last and last != first else first
        urls = ris.get("urls") or []
        if urls:
            record["URL"] = urls[0]
        for key, field in _RIS_FIELDS.items():
            if ris.get(key) and field not in record:
                record[field] = ris[key]
        entries.append(Entry(text(ris.get("id", ""), 200), normalise(record), position))
    return Bibliography(entries, 0)


__all__ = ["Bibliography", "Entry", "FORMATS", "parse_bibliography", "read_bibliography", "to_bibtex"]
