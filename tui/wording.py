"""Counts in words: "1 highlight", "3 highlights", "0 highlights" (never "1 highlights")."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and `noun`, the noun plural unless n is 1 (`plural` for irregular ones)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
