"""Things put in words: counts ("1 highlight", "3 highlights", never "1 highlights"), and the
first words of a quote or note on one line."""

from __future__ import annotations

from postil.sources.sanitise import for_display_line


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and `noun`, the noun plural unless n is 1 (`plural` for irregular ones)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def first_words(text: str, width: int = 60) -> str:
    """The start of a quote or note on one line, whitespace folded, safe to draw."""
    folded = for_display_line(" ".join((text or "").split()))
    return folded if len(folded) <= width else folded[: width - 1].rstrip() + "…"
