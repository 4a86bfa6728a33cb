"""CSL-JSON records: the one shape every bibliographic record takes in postil.

CSL-JSON is what Zotero, Pandoc (`--citeproc`) and citeproc-py read. Records come from
untrusted places (a web page's meta tags, someone's .bib file), so `normalise` keeps only the
fields the CSL data schema knows, each in the form the schema allows, and drops the rest:
whatever postil writes validates against `csl-data.json`. Text is cleaned of control
characters and bounded in length; names and dates are parsed into their CSL structures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from postil.sources.normalise import clean

TYPES = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
    "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
    "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case",
    "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet",
    "paper-conference", "patent", "performance", "periodical", "personal_communication", "post",
    "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech",
    "standard", "thesis", "treaty", "webpage",
})
"""CSL item types (the schema's enum)."""

NAME_FIELDS = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor",
    "curator", "director", "editor", "editorial-director", "executive-producer", "guest", "host",
    "interviewer", "illustrator", "narrator", "organizer", "original-author", "performer", "producer",
    "recipient", "reviewed-author", "script-writer", "series-creator", "translator",
})
DATE_FIELDS = frozenset({"accessed", "available-date", "event-date", "issued", "original-date", "submitted"})
NUMBER_FIELDS = frozenset({
    "chapter-number", "collection-number", "edition", "issue", "number", "number-of-pages",
    "number-of-volumes", "page", "page-first", "part", "printing", "supplement", "volume",
})
TEXT_FIELDS = frozenset({
    "language", "journalAbbreviation", "shortTitle", "abstract", "annote", "archive",
    "archive_collection", "archive_location", "archive-place", "authority", "call-number",
    "collection-title", "container-title", "container-title-short", "dimensions", "division", "DOI",
    "event-title", "event-place", "genre", "ISBN", "ISSN", "jurisdiction", "keyword", "medium", "note",
    "original-publisher", "original-publisher-place", "original-title", "part-title", "PMCID", "PMID",
    "publisher", "publisher-place", "references", "reviewed-genre", "reviewed-title", "scale",
    "section", "source", "status", "title", "title-short", "URL", "version", "volume-title",
    "volume-title-short",
})
FIELDS = frozenset({"type"}) | NAME_FIELDS | DATE_FIELDS | NUMBER_FIELDS | TEXT_FIELDS
"""Every field a stored record may hold (no `id` or `citation-key`: those are the row's key)."""

MAX_TEXT = 4000
"""Longest value kept for one text field (an abstract); titles and names are far shorter."""
MAX_NAMES = 500
"""Most names kept in one name field (consortium papers list hundreds)."""

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


def text(value: object, limit: int = MAX_TEXT) -> str:
    """One line of clean text: control characters gone, whitespace folded, at most `limit`."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    folded = " ".join(clean(str(value)).split())
    return folded[:limit]


def normalise(record: dict) -> dict:
    """A record with only schema-valid fields, each in its schema form; empty values dropped."""
    out: dict = {}
    for key, value in record.items():
        if key not in FIELDS or value is None:
            continue
        if key == "type":
            kind = text(value, 40)
            out[key] = kind if kind in TYPES else "document"
        elif key in NAME_FIELDS:
            names = parse_names(value)
            if names:
                out[key] = names
        elif key in DATE_FIELDS:
            date = parse_date(value)
            if date:
                out[key] = date
        elif key == "DOI":
            doi = parse_doi(value)
            if doi:
                out[key] = doi
        else:
            cleaned = text(value, 400 if key in NUMBER_FIELDS else MAX_TEXT)
            if cleaned:
                out[key] = cleaned
    return out


def parse_names(value: object) -> list[dict]:
    """CSL names from a CSL list, "Family, Given" strings, or "A and B" (BibTeX) text."""
    items: Iterable
    if isinstance(value, str):
        items = [part for part in re.split(r"\s+and\s+|;", value) if part.strip()]
    elif isinstance(value, dict):
        items = [value]
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return []
    names: list[dict] = []
    for item in list(items)[:MAX_NAMES]:
        name = parse_name(item)
        if name:
            names.append(name)
    return names


def parse_name(value: object) -> dict | None:
    """One CSL name: {"family", "given"} or {"literal"} for an organisation."""
    if isinstance(value, dict):
        name = {k: text(value.get(k), 200) for k in ("family", "given", "literal", "suffix",
                                                     "dropping-particle", "non-dropping-particle")}
        name = {k: v for k, v in name.items() if v}
        if "family" not in name and "literal" not in name and "given" in name:
            name = {"literal": name["given"]}
        return name or None
    raw = text(value, 200).strip(" ,")
    if not raw:
        return None
    if "," in raw:
        family, given = (part.strip() for part in raw.split(",", 1))
        return {"family": family, "given": given} if given else {"family": family}
    parts = raw.split()
    if len(parts) == 1 or raw.startswith("{"):
        return {"literal": raw.strip("{}")}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def parse_date(value: object) -> dict | None:
    """A CSL date: {"date-parts": [[y, m, d]]} from ISO-ish text, a year, or a CSL date."""
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list):
            numbers = [int(p) for p in parts[0][:3] if str(p).strip().lstrip("-").isdigit()]
            if numbers:
                return {"date-parts": [numbers]}
        for key in ("raw", "literal"):
            if isinstance(value.get(key), str):
                return parse_date(value[key])
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return {"date-parts": [[value]]} if 0 < value < 3000 else None
    raw = text(value, 100)
    if not raw:
        return None
    match = _ISO_DATE.match(raw)
    if match:
        numbers = [int(g) for g in match.groups() if g]
        if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
            numbers = numbers[:1]
        if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
            numbers = numbers[:2]
        return {"date-parts": [numbers]}
    year = _YEAR.search(raw)
    return {"date-parts": [[int(year.group(1))]]} if year else {"raw": raw}


def parse_doi(value: object) -> str:
    """The bare DOI ("10.1038/s41598-017-13282-7") from a DOI, a doi.org URL or "doi:" text."""
    match = _DOI.search(text(value, 400))
    return match.group(1).rstrip(".,;)]") if match else ""


def infer_type(record: dict) -> str:
    """A record's CSL type, guessed when it has none: a journal article, a web page, a document."""
    if record.get("type") in TYPES:
        return record["type"]
    if record.get("container-title") and (record.get("volume") or record.get("DOI") or record.get("issue")):
        return "article-journal"
    return "webpage" if record.get("URL") else "document"


def year_of(record: dict) -> int | None:
    """The record's year of issue, if it has one."""
    parts = (record.get("issued") or {}).get("date-parts") or [[]]
    return parts[0][0] if parts[0] and isinstance(parts[0][0], int) else None


def first_family(record: dict) -> str:
    """The first author's family name (or literal name), else ""."""
    for field in ("author", "editor"):
        for name in record.get(field) or []:
            return name.get("family") or name.get("literal") or ""
    return ""


def ascii_word(value: str) -> str:
    """Letters and digits only, accents removed, lower case: "Carhart-Harris" -> "carhartharris"."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def doi_key(value: str) -> str:
    """A DOI as compared: DOIs are case-insensitive."""
    return parse_doi(value).casefold()


def url_key(value: str) -> str:
    """A URL as compared: no scheme, "www.", fragment or trailing slash; case-folded host."""
    raw = text(value, 2000)
    raw = re.sub(r"^[a-z][a-z0-9+.-]*://", "", raw, flags=re.IGNORECASE)
    raw = raw.split("#", 1)[0].rstrip("/")
    host, _, path = raw.partition("/")
    host = host.casefold().removeprefix("www.")
    return f"{host}/{path}" if path else host
