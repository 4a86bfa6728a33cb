"""How the Markdown loader decides between a hard-wrapped paragraph and pasted one-per-line text."""

from __future__ import annotations

from postil.sources.load import welcome_guide
from postil.sources.markdown import load_markdown


def test_one_overlong_line_in_a_hard_wrapped_paragraph_keeps_it_one_paragraph():
    text = (
        "The arrow keys move one character or\n"
        "line at a time, and so do h, j and k for left, down and up (l is kept for links), and this line runs on.\n"
        "w and b jump by word.\n"
    )
    doc = load_markdown(text, "x.md")
    assert [b.kind for b in doc.blocks] == ["paragraph"]
    assert "character or line at a time" in doc.text


def test_pasted_text_with_mostly_long_lines_is_split_per_line():
    long = "This sentence is long enough to be a whole paragraph of pasted web text, well past one hundred characters."
    doc = load_markdown(f"Title\n{long}\nA Heading Line\n{long}\n", "x.md")
    assert len(doc.blocks) == 4


def test_the_welcome_guide_has_no_paragraph_broken_mid_sentence():
    doc = welcome_guide().document
    for block in doc.blocks:
        if block.kind == "paragraph":
            body = doc.text[block.start : block.end]
            assert body.rstrip()[-1] in ".:!?)”\"", body
