"""PDF bytes -> a Document and its page map, through PDFium (pypdfium2).

PDFium gives each page's text as runs (one per line of a column, `PdfTextPage.get_rect`)
with their boxes; the first character of each run gives its font size and weight.
pdf_layout puts the runs in reading order and drops running headers and footers; pdf_text
builds the reading text. Each page keeps its label (as the PDF declares it: "iii", "4",
"A-1"; else its number) and its span in the reading text, so a highlight knows its page.

Refused with one line, before anything is stored: a file PDFium cannot open (damaged,
truncated, not a PDF), a password-protected one, one with more than MAX_PAGES pages, and
one without a text layer on any page (a scan: there is no OCR). Pages without text are
named in the Document's warnings.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from postil.sources.document import Document, PageSpan, PdfMark
from postil.sources.errors import SourceError
from postil.sources.normalise import clean
from postil.sources.pdf_annotations import MAX_MARKS, RawMark, anchor_marks, read_page_marks
from postil.sources.pdf_layout import Line, drop_running_lines, reading_order
from postil.sources.pdf_text import build_document

_LINE_END = re.compile("\r\n|\ufffe")

MAX_PAGES = 5000
"""Longer documents are refused: a 5,000-page PDF is a corpus, not a source."""

MAX_TEXT_CHARS = 64 * 1024 * 1024
"""A PDF whose text layer holds more characters than this is refused (bounded memory)."""

BOLD_WEIGHT = 600


@dataclass
class PdfPages:
    """What a PDF yields: its Document and its page map."""

    document: Document
    pages: list[PageSpan]
    marks: list[PdfMark]
    """Highlights already in the file, anchored in the reading text."""
    unplaced_marks: int = 0


def load_pdf(data: bytes, name: str, progress=None, *, sha256: str = "") -> PdfPages:
    """Read a PDF's text layer into a Document with a page map.

    Args:
        data: the file's bytes.
        name: the file name as the user knows it (for messages and the fallback title).
        progress: called as progress(pages read so far, pages), if given.
        sha256: the file's hash, to give highlights found in it stable ids.

    Raises:
        SourceError: damaged, encrypted, too long, or no text on any page.
    """
    document = _open(data, name)
    try:
        count = len(document)
        if count == 0:
            raise SourceError(name, "the PDF has no pages")
        if count > MAX_PAGES:
            raise SourceError(name, f"too many pages ({count}; the limit is {MAX_PAGES})")
        pages: list[list[Line]] = []
        widths: list[float] = []
        heights: list[float] = []
        labels: list[str] = []
        chars = 0
        raw_marks: list[RawMark] = []
        for index in range(count):
            lines, width, height, page_chars = _page_lines(document, index, name, raw_marks)
            chars += page_chars
            if chars > MAX_TEXT_CHARS:
                raise SourceError(name, f"too much text (over {MAX_TEXT_CHARS // (1024 * 1024)} million characters)")
            pages.append(lines)
            widths.append(width)
            heights.append(height)
            labels.append(_label(document, index))
            if progress is not None:
                progress(index + 1, count)
        metadata_title = _metadata_title(document)
    finally:
        document.close()

    empty = [i for i, lines in enumerate(pages) if not lines]
    if len(empty) == count:
        raise SourceError(name, "no text layer on any page (a scanned PDF? postil does not do OCR)")
    pages, _ = drop_running_lines(pages, heights)
    columns = [reading_order(lines, width) for lines, width in zip(pages, widths)]
    title = metadata_title or _first_heading(columns) or Path(name).stem
    text_document, first_offsets = build_document(columns, title)
    if empty:
        numbers = ", ".join(labels[i] if labels[i] == str(i + 1) else f"{i + 1} ({labels[i]})" for i in empty)
        one = len(empty) == 1
        text_document.warnings.append(
            f"{'page' if one else 'pages'} {numbers} {'has' if one else 'have'} no text layer"
            f" (scanned?); {'its' if one else 'their'} text is missing"
        )
    spans = page_spans(labels, first_offsets, len(text_document.text))
    marks, unplaced = anchor_marks(raw_marks, text_document.text, spans, sha256) if raw_marks else ([], 0)
    return PdfPages(text_document, spans, marks, unplaced)


def page_spans(labels: list[str], first_offsets: list[int | None], length: int) -> list[PageSpan]:
    """Contiguous page spans covering the reading text: a page runs from where its text
    starts to where the next page's starts; a page without text has an empty span."""
    starts: list[int] = [0] * len(labels)
    following = length
    for index in range(len(labels) - 1, -1, -1):
        offset = first_offsets[index]
        following = offset if offset is not None else following
        starts[index] = following
    first_with_text = next((i for i, o in enumerate(first_offsets) if o is not None), None)
    if first_with_text is not None:
        starts[first_with_text] = 0
        for index in range(first_with_text):
            starts[index] = 0
    spans = []
    for index, label in enumerate(labels):
        end = starts[index + 1] if index + 1 < len(labels) else length
        if first_offsets[index] is None:
            spans.append(PageSpan(index, label, starts[index], starts[index]))
        else:
            spans.append(PageSpan(index, label, starts[index], max(starts[index], end)))
    return spans


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise SourceError(name, "the PDF is encrypted with a password; save an unprotected copy and add that") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise SourceError(name, "the PDF uses an unsupported security handler") from None
        raise SourceError(name, "damaged or truncated PDF (PDFium cannot read it)") from None


