"""Technical Markdown read as its author wrote it: code, front matter, footnotes, definition
lists and grid tables (issue 16)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from postil.sources.frontmatter import parse_front_matter
from postil.sources.load import load_path
from postil.sources.markdown import load_markdown

MANUAL = """\
---
title: "Pandoc User's Guide"
author:
  - John MacFarlane
  - 'Albert Krewinkel'
date: 2024-05-01
keywords: [markdown, conversion]
---

## Summary

Pandoc converts documents.[^conv] It reads many formats.[^2]

Pandoc
:   A universal document converter.

Filter
:   A program that changes the document tree.

    It reads JSON.

+---------------+---------------+
| Option        | Effect        |
+===============+===============+
| `--standalone`| Whole         |
|               | document      |
+---------------+---------------+
| `--toc`       | Table of      |
|               | contents      |
+---------------+---------------+

```python
    indented = True
def f():
	return 1
```

Indented code follows:

        deeper = 1
    shallow = 2

[^conv]: Between markup formats.
[^2]: Markdown, HTML, LaTeX
    and more.
"""


def _blocks(doc):
    return [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]


def test_a_fenced_code_block_keeps_every_line_s_whitespace_exactly():
    doc = load_markdown(MANUAL, "manual.md")
    code = [text for kind, text in _blocks(doc) if kind == "code"]
    assert code[0] == "    indented = True\ndef f():\n\treturn 1"


def test_an_indented_code_block_keeps_its_first_line_indentation():
    doc = load_markdown(MANUAL, "manual.md")
    code = [text for kind, text in _blocks(doc) if kind == "code"]
    assert code[1] == "    deeper = 1\nshallow = 2"


def test_a_code_block_that_starts_indented_is_indented_in_postil_show(tmp_path: Path):
    from tests.cli_support import Postil

    path = tmp_path / "snippet.md"
    path.write_text("# Snippet\n\n```\n    x = 1\ny = 2\n```\n", encoding="utf-8")
    postil = Postil(tmp_path)
    postil.ok("add", str(path))
    shown = postil.ok("show", "1").stdout
    assert "\n    x = 1\ny = 2" in shown


def test_front_matter_gives_title_author_and_date_and_is_not_read_as_text():
    doc = load_markdown(MANUAL, "manual.md")
    assert doc.title == "Pandoc User's Guide"
    assert doc.metadata["title"] == "Pandoc User's Guide"
    assert doc.metadata["author"] == ["John MacFarlane", "Albert Krewinkel"]
    assert doc.metadata["date"] == "2024-05-01"
    assert doc.metadata["front_matter"]["keywords"] == ["markdown", "conversion"]
    assert "title:" not in doc.text and "author:" not in doc.text
    assert doc.text.startswith("Summary")


def test_front_matter_metadata_is_on_the_loaded_source(tmp_path: Path):
    path = tmp_path / "guide.md"
    path.write_text(MANUAL, encoding="utf-8")
    loaded = load_path(path)
    assert loaded.metadata["author"] == ["John MacFarlane", "Albert Krewinkel"]


def test_footnote_references_are_marked_and_notes_are_blocks_at_the_end():
    doc = load_markdown(MANUAL, "manual.md")
    blocks = _blocks(doc)
    assert ("paragraph", "Pandoc converts documents.[1] It reads many formats.[2]") in blocks
    assert blocks[-2] == ("paragraph", "[1] Between markup formats.")
    assert blocks[-1] == ("paragraph", "[2] Markdown, HTML, LaTeX and more.")
    assert doc.blocks[-1].meta["footnote"] == 2
    assert "[^" not in doc.text


def test_a_definition_list_reads_as_terms_and_their_definitions():
    doc = load_markdown(MANUAL, "manual.md")
    blocks = _blocks(doc)
    start = blocks.index(("paragraph", "Pandoc"))
    assert blocks[start : start + 5] == [
        ("paragraph", "Pandoc"),
        ("list_item", "• A universal document converter."),
        ("paragraph", "Filter"),
        ("list_item", "• A program that changes the document tree."),
        ("list_item", "• It reads JSON."),
    ]
    assert doc.blocks[start + 1].meta["term"] == "Pandoc"
    assert "\n:" not in doc.text and not doc.text.startswith(":")


def test_a_grid_table_reads_as_rows_of_cells_with_its_header():
    doc = load_markdown(MANUAL, "manual.md")
    rows = [(b, doc.text[b.start : b.end]) for b in doc.blocks if b.kind == "table_row"]
    cells = [text.split("  |  ") for _, text in rows]
    assert cells == [["Option", "Effect"], ["--standalone", "Whole document"], ["--toc", "Table of contents"]]
    assert rows[0][0].meta.get("header") is True
    assert "+---" not in doc.text and "+===" not in doc.text


def test_a_grid_table_without_a_header_separator_has_no_header_row():
    doc = load_markdown("# T\n\n+---+---+\n| a | b |\n+---+---+\n| c | d |\n+---+---+\n", "t.md")
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [doc.text[b.start : b.end] for b in rows] == ["a  |  b", "c  |  d"]
    assert not any(b.meta.get("header") for b in rows)


def test_a_broken_grid_table_is_not_lost():
    doc = load_markdown("# T\n\n+---+---+\n| a | b\nno closing border\n", "t.md")
    assert "a" in doc.text and "no closing border" in doc.text


def test_title_prefers_front_matter_then_first_h1_then_the_file_name():
    assert load_markdown("## Summary\n\nText here.\n", "treating-depression.md").title == "Treating depression"
    assert load_markdown("## Summary\n\nText.\n\n# The Real Title\n\nMore.\n", "x.md").title == "The Real Title"
    assert load_markdown("---\ntitle: From Matter\n---\n# Heading One\n", "x.md").title == "From Matter"
    assert load_markdown("# Heading One\n\nText.\n", "x.md").title == "Heading One"


def test_a_thematic_break_at_the_top_is_not_front_matter_unless_closed():
    doc = load_markdown("---\n\nJust a rule above this paragraph.\n", "rule.md")
    assert "Just a rule above this paragraph." in doc.text
    assert doc.metadata == {}


def test_front_matter_that_is_not_key_value_text_is_kept_out_but_ignored():
    doc = load_markdown("---\n- just\n- a list\n---\n\n# Real\n\nBody.\n", "x.md")
    assert doc.title == "Real"
    assert "just" not in doc.text


def test_a_pandoc_simple_table_reads_as_rows_under_its_header():
    text = (
        "# Options\n\n"
        "  Right     Left     Center\n"
        "-------     ------ ----------\n"
        "     12     ab        x y\n"
        "    123     cde       z\n\n"
        "After the table.\n"
    )
    doc = load_markdown(text, "t.md")
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [doc.text[b.start : b.end].split("  |  ") for b in rows] == [
        ["Right", "Left", "Center"], ["12", "ab", "x y"], ["123", "cde", "z"],
    ]
    assert rows[0].meta.get("header") is True
    assert "After the table." in doc.text and "---" not in doc.text


def test_a_rule_between_paragraphs_is_not_a_simple_table():
    doc = load_markdown("# T\n\nOne paragraph.\n\n--- ---\n\nAnother one.\n", "t.md")
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "paragraph"]


def test_a_fence_over_dashes_stays_code():
    doc = load_markdown("# T\n\n```\n--- ---\nx\n```\n", "t.md")
    assert [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks][1] == ("code", "--- ---\nx")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["title: ", "author:", "\n", "- ", "  ", "'", '"', "[", "]", ",", "#", ":", "|", ">",
                                 "name: ", "x", "é", "\\", "\t"]), max_size=40).map("".join))
def test_any_front_matter_reads_as_strings_and_lists_without_raising(raw):
    data = parse_front_matter(raw)
    for value in data.values():
        assert isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def test_a_table_row_quote_has_no_drawing_characters_and_the_brief_names_its_columns(tmp_path: Path):
    from tests.cli_support import Postil

    path = tmp_path / "doses.md"
    path.write_text("# Doses\n\n| Drug | Dose |\n|---|---|\n| psilocybin | 25 mg |\n| placebo | 0 mg |\n", encoding="utf-8")
    postil = Postil(tmp_path)
    postil.ok("add", str(path))
    postil.ok("mark", "1", "psilocybin  |  25 mg")
    assert postil.ok("highlights", "--json").json()[0]["quote"] == "psilocybin  |  25 mg"
    record = postil.ok("export", "--format", "json", "-o", "-").stdout
    brief = postil.ok("export", "-o", "-").stdout
    found = postil.ok("search", "psilocybin").stdout
    for shown in (record, brief, found):
        assert "│" not in shown
    assert "*Columns:* Drug  \\|  Dose" in brief  # "|" escaped, as Markdown needs
