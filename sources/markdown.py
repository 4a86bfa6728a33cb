"""Markdown to a Document with markdown-it-py: markup removed, structure kept as blocks.

Inline markup (`**`, `_`, backticks, link and image syntax) is dropped from the reading
text; link targets go to the block's meta {"links": [...]}. A table becomes one
`table_row` block per row with cells joined by "  |  " (`document.CELL_GAP`) and no delimiter row. Headings,
list items (with their marker, "•" or "1.", written into the text), block quotes and code
become blocks of their own; code keeps every line's whitespace exactly.

With mdit-py-plugins: YAML front matter is kept out of the text and read (`frontmatter`)
into `Document.metadata` (title, author, date); GFM footnote references read "[1]" and the
notes follow the body as paragraphs "[1] ..." (meta {"footnote": 1}); a definition list
reads as its term (a paragraph) and each definition as a "•" item (meta {"term": ...});
pandoc grid and simple tables are rows like any table (`pandoc_tables`). The title is the front matter's,
else the first level-1 heading, else a short first line, else the file name.

Text pasted from the web often has one paragraph per line and no blank lines between them;
Markdown would run those lines into one paragraph, so a paragraph whose lines are mostly
longer than 100 characters is split per line exactly as the plain-text loader does (including a
heading-like line becoming a heading), and a line the table rule swallowed although it has
no "|" is read as a paragraph again.

Pathological input (very deep nesting of quotes or lists, very wide tables) is detected
before parsing and read as plain text with a warning; so is nesting that reaches the
parser's limit (which skips the rest of the container), a RecursionError or any parser
failure. A Markdown file always loads, and no readable text is lost without a warning.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from postil.sources.builder import DocumentBuilder
from postil.sources.document import CELL_GAP, Document
from postil.sources.frontmatter import parse_front_matter
from postil.sources.normalise import clean
from postil.sources.pandoc_tables import pandoc_tables_plugin, simple_rows, table_rows
from postil.sources.plain import LONG_LINE, Unit, line_unit, load_text, mark_headings, title_from_name

MAX_NESTING = 32
"""More container markers than this at the start of a line is treated as pathological."""

PARSER_DEPTH = 2 * MAX_NESTING + 8
"""markdown-it's nesting limit: each list level costs two (list and item), plus room for a
paragraph and inline markup inside. The commonmark preset's 20 dropped the text of
quotes nested 20 deep and lists nested 10 deep without a word."""

_CONTAINER_PREFIX = re.compile(r"^[ \t>*+\-\d.)]{64,}", re.MULTILINE)
_DEEP_INDENT = re.compile(r"^[ \t]{256,}\S", re.MULTILINE)
_TAGS = re.compile(r"<[^>]*>")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def load_markdown(text: str, name: str, warnings: list[str] | None = None) -> Document:
    """Build a Document from decoded Markdown text.

    Args:
        text: decoded text; newlines are normalised here before parsing.
        name: file name, used for the title when there is no heading.
        warnings: decoding warnings to carry into the Document.
    """
    warnings = list(warnings or [])
    text = clean(text)
    problem = pathological(text)
    if problem is None:
        try:
            return _parse(text, name, warnings)
        except _TooDeep:
            problem = f"nested deeper than {PARSER_DEPTH} levels"
        except RecursionError:
            problem = "nesting too deep"
        except Exception as error:  # a parser bug must not make a file unloadable
            problem = f"parser failed ({type(error).__name__})"
    warnings.append(f"Markdown not parsed ({problem}): imported as plain text")
    return load_text(text, name, warnings)


def pathological(text: str) -> str | None:
    """Say why `text` would be too costly to parse as Markdown, or None when it is fine."""
    if _DEEP_INDENT.search(text):
        return "indentation deeper than 256 columns"
    for match in _CONTAINER_PREFIX.finditer(text):
        prefix = match.group()
        # str.count, not a regex per marker: prefixes can be megabytes long.
        markers = prefix.count(">") + sum(prefix.count(m + " ") for m in ("-", "*", "+", ".", ")"))
        if markers > MAX_NESTING:
            return f"more than {MAX_NESTING} nested quotes or lists"
    if text.count("|") > 256 and any(line.count("|") > 256 for line in text.split("\n")):
        return "a table row with more than 256 cells"
    return None


class _TooDeep(Exception):
    """The parser reached its nesting limit, where it skips the rest of the container."""


def _parser() -> MarkdownIt:
    """CommonMark with GFM tables, front matter, footnotes, definition lists and grid tables."""
    md = MarkdownIt("commonmark", {"maxNesting": PARSER_DEPTH}).enable("table")
    for plugin in (front_matter_plugin, footnote_plugin, deflist_plugin, pandoc_tables_plugin):
        md.use(plugin)
    return md


def _parse(text: str, name: str, warnings: list[str]) -> Document:
    md = _parser()
    tokens = md.parse(text)
    if any(token.nesting == 1 and token.level >= PARSER_DEPTH - 1 for token in tokens):
        # Whatever that container held is gone from the tokens: read it all as plain text.
        raise _TooDeep
    source_lines = text.split("\n")
    units: list[Unit] = []
    notes: list[Unit] = []  # footnotes, read after the body
    target = units  # where the next units go: the body, or `notes` inside a footnote
    metadata: dict = {}
    quote_depth = 0
    list_depth = 0
    ordered: list[list[int]] = []  # per open list: [next number] or [] when bulleted
    pending_marker: str | None = None  # set by list_item_open, used by its first paragraph
    pending_note: str | None = None  # "[1]" set by footnote_open, used by its first paragraph
    term: str | None = None  # the definition list term whose definitions are being read
    in_term = False
    row: list[str] | None = None
    row_links: list[str] = []
    row_lazy = False
    table_index = 0
    heading_level = 0
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "front_matter":
            metadata = _front_matter_metadata(token.content)
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None
            ordered.append([start] if start is not None else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            ordered.pop()
        elif kind == "list_item_open":
            counter = ordered[-1] if ordered else []
            if counter:
                pending_marker = f"{counter[0]}."
                counter[0] += 1
            else:
                pending_marker = "•"
        elif kind == "list_item_close":
            pending_marker = None
        elif kind == "footnote_open":
            target = notes
            pending_note = f"[{token.meta['id'] + 1}]"
        elif kind == "footnote_close":
            target, pending_note = units, None
        elif kind == "dt_open":
            in_term = True
        elif kind == "dt_close":
            in_term = False
        elif kind == "dl_close":
            term = None
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            heading_level = 0
        elif kind in ("table_open", "grid_table", "simple_table"):
            table_index += 1
            if kind != "table_open":
                rows = table_rows(token.content) if kind == "grid_table" else simple_rows(token.content)
                target.extend(_grid_units(md, rows, table_index))
        elif kind == "tr_open":
            row, row_links = [], []
            line = token.map[0] if token.map else None
            # The table rule swallows following lines that have no "|": they are prose.
            row_lazy = line is not None and line < len(source_lines) and "|" not in source_lines[line]
        elif kind == "tr_close" and row is not None:
            if row_lazy:
                target.extend(_paragraph_units([(" ".join(c for c in row if c), row_links)], 0, 0))
            else:
                meta = {"table": table_index, "links": row_links} if row_links else {"table": table_index}
                if tokens[index - 1].type == "th_close":
                    meta["header"] = True
                target.append(Unit("table_row", CELL_GAP.join(cell.strip() for cell in row), 0, meta))
            row = None
        elif kind == "inline":
            lines = _render_inline(token)
            if row is not None:
                cell = " ".join(text for text, _ in lines)
                row.append(cell if cell.strip() else "")
                row_links.extend(link for _, links in lines for link in links)
            elif heading_level:
                joined = " ".join(text for text, _ in lines)
                links = [link for _, links in lines for link in links]
                unit_kind = "quote" if quote_depth else "heading"
                level = quote_depth if quote_depth else heading_level
                target.append(Unit(unit_kind, joined, level, {"links": links} if links else {}))
            elif in_term:
                term = " ".join(text.strip() for text, _ in lines)
                links = [link for _, links in lines for link in links]
                target.append(Unit("paragraph", term, 0, {"links": links} if links else {}))
            elif term is not None and not list_depth and not quote_depth:
                # A definition: a bulleted item under its term, not the ":" that marked it.
                definition = " ".join(text.strip() for text, _ in lines)
                links = [link for _, links in lines for link in links]
                meta = {"term": term, "marker": "•", **({"links": links} if links else {})}
                target.append(Unit("list_item", f"• {definition}", 1, meta))
            else:
                new = _paragraph_units(lines, quote_depth, list_depth, pending_marker)
                pending_marker = None
                if pending_note and new:
                    new[0].text = f"{pending_note} {new[0].text}"
                    new[0].meta["footnote"] = int(pending_note[1:-1])
                    pending_note = None
                target.extend(new)
        elif kind in ("fence", "code_block"):
            target.append(Unit("code", _code_text(token.content), quote_depth, {"info": token.info.strip()} if token.info else {}))
        elif kind == "html_block":
            stripped = _TAGS.sub(" ", re.sub(r"<!--.*?-->", " ", token.content, flags=re.S))
            if stripped.strip():
                target.extend(_paragraph_units([(" ".join(stripped.split()), [])], quote_depth, 0))
    units.extend(notes)
    title = _choose_title(units, metadata, name)
    builder = DocumentBuilder()
    previous_table = None
    for unit in units:
        table = unit.meta.get("table") if unit.kind == "table_row" else None
        tight = table is not None and table == previous_table
        builder.add(unit.kind, unit.text, unit.level, unit.meta, tight=tight)
        previous_table = table
    document = builder.build(title, "markdown", warnings)
    document.metadata = metadata
    return document


def _front_matter_metadata(raw: str) -> dict:
    """{"front_matter": every key, "title", "author" (a list), "date"} from the front matter."""
    data = parse_front_matter(clean(raw))
    if not data:
        return {}
    metadata: dict = {"front_matter": data}
    title = data.get("title")
    if isinstance(title, list):
        title = " ".join(title)
    if title and title.strip():
        metadata["title"] = title.strip()
    author = data.get("author", data.get("authors"))
    if isinstance(author, str) and author.strip():
        author = [author.strip()]
    if author:
        metadata["author"] = author
    date = data.get("date")
    if isinstance(date, str) and date.strip():
        metadata["date"] = date.strip()
    return metadata


def _choose_title(units: list[Unit], metadata: dict, name: str) -> str:
    """Front matter's title, else the first level-1 heading, else a short first line, else the
    file name: a first heading `## Summary` names a section, not the document."""
    if metadata.get("title"):
        return metadata["title"]
    first_h1 = next((u.text for u in units if u.kind == "heading" and u.level == 1), None)
    if first_h1:
        return first_h1
    first = units[0] if units else None
    if first is not None and first.kind == "paragraph" and "\n" not in first.text and len(first.text) < 100:
        # A short first line before any heading is the title of pasted text.
        first.kind, first.level = "heading", 1
        return first.text
    return title_from_name(name)


def _grid_units(md: MarkdownIt, rows: list[tuple[list[str], bool]], table: int) -> list[Unit]:
    """A pandoc table's rows as table_row units, each cell's inline markup read like a paragraph's."""
    units = []
    for cells, header in rows:
        texts, links = [], []
        for cell in cells:
            rendered = [line for token in md.parseInline(cell) for line in _render_inline(token)]
            texts.append(" ".join(text for text, _ in rendered).strip())
            links.extend(link for _, found in rendered for link in found)
        meta: dict = {"table": table}
        if links:
            meta["links"] = links
        if header:
            meta["header"] = True
        units.append(Unit("table_row", CELL_GAP.join(texts), 0, meta))
    return units


