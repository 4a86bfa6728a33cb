"""Export speed: 10,000 highlights over 20 sources, with tags, notes and links.

Prints seconds for collecting the data from the store and for rendering each format
(md, csv, json, w3c), best of three, then the whole export (collect and render together)
run three times: best and median wall time, median CPU time. Target: each whole export
under 1 s.

    python bench/bench_export.py [--highlights N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postil.sources.blocks import Block  # noqa: E402
from postil.sources.document import Document, LoadedSource  # noqa: E402
from postil.store.db import open_db, write  # noqa: E402
from postil.store.highlights import create_highlight  # noqa: E402
from postil.store.links import create_link  # noqa: E402
from postil.store.source_add import add_source  # noqa: E402

WORDS = "psilocybin relapse durable caveat outcome sample blinding receptor amygdala trial week placebo".split()
TAGS = ["mechanism", "outcome", "caveat", "anecdote", "durability", "safety"]


def build(path: Path, count: int, sources: int = 20, seed: int = 7) -> None:
    rng = random.Random(seed)
    db = open_db(path)
    per_source = count // sources
    ids: list[str] = []
    for s in range(sources):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)) + "." for _ in range(per_source // 2 + 10)]
        text = "\n\n".join(paragraphs)
        blocks, offset = [], 0
        for p in paragraphs:
            blocks.append(Block("paragraph", offset, offset + len(p)))
            offset += len(p) + 2
        data = text.encode()
        add_source(db, LoadedSource(Document(f"Source {s} | *{s}*", text, blocks, "text"),
                                    f"/bench/source-{s}.txt", hashlib.sha256(data).hexdigest(), len(data)))
        with write(db):
            for _ in range(per_source):
                start = rng.randrange(0, len(text) - 200)
                h = create_highlight(
                    db, s + 1, start, start + rng.randrange(20, 180),
                    tags=rng.sample(TAGS, rng.randrange(0, 3)),
                    note=rng.choice(["", "", "Check *this* against the trial.", "# not a heading\n| x |"]),
                    author="bench",
                )
                ids.append(h.id)
    with write(db):
        for _ in range(count // 5):
            a, b = rng.sample(ids, 2)
            try:
                create_link(db, a, b, relation=rng.choice(["supports", "qualifies", "contradicts"]))
            except Exception:
                pass


def best_of(fn, runs: int = 3) -> tuple[float, object]:
    """Best wall-clock seconds of `runs` calls (and the last result)."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def whole_runs(fn, runs: int = 3) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `runs` calls, each sorted. CPU time is steadier than wall time
    on a machine shared with other work."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return sorted(walls), sorted(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--highlights", type=int, default=10_000)
    args = parser.parse_args()
    from postil.exports.brief import render_brief
    from postil.exports.citations import Citer, gather
    from postil.exports.collect import collect
    from postil.exports.tabular import to_csv, to_json
    from postil.exports.w3c import dumps

    def cited(style: str | None, pandoc: bool = False):
        def render(data):
            return render_brief(data, "tag", None, Citer(data.sources, gather(db, data.sources), style, pandoc=pandoc)).text
        return render

    renderers = {
        "md": lambda data: render_brief(data).text,
        "md+apa": cited("apa"),
        "md+vanc": cited("vancouver"),
        "pandoc": cited(None, pandoc=True),
        "csv": to_csv,
        "json": to_json,
        "w3c": dumps,
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        build(path, args.highlights)
        print(f"built {args.highlights} highlights in {time.perf_counter() - started:.1f} s")
        db = open_db(path)
        collect_s, data = best_of(lambda: collect(db))
        print(f"collect (search, sources, links, checks): {collect_s:.3f} s for {len(data.highlights)} highlights")
        for name, render in renderers.items():
            seconds, text = best_of(lambda render=render: render(data))
            walls, cpus = whole_runs(lambda render=render: render(collect(db)))
            print(
                f"{name:7} render {seconds:.3f} s, whole export (collect + render, 3 runs) "
                f"best {walls[0]:.3f} s / median {walls[1]:.3f} s wall, "
                f"median {cpus[1]:.3f} s CPU, {len(text) / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()
