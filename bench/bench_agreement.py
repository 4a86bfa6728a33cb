"""Agreement benchmark: 100 sources x 4 tags x 3 reviewers, 30,000 highlights.

    python bench/bench_agreement.py [--sources 100] [--highlights 30000] [--chars 20000] [--runs 3]

Fills a temporary database (one transaction, executemany) with sources of word-like text in
paragraphs, and for each of three reviewers highlights that mostly follow a shared "true"
coding with some noise (as real coders do), then times `store.agreement_report.agreement`
per unit. The floor beside it is reading the same tagged highlight rows with one SELECT.
Target (issue 22): under 2 s for character units.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postil.store.agreement_report import agreement  # noqa: E402
from postil.store.db import open_db, write  # noqa: E402

REVIEWERS = ["ana", "ben", "chen"]
TAGS = ["mechanism", "outcome", "caveat", "anecdote"]
STAMP = "2026-01-01T00:00:00.000Z"


def paragraph(rng: random.Random, size: int) -> str:
    words = ["relapse", "remission", "placebo", "dose", "session", "patients", "weeks", "trial", "effect"]
    out = []
    while sum(len(w) + 1 for w in out) < size:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 14)))
        out.append(sentence.capitalize() + ".")
    return " ".join(out)


def fill(path: Path, n_sources: int, n_highlights: int, chars: int, seed: int = 22) -> None:
    rng = random.Random(seed)
    db = open_db(path)
    per_reviewer = max(1, n_highlights // (n_sources * len(REVIEWERS)))
    with write(db):
        for name in TAGS:
            db.execute("INSERT OR IGNORE INTO tags (name, color, created_at) VALUES (?, '#808080', ?)", [name, STAMP])
        tag_ids = dict(db.execute("SELECT name, id FROM tags"))
        rows, tags, blocks = [], [], []
        for s in range(1, n_sources + 1):
            paragraphs = []
            while sum(len(p) + 2 for p in paragraphs) < chars:
                paragraphs.append(paragraph(rng, rng.randint(300, 900)))
            text = "\n\n".join(paragraphs)
            db.execute(
                "INSERT INTO sources (id, title, origin, format, sha256, size, imported_at, updated_at, text) "
                "VALUES (?, ?, ?, 'txt', ?, ?, ?, ?, ?)",
                [s, f"study {s}", f"/tmp/study{s}.txt", f"{s:064x}", len(text), STAMP, STAMP, text],
            )
            at = 0
            for seq, p in enumerate(paragraphs):
                blocks.append((s, seq, "paragraph", 0, at, at + len(p)))
                at += len(p) + 2
            truth = [(rng.randrange(len(text) - 400), rng.choice(TAGS)) for _ in range(per_reviewer)]
            for who in REVIEWERS:
                for start, tag in truth:
                    if rng.random() < 0.15:  # a passage this reviewer coded differently
                        start, tag = rng.randrange(len(text) - 400), rng.choice(TAGS)
                    start += rng.randint(-20, 20)
                    start = max(0, start)
                    end = start + rng.randint(40, 350)
                    hid = f"{s:04d}-{who}-{len(rows):08d}"
                    rows.append((hid, s, start, end, text[start:end], who, STAMP, STAMP))
                    tags.append((hid, tag_ids[tag]))
        db.executemany(
            'INSERT INTO blocks (source_id, seq, kind, level, start, "end") VALUES (?, ?, ?, ?, ?, ?)', blocks
        )
        db.executemany(
            'INSERT INTO highlights (id, source_id, start, "end", quote, prefix, suffix, note, author, '
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', '', '', ?, ?, ?)",
            rows,
        )
        db.executemany("INSERT INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)", tags)
    db.close()


def best(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--highlights", type=int, default=30_000)
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        fill(path, args.sources, args.highlights, args.chars)
        db = open_db(path)
        n = db.execute("SELECT count(*) FROM highlights").fetchone()[0]
        print(f"{args.sources} sources of ~{args.chars:,} characters, {len(TAGS)} tags, "
              f"{len(REVIEWERS)} reviewers, {n:,} highlights")
        floor = best(args.runs, lambda: db.execute(
            'SELECT h.source_id, h.author, h.start, h."end", t.name FROM highlights h '
            "JOIN highlight_tags ht ON ht.highlight_id = h.id JOIN tags t ON t.id = ht.tag_id").fetchall())
        print(f"floor: read the tagged highlight rows           {floor * 1000:8.1f} ms")
        for unit in ("char", "paragraph", "sentence"):
            seconds = best(args.runs, lambda unit=unit: agreement(db, unit=unit))
            target = "  (target < 2000 ms)" if unit == "char" else ""
            print(f"agreement, {unit:<9} units (pairs + all, every row) {seconds * 1000:8.1f} ms{target}")


if __name__ == "__main__":
    main()
