"""Search benchmark: 100,000 highlights over 200 sources, median and p95 per typical query.

    python bench/bench_search.py [--highlights 100000] [--sources 200] [--runs 30] [--keep PATH]

Fills a temporary database (one transaction, executemany) with random but word-like text,
tags, notes, authors, dates and links, then times for each query:
  page   `search(limit=100)`: what a result list asks for on each keystroke
  count  `count()`: the number shown above the list
  all    `search()` with no limit (only where the result set is the point, e.g. an export)
Target (issue 6): under 50 ms median in the store for the page and the count.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postil.store.db import open_db, write  # noqa: E402
from postil.store.search import count, search  # noqa: E402

DOMAIN = (
    "relapse relapses remission durability placebo amygdala psilocybin depression trauma "
    "neuroplasticity serotonin receptor dose session therapist blinding sample follow-up "
    "response outcome patient patients trial randomised effect weeks months six twelve"
).split()
PHRASES = ["six weeks", "prefrontal cortex", "small sample", "default mode network"]
AUTHORS = ["ana", "ben", "chen", "dana", "eli"]
QUERIES = [
    ("empty (everything)", ""),
    ("one tag", "tag:caveat"),
    ("tag + word", "tag:caveat relapse"),
    ("word only", "relapse"),
    ("prefix while typing", "durab"),
    ("negation", "tag:outcome -tag:anecdote"),
    ("phrase", '"six weeks"'),
    ("OR-group", "(tag:caveat OR tag:anecdote) placebo"),
    ("source: id", "source:17"),
    ("source: title words", "source:\"study 17\""),
    ("has:link", "has:link"),
    ("rel + tag", "rel:contradicts tag:outcome"),
    ("author + after", "author:ana after:2026-06-01"),
    ("everything at once", '(tag:caveat OR tag:outcome) -tag:anecdote relapse has:note source:1,2,3,4,5'),
]


def make_vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    syllables = ["ka", "ro", "mi", "ten", "sul", "dar", "ve", "lon", "pri", "no", "zen", "ta"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(4000)}
    vocabulary = sorted(words) + DOMAIN
    rng.shuffle(vocabulary)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf-like, as in prose
    return vocabulary, weights


def sentence(rng: random.Random, vocabulary, weights, n: int) -> str:
    words = rng.choices(vocabulary, weights, k=n)
    if rng.random() < 0.05:
        words.insert(rng.randrange(len(words) + 1), rng.choice(PHRASES))
    return " ".join(words).capitalize() + "."


def fill(path: Path, n_highlights: int, n_sources: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    vocabulary, weights = make_vocabulary(rng)
    db = open_db(path)
    db.execute("PRAGMA cache_size = -200000")  # the fill only: keep the FTS merge in memory
    stamp = "2026-01-01T00:00:00.000Z"
    per_source = n_highlights // n_sources
    with write(db):
        for tag in ("durability", "dose", "blinding", "safety"):
            db.execute(
                "INSERT INTO tags (name, color, created_at) VALUES (?, '#888888', ?)", [tag, stamp]
            )
        tag_ids = [row[0] for row in db.execute("SELECT id FROM tags")]
        relations = [row[0] for row in db.execute("SELECT name FROM relations")]
        sources, highlights, tag_rows, ids = [], [], [], []
        for source_id in range(1, n_sources + 1):
            pieces = [sentence(rng, vocabulary, weights, rng.randint(8, 30)) for _ in range(per_source)]
            text = "\n\n".join(pieces)
            title = f"{rng.choice(DOMAIN).capitalize()} study {source_id}"
            sources.append((source_id, title, f"/corpus/{title.lower().replace(' ', '-')}.txt",
                            "text", f"sha-{source_id}", len(text), text, stamp, stamp))
            offset = 0
            for piece in pieces:
                hid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                ids.append(hid)
                note = sentence(rng, vocabulary, weights, rng.randint(3, 15)) if rng.random() < 0.3 else ""
                created = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00.000Z"
                status = rng.choices(["anchored", "moved", "fuzzy", "orphaned"], [90, 6, 3, 1])[0]
                highlights.append((hid, source_id, offset, offset + len(piece), piece, note,
                                   rng.choice(AUTHORS), created, created, status))
                for tag_id in rng.sample(tag_ids[:4], rng.choice([0, 1, 1, 1, 2])):
                    tag_rows.append((hid, tag_id))
                if rng.random() < 0.1:
                    tag_rows.append((hid, rng.choice(tag_ids[4:])))
                offset += len(piece) + 2
        db.executemany(
            "INSERT INTO sources (id, title, origin, format, sha256, size, text, imported_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sources,
        )
        db.executemany(
            'INSERT INTO highlights (id, source_id, start, "end", quote, note, author, created_at, '
            "updated_at, anchor_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", highlights,
        )
        db.executemany(
            "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)", tag_rows
        )
        links = set()
        while len(links) < n_highlights // 5:
            a, b = rng.sample(ids, 2)
            links.add((a, b, rng.choice(relations)))
        db.executemany(
            "INSERT INTO links (id, from_id, to_id, relation, created_at) VALUES (?, ?, ?, ?, ?)",
            [(str(uuid.UUID(int=rng.getrandbits(128), version=4)), a, b, r, stamp) for a, b, r in links],
        )
    # No ANALYZE: the app never runs it, so the planner here sees what it sees for a user.
    db.close()


def timed(fn, runs: int) -> tuple[float, float, int]:
    fn()  # warm the page cache and the statement cache
    samples = []
    cpu = []
    result = None
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    size = result if isinstance(result, int) else len(result)
    return statistics.median(samples), p95, size, statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--highlights", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database at this path")
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "bench.db"
    if not path.exists():
        started = time.perf_counter()
        fill(path, args.highlights, args.sources)
        print(f"filled {args.highlights:,} highlights over {args.sources} sources "
              f"in {time.perf_counter() - started:.1f} s")
    db = open_db(path)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'query':<22} {'matches':>8}  {'page med':>8} {'p95':>6} {'cpu':>5}  "
          f"{'count med':>9} {'p95':>6} {'cpu':>5}  {'all med':>8} {'p95':>6}")
    for label, query in QUERIES:
        page_med, page_p95, _, page_cpu = timed(lambda query=query: search(db, query, limit=100), args.runs)
        count_med, count_p95, matches, count_cpu = timed(lambda query=query: count(db, query), args.runs)
        all_med, all_p95, _, _ = timed(lambda query=query: search(db, query), max(3, args.runs // 10))
        flag = "" if max(page_med, count_med) < 50 else "  <-- over 50 ms"
        print(f"{label:<22} {matches:>8,}  {page_med:>8.1f} {page_p95:>6.1f} {page_cpu:>5.1f}  "
              f"{count_med:>9.1f} {count_p95:>6.1f} {count_cpu:>5.1f}  {all_med:>8.1f} "
              f"{all_p95:>6.1f}{flag}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("times in ms (wall; cpu = this process's CPU time, less affected by other load);\n"
          "page = search(limit=100), count = count(), all = search() building every match")


if __name__ == "__main__":
    main()
