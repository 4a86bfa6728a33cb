"""Loaders per format: what a reader sees in the reading text, its blocks and its title."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from postil.sources.document import CELL_GAP
from postil.sources.errors import SourceError
from postil.sources.load import SUPPORTED_EXTENSIONS, collect_paths, format_for, load_bytes, load_path, welcome_guide


def blocks_of(document):
    """[(kind, level, text)] for easy comparison."""
    return [(b.kind, b.level, document.text[b.start : b.end]) for b in document.blocks]


def test_format_follows_the_extension():
    assert format_for("a.md") == "markdown"
    assert format_for("a.MARKDOWN") == "markdown"
    assert format_for("a.htm") == "html"
    assert format_for("a.HTML") == "html"
    assert format_for("a.txt") == "text"
    assert format_for("README") == "text"
    assert format_for("data.csv") == "text"
    assert format_for("paper.PDF") == "pdf"
    assert SUPPORTED_EXTENSIONS == {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}


# --- plain text ---------------------------------------------------------------------------


def test_plain_paragraphs_split_on_blank_lines():
    doc = load_bytes(b"First paragraph here.\n\n\nSecond one.\n  \nThird.", "x.txt").document
    assert [text for _, _, text in blocks_of(doc)][-3:] == ["First paragraph here.", "Second one.", "Third."]
    assert doc.text.endswith("First paragraph here.\n\nSecond one.\n\nThird.")


def test_hard_wrapped_paragraph_reads_as_one_flowing_paragraph():
    prose = "It was the best of times, it was the worst of times, it was the age of wisdom. " * 6
    wrapped = textwrap.fill(prose.strip(), 70)
    assert wrapped.count("\n") >= 4
    doc = load_bytes(f"A Tale\n\n{wrapped}\n\n{wrapped}\n".encode(), "tale.txt").document
    paragraphs = [text for kind, _, text in blocks_of(doc) if kind == "paragraph"]
    assert paragraphs == [prose.strip(), prose.strip()]


def test_heading_line_then_wrapped_paragraph_without_blank_line():
    prose = textwrap.fill("Word " * 80, 72)
    doc = load_bytes(f"Story\n\nCHAPTER I\n{prose}\n".encode(), "s.txt").document
    kinds = blocks_of(doc)
    assert kinds[1] == ("heading", 2, "CHAPTER I")
    assert kinds[2][0] == "paragraph" and "\n" not in kinds[2][2]


def test_one_line_per_paragraph_keeps_each_line_and_finds_headings():
    long = "This sentence is long enough to be a paragraph of its own in pasted web text. " * 2
    doc = load_bytes(f"My Article\n{long}\nA Section Heading\n{long}\n".encode(), "a.txt").document
    assert [(k, lv) for k, lv, _ in blocks_of(doc)] == [("heading", 1), ("paragraph", 0), ("heading", 2), ("paragraph", 0)]
    assert doc.title == "My Article"


def test_list_items_keep_their_marker_in_the_text():
    doc = load_bytes("Shopping\n\n- eggs\n* milk\n• bread\n2) cheese".encode(), "l.txt").document
    items = [(b.meta["marker"], doc.text[b.start : b.end]) for b in doc.blocks if b.kind == "list_item"]
    assert items == [("•", "• eggs"), ("•", "• milk"), ("•", "• bread"), ("2.", "2. cheese")]


def test_short_lines_stay_together_as_verse():
    doc = load_bytes(b"Poem\n\nRoses are red\nViolets are blue\nSugar is sweet", "p.txt").document
    assert blocks_of(doc)[-1] == ("paragraph", 0, "Roses are red\nViolets are blue\nSugar is sweet")


def test_plain_title_is_first_short_line_else_the_file_name():
    assert load_bytes(b"\n\n  The Title  \n\nBody text.", "x.txt").document.title == "The Title"
    long_first = ("word " * 40).encode()
    assert load_bytes(long_first, "my-notes_on.things.txt").document.title == "My notes on things"


# --- Markdown -----------------------------------------------------------------------------

MARKDOWN = """\
# The *Title*

