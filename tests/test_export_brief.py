"""The Markdown brief: what a reader of it checks, parsed back with markdown-it-py."""

from __future__ import annotations

import re

import pytest
import yaml
from export_fixtures import add_text_source, mark, two_source_db
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from postil.exports.brief import render_brief
from postil.exports.brief_blocks import MISMATCH
from postil.exports.collect import collect
from postil.sources.sanitise import for_display
from postil.store.db import open_db
from postil.store.highlights import restore_highlight, snapshot

ANCHOR = re.compile(r'^<a id="h-[0-9a-f-]+">$|^</a>$')

class _Parser:
    """CommonMark plus tables and strikethrough (as GitHub and Obsidian render them), reading
    past the YAML front matter the way those tools do (one key a line, flow values)."""

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])

    @staticmethod
    def body(text: str) -> str:
        assert text.startswith("---\n")
        end = text.index("\n---\n", 4)
        assert all(re.match(r"^[a-z]+: ", line) for line in text[4:end].split("\n"))
        return text[end + 5 :]

    def parse(self, text: str):
        return self.md.parse(self.body(text))

    def render(self, text: str) -> str:
        return self.md.render(self.body(text))


MD = _Parser()


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "postil.db")


def headings(tokens) -> list[tuple[int, str]]:
    out = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            out.append((int(token.tag[1]), inline_text(tokens[i + 1])))
    return out


def inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            parts.append(child.content)
    return "".join(parts)


def blockquotes(tokens) -> list[str]:
    """The text of every top-level block quote: its paragraphs joined by blank lines.

    (Block quotes inside a note sit in a list item, so they are not at level 0.)
    """
    quotes, depth, paragraphs = [], 0, []
    for token in tokens:
        if token.type == "blockquote_open" and (depth or token.level == 0):
            depth += 1
            if depth == 1:
                paragraphs = []
        elif token.type == "blockquote_close" and depth:
            depth -= 1
            if depth == 0:
                quotes.append("\n\n".join(paragraphs))
        elif token.type == "inline" and depth:
            paragraphs.append(inline_text(token))
    return quotes


def html_tokens(tokens) -> list[str]:
    found = [t.content.strip() for t in tokens if t.type == "html_block"]
    for token in tokens:
        found += [c.content for c in token.children or [] if c.type == "html_inline"]
    return found


def test_brief_sections_follow_the_tag_order_and_end_with_sources(db):
    two_source_db(db)
    text = render_brief(collect(db), "tag").text
    assert [h for h in headings(MD.parse(text))] == [
        (1, "Evidence brief"), (2, "At a glance"), (2, "Mechanism"), (2, "Outcome"), (2, "Caveat"),
        (2, "Anecdote"), (2, "Untagged"), (2, "Sources"),
    ]


def test_front_matter_values_are_quoted_and_counted(db):
    two_source_db(db)
    text = render_brief(collect(db, "", 'Brief: "durability" # 1'), "tag").text
    lines = text.split("\n")
    end = lines.index("---", 1)
    assert lines[0] == "---"
    meta = yaml.safe_load("\n".join(lines[1:end]))
    assert meta["title"] == 'Brief: "durability" # 1'
    assert set(meta["sources"]) == {"Trial report", "Mechanisms"}
    counts = meta["counts"]
    assert counts["highlights"] == 5 and counts["outcome"] == 2 and counts["untagged"] == 1


def test_each_highlight_has_one_anchor_and_links_point_at_anchors(db):
    made = two_source_db(db)
    text = render_brief(collect(db)).text
    for key in ("outcome", "caveat", "mechanism", "anecdote", "loose"):
        assert text.count(f'<a id="h-{made[key].id[:8]}"></a>') == 1
    outcome_block = text.split(f'<a id="h-{made["outcome"].id[:8]}"></a>')[1].split("<a id=")[0]
    # Under the outcome, its caveat is listed as a backlink to the caveat's anchor.
    assert f"qualified by ← [“the sample was small”](#h-{made['caveat'].id[:8]})" in outcome_block
    caveat_block = text.split(f'<a id="h-{made["caveat"].id[:8]}"></a>')[1].split("<a id=")[0]
    assert f"qualifies → [“Sixty-one percent of patients responded”](#h-{made['outcome'].id[:8]})" in caveat_block


def test_a_highlight_with_two_tags_is_printed_once_and_referenced_in_its_other_section(db):
    made = two_source_db(db)
    text = render_brief(collect(db)).text
    assert text.count("> the sample was small") == 1
    # Tagged caveat and outcome: printed under Outcome (earlier in the order), listed under Caveat.
    outcome_section = text.split("## Outcome")[1].split("## Caveat")[0]
    assert f'<a id="h-{made["caveat"].id[:8]}"></a>' in outcome_section
    caveat_section = text.split("## Caveat")[1].split("## Anecdote")[0]
    assert "**Also tagged caveat**" in caveat_section
    assert f"[“the sample was small”](#h-{made['caveat'].id[:8]})" in caveat_section


def test_citation_line_gives_source_heading_paragraph_and_author(db):
    two_source_db(db)
    text = render_brief(collect(db)).text
    assert "— *Trial report*, § Results, ¶ 1 · highlighted by ann" in text
    assert "— *Trial report*, § Follow-up, ¶ 2 · highlighted by ann" in text


def test_summary_table_counts_tags_per_source_with_warnings(db):
    two_source_db(db)
    tokens = MD.parse(render_brief(collect(db)).text)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(inline_text(token))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    assert rows[0] == ["Source", "mechanism", "outcome", "caveat", "anecdote", "untagged", "total"]
    assert ["Trial report", "0", "2", "1", "0", "0", "2"] in rows
    assert ["Mechanisms", "1", "0", "0", "1", "1", "3"] in rows


