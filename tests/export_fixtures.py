"""Building small databases for the export tests, through store functions only."""

from __future__ import annotations

import hashlib

from postil.sources.blocks import Block
from postil.sources.document import Document, LoadedSource
from postil.sources.offsets import build_offset_map
from postil.store.highlights import create_highlight
from postil.store.source_add import add_source

OUTCOME_TEXT = (
    "Results\n\n"
    "Sixty-one percent of patients responded at week six.\n\n"
    "Follow-up\n\n"
    "Relapse was common by month six, and the sample was small."
)
MECHANISM_TEXT = (
    "How it works\n\n"
    "Psilocybin binds 5-HT2A receptors and loosens rigid thought patterns.\n\n"
    "One patient said it was like a reset button."
)


def document_blocks(text: str) -> list[Block]:
    """Paragraph blocks for every chunk between blank lines; short single lines are headings."""
    blocks, offset = [], 0
    for chunk in text.split("\n\n"):
        kind = "heading" if len(chunk) < 20 and "\n" not in chunk and not chunk.endswith(".") else "paragraph"
        blocks.append(Block(kind, offset, offset + len(chunk), 2 if kind == "heading" else 0))
        offset += len(chunk) + 2
    return blocks


def add_text_source(db, text: str, title: str, origin: str, blocks: list[Block] | None = None):
    """Add a source holding exactly `text`; returns its SourceInfo."""
    data = text.encode("utf-8")
    loaded = LoadedSource(
        Document(title, text, document_blocks(text) if blocks is None else blocks, "text"),
        origin,
        hashlib.sha256(data).hexdigest(),
        len(data),
        offsets=build_offset_map(text, text),  # the file holds exactly the reading text
    )
    return add_source(db, loaded).source


def mark(db, source, text: str, phrase: str, **kwargs):
    """Highlight the first occurrence of `phrase` in a source's text."""
    start = text.index(phrase)
    return create_highlight(db, source.id, start, start + len(phrase), **kwargs)


def two_source_db(db):
    """Two sources, an outcome qualified by a caveat and a mechanism backed by an anecdote."""
    from postil.store.links import create_link

    a = add_text_source(db, OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    b = add_text_source(db, MECHANISM_TEXT, "Mechanisms", "/data/mech.txt")
    outcome = mark(db, a, OUTCOME_TEXT, "Sixty-one percent of patients responded", tags=["outcome"], author="ann")
    caveat = mark(db, a, OUTCOME_TEXT, "the sample was small", tags=["caveat", "outcome"], note="Only *20* people.", author="ann")
    mechanism = mark(db, b, MECHANISM_TEXT, "binds 5-HT2A receptors", tags=["mechanism"], author="bo")
    anecdote = mark(db, b, MECHANISM_TEXT, "like a reset button", tags=["anecdote"], author="bo")
    loose = mark(db, b, MECHANISM_TEXT, "rigid thought patterns", author="bo")
    create_link(db, caveat.id, outcome.id, relation="qualifies", author="ann")
    create_link(db, anecdote.id, mechanism.id, relation="supports", author="bo")
    return {"a": a, "b": b, "outcome": outcome, "caveat": caveat, "mechanism": mechanism,
            "anecdote": anecdote, "loose": loose}
