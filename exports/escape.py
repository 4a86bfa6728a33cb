"""Escaping untrusted text for the Markdown brief.

Quotes and titles come from sources nobody vetted; notes are the reviewer's own Markdown.
Three jobs, one rule: nothing the text says can change the brief's outline.

- `quote_block(text)`: a quote as block-quote lines that parse back (markdown-it, CommonMark)
  to exactly the quote: every character that could start Markdown or HTML syntax is
  backslash-escaped, leading/trailing whitespace of each line becomes a numeric character
  reference (so it is neither trimmed nor an indented code block), single newlines stay
  soft breaks and blank lines paragraph breaks inside the same block quote.
- `inline(text)`: one line of literal text (titles, headings, table cells, link texts).
- `confine_note(note, indent)`: the reviewer's Markdown kept as Markdown, indented into the
  highlight's list item, with headings, setext underlines, thematic breaks (so front matter),
  table pipes and raw HTML neutralised outside code.

Control, bidi and zero-width characters are first made visible with `for_display` (one
visible character each): a brief is a file people `cat` in a terminal, and markdown-it cannot
round-trip most C0/C1 characters anyway (it turns NUL into U+FFFD and CR into a newline).
"""

from __future__ import annotations

import re
from functools import lru_cache

from sources.sanitise import for_display

# Always escaped: emphasis, code, links/images, autolinks/HTML, entities, tables,
# strikethrough, headings, block quotes, and Obsidian's %%comments%%, ==marks==, $math$, ^ids.
_ALWAYS = set("\\`*_[]<>|&~$%=#^")
# Only at the start of a line: list markers, thematic breaks and setext underlines.
_LINE_START = set("-+")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _entity(char: str) -> str:
    return f"&#{ord(char)};"


_ESCAPES = str.maketrans({c: "\\" + c for c in _ALWAYS})
_SPECIAL = re.compile(r"[\\`*_\[\]<>|&~$%=#^]|^[-+0-9\s]|\s$")


def escape_line(line: str) -> str:
    """One line of untrusted text (no newlines) as literal Markdown inline content."""
    if not _SPECIAL.search(line):
        return line  # the common case: plain words, nothing to escape
    body = line.lstrip()
    lead = line[: len(line) - len(body)]
    core = body.rstrip()
    trail = body[len(core) :]
    if core:
        core = core.translate(_ESCAPES)
        if core[0] in _LINE_START:
            core = "\\" + core
        else:
            ordered = _ORDERED.match(core)
            if ordered:
                core = ordered.group(1) + "\\" + core[ordered.end(1) :]
    return "".join(map(_entity, lead)) + core + "".join(map(_entity, trail))


@lru_cache(maxsize=4096)  # titles, tags, authors and headings repeat on every highlight
def inline(text: str) -> str:
    """Untrusted text as a single line of literal inline Markdown (newlines become spaces)."""
    return escape_line(for_display(text).replace("\n", " "))


def quote_block(text: str, prefix: str = "> ") -> list[str]:
    """A quote as block-quote lines (each starting with `prefix`) that parse back exactly.

    Newlines: one is a soft break, two a paragraph break (a bare `>` line), and each further
    one, like newlines at the very start or end, is carried as `&#10;`, so nothing is lost.
    Parsed back, the block quote's paragraphs joined by blank lines give the quote.
    """
    text = for_display(text)
    bare = prefix.rstrip()
    # Runs of newlines alternate with non-empty chunks: ["", "\n\n", "a", "\n", "b", ...].
    parts = re.split(r"(\n+)", text)
    lines: list[str] = []
    pending = ""
    current = ""
    for index, part in enumerate(parts):
        if not part:
            continue
        if part[0] != "\n":
            current += pending + escape_line(part)
            pending = ""
            continue
        if not current and not lines:  # newlines before any text
            pending += "&#10;" * len(part)
        elif index == len(parts) - 1 or (index == len(parts) - 2 and not parts[-1]):
            current += "&#10;" * len(part)  # newlines after all text
        elif len(part) == 1:
            lines.append(prefix + current)
            current = ""
        else:
            lines.extend([prefix + current, bare])
            current, pending = "", "&#10;" * (len(part) - 2)
    current += pending
    lines.append(prefix + current if current else bare)
    return lines


_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CONTAINER = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?)*[ \t]*")
_ATX = re.compile(r"(?<!\\)(#{1,6})(?=[ \t]|$)")
_UNDERLINE = re.compile(r"^(?:=+|-+|(?:[-*_][ \t]*){3,})[ \t]*$")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)")


def _neutralise(segment: str) -> str:
    """Escape `#` heading runs, table pipes and raw HTML in text that is not code."""
    segment = _ATX.sub(lambda m: "\\" + m.group(1), segment)
    return segment.replace("|", "\\|").replace("<", "\\<")


def _outside_code(line: str) -> str:
    out, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        out.append(_neutralise(line[last : span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(_neutralise(line[last:]))
    return "".join(out)


def confine_note(note: str, indent: str = "  ") -> list[str]:
    """The reviewer's note as Markdown lines indented by `indent` (inside a list item).

    Kept as Markdown (emphasis, lists, links, code), but it can never add a heading, front
    matter, a thematic break or a table to the brief, and raw HTML in it is shown as text.
    Code spans and fenced code are left exactly as written.
    """
    out: list[str] = []
    fence: str | None = None
    for line in for_display(note).split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(indent + line if line.strip() else "")
            continue
        if opening:
            fence = opening.group(1)
            out.append(indent + line)
            continue
        container = _CONTAINER.match(line).group(0)
        rest = line[len(container) :]
        if _UNDERLINE.match(rest):
            rest = "\\" + rest
        line = container + _outside_code(rest)
        out.append(indent + line if line.strip() else "")
    while out and not out[-1]:
        out.pop()
    return out
