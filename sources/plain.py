"""Plain text to a Document: paragraphs, flowing hard-wrapped lines, list items, headings.

Text is split into chunks on blank lines. Each chunk is read in one of three ways:

- *wrapped* (a hard-wrapped paragraph, Project Gutenberg style: most lines end where a
  greedy wrap at the chunk's widest line would end them): lines join with spaces into
  flowing paragraphs; a line that ends early ends a paragraph, a list-marker line starts
  an item.
- *lines* (some line is longer than 100 characters, i.e. one paragraph per line, as text
  pasted from the web): every line is its own block.
- *short* (only short lines that are not wrapped prose: verse, addresses, page chrome):
  the lines stay together as one block, newlines kept; list-marker lines start items.

A chunk is read as *short* rather than *wrapped* when it looks like verse (nearly every line
starts with a capital and many end at a stop), so a poem is never joined into prose.

A short, title-like line followed by prose becomes a heading, and so does a line of its own
naming a book's division or chapter ("BOOK II", "CHAPTER 1. Loomings.") or a short line in
capitals. A Project Gutenberg file is read from its START to its END marker only, titled by
its header's `Title:` (`gutenberg`), whose fields become `Document.metadata`. Work is per
line, never per character, so a 10 MB file loads quickly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from postil.sources.builder import DocumentBuilder
from postil.sources.document import Document
from postil.sources.gutenberg import find_book
from postil.sources.normalise import clean

LONG_LINE = 100
"""Lines longer than this are paragraphs of their own, never part of a hard wrap."""

_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_LIST_ITEM = re.compile(r"([•◦▪‣●○■□–*+-]|\d{1,3}[.)])[ \t]+(?=\S)")
_BULLETS_AS_DOT = {"*", "+", "-", "–", "●", "▪", "■"}
_HEADING_END = re.compile(r"[.,;:]$")
_NUMBER = r"(?:[IVXLCDM]+|\d{1,4}|[A-Z][a-z]+(?:[- ][A-Za-z]+)?|[A-Z]+)"
_DIVISION = re.compile(rf"^(?:BOOK|PART|VOLUME|Book|Part|Volume)\s+{_NUMBER}\b")
_CHAPTER = re.compile(
    rf"^(?:CHAPTER|Chapter|SECTION|Section|CANTO|Canto|ACT|Act|SCENE|Scene|STAVE|Stave|LETTER|Letter)\s+{_NUMBER}\b"
    r"|^(?:[IVXLCDM]+|\d{1,3})\.?$"  # a numeral alone: "XIV." or "3"
)
_VERSE_END = re.compile(r"[,;:!?]$")


@dataclass
class Unit:
    """A block in the making: its kind, pieces of text and facts."""

    kind: str
    text: str
    level: int = 0
    meta: dict = field(default_factory=dict)
    single_line: bool = True


def load_text(text: str, name: str, warnings: list[str] | None = None) -> Document:
    """Build a Document from decoded plain text.

    Args:
        text: the decoded text (cleaned here).
        name: file name, used for the title when the first line is no title.
        warnings: decoding warnings to carry into the Document.
    """
    text = clean(text)
    book = find_book(text)
    metadata = book.metadata() if book else {}
    if book:
        # Only the book: the Gutenberg header and licence are not what the reviewer cites.
        text = text[book.body_start : book.body_end]
    units: list[Unit] = []
    for chunk in _BLANK_LINES.split(text):
        # map/filter keep the per-line work in C: a 10 MB book has ~150,000 lines.
        lines = list(filter(None, map(str.strip, chunk.split("\n"))))
        if lines:
            units.extend(split_lines(lines))
    title = metadata.get("title") or title_for(text, name)
    mark_headings(units, title)
    builder = DocumentBuilder()
    for unit in units:
        builder.add(unit.kind, unit.text, unit.level, unit.meta, cleaned=True)
    document = builder.build(title, "text", warnings)
    document.metadata = metadata
    return document


def split_lines(lines: list[str], lists: bool = True) -> list[Unit]:
    """Turn the non-empty, stripped lines of one chunk into units (see module docstring)."""
    lengths = list(map(len, lines))
    width = max(lengths)
    if len(lines) == 1 or width > LONG_LINE:
        return [line_unit(line, lists) for line in lines]
    # A line "breaks" where a greedy hard wrap at `width` would have ended it: a wrapping
    # editor moves a word down only when it no longer fits, so a line followed by a word
    # that would have fitted on it ended on purpose (a heading, a paragraph's end).
    first_words = [line.partition(" ")[0] for line in lines[1:]]
    breaks = [n + 1 + len(word) > width for n, word in zip(lengths, first_words)]
    wrapped = width >= 40 and sum(breaks) * 10 >= len(breaks) * 6 and not _verse(lines)
    has_items = lists and any(map(_LIST_ITEM.match, lines))
    if wrapped and not has_items and all(breaks):
        return [_joined(lines, " ", lists)]  # the common case: one flowing paragraph
    # Collect each unit's lines first and join once: growing a string line by line is
    # quadratic for a chunk of 300,000 short lines.
    groups: list[list[str]] = []
    for index, line in enumerate(lines):
        new_unit = (
            not groups
            or (has_items and _LIST_ITEM.match(line))
            or (wrapped and not breaks[index - 1])
        )
        if new_unit:
            groups.append([line])
        else:
            groups[-1].append(line)
    joiner = " " if wrapped else "\n"
    units = [_joined(group, joiner, lists) for group in groups]
    first = groups[0]
    if not wrapped and len(first) > 1 and units[0].kind == "paragraph" and _heading_like(first[0]) \
            and first[-1][-1] in ".:!?\"”)":
        # "Cautions and Unanswered Questions" above the sentences of its section.
        units[0:1] = [Unit("heading", first[0], 2), _joined(first[1:], joiner, lists)]
    return units


def _joined(group: list[str], joiner: str, lists: bool) -> Unit:
    unit = line_unit(joiner.join(group), lists)
    unit.single_line = len(group) == 1
    return unit


def line_unit(line: str, lists: bool = True) -> Unit:
    """A unit for one line: a list item when it starts with a list marker, else a paragraph."""
    match = lists and _LIST_ITEM.match(line)
    if not match:
        return Unit("paragraph", line)
    marker = match.group(1)
    rest = line[match.end() :]
    if marker in _BULLETS_AS_DOT:
        marker = "•"
    if marker[0].isdigit():
        marker = marker[:-1] + "."
    return Unit("list_item", f"{marker} {rest}", 1, {"marker": marker})


def _verse(lines: list[str]) -> bool:
    """Lines that each start with a capital and often end at a stop, as verse does and
    wrapped prose does not (two lines: the first ends at a comma or the like, as a couplet's
    or an address's does)."""
    starts = [_starts_upper(line) for line in lines[1:]]
    if len(lines) == 2:
        return starts[0] and bool(_VERSE_END.search(lines[0]))
    stops = sum(line[-1] in ",;:.!?" for line in lines)
    return sum(starts) * 4 >= len(starts) * 3 and stops * 5 >= len(lines) * 2


def _starts_upper(line: str) -> bool:
    first = next((ch for ch in line if ch.isalpha()), "")
    return first.isupper()


def mark_headings(units: list[Unit], title: str | None = None) -> None:
    """Make short, title-like paragraph lines followed by prose into headings (in place).

    The first unit becomes a level-1 heading when it is the document's title. A line of
    its own that names a book's division ("BOOK II", "PART ONE") or chapter ("CHAPTER 1.
    Loomings.", "XIV.") is a heading whatever follows it, and so is a short upper-case line
    ("ETYMOLOGY."); chapters sit one level below divisions when the book has them.
    """
    lone = [u.kind == "paragraph" and u.single_line and len(u.text) <= 80 for u in units]
    has_divisions = any(ok and _DIVISION.match(u.text) for ok, u in zip(lone, units))
    for index, unit in enumerate(units):
        if lone[index] and not (index <= 1 and unit.text == title):
            if _DIVISION.match(unit.text):
                unit.kind, unit.level = "heading", 2
                continue
            if _CHAPTER.match(unit.text) or _shouting(unit.text):
                unit.kind, unit.level = "heading", 3 if has_divisions else 2
                continue
        if unit.kind != "paragraph" or not unit.single_line or not _heading_like(unit.text):
            continue
        if index <= 1 and title is not None and unit.text == title:
            unit.kind, unit.level = "heading", 1
            continue
        following = units[index + 1] if index + 1 < len(units) else None
        if following is not None and following.kind == "paragraph" and len(following.text) >= 60:
            unit.kind, unit.level = "heading", 2


def _shouting(line: str) -> bool:
    """A short line in capitals ("ETYMOLOGY.", "THE SMALL WHALE"): a heading in a book."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and len(line) <= 60 and len(line.split()) <= 8 and all(ch.isupper() for ch in letters)


def _heading_like(line: str) -> bool:
    if len(line) > 90 or len(line.split()) > 14 or _HEADING_END.search(line):
        return False
    if line.startswith("(") and line.endswith(")"):
        return False  # an aside: "(Supplied by a Late Consumptive Usher...)"
    first = next((ch for ch in line if ch.isalnum()), "")
    return first.isupper() or first.isdigit() and any(ch.isalpha() for ch in line)


def title_for(text: str, name: str) -> str:
    """The first non-empty line when it is short (< 150 characters), else a title from `name`.

    A saved web page often starts with the site's name ("The Apprentice Doctor") and then
    the headline: a first line of at most three words followed by a longer headline-like
    line gives way to that line.
    """
    lines = [line.strip() for line in text.split("\n", 50)[:50] if line.strip()]
    if not lines or len(lines[0]) >= 150:
        return title_from_name(name)
    first = lines[0]
    if len(first.split()) <= 3 and len(lines) > 1:
        second = lines[1]
        if 5 <= len(second.split()) <= 20 and len(second) < 150 and not second.endswith((".", ",", ";", ":")):
            return second
    return first


def title_from_name(name: str) -> str:
    """'treating-depression_station.md' -> 'Treating depression station'."""
    stem = Path(name).stem if name else ""
    words = re.sub(r"[-_.\s]+", " ", stem).strip()
    if not words:
        return "Untitled"
    return clean(words[0].upper() + words[1:])
