"""Soft wrapping: the quick path for plain ASCII breaks lines exactly where the general one does."""

from hypothesis import given, settings
from hypothesis import strategies as st

from postil.tui.widgets.reader_wrap import wrap, wrap_cells

# Words, spaces and hyphens in the mixes that make breaks interesting: runs of spaces,
# "treatment-resistant", "--", a hyphen at a line's edge, words longer than the line.
ascii_text = st.lists(
    st.sampled_from(["a", "bb", "word", "treatment", "-", "--", " ", "  ", "x-y", "1", "(", ")", ".", "longerthanany"]),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(ascii_text, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=6),
       st.integers(min_value=0, max_value=6))
def test_plain_ascii_wraps_as_the_general_path_does(text, width, first, hang):
    first, hang = max(first, hang), min(first, hang)  # the quick path's case: hang <= first
    assert wrap(text, width, first, hang) == wrap_cells(text, width, first, hang)


def test_a_paragraph_breaks_after_spaces_and_between_hyphenated_words():
    text = "psilocybin for treatment-resistant depression"
    starts = wrap(text, 24, 0, 0)
    lines = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    assert lines == ["psilocybin for ", "treatment-resistant ", "depression"]
    assert wrap("a" * 30, 12, 0, 0) == [0, 12, 24]  # a word longer than the line is cut at its edge
