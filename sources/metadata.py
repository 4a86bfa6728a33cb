"""What a source says about itself, as a CSL-JSON record: the first place records come from.

- HTML (sources.metadata_html): Highwire Press `citation_*` meta tags, then JSON-LD
  `ScholarlyArticle`, then Dublin Core, then OpenGraph and `<title>`.
- Markdown front matter (`---` YAML block): title, author(s), date, doi, url, journal, ...
- Plain text with a Project Gutenberg header (Title:, Author:, Release date:).
- PDF document info and a DOI on its first page (`record_from_pdf`, for the PDF loader).

All input is untrusted: only the start of a file is read (bounded), nothing is fetched, and
sources.csl.normalise keeps the result schema-valid.
"""

from __future__ import annotations

import re

from postil.sources.csl import normalise, parse_doi

MAX_FRONT_MATTER = 64 * 1024

# --- Markdown front matter ------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")
_FRONT_FIELDS = {
    "title": "title", "author": "author", "authors": "author", "date": "issued", "issued": "issued",
    "year": "issued", "doi": "DOI", "url": "URL", "link": "URL", "source": "URL",
    "journal": "container-title", "container-title": "container-title", "publication": "container-title",
    "site": "container-title", "publisher": "publisher", "volume": "volume", "issue": "issue",
    "pages": "page", "page": "page", "type": "type", "language": "language", "lang": "language",
    "abstract": "abstract", "isbn": "ISBN", "issn": "ISSN", "pmid": "PMID",
}


def front_matter(text: str) -> dict[str, object]:
    """The simple YAML a front matter block holds: `key: value`, `key: [a, b]` and `- item`
    lists under a key, as strings and lists of strings (anything richer is skipped)."""
    match = _FRONT_MATTER.match(text[: MAX_FRONT_MATTER + 8])
    if not match:
        return {}
    values: dict[str, object] = {}
    current: str | None = None
    for line in match.group(1).split("\n"):
        item = re.match(r"^[ \t]+-[ \t]+(.*)$|^-[ \t]+(.*)$", line)
        if item and current is not None:
            entry = _scalar(item.group(1) or item.group(2) or "")
            existing = values.get(current)
            values[current] = (existing if isinstance(existing, list) else []) + [entry]
            continue
        keyed = _KEY_LINE.match(line)
        if not keyed:
            continue
        key, raw = keyed.group(1).lower(), keyed.group(2).strip()
        current = key
        if raw.startswith("[") and raw.endswith("]"):
            values[key] = [_scalar(part) for part in _split_flow(raw[1:-1]) if part.strip()]
        elif raw and raw not in ("|", ">"):
            values[key] = _scalar(raw)
    return values


def _split_flow(text: str) -> list[str]:
    parts, current, quote = [], "", ""
    for ch in text:
        if quote:
            current += ch
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current += ch
        elif ch == ",":
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def _scalar(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1].replace("''", "'") if raw[0] == "'" else raw[1:-1].replace('\\"', '"')
    return re.sub(r"\s+#.*$", "", raw)


def record_from_front_matter(text: str) -> dict:
    """A CSL record from a Markdown file's front matter (empty without one)."""
    values = front_matter(text)
    record: dict = {}
    for key, value in values.items():
        field = _FRONT_FIELDS.get(key)
        if field and field not in record and value not in ("", []):
            record[field] = value
    if "author" in record and isinstance(record["author"], str):
        record["author"] = [part for part in re.split(r"\s+and\s+|;", record["author"]) if part.strip()]
    if record and "type" not in record:
        record["type"] = "article-journal" if "container-title" in record and "DOI" in record else "document"
    return normalise(record)


# --- Project Gutenberg ----------------------------------------------------------------

_GUTENBERG = re.compile(r"Project Gutenberg", re.IGNORECASE)
_GUTENBERG_FIELD = re.compile(r"^(Title|Author|Editor|Translator|Release [Dd]ate|Language)[ \t]*:[ \t]*(.+)$", re.MULTILINE)
_EBOOK_NUMBER = re.compile(r"\[(?:e-?book|etext) #(\d+)\]", re.IGNORECASE)


def record_from_gutenberg(text: str) -> dict:
    """A CSL record from a Project Gutenberg header (in the first 10,000 characters)."""
    head = text[:10_000]
    if not _GUTENBERG.search(head[:2000]):
        return {}
    start = head.find("*** START OF")
    header = head[:start] if start > 0 else head
    record: dict = {"type": "book", "publisher": "Project Gutenberg"}
    for name, value in _GUTENBERG_FIELD.findall(header):
        name = name.lower()
        if name == "title":
            record.setdefault("title", value)
        elif name in ("author", "editor", "translator"):
            record.setdefault(name, [part for part in re.split(r"\s+and\s+|;", value) if part.strip()])
        elif name.startswith("release"):
            number = _EBOOK_NUMBER.search(value)
            if number:
                record["URL"] = f"https://www.gutenberg.org/ebooks/{number.group(1)}"
            record.setdefault("issued", _EBOOK_NUMBER.sub("", value).strip())
        elif name == "language":
            record.setdefault("language", value)
    if "title" not in record:
        return {}
    return normalise(record)


# --- PDF ------------------------------------------------------------------------------

def record_from_pdf(info: dict[str, object], first_page: str = "") -> dict:
    """A CSL record from a PDF's document information (/Title, /Author, /CreationDate,
    /Subject, /doi) and a DOI printed on its first page.

    Args:
        info: the document information dictionary, keys with or without their leading "/".
        first_page: the first page's text.
    """
    values = {str(k).lstrip("/").lower(): v for k, v in info.items() if isinstance(v, (str, int))}
    record: dict = {}
    title = str(values.get("title") or "").strip()
    if title and not re.match(r"^(untitled|microsoft word|document\d*)\b", title, re.IGNORECASE):
        record["title"] = title
    if values.get("author"):
        record["author"] = _pdf_authors(str(values["author"]))
    date = re.match(r"^D:(\d{4})(\d{2})?(\d{2})?", str(values.get("creationdate") or ""))
    if date:
        record["issued"] = "-".join(g for g in date.groups() if g)
    doi = parse_doi(str(values.get("doi") or values.get("subject") or "")) or parse_doi(first_page[:20_000])
    if doi:
        record["DOI"] = doi
    if record:
        record["type"] = "article-journal" if doi else "document"
    return normalise(record)


def _pdf_authors(value: str) -> list[str]:
    """Names in a PDF's /Author: "A; B", "A and B", or "Given Family, Given Family"."""
    if ";" in value or " and " in value:
        return [part for part in re.split(r"\s*;\s*|\s+and\s+", value) if part.strip()]
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if len(parts) > 1 and all(" " in part for part in parts):
        return parts  # each part a whole "Given Family" name
    return [value]
