"""Highlights into a PDF (`export --format pdf`) and out of one (annotations read on `add`)."""

from __future__ import annotations

from cli_support import Postil
from pdf_fixtures import Paper, column_break_phrase, filler
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight as HighlightAnnotation
from pypdf.generic import ArrayObject, FloatObject

from postil.sources.load import load_path
from postil.sources.pdf_marks import PdfPageText, letters, place

HEADER = "Running head of the journal {n}"


def paper(path):
    """Two columns on page 1 (a sentence across the column break), one across the page break."""
    p = Paper()
    p.new_page(columns=2, header=HEADER, footer="{n}")
    p.title("Marking Papers")
    p.paragraph("An opening claim about the effi^cient method. " + " ".join(filler(n) for n in range(1, 7))
                + " The marked sentence runs across the column break into the right column.")
    p.paragraph("More text on the right. " + " ".join(filler(n) for n in range(7, 12)))
    p.new_page(columns=1, header=HEADER, footer="{n}")
    p.paragraph(" ".join(filler(n) for n in range(8, 16)) + " A final sentence crosses")
    p.new_page(columns=1, header=HEADER, footer="{n}")
    p.paragraph("the page break and ends here. The end.")
    p.save(path)
    return p


def annotations(path):
    out = []
    for number, page in enumerate(PdfReader(path).pages):
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if a["/Subtype"] == "/Highlight":
                out.append((number, str(a.get("/Contents", "")), str(a.get("/Subj", "")), str(a.get("/NM", ""))))
    return out


def test_marked_pdf_round_trip_same_quotes_same_offsets(tmp_path):
    postil = Postil(tmp_path)
    original = tmp_path / "paper.pdf"
    across_columns = column_break_phrase(paper(original), 1)
    before = original.read_bytes()
    postil.ok("add", str(original))
    text = load_path(original).document.text
    phrases = {
        "efficient method": ("mechanism", "a note\nover two lines"),
        across_columns: ("caveat", ""),
        "A final sentence crosses the page break and ends here.": ("outcome", "spans pages"),
    }
    for phrase, (tag, note) in phrases.items():
        assert phrase in text
        postil.ok("mark", "1", phrase, "-t", tag, *(["-n", note] if note else []))
    mine = {h["quote"]: (h["start"], h["end"], h["tags"], h["note"], h["id"]) for h in postil.ok("highlights", "--json").json()}

    out = tmp_path / "marked.pdf"
    run = postil.ok("export", "--format", "pdf", "1", "-o", str(out))
    assert "wrote 3 highlights" in run.stdout
    assert original.read_bytes() == before  # the original is never touched
    found = annotations(out)
    # The page-break highlight is two annotations (pages 2 and 3); the others one each (the
    # column-break one with a quad in each column).
    assert sorted(number for number, *_ in found) == [0, 0, 1, 2]
    assert ("a note\nover two lines", "mechanism") in {(c, s) for _, c, s, _ in found}

    fresh = Postil(tmp_path / "other")
    (tmp_path / "other").mkdir()
    run = fresh.ok("import", str(out))  # `postil import marked.pdf` adds it, as `add` does
    assert "3 highlights from the PDF's own annotations" in run.stdout
    theirs = {h["quote"]: (h["start"], h["end"], h["tags"], h["note"], h["id"]) for h in fresh.ok("highlights", "--json").json()}
    assert theirs == mine
    fresh.ok("add", str(out))  # again: nothing new
    assert len(fresh.ok("highlights", "--json").json()) == 3


def test_another_readers_highlight_becomes_a_highlight_with_the_nearest_tag(tmp_path):
    original = tmp_path / "paper.pdf"
    paper(original)
    loaded = load_path(original)
    text = loaded.document.text
    start = text.index("efficient method")
    pdf = PdfPageText(original.read_bytes())
    try:
        (part,) = place(pdf, text, loaded.pages, start, start + len("efficient method"))
    finally:
        pdf.close()
    writer = PdfWriter(clone_from=PdfReader(original))
    assert len(part.quads) == 2  # "effi-" ends one line, "cient method" starts the next
    # A reader's quads are taller than the line (they would catch the lines around it whole).
    points = ArrayObject(FloatObject(v) for left, bottom, right, top in part.quads
                         for v in (left, top + 3, right, top + 3, left, bottom - 3, right, bottom - 3))
    rect = (min(q[0] for q in part.quads), min(q[1] for q in part.quads) - 3,
            max(q[2] for q in part.quads), max(q[3] for q in part.quads) + 3)
    annotation = HighlightAnnotation(rect=rect, quad_points=points, highlight_color="e3a030")
    writer.add_annotation(part.page, annotation)
    foreign = tmp_path / "zotero.pdf"
    with foreign.open("wb") as handle:
        writer.write(handle)

    postil = Postil(tmp_path)
    postil.ok("add", str(foreign))
    (h,) = postil.ok("highlights", "--json").json()
    assert (h["quote"], h["start"]) == ("efficient method", start)
    assert h["tags"] == ["caveat"]  # e3a030 is nearest the caveat colour


def test_export_pdf_refusals(tmp_path):
    postil = Postil(tmp_path)
    original = tmp_path / "paper.pdf"
    paper(original)
    notes = tmp_path / "notes.txt"
    notes.write_text("Plain notes.\n")
    postil.ok("add", str(original), str(notes))
    postil.ok("mark", "1", "efficient method")
    assert "is not a PDF source" in postil.fails("export", "--format", "pdf", "2", "-o", str(tmp_path / "x.pdf")).stderr
    assert "is the original PDF" in postil.fails("export", "--format", "pdf", "1", "-o", str(original), "--force").stderr
    assert "needs the PDF source" in postil.fails("export", "--format", "pdf").stderr
    original.write_bytes(original.read_bytes() + b"\n% changed\n")
    assert "changed since it was added" in postil.fails("export", "--format", "pdf", "1", "-o", str(tmp_path / "y.pdf")).stderr
    assert not (tmp_path / "y.pdf").exists()


def test_letter_streams_ignore_what_import_changes():
    assert letters("e\ufb03-\r\ncient, Well-known")[0] == letters("efficient wellknown")[0] == "efficientwellknown"
    stream, where = letters("a-b")
    assert (stream, where) == ("ab", [0, 2])
