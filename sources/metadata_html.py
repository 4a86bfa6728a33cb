"""Records from HTML: Highwire `citation_*` tags, JSON-LD, Dublin Core and OpenGraph.

The first of those to give a field wins, in that order of trust (a journal's Highwire tags
are written for citation managers; OpenGraph is written for link previews). Only the head
of a page is read (MAX_HEAD characters), JSON-LD blocks are size-bounded, nothing is fetched.
Kept apart from sources.metadata because it needs lxml, which only HTML files load.
"""

from __future__ import annotations

import json

import lxml.html
from lxml import etree

from postil.sources.csl import normalise, parse_doi

MAX_HEAD = 512 * 1024
"""Meta tags live in the head: the first 512 KB of a page is more than any head needs."""
MAX_JSON_LD = 256 * 1024

_HIGHWIRE = {
    "citation_title": "title",
    "citation_journal_title": "container-title",
    "citation_conference_title": "container-title",
    "citation_book_title": "container-title",
    "citation_publisher": "publisher",
    "citation_volume": "volume",
    "citation_issue": "issue",
    "citation_doi": "DOI",
    "citation_issn": "ISSN",
    "citation_isbn": "ISBN",
    "citation_language": "language",
    "citation_abstract": "abstract",
    "citation_pmid": "PMID",
    "citation_abstract_html_url": "URL",
    "citation_fulltext_html_url": "URL",
    "citation_public_url": "URL",
}
_HIGHWIRE_DATES = ("citation_publication_date", "citation_date", "citation_online_date", "citation_cover_date")
_DUBLIN_CORE = {"title": "title", "publisher": "publisher", "identifier": "DOI", "language": "language",
                "source": "container-title", "description": "abstract"}
_OPEN_GRAPH = {"og:title": "title", "og:site_name": "container-title", "og:url": "URL",
               "og:description": "abstract"}
_ARTICLE_TYPES = {"scholarlyarticle": "article-journal", "medicalscholarlyarticle": "article-journal",
                  "article": "article", "newsarticle": "article-newspaper", "blogposting": "post-weblog",
                  "report": "report", "book": "book", "webpage": "webpage"}


def record_from_html(page: str) -> dict:
    """A CSL record from a page's meta tags and JSON-LD (empty when it says nothing)."""
    head = page[:MAX_HEAD]
    try:
        root = lxml.html.fromstring(head) if head.strip() else None
    except (etree.ParserError, ValueError):
        return {}
    if root is None:
        return {}
    metas: list[tuple[str, str]] = []
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = meta.get("content")
        if name and content and content.strip():
            metas.append((name, content.strip()))
    layers = [_highwire(metas), _json_ld(root), _dublin_core(metas), _open_graph(metas, root)]
    record: dict = {}
    for layer in layers:
        for key, value in layer.items():
            record.setdefault(key, value)
    if record and "type" not in record:
        record["type"] = "article-journal" if "container-title" in record and "DOI" in record else "webpage"
    return normalise(record)


def _highwire(metas: list[tuple[str, str]]) -> dict:
    record: dict = {}
    authors = [v for k, v in metas if k == "citation_author"]
    if authors:
        record["author"] = authors
    for date_name in _HIGHWIRE_DATES:
        value = next((v for k, v in metas if k == date_name), None)
        if value:
            record["issued"] = value
            break
    first = next((v for k, v in metas if k == "citation_firstpage"), None)
    last = next((v for k, v in metas if k == "citation_lastpage"), None)
    if first:
        record["page"] = f"{first}-{last}" if last and last != first else first
    for name, value in metas:
        field = _HIGHWIRE.get(name)
        if field and field not in record:
            record[field] = value
    if record and "container-title" in record:
        record["type"] = "article-journal"
    return record


def _dublin_core(metas: list[tuple[str, str]]) -> dict:
    record: dict = {}
    authors: list[str] = []
    for name, value in metas:
        prefix, _, field = name.partition(".")
        if prefix not in ("dc", "dcterms") or not field:
            continue
        if field == "creator":
            authors.append(value)
        elif field in ("date", "issued", "created") and "issued" not in record:
            record["issued"] = value
        elif field == "identifier" and not parse_doi(value):
            continue
        elif field in _DUBLIN_CORE and _DUBLIN_CORE[field] not in record:
            record[_DUBLIN_CORE[field]] = value
    if authors:
        record["author"] = authors
    return record


def _open_graph(metas: list[tuple[str, str]], root) -> dict:
    record: dict = {}
    for name, value in metas:
        field = _OPEN_GRAPH.get(name)
        if field and field not in record:
            record[field] = value
        elif name in ("article:published_time", "og:published_time") and "issued" not in record:
            record["issued"] = value
        elif name in ("author", "article:author") and "author" not in record and "://" not in value:
            record["author"] = [value]
    if "title" not in record:
        title = root.find(".//title")
        if title is not None and (title.text or "").strip():
            record["title"] = title.text
    return record


def _json_ld(root) -> dict:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        body = script.text or ""
        if len(body) > MAX_JSON_LD:
            continue
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            record = _ld_record(item)
            if record:
                return record
    return {}


def _ld_items(data, depth: int = 0):
    """Objects of a JSON-LD document, its @graph included, shallowly (no deep recursion)."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _ld_items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _ld_items(data["@graph"], depth + 1)


def _ld_record(item: dict) -> dict:
    kinds = item.get("@type")
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    csl_type = next((_ARTICLE_TYPES[k.lower()] for k in kinds if isinstance(k, str) and k.lower() in _ARTICLE_TYPES), None)
    if csl_type is None or csl_type == "webpage":
        return {}
    record: dict = {"type": csl_type}
    title = item.get("headline") or item.get("name")
    if isinstance(title, str):
        record["title"] = title
    authors = item.get("author")
    authors = authors if isinstance(authors, list) else [authors] if authors else []
    names = []
    for author in authors[:500]:
        if isinstance(author, str):
            names.append(author)
        elif isinstance(author, dict):
            if isinstance(author.get("familyName"), str):
                names.append({"family": author["familyName"], "given": str(author.get("givenName") or "")})
            elif isinstance(author.get("name"), str):
                is_person = author.get("@type") in (None, "Person")
                names.append(author["name"] if is_person else {"literal": author["name"]})
    if names:
        record["author"] = names
    for key in ("datePublished", "dateCreated"):
        if isinstance(item.get(key), str):
            record["issued"] = item[key]
            break
    part = item.get("isPartOf")
    if isinstance(part, dict):
        if isinstance(part.get("name"), str):
            record["container-title"] = part["name"]
        part_of = part.get("isPartOf")
        if isinstance(part_of, dict) and isinstance(part_of.get("name"), str):
            record["container-title"] = part_of["name"]
        if isinstance(part.get("volumeNumber"), (str, int)):
            record["volume"] = part["volumeNumber"]
        if isinstance(part.get("issueNumber"), (str, int)):
            record["issue"] = part["issueNumber"]
    publisher = item.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        record["publisher"] = publisher["name"]
    for key in ("sameAs", "identifier", "@id", "url"):
        value = item.get(key)
        values = value if isinstance(value, list) else [value]
        doi = next((parse_doi(v) for v in values if isinstance(v, str) and parse_doi(v)), "")
        if doi:
            record["DOI"] = doi
            break
    if isinstance(item.get("url"), str):
        record["URL"] = item["url"]
    if isinstance(item.get("pagination"), str):
        record["page"] = item["pagination"]
    return record
