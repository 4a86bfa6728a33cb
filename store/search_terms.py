"""Which words a query matched, and where they are in a result's text (for emphasis).

Plain text work, no SQL: the search screen emphasises matches in result rows, and
store.passages places matches in the sources' text.
"""

from __future__ import annotations

import re
import unicodedata

from postil.store.query import And, Node, Not, Or, Phrase, QueryError, Words, parse

PREFIX_MIN = 3
"""Words this long or longer also match as prefixes ("dur" finds "durability"). Shorter
ones would match most of the index and slow every query down, so they match whole words."""


def match_terms(query: str | Node) -> list[str]:
    """The words and phrases a result matched, for emphasis in the UI (never raises).

    Negated text is left out: it is absent from the results by definition.
    """
    try:
        node = query if isinstance(query, Node) else parse(query)
    except QueryError:
        return []
    terms: list[str] = []

    def visit(n: Node) -> None:
        if isinstance(n, Not):
            return
        if isinstance(n, (Words, Phrase)) and n.text not in terms:
            terms.append(n.text)
        if isinstance(n, (And, Or)):
            for child in n.children:
                visit(child)

    visit(node)
    return terms


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SUFFIXES = ("ing", "es", "ed", "s", "e", "y")


def _stem(word: str) -> str:
    """A crude stem, so emphasis agrees with FTS's porter stemming in common cases."""
    word = _fold(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def emphasis_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Character ranges of `text` to emphasise for `terms` (from `match_terms`), sorted.

    A word is emphasised when it starts with a term's stem (as FTS prefix matching does);
    a multi-word term (a phrase) is emphasised where its words occur consecutively.
    """
    words = [(m.start(), m.end(), _fold(m.group())) for m in _WORD.finditer(text)]
    spans: set[tuple[int, int]] = set()
    for term in terms:
        parts = [_fold(w) for w in _WORD.findall(term)]
        if not parts:
            continue
        if len(parts) == 1:
            stem = _stem(parts[0])
            for start, end, word in words:
                if word.startswith(stem) if len(parts[0]) >= PREFIX_MIN else _stem(word) == stem:
                    spans.add((start, end))
            continue
        stems = [_stem(p) for p in parts]
        for i in range(len(words) - len(parts) + 1):
            window = words[i : i + len(parts)]
            if all(_stem(w[2]) == s for w, s in zip(window, stems)):
                spans.add((window[0][0], window[-1][1]))
    return sorted(spans)


LEAD = 24
"""Characters of context an excerpt keeps before its first match: few enough that the match
shows on an 80-column row beside a source's title."""


def around_first(text: str, spans: list[tuple[int, int]], lead: int = LEAD, *,
                 cut_before: bool = False) -> tuple[str, list[tuple[int, int]]]:
    """`text` from about `lead` characters before the first span (back to a word boundary up to
    12 more), with "…" where it was cut (or where it already began mid-passage: `cut_before`);
    the spans shifted to match."""
    first = min((start for start, _ in spans), default=0)
    cut = 0
    if first > lead:
        cut = first - lead
        space = text.rfind(" ", 0, cut + 1)
        cut = space + 1 if space > cut - 12 else cut  # start at a word when one is near
    if not cut and not cut_before:
        return text, spans
    shift = 1 - cut  # the "…" takes one character
    return "…" + text[cut:], [(a + shift, b + shift) for a, b in spans if b > cut]
