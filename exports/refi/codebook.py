"""The codebook: postil's tags as nested REFI-QDA Codes, and Codes read back as tags.

A tag named "parent/child" becomes a Code "child" inside a Code "parent" (a parent that is
not a tag of its own is written with isCodable="false", so it is only a folder). "." does
not nest: it is too common inside names ("p.value"). Reading goes the other way: nested
codes become "parent/child" tag names, and names our tags cannot hold are made fit (and
listed as a loss).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from postil.exports.refi.guids import code_guid, normal
from postil.exports.refi.safexml import XMLRefused, local, parse, xml_text
from postil.store.colors import parse_color
from postil.store.errors import StoreError
from postil.store.models import Tag
from postil.store.refi_records import IncomingCode

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MAX_TAG = 60
_UNFIT = re.compile(r"[,:()\"/]")


@dataclass
class CodeNode:
    """One code in the tree a REFI-QDA codebook nests ("parent/child" tags become children)."""

    path: str
    name: str
    tag: Tag | None = None
    children: list[CodeNode] = field(default_factory=list)


def code_tree(tags: list[Tag]) -> list[CodeNode]:
    """Tags as a forest of codes, in tag order (a parent appears where its first tag does)."""
    roots: list[CodeNode] = []
    nodes: dict[str, CodeNode] = {}
    for tag in tags:
        parts = tag.name.split("/")
        if any(not p.strip() for p in parts):
            parts = [tag.name]  # "/a" or "a//b": not a path, one code with that name
        siblings, path = roots, ""
        for depth, part in enumerate(parts):
            path = f"{path}/{part}" if path else part
            node = nodes.get(path.casefold())
            if node is None:
                node = nodes[path.casefold()] = CodeNode(path, part)
                siblings.append(node)
            if depth == len(parts) - 1:
                node.tag = tag
            siblings = node.children
    return roots


def codes_element(tags: list[Tag], namespace: str) -> etree._Element:
    """A <Codes> element in `namespace` holding every tag."""
    codes = etree.Element(f"{{{namespace}}}Codes")
    for node in code_tree(tags):
        _add_code(codes, node, namespace)
    return codes


def _add_code(parent, node: CodeNode, namespace: str) -> None:
    element = etree.SubElement(parent, f"{{{namespace}}}Code")
    element.set("guid", code_guid(node.path))
    element.set("name", xml_text(node.name))
    element.set("isCodable", "true" if node.tag else "false")
    if node.tag and node.tag.color:
        element.set("color", node.tag.color.upper())
    if node.tag and node.tag.description:
        etree.SubElement(element, f"{{{namespace}}}Description").text = xml_text(node.tag.description)
    for child in node.children:
        _add_code(element, child, namespace)


def codebook_bytes(tags: list[Tag], origin: str) -> bytes:
    """A `.qdc` file: <CodeBook origin=...><Codes>...</Codes></CodeBook>, UTF-8 without BOM."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", origin)
    root.append(codes_element(tags, CODEBOOK_NS))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading ------------------------------------------------------------------------------


def read_codes(codes, losses: list[str]) -> list[IncomingCode]:
    """The codes under a <Codes> element, depth first, as tags to be."""
    out: list[IncomingCode] = []
    seen: set[str] = set()
    for element in codes:
        if local(element) == "Code":
            _read_code(element, "", out, seen, losses)
    return out


def _read_code(element, parent: str, out: list[IncomingCode], seen: set[str], losses: list[str]) -> None:
    guid = normal(element.get("guid"))
    raw = element.get("name") or ""
    name = fit_name(raw)
    if name != raw.strip():
        losses.append(f"code {raw!r} renamed {name!r} (postil tag names cannot hold , : ( ) \" or /, at most {MAX_TAG} characters)")
    path = f"{parent}/{name}" if parent else name
    if len(path) > MAX_TAG:
        cut = path[:MAX_TAG].rstrip(" /")
        losses.append(f"code path {path!r} shortened to {cut!r} ({MAX_TAG} characters at most)")
        path = cut
    if guid is None:
        losses.append(f"code {raw!r} skipped: its guid is missing or not a GUID")
        return
    description = ""
    color = ""
    for child in element:
        if local(child) == "Description" and child.text:
            description = child.text.strip()
    if element.get("color"):
        try:
            color = parse_color(element.get("color"))
        except StoreError:
            losses.append(f"code {path!r}: colour {element.get('color')!r} not understood; a default given")
    codable = (element.get("isCodable") or "true").strip().lower() in ("true", "1")
    if path.casefold() not in seen:
        seen.add(path.casefold())
        out.append(IncomingCode(guid, path, color, description, codable))
    else:
        out.append(IncomingCode(guid, path, "", "", codable))  # a second code of the same name: the same tag
    for child in element:
        if local(child) == "Code":
            _read_code(child, path, out, seen, losses)


def fit_name(name: str) -> str:
    """A code's name as one part of a tag name: no characters with a meaning in searches."""
    cleaned = " ".join(_UNFIT.sub("-", name).split()).lstrip("-").strip()
    return cleaned[:MAX_TAG] or "code"


def read_codebook(data: bytes, name: str) -> tuple[list[IncomingCode], list[str]]:
    """The codes of a `.qdc` file, and what could not be carried.

    Raises:
        ValueError: one line naming the file: not XML we read, or not a codebook.
    """
    try:
        root = parse(data)
    except XMLRefused as error:
        raise ValueError(f"{name}: {error}") from None
    if local(root) != "CodeBook":
        raise ValueError(f"{name}: not a REFI-QDA codebook (the root element is <{local(root)}>, not <CodeBook>)")
    losses: list[str] = []
    codes: list[IncomingCode] = []
    for child in root:
        if local(child) == "Codes":
            codes.extend(read_codes(child, losses))
        elif local(child) == "Sets" and len(child):
            losses.append(f"{len(child)} code set(s) (postil has no sets)")
    return codes, losses
