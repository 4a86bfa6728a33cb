"""Pandoc grid and simple tables as rows of cells: markdown-it block rules and their reading.

A grid table is drawn with `+---+---+` borders, `|` between cells and an optional `+===+`
line under the header:

    +--------+-----------+
    | Option | Effect    |
    +========+===========+
    | --toc  | Table of  |
    |        | contents  |
    +--------+-----------+

CommonMark has no such thing and reads it as one paragraph of pipes and dashes. The rule
here claims the lines from a `+-` border to the last border line and emits one
`grid_table` token whose `content` is those lines; `table_rows` turns them into rows, each
cell's lines joined with spaces. Column edges come from the `+` positions of the first
border, so a cell spanning columns is read as the cells it covers (its text in the first).

A simple table is a header line over a line of dash groups, one group per column, and rows
down to a blank line:

      Right     Left
    -------     ------
         12     ab

CommonMark reads the dashes as a rule and the rows as a paragraph. The `simple_table` rule
claims such lines (the header line directly above at least two dash groups) as one token;
`simple_rows` cuts every line at the columns the dash groups span.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

_BORDER = re.compile(r"^\+(?:[-=:]+\+)+\s*$")


_DASH_GROUPS = re.compile(r"^-{2,}(?: +-{2,})+ *$")


def pandoc_tables_plugin(md: MarkdownIt) -> None:
    """Register the `grid_table` and `simple_table` block rules (before the pipe-table rule)."""
    md.block.ruler.before("table", "grid_table", _grid_table_rule, {"alt": ["paragraph"]})
    md.block.ruler.before("table", "simple_table", _simple_table_rule, {"alt": ["paragraph"]})


def _line(state: StateBlock, number: int) -> str:
    return state.src[state.bMarks[number] + state.tShift[number] : state.eMarks[number]]


def _grid_table_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # indented code, not a table
    first = _line(state, start_line)
    if not first.startswith("+-") or not _BORDER.match(first):
        return False
    line = start_line + 1
    last_border = start_line
    while line < end_line:
        text = _line(state, line)
        if _BORDER.match(text):
            last_border = line
        elif not text.startswith("|"):
            break
        line += 1
    if last_border == start_line:
        return False  # one border and no closing one: not a table, let the paragraph have it
    if silent:
        return True
    token = state.push("grid_table", "table", 0)
    token.map = [start_line, last_border + 1]
    token.content = "\n".join(_line(state, n) for n in range(start_line, last_border + 1))
    state.line = last_border + 1
    return True


def table_rows(content: str) -> list[tuple[list[str], bool]]:
    """(cells, is_header) for each row of a grid table's lines, top to bottom.

    A row is the `|` lines between two borders. The header is the row above a `+===+`
    border; a table without one has no header row.
    """
    lines = content.split("\n")
    edges = [i for i, ch in enumerate(lines[0].rstrip()) if ch == "+"]
    rows: list[tuple[list[str], bool]] = []
    pending: list[list[str]] = []
    for text in lines[1:]:
        if _BORDER.match(text):
            if pending:
                rows.append(([" ".join(" ".join(part).split()) for part in pending], "=" in text))
            pending = []
            continue
        cells = _cells(text, edges)
        if not pending:
            pending = [[] for _ in cells]
        for column, cell in enumerate(cells[: len(pending)]):
            if cell:
                pending[column].append(cell)
    return rows


def _cells(text: str, edges: list[int]) -> list[str]:
    """The cells of one `|` line cut at the border's column edges (ragged lines tolerated)."""
    if len(edges) < 2:
        return [text.strip("| ")]
    cells = []
    for left, right in zip(edges, edges[1:]):
        piece = text[left + 1 : right] if right <= len(text) else text[left + 1 :]
        cells.append(piece.replace("|", " ").strip())
    return cells


def _raw_line(state: StateBlock, number: int) -> str:
    """A line with its indentation: a simple table's columns are where its characters are."""
    return state.src[state.bMarks[number] : state.eMarks[number]]


def _simple_table_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if start_line + 2 >= end_line or state.sCount[start_line] - state.blkIndent >= 4:
        return False
    header = _raw_line(state, start_line)
    dashes = _raw_line(state, start_line + 1)
    if not header.strip() or header.lstrip().startswith(("```", "~~~", ">", "|", "+")) or not _DASH_GROUPS.match(dashes.strip()) or state.isEmpty(start_line + 2):
        return False
    line = start_line + 2
    while line < end_line and not state.isEmpty(line):
        line += 1
    if silent:
        return True
    token = state.push("simple_table", "table", 0)
    token.map = [start_line, line]
    token.content = "\n".join(_raw_line(state, n) for n in range(start_line, line))
    state.line = line
    return True


def simple_rows(content: str) -> list[tuple[list[str], bool]]:
    """(cells, is_header) for each line of a simple table: the header, then its rows."""
    lines = content.split("\n")
    groups = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    # A column runs from its dashes' start to the next column's start (text may overhang).
    bounds = [(start, groups[i + 1][0] if i + 1 < len(groups) else None) for i, (start, _) in enumerate(groups)]
    bounds[0] = (0, bounds[0][1])
    rows = []
    for number, text in enumerate(lines):
        if number == 1:
            continue
        cells = [" ".join(text[a:b].split()) for a, b in bounds]
        if any(cells):
            rows.append((cells, number == 0))
    return rows
