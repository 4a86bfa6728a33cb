"""Re-anchoring highlights in changed texts (sources/anchor.py).

The cases are those a web annotator meets (Hypothesis' client, dom-anchor-text-quote): text
inserted before the quote, a typo inside it, the quote repeated with different context, the
quote deleted, line endings converted, whitespace re-flowed; then properties over random edits.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from anchor_support import again, mark, random_prose, span

from postil.sources.anchor import (
    CONTEXT_CHARS,
    AnchorResult,
    capture_context,
    find_occurrences,
    nth_occurrence,
    quote_matches,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"

TEXT = (
    "Depression affects millions of people worldwide. Standard antidepressants take weeks "
    "to work and many patients do not respond.\n\n"
    "In several clinical trials, psilocybin produced rapid and robust reductions in "
    "depressive symptoms after a single dose. The effect lasted for weeks in most patients.\n\n"
    "Critics point out that the samples were small and blinding was hard to maintain."
)
QUOTE = "psilocybin produced rapid and robust reductions"


# --- the small helpers --------------------------------------------------------------


def test_capture_context_takes_up_to_32_characters_each_side():
    start = TEXT.index(QUOTE)
    prefix, suffix = capture_context(TEXT, start, start + len(QUOTE))
    assert len(prefix) == len(suffix) == CONTEXT_CHARS == 32
    assert prefix == TEXT[start - 32 : start]
    assert suffix == TEXT[start + len(QUOTE) : start + len(QUOTE) + 32]
    assert capture_context("abc", 0, 3) == ("", "")
    assert capture_context("abcdef", 1, 2) == ("a", "cdef")


def test_occurrences_count_overlaps_and_nth_is_one_based():
    assert find_occurrences("ha ha ha", "ha ha") == [0, 3]
    assert find_occurrences("aaa", "aa") == [0, 1]
    assert find_occurrences("abc", "") == []
    assert nth_occurrence("the cat and the dog", "the", 2) == 12
    assert nth_occurrence("the cat", "the", 2) is None
    assert nth_occurrence("the cat", "the", 0) is None


def test_quote_matches_checks_range_and_text():
    assert quote_matches("hello world", 6, 11, "world")
    assert not quote_matches("hello world", 6, 12, "world")
    assert not quote_matches("hello world", -1, 4, "hell")
    assert not quote_matches("hello world", 0, 5, "world")


# --- the annotator cases ------------------------------------------------------------


def test_unchanged_text_stays_anchored():
    selector = mark(TEXT, QUOTE)
    assert again(TEXT, selector) == AnchorResult("anchored", selector[3], selector[4], 1.0)


def test_text_inserted_before_the_quote_moves_it():
    selector = mark(TEXT, QUOTE)
    new = "A new introduction paragraph was added here.\n\n" + TEXT
    result = again(new, selector)
    assert result.status == "moved"
    assert result.start == selector[3] + 46
    assert span(new, result) == QUOTE


def test_text_deleted_before_the_quote_moves_it():
    selector = mark(TEXT, QUOTE)
    new = TEXT.replace("Depression affects millions of people worldwide. ", "")
    result = again(new, selector)
    assert result.status == "moved" and span(new, result) == QUOTE


def test_edit_just_before_the_quote_keeps_it_anchored():
    selector = mark(TEXT, QUOTE)
    new = TEXT.replace("In several clinical trials,", "In several clinical trials;")
    assert again(new, selector) == AnchorResult("anchored", selector[3], selector[4], 1.0)


def test_a_typo_inside_the_quote_is_a_fuzzy_match_covering_the_edited_words():
    selector = mark(TEXT, QUOTE)
    new = TEXT.replace("robust reductions", "robst reductions")
    result = again(new, selector)
    assert result.status == "fuzzy"
    assert span(new, result) == "psilocybin produced rapid and robst reductions"
    assert 0.5 < result.score < 1.0


def test_a_word_inserted_inside_the_quote_widens_the_fuzzy_span():
    selector = mark(TEXT, QUOTE)
    new = "Intro.\n" + TEXT.replace("rapid and robust", "rapid, lasting and robust")
    result = again(new, selector)
    assert result.status == "fuzzy"
    assert span(new, result) == "psilocybin produced rapid, lasting and robust reductions"


def test_a_word_deleted_inside_the_quote_narrows_the_fuzzy_span():
    selector = mark(TEXT, QUOTE)
    new = TEXT.replace("rapid and robust", "robust")
    result = again(new, selector)
    assert result.status == "fuzzy"
    assert span(new, result) == "psilocybin produced robust reductions"


def test_a_repeated_quote_is_told_apart_by_its_context():
    text = (
        "The first trial was small. The drug was well tolerated in the first group of adults.\n"
        "The second trial was large. The drug was well tolerated in older patients too."
    )
    selector = mark(text, "The drug was well tolerated", nth=2)
    new = "Summary of two trials, added later.\n" + text
    result = again(new, selector)
    assert result.status == "moved"
    assert result.start == new.index("The drug was well tolerated in older")


def test_a_quote_swapped_with_its_twin_follows_its_own_context():
    one = "In the Oslo cohort of forty adults, the drug helped. Most improved within a week."
    two = "Among older Boston veterans (n=12), the drug helped. Relapses were common later."
    text = f"Header line.\n{one}\n{two}\nFooter line."
    selector = mark(text, "the drug helped.", nth=1)
    # Swap the two lines: the old offsets now hold the twin, whose context is different.
    new = f"Header line.\n{two}\n{one}\nFooter line."
    assert quote_matches(new, selector[3], selector[4], selector[0])
    result = again(new, selector)
    assert result.status == "moved"
    assert result.start == new.index(one) + one.index("the drug")


def test_the_nearest_of_identical_occurrences_wins_without_context():
    text = "x. same words here. y. same words here. z."
    selector = ("same words here", "", "", 23, 38)
    new = "--" + text
    result = again(new, selector)
    assert result.status == "moved" and result.start == 25


def test_a_deleted_quote_is_orphaned():
    selector = mark(TEXT, QUOTE)
    new = TEXT.replace("psilocybin produced rapid and robust reductions in depressive symptoms", "")
    assert again(new, selector) == AnchorResult("orphaned", None, None, 0.0)


def test_a_quote_rewritten_beyond_half_its_length_is_orphaned():
    selector = mark(TEXT, QUOTE)
    new = TEXT.replace(QUOTE, "ketamine gave slow but lasting changes")
    assert again(new, selector).status == "orphaned"


def test_very_short_quotes_are_not_fuzzy_matched():
    text = "We saw an effect of 5 mg in the cat study."
    selector = mark(text, "cat")
    new = text.replace("cat", "rat")
    assert again(new, selector).status == "orphaned"


def test_a_short_quote_needs_its_context_to_match_fuzzily():
    text = "Outcomes improved in the ketamine arm at six weeks, per the authors."
    selector = mark(text, "ketamine")
    assert again(text.replace("ketamine", "ketamin"), selector).status == "fuzzy"
    # Elsewhere, in a different sentence, a similar word is not taken for it.
    unrelated = "Completely different prose about ketones and diets, with nothing else shared."
    assert again(unrelated, selector).status == "orphaned"


def test_empty_new_text_orphans_everything():
    assert again("", mark(TEXT, QUOTE)).status == "orphaned"


def test_quote_at_the_very_start_and_end():
    selector = mark(TEXT, "Depression affects")
    assert selector[1] == ""
    result = again("Note.\n" + TEXT, selector)
    assert result.status == "moved" and result.start == 6
    tail = TEXT[-20:]
    selector = mark(TEXT, tail)
    assert selector[2] == ""
    result = again(TEXT + "\nAppendix.", selector)
    assert result.status == "anchored"


# --- line endings and whitespace ----------------------------------------------------


def test_crlf_to_lf_conversion_of_the_whole_file():
    crlf = TEXT.replace("\n", "\r\n")
    one_line = "The effect lasted for weeks in most patients."
    across = "patients do not respond.\r\n\r\nIn several clinical trials"
    selectors = [mark(crlf, one_line), mark(crlf, across), mark(crlf, QUOTE)]
    results = [again(TEXT, s) for s in selectors]
    assert [r.status for r in results] == ["moved", "moved", "moved"]
    assert span(TEXT, results[0]) == one_line
    assert span(TEXT, results[1]) == across.replace("\r\n", "\n")
    assert span(TEXT, results[2]) == QUOTE


def test_lf_to_crlf_conversion_of_the_whole_file():
    across = "patients do not respond.\n\nIn several clinical trials"
    selector = mark(TEXT, across)
    crlf = TEXT.replace("\n", "\r\n")
    result = again(crlf, selector)
    assert result.status == "moved"
    assert span(crlf, result) == across.replace("\n", "\r\n")


def test_a_quote_with_outer_whitespace_keeps_it_when_the_whitespace_changes():
    text = "one two\nthree four five"
    selector = mark(text, "two\nthree ")
    result = again("zero one two  three four five", selector)
    assert result.status == "moved"
    assert (result.start, result.end) == (9, 20)


def test_rewrapped_lines_and_doubled_spaces_count_as_moved():
    quote = "The effect lasted for weeks in most patients."
    selector = mark(TEXT, quote)
    new = TEXT.replace("lasted for weeks in", "lasted  for\nweeks\tin")
    result = again(new, selector)
    assert result.status == "moved"
    assert span(new, result) == "The effect lasted  for\nweeks\tin most patients."


# --- big texts ----------------------------------------------------------------------


def test_a_passage_moved_far_away_with_a_typo_is_still_found():
    text = random_prose(1, 40_000)  # about 400 kB
    start = len(text) // 10
    quote = text[start : start + 120]
    selector = (quote, *capture_context(text, start, start + 120), start, start + 120)
    # Cut the passage (with its context) out and paste it near the end, with a typo.
    block = text[start - 40 : start + 160]
    edited = block.replace(quote, quote[:60] + "#" + quote[61:])
    new = text[: start - 40] + text[start + 160 : -5000] + edited + text[-5000:]
    result = again(new, selector)
    assert result.status == "fuzzy"
    assert span(new, result) == quote[:60] + "#" + quote[61:]


def test_an_edited_passage_far_away_is_found_by_its_context():
    text = random_prose(2, 20_000)
    start = len(text) // 2
    quote = text[start : start + 60]
    selector = (quote, *capture_context(text, start, start + 60), start, start + 60)
    new = text.replace(quote, quote.upper()[:20] + quote[20:])  # 20 characters changed
    new = random_prose(3, 5_000) + new  # and the whole text shifted by ~50 kB
    result = again(new, selector)
    assert result.status == "fuzzy"
    assert span(new, result).lower() == quote.lower()


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not present")
def test_corpus_article_revised():
    path = SHARED / "corpus" / "psychedelic-research-mechanisms.txt"
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    rng = random.Random(7)
    selectors = []
    for _ in range(30):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randrange(20, 150)
        selectors.append((text[start:end], *capture_context(text, start, end), start, end))
    new = "Editor's note: this article was revised.\n\n" + text.replace("\n", "\r\n")
    for selector in selectors:
        result = again(new, selector)
        assert result.status in ("moved", "anchored")
        assert span(new, result).replace("\r\n", "\n") == selector[0]


def test_deleted_short_quotes_in_a_big_text_are_orphaned_not_matched_by_chance():
    text = random_prose(4, 30_000)
    rng = random.Random(4)
    for length in (16, 24, 40):
        for _ in range(5):
            start = rng.randrange(1_000, len(text) - 1_000)
            selector = (text[start : start + length], *capture_context(text, start, start + length), start, start + length)
            gone = text[: start - 40] + text[start + length + 40 :]  # quote and its context
            assert again(gone, selector).status == "orphaned"


def test_a_long_quote_with_edits_is_found_far_away():
    text = random_prose(5, 30_000)
    start = 20_000
    quote = text[start : start + 2_000]
    selector = (quote, *capture_context(text, start, start + 2_000), start, start + 2_000)
    edited = quote[:300] + "INSERTED WORDS " + quote[300:1500] + quote[1510:]
    new = text[:start - 100] + text[start + 2_100 :] + "\n" + edited + "\n"
    result = again(new, selector)
    assert result.status == "fuzzy"
    assert span(new, result) == edited
