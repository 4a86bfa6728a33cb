"""The search query language: tokenizer and parser turning a query string into an AST.

No SQL here: `store.search` compiles the AST. The language, as a user types it:

    durability relapse          free words, all must match quote or note (stemmed, prefix)
    "exact phrase"              the words in this order
    tag:caveat  tag:a,b         has the tag (either of a list)
    -tag:anecdote  -word        negation of any term, phrase or group: -(a OR b)
    source:amygdala source:3    source id, or words of its title / origin file name
    author:NAME  has:note|link|tag|memo  rel:contradicts  status:fuzzy,orphaned
    before:2026-12-01  after:2026-11-01T12:00   (created_at, both strict)
    quote:word  note:"a phrase" free text in one column only
    id:PREFIX                   highlight id or id prefix (warnings use this)
    memo:WORDS                  the highlight's source has a memo with these words
    a OR b, (a OR b) c, AND     OR binds looser than the implicit AND; `AND`/`NOT` also work

Field values are bare runs (no spaces, commas, quotes or parentheses) or "quoted", with a
doubled "" standing for a literal quote; `quote_value` writes them so a program can build
queries from arbitrary tag names or titles.

Every malformed query raises `QueryError`, which carries the 0-based `position` in the text
and whose message names the column (1-based) so a user can find it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from postil.store.errors import StoreError

FIELDS = (
    "tag", "source", "author", "has", "rel", "before", "after", "status", "quote", "note", "id", "memo",
)
"""Known field names, in the order an error message lists them."""

HAS_VALUES = ("note", "link", "tag", "memo")
"""`memo`: the highlight's source has a memo (issue 20)."""
STATUS_VALUES = ("anchored", "moved", "fuzzy", "orphaned")


class QueryError(StoreError):
    """A query that cannot be parsed or run; says where.

    Attributes:
        message: what is wrong, without the location.
        position: 0-based offset into the query text (column = position + 1).
        detail: extra help shown after the location (e.g. the known names).
    """

    def __init__(self, message: str, position: int = 0, detail: str = "") -> None:
        self.message = message
        self.position = position
        self.detail = detail
        text = f"{message} at column {position + 1}"
        if detail:
            text += f"; {detail}"
        super().__init__(text)


# --- AST --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """Base of all AST nodes."""


@dataclass(frozen=True)
class Term(Node):
    """`field:value[,value...]`, possibly negated. Dates are normalised to stored form."""

    field: str
    values: tuple[str, ...]
    negated: bool = False
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Words(Node):
    """One free word, matched (stemmed, and as a prefix when 3+ characters) in FTS.

    `column` is None for quote and note, or "quote"/"note" when written as `quote:word`.
    """

    text: str
    column: str | None = None
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Phrase(Node):
    """A quoted phrase: its words consecutive and in order (FTS5 phrase)."""

    text: str
    column: str | None = None
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And(Node):
    """All children match. `And(())` matches every highlight (the empty query)."""

    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Or(Node):
    """Any child matches."""

    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Not(Node):
    """The child does not match (`-word`, `-"phrase"`, `-(group)`, `NOT x`)."""

    child: Node


# --- helpers shared with search ---------------------------------------------------------


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


