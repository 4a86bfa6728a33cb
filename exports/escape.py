"""Escaping untrusted text for the Markdown brief.

Quotes and titles come from sources nobody vetted; notes are the reviewer's own Markdown.
Three jobs, one rule: nothing the text says can change the brief's outline.

- `quote_block(text)`: a quote as block-quote lines that parse back (markdown-it, CommonMark)
  to exactly the quote: every character that could start Markdown or HTML syntax is
  backslash-escaped, leading/trailing whitespace of each line becomes a numeric character
  reference (so it is neither trimmed nor an indented code block), single newlines stay
  soft breaks and blank lines paragraph breaks inside the same block quote.
- `inline(text)`: one line of literal text (titles, headings, table cells, link texts).
- `yaml_value(value)`: a front-matter value that YAML reads back exactly and that a renderer
  showing front matter as text cannot read as markup.
- `confine_note(note, indent)`: the reviewer's Markdown kept as Markdown, indented into the
  highlight's list item, with headings, setext underlines, thematic breaks (so front matter),
  table pipes and raw HTML neutralised outside code.

Control, bidi and zero-width characters are first made visible with `for_display` (one
visible character each): a brief is a file people `cat` in a terminal, and markdown-it cannot
round-trip most C0/C1 characters anyway (it turns NUL into U+FFFD and CR into a newline).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from postil.sources.sanitise import for_display

# Escaped wherever they appear: backslash, code, emphasis, link/image brackets, table pipes.
_ALWAYS = re.compile(
    r"[\\`*_\[\]|]"
    # raw HTML, comments and autolinks need a letter, /, ! or ? right after the `<`
    r"|<(?=[A-Za-z/!?])"
    # only an `&` that would read as an entity (`&amp;`, `&#10;`): "R & D" stays as it is
    r"|&(?=#?[A-Za-z0-9]+;)"
    # headings at the start of a line, Obsidian #tags and ^block-ids after a space: not "C#"
    r"|(?<!\w)[#^]"
)
# Syntax that needs two of them in the same text (~strike~ on GitHub, $math$ in Obsidian), or
# two side by side (%%comment%%, ==mark==): "~20 patients", "64% vs 30%", "n = 20" stay as they are.
_PAIRED = "~$"
_DOUBLED = "%="
# At the start of a line: block quotes, setext underlines, and list markers / thematic
# breaks when followed by a space or made only of dashes ("-5 mg" stays as it is).
_LEAD_ALWAYS = set(">=")
_LEAD_MARKER = re.compile(r"^[-+](?=\s|$)|^-+$|^(?:-[ \t]*){3,}$")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
# A quick test for lines that may need any of the above (most lines of prose do not): a
# character that is escaped wherever it appears, or a line starting with a possible block
# marker or with/ending in whitespace (checked in Python: an anchored alternative in one
# regex is retried at every position, four times slower on a line of prose).
_MAYBE = re.compile(r"[\\`*_\[\]|<&#^]")
_LEAD_SYNTAX = frozenset("-+0123456789>=")
_ANY_PAIRED = re.compile("[" + re.escape(_PAIRED + _DOUBLED) + "]")
_NEWLINES = re.compile(r"(\n+)")


def _entity(char: str) -> str:
    return f"&#{ord(char)};"


def paired(text: str) -> str:
    """The paired-syntax characters that `text` holds enough of to form that syntax."""
    if not _ANY_PAIRED.search(text):
        return ""
    return "".join([c for c in _PAIRED if c in text and text.count(c) > 1] + [c for c in _DOUBLED if c + c in text])


def _escape_char(match: re.Match) -> str:
    return "\\" + match.group(0)


def escape_line(line: str, pairs: str | None = None) -> str:
    """One line of untrusted text (no newlines) as literal Markdown inline content.

    `pairs`: the paired-syntax characters to escape, when the line is part of a longer text
    (a quote's lines share one paragraph, so a `~` on one line pairs with one on the next).
    """
    if pairs is None:
        pairs = paired(line)
    if not pairs and _plain(line):
        return line  # the common case: plain words, nothing to escape
    body = line.lstrip()
    lead = line[: len(line) - len(body)]
    core = body.rstrip()
    trail = body[len(core) :]
    if core:
        core = _ALWAYS.sub(_escape_char, core)
        for char in pairs:
            core = core.replace(char, "\\" + char)
        if core[0] in _LEAD_ALWAYS or _LEAD_MARKER.match(core):
            core = "\\" + core
        else:
            ordered = _ORDERED.match(core)
            if ordered:
                core = ordered.group(1) + "\\" + core[ordered.end(1) :]
    if not lead and not trail:
        return core
    return "".join(map(_entity, lead)) + core + "".join(map(_entity, trail))


def _plain(line: str) -> bool:
    """True when `escape_line` has nothing to do with `line` (pairs aside)."""
    if not line:
        return True
    first = line[0]
    return not (
        first in _LEAD_SYNTAX or first.isspace() or line[-1].isspace() or _MAYBE.search(line)
    )


@lru_cache(maxsize=4096)  # titles, tags, authors and headings repeat on every highlight
def inline(text: str) -> str:
    """Untrusted text as a single line of literal inline Markdown (newlines become spaces)."""
    text = for_display(text).replace("\n", " ")
    # Inline pieces end up side by side in one paragraph (title, heading, author in a
    # citation), where GitHub's single-tilde ~strike~ or Obsidian's $math$ could pair across
    # pieces: so these two are escaped even when a piece holds only one.
    pairs = set(paired(text)) | {c for c in "~$" if c in text}
    return escape_line(text, "".join(sorted(pairs)))


def quote_block(text: str, prefix: str = "> ") -> list[str]:
    """A quote as block-quote lines (each starting with `prefix`) that parse back exactly.

    Newlines: one is a soft break, two a paragraph break (a bare `>` line), and each further
    one, like newlines at the very start or end, is carried as `&#10;`, so nothing is lost.
    Parsed back, the block quote's paragraphs joined by blank lines give the quote.
    """
    text = for_display(text)
    pairs = paired(text)
    bare = prefix.rstrip()
    if "\n" not in text:  # one line: what the loop below would make of it, without the split
        line = escape_line(text, pairs)
        return [prefix + line if line else bare]
    # Runs of newlines alternate with non-empty chunks: ["", "\n\n", "a", "\n", "b", ...].
    parts = _NEWLINES.split(text)
    lines: list[str] = []
    pending = ""
    current = ""
    for index, part in enumerate(parts):
        if not part:
            continue
        if part[0] != "\n":
            current += pending + escape_line(part, pairs)
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


# A note line that the loop in `confine_note` leaves as it is: no fence, code span, `#`,
# pipe or `<` anywhere (so no fence opens and `_outside_code` changes nothing), and a first
# character that is not a space or a block marker, so it is not blank and cannot be an
# underline (which is made only of =-*_ after container marks, themselves >-+*, digits . ) and spaces).
_NOTE_SYNTAX = re.compile(r"[`~#|<]")
_NOTE_SYNTAX_OR_IMAGE = re.compile(r"[`~#|<]|!\[")
# `![` not escaped, unless it is an inline image whose destination is a relative path
# (no scheme such as https: or data:, no `//` host, no backslash).
_OUTSIDE_IMAGE = re.compile(
    r"(?<!\\)!(?=\[)(?!\[[^\]\n]*\]\(\s*<?(?![A-Za-z][A-Za-z0-9+.\-]*:|//|\\)[^\s)>])"
)
_PROSE_LINE = re.compile(r"[^\s=\-*_>+\d.)]")


def _neutralise(segment: str, keep_images: bool = True) -> str:
    """Escape `#` heading runs, table pipes and raw HTML in text that is not code; unless
    `keep_images`, drop the `!` of images that are not relative paths (they become links)."""
    segment = _ATX.sub(lambda m: "\\" + m.group(1), segment)
    if not keep_images:
        segment = _OUTSIDE_IMAGE.sub("", segment)
    return segment.replace("|", "\\|").replace("<", "\\<")


def _outside_code(line: str, keep_images: bool = True) -> str:
    out, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        out.append(_neutralise(line[last : span.start()], keep_images))
        out.append(span.group(0))
        last = span.end()
    out.append(_neutralise(line[last:], keep_images))
    return "".join(out)


def confine_note(note: str, indent: str = "  ", keep_images: bool = False) -> list[str]:
    """The reviewer's note as Markdown lines indented by `indent` (inside a list item).

    Kept as Markdown (emphasis, lists, links, code), but it can never add a heading, front
    matter, a thematic break or a table to the brief, and raw HTML in it is shown as text.
    Code spans and fenced code are left exactly as written. Unless `keep_images`, an image
    that is not a relative path (a remote one, or a reference whose target is elsewhere)
    becomes a plain link: an image fetched when the brief is opened tells its server who
    read it and when, and notes may come from another reviewer's file.
    """
    out: list[str] = []
    fence: str | None = None
    syntax = _NOTE_SYNTAX if keep_images else _NOTE_SYNTAX_OR_IMAGE
    for line in for_display(note).split("\n"):
        if fence is None and _PROSE_LINE.match(line) and not syntax.search(line):
            out.append(indent + line)  # plain prose: nothing below would change it
            continue
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
        line = container + _outside_code(rest, keep_images)
        out.append(indent + line if line.strip() else "")
    while out and not out[-1]:
        out.pop()
    return out


# --- YAML front matter ------------------------------------------------------------------

# ASCII punctuation a Markdown, HTML or Obsidian renderer could read as syntax when it shows
# the front matter as text (no front-matter plugin): written as \x escapes, which every
# YAML reader turns back into the character.
_YAML_MARKUP = frozenset("\\\"`*_[](){}<>&!~|#=%$^")


def yaml_value(value) -> str:
    """A YAML flow value on one line: strings double-quoted, lists and mappings in flow style.

    A YAML reader gets back exactly `value` (characters outside the BMP as one \\U escape,
    not a surrogate pair, which YAML readers do not join); a Markdown renderer that shows the
    front matter as text sees no syntax, only text and escapes: no HTML, links, images,
    emphasis or code, and no control, bidi or zero-width character reaches a terminal.
    """
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_value(str(k))}: {yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    # "://" is escaped too: GitHub and Obsidian turn a bare URL into a link.
    return '"' + "".join(map(_yaml_char, str(value))).replace("://", "\\x3a//") + '"'


@lru_cache(maxsize=4096)
def _yaml_char(char: str) -> str:
    code = ord(char)
    if char in _YAML_MARKUP:
        return f"\\x{code:02x}"
    if char == " " or (char.isprintable() and not char.isspace() and unicodedata.category(char) != "Cf"):
        return char
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
