"""The search query language's AST, its limits, and the error every bad query raises.

`store.query` parses text into these nodes; `store.search_compile` turns them into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from postil.store.errors import StoreError

FIELDS = (
    "tag", "source", "author", "has", "rel", "before", "after", "status", "quote", "note", "id", "memo",
)
"""Known field names, in the order an error message lists them."""

MAX_DEPTH = 50
"""How deeply groups and negations may nest: the parser and the SQL compiler recurse per
level, and 450 "(" typed into the search bar used to end the app with a RecursionError."""

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


def walk(node: Node):
    """Every node of the tree, depth first (parents before children)."""
    yield node
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)
