"""What the re-anchoring tests share: a reviewer's mark as its stored selector, anchoring it
again in a changed text, and long random prose."""

from __future__ import annotations

import random

from postil.sources.anchor import AnchorResult, capture_context, nth_occurrence, reanchor


def mark(text: str, quote: str, nth: int = 1) -> tuple[str, str, str, int, int]:
    """The selector a reviewer's mark stores: quote, prefix, suffix, start, end."""
    start = nth_occurrence(text, quote, nth)
    assert start is not None
    end = start + len(quote)
    prefix, suffix = capture_context(text, start, end)
    return quote, prefix, suffix, start, end


def again(new_text: str, selector: tuple[str, str, str, int, int]) -> AnchorResult:
    return reanchor(new_text, *selector)


def span(text: str, result: AnchorResult) -> str:
    assert result.start is not None and result.end is not None
    return text[result.start : result.end]


def random_prose(seed: int, words: int) -> str:
    """Deterministic prose-like text: common short words between made-up content words."""
    rng = random.Random(seed)
    common = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "with", "was", "on"]
    syllables = ["ta", "ke", "ri", "mon", "sel", "pha", "dro", "lin", "ve", "stor", "gu", "en",
                 "cal", "bi", "no", "zer", "thu", "qua", "op", "im"]
    out = []
    for i in range(words):
        if rng.random() < 0.4:
            out.append(rng.choice(common))
        else:
            out.append("".join(rng.choice(syllables) for _ in range(rng.randrange(1, 5))))
        if i % 17 == 16:
            out[-1] += ".\n"
    return " ".join(out)
