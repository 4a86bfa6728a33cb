"""Cells and soft wrapping of one line of display text (no Textual import).

Tabs advance to the next multiple of 4 cells but stay one character; wide characters take 2
cells; zero-width marks take 0 and belong to the character before them.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size

TAB = 4


def char_cells(ch: str, col: int) -> int:
    """Cells taken by display character `ch` starting at text column `col`."""
    if " " <= ch < "\x7f":
        return 1
    if ch == "\t":
        return TAB - col % TAB
    if ch == "\n":
        return 1  # drawn as a space so the cursor can rest on it (empty lines in code)
    return get_character_cell_size(ch)


def wrap(disp: str, width: int, first_cells: int, hang_cells: int) -> list[int]:
    """Wrap display text at word boundaries; return the start index of each line.

    Args:
        disp: The unit's display text (same length as the reading text it shows).
        width: Cells available to the whole line, prefix included.
        first_cells: Prefix cells on the first line.
        hang_cells: Prefix cells on every further line.

    Every character lands on exactly one line. One trailing space may sit in the cell just
    past `width` (the widget keeps a one-cell margin for it), so words fill the full width.
    """
    n = len(disp)
    if n == 0:
        return [0]
    limit = max(2, width - first_cells)
    if disp.isascii() and disp.isprintable():
        if n <= limit:
            return [0]
        if hang_cells <= first_cells:
            return wrap_ascii(disp, limit, max(2, width - hang_cells))
    return wrap_cells(disp, width, first_cells, hang_cells)


def wrap_ascii(disp: str, limit: int, hang_limit: int) -> list[int]:
    """`wrap` for printable ASCII, where every character takes one cell: a line's columns
    are offsets, so its break is found with `rfind`, not a step per character (0.7 ms of the
    first screen for six paragraphs, and of each key that brings new paragraphs into view).

    Args:
        limit: cells for the text on the first line; hang_limit: on every further line, at
            least `limit` (a word carried to the next line then always fits on it).
    """
    n = len(disp)
    starts = [0]
    start = 0
    while n - start > limit:
        end = start + limit  # the first character past the line's cells
        if disp[end] == " ":
            cut = end + 1  # one space may sit in the margin cell past the line
            if cut >= n:
                break
        else:
            cut = disp.rfind(" ", start, end) + 1  # 0: no space on the line
            hyphen = disp.rfind("-", max(cut, start + 1), end)
            while hyphen > 0:
                if disp[hyphen - 1].isalpha() and disp[hyphen + 1].isalpha():
                    cut = hyphen + 1  # "treatment-" | "resistant", as browsers break
                    break
                hyphen = disp.rfind("-", max(cut, start + 1), hyphen)
            if cut <= start:
                cut = end  # one word longer than the line: cut it at the edge
        starts.append(cut)
        start = cut
        limit = hang_limit
    return starts


def wrap_cells(disp: str, width: int, first_cells: int, hang_cells: int) -> list[int]:
    """`wrap` for any text, measuring each character (wide, zero-width, tabs, newlines)."""
    n = len(disp)
    limit = max(2, width - first_cells)
    starts = [0]
    ls = 0
    col = 0
    last_break = -1
    i = 0
    while i < n:
        ch = disp[i]
        if ch == "\n" and col > limit and i > ls:
            starts.append(i)  # no cell left for the newline's cursor cell: it gets a line
            ls, col, last_break = i, 0, -1
            limit = max(2, width - hang_cells)
        if ch == "\n":
            if i + 1 < n:
                starts.append(i + 1)
            ls, col, last_break = i + 1, 0, -1
            limit = max(2, width - hang_cells)
            i += 1
            continue
        w = char_cells(ch, col)
        if w == 0 and i == ls:
            w = 1  # an orphan mark is drawn as ◌
        if ch == " " or ch == "\t":
            if col + w <= limit + 1 or i == ls:
                col += w
                last_break = i + 1
                i += 1
                continue
        elif w == 0 or col + w <= limit or i == ls:
            if w == 0 and last_break == i:
                last_break = i + 1  # keep a mark with the space it sits on
            elif ch == "-" and i > ls and disp[i - 1].isalpha() and i + 1 < n and disp[i + 1].isalpha():
                last_break = i + 1  # "treatment-" | "resistant", as browsers break
            col += w
            i += 1
            continue
        # The character does not fit: end the line at the last break, or here.
        cut = last_break if last_break > ls else i
        starts.append(cut)
        ls, last_break = cut, -1
        limit = max(2, width - hang_cells)
        col = 0
        for j in range(cut, i):  # re-measure the carried-over part of the word
            w = char_cells(disp[j], col)
            col += 1 if (w == 0 and j == ls) else w
    return starts


def line_columns(disp: str, a: int, b: int) -> list[int]:
    """Column of each character of disp[a:b] on its line, plus the end column (len = b-a+1)."""
    cols = []
    col = 0
    for j in range(a, b):
        cols.append(col)
        ch = disp[j]
        w = char_cells(ch, col)
        if w == 0 and j == a:
            w = 1
        col += w
    cols.append(col)
    return cols

