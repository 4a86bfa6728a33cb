"""Re-anchoring, properties over random edits (sources/anchor.py): whatever the edit, an anchor
is in range and holds its quote, or is fuzzy, or is an orphan; an unchanged text or a line-ending
conversion never loses a highlight. The hand-picked cases are in test_anchor.py.
"""

from __future__ import annotations

from anchor_support import again, random_prose, span
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from postil.sources.anchor import AnchorResult, capture_context, find_occurrences

ALPHABET = st.sampled_from("ab c\nxyz\r")
TEXTS = st.text(alphabet=ALPHABET, min_size=1, max_size=300)


@st.composite
def marked_texts(draw):
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 60)))
    return text, start, end


@st.composite
def edits(draw, text: str):
    """A few random insertions, deletions and replacements."""
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, min(10, len(text) - at)))
        text = text[:at] + draw(st.text(alphabet=ALPHABET, max_size=10)) + text[at + cut :]
    return text


@settings(max_examples=250, deadline=None)
@given(data=st.data(), marked=marked_texts())
def test_random_edits_never_give_an_out_of_range_or_false_anchor(data, marked):
    text, start, end = marked
    quote = text[start:end]
    selector = (quote, *capture_context(text, start, end), start, end)
    new = data.draw(edits(text))
    result = again(new, selector)
    assert result.status in ("anchored", "moved", "fuzzy", "orphaned")
    if result.status == "orphaned":
        assert result.start is None and result.end is None
        assert quote not in new
        return
    assert 0 <= result.start <= result.end <= len(new)
    assert 0.0 <= result.score <= 1.0
    if result.status == "anchored":
        assert (result.start, result.end) == (start, end) and new[start:end] == quote
    if result.status == "moved":
        found = new[result.start : result.end]
        assert found == quote or found.split() == quote.split()
    if result.status == "fuzzy":
        assert Levenshtein.distance(quote, span(new, result)) <= len(quote) // 2
    if len(find_occurrences(new, quote)) == 1:
        assert span(new, result) == quote
        assert result.start == new.index(quote)


@settings(max_examples=200, deadline=None)
@given(marked=marked_texts())
def test_an_unchanged_text_always_stays_anchored(marked):
    text, start, end = marked
    selector = (text[start:end], *capture_context(text, start, end), start, end)
    assert again(text, selector) == AnchorResult("anchored", start, end, 1.0)


@settings(max_examples=150, deadline=None)
@given(marked=marked_texts())
def test_line_ending_conversion_never_loses_a_highlight(marked):
    text, start, end = marked
    text = text.replace("\r", "")
    start, end = min(start, len(text) - 1), min(end, len(text))
    if start >= end:
        return
    quote = text[start:end]
    selector = (quote, *capture_context(text, start, end), start, end)
    for new in (text.replace("\n", "\r\n"), text.replace("\n", "\r\n").replace("\r\n", "\n")):
        result = again(new, selector)
        assert result.status in ("anchored", "moved")
        assert span(new, result).split() == quote.split()


def test_crlf_to_lf_in_a_long_file_moves_quotes_far_from_their_old_offsets():
    lf = random_prose(6, 40_000)  # about 2,350 lines
    crlf = lf.replace("\n", "\r\n")
    start = crlf.rindex(".\r\n", 0, len(crlf) - 500) - 40
    quote = crlf[start : start + 60]
    assert "\r\n" in quote
    selector = (quote, *capture_context(crlf, start, start + 60), start, start + 60)
    result = again(lf, selector)
    assert result.status == "moved"
    assert span(lf, result) == quote.replace("\r\n", "\n")
    assert result.start == lf.index(quote.replace("\r\n", "\n"))

