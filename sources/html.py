"""HTML to a Document: the article's text, found by trafilatura, as blocks.

trafilatura (imported lazily; it costs ~0.4 s) drops scripts, styles, navigation, forms and
comments and returns the main text as XML (`head`, `p`, `list/item`, `quote`, `table/row/
cell`, `code`), which lxml walks into blocks. When it finds nothing (a page that is all
"boilerplate" to it, or a tiny fragment), lxml.html reads the whole page instead, minus
script, style, nav, form, header, footer and comments.

Three things complete trafilatura's reading (`article`): formulas (MathML, MathJax) are
reduced to their text first, so a sentence is not cut at one; text loose between blocks in
its XML (a tail) is kept as a paragraph; and when the page's own article element
(articleBody, a lone <article>, <main>) holds more than twice the words trafilatura
returned, that element is read instead. Short furniture blocks ("Please wait...", "Share
this article") are then left out. On ../shared/html-dev this lifts mean token F1 from 0.927
to 0.953 (trafilatura alone 0.932; bench/bench_html_f1.py).

Numeric character references that would decode to control characters (`&#27;`, `&#x9b;`)
are removed before parsing (they also make the XML step fail), and every block is cleaned
again after parsing, so no escape sequence survives either way.
"""

from __future__ import annotations

import html as html_lib
import logging
import re

import lxml.html
import trafilatura
from lxml import etree

from postil.sources.article import FURNITURE, flatten_math, is_chrome, missed_article
from postil.sources.builder import DocumentBuilder
from postil.sources.document import CELL_GAP, Document
from postil.sources.htmlmeta import page_metadata
from postil.sources.normalise import clean
from postil.sources.plain import load_text, title_from_name

_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAGS = {
    "h1": ("heading", 1), "h2": ("heading", 2), "h3": ("heading", 3),
    "h4": ("heading", 4), "h5": ("heading", 5), "h6": ("heading", 6),
    "p": ("paragraph", 0), "li": ("list_item", 1), "blockquote": ("quote", 1),
    "pre": ("code", 0), "tr": ("table_row", 0), "dt": ("paragraph", 0), "dd": ("paragraph", 0),
}
_DROP = ("script", "style", "noscript", "nav", "form", "header", "footer", "aside",
         "template", "svg", "button", "select", "iframe", "object")


def load_html(text: str, name: str, warnings: list[str] | None = None) -> Document:
    """Build a Document from decoded HTML.

    Args:
        text: the decoded page.
        name: file name, used for the title when the page has none.
        warnings: decoding warnings to carry into the Document.
    """
    warnings = list(warnings or [])
    page = flatten_math(clean(_CHAR_REF.sub(_safe_char_ref, text)))
    title, h1, metadata = _page_facts(page)
    builder = DocumentBuilder()
    try:
        root = _extract(page)
        if root is not None:
            # trafilatura moves the <h1> into its metadata; put it back as the first block.
            if h1 and not any(h1 == " ".join(t.split()) for t in root.itertext()):
                builder.add("heading", h1, 1)
            _walk_xml(root, builder, depth=0)
    except Exception as error:  # an extractor bug (or RecursionError) must not lose the page
        warnings.append(f"article extraction failed ({type(error).__name__}): read the whole page")
        builder = DocumentBuilder()
    container = _missed_article(builder.text(), page)
    if container is not None:
        # The page marks far more text as its article than trafilatura kept: read that.
        from_page = DocumentBuilder()
        if h1 and h1 not in container.text_content():
            from_page.add("heading", h1, 1)
        _from_lxml(container, from_page, drop=FURNITURE)
        if from_page.blocks:
            builder = from_page
    if not builder.blocks:
        try:
            _from_lxml(lxml.html.document_fromstring(page), builder)
        except (etree.LxmlError, ValueError, RecursionError):
            # Not parseable as HTML at all: the plain-text reading below takes the page.
            builder = DocumentBuilder()
    builder = _without_chrome(builder)
    if not builder.blocks:
        # Not really HTML (plain text with an .html name): read its text as plain text.
        document = load_text(_all_text(page), name, warnings)
        document.format = "html"
        document.metadata = metadata
        return document
    if not title:
        title = h1 or next(
            (builder.text()[b.start : b.end] for b in builder.blocks if b.kind == "heading"), None
        )
    document = builder.build(title or title_from_name(name), "html", warnings)
    document.metadata = metadata
    return document


