"""Text-unit boundaries in the reading text: words, sentences and blocks.

Pure functions over `(text, offset)`; every result is a character offset into the same text,
so the reader's motions and quick selections agree with what the store records. Sentences
come from pysbd (which knows "et al.", "e.g.", "Dr.", decimals, quotes and brackets), one
block at a time, cached per block; pysbd is imported lazily because it costs start-up time.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from typing import Sequence

from postil.sources.blocks import Block, BlockTable

_WORD = re.compile(r"\w+|[^\w\s]+")
"""A word is a run of word characters, or a run of punctuation (as vim's `w` treats them)."""

_SENTENCE_CACHE: OrderedDict[tuple[int, int, int], list[tuple[int, int]]] = OrderedDict()
_SENTENCE_CACHE_SIZE = 512
_segmenter = None


# -- words ------------------------------------------------------------------------------


def _word_class(ch: str) -> int:
    """0 for whitespace, 1 for word characters, 2 for punctuation."""
    if ch.isspace():
        return 0
    if ch.isalnum() or ch == "_":
        return 1
    return 2


def word_start(text: str, offset: int) -> int:
    """Return the start of the word containing `offset` (or `offset` itself on whitespace)."""
    if not 0 <= offset < len(text):
        return max(0, min(offset, len(text)))
    cls = _word_class(text[offset])
    if cls == 0:
        return offset
    while offset > 0 and _word_class(text[offset - 1]) == cls:
        offset -= 1
    return offset


def word_end(text: str, offset: int) -> int:
    """Return the end (exclusive) of the word containing `offset`."""
    n = len(text)
    if not 0 <= offset < n:
        return max(0, min(offset, n))
    cls = _word_class(text[offset])
    if cls == 0:
        return offset
    while offset < n and _word_class(text[offset]) == cls:
        offset += 1
    return offset


def next_word(text: str, offset: int) -> int:
    """Return the start of the next word after `offset` (vim `w`); len(text) when none."""
    if offset >= len(text):
        return len(text)
    match = _WORD.search(text, word_end(text, offset) if not text[offset].isspace() else offset)
    return match.start() if match else len(text)


def end_of_word(text: str, offset: int) -> int:
    """The last character of the word at `offset`, or of the next word when `offset` is
    already on a word's last character or on whitespace (vim `e`); offset when none."""
    n = len(text)
    if not 0 <= offset < n - 1:
        return offset
    i = offset + 1
    while i < n and text[i].isspace():
        i += 1
    if i >= n:
        return offset
    return word_end(text, i) - 1


def prev_word(text: str, offset: int) -> int:
    """Return the start of the word before `offset` (vim `b`); 0 when none."""
    i = offset - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0:
        return 0
    return word_start(text, i)


# -- blocks -----------------------------------------------------------------------------


def block_index(blocks: Sequence[Block], offset: int, starts: Sequence[int] | None = None) -> int:
    """Return the index of the block containing `offset`, or of the last block before it.

    Args:
        blocks: Blocks in document order.
        offset: A character offset.
        starts: `[b.start for b in blocks]`, passed in by callers that look up often.

    Returns:
        An index into `blocks` (0 when the offset precedes every block; -1 when there are none).
    """
    if not blocks:
        return -1
    if starts is None:
        starts = blocks.starts if isinstance(blocks, BlockTable) else [b.start for b in blocks]
    return max(0, bisect_right(starts, offset) - 1)


def block_bounds(text: str, blocks: Sequence[Block], offset: int) -> tuple[int, int]:
    """Return `(start, end)` of the block around `offset`, or of the blank-line paragraph."""
    if blocks:
        block = blocks[block_index(blocks, offset)]
        if block.start <= offset < block.end:
            return block.start, block.end
    start = text.rfind("\n\n", 0, offset)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", offset)
    return start, len(text) if end < 0 else end


# -- sentences --------------------------------------------------------------------------


def _get_segmenter():
    global _segmenter
    if _segmenter is None:
        # On the first sentence motion, not at start-up: pysbd's rules cost ~10 ms to import
        # (bench/bench_tmux.py's first screen; see tui/startup.py, 'Dialogs').
        import pysbd

        _segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)
    return _segmenter


def _split_sentences(chunk: str) -> list[tuple[int, int]]:
    """Return sentence spans `(start, end)` within `chunk`, stripped of surrounding space.

    pysbd's own char spans can drift when a sentence repeats, so each sentence is located
    again by searching forward from the previous one.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    try:
        sentences = _get_segmenter().segment(chunk)
    except Exception:  # pysbd can fail on odd input; fall back to one sentence per block
        sentences = [chunk]
    for sentence in sentences:
        body = sentence.strip()
        if not body:
            continue
        found = chunk.find(body, pos)
        if found < 0:
            continue
        spans.append((found, found + len(body)))
        pos = found + len(body)
    if not spans and chunk.strip():
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((lead, len(chunk.rstrip())))
    return spans


def sentences_in(text: str, block_start: int, block_end: int) -> list[tuple[int, int]]:
    """Return absolute `(start, end)` spans of the sentences in `text[block_start:block_end]`."""
    key = (id(text), block_start, block_end)
    cached = _SENTENCE_CACHE.get(key)
    if cached is not None:
        _SENTENCE_CACHE.move_to_end(key)
        return cached
    spans = [(block_start + s, block_start + e) for s, e in _split_sentences(text[block_start:block_end])]
    _SENTENCE_CACHE[key] = spans
    if len(_SENTENCE_CACHE) > _SENTENCE_CACHE_SIZE:
        _SENTENCE_CACHE.popitem(last=False)
    return spans


def sentence_bounds(text: str, offset: int, block_start: int, block_end: int) -> tuple[int, int]:
    """Return `(start, end)` of the sentence containing `offset` inside one block.

    An offset in the space between two sentences belongs to the sentence before it.
    Leading and trailing whitespace is never part of a sentence.
    """
    spans = sentences_in(text, block_start, block_end)
    if not spans:
        return block_start, block_end
    index = max(0, bisect_right([s for s, _ in spans], offset) - 1)
    return spans[index]


def next_sentence(text: str, blocks: Sequence[Block], offset: int) -> int:
    """Return the start of the next sentence after `offset` (crossing blocks); len(text) if none."""
    index = block_index(blocks, offset)
    while 0 <= index < len(blocks):
        block = blocks[index]
        for start, _ in sentences_in(text, block.start, block.end):
            if start > offset:
                return start
        index += 1
    return len(text)


def prev_sentence(text: str, blocks: Sequence[Block], offset: int) -> int:
    """Return the start of the sentence before the one at `offset` (vim `(`); 0 if none.

    From inside a sentence this goes to that sentence's start, as vim does.
    """
    index = block_index(blocks, offset)
    while index >= 0 and blocks:
        block = blocks[index]
        for start, _ in reversed(sentences_in(text, block.start, block.end)):
            if start < offset:
                return start
        index -= 1
    return 0
