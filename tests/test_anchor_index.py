"""Re-anchoring through a TextIndex (sources/anchor_index.py) against the whole-text path.

`reanchor(..., index=None)` scans the whole text for every quote: it is the reference. With an
index the same searches look only where the quote's words are; these tests hold that to the
same answers (exactly, for the exact and whitespace steps; the same span wherever the
reference finds a match, for random edits) and pin the cost by counting the characters
searched, without a clock.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.sources.anchor import capture_context, find_occurrences, reanchor
from postil.sources.anchor_index import TextIndex

SHARED = Path(__file__).resolve().parents[2] / "shared"
WORDS = ("dose", "trial", "the", "placebo", "weeks", "of", "relapse", "patients", "a", "effect",
         "blinding", "and", "brain", "in", "response", "Dose", "über", "naïve", "x1")


def prose(rng: random.Random, words: int) -> str:
    """Word text with sentences and paragraphs, a few thousand words: bigger than the window
    around the old position, so the whole-text searches run."""
    out = []
    for i in range(words):
        word = rng.choice(WORDS) if rng.random() < 0.6 else "".join(
            rng.choice("kamirotensuldarve") for _ in range(rng.randrange(2, 9)))
        out.append(word + (".\n\n" if i % 53 == 52 else ", " if i % 7 == 6 else " "))
    return "".join(out)


def selector(text: str, start: int, end: int) -> tuple[str, str, str, int, int]:
    return (text[start:end], *capture_context(text, start, end), start, end)


# --- the index's own searches equal the scans they replace ---------------------------

TOKENS = st.text(alphabet=st.sampled_from("ab \n\t\u00a0\u2003c."), min_size=0, max_size=200)


@settings(max_examples=300, deadline=None)
@given(text=TOKENS, quote=TOKENS.filter(lambda q: q.strip() != ""))
def test_whitespace_spans_equal_a_whole_text_finditer(text, quote):
    words = quote.split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    pattern = (r"\s+" if quote[0].isspace() else "") + pattern + (r"\s+" if quote[-1].isspace() else "")
    found = TextIndex(text).whitespace_spans(pattern, words, 1000)
    if found is not None:
        assert found == [m.span() for m in re.finditer(pattern, text)]


@settings(max_examples=300, deadline=None)
@given(text=TOKENS, needle=TOKENS.filter(bool))
def test_occurrences_equal_a_find_loop(text, needle):
    found = TextIndex(text).occurrences(needle)
    if found is not None:
        assert found == find_occurrences(text, needle)


def test_occurrences_are_found_by_a_bounded_word_in_any_case():
    text = "a Dose of x, the dose of y; DOSE of z"
    assert TextIndex(text).occurrences(" dose of ") == [16]
    assert TextIndex(text).occurrences("dose") is None  # no word bounded inside it: scan


# --- the same answers on edited texts --------------------------------------------------


@st.composite
def edited(draw):
    """A marked passage in word text, and the text after a few realistic edits."""
    rng = random.Random(draw(st.integers(0, 10_000)))
    text = prose(rng, 1_500)
    start = rng.randrange(0, len(text) - 200)
    end = start + rng.randrange(8, 180)
    new = text
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "typo", "move", "rewrap", "word"]))
        at = rng.randrange(0, len(new))
        if kind == "insert":
            new = new[:at] + prose(rng, rng.randrange(1, 300)) + new[at:]
        elif kind == "delete":
            new = new[:at] + new[at + rng.randrange(1, 400) :]
        elif kind == "typo":  # near or inside the marked passage
            at = min(len(new) - 1, max(0, start + rng.randrange(-40, end - start + 40)))
            new = new[:at] + rng.choice("#xq ") + new[at + 1 :]
        elif kind == "word":
            at = min(len(new), max(0, start + rng.randrange(-20, end - start + 20)))
            new = new[:at] + rng.choice(WORDS) + " " + new[at:]
        elif kind == "move":  # the passage and some context cut and pasted elsewhere
            lo, hi = max(0, start - rng.randrange(0, 60)), end + rng.randrange(0, 60)
            block, rest = new[lo:hi], new[:lo] + new[hi:]
            if rng.random() < 0.5:  # its context edited too, and a typo: only the whole-text pass finds it
                mid = len(block) // 2
                block = block[:24].upper() + block[24:mid] + "#" + block[mid + 1 : -24] + block[-24:].upper()
            to = rng.randrange(0, len(rest) + 1)
            new = rest[:to] + block + rest[to:]
        else:
            new = new.replace(" ", "\n", rng.randrange(1, 50)).replace("\n\n", "\r\n")
    return selector(text, start, end), new


@settings(max_examples=150, deadline=None)
@given(case=edited())
def test_the_index_finds_what_the_whole_text_search_finds(case):
    marked, new = case
    reference = reanchor(new, *marked)
    result = reanchor(new, *marked, index=TextIndex(new))
    if reference.status == "orphaned":
        return
    assert result.status == reference.status
    if result.status == "fuzzy" and (result.start, result.end) != (reference.start, reference.end):
        # rapidfuzz aligns a piece inside a window, not the whole text, and among alignments
        # that score alike it may pick one a character or two away (about 1 case in 3,000):
        # the same passage, as good a match, never another place.
        assert abs(result.start - reference.start) <= 3 and abs(result.end - reference.end) <= 3
        assert result.score == pytest.approx(reference.score, abs=1e-3)
    else:
        assert (result.start, result.end) == (reference.start, reference.end)


def test_a_quote_of_common_words_is_found_where_its_context_is():
    # Found by the property above: every word of the quote is all over the text, so the
    # windows its own words vote for missed its place (orphaned, where the whole-text search
    # finds it). Its prefix and suffix, case changed, still hold rare words that say where.
    filler = "dose naïve patients naïve dose, patients dose naïve. " * 200
    marked = filler + "brain placebo ikv aareaere.\n\nx1, naïve patients dose naïve blinding atmes rdotluu, relapse weeks. "
    start = marked.index(", naïve")
    end = start + len(", naïve patients dose naïve blin")
    new = (filler[:3000] + "BRAIN PLACEBO IKV AAreaere.\n\nx1, naïve patients dose n#ïve blinding atmes rdotluu, "
           "relapsE WEEKS. " + filler[3000:] + filler)
    reference = reanchor(new, *selector(marked, start, end))
    assert (reference.status, new[reference.start:reference.end]) == ("fuzzy", ", naïve patients dose n#ïve blin")
    assert reanchor(new, *selector(marked, start, end), index=TextIndex(new)) == reference


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not present")
def test_corpus_texts_revised_give_the_same_anchors():
    rng = random.Random(3)
    for path in sorted((SHARED / "corpus").glob("*.txt"))[:6]:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        if len(text) < 5_000:
            continue
        cut = rng.randrange(0, len(text) - 2_000)
        new = ("Revised.\n\n" + text[:cut] + text[cut + 1_500 :]).replace("\n", "\r\n")
        index = TextIndex(new)
        for _ in range(20):
            start = rng.randrange(0, len(text) - 200)
            marked = selector(text, start, start + rng.randrange(10, 150))
            assert reanchor(new, *marked, index=index) == reanchor(new, *marked)


# --- the cost, counted --------------------------------------------------------------------


def test_orphans_in_an_unrelated_text_search_a_small_part_of_it():
    rng = random.Random(5)
    old, new = prose(rng, 40_000), prose(random.Random(6), 40_000)  # about 300 kB each
    index = TextIndex(new)
    quotes = 30
    for i in range(quotes):
        start = (i + 1) * len(old) // (quotes + 2)
        reanchor(new, *selector(old, start, start + 40 + 3 * i), index=index)
    # The whole-text path hands the aligner the whole text per quote and scans it with two
    # regexes and three finds besides: well over 4 * len(new) each.
    assert index.searched < quotes * len(new) // 4


def test_a_line_ending_conversion_scans_only_near_each_quote():
    rng = random.Random(7)
    lf = prose(rng, 40_000)
    crlf = lf.replace("\n", "\r\n")
    index = TextIndex(crlf)
    starts = [m.start() - 30 for m in re.finditer(r"\.\n\n", lf)][5:25]
    for start in starts:
        result = reanchor(crlf, *selector(lf, start, start + 60), index=index)
        assert result.status == "moved"
    assert index.searched < len(starts) * len(crlf) // 20