def _quiet_loggers() -> None:
    """Keep trafilatura's log lines off the terminal: with no handler configured, Python's
    last-resort handler would print them to stderr, over the app's screen."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
            logger.propagate = False


def _safe_char_ref(match: re.Match) -> str:
    hex_digits, decimal = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(decimal)
    if code in (9, 10, 13):
        return match.group()
    if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    return match.group()


def _page_facts(page: str) -> tuple[str, str, dict]:
    """The text of the page's <title> and of its first <h1> ("" when absent), and what its
    <meta> tags say (`htmlmeta.page_metadata`)."""
    try:
        root = lxml.html.fromstring(page)
    except Exception:
        return "", "", {}
    found = []
    for tag in ("title", "h1"):
        node = root.find(f".//{tag}")
        found.append("" if node is None else " ".join(clean(node.text_content()).split()))
    return found[0], found[1], page_metadata(root)


def _extract(page: str):
    """trafilatura's XML for the main text, parsed; None when it found nothing."""
    _quiet_loggers()

    xml = trafilatura.extract(
        page, output_format="xml", include_tables=True, include_formatting=False,
        include_links=True, include_comments=False, include_images=False, favor_recall=True,
    )
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    return main if main is not None else root


def _walk_xml(node, builder: DocumentBuilder, depth: int, table: int = 0) -> None:
    """Emit blocks for the children of a trafilatura XML element (document order).

    Text loose between them (trafilatura keeps it as an element's text or a child's tail:
    prose between two formulas, say) is a paragraph of its own, never dropped.
    """
    if node.tag in ("main", "div", "section", "doc") and (node.text or "").strip():
        builder.add("paragraph", " ".join(node.text.split()))
    for child in node:
        _walk_child(child, builder, depth, table)
        if child.tail and child.tail.strip():
            builder.add("paragraph", " ".join(child.tail.split()))
        if isinstance(child.tag, str) and child.tag == "table":
            table += 1


def _walk_child(child, builder: DocumentBuilder, depth: int, table: int) -> None:
    """The blocks of one element of trafilatura's XML."""
    tag = child.tag if isinstance(child.tag, str) else ""
    if tag == "head":
        level = _heading_level(child.get("rend", "h2"))
        builder.add("heading", _xml_text(child), level, _links(child))
    elif tag == "p":
        builder.add("paragraph", _xml_text(child), 0, _links(child))
    elif tag == "quote":
        if any(c.tag in ("p", "list", "head") for c in child):
            _walk_xml(child, builder, depth)
        else:
            builder.add("quote", _xml_text(child), 1, _links(child))
    elif tag == "code":
        builder.add("code", child.xpath("string()"), 0)
    elif tag == "list":
        _walk_list(child, builder, depth + 1)
    elif tag == "table":
        table += 1
        first = True
        for row in child.iter("row"):
            cells = [" ".join(_xml_text(cell).split()) for cell in row.findall("cell")]
            meta = {"table": table, **_links(row)}
            if any(cell.get("role") == "head" for cell in row.findall("cell")):
                meta["header"] = True
            added = builder.add("table_row", CELL_GAP.join(cells), 0, meta, tight=not first)
            first = first and added is None
    elif tag in ("div", "main", "section"):
        _walk_xml(child, builder, depth, table)
    elif tag:
        builder.add("paragraph", _xml_text(child), 0, _links(child))


def _walk_list(lst, builder: DocumentBuilder, depth: int) -> None:
    """List items with their marker ("•" or "1.") in the text; nested lists one level deeper."""
    ordered = lst.get("rend") == "ol"
    number = 1
    for item in lst:
        if item.tag != "item":
            continue
        marker = f"{number}." if ordered else "•"
        number += 1
        text = _xml_text(item, skip=("list",))
        builder.add("list_item", f"{marker} {text}", depth, {**_links(item), "marker": marker})
        for sub in item:
            if sub.tag == "list":
                _walk_list(sub, builder, depth + 1)