Some **bold**, _em_, `code` and a [link](https://example.org/a) in
a wrapped paragraph.

> A quoted
> passage.

1. first
2. second
   - nested [there](https://example.org/b)

```python
def f():
    return 1
```

| Feature | Value |
|---|:-:|
| **Speed** | fast |
| Size | small |

Closing words.
"""


def test_markdown_blocks_and_no_markup():
    doc = load_bytes(MARKDOWN.encode(), "m.md").document
    assert doc.format == "markdown"
    assert doc.title == "The Title"
    assert blocks_of(doc) == [
        ("heading", 1, "The Title"),
        ("paragraph", 0, "Some bold, em, code and a link in a wrapped paragraph."),
        ("quote", 1, "A quoted passage."),
        ("list_item", 1, "1. first"),
        ("list_item", 1, "2. second"),
        ("list_item", 2, "• nested there"),
        ("code", 0, "def f():\n    return 1"),
        ("table_row", 0, "Feature  |  Value"),
        ("table_row", 0, "Speed  |  fast"),
        ("table_row", 0, "Size  |  small"),
        ("paragraph", 0, "Closing words."),
    ]
    for marker in ("**", "`", "](", "|", "---", "# "):
        assert marker not in doc.text.replace(CELL_GAP, "\t")  # the cell gap is postil's, not markup


def test_markdown_links_are_kept_in_block_meta():
    doc = load_bytes(MARKDOWN.encode(), "m.md").document
    paragraph = doc.blocks[1]
    assert paragraph.meta["links"] == ["https://example.org/a"]
    nested = doc.blocks[5]
    assert nested.meta == {"links": ["https://example.org/b"], "marker": "•"}


def test_markdown_table_rows_are_one_newline_apart():
    doc = load_bytes(MARKDOWN.encode(), "m.md").document
    assert "Feature  |  Value\nSpeed  |  fast\nSize  |  small" in doc.text
    header = [b for b in doc.blocks if b.kind == "table_row"][0]
    assert header.meta.get("header") is True


def test_markdown_title_falls_back_to_first_short_line_then_file_name():
    assert load_bytes(b"Just Text\n\nBody.", "x.md").document.title == "Just Text"
    long = ("word " * 30).encode()
    assert load_bytes(long, "deep-dive.md").document.title == "Deep dive"


def test_markdown_one_paragraph_per_line_is_split_per_line():
    long = "A long line of pasted text that goes on well past a hundred characters, as text from the web does. " * 2
    source = f"Title\n\n{long}\nA Heading Line\n{long}\n| a | b |\n|---|---|\n| 1 | 2 |\nAfter the table, prose.\n"
    doc = load_bytes(source.encode(), "p.md").document
    assert blocks_of(doc) == [
        ("heading", 1, "Title"),
        ("paragraph", 0, long.strip()),
        ("heading", 2, "A Heading Line"),
        ("paragraph", 0, long.strip()),
        ("table_row", 0, "a  |  b"),
        ("table_row", 0, "1  |  2"),
        ("paragraph", 0, "After the table, prose."),
    ]


# --- HTML ---------------------------------------------------------------------------------

ARTICLE = """<html><head><title>Page &amp; Title</title><style>p{color:red}</style>
<script>alert("x")</script></head><body>
<nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<article><h1>The Heading</h1>
<p>First paragraph with <b>bold</b> and a <a href="https://x.org/y">link</a>. It goes on long
enough to count as article text for any extractor worth its salt.</p>
<h2>Second part</h2>
<p>Second paragraph, also long enough to be kept as content by the extractor, we hope so.</p>
<ul><li>Item one</li><li>Item two</li></ul>
<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>
</article>
<form><input name="q"><button>Search</button></form>
<footer>Copyright footer</footer><!-- a comment --></body></html>"""


def test_html_article_blocks_and_title():
    doc = load_bytes(ARTICLE.encode(), "page.html").document
    assert doc.format == "html"
    assert doc.title == "Page & Title"
    got = blocks_of(doc)
    assert ("heading", 1, "The Heading") in got
    assert ("heading", 2, "Second part") in got
    assert ("list_item", 1, "• Item one") in got
    assert ("table_row", 0, "A  |  B") in got and ("table_row", 0, "1  |  2") in got
    for gone in ("alert", "color:red", "a comment", "Search", "<", "&amp;"):
        assert gone not in doc.text
    first = next(b for b in doc.blocks if doc.text[b.start : b.end].startswith("First paragraph"))
    assert first.meta["links"] == ["https://x.org/y"]


def test_html_fragment_falls_back_to_whole_page_text():
    doc = load_bytes(b"<p>Tiny</p><ul><li>one</li></ul><script>x()</script>", "f.htm").document
    assert blocks_of(doc) == [("paragraph", 0, "Tiny"), ("list_item", 1, "• one")]
    assert doc.title == "F"


def test_html_title_from_first_heading_when_no_title_element():
    body = "<h1>Real Title</h1>" + "<p>" + "Body text that is long enough to keep. " * 10 + "</p>"
    assert load_bytes(body.encode(), "x.html").document.title == "Real Title"


# --- files, folders and the guide ---------------------------------------------------------


def test_load_path_records_origin_hash_and_size(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_bytes(b"\xef\xbb\xbfHello\r\n")
    loaded = load_path(path)
    assert loaded.origin == str(path.resolve())
    assert loaded.size == 10
    import hashlib

    assert loaded.sha256 == hashlib.sha256(b"\xef\xbb\xbfHello\r\n").hexdigest()
    assert loaded.document.text == "Hello"


def test_collect_paths_expands_folders_and_reports_problems(tmp_path: Path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / ".hidden").mkdir()
    for name in ("docs/a.txt", "docs/b.MD", "docs/sub/c.htm", "docs/skip.png", "docs/.secret.txt",
                 "docs/.hidden/d.txt", "explicit.csv"):
        (tmp_path / name).write_text("x")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "image.png").write_bytes(b"\x89PNG")
    files, errors = collect_paths([tmp_path / "docs", tmp_path / "explicit.csv", tmp_path / "gone.txt",
                                   tmp_path / "empty", tmp_path / "docs" / "a.txt"])
    rel = [p.relative_to(tmp_path).as_posix() for p in files]
    assert rel == ["docs/a.txt", "docs/b.MD", "docs/sub/c.htm", "explicit.csv"]
    messages = [str(e) for e in errors]
    assert len(messages) == 2
    assert messages[0].startswith(str(tmp_path / "gone.txt") + ": ") and "no such" in messages[0]
    assert messages[1].startswith(str(tmp_path / "empty") + ": ") and "no importable" in messages[1]


def test_welcome_guide_is_a_markdown_source_that_teaches_the_keys():
    loaded = welcome_guide()
    doc = loaded.document
    assert loaded.origin == "postil:welcome"
    assert doc.format == "markdown" and doc.warnings == []
    assert doc.title == "Welcome to postil"
    assert 1000 <= len(doc.text.split()) <= 1600
    for key in ("ctrl+b", "ctrl+p", "ctrl+d", "ctrl+u", "ctrl+r", "ctrl+o", "pagedown", "escape", "tab"):
        assert key in doc.text
    for word in ("mechanism", "outcome", "caveat", "anecdote"):
        assert word in doc.text
    kinds = {b.kind for b in doc.blocks}
    assert {"heading", "paragraph", "list_item", "quote", "table_row"} <= kinds
    assert "`" not in doc.text and "**" not in doc.text


def test_source_error_is_one_line_naming_the_file():
    error = SourceError("dir/bad\nname.png", "looks like binary data (PNG image), not text")
    assert str(error) == "dir/bad name.png: looks like binary data (PNG image), not text"
    with pytest.raises(SourceError):
        load_path("/nonexistent/for/sure.txt")


def test_heading_line_directly_above_short_sentences_is_split_off():
    doc = load_bytes(b"Article\n\nCautions and Open Questions\nDespite the excitement, be cautious:\n", "c.txt").document
    assert blocks_of(doc)[1:] == [
        ("heading", 2, "Cautions and Open Questions"),
        ("paragraph", 0, "Despite the excitement, be cautious:"),
    ]
