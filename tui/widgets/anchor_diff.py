"""How the pane's detail shows a highlight that lost its exact place: a fuzzy anchor as a word
diff of what was marked against what the text says there now, an orphan as its old quote, and
in both the keys that settle it (`a` accepts, `r` re-attaches to a selection).

Removed and added words differ by a marker ([-was-] {+now+}, as `git diff --word-diff` writes
them) as well as by style, so the diff reads without colour.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from postil.sources.sanitise import for_display_line

CONTEXT_WORDS = 5
"""Unchanged words kept either side of a change; longer unchanged runs are cut with "…"."""

REMOVED = "strike $text-error"
ADDED = "bold underline $text-success"

REATTACH_HINT = "r re-attaches it to a selection: select the new place (v, s, p or drag), then r"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Runs of ("same" | "removed" | "added", words) turning `old` into `new`, word by word
    (whitespace folded: a changed line break is no change)."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("added", " ".join(b[j1:j2])))
    return runs


def _shorten(words: str, *, first: bool, last: bool) -> str:
    """An unchanged run cut to the words next to the changes around it."""
    parts = words.split(" ")
    if len(parts) <= 2 * CONTEXT_WORDS + 1:
        return words
    if first and last:
        return words
    if first:
        return "… " + " ".join(parts[-CONTEXT_WORDS:])
    if last:
        return " ".join(parts[:CONTEXT_WORDS]) + " …"
    return " ".join(parts[:CONTEXT_WORDS]) + " … " + " ".join(parts[-CONTEXT_WORDS:])


def diff_parts(old: str, new: str) -> list:
    """Content parts of the word diff, every word made safe to draw."""
    runs = word_diff(old, new)
    parts: list = []
    for i, (kind, words) in enumerate(runs):
        if parts:
            parts.append(" ")
        text = for_display_line(words)
        if kind == "same":
            parts.append((_shorten(text, first=i == 0, last=i == len(runs) - 1), "italic"))
        elif kind == "removed":
            parts.append((f"[-{text}-]", REMOVED))
        else:
            parts.append((f"{{+{text}+}}", ADDED))
    return parts


def anchor_parts(status: str, quote: str, now: str) -> list:
    """The detail's lines about an unsure anchor (empty for an anchored or moved highlight).

    Args:
        status: the highlight's anchor status.
        quote: what the reviewer marked.
        now: the text between the highlight's offsets now.
    """
    if status == "fuzzy":
        same = " ".join(quote.split()) == " ".join(now.split())
        return [
            ("Fuzzy anchor", "bold"), (": the text here changed, [-was-] {+now+}", "dim"), "\n",
            *(diff_parts(quote, now) if not same else [(for_display_line(" ".join(now.split())), "italic")]),
            "\n", ("a accepts the new text · " + REATTACH_HINT, "dim"),
        ]
    if status == "orphaned":
        return [
            ("Orphaned", "bold"), (": its text was not found in the source", "dim"), "\n",
            (for_display_line(" ".join(quote.split())), "italic"),
            "\n", (REATTACH_HINT, "dim"),
        ]
    return []