def _heading_level(rend: str) -> int:
    digits = rend[-1:] if rend[-1:].isdigit() else "2"
    return max(1, min(6, int(digits)))


def _xml_text(node, skip: tuple[str, ...] = ()) -> str:
    """Text of an element with <lb/> as a newline, leaving out child elements in `skip`."""
    parts: list[str] = [node.text or ""]
    for child in node:
        if child.tag in skip:
            parts.append(child.tail or "")
            continue
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.append(_xml_text(child, skip))
        parts.append(child.tail or "")
    # Collapse runs of spaces (HTML source indentation) but keep <lb/> newlines.
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n"))


def _links(node) -> dict:
    links = [ref.get("target") for ref in node.iter("ref") if ref.get("target")]
    return {"links": links} if links else {}


def _all_text(page: str) -> str:
    """Every bit of text in the page; last resort when no block-level structure was found.

    libxml2 gives up on pages nested deeper than it allows (thousands of <div>s) and
    returns an empty tree; then tags are stripped by pattern, which cannot fail.
    """


    try:
        text = lxml.html.document_fromstring(page).text_content()
    except Exception:
        text = ""
    if text.strip():
        return text
    text = _SCRIPTS.sub(" ", page)
    return html_lib.unescape(_ANY_TAG.sub(" ", text))


def _missed_article(extracted: str, page: str):
    """The page's own article element when trafilatura missed most of it, else None."""
    try:
        return missed_article(extracted, lxml.html.document_fromstring(page))
    except Exception:  # unparseable or too deep for libxml2: trafilatura's reading stands
        return None


def _without_chrome(builder: DocumentBuilder) -> DocumentBuilder:
    """The same blocks less page furniture ("Please wait...", share bars)."""
    text = builder.text()
    if not any(is_chrome(text[b.start : b.end]) for b in builder.blocks):
        return builder
    kept = DocumentBuilder()
    previous = None
    for block in builder.blocks:
        piece = text[block.start : block.end]
        if is_chrome(piece):
            continue
        table = block.meta.get("table") if block.kind == "table_row" else None
        kept.add(block.kind, piece, block.level, block.meta, tight=table is not None and table == previous,
                 cleaned=True)
        previous = table
    return kept


def _from_lxml(root, builder: DocumentBuilder, drop: tuple[str, ...] = _DROP) -> None:
    """Every block-level element's text under `root` (the whole page, or its article)."""
    for bad in root.xpath(".//comment() | .//processing-instruction()"):
        bad.drop_tree() if hasattr(bad, "drop_tree") else bad.getparent().remove(bad)
    for tag in set(drop + ("title", "head")):
        for element in list(root.iter(tag)):
            if element is not root:
                element.drop_tree()
    table = 0
    for element in root.iter(*_BLOCK_TAGS, "table", "div", "body"):
        if element.tag == "table":
            table += 1
            continue
        if any(ancestor.tag in _BLOCK_TAGS for ancestor in element.iterancestors()):
            continue  # the outer block already holds this text
        if element.tag in ("div", "body"):
            # Text directly in a div/body (not inside a block child) is a paragraph too.
            direct = (element.text or "") + "".join(
                (c.tail or "") for c in element if not isinstance(c, etree._Comment)
            )
            builder.add("paragraph", " ".join(direct.split()))
            continue
        kind, level = _BLOCK_TAGS[element.tag]
        if kind == "table_row":
            cells = [" ".join(c.text_content().split()) for c in element.iter("td", "th")]
            builder.add(kind, CELL_GAP.join(cells), 0, {"table": table}, tight=builder.last_kind == "table_row")
        elif kind == "code":
            builder.add(kind, element.text_content())
        else:
            text = " ".join(element.text_content().split())
            links = [a.get("href") for a in element.iter("a") if a.get("href")]
            if kind == "list_item":
                text = f"• {text}"
            meta = {"links": links} if links else {}
            if kind == "list_item":
                meta["marker"] = "•"
            builder.add(kind, text, level, meta)
