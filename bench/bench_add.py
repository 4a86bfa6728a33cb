"""How long `postil add` takes on a generated 10 MB text file and on 1,000 small files.

Run: python bench/bench_add.py [--repeat N]

Each timing is a real `postil add` process on a fresh database (start-up included). For the
big file it then splits the time in-process (load vs store) so a slow figure says where it
goes. Target: the 10 MB file under 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the patients who responded at six weeks mostly kept their response at twelve months "
    "while some relapses followed stressful events and the sample was small with short "
    "follow-up psilocybin serotonin receptor amygdala network plasticity trial placebo "
    "blinding remission depression treatment-resistant dose session therapist outcome"
).split()


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_big(path: Path, size: int = 10 * 1024 * 1024) -> None:
    """A Gutenberg-like text: hard-wrapped paragraphs (~72 columns) separated by blank lines."""
    rng = random.Random(1)
    parts, total = ["A Generated Book\n\n"], 0
    while total < size:
        para = paragraph(rng, rng.randint(40, 200))
        lines, line = [], ""
        for word in para.split():
            if len(line) + len(word) + 1 > 72:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        block = "\n".join(lines) + "\n\n"
        parts.append(block)
        total += len(block)
    path.write_text("".join(parts), encoding="utf-8")


def make_small(folder: Path, count: int = 1000) -> None:
    rng = random.Random(2)
    folder.mkdir()
    for i in range(count):
        sub = folder / f"batch{i % 10}"
        sub.mkdir(exist_ok=True)
        body = "\n\n".join(paragraph(rng, rng.randint(20, 80)) for _ in range(rng.randint(2, 6)))
        (sub / f"note{i:04d}.txt").write_text(f"Note {i}\n\n{body}\n", encoding="utf-8")


def timed_add(db: Path, target: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `postil add` process on a fresh database.

    CPU time (user + system) is reported beside wall time because on a shared machine the
    wall figure includes waiting for a core; the CPU figure does not.
    """
    if db.exists():
        db.unlink()
    env = {**os.environ, "POSTIL_DB": str(db)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "postil", "add", str(target)],
        capture_output=True, text=True, env=env,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"postil add failed: {done.stderr.strip()}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return elapsed, cpu


def breakdown(big: Path, db: Path) -> None:
    """Where the big file's time goes, measured in this process."""
    from postil.sources.load import load_path
    from postil.store.db import open_db
    from postil.store.source_add import add_source

    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    open_db(db).close()
    t_open = time.perf_counter() - start
    start = time.perf_counter()
    loaded = load_path(big)
    t_load = time.perf_counter() - start
    db_conn = open_db(db)
    start = time.perf_counter()
    add_source(db_conn, loaded)
    t_store = time.perf_counter() - start
    print(
        f"  in-process: open+migrate {t_open:.3f} s, load (decode, normalise, blocks) {t_load:.3f} s, "
        f"store (insert, blocks, FTS) {t_store:.3f} s; {len(loaded.document.blocks):,} blocks, "
        f"{len(loaded.document.text):,} chars"
    )
    db_conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        big, small = tmp_path / "big.txt", tmp_path / "small"
        make_big(big)
        make_small(small)
        db = tmp_path / "bench.db"
        empty = tmp_path / "tiny.txt"
        empty.write_text("Tiny\n\nOne line.\n", encoding="utf-8")
        print(f"10 MB file: {big.stat().st_size / 1e6:.1f} MB; 1,000 small files: "
              f"{sum(p.stat().st_size for p in small.rglob('*.txt')) / 1e6:.1f} MB")
        for label, target in (("start-up (one tiny file)", empty), ("10 MB text file", big), ("1,000 small files", small)):
            runs = [timed_add(db, target) for _ in range(args.repeat)]
            wall, cpu = [w for w, _ in runs], [c for _, c in runs]
            print(
                f"postil add {label}: median {statistics.median(wall):.2f} s wall, "
                f"{statistics.median(cpu):.2f} s CPU (wall runs: {', '.join(f'{t:.2f}' for t in wall)})"
            )
        breakdown(big, db)


if __name__ == "__main__":
    main()