def normalise_date(text: str, field_name: str, position: int) -> str:
    """Turn YYYY-MM-DD or an ISO 8601 time into the stored UTC form for comparison.

    A bare date stays a date ("2026-12-01"); `search` gives it whole-day meaning.
    """
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            raise QueryError(f"{field_name}: {text!r} is not a real date", position) from None
        return text
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise QueryError(
            f"{field_name}: expects a date like 2026-12-01 or 2026-12-01T09:30, not {text!r}",
            position,
        ) from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    stamp = stamp.astimezone(timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def next_day(date: str) -> str:
    """The day after a YYYY-MM-DD date (for `after:` on a whole day)."""
    return (datetime.strptime(date, "%Y-%m-%d") + timedelta(days=1)).strftime("%Y-%m-%d")


# --- tokenizer --------------------------------------------------------------------------


@dataclass
class _Token:
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


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or ch == ",":
            i += 1  # a stray comma between words is just a separator
            continue
        if ch in "()":
            tokens.append(_Token(ch, i))
            i += 1
            continue
        start = i
        negated = False
        # `-` negates what follows it directly; `- x` or `--` are words (dropped later).
        if ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "-,)":
            negated = True
            i += 1
            if text[i] == "(":
                tokens.append(_Token("NOT", start))
                continue
        if text[i] == '"':
            value, i = _read_quoted(text, i)
            tokens.append(_Token("phrase", start, value, negated))
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
            tokens.append(_Token("term", start, negated=negated, field=name, values=tuple(values)))
            continue
        end = _read_bare(text, i)
        if end == i:  # e.g. `-"` handled above; anything else is a stray character
            end = i + 1
        word = text[i:end]
        i = end
        if not negated and word in ("OR", "AND", "NOT"):
            tokens.append(_Token(word, start))
        else:
            tokens.append(_Token("word", start, word, negated))
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


# --- parser -----------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        node = self.or_expr()
        token = self.peek()
        if token is not None:  # only a stray ")" can stop or_expr early
            raise QueryError("unmatched ')'", token.position, "remove it or add a '(' before it")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.i += 1
            if parts[-1] is None:
                raise QueryError("OR needs a term before it", token.position)
            right = self.and_expr()
            if right is None:
                raise QueryError("OR needs a term after it", token.position)
            parts.append(right)
        if parts[0] is None:
            return And(())
        if len(parts) == 1:
            return parts[0]
        return Or(tuple(parts))

    def and_expr(self) -> Node | None:
        """Terms up to OR, ')' or the end; None when there are none at all."""
        children: list[Node] = []
        seen = False
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.i += 1
                if not seen or self._at_end_of_group():
                    raise QueryError("AND needs a term on both sides", token.position)
                continue
            seen = True
            node = self.unary()
            if node is not None:
                children.append(node)
        if not seen:
            return None
        if len(children) == 1:
            return children[0]
        return And(tuple(children))

    def _at_end_of_group(self) -> bool:
        token = self.peek()
        return token is None or token.kind in ("OR", ")", "AND")

    def unary(self) -> Node | None:
        token = self.peek()
        assert token is not None
        if token.kind == "NOT":
            self.i += 1
            if self._at_end_of_group():
                raise QueryError("nothing to negate after NOT or '-'", token.position)
            child = self.unary()
            if child is None:
                return None
            if isinstance(child, Term):
                return Term(child.field, child.values, not child.negated, child.position)
            if isinstance(child, Not):
                return child.child
            return Not(child)
        if token.kind == "(":
            self.i += 1
            inner = self.or_expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("unclosed parenthesis", token.position, "add a ')'")
            self.i += 1
            if inner == And(()) and self.tokens[self.i - 2] is token:
                raise QueryError("empty parentheses", token.position)
            return inner
        self.i += 1
        return _leaf(token)


def _leaf(token: _Token) -> Node | None:
    if token.kind == "term":
        return _term(token)
    text = token.text.replace("\x00", " ")
    if token.kind == "word":
        text = text.rstrip("*")  # word* is accepted; every long word is a prefix anyway
        node: Node = Words(text, None, token.position)
    else:
        node = Phrase(text, None, token.position)
    if not has_token_chars(text):
        return None  # punctuation only: FTS would find nothing to match
    return Not(node) if token.negated else node


def _term(token: _Token) -> Node | None:
    name, values, pos = token.field, token.values, token.position
    if name in ("quote", "note"):
        parts: list[Node] = []
        for value in values:
            value = value.replace("\x00", " ")
            if not has_token_chars(value):
                continue
            if any(ch.isspace() for ch in value):
                parts.append(Phrase(value, name, pos))
            else:
                parts.append(Words(value.rstrip("*"), name, pos))
        if not parts:
            return None
        node: Node = parts[0] if len(parts) == 1 else Or(tuple(parts))
        return Not(node) if token.negated else node
    if name == "has":
        values = tuple(v.lower() for v in values)
        for value in values:
            if value not in HAS_VALUES:
                raise QueryError(f"has:{value} is not known", pos, "known: " + ", ".join(HAS_VALUES))
    elif name == "status":
        values = tuple(v.lower() for v in values)
        for value in values:
            if value not in STATUS_VALUES:
                raise QueryError(
                    f"status:{value} is not known", pos, "known: " + ", ".join(STATUS_VALUES)
                )
    elif name in ("before", "after"):
        if len(values) != 1:
            raise QueryError(f"{name}: takes one date", pos)
        values = (normalise_date(values[0], name, pos),)
    return Term(name, tuple(values), token.negated, pos)


def parse(text: str) -> Node:
    """Parse a query string into an AST.

    Args:
        text: what the user typed; empty or blank means every highlight.

    Returns:
        The root node; `And(())` for an empty query.

    Raises:
        QueryError: the query is malformed (message says where and why).
    """
    if not isinstance(text, str):
        raise QueryError("a query must be text", 0)
    return _Parser(text, _tokenize(text)).parse()


def walk(node: Node):
    """Every node of the tree, depth first (parents before children)."""
    yield node
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)
