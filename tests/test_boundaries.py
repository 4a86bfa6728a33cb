"""Text-unit boundaries: words, sentences (pysbd) and blocks, as character offsets."""

from __future__ import annotations

import pytest

from postil.sources import boundaries
from postil.sources.blocks import Block

TEXT = (
    'Smith et al. found a 2.5% rise in activity (see Fig. 2). Dr. Jones disagreed, e.g. in '
    '"the talk." Then what? It ended.'
)


def sentence_at(text: str, needle: str) -> str:
    start, end = boundaries.sentence_bounds(text, text.index(needle), 0, len(text))
    return text[start:end]


def test_sentence_keeps_et_al_decimals_and_brackets_together():
    assert sentence_at(TEXT, "found") == "Smith et al. found a 2.5% rise in activity (see Fig. 2)."


def test_sentence_keeps_dr_eg_and_quotes_together():
    assert sentence_at(TEXT, "Jones") == 'Dr. Jones disagreed, e.g. in "the talk."'


@pytest.mark.parametrize("needle, expected", [("what", "Then what?"), ("ended", "It ended.")])
def test_short_sentences(needle, expected):
    assert sentence_at(TEXT, needle) == expected


def test_offset_in_the_space_between_belongs_to_the_sentence_before():
    space = TEXT.index(" Then")
    start, end = boundaries.sentence_bounds(TEXT, space, 0, len(TEXT))
    assert TEXT[start:end] == 'Dr. Jones disagreed, e.g. in "the talk."'


def test_repeated_sentences_get_their_own_offsets():
    text = "Same here. Same here. Same here."
    spans = boundaries.sentences_in(text, 0, len(text))
    assert spans == [(0, 10), (11, 21), (22, 32)]


def test_sentences_are_found_inside_a_block_with_absolute_offsets():
    text = "Intro.\n\nOne sentence. Two sentence."
    start, end = boundaries.sentence_bounds(text, text.index("Two"), 8, len(text))
    assert text[start:end] == "Two sentence."


def test_next_and_prev_sentence_cross_blocks():
    text = "A first one. A second one.\n\nNext block here. And more."
    blocks = [Block("paragraph", 0, 26), Block("paragraph", 28, len(text))]
    assert boundaries.next_sentence(text, blocks, 0) == 13
    assert boundaries.next_sentence(text, blocks, 13) == 28
    assert boundaries.prev_sentence(text, blocks, 28) == 13
    assert boundaries.prev_sentence(text, blocks, 20) == 13
    assert boundaries.next_sentence(text, blocks, text.index("And")) == len(text)


def test_words_move_like_vim():
    text = "one, two  three"
    assert boundaries.next_word(text, 0) == 3  # the comma is a word of its own
    assert boundaries.next_word(text, 3) == 5
    assert boundaries.next_word(text, 5) == 10
    assert boundaries.next_word(text, 10) == len(text)
    assert boundaries.prev_word(text, 10) == 5
    assert boundaries.prev_word(text, 7) == 5
    assert boundaries.prev_word(text, 0) == 0
    assert boundaries.word_start(text, 7) == 5 and boundaries.word_end(text, 5) == 8


def test_block_lookup_by_offset():
    blocks = [Block("heading", 0, 5, 1), Block("paragraph", 7, 20), Block("paragraph", 22, 30)]
    assert boundaries.block_index(blocks, 0) == 0
    assert boundaries.block_index(blocks, 6) == 0  # in the gap: the block before
    assert boundaries.block_index(blocks, 25) == 2
    assert boundaries.block_bounds("x" * 30, blocks, 10) == (7, 20)
    text = "para one\n\npara two"
    assert boundaries.block_bounds(text, [], 12) == (10, len(text))


def test_end_of_word_stops_on_the_last_letter_like_vim_e():
    text = "Smith et al. found it"
    ends = [text.index("Smith") + 4, text.index("et") + 1, text.index("al") + 1, text.index("."),
            text.index("found") + 4, len(text) - 1]
    offset, seen = 0, []
    for _ in ends:
        offset = boundaries.end_of_word(text, offset)
        seen.append(offset)
    assert seen == ends
    assert boundaries.end_of_word(text, len(text) - 1) == len(text) - 1  # nothing after: stays
    assert boundaries.end_of_word(text, text.index(" et")) == text.index("et") + 1  # from a space
