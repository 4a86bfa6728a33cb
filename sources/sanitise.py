"""One sanitiser for every untrusted string that becomes something drawn on the terminal.

Source text, titles, file names, notes, tags and error messages all pass through
`for_display` before they reach a renderable. Each dangerous character is replaced by
exactly one visible character, so a character offset into the original string is the same
offset into the displayed one.
"""

from __future__ import annotations

import re

# C0 controls become the matching "control picture" (U+2400 block): ESC shows as ␛.
_C0 = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x0A, 0x09)}
_OTHER = {
    0x7F: "\u2421",  # DEL -> ␡
    **{code: "\ufffd" for code in range(0x80, 0xA0)},  # C1 controls (CSI, OSC, ...)
    # Bidirectional overrides, embeddings, isolates and marks: drawn as a visible arrow
    # so a reader sees that the text around them may be reordered.
    **{code: "\u21c4" for code in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C)},
    # Zero-width and invisible characters: drawn as a small visible mark.
    **{code: "\u2423" for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E, 0x2061, 0x2062, 0x2063, 0x2064)},
    # Line and paragraph separators would break a line inside a rendered row.
    0x2028: "\u2424",
    0x2029: "\u00b6",
}
_TABLE = {**_C0, **_OTHER}
_NEEDS_WORK = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")


def for_display(text: str) -> str:
    """Return `text` with every control, bidi and zero-width character made visible.

    The result has the same length as `text`; newlines and tabs are kept.
    """
    if not _NEEDS_WORK.search(text):
        return text
    return text.translate(_TABLE)


def for_display_line(text: str) -> str:
    """Like `for_display`, but newlines and tabs too become visible (one-line labels)."""
    return for_display(text).replace("\n", "\u21b5").replace("\t", "\u2192")
