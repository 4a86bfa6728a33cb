"""W3C Web Annotation (JSON-LD) export, and reading such files back for `postil import`.

Export: an AnnotationCollection whose embedded first AnnotationPage holds one Annotation per
highlight (each also valid on its own: it carries its own @context):

- `id` "urn:uuid:<highlight id>", `motivation` "highlighting", `created`, `modified`, and a
  `creator` Person when the highlight has an author;
- `target`: `source` is the origin as a URI (http(s) as is, a file path as a file:// URI,
  anything else "urn:postil:source:<sha256>"), with a TextQuoteSelector (exact, prefix,
  suffix) and, when the quote is one unbroken stretch of the file, a TextPositionSelector
  (start, end: code points into the file's decoded text, BOM removed; `sources.offsets`), so
  the position points where the target names; for a page of a PDF a
  FragmentSelector "page=N" (RFC 3778: N the physical page, from 1; the label in
  `postil:pageLabel`). postil's own offsets into its reading text
  ride on `postil:readingStart`/`postil:readingEnd` (what `postil import` uses). postil's
  own facts ride on extension properties in the "postil:" namespace, declared in the @context: `postil:sha256` and `postil:origin` on the target (how an importer finds
  the source), `postil:anchorStatus` and `postil:version` on the annotation;
- bodies: each tag a TextualBody with purpose "tagging"; the note a TextualBody with purpose
  "commenting" and format "text/markdown"; each outgoing link a SpecificResource with purpose
  "linking" whose `source` is the other annotation's id, its own `id` the link's, and the
  relation in `postil:relation`.

The @context is ["http://www.w3.org/ns/anno.jsonld", {"postil": NAMESPACE}]: the W3C context
comes first, as the model requires, and the second entry only declares the prefix.

Import (`parse`) accepts a collection, a page, one annotation or a JSON list of them, and
turns each into a `store.exchange.Incoming`; what it cannot read is returned as problems.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from postil.exports.collect import ExportData
from postil.exports.json_depth import MAX_DEPTH, holds_too_deep
from postil.exports.json_depth import loads as load_json
from postil.store.errors import StoreError
from postil.store.exchange import Incoming, IncomingLink
from postil.store.tags import validate_tag_name

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "https://postil.invalid/ns#"
"""postil's extension vocabulary (the .invalid domain: a name, never fetched)."""
CONTEXT = [W3C_CONTEXT, {"postil": NAMESPACE}]
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"
"""The `conformsTo` of a PDF fragment (the Web Annotation model names it so)."""
_POSTIL_NS = uuid.UUID("6f1d3c2e-5a7b-4c1d-9e8f-0a1b2c3d4e5f")
COLLECTION_NAMESPACE = _POSTIL_NS
"""The uuid5 namespace of collection ids (and of ids made for annotations without one)."""


def source_uri(origin: str, sha256: str) -> str:
    """The target `source` IRI for a postil source."""
    if origin.startswith(("http://", "https://")):
        return quote(origin, safe=":/?#[]@!$&'()*+,;=%~")
    if origin and Path(origin).is_absolute():
        return Path(origin).as_uri()
    return f"urn:postil:source:{sha256}"


def origin_from_uri(uri: str) -> str:
    """Best guess of a postil origin from a target IRI (used when postil:origin is absent)."""
    if uri.startswith("file:"):
        return unquote(urlparse(uri).path)  # POSIX paths: the IRI's path, unquoted once
    if uri.startswith("urn:postil:source:"):
        return ""
    return uri


def annotation(data: ExportData, h, uris: dict[int, str] | None = None) -> dict:
    """One highlight as an Annotation; `uris` caches source IRIs by source id."""
    source = data.sources[h.source_id]
    bodies: list[dict] = [
        {"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in sorted(h.tags, key=str.casefold)
    ]
    if h.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": h.note, "format": "text/markdown"})
    for link in data.links_of(h.id):
        if link.from_id != h.id:
            continue  # each link is carried once, by the annotation it starts from
        body = {
            "id": f"urn:uuid:{link.id}",
            "type": "SpecificResource",
            "purpose": "linking",
            "source": f"urn:uuid:{link.to_id}",
            "postil:relation": link.relation,
        }
        if link.created_at:
            body["created"] = link.created_at
        if link.author:
            body["creator"] = {"type": "Person", "name": link.author}
        if link.note:
            body["postil:note"] = link.note
        bodies.append(body)
    item = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{h.id}",
        "type": "Annotation",
        "motivation": "highlighting",
        "created": h.created_at,
        "modified": h.updated_at,
    }
    if h.author:
        item["creator"] = {"type": "Person", "name": h.author}
    if bodies:
        item["body"] = bodies
    selectors: list[dict] = [{"type": "TextQuoteSelector", "exact": h.quote, "prefix": h.prefix, "suffix": h.suffix}]
    in_file = data.file_spans.get(h.id)
    if in_file is not None:
        selectors.append({"type": "TextPositionSelector", "start": in_file[0], "end": in_file[1]})
    page = data.pages.get(h.id)
    if page is not None:
        # RFC 3778's page=N counts physical pages from 1 (the label goes in postil:pageLabel).
        selectors.append({"type": "FragmentSelector", "conformsTo": RFC3778, "value": f"page={page.index + 1}"})
    item["target"] = {
        "source": uris[source.id] if uris else source_uri(source.origin, source.sha256),
        "selector": selectors,
        "postil:sha256": source.sha256,
        "postil:origin": source.origin,
        "postil:readingStart": h.start,
        "postil:readingEnd": h.end,
    }
    if page is not None:
        item["target"]["postil:pageLabel"] = page.label
    item["postil:anchorStatus"] = h.anchor_status
    item["postil:version"] = h.version
    return item


