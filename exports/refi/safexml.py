"""The one way REFI-QDA files are parsed: lxml with every external door shut.

No DTD is loaded and a document that declares one is refused (so no entity, internal or
external, is ever defined, let alone expanded); no network; no huge-tree mode (lxml's own
limits on depth and text size stay on).
"""

from __future__ import annotations

import re

from lxml import etree

_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False,
    remove_comments=True, remove_pis=True,
)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class XMLRefused(ValueError):
    """Not XML we read: malformed, or it declares a DTD or entities."""


def parse(data: bytes) -> etree._Element:
    """The root element of `data`.

    Raises:
        XMLRefused: malformed XML, or a DOCTYPE (DTDs and entities are refused outright).
    """
    # Refused before parsing, so no entity is ever defined. Markup text such as a note that
    # mentions "<!DOCTYPE" is escaped in the file (&lt;!DOCTYPE) and cannot match.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise XMLRefused("declares a DTD or entities (refused: they can read files or expand without bound)")
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise XMLRefused(f"not well-formed XML ({error.msg}, line {error.lineno})") from None
    if root.getroottree().docinfo.doctype:
        raise XMLRefused("declares a DTD (refused)")
    return root


def xml_text(text: str) -> str:
    """`text` with the characters XML 1.0 cannot hold removed (controls other than tab and newline)."""
    return _XML_INVALID.sub("", text).replace("\r", "")


def local(element) -> str:
    """An element's name without its namespace."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
