"""Between postil's reading text and a PDF's characters: where a highlight sits on the page
(for writing it into the PDF), and which reading text a PDF's own highlight covers.

Both directions compare *letter streams*: the letters and digits of a text, case-folded and
with ligatures expanded, each remembering where it came from. The reading text differs from
a page's raw text only by what postil's import changes (line breaks, undone hyphens, dropped
headers, ligatures, spacing), none of which are letters, so a quote's letters are found on
its page as they are. Where a letter run occurs more than once on a page, the occurrence
nearest the quote's place in the page's share of the reading text is taken.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from postil.sources.document import PageSpan

Quad = tuple[float, float, float, float]
"""A box on a page in PDF user space: (left, bottom, right, top)."""


@dataclass(frozen=True)
class Placed:
    """A highlight's boxes on one page, one per line it covers."""

    page: int
    quads: list[Quad]


def letters(text: str) -> tuple[str, list[int]]:
    """The letter stream of `text` and, for each of its letters, the offset it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            if ch.isalnum():
                out.append(ch.lower())
                where.append(i)
            continue
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c.isalnum():
                out.append(c)
                where.append(i)
    return "".join(out), where


def nearest(haystack: str, needle: str, expected: float) -> int:
    """Where `needle` occurs in `haystack` nearest to position `expected`; -1 if nowhere."""
    best, at = -1, haystack.find(needle)
    while at >= 0:
        if best < 0 or abs(at - expected) < abs(best - expected):
            best = at
        at = haystack.find(needle, at + 1)
    return best


class PdfPageText:
    """One open PDF's pages as text with character boxes (PDFium), read page by page on demand."""

    def __init__(self, data: bytes) -> None:
        self.document = pdfium.PdfDocument(data)
        self._pages: dict[int, tuple[str, list[int], pdfium.PdfTextPage, pdfium.PdfPage]] = {}
        self.texts: dict[int, str] = {}
        """Each page's text as PDFium gives it (character index = string index), once read."""

    def close(self) -> None:
        for _, _, textpage, page in self._pages.values():
            textpage.close()
            page.close()
        self.document.close()

    def page(self, index: int) -> tuple[str, list[int], pdfium.PdfTextPage] | None:
        """(letter stream, letter -> character index, text page), or None when the page's
        text and character indexes do not line up."""
        if index not in self._pages:
            page = self.document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            stream, where = letters(text) if len(text) == textpage.count_chars() else ("", [])
            self._pages[index] = (stream, where, textpage, page)
            self.texts[index] = text
        stream, where, textpage, _ = self._pages[index]
        return (stream, where, textpage) if stream else None

    def boxes(self, index: int, first: int, last: int) -> list[Quad]:
        """One box per line for characters first..last (inclusive) of page `index`."""
        _, _, textpage, _ = self._pages[index]
        raw = textpage.raw
        values = [ctypes.c_double() for _ in range(4)]
        refs = [ctypes.byref(v) for v in values]
        lines: list[list[float]] = []
        for char in range(first, last + 1):
            if pdfium_c.FPDFText_IsGenerated(raw, char) == 1 or not pdfium_c.FPDFText_GetCharBox(raw, char, *refs):
                continue
            left, right, bottom, top = (v.value for v in values)
            if right <= left or top <= bottom:
                continue  # a space or a mark without extent
            line = lines[-1] if lines else None
            middle = (top + bottom) / 2
            if line is not None and line[1] - 1 <= middle <= line[3] + 1 and left >= line[0] - 1:
                line[0], line[1] = min(line[0], left), min(line[1], bottom)
                line[2], line[3] = max(line[2], right), max(line[3], top)
            else:
                lines.append([left, bottom, right, top])
        return [tuple(line) for line in lines]


def place(pdf: PdfPageText, text: str, pages: list[PageSpan], start: int, end: int) -> list[Placed]:
    """The boxes of reading text[start:end] on the pages it spans; [] where it cannot be found.

    Args:
        pdf: the PDF the reading text was imported from.
        text: the source's reading text.
        pages: the source's page map.
    """
    placed: list[Placed] = []
    for span in pages:
        lo, hi = max(start, span.start), min(end, span.end)
        if lo >= hi or span.end <= span.start:
            continue
        part, _ = letters(text[lo:hi])
        found = pdf.page(span.index) if part else None
        if found is None:
            continue
        stream, where, _ = found
        expected = (lo - span.start) / max(1, span.end - span.start) * len(stream)
        at = nearest(stream, part, expected)
        if at < 0:
            return []  # one page's share not found: the highlight is not placed at all
        first, last = where[at], where[at + len(part) - 1]
        first, last = _widen(pdf.texts[span.index], text[lo:hi], first, last)
        quads = pdf.boxes(span.index, first, last)
        if quads:
            placed.append(Placed(span.index, quads))
    return placed


def _widen(page_text: str, quote: str, first: int, last: int) -> tuple[int, int]:
    """Widen characters first..last (letters) over the punctuation the quote has around its
    letters ("(", a closing full stop), where the page has the same characters there."""
    stripped = quote.strip()
    head = stripped[: len(stripped) - len(stripped.lstrip("([\"“‘'"))]
    tail = stripped[len(stripped.rstrip(".,;:!?)]\"”’'")) :]
    for ch in reversed(head):
        if first > 0 and page_text[first - 1] == ch:
            first -= 1
    for ch in tail:
        if last + 1 < len(page_text) and page_text[last + 1] == ch:
            last += 1
    return first, last


def anchor_covered(text: str, pages: list[PageSpan], page_index: int, covered: str,
                   expected: float = 0.0) -> tuple[int, int] | None:
    """Where the text a PDF highlight covers on page `page_index` sits in the reading text.

    Args:
        expected: how far down the page's text the highlight starts (0 to 1), to choose
            between repeated phrases.

    Returns:
        (start, end) offsets in `text`, from its first to its last letter, widened over
        punctuation the covered text holds at either end (a closing full stop); None when
        its letters are not on that page's span of the reading text.
    """
    part, _ = letters(covered)
    if not part:
        return None
    span = next((p for p in pages if p.index == page_index), None)
    if span is None or span.end <= span.start:
        return None
    # A highlight may run onto the next page's text (its span ends where that page starts).
    window_end = min(len(text), span.end + (span.end - span.start))
    stream, where = letters(text[span.start : window_end])
    at = nearest(stream, part, expected * len(letters(text[span.start : span.end])[0]))
    if at < 0:
        return None
    start = span.start + where[at]
    end = span.start + where[at + len(part) - 1] + 1
    stripped = covered.strip()
    lead = len(stripped) - len(stripped.lstrip("([\"“‘'"))
    tail = len(stripped) - len(stripped.rstrip(".,;:!?)]\"”’'"))
    while lead and start > 0 and text[start - 1] == stripped[lead - 1]:
        start -= 1
        lead -= 1
    for ch in stripped[len(stripped) - tail :]:
        if end < len(text) and text[end] == ch:
            end += 1
        else:
            break
    return start, end
