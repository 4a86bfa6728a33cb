"""What a web page's <meta> tags say about it: Highwire/Google Scholar (`citation_*`), Dublin
Core (`dc.*`, `DC.*`), Open Graph (`og:*`, `article:*`) and the plain `author`/`description`/
`keywords`, as `Document.metadata`."""

from __future__ import annotations

from postil.sources.normalise import clean

_PREFIXES = ("citation_", "dc.", "dcterms.", "og:", "article:", "prism.")
_PLAIN = ("author", "description", "keywords", "date")
MAX_VALUES = 200
"""At most this many values per page (a page is untrusted; its metadata is small)."""


def page_metadata(root) -> dict:
    """{"meta": name -> list of values, "title", "author", "date"}; {} when the page has none.

    Args:
        root: the page parsed by lxml.html.
    """
    meta: dict[str, list[str]] = {}
    count = 0
    for element in root.iter("meta"):
        name = (element.get("name") or element.get("property") or "").strip().lower()
        value = " ".join(clean(element.get("content") or "").split())
        if not name or not value or not (name.startswith(_PREFIXES) or name in _PLAIN):
            continue
        meta.setdefault(name, []).append(value[:2000])
        count += 1
        if count >= MAX_VALUES:
            break
    if not meta:
        return {}
    facts: dict = {"meta": meta}
    title = _first(meta, "citation_title", "dc.title", "og:title")
    if title:
        facts["title"] = title
    authors = meta.get("citation_author") or meta.get("dc.creator") or meta.get("author") or meta.get("article:author")
    if authors:
        facts["author"] = authors
    date = _first(meta, "citation_publication_date", "citation_date", "dc.date", "article:published_time", "date")
    if date:
        facts["date"] = date
    return facts


def _first(meta: dict[str, list[str]], *names: str) -> str | None:
    return next((meta[name][0] for name in names if meta.get(name)), None)