def _page_lines(document: pdfium.PdfDocument, index: int, name: str,
                raw_marks: list[RawMark]) -> tuple[list[Line], float, float, int]:
    """The page's runs, its size and character count; its highlight annotations go to `raw_marks`."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        raise SourceError(name, f"page {index + 1} is damaged (PDFium cannot read it)") from None
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            if len(raw_marks) < MAX_MARKS and pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
                raw_marks.extend(read_page_marks(page, textpage, index, MAX_MARKS - len(raw_marks)))
            return _runs(textpage, index, height), width, height, textpage.count_chars()
        finally:
            textpage.close()
    finally:
        page.close()


def _runs(textpage: pdfium.PdfTextPage, page_index: int, height: float) -> list[Line]:
    """Each text run of a page as a Line, with the size and weight of its first character.

    The page's text comes out once, its lines split where PDFium put a line break; each line
    is asked for its runs (one, or more where columns share a baseline: those are cut at the
    character under each run's left edge). Asking PDFium for the text inside each run's box
    (`get_text_bounded`) or for the character under every run scans the whole page each time
    (0.8 ms a run: 5 s for a 60-page paper); the box text stays the fallback for a page whose
    text and character indexes do not line up.
    """
    raw = textpage.raw
    full = textpage.get_text_range()
    if len(full) != textpage.count_chars():
        return _bounded_runs(textpage, page_index, height)
    lines: list[Line] = []
    box = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(b) for b in box]
    fonts: dict[int, bool] = {}
    start = 0
    for end in _line_ends(full):
        count = pdfium_c.FPDFText_CountRects(raw, start, end - start)
        rects = []
        for j in range(count):
            if pdfium_c.FPDFText_GetRect(raw, j, *refs):
                rects.append(tuple(b.value for b in box))  # left, top, right, bottom
        rects = _join_close(rects)
        if len(rects) == 1:
            cuts = [start]
        else:
            cuts = [start] + [_first_char_from(raw, start, end, l, refs, box) for l, t, r, b in rects[1:]]
            if not all(start <= a < c < end for a, c in zip(cuts, cuts[1:])):
                cuts = [-1] * len(rects)  # each run's text from its box, then
        for k, (left, top, right, bottom) in enumerate(rects):
            if cuts[k] < 0:
                text = textpage.get_text_bounded(left, bottom, right, top)
            else:
                text = full[cuts[k] : cuts[k + 1] if k + 1 < len(cuts) and cuts[k + 1] >= 0 else end]
            text = text.rstrip("\r\n ")
            if text.strip():
                size, bold = _font(raw, cuts[k] if cuts[k] >= 0 else _char_at(raw, left, top, bottom), fonts)
                lines.append(Line(page_index, left, height - top, right, height - bottom, text, size, bold))
        start = end
    return lines


def _join_close(rects: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Join runs of one line that are closer than the line is high: PDFium starts a new run
    at many a word space, and only a wide gap (a column's gutter, a table's cell) matters."""
    out: list[tuple[float, float, float, float]] = []
    for rect in rects:
        if out:
            left, top, right, bottom = out[-1]
            height = max(top - bottom, rect[1] - rect[3], 1.0)
            if 0 <= rect[0] - right < height and rect[3] < top and rect[1] > bottom:
                out[-1] = (left, max(top, rect[1]), max(right, rect[2]), min(bottom, rect[3]))
                continue
        out.append(rect)
    return out


def _first_char_from(raw, lo: int, hi: int, x: float, refs, box) -> int:
    """The first character of line lo..hi whose box starts at or right of `x` (a run's left
    edge): a binary search over the line's characters, which run left to right. -1 if none."""
    def left_of(index: int) -> float | None:
        while index < hi:
            if pdfium_c.FPDFText_IsGenerated(raw, index) != 1 and pdfium_c.FPDFText_GetCharBox(raw, index, *refs):
                left, right = box[0].value, box[1].value
                if right > left:
                    return left
            index += 1
        return None

    a, b = lo, hi
    while a < b:
        mid = (a + b) // 2
        left = left_of(mid)
        if left is None or left >= x - 0.5:
            b = mid
        else:
            a = mid + 1
    return a if a < hi else -1


def _line_ends(text: str) -> list[int]:
    """Offsets just past each of PDFium's line ends, and the end of the text.

    A line ends at "\r\n", and also after U+FFFE: where a line ended in a hyphen PDFium
    writes that mark instead of the hyphen and goes on with the next line without a break.
    """
    ends = [m.end() for m in _LINE_END.finditer(text)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    return ends


def _char_at(raw, left: float, top: float, bottom: float) -> int:
    return pdfium_c.FPDFText_GetCharIndexAtPos(raw, left + 0.5, (top + bottom) / 2, 2.0, abs(top - bottom) / 2 + 1)


def _bounded_runs(textpage: pdfium.PdfTextPage, page_index: int, height: float) -> list[Line]:
    """Each run's text asked for by its box (slow; for pages whose indexes do not line up)."""
    raw = textpage.raw
    lines = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        if text.strip():
            first = pdfium_c.FPDFText_GetCharIndexAtPos(raw, left + 0.5, (top + bottom) / 2, 2.0, (top - bottom) / 2 + 1)
            lines.append(Line(page_index, left, height - top, right, height - bottom, text, *_font(raw, first)))
    return lines


def _font(raw, index: int, fonts: dict[int, bool] | None = None) -> tuple[float, bool]:
    """(size, bold) of the character at `index`; (0, False) for none. Whether a font is bold
    is asked once per font (`fonts`, by handle): the name lookup cost ~0.1 ms a line."""
    if index < 0:
        return 0.0, False
    size = round(float(pdfium_c.FPDFText_GetFontSize(raw, index)), 2)
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, index))
    key = ctypes.cast(font, ctypes.c_void_p).value if font else None
    if key is None or fonts is None:
        return size, _bold(font)
    if key not in fonts:
        fonts[key] = _bold(font)
    return size, fonts[key]


