"""Re-anchoring 1,000 highlights of a 1 MB source (issue 15's target: under 5 s), after an
unrelated replacement and after a realistic revision, beside the whole-text path the per-text
index replaced. bench_scale.py prints it (`--only reanchor` runs it alone).
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import make_vocabulary, sentence  # noqa: E402

from postil.sources.anchor import reanchor  # noqa: E402
from postil.store.db import open_db, write  # noqa: E402
from postil.store.reanchor import reanchor_source  # noqa: E402

STAMP = "2026-01-01T00:00:00.000Z"


def reanchor_texts() -> tuple[str, str, str]:
    """(a 1 MB word-like text, an unrelated text of the same size, a realistic revision of the first)."""
    rng = random.Random(11)
    vocabulary, weights = make_vocabulary(rng)
    pieces, size = [], 0
    while size < 1_000_000:
        pieces.append(sentence(rng, vocabulary, weights, rng.randint(8, 30)))
        size += len(pieces[-1]) + 2
    text = "\n\n".join(pieces)
    other = "\n\n".join(sentence(rng, vocabulary, weights, rng.randint(8, 30)) for _ in range(len(pieces)))
    # A revision: a preface added, every 50th paragraph rewritten, every 70th deleted, a typo in
    # every 30th, and the line endings converted to CRLF.
    revised = ["A preface added in this edition of the book."]
    for i, piece in enumerate(pieces):
        if i % 70 == 69:
            continue
        if i % 50 == 49:
            piece = sentence(rng, vocabulary, weights, rng.randint(8, 30))
        elif i % 30 == 29 and len(piece) > 20:
            piece = piece[:10] + "#" + piece[11:]
        revised.append(piece)
    return text, other, "\r\n\r\n".join(revised)


def reanchor_bench(out: Path) -> list[tuple[str, float, float, str]]:
    """(case, wall seconds, CPU seconds, summary) of re-anchoring a 1 MB source's 1,000 highlights
    after an unrelated replacement and after a realistic revision, and the whole-text search's
    CPU on the unrelated case (the path without a TextIndex: what re-anchoring cost before)."""
    text, other, revised = reanchor_texts()
    rng = random.Random(12)
    rows, step = [], len(text) // 1000
    for i in range(1000):
        start = i * step
        end = start + rng.randint(40, 160)
        rows.append((str(uuid.uuid4()), start, end, text[start:end], text[max(0, start - 32):start],
                     text[end:end + 32], STAMP, STAMP))
    found = []
    for case, new_text in (("unrelated text", other), ("realistic revision", revised)):
        path = out / "reanchor.db"
        path.unlink(missing_ok=True)
        db = open_db(path)
        with write(db):
            db.execute("INSERT INTO sources (id, title, origin, format, sha256, size, text, imported_at, updated_at) "
                       "VALUES (1, 'Book', '/book.txt', 'text', 'x', ?, ?, ?, ?)", [len(text), text, STAMP, STAMP])
            db.executemany('INSERT INTO highlights (id, source_id, start, "end", quote, prefix, suffix, '
                           "created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)", rows)
        started, cpu = time.perf_counter(), time.process_time()
        with write(db):
            report = reanchor_source(db, 1, new_text)
        found.append((case, time.perf_counter() - started, time.process_time() - cpu, report.summary()))
        db.close()
    cpu = time.process_time()
    sample = rows[::10]  # 100 of them: the whole-text path takes tens of seconds per 1,000
    for _, start, end, quote, prefix, suffix, _, _ in sample:
        reanchor(other, quote, prefix, suffix, start, end)
    found.append(("unrelated, whole-text path (100 x 10)", float("nan"),
                  (time.process_time() - cpu) * 1000 / len(sample), "no index: the path before"))
    return found
