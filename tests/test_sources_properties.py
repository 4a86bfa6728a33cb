"""Rules that hold for every input: block spans match the text, and nothing dangerous survives."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postil.sources.blocks import BLOCK_KINDS
from postil.sources.errors import SourceError
from postil.sources.load import load_bytes
from postil.sources.normalise import clean, decode

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Characters that exercise every rule: Markdown syntax, line breaks of every kind, escape
# sequence starters, combining marks, bidi controls, wide characters.
ALPHABET = st.sampled_from(
    list("ab Z1.-*+>#|`_[]()!<>&;\\:") + ["\n", "\n\n", "\r\n", "\r", "\t", "  ", "\u2028", "\u2029",
    "\x1b", "\x1b[31m", "\x1b]52;c;x\x07", "\x9b", "\x85", "\x07", "\x7f", "e\u0301", "\u202e", "文",
    "&#27;", "&amp;", "- ", "1. ", "> ", "# ", "| a | b |\n|---|---|\n", "```\n", "    ", "[x](y)"]
)
SOURCES = st.lists(ALPHABET, max_size=80).map("".join)
LINES = st.lists(st.text(alphabet="abc de.,", min_size=0, max_size=120), max_size=30).map("\n".join)


def check_document(doc) -> None:
    assert not CONTROL.search(doc.text)
    assert not CONTROL.search(doc.title) and "\n" not in doc.title
    previous_end = 0
    for block in doc.blocks:
        assert block.kind in BLOCK_KINDS
        assert previous_end <= block.start < block.end <= len(doc.text)
        piece = doc.text[block.start : block.end]
        # Code keeps its first line's indentation; every other block is stripped.
        assert piece == (piece.rstrip() if block.kind == "code" else piece.strip())
        assert piece.strip()
        if block.kind == "heading":
            assert 1 <= block.level <= 6
        if block.kind == "list_item":
            assert piece.startswith(block.meta["marker"] + " ")
        previous_end = block.end
    # The reading text is exactly the blocks with their separators, nothing else.
    rebuilt = []
    for index, block in enumerate(doc.blocks):
        if index:
            rebuilt.append(doc.text[doc.blocks[index - 1].end : block.start])
            assert rebuilt[-1] in ("\n", "\n\n")
        rebuilt.append(doc.text[block.start : block.end])
    assert "".join(rebuilt) == doc.text


def load_or_refuse(data: bytes, name: str):
    try:
        return load_bytes(data, name).document
    except SourceError as error:
        assert "\n" not in str(error)
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES, st.sampled_from(["x.md", "x.txt"]))
def test_blocks_match_the_text_for_any_markdown_or_plain_input(source: str, name: str):
    doc = load_or_refuse(source.encode("utf-8", "surrogatepass"), name)
    if doc is not None:
        check_document(doc)


@settings(max_examples=40, deadline=None)
@given(SOURCES)
def test_blocks_match_the_text_for_any_html_input(source: str):
    doc = load_or_refuse(f"<html><body><p>{source}</p><ul><li>{source}</li></ul></body></html>".encode(), "x.html")
    if doc is not None:
        check_document(doc)


@settings(max_examples=100, deadline=None)
@given(LINES)
def test_plain_text_keeps_every_word_in_order(source: str):
    doc = load_or_refuse(source.encode(), "x.txt")
    words = source.split()
    if doc is None:
        assert not words
        return
    check_document(doc)
    assert doc.text.split() == words


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_or_are_refused_with_one_line(data: bytes):
    for name in ("b.txt", "b.md"):
        doc = load_or_refuse(data, name)
        if doc is not None:
            check_document(doc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_clean_is_idempotent_and_leaves_no_controls(text: str):
    once = clean(text)
    assert not CONTROL.search(once)
    assert "\r" not in once and "\u2028" not in once and "\u2029" not in once
    assert clean(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_utf8_round_trips_without_warnings(text: str):
    decoded, warnings = decode(text.encode("utf-8", "surrogatepass"))
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert decoded == text and warnings == []
