"""Team sync at scale: 5 reviewers with 20,000 highlights each, then a change of 10.

Run: python bench/bench_team.py [--reviewers 5] [--per 20000]

Each reviewer has a database holding one generated ~2 MB source and their own highlights
(bulk-inserted: setup, not measured), and one bare repository in a temporary folder is the
team's remote. Every reviewer syncs once (the first sync imports everyone else: shown, not
the target), then, three rounds (--rounds): one reviewer changes the notes of 10 highlights and syncs,
another syncs (the figure the issue sets: under 5 s, only changed annotations are merged) and
syncs again with nothing new. Medians are printed, wall and CPU (user+sys, git included). The
floor beside them: `git fetch` + `git push --dry-run` in the same clone, which any sync does.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_fixtures import generate  # noqa: E402

from postil.exports.team_sync import clone_folder, join, sync  # noqa: E402
from postil.sources.load import load_path  # noqa: E402
from postil.store.db import open_db, write  # noqa: E402
from postil.store.highlights import set_note  # noqa: E402
from postil.store.source_add import add_source  # noqa: E402


def build(folder: Path, text_path: Path, name: str, per: int, seed: int) -> Path:
    db_path = folder / f"{name}.db"
    db = open_db(db_path)
    source_id = add_source(db, load_path(text_path)).source.id
    text = db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]
    rng = random.Random(seed)
    rows = []
    for i in range(per):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randint(20, 180)
        ident = hashlib.sha256(f"{name}-{i}".encode()).hexdigest()
        uid = f"{ident[:8]}-{ident[8:12]}-4{ident[13:16]}-8{ident[17:20]}-{ident[20:32]}"
        rows.append((uid, source_id, start, end, text[start:end], "", name, "2025-01-01T00:00:00.000Z", 1 + i % 4))
    with write(db):
        db.executemany(
            'INSERT INTO highlights (id, source_id, start, "end", quote, note, author, created_at, updated_at) '
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)", [r[:8] for r in rows])
        db.executemany("INSERT INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)", [(r[0], r[8]) for r in rows])
    db.close()
    return db_path


def cpu_seconds() -> float:
    """User + system CPU of this process and the git processes it ran (the machine is shared:
    wall time is inflated by others' load, CPU time much less)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, action):
    start, cpu = time.perf_counter(), cpu_seconds()
    result = action()
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(f"  {label:58s} {seconds:7.2f} s (cpu {cpu:5.2f} s)", flush=True)
    return result, seconds, cpu


def median_line(label: str, runs: list[tuple[float, float]], extra: str = "") -> None:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    print(f"  median of {len(runs)}: {label:46s} {wall:7.2f} s (cpu {cpu:5.2f} s){extra}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--per", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="change-of-10 rounds (medians are printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = folder / "shared.txt"
        generate(2_000_000, text)
        remote = folder / "team.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        names = [f"reviewer{n}" for n in range(args.reviewers)]
        paths = {name: build(folder, text, name, args.per, seed) for seed, name in enumerate(names)}
        print(f"{args.reviewers} reviewers x {args.per:,} highlights, one 2 MB source")
        dbs = {name: open_db(path) for name, path in paths.items()}
        for name in names:
            timed(f"first sync of {name} (joins, imports everyone so far)",
                  lambda name=name: (join(dbs[name], paths[name], str(remote)), sync(dbs[name], paths[name], name)))
        for name in names:
            timed(f"catch-up sync of {name}", lambda name=name: sync(dbs[name], paths[name], name))
        first, second = names[0], names[1]
        clone = clone_folder(paths[second])
        mine, theirs, noop, floors = [], [], [], []
        ids = [row[0] for row in dbs[first].execute("SELECT id FROM highlights WHERE author = ? ORDER BY id", [first])]
        for round_ in range(args.rounds):
            for highlight_id in ids[round_ * 10:(round_ + 1) * 10]:
                set_note(dbs[first], highlight_id, f"changed for the benchmark, round {round_}")
            _, seconds, cpu = timed(f"{first} syncs a change of 10 highlights", lambda: sync(dbs[first], paths[first], first))
            mine.append((seconds, cpu))
            report, seconds, cpu = timed(f"{second} syncs, bringing that change in",
                                         lambda: sync(dbs[second], paths[second], second))
            theirs.append((seconds, cpu))
            print(f"    {report.updated} highlights updated from {report.files_read}")
            _, seconds, cpu = timed(f"{second} syncs again (nothing changed)", lambda: sync(dbs[second], paths[second], second))
            noop.append((seconds, cpu))
            _, seconds, cpu = timed("floor: git fetch + git push --dry-run in that clone",
                                    lambda: (subprocess.run(["git", "-C", str(clone), "fetch", "--quiet"], check=True),
                                             subprocess.run(["git", "-C", str(clone), "push", "--quiet", "--dry-run"],
                                                            check=True)))
            floors.append((seconds, cpu))
        floor = statistics.median(f[0] for f in floors)
        median_line("floor (git fetch + push)", floors)
        median_line(f"{first} syncs a change of 10", mine, f"   floor {floor:.2f} s")
        median_line(f"{second} brings that change in", theirs, f"   target < 5 s, floor {floor:.2f} s")
        median_line(f"{second}'s no-op sync", noop, f"   floor {floor:.2f} s")

if __name__ == "__main__":
    main()
