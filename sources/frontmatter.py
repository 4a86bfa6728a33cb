"""The YAML front matter of a Markdown file, read as the simple data it nearly always is.

Pandoc, Jekyll, Hugo and Quarto files open with `---`, lines of `key: value`, and `---`.
What postil needs from them is plain: a title, authors, a date, maybe keywords. This reads
that subset of YAML without a YAML library (so no tags, anchors, aliases or object
construction, nothing a hostile file could make expensive or dangerous):

- `key: value` with the value plain, 'single-' or "double-quoted";
- `key: [a, b, "c"]` flow lists of scalars;
- `key:` followed by `- item` lines (block lists of scalars, or of `name: ...` maps, whose
  `name` is kept: pandoc's `author: [{name: ..., affiliation: ...}]`);
- `key: |` / `key: >` block scalars (literal lines, or folded into one line);
- `#` comments and blank lines.

Anything else (nested maps, multi-line plain scalars) is skipped key by key, never fatal.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^([A-Za-z_][\w\- ]*?)\s*:(?:\s+(.*))?$")
_ITEM = re.compile(r"^\s*-\s+(.*)$")
_MAX_LINES = 2000
"""Front matter longer than this is not bibliographic data: only its first lines are read."""


def parse_front_matter(raw: str) -> dict:
    """The keys of a front matter block (the text between the `---` lines).

    Returns:
        key -> str, or list of str; {} when nothing in it is `key: value` data.
    """
    lines = raw.split("\n")[:_MAX_LINES]
    data: dict = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.lstrip().startswith("#") or line[:1].isspace():
            continue
        match = _KEY.match(line.rstrip())
        if not match:
            continue
        key, value = match.group(1).strip(), _strip_comment(match.group(2) or "")
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            body, index = _indented(lines, index)
            data[key] = "\n".join(body) if value[0] == "|" else " ".join(body)
        elif value.startswith("["):
            data[key] = _flow_list(value)
        elif value:
            data[key] = _scalar(value)
        else:
            body, index = _indented(lines, index, items_too=True)
            items = [_item(m.group(1)) for m in map(_ITEM.match, body) if m]
            if items:
                data[key] = [item for item in items if item]
    return data


def _indented(lines: list[str], index: int, items_too: bool = False) -> tuple[list[str], int]:
    """The lines under a key (indented, or `- ` items at column 0), and where they end."""
    body: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line.strip() and not line[:1].isspace() and not (items_too and line.startswith("- ")):
            break
        body.append(line.strip())
        index += 1
    while body and not body[-1]:
        body.pop()
    return body, index


def _item(text: str) -> str:
    """A list item's text: a scalar, or the `name:` of a small map (pandoc authors)."""
    text = _strip_comment(text)
    match = _KEY.match(text)
    if match and not text.startswith(("'", '"')):
        return _scalar(_strip_comment(match.group(2) or "")) if match.group(1).strip() == "name" else ""
    return _scalar(text)


def _flow_list(value: str) -> list[str]:
    inner = value.strip()[1:]
    inner = inner[:-1] if inner.endswith("]") else inner
    return [item for item in (_scalar(part.strip()) for part in _split_commas(inner)) if item]


def _split_commas(text: str) -> list[str]:
    parts, current, quote = [], [], ""
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif ch == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _unescape_double(value[1:-1])
    return value


def _unescape_double(value: str) -> str:
    escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "/": "/"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), value)


def _strip_comment(value: str) -> str:
    """`value  # note` -> `value`; a `#` inside quotes or without a space before it stays."""
    value = value.strip()
    if value[:1] in "'\"":
        return value
    cut = value.find(" #")
    return value[:cut].rstrip() if cut >= 0 else value
