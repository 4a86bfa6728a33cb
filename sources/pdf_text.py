"""Lines in reading order -> a Document: paragraphs re-joined, hyphens undone, headings, references.

The rules, in order:

- Characters: ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) become their letters, soft hyphens go, and the text
  rules every format shares apply (`normalise.clean`).
- Headings: a line set larger than the body text (by 15%), or a short bold line standing on
  its own, is a heading; larger sizes are higher levels. A heading over several lines is one.
- Paragraphs: lines join with a space until a wider gap than the body's line spacing, an
  indented first line after a line that ended a sentence short of the column's edge, or a
  heading. Across a column or page break a paragraph goes on unless its text so far ends a
  sentence.
- Hyphenation: a word broken at a line end ("effi-" / "cient") is joined when the joined word
  is used elsewhere in the document, or when the parts are not words on their own; a
  hyphenated word used elsewhere ("well-known") or two parts that are both words keep the hyphen.
- References: after a heading "References" (or Bibliography, Works cited, Literature cited),
  every entry is its own block (a list item with meta {"role": "reference"}); an entry starts
  with "[12]", "12." or where a hanging indent ends.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from postil.sources.builder import DocumentBuilder
from postil.sources.document import Document
from postil.sources.normalise import clean
from postil.sources.pdf_layout import Line

LIGATURES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
    "\u00ad": None,
})
# PDFium marks a hyphen it found at a line end as U+0002 (bounded text) or U+FFFE.
_LINE_END_HYPHENS = ("\x02", "\ufffe", "-", "\u00ad")
_TERMINAL = (".", "?", "!", ":", "\u201d", '"', "\u2019")
_REFERENCES = re.compile(r"^(?:\d+\.?\s*)?(?:references|bibliography|works cited|literature cited|reference list)$", re.I)
_ENTRY_START = re.compile(r"^(?:\[\d{1,4}\]|\d{1,4}\.\s)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass
class Unit:
    """A block in the making: its pieces of text and the page each piece came from."""

    kind: str
    level: int = 0
    meta: dict = field(default_factory=dict)
    text: str = ""
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    """(page index, offset in `text`) where a page's first text sits in this block."""
    last: Line | None = None


def line_text(raw: str) -> str:
    """One line's text with ligatures undone, stray PDFium markers removed and cleaned."""
    text = raw.translate(LIGATURES)
    marker_end = text.endswith(("\x02", "\ufffe"))
    text = text.replace("\x02", "").replace("\ufffe", "")
    text = " ".join(clean(text).split())
    return text + "\x02" if marker_end else text


class Vocabulary:
    """Words the document uses, to decide whether a hyphen at a line end belongs to the word."""

    def __init__(self, texts: list[str]) -> None:
        self.words: set[str] = set()
        broken = False
        for text in texts:
            words = _WORD.findall(text)
            # The halves of a broken word ("effi-", "cient") are not words of the document.
            if broken and words:
                words = words[1:]
            broken = text.endswith(_LINE_END_HYPHENS)
            if broken and words:
                words = words[:-1]
            self.words.update(w.casefold() for w in words)

    def join(self, before: str, after: str) -> bool:
        """True when "before-" + "after" is one word broken by the typesetter."""
        head = re.search(r"[^\W\d_]+$", before)
        tail = re.match(r"[^\W\d_]+", after)
        if not head or not tail:
            return False
        a, b = head.group().casefold(), tail.group().casefold()
        if a + b in self.words:
            return True
        if f"{a}-{b}" in self.words or (a in self.words and b in self.words):
            return False
        return after[:1].islower()


