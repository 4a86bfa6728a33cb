"""The search query language: the parser turning a query string into an AST.

No SQL here: `store.search_compile` compiles the AST. This module is the one to import: it
holds the parser and re-exports the AST (`store.query_ast`) and the token helpers
(`store.query_tokens`). The language, as a user types it:

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

Field values are bare runs or "quoted" (see `store.query_tokens`).

Every malformed query raises `QueryError`, which carries the 0-based `position` in the text
and whose message names the column (1-based) so a user can find it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from postil.store.query_ast import (
    FIELDS,
    HAS_VALUES,
    MAX_DEPTH,
    STATUS_VALUES,
    And,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    Words,
    walk,
)
from postil.store.query_tokens import Token, has_token_chars, is_token_char, quote_value, tokenize


@dataclass(frozen=True)
class _Dropped(Node):
    """A term with nothing FTS could match (`😀`, `*`, `'`): left out of the group holding it.

    Never in a parsed tree: a query made only of such terms is an error, not the empty
    query (which would match, and export, every highlight).
    """

    position: int = 0


# --- dates ------------------------------------------------------------------------------


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


# --- parser -----------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> Token | None:
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
        kept = [part for part in parts if not isinstance(part, _Dropped)]
        if not kept:
            return parts[0]
        if len(kept) == 1:
            return kept[0]
        return Or(tuple(kept))

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
        kept = [child for child in children if not isinstance(child, _Dropped)]
        if not kept:
            return children[0]
        if len(kept) == 1:
            return kept[0]
        return And(tuple(kept))

    def _at_end_of_group(self) -> bool:
        token = self.peek()
        return token is None or token.kind in ("OR", ")", "AND")

    def unary(self) -> Node:
        token = self.peek()
        assert token is not None
        if token.kind not in ("NOT", "("):
            self.i += 1
            return _leaf(token)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"nested deeper than {MAX_DEPTH} groups", token.position, "remove some parentheses")
        try:
            return self._group_or_negation(token)
        finally:
            self.depth -= 1

    def _group_or_negation(self, token: Token) -> Node:
        if token.kind == "NOT":
            self.i += 1
            if self._at_end_of_group():
                raise QueryError("nothing to negate after NOT or '-'", token.position)
            child = self.unary()
            if isinstance(child, _Dropped):
                return child
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


def _leaf(token: Token) -> Node:
    if token.kind == "term":
        return _term(token)
    text = token.text.replace("\x00", " ")
    if token.kind == "word":
        text = text.rstrip("*")  # word* is accepted; every long word is a prefix anyway
        node: Node = Words(text, None, token.position)
    else:
        node = Phrase(text, None, token.position)
    if not has_token_chars(text):
        return _Dropped(token.position)  # punctuation only: FTS would find nothing to match
    return Not(node) if token.negated else node


def _term(token: Token) -> Node:
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
            return _Dropped(pos)
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
        QueryError: the query is malformed (message says where and why), nests deeper than
            `MAX_DEPTH`, or has terms but none with anything to match.
    """
    if not isinstance(text, str):
        raise QueryError("a query must be text", 0)
    node = _Parser(text, tokenize(text)).parse()
    if isinstance(node, _Dropped):
        raise QueryError(
            "nothing to search for", node.position,
            "a word needs a letter or digit (emoji, quotes, * and % alone match nothing)",
        )
    return node


__all__ = [
    "parse", "walk", "QueryError", "Node", "Term", "Words", "Phrase", "And", "Or", "Not",
    "FIELDS", "HAS_VALUES", "MAX_DEPTH", "STATUS_VALUES", "is_token_char", "has_token_chars",
    "quote_value", "normalise_date", "next_day",
]
