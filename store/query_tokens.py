"""Reading a query's text into tokens, and which characters FTS5 keeps in a word.

Field values are bare runs (no spaces, commas, quotes or parentheses) or "quoted", with a
doubled "" standing for a literal quote; `quote_value` writes them so a program can build
queries from arbitrary tag names or titles.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from postil.store.query_ast import FIELDS, QueryError


def is_token_char(ch: str) -> bool:
    """Whether FTS5's unicode61 tokenizer keeps `ch` in a token (categories L*, N*, Co)."""
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def has_token_chars(text: str) -> bool:
    """Whether FTS5's unicode61 tokenizer would find any token in `text`.

    Everything outside letters, numbers and private-use characters separates tokens, so a
    word made only of such characters (`*`, `--`, `^`, an emoji) can match nothing; the parser
    drops it rather than letting it empty every result.
    """
    return any(is_token_char(ch) for ch in text)


def quote_value(value: str) -> str:
    """Write `value` so that the parser reads it back as exactly one field value."""
    if value and re.fullmatch(r'[^\s,()"]+', value) and not value.startswith("-"):
        return value
    return '"' + value.replace('"', '""') + '"'


@dataclass
class Token:
    """One piece of a search query as typed: a bracket, an operator, a word, a phrase or a field term."""

    kind: str  # "(", ")", "OR", "AND", "NOT", "word", "phrase", "term"
    position: int
    text: str = ""
    negated: bool = False
    field: str = ""
    values: tuple[str, ...] = ()


_STOP = set(' \t\r\n\f\v(),"')
_FIELD = re.compile(r"([A-Za-z]+):")


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """Read a "..." string starting at `start` (the quote); "" inside is a literal quote."""
    out = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            if i + 1 < len(text) and text[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise QueryError("unclosed quote", start, 'close it with " (write "" for a literal quote)')


def _read_bare(text: str, i: int) -> int:
    while i < len(text) and text[i] not in _STOP and not text[i].isspace():
        i += 1
    return i


def tokenize(text: str) -> list[Token]:
    """The tokens of a query, left to right (raises QueryError on an unknown field, a missing
    value or an unclosed quote)."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or ch == ",":
            i += 1  # a stray comma between words is just a separator
            continue
        if ch in "()":
            tokens.append(Token(ch, i))
            i += 1
            continue
        start = i
        negated = False
        # `-` negates what follows it directly; `- x` or `--` are words (dropped later).
        if ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "-,)":
            negated = True
            i += 1
            if text[i] == "(":
                tokens.append(Token("NOT", start))
                continue
        if text[i] == '"':
            value, i = _read_quoted(text, i)
            tokens.append(Token("phrase", start, value, negated))
            continue
        match = _FIELD.match(text, i)
        if match:
            name = match.group(1).lower()
            if name not in FIELDS:
                raise QueryError(
                    f"unknown field '{match.group(1)}:'", i, "known: " + ", ".join(FIELDS)
                )
            i = match.end()
            values: list[str] = []
            while True:
                if i < n and text[i] == '"':
                    value, i = _read_quoted(text, i)
                else:
                    end = _read_bare(text, i)
                    value = text[i:end]
                    i = end
                if value:
                    values.append(value)
                if i < n and text[i] == ",":
                    i += 1
                    continue
                break
            if not values:
                raise QueryError(f"{name}: needs a value", start, _example(name))
            tokens.append(Token("term", start, negated=negated, field=name, values=tuple(values)))
            continue
        end = _read_bare(text, i)
        if end == i:  # e.g. `-"` handled above; anything else is a stray character
            end = i + 1
        word = text[i:end]
        i = end
        if not negated and word in ("OR", "AND", "NOT"):
            tokens.append(Token(word, start))
        else:
            tokens.append(Token("word", start, word, negated))
    return tokens


def _example(name: str) -> str:
    examples = {
        "tag": "e.g. tag:caveat or tag:caveat,outcome",
        "source": "e.g. source:3 or source:amygdala",
        "author": "e.g. author:ana",
        "has": "e.g. has:note, has:link, has:tag or has:memo",
        "rel": "e.g. rel:contradicts",
        "before": "e.g. before:2026-12-01",
        "after": "e.g. after:2026-11-01",
        "status": "e.g. status:fuzzy,orphaned",
        "quote": "e.g. quote:relapse",
        "note": "e.g. note:\"follow up\"",
        "id": "e.g. id:3f2a",
        "memo": "e.g. memo:rct or memo:\"open label\"",
    }
    return examples.get(name, "")
