"""PDFs the tests draw themselves (fpdf2): columns, running headers, hyphenated line ends,
page labels, pages without text, encryption.

`Paper` lays text out like a journal page: a full-width title, then one or two columns of
paragraphs wrapped greedily to the column width. A "|" inside a word marks where the word
may be broken at a line end (with a hyphen), the way a typesetter would; a "^" inside a word
breaks it there always (with a hyphen added, "effi^cient"; after a hyphen, none: "well-^known").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN = 60.0
GUTTER = 24.0
LEADING = 12.5
BODY = 10


class Paper:
    """A PDF in the making, page by page."""

    def __init__(self, *, unicode_font: bool = False) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.font = "Helvetica"
        if unicode_font:
            if not DEJAVU.exists():
                pytest.skip("DejaVu Sans is not installed (needed to draw ligature glyphs)")
            self.pdf.add_font("DejaVu", "", str(DEJAVU))
            self.font = "DejaVu"
        self.written: list[tuple[int, int, str]] = []
        """(page number, column, text) of every body line, in the order drawn."""
        self.columns = 1
        self.y = MARGIN
        self.column = 0
        self.page_number = 0

    def new_page(self, *, columns: int = 1, header: str | None = None, footer: str | None = None,
                 label_style: str | None = None, label_start: int | None = None) -> None:
        """Start a page; `header`/`footer` may hold "{n}" for the page number."""
        self.pdf.add_page()
        self.page_number += 1
        if label_style:
            self.pdf.set_page_label(label_style=label_style, label_start=label_start)
        self.columns = columns
        self.column = 0
        self.y = self.top = MARGIN
        self.pdf.set_font(self.font, size=8)
        if header:
            self.pdf.text(MARGIN, 36, header.format(n=self.page_number))
        if footer:
            self.pdf.text(PAGE_W / 2 - 10, PAGE_H - 30, footer.format(n=self.page_number))

    @property
    def column_width(self) -> float:
        usable = PAGE_W - 2 * MARGIN
        return usable if self.columns == 1 else (usable - GUTTER) / 2

    @property
    def x(self) -> float:
        return MARGIN + self.column * (self.column_width + GUTTER)

    def title(self, text: str, size: int = 18) -> None:
        """A full-width line in a large font (above the columns)."""
        self.pdf.set_font(self.font, size=size)
        self.pdf.text(MARGIN, self.y + size, text)
        self.y += size + LEADING * 2
        self.top = self.y

    def heading(self, text: str, size: int = 13, bold: bool = False) -> None:
        self._room(2)
        if bold:
            self.pdf.set_font("Helvetica", "B", size)
        else:
            self.pdf.set_font(self.font, size=size)
        self.y += LEADING / 2
        self.pdf.text(self.x, self.y + size, text)
        self.y += size + LEADING / 2

    def paragraph(self, text: str, *, indent: bool = False) -> None:
        """Text wrapped to the column, continuing into the next column or page as needed."""
        self.pdf.set_font(self.font, size=BODY)
        width = self.column_width
        line = ""
        for word in text.split():
            if "^" in word:
                head, tail = word.split("^", 1)
                self._line(f"{line} {head}".strip() + ("" if head.endswith("-") else "-"))
                line = tail
                continue
            candidate = f"{line} {word}" if line else word
            if self.pdf.get_string_width(candidate.replace("|", "")) <= width:
                line = candidate
                continue
            if "|" in word:
                head, tail = word.split("|", 1)
                broken = f"{line} {head}-" if line else f"{head}-"
                if self.pdf.get_string_width(broken.replace("|", "")) <= width:
                    self._line(broken)
                    line = tail
                    continue
            self._line(line)
            line = word
        if line:
            self._line(line)
        self.y += LEADING * 0.6

    def _line(self, text: str) -> None:
        self._room(1)
        self.pdf.text(self.x, self.y + BODY, text.replace("|", ""))
        self.written.append((self.page_number, self.column, text.replace("|", "")))
        self.y += LEADING

    def _room(self, lines: int) -> None:
        if self.y + lines * LEADING <= PAGE_H - MARGIN:
            return
        if self.column + 1 < self.columns:
            self.column += 1
            self.y = getattr(self, "top", MARGIN)
        else:
            raise OverflowError("the page is full: start a new page first")

    def blank_image_page(self) -> None:
        """A page with drawing on it but no text (as a scanned page shows to a text layer)."""
        self.pdf.add_page()
        self.page_number += 1
        self.pdf.set_fill_color(120, 120, 120)
        self.pdf.rect(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, style="F")

    def save(self, path: Path, *, password: str | None = None) -> Path:
        if password:
            self.pdf.set_encryption(owner_password=password + "-owner", user_password=password)
        self.pdf.output(str(path))
        return path


LOREM = (
    "Reviewers read the trial reports closely and marked every passage that described the "
    "primary outcome. Each passage was then compared with the registered protocol so that "
    "changes to the outcome could be found and discussed with the authors."
)


def filler(n: int) -> str:
    """A sentence that differs by its number, so that paragraphs are told apart."""
    return f"Paragraph {n} says that " + LOREM


def column_break_phrase(paper: Paper, page: int) -> str:
    """Words from the end of the left column and the start of the right one on `page`: a
    phrase a reader marks across the column break."""
    left = [t for p, c, t in paper.written if p == page and c == 0][-1].split()
    right = [t for p, c, t in paper.written if p == page and c == 1][0].split()
    assert not left[-1].endswith("-"), "choose text that does not break a word at the column end"
    return " ".join(left[-3:] + right[:3])
