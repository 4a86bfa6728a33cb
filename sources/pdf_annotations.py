"""Highlights already in a PDF (made in Zotero, Acrobat, Preview, or by `export --format pdf`):
Highlight and Underline annotations read through PDFium, anchored in the reading text.

Each annotation's covered text is what lies under the middle band of each of its quads (a
reader's quads are often taller than the line, and the full box would catch the lines above
and below). postil's own annotations carry /NM "postil:<highlight id>:<part>" and their tags
in /Subj, so a marked copy read back gives the same highlights, ids and tags; one highlight
over two pages is two annotations, joined again here.
"""

from __future__ import annotations

import ctypes
import re
import uuid
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from postil.sources.document import PageSpan, PdfMark
from postil.sources.normalise import clean
from postil.sources.pdf_marks import anchor_covered

MARK_KINDS = (pdfium_c.FPDF_ANNOT_HIGHLIGHT, pdfium_c.FPDF_ANNOT_UNDERLINE)
MAX_MARKS = 10_000
"""More annotations than this in one PDF are not read (bounded work on a hostile file)."""

_POSTIL_NAME = re.compile(r"^postil:([0-9a-f-]{36}):\d+$")
_NAMESPACE = uuid.UUID("2f0c8a5e-3b7d-4e0a-9c61-5d2b7f4e8a90")


@dataclass
class RawMark:
    """An annotation as found on its page, before it is anchored."""

    page: int
    covered: str
    expected: float
    """How far down the page's characters it starts (0 to 1)."""
    note: str
    subject: str
    author: str
    name: str
    color: str | None


def read_page_marks(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, index: int, budget: int) -> list[RawMark]:
    """The Highlight and Underline annotations of one page (at most `budget`)."""
    marks: list[RawMark] = []
    count = pdfium_c.FPDFPage_GetAnnotCount(page.raw)
    chars = max(1, textpage.count_chars())
    for i in range(count):
        if len(marks) >= budget:
            break
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) not in MARK_KINDS:
                continue
            pieces, first = [], -1
            for q in range(pdfium_c.FPDFAnnot_CountAttachmentPoints(annot)):
                quad = pdfium_c.FS_QUADPOINTSF()
                if not pdfium_c.FPDFAnnot_GetAttachmentPoints(annot, q, ctypes.byref(quad)):
                    continue
                xs = (quad.x1, quad.x2, quad.x3, quad.x4)
                ys = (quad.y1, quad.y2, quad.y3, quad.y4)
                bottom, top = min(ys), max(ys)
                middle, band = (top + bottom) / 2, (top - bottom) * 0.25
                pieces.append(textpage.get_text_bounded(min(xs), middle - band, max(xs), middle + band))
                if first < 0:
                    first = pdfium_c.FPDFText_GetCharIndexAtPos(textpage.raw, min(xs) + 0.5, middle, 2.0, band + 1)
            covered = " ".join(" ".join(p.split()) for p in pieces if p.strip())
            if covered:
                marks.append(RawMark(index, covered, max(0, first) / chars, _string(annot, "Contents"),
                                     _string(annot, "Subj"), _string(annot, "T"), _string(annot, "NM"), _color(annot)))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return marks


def anchor_marks(raw_marks: list[RawMark], text: str, pages: list[PageSpan], sha256: str) -> tuple[list[PdfMark], int]:
    """Anchor annotations in the reading text.

    Returns:
        (the marks found in the text, joined per postil highlight; how many could not be placed)
    """
    found: dict[str, PdfMark] = {}
    missed = 0
    for number, mark in enumerate(raw_marks):
        span = anchor_covered(text, pages, mark.page, mark.covered, mark.expected)
        if span is None:
            missed += 1
            continue
        own = _POSTIL_NAME.match(mark.name)
        key = own.group(1) if own else str(uuid.uuid5(_NAMESPACE, f"{sha256}:{mark.page}:{mark.name or number}"))
        tags = [t.strip() for t in mark.subject.split(",") if t.strip()] if own else []
        earlier = found.get(key)
        if earlier is not None:
            found[key] = PdfMark(min(earlier.start, span[0]), max(earlier.end, span[1]), earlier.note,
                                 earlier.author, earlier.tags, earlier.color, key, earlier.own)
        else:
            found[key] = PdfMark(span[0], span[1], mark.note, mark.author, tags, mark.color, key, bool(own))
    return sorted(found.values(), key=lambda m: (m.start, m.end)), missed


def _string(annot, key: str) -> str:
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode("ascii"), None, 0)
    if size <= 2:
        return ""
    size = min(size, 1 << 20)  # a note of up to half a million characters
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode("ascii"), ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    # The file's text like any other: control characters and escape sequences go (clean).
    return clean(buffer.raw[: size - 2].decode("utf-16-le", errors="replace"))


def _color(annot) -> str | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFAnnot_GetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_Color,
                                       ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return None
    return f"#{r.value:02x}{g.value:02x}{b.value:02x}"