def test_sources_section_lists_origin_and_sha256(db):
    made = two_source_db(db)
    text = render_brief(collect(db)).text
    sources = text.split("## Sources")[1]
    assert made["a"].sha256 in sources and "/data/trial.txt" in sources


def test_grouping_by_source_and_by_order(db):
    two_source_db(db)
    by_source = headings(MD.parse(render_brief(collect(db), "source").text))
    assert [h[1] for h in by_source[2:-1]] == ["Mechanisms", "Trial report"]
    by_order = headings(MD.parse(render_brief(collect(db), "order").text))
    assert [h[1] for h in by_order[2:]] == ["Highlights", "Sources"]


def test_a_query_limits_the_brief(db):
    two_source_db(db)
    data = collect(db, "tag:caveat")
    assert len(data.highlights) == 1
    text = render_brief(data).text
    assert yaml.safe_load(text.split("---\n")[1])["query"] == "tag:caveat" and "**Scope:** highlights matching tag:caveat" in text


def test_a_quote_that_no_longer_matches_is_marked_never_silently_printed(db):
    made = two_source_db(db)
    saved = snapshot(db, made["outcome"].id)
    from postil.store.highlights import delete_highlight

    delete_highlight(db, made["outcome"].id)
    saved.highlight.quote = "Ninety percent of patients responded"
    restore_highlight(db, saved)
    brief = render_brief(collect(db))
    assert [h.id for h in brief.mismatches] == [made["outcome"].id]
    block = brief.text.split(f'<a id="h-{made["outcome"].id[:8]}"></a>')[1]
    assert block.lstrip().startswith(f"**{MISMATCH}**")
    assert f"{MISMATCH}: 1 highlight" in brief.text


HOSTILE_NOTE = """# A heading in a note
Setext title
===
---
| a | b |
|---|---|
| 1 | 2 |
<script>alert(1)</script> and <b>bold</b>
> # quoted heading
- ## listed heading
Keep *emphasis*, `code <x> | y`, and [a link](https://example.org).
```
# not a heading: code
```"""


def test_a_note_stays_markdown_but_cannot_change_the_outline(db):
    source = add_text_source(db, "Alpha beta gamma delta.", "T", "/t.txt")
    mark(db, source, "Alpha beta gamma delta.", "beta gamma", tags=["caveat"], note=HOSTILE_NOTE)
    text = render_brief(collect(db)).text
    tokens = MD.parse(text)
    assert headings(tokens) == [(1, "Evidence brief"), (2, "At a glance"), (2, "Caveat"), (2, "Sources")]
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 1  # the summary table only
    assert all(ANCHOR.match(h) for h in html_tokens(tokens)), html_tokens(tokens)
    assert not [t for t in tokens if t.type == "hr"]
    rendered = MD.render(text)
    assert "<script>" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<em>emphasis</em>" in rendered and '<a href="https://example.org">a link</a>' in rendered
    assert "<code>code &lt;x&gt; | y</code>" in rendered
    assert "# not a heading: code" in rendered


# Any text but surrogates (a brief is UTF-8) and NUL (SQLite's length() stops at a NUL, and
# loaders never store one: it is made visible when a source is read).
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=80)


@settings(max_examples=int(__import__("os").environ.get("POSTIL_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quote=TEXT, title=TEXT, note=st.text(max_size=40))
@example(
    quote="# h\n---\n> x\n1. y\n+ z\n| a | b |\n|---|---|\n<script>alert(1)</script>\n\n\n    code  \n===",
    title="*t* _u_ [x](y) `c` --- <b>&amp; ==mark== %%hidden%% ^id",
    note="# note heading\n---",
)
def test_any_quote_and_title_come_back_literally_and_leave_the_outline_alone(quote, title, note):
    db = open_db(":memory:")
    text = "Before.\n\n" + quote + "\n\nAfter."
    source = add_text_source(db, text, title, "/any.txt", blocks=[])
    from postil.store.highlights import create_highlight

    create_highlight(db, source.id, 9, 9 + len(quote), tags=["outcome"], note=note)
    brief = render_brief(collect(db, "", title)).text
    tokens = MD.parse(brief)
    shown_title = for_display(title).replace("\n", " ")
    assert headings(tokens) == [(1, shown_title), (2, "At a glance"), (2, "Outcome"), (2, "Sources")]
    assert blockquotes(tokens) == [for_display(quote)]
    assert all(ANCHOR.match(h) for h in html_tokens(tokens))
    assert len([t for t in tokens if t.type == "table_open"]) == 1
    cells = [inline_text(t) for t in tokens if t.type == "inline"]
    assert shown_title in cells  # the source title, literally, in its table cell
    assert f"— {shown_title}, ¶" not in brief  # (the citation keeps its emphasis markers)


def test_one_reviewer_is_named_once_several_on_each_quote(db):
    made = two_source_db(db)  # ann marked the trial report, bo the mechanisms
    both = render_brief(collect(db)).text
    assert both.count("highlighted by ann") == 2 and both.count("highlighted by bo") == 3
    only_ann = render_brief(collect(db, f"source:{made['a'].id}")).text
    assert "highlighted by" not in only_ann
    assert "**Highlighted by:** ann  " in only_ann
    assert "— *Trial report*, § Results, ¶ 1\n" in only_ann


def test_sources_that_share_a_title_get_sections_told_apart(db):
    two_source_db(db)
    other_text = "Trial report\n\nA second trial found little.\n"
    other = add_text_source(db, other_text, "Trial report", "/data/other/trial.txt")
    mark(db, other, other_text, "found little", tags=["outcome"], author="ann")
    text = render_brief(collect(db), by="source").text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == len(set(headings)), headings
    assert "## Trial report (data/trial.txt)" in headings and "## Trial report (other/trial.txt)" in headings