def to_w3c(data: ExportData) -> dict:
    """The export as an AnnotationCollection (a JSON-ready dict)."""
    uris = {sid: source_uri(s.origin, s.sha256) for sid, s in data.sources.items()}
    items = [annotation(data, h, uris) for h in data.highlights]
    collection = _collection(data.title, data.date, len(items), collection_key(data))
    collection["first"]["items"] = items
    return collection


def collection_key(data: ExportData) -> uuid.UUID:
    """The collection's stable id: the same title, query and highlights give the same id."""
    return collection_id(data.title, data.query, [h.id for h in data.highlights])


def collection_id(title: str, query: str, highlight_ids: list[str]) -> uuid.UUID:
    return uuid.uuid5(COLLECTION_NAMESPACE, "\n".join([title, query, *highlight_ids]))


def _collection(title: str, date: str, total: int, key: uuid.UUID) -> dict:
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{key}",
        "type": "AnnotationCollection",
        "label": title,
        "total": total,
        "created": date,
        "first": {
            "@context": CONTEXT,  # so the page, like each annotation, is valid on its own
            "id": f"urn:uuid:{uuid.uuid5(key, 'page-0')}",
            "type": "AnnotationPage",
            "startIndex": 0,
        },
    }


def frame(title: str, date: str, total: int, key: uuid.UUID) -> tuple[str, str]:
    """The file's text before the first annotation and after the last (see `dumps`)."""
    # ensure_ascii: the file is safe to `cat` and any JSON reader gets the exact text back.
    text = json.dumps(_collection(title, date, total, key), ensure_ascii=True, indent=1)
    # A string in the frame cannot hold the marker: its quotes would be escaped.
    cut = text.index(_MARKER) + len(_MARKER)
    return text[:cut] + ',\n  "items": [\n', "\n  ]" + text[cut:] + "\n"


_MARKER = '"startIndex": 0'


def dumps(data: ExportData) -> str:
    # The collection's frame indented for reading, one annotation per line: json's C encoder
    # only runs without indent, which keeps 10,000 annotations well under a second.
    uris = {sid: source_uri(s.origin, s.sha256) for sid, s in data.sources.items()}
    return assemble(data.title, data.query, data.date,
                    [(h.id, annotation_line(data, h, uris)) for h in data.highlights])


def annotation_line(data: ExportData, h, uris: dict[int, str]) -> str:
    """One highlight's annotation as the one line `dumps` writes for it."""
    return json.dumps(annotation(data, h, uris), ensure_ascii=True)


def assemble(title: str, query: str, date: str, lines: list[tuple[str, str]]) -> str:
    """The collection's text around annotation lines already made ((highlight id, line), in
    file order): what `dumps` writes, for a caller that reuses lines it wrote before."""
    head, tail = frame(title, date, len(lines), collection_id(title, query, [hid for hid, _ in lines]))
    return head + ",\n".join(line for _, line in lines) + tail


# --- reading ------------------------------------------------------------------------------


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _uuid_of(iri: str) -> str:
    """Our highlight id for an annotation IRI: the uuid of urn:uuid:…, else a stable uuid5."""
    if iri.startswith("urn:uuid:"):
        try:
            return str(uuid.UUID(iri[len("urn:uuid:") :]))
        except ValueError:
            pass
    return str(uuid.uuid5(_POSTIL_NS, iri))


def _agent(value) -> str:
    for agent in _list(value):
        if isinstance(agent, str):
            return agent
        if isinstance(agent, dict):
            name = agent.get("name") or agent.get("nickname")
            if isinstance(name, str):
                return name
    return ""


def annotations_in(document) -> list:
    """The annotations of a collection, page, single annotation or list."""
    if isinstance(document, list):
        return [a for part in document for a in annotations_in(part)]
    if not isinstance(document, dict):
        return []
    kind = _list(document.get("type"))
    if "AnnotationCollection" in kind:
        first = document.get("first")
        return annotations_in(first) if isinstance(first, (dict, list)) else []
    if "AnnotationPage" in kind:
        items = _list(document.get("items"))
        nxt = document.get("next")
        return items + (annotations_in(nxt) if isinstance(nxt, dict) else [])
    return [document]


LARGEST_INTEGER = 2**63 - 1
"""SQLite's largest integer: a version or offset beyond it cannot be stored."""


