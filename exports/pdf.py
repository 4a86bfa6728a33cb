"""`export --format pdf`: a copy of a source's PDF with each highlight as a real Highlight annotation.

Each highlight becomes one Highlight annotation per page it covers: QuadPoints over the lines
of its characters (boxes from PDFium, sources.pdf_marks), the colour of its first tag, its
note as /Contents, its tags as /Subj (the subject), its author as /T, and /NM
"postil:<highlight id>:<part>" so that reading the file back (`postil add` of the marked copy)
knows its own highlights again. pypdf writes the copy; the original file is only read.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight as HighlightAnnotation
from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

from postil.exports.collect import ExportData
from postil.sources.document import PageSpan
from postil.sources.pdf_marks import PdfPageText, place
from postil.store.models import Highlight

NEUTRAL = "ffd400"
"""The colour of an untagged highlight (a highlighter's yellow)."""

MARK_PREFIX = "postil:"
"""How a Highlight annotation's /NM says postil wrote it."""


class PdfExportError(Exception):
    """The marked copy cannot be made (the original is missing, changed or unreadable)."""


@dataclass
class MarkedPdf:
    """A copy of a PDF with the highlights written in, and those that could not be placed."""

    data: bytes
    placed: int
    """Highlights written into the copy."""
    missed: list[Highlight]
    """Highlights whose text could not be found on their pages (not written)."""


def mark_pdf(data: ExportData, source_id: int, pages: list[PageSpan], colors: dict[str, str]) -> MarkedPdf:
    """The source's original PDF with the export's highlights of that source in it.

    Args:
        data: the collected export (its highlights of other sources are ignored).
        source_id: the PDF source.
        pages: its page map.
        colors: tag name -> "#rrggbb".

    Raises:
        PdfExportError: the original file is gone, changed since it was added, or unreadable.
    """
    source = data.sources[source_id]
    original = _original(source.origin, source.sha256)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    text_pages = PdfPageText(original)
    placed, missed = 0, []
    try:
        for h in data.highlights:
            if h.source_id != source_id:
                continue
            if h.anchor_status == "orphaned" or not data.quote_ok.get(h.id, True):
                missed.append(h)
                continue
            parts = place(text_pages, source.text, pages, h.start, h.end)
            if not parts:
                missed.append(h)
                continue
            for number, part in enumerate(parts):
                writer.add_annotation(part.page, _annotation(h, part.quads, number, colors))
            placed += 1
    finally:
        text_pages.close()
    out = io.BytesIO()
    writer.write(out)
    return MarkedPdf(out.getvalue(), placed, missed)


def _annotation(h: Highlight, quads, number: int, colors: dict[str, str]) -> HighlightAnnotation:
    points = ArrayObject(
        FloatObject(round(v, 2)) for left, bottom, right, top in quads
        for v in (left, top, right, top, left, bottom, right, bottom)
    )
    rect = (min(q[0] for q in quads), min(q[1] for q in quads), max(q[2] for q in quads), max(q[3] for q in quads))
    color = next((colors[t] for t in h.tags if t in colors), "#" + NEUTRAL).lstrip("#")
    annotation = HighlightAnnotation(rect=rect, quad_points=points, highlight_color=color, printing=True)
    annotation[NameObject("/Contents")] = TextStringObject(h.note)
    annotation[NameObject("/Subj")] = TextStringObject(", ".join(h.tags))
    annotation[NameObject("/T")] = TextStringObject(h.author)
    annotation[NameObject("/NM")] = TextStringObject(f"{MARK_PREFIX}{h.id}:{number}")
    return annotation


def _original(origin: str, sha256: str) -> bytes:
    path = Path(origin)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PdfExportError(f"{origin}: cannot read the original PDF ({error.strerror or type(error).__name__})") from None
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise PdfExportError(f"{origin}: the file changed since it was added; run `postil refresh` first")
    return raw
