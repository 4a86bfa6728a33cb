"""The benchmarks' fixtures: a generated text of a given size with its blocks (paragraphs and
headings, as the Markdown reader would give), and a real database holding it with N highlights.

postil is imported inside build_db, not here: bench_reader's children time the app's start from
their first line, and importing this module must not load postil before that.
"""

from __future__ import annotations

import json
from pathlib import Path


def generate(n_chars: int, path: Path) -> None:
    """Write a text of about n_chars (paragraphs of ~500 chars, a heading every 20) and its blocks."""
    import random

    rng = random.Random(7)
    words = ("the amygdala study found that heightened activity in patients et al. was "
             "measured over five weeks with a small sample of twenty people e.g. Dr. Smith "
             "reported 2.5% effects under psilocybin therapy and trauma outcomes").split()
    parts, blocks, pos = [], [], 0
    i = 0
    while pos < n_chars:
        if i % 20 == 0:
            body = f"Section {i // 20 + 1}: " + " ".join(rng.choices(words, k=5)).capitalize()
            kind, level = "heading", 2
        else:
            sentences = []
            while sum(len(s) + 1 for s in sentences) < 480:
                sentences.append(" ".join(rng.choices(words, k=rng.randint(6, 16))).capitalize() + ".")
            body, kind, level = " ".join(sentences), "paragraph", 0
        blocks.append([kind, pos, pos + len(body), level])
        parts.append(body)
        pos += len(body) + 2
        i += 1
    text = "\n\n".join(parts)
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps(blocks))


def build_db(path: Path, folder: Path, n_highlights: int) -> tuple[str, int]:
    """A real database holding the text at `path` (and its highlights), as `postil` stores it."""
    import hashlib
    import random

    from postil.sources.blocks import Block
    from postil.sources.document import Document, LoadedSource
    from postil.store.db import open_db, write
    from postil.store.source_add import add_source

    text = path.read_text(encoding="utf-8")
    blocks = [Block(k, s, e, lv) for k, s, e, lv in json.loads(path.with_suffix(".json").read_text())]
    db_path = folder / f"{path.stem}.db"
    db = open_db(db_path)
    data = text.encode()
    source_id = add_source(db, LoadedSource(Document("Generated", text, blocks, "text"), str(path),
                                            hashlib.sha256(data).hexdigest(), len(data))).source.id
    rng = random.Random(3)
    rows = []
    for i in range(n_highlights):  # in bulk: setup, not what is measured
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randint(20, 180)
        rows.append((f"{i:08x}-0000-4000-8000-000000000000", source_id, start, end, text[start:end],
                     "a note" if i % 5 == 0 else "", "2025-01-01T00:00:00Z", 1 + i % 4))
    with write(db):
        db.executemany(
            'INSERT INTO highlights (id, source_id, start, "end", quote, note, author, created_at, updated_at) '
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bench', ?7, ?7)", [r[:7] for r in rows])
        db.executemany("INSERT INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
                            [(r[0], r[7]) for r in rows])
    db.close()
    return str(db_path), source_id