def _paragraph_units(
    lines: list[tuple[str, list[str]]], quote_depth: int, list_depth: int, marker: str | None = None
) -> list[Unit]:
    """Units for one Markdown paragraph given its rendered source lines."""
    texts = [text.strip() for text, _ in lines]
    # Most lines long: pasted web text. One long line among hard-wrapped ones is an author
    # who let a line run on, and must not break the paragraph apart.
    if len(texts) > 1 and sum(len(text) > LONG_LINE for text in texts) * 2 >= len(texts):
        # One paragraph per line (pasted web text): every line is a block of its own.
        pieces = [(line_unit(text), [source]) for text, source in zip(texts, lines) if text]
        mark_headings([unit for unit, _ in pieces])
    else:
        pieces = [(Unit("paragraph", " ".join(t for t in texts if t)), lines)]
    units: list[Unit] = []
    for position, (unit, source) in enumerate(pieces):
        links = [link for _, ls in source for link in ls]
        meta = dict(unit.meta)
        if links:
            meta["links"] = links
        if position == 0 and marker is not None:
            units.append(Unit("list_item", f"{marker} {unit.text}", list_depth, {**meta, "marker": marker}))
        elif quote_depth:
            units.append(Unit("quote", unit.text, quote_depth, meta))
        elif unit.kind == "heading":
            units.append(Unit("heading", unit.text, unit.level, meta))
        elif unit.kind == "list_item":
            units.append(Unit("list_item", unit.text, max(list_depth, 1), meta))
        else:
            units.append(Unit("paragraph", unit.text, 0, meta))
    return units


def _render_inline(token) -> list[tuple[str, list[str]]]:
    """Reading text of an inline token, one entry per source line, with link targets."""
    lines: list[tuple[list[str], list[str]]] = [([], [])]
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            lines[-1][0].append(child.content)
        elif kind == "softbreak":
            lines.append(([], []))
        elif kind == "hardbreak":
            lines[-1][0].append("\n")
        elif kind == "link_open":
            href = child.attrGet("href")
            if href:
                lines[-1][1].append(str(href))
        elif kind == "footnote_ref":
            lines[-1][0].append(f"[{child.meta['id'] + 1}]")
        elif kind == "image":
            lines[-1][0].append(child.content)
        elif kind == "html_inline" and child.content.lower().startswith("<br"):
            lines[-1][0].append("\n")
    return [("".join(parts), links) for parts, links in lines]


def _code_text(code: str) -> str:
    """A code block's text exactly as written: every line's indentation and tabs kept (only
    blank lines before and after, and the final newline, go)."""
    return _LEADING_BLANK_LINES.sub("", code).rstrip()