def body_size(lines: list[Line]) -> float:
    """The font size most of the text is set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def build_document(columns_by_page: list[list[list[Line]]], title: str) -> tuple[Document, list[int | None]]:
    """Assemble the reading text.

    Args:
        columns_by_page: for each page, its columns in reading order (pdf_layout.reading_order).
        title: the document's title.

    Returns:
        (the Document, for each page the offset in the text where its first text sits, or
        None for a page that holds no text)
    """
    all_lines = [line for page in columns_by_page for column in page for line in column]
    for line in all_lines:
        line.text = line_text(line.text)
    all_lines = [line for line in all_lines if line.text.strip("\x02")]
    body = body_size(all_lines)
    _mark_prose_runs(columns_by_page)
    vocabulary = Vocabulary([line.text for line in all_lines])
    heading_sizes = sorted({round(l.size, 1) for l in all_lines if _is_large(l, body)}, reverse=True)
    pitch = _line_pitch(columns_by_page, body)

    units: list[Unit] = []
    in_references = False
    for page_index, columns in enumerate(columns_by_page):
        page_seen = False
        for column in columns:
            previous: Line | None = None
            for line in column:
                if not line.text.strip("\x02"):
                    continue
                unit = units[-1] if units else None
                heading_level = _heading_level(line, body, heading_sizes, previous)
                if heading_level:
                    if unit and unit.kind == "heading" and unit.last and previous is unit.last \
                            and round(unit.last.size, 1) == round(line.size, 1) and line.top - previous.bottom < pitch:
                        _append(unit, line, page_index if not page_seen else None, vocabulary)
                    else:
                        unit = Unit("heading", heading_level)
                        units.append(unit)
                        _append(unit, line, page_index if not page_seen else None, vocabulary)
                        in_references = bool(_REFERENCES.match(line.text.strip()))
                elif unit is None or not _continues(unit, line, previous, pitch, in_references):
                    meta = {"role": "reference"} if in_references else {}
                    unit = Unit("list_item" if in_references else "paragraph", 0, meta)
                    units.append(unit)
                    _append(unit, line, page_index if not page_seen else None, vocabulary)
                else:
                    _append(unit, line, page_index if not page_seen else None, vocabulary)
                page_seen = True
                previous = line
    return _assemble(units, len(columns_by_page), title)


HEADING_LINES = 3
HEADING_CHARS = 200


def _mark_prose_runs(columns_by_page: list[list[list[Line]]]) -> None:
    """Mark lines that are part of a long run in one size and weight as prose (`Line.prose`).

    A heading is a line or three that does not end a sentence; more lines in one size, or
    a run ending in a full stop, are text set larger (an abstract, a document whose body is
    smaller than its code listings), not a heading however large they are.
    """
    for columns in columns_by_page:
        for column in columns:
            run: list[Line] = []
            for line in [*column, None]:
                if line is not None and run and round(line.size, 1) == round(run[-1].size, 1) and line.bold == run[-1].bold:
                    run.append(line)
                    continue
                ends_sentence = bool(run) and run[-1].text.rstrip("\x02 ").endswith((".", ",", ";"))
                if len(run) > HEADING_LINES or sum(len(l.text) for l in run) > HEADING_CHARS or ends_sentence:
                    for member in run:
                        member.prose = True
                run = [line] if line is not None else []


def _is_large(line: Line, body: float) -> bool:
    return body > 0 and not line.prose and line.size >= 1.15 * body and len(line.text) <= 160


def _heading_level(line: Line, body: float, heading_sizes: list[float], previous: Line | None) -> int:
    if _is_large(line, body):
        return min(6, heading_sizes.index(round(line.size, 1)) + 1)
    text = line.text.rstrip("\x02")
    if line.bold and not line.prose and len(text) <= 80 and not text.endswith((".", ",", ";")) and (previous is None or not previous.bold):
        return min(6, len(heading_sizes) + 1)
    return 0


def _line_pitch(columns_by_page: list[list[list[Line]]], body: float) -> float:
    """The usual distance from one line's top to the next one's, in body text."""
    steps: Counter[float] = Counter()
    for columns in columns_by_page:
        for column in columns:
            for a, b in zip(column, column[1:]):
                if round(a.size, 1) == round(b.size, 1) == body and b.top > a.top:
                    steps[round(b.top - a.top, 1)] += 1
    return steps.most_common(1)[0][0] if steps else 1.4 * (body or 10)


def _continues(unit: Unit, line: Line, previous: Line | None, pitch: float, in_references: bool) -> bool:
    """Whether `line` goes on the paragraph `unit` (whose last line is `unit.last`)."""
    if unit.kind == "heading" or unit.last is None:
        return False
    text = unit.text.rstrip()
    if previous is None:  # first line of a column: a column or page break
        if in_references:
            return not _ENTRY_START.match(line.text) and not text.endswith(".")
        return not text.endswith(_TERMINAL) or line.text[:1].islower()
    if line.top - previous.top > 1.35 * pitch:
        return False
    if in_references:
        if _ENTRY_START.match(line.text):
            return False
        return not (line.x0 < previous.x0 - 0.5 * (line.size or 10))
    indented = line.x0 > previous.x0 + 0.6 * (line.size or 10)
    ended_short = text.endswith(_TERMINAL) and previous.x1 < line.x1 - 2 * (line.size or 10)
    return not (ended_short or (indented and text.endswith(_TERMINAL)))


def _append(unit: Unit, line: Line, new_page: int | None, vocabulary: Vocabulary) -> None:
    text = line.text
    if unit.text:
        before = unit.text
        if before.endswith(_LINE_END_HYPHENS):
            stem = before[:-1]
            if stem[-1:].isalpha():  # a word broken at the line end, or a compound
                unit.text = stem if vocabulary.join(stem, text) else stem + "-"
            elif stem[-1:].isspace():  # a dash standing as punctuation: "word -"
                unit.text = stem + "- "
            else:  # a range or a number's compound: "2010-" / "2015"
                unit.text = stem + "-"
        else:
            unit.text += " "
    if new_page is not None:
        unit.page_starts.append((new_page, len(unit.text)))
    unit.text += text
    unit.last = line


def _assemble(units: list[Unit], page_count: int, title: str) -> tuple[Document, list[int | None]]:
    builder = DocumentBuilder()
    first_offsets: list[int | None] = [None] * page_count
    for unit in units:
        text = unit.text.replace("\x02", "")
        stripped = text.lstrip()
        lead = len(text) - len(stripped)
        block = builder.add(unit.kind, stripped.rstrip(), unit.level, unit.meta, cleaned=True)
        if block is None:
            continue
        for page, offset in unit.page_starts:
            first_offsets[page] = block.start + max(0, min(offset - lead, block.end - block.start))
    return builder.build(title, "pdf"), first_offsets