def _bold(font) -> bool:
    """Whether a font is bold by its weight or, as many PDFs leave the weight out, its name."""
    if not font:
        return False
    if pdfium_c.FPDFFont_GetWeight(font) >= BOLD_WEIGHT:
        return True
    buffer = ctypes.create_string_buffer(256)
    written = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    return written > 0 and b"bold" in buffer.value.lower()


def _label(document: pdfium.PdfDocument, index: int) -> str:
    # Labels are the file's text like any other: cleaned of control characters and escapes.
    label = " ".join(clean(document.get_page_label(index) or "").split())
    return label[:40] if label else str(index + 1)


def _metadata_title(document: pdfium.PdfDocument) -> str:
    title = document.get_metadata_value("Title") or ""
    title = " ".join(title.split())
    # Word processors often store a file name or "untitled" as the title.
    if not title or title.casefold() in {"untitled", "title"} or title.lower().endswith((".doc", ".docx", ".pdf", ".dvi", ".tex")):
        return ""
    return title


def _first_heading(columns: list[list[list[Line]]]) -> str:
    """The largest text on the first page with text: where a paper prints its title."""
    for page in columns:
        lines = [line for column in page for line in column]
        if lines:
            biggest = max(line.size for line in lines)
            if biggest <= 1.15 * min(line.size for line in lines):
                return ""
            return " ".join(line.text.strip("\x02\ufffe") for line in lines if line.size == biggest)[:200]
    return ""