def parse(document, cut_out: int = 0) -> tuple[list[Incoming], list[str]]:
    """Incoming highlights from a parsed JSON document, and what could not be read.

    Each annotation that cannot be read is left out and named in the problems with its id
    (or its place in the file) and the reason; the others are read. Of several annotations
    with one id, the first is read.

    Args:
        cut_out: how many values `json_depth.loads` cut out for nesting too deep.
    """
    incoming, problems = [], []
    seen: set[str] = set()
    found_deep = 0
    for index, item in enumerate(annotations_in(document)):
        label = item.get("id") if isinstance(item, dict) else None
        try:
            if cut_out and holds_too_deep(item):
                found_deep += 1
                raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
            one = _incoming(item)
            if one.id in seen:
                raise ValueError("its id appears earlier in the file (the first one was read)")
        except ValueError as error:
            problems.append(f"annotation {label if isinstance(label, str) and label else index + 1}: {error}")
            continue
        seen.add(one.id)
        incoming.append(one)
    if cut_out > found_deep:
        problems.append(f"part of the file outside any annotation is nested deeper than {MAX_DEPTH} levels")
    return incoming, problems


def _incoming(item) -> Incoming:
    if not isinstance(item, dict) or "Annotation" not in _list(item.get("type")):
        raise ValueError("not an Annotation")
    targets = [t for t in _list(item.get("target")) if isinstance(t, dict)]
    if not targets:
        raise ValueError("no target with selectors (postil needs a text quote)")
    target = targets[0]
    exact = prefix = suffix = None
    start = end = None
    for selector in _list(target.get("selector")):
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector" and isinstance(selector.get("exact"), str):
            exact, prefix, suffix = selector["exact"], selector.get("prefix") or "", selector.get("suffix") or ""
        elif selector.get("type") == "TextPositionSelector":
            if _storable(selector.get("start")) and _storable(selector.get("end")):
                start, end = selector["start"], selector["end"]
    if not exact:
        raise ValueError("no TextQuoteSelector with an exact quote")
    if isinstance(target.get("postil:readingStart"), int) and isinstance(target.get("postil:readingEnd"), int):
        # postil's own export: the position selector is the file's; these are the reading text's.
        start, end = target["postil:readingStart"], target["postil:readingEnd"]
    if start is None or end is None or not 0 <= start <= end:
        start, end = 0, 0  # no usable position: anchor by the quote alone
    origin = target.get("postil:origin")
    if not isinstance(origin, str):
        origin = origin_from_uri(str(target.get("source") or ""))
    sha256 = target.get("postil:sha256")
    if not isinstance(sha256, str):
        source = str(target.get("source") or "")
        sha256 = source.rsplit(":", 1)[-1] if source.startswith("urn:postil:source:") else ""
    tags, notes, links = [], [], []
    body_value = item.get("bodyValue")
    if isinstance(body_value, str):
        notes.append(body_value)
    for body in _list(item.get("body")):
        if not isinstance(body, dict):
            continue
        purposes = _list(body.get("purpose"))
        value = body.get("value")
        if "tagging" in purposes and isinstance(value, str):
            try:
                tags.append(validate_tag_name(value))
            except StoreError as error:
                raise ValueError(str(error)) from None
        elif "linking" in purposes and isinstance(body.get("source"), str):
            links.append(
                IncomingLink(
                    id=_uuid_of(str(body.get("id") or f"{item.get('id')}#{body['source']}")),
                    to_id=_uuid_of(body["source"]),
                    relation=str(body.get("postil:relation") or "see-also"),
                    note=str(body.get("postil:note") or ""),
                    author=_agent(body.get("creator")),
                    created_at=str(body.get("created") or item.get("created") or ""),
                )
            )
        elif isinstance(value, str):
            notes.append(value)
    created = str(item.get("created") or "")
    version = item.get("postil:version")
    if isinstance(version, int) and version > LARGEST_INTEGER:
        raise ValueError(f"postil:version {_short_number(version)} is out of range")
    return Incoming(
        id=_uuid_of(str(item.get("id") or "")) if item.get("id") else str(uuid.uuid5(_POSTIL_NS, json.dumps(item, sort_keys=True))),
        sha256=sha256,
        origin=origin,
        start=start,
        end=end,
        quote=exact,
        prefix=prefix,
        suffix=suffix,
        note="\n\n".join(notes),
        tags=tags,
        author=_agent(item.get("creator")),
        created_at=created,
        updated_at=str(item.get("modified") or created),
        version=version if isinstance(version, int) and version > 0 else 1,
        links=links,
    )


def _storable(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= LARGEST_INTEGER


def _short_number(value: int) -> str:
    digits = str(value)
    return digits if len(digits) <= 20 else f"{digits[:6]}… ({len(digits)} digits)"


def read_file(path: str | Path) -> tuple[list[Incoming], list[str]]:
    """Parse a W3C annotation file; raises ValueError with a one-line message if it is not JSON."""
    try:
        document, cut_out = load_json(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from error
    if not isinstance(document, (dict, list)):
        # `null` or `42` used to read as "0 annotations read" and exit 0, as if all was well.
        raise ValueError(
            f"{path}: no annotations in it (a JSON {_json_kind(document)}, not a W3C Annotation, "
            "AnnotationPage or AnnotationCollection)"
        )
    return parse(document, cut_out)


def _json_kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string"
