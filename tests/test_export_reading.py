"""The brief reads like a briefing note: what a colleague handed it would check.

Fixture texts are written for these tests (no corpus text is copied into the project).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from export_fixtures import add_text_source, document_blocks, mark
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_brief import MD
from test_export_brief import test_any_quote_and_title_come_back_literally_and_leave_the_outline_alone as literal

from postil.exports.brief import render_brief
from postil.exports.collect import collect
from postil.exports.escape import inline, quote_block
from postil.store.db import open_db
from postil.store.links import create_link

TRIAL = (
    "Ketamine trial notes\n\n"
    "Results\n\n"
    "Response at week four was 64% (n = 20), against 30% on placebo.\n\n"
    "Limitations\n\n"
    "The trial was open-label and had no active control.\n\n"
    "Effects faded by ~8 weeks in most people; p < 0.05 for the early effect only."
)
REVIEW = (
    "A sceptical review\n\n"
    "Pooled across five trials, the response rate was no better than placebo.\n\n"
    "One reader wrote that her first dose felt like a window opening."
)


def titled_blocks(text: str):
    """Paragraph and heading blocks, the first line being the article's title (level 1)."""
    blocks = document_blocks(text)
    return [replace(blocks[0], kind="heading", level=1)] + blocks[1:]


@pytest.fixture
def brief(tmp_path):
    db = open_db(tmp_path / "postil.db")
    trial = add_text_source(db, TRIAL, "Ketamine trial notes", "/data/trial.txt", blocks=titled_blocks(TRIAL))
    review = add_text_source(db, REVIEW, "A sceptical review", "/data/review.txt")
    outcome = mark(db, trial, TRIAL, "Response at week four was 64% (n = 20)", tags=["outcome"],
                   note="Small n (20), open-label; **no control group**.", author="ann")
    caveat = mark(db, trial, TRIAL, "open-label and had no active control", tags=["caveat"], author="ann")
    fading = mark(db, trial, TRIAL, "Effects faded by ~8 weeks in most people; p < 0.05", tags=["caveat"], author="ann")
    pooled = mark(db, review, REVIEW, "the response rate was no better than placebo", tags=["outcome"], author="bo")
    story = mark(db, review, REVIEW, "felt like a window opening", tags=["anecdote"], author="bo")
    create_link(db, caveat.id, outcome.id, relation="qualifies", author="ann")
    create_link(db, pooled.id, outcome.id, relation="contradicts", author="bo", note="meta-analysis")
    create_link(db, story.id, fading.id, relation="see-also", author="bo")
    made = {"outcome": outcome, "caveat": caveat, "fading": fading, "pooled": pooled, "story": story}
    return render_brief(collect(db, "", "Ketamine: brief for the panel")).text, made


def block_of(text: str, highlight) -> str:
    return text.split(f'<a id="h-{highlight.id[:8]}"></a>')[1].split("<a id=")[0].split("\n## ")[0]


def test_title_block_and_at_a_glance_speak_plainly(brief):
    text, _ = brief
    assert "# Ketamine: brief for the panel\n\n**Scope:** all highlights  \n**Exported:** " in text
    glance = text.split("## At a glance")[1].split("\n## ")[0]
    assert "5 highlights from 2 sources: 2 outcome, 2 caveat, 1 anecdote." in glance
    assert "untagged" not in glance  # no column of zeros
    # "contradicts" works both ways: each outcome is contradicted by the other.
    assert "- 2 outcomes are contradicted by other evidence: see the list under each outcome." in glance
    assert "no linked caveat" not in glance
    assert "- *A sceptical review* reports 1 outcome but no caveat was highlighted in it." in glance


def test_under_an_outcome_its_caveats_and_contradictions_come_first_with_relation_words(brief):
    text, made = brief
    block = block_of(text, made["outcome"])
    doubts = block.split("- **Caveats and counter-evidence:**\n")[1].split("\n- ")[0].split("\n")
    assert doubts[0].startswith(f"  - contradicted by ← [“the response rate was no better than placebo”](#h-{made['pooled'].id[:8]})")
    assert doubts[0].endswith("— *A sceptical review* (meta-analysis)")
    assert doubts[1].startswith(f"  - qualified by ← [“open-label and had no active control”](#h-{made['caveat'].id[:8]})")
    # An ordinary link is listed apart, as related material.
    assert "- **Related:**\n  - see also ← " in block_of(text, made["fading"])


def test_citation_leads_to_the_place_without_repeating_the_title(brief):
    text, made = brief
    block = block_of(text, made["caveat"])
    assert "— *Ketamine trial notes*, § Limitations, ¶ 2 · highlighted by ann" in block
    assert "Ketamine trial notes ›" not in text


def test_note_is_set_apart_from_the_quote_and_no_uuid_shows(brief):
    text, made = brief
    block = block_of(text, made["outcome"])
    assert "> Response at week four was 64% (n = 20)" in block
    assert "- **Note:** Small n (20), open-label; **no control group**." in block
    rendered = MD.render(text)
    visible = re.sub(r"<[^>]+>", "", rendered)
    for h in made.values():
        assert h.id[:8] not in visible  # ids only in anchors and link targets, never in the text


def test_tag_line_is_left_out_where_the_section_heading_says_it(brief):
    text, made = brief
    assert "**Tags:**" not in block_of(text, made["outcome"])


def test_front_matter_date_is_a_bare_yaml_date(brief):
    text, _ = brief
    front = text.split("\n---\n", 1)[0]
    assert re.search(r"^date: \d{4}-\d{2}-\d{2}$", front, re.M)
    assert re.search(r'^exported: "\d{4}-\d{2}-\d{2}T[0-9:.]+Z"$', front, re.M)
    assert re.search(r"^highlights: 5$", front, re.M)


def test_ordinary_scientific_text_is_not_buried_in_escapes():
    plain = "Response was 64% (n = 20); p < 0.05, ~8 weeks, R & D, C# and -5 mg."
    assert quote_block(plain) == ["> " + plain]
    assert inline("5-HT2A: 64% vs 30%") == "5-HT2A: 64% vs 30%"
    # What could change structure still is escaped.
    assert quote_block("# 1. <b>x</b> *y* ~~z~~ &amp;") == ["> \\# 1. \\<b>x\\</b> \\*y\\* \\~\\~z\\~\\~ \\&amp;"]


# Text made mostly of Markdown syntax, to push the escaping rules harder than arbitrary text.
MARKDOWNISH = st.lists(
    st.sampled_from(list("#>-+=*_~$%&<|[]`\\!/?a1.) \n\t;:^") + ["&amp;", "&#10;", "<b>", "---", "1. ", "- ", "<http://x>", "~~", "=="]),
    min_size=1, max_size=25,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(quote=MARKDOWNISH, title=MARKDOWNISH)
def test_markdown_heavy_quotes_and_titles_still_come_back_literally(quote, title):
    literal.hypothesis.inner_test(quote, title, "")


def test_a_one_source_brief_names_the_source_not_its_number(tmp_path):
    db = open_db(tmp_path / "postil.db")
    trial = add_text_source(db, TRIAL, "Ketamine trial notes", "/data/trial.txt")
    mark(db, trial, TRIAL, "open-label and had no active control", tags=["caveat"])
    text = render_brief(collect(db, f"source:{trial.id}")).text
    assert "**Scope:** all highlights in *Ketamine trial notes*" in text
