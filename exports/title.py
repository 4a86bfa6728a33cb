"""A brief's default title: what the export's query means in words, not the raw query.

"Evidence brief: tag:caveat source:2 -tag:anecdote" was the brief's title before (issue 17);
this says it in words ("caveat highlights in Amygdala and emotional response, without
anecdote"). A query it cannot say in words (OR, groups, dates) keeps its text, quoted.
The export dialog and `postil export` both title a brief with it (exports.collect, exports.stream).
"""

from __future__ import annotations

import sqlite3

from postil.store import sources as store_sources
from postil.store.errors import StoreError
from postil.store.query import And, Not, Phrase, QueryError, Term, Words, parse

PREFIX = "Evidence brief"

HAS_WORDS = {"note": "a note", "link": "links", "tag": "tags", "memo": "a source memo"}


def readable_title(db: sqlite3.Connection, query: str) -> str:
    """The brief's default title for `query` ("" is every highlight).

    Args:
        db: the open database (a `source:ID` is named by the source's title).
        query: the export's query, in the search language.

    Returns:
        "Evidence brief" alone for every highlight, else "Evidence brief: " and a description.
    """
    query = query.strip()
    if not query:
        return PREFIX
    description = describe(db, query)
    return f"{PREFIX}: {description}" if description else PREFIX


def describe(db: sqlite3.Connection, query: str) -> str:
    """The query in words, or the query itself in quotes when it is not a plain list of terms."""
    try:
        node = parse(query)
    except QueryError:
        return f"“{query}”"
    children = node.children if isinstance(node, And) else (node,)
    tags, without, words, sources, rest = [], [], [], [], []
    for child in children:
        negated = isinstance(child, Not)
        inner = child.child if negated else child
        # `-tag:x` parses to a negated Term, `-(tag:x)` to a Not: both read "without x".
        negated = negated or (isinstance(inner, Term) and inner.negated)
        if isinstance(inner, Term) and inner.field == "tag":
            (without if negated else tags).append(" or ".join(inner.values))
        elif isinstance(inner, (Words, Phrase)) and not negated and inner.column is None:
            words.append(inner.text)
        elif isinstance(inner, Term) and inner.field == "source" and not negated:
            sources.append(" or ".join(_source_name(db, v) for v in inner.values))
        elif isinstance(inner, Term) and not negated and inner.field in ("author", "has"):
            rest.append(_term_words(inner))
        else:
            return f"“{query}”"
    head = (" and ".join(tags) + " highlights") if tags else "highlights"
    parts = [head]
    if words:
        parts.append("on “" + " ".join(words) + "”")
    if sources:
        parts.append("in " + " and ".join(sources))
    parts.extend(rest)
    text = " ".join(parts)
    if without:
        text += ", without " + " or ".join(without)
    return text


def _term_words(term: Term) -> str:
    if term.field == "author":
        return "by " + " or ".join(term.values)
    return "with " + " or ".join(HAS_WORDS.get(v, v) for v in term.values)


def _source_name(db: sqlite3.Connection, value: str) -> str:
    """A source id as its title; any other value (words of a title) as it was typed."""
    if value.isdigit():
        try:
            return store_sources.get_source_info(db, int(value)).title or f"source {value}"
        except StoreError:
            return f"source {value}"
    return f"“{value}”"
