"""Growth table: the bulk and one-item paths at 1,000 / 10,000 / 100,000 highlights (issue 15).

    python bench/bench_scale.py [--sizes 1000,10000,100000] [--sources 200] [--timeout 600]
                                [--only import,export-md,...] [--cache /tmp/postil-scale]

Builds, once per size, a database of N highlights over 200 sources (bench_search's word-like
text, one paragraph block per highlight, tags, notes, authors, links) and caches it in
--cache; a second copy holds the same sources and no highlights (the import target) and a
W3C export of the first is kept beside them.

Every path runs as the real `postil` command in its own process; its wall time and peak RSS
(os.wait4's ru_maxrss) are printed beside floors measured in the same run:
  floor start   `postil --version`: the interpreter, click and postil's imports
  floor select  a bare Python process reading every highlight row (with its source title
                and tags) from sqlite3 and writing one JSON line per row to /dev/null
  floor json    a bare Python process loading the W3C file and inserting one row per
                annotation into a table (what any import must do at the least)
In-process rows (one-item store calls, re-anchoring) print milliseconds.
Targets: import of 100,000 in 30 s; each 10x step at most ~12x in time; exports and
listings of 100,000 under 150 MB peak RSS; re-anchoring 1,000 highlights under 5 s
(`--only reanchor` runs that alone).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reanchor import reanchor_bench  # noqa: E402
from bench_search import make_vocabulary, sentence  # noqa: E402

from postil.store.db import open_db, write  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
POSTIL = [str(Path(sys.executable).with_name("postil"))]
AUTHORS = ["ana", "ben", "chen", "dana", "eli"]
STAMP = "2026-01-01T00:00:00.000Z"

FLOOR_SELECT = r"""
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tags = {}
for hid, name in db.execute("SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id"):
    tags.setdefault(hid, []).append(name)
with open("/dev/null", "w") as out:
    for row in db.execute('SELECT h.id, h.source_id, s.title, h.start, h."end", h.quote, h.prefix, h.suffix, '
                          'h.note, h.author, h.created_at, h.updated_at, h.version, h.anchor_status '
                          'FROM highlights h JOIN sources s ON s.id = h.source_id ORDER BY h.source_id, h.start'):
        out.write(json.dumps([*row, tags.get(row[0], [])], ensure_ascii=False) + "\n")
"""
FLOOR_JSON = r"""
import json, sqlite3, sys
document = json.load(open(sys.argv[1], encoding="utf-8"))
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE a (id TEXT PRIMARY KEY, quote TEXT, start INT, \"end\" INT, tags TEXT)")
with db:
    for item in document["first"]["items"]:
        selectors = item["target"]["selector"]
        target = item["target"]  # offsets: postil's own fields (the export has no position selector)
        db.execute("INSERT INTO a VALUES (?, ?, ?, ?, ?)", [item["id"], selectors[0]["exact"],
                   target["postil:readingStart"], target["postil:readingEnd"], json.dumps(item.get("body", []))])
"""


# --- the databases ------------------------------------------------------------------------


def fill(path: Path, n_highlights: int, n_sources: int, seed: int = 7) -> None:
    """N highlights over `n_sources` sources, written with executemany in one transaction.

    Raw inserts, not store functions: creating highlights one by one through the store was
    one of the quadratic paths this benchmark measures.
    """
    rng = random.Random(seed)
    vocabulary, weights = make_vocabulary(rng)
    db = open_db(path)
    db.execute("PRAGMA cache_size = -200000")
    per_source = max(1, n_highlights // n_sources)
    with write(db):
        for tag in ("durability", "dose", "blinding", "safety"):
            db.execute("INSERT INTO tags (name, color, created_at) VALUES (?, '#888888', ?)", [tag, STAMP])
        tag_ids = [row[0] for row in db.execute("SELECT id FROM tags ORDER BY id")]
        relations = [row[0] for row in db.execute("SELECT name FROM relations")]
        sources, blocks, highlights, tag_rows, ids = [], [], [], [], []
        for source_id in range(1, n_sources + 1):
            heading = f"Study {source_id}: {sentence(rng, vocabulary, weights, 4)}"
            pieces = [sentence(rng, vocabulary, weights, rng.randint(8, 30)) for _ in range(per_source)]
            text = "\n\n".join([heading, *pieces])
            title = f"{rng.choice(AUTHORS).capitalize()} study {source_id}"
            sources.append((source_id, title, f"/corpus/study-{source_id}.txt", "text",
                            uuid.UUID(int=rng.getrandbits(128)).hex * 2, len(text), text, STAMP, STAMP))
            blocks.append((source_id, 0, "heading", 1, 0, len(heading)))
            offset = len(heading) + 2
            for seq, piece in enumerate(pieces, 1):
                blocks.append((source_id, seq, "paragraph", 0, offset, offset + len(piece)))
                hid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                ids.append(hid)
                note = sentence(rng, vocabulary, weights, rng.randint(3, 15)) if rng.random() < 0.3 else ""
                created = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00.000Z"
                status = rng.choices(["anchored", "moved", "fuzzy", "orphaned"], [90, 6, 3, 1])[0]
                prefix = text[max(0, offset - 32):offset]
                suffix = text[offset + len(piece):offset + len(piece) + 32]
                highlights.append((hid, source_id, offset, offset + len(piece), piece, prefix, suffix, note,
                                   rng.choice(AUTHORS), created, created, status))
                for tag_id in rng.sample(tag_ids[:4], rng.choice([0, 1, 1, 1, 2])):
                    tag_rows.append((hid, tag_id))
                if rng.random() < 0.1:
                    tag_rows.append((hid, rng.choice(tag_ids[4:])))
                offset += len(piece) + 2
        db.executemany(
            "INSERT INTO sources (id, title, origin, format, sha256, size, text, imported_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sources)
        db.executemany(
            'INSERT INTO blocks (source_id, seq, kind, level, start, "end") VALUES (?, ?, ?, ?, ?, ?)', blocks)
        db.executemany(
            'INSERT INTO highlights (id, source_id, start, "end", quote, prefix, suffix, note, author, '
            "created_at, updated_at, anchor_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", highlights)
        db.executemany("INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)", tag_rows)
        links = set()
        while len(links) < n_highlights // 5:
            a, b = rng.sample(ids, 2)
            links.add((a, b, rng.choice(relations)))
        db.executemany(
            "INSERT INTO links (id, from_id, to_id, relation, created_at) VALUES (?, ?, ?, ?, ?)",
            [(str(uuid.UUID(int=rng.getrandbits(128), version=4)), a, b, r, STAMP) for a, b, r in sorted(links)])
    db.close()


def prepare(cache: Path, n: int, n_sources: int) -> tuple[Path, Path, Path]:
    """(full database, sources-only database, W3C export of the full one), built once."""
    cache.mkdir(parents=True, exist_ok=True)
    full, empty, w3c = cache / f"full-{n}.db", cache / f"sources-{n}.db", cache / f"export-{n}.jsonld"
    if not full.exists():
        started = time.perf_counter()
        partial = cache / f"building-{n}.db"
        partial.unlink(missing_ok=True)
        fill(partial, n, n_sources)
        partial.rename(full)
        print(f"  built {full.name} in {time.perf_counter() - started:.1f} s", flush=True)
    if not empty.exists():
        partial = cache / f"building-sources-{n}.db"
        shutil.copy(full, partial)
        db = open_db(partial)
        with write(db):
            db.execute("DELETE FROM highlights")
        db.execute("VACUUM")
        db.close()
        partial.rename(empty)
    if not w3c.exists():
        subprocess.run([*POSTIL, "--db", str(full), "export", "--format", "w3c", "-o", str(w3c)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT.parent)
    return full, empty, w3c


# --- measuring ----------------------------------------------------------------------------


def run(argv: list[str], timeout: float) -> tuple[float | None, float, float]:
    """(wall seconds or None after `timeout`, peak RSS in MB, CPU seconds) of one child.

    CPU time (user + system) is printed too: on a machine shared with other work, wall time
    mostly measures the wait for a core."""
    # stderr to a file, not a pipe: an export warns once per quote that no longer matches
    # (1,000 lines at 100,000 highlights), and a pipe nobody reads blocks the child at 64 KB.
    errors = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT.parent)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = -9
            return None, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        errors.seek(0)
        said = errors.read().decode(errors="replace").strip().splitlines()
        raise StepFailed(f"exit {process.returncode}: {said[-1] if said else 'no message'}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


class StepFailed(Exception):
    """A measured command exited non-zero (its last line of stderr)."""


def cli_paths(full: Path, empty: Path, w3c: Path, out: Path) -> dict[str, list[str]]:
    db = ["--db", str(full)]
    return {
        "floor start": [*POSTIL, "--version"],
        "floor select": [sys.executable, "-c", FLOOR_SELECT, str(full)],
        "floor json": [sys.executable, "-c", FLOOR_JSON, str(w3c)],
        "import w3c": [*POSTIL, "--db", str(out / "import.db"), "import", str(w3c)],
        "export md": [*POSTIL, *db, "export", "-o", str(out / "x.md"), "--force"],
        "export csv": [*POSTIL, *db, "export", "--format", "csv", "-o", str(out / "x.csv"), "--force"],
        "export json": [*POSTIL, *db, "export", "--format", "json", "-o", str(out / "x.json"), "--force"],
        "export w3c": [*POSTIL, *db, "export", "--format", "w3c", "-o", str(out / "x.jsonld"), "--force"],
        "highlights --json": [*POSTIL, *db, "highlights", "--json"],
        "search relapse --json": [*POSTIL, *db, "search", "relapse", "--json"],
        "search --json": [*POSTIL, *db, "search", "--json"],
        "search tag:caveat -n 100": [*POSTIL, *db, "search", "tag:caveat", "-n", "100"],
        "tags": [*POSTIL, *db, "tags"],
    }


def in_process(full: Path, out: Path) -> dict[str, float]:
    """Milliseconds of one-item store calls on a copy of the full database (median of 5)."""
    from postil.store.highlights import add_tag, create_highlight, delete_highlight, remove_tag
    from postil.store.tags import find_tag

    copy = out / "one-item.db"
    shutil.copy(full, copy)
    db = open_db(copy)
    hid = db.execute("SELECT id FROM highlights ORDER BY pk LIMIT 1").fetchone()[0]

    def median(fn) -> float:
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
        return sorted(samples)[2]

    def create_delete():
        made = create_highlight(db, 1, 0, 10, tags=["caveat", "dose"])
        delete_highlight(db, made.id)

    found = {
        "find_tag('caveat')": median(lambda: find_tag(db, "caveat")),
        "add_tag + remove_tag": median(lambda: (add_tag(db, hid, "safety"), remove_tag(db, hid, "safety"))),
        "create + delete highlight": median(create_delete),
    }
    db.close()
    return found


SNAPSHOT_RUNS = {
    "brief-tag.md": ["export", "-o", "-"],
    "brief-source.md": ["export", "--by", "source", "-o", "-"],
    "brief-order-caveat.md": ["export", "--by", "order", "tag:caveat", "-o", "-"],
    "all.csv": ["export", "--format", "csv", "-o", "-"],
    "all.json": ["export", "--format", "json", "-o", "-"],
    "all.jsonld": ["export", "--format", "w3c", "-o", "-"],
    "relapse.jsonld": ["export", "--format", "w3c", "relapse", "-o", "-"],
    "highlights.json": ["highlights", "--json"],
    "highlights-7.json": ["highlights", "7", "--json"],
    "highlights.txt": ["highlights"],
    "search.json": ["search", "--json"],
    "tags.txt": ["tags"],
    "tags.json": ["tags", "--json"],
}


def snapshot(folder: Path, full: Path, empty: Path, w3c: Path) -> list[str]:
    """Write every output (with a fixed clock) and the database an import makes, to compare
    byte for byte with `cmp` before and after a change.

    A failed step is reported and the others still run. Returns the failed steps."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "POSTIL_NOW": STAMP}
    failed: list[str] = []

    def step(name: str, argv: list[str], handle, merge_stderr: bool = False) -> bool:
        errors = subprocess.STDOUT if merge_stderr else subprocess.PIPE
        done = subprocess.run(argv, stdout=handle, stderr=errors, env=env, cwd=ROOT.parent)
        if done.returncode != 0:
            said = (done.stderr or b"").decode(errors="replace").strip().splitlines()
            print(f"  FAILED {name} (exit {done.returncode}): {said[-1] if said else 'no message'}", flush=True)
            failed.append(name)
        return done.returncode == 0

    for name, argv in SNAPSHOT_RUNS.items():
        with open(folder / name, "wb") as handle:
            written = step(name, [*POSTIL, "--db", str(full), *argv], handle)
        if not written:
            (folder / name).unlink()  # `diff -r` then names it, rather than a half output
    target = folder / "imported.db"
    shutil.copy(empty, target)
    with open(folder / "import.txt", "wb") as handle:
        imported = step("import.txt", [*POSTIL, "--db", str(target), "import", str(w3c)], handle, merge_stderr=True)
    if imported:
        db = open_db(target)
        with open(folder / "imported.txt", "w", encoding="utf-8") as handle:
            for table, order in (("highlights", "id"), ("highlight_tags", "highlight_id, tag_id"),
                                 ("tags", "id"), ("links", "id")):
                columns = "*" if table != "highlights" else (
                    'id, source_id, start, "end", quote, prefix, suffix, note, author, created_at, updated_at, '
                    "version, anchor_status")
                for row in db.execute(f"SELECT {columns} FROM {table} ORDER BY {order}"):
                    handle.write(json.dumps([table, *row], ensure_ascii=False) + "\n")
        db.close()
    target.unlink()
    print(f"  outputs written to {folder}" + (f"; {len(failed)} failed: {', '.join(failed)}" if failed else ""))
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--only", help="comma-separated path names (default: all)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "postil-scale")
    parser.add_argument("--no-reanchor", action="store_true")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--snapshot", type=Path, help="write every output of each size under this folder "
                        "(a fixed clock) instead of timing; compare two such folders with `diff -r`")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.build:
        prepare(args.cache, sizes[0], args.sources)
        return
    only = set(args.only.split(",")) if args.only else None
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; cache {args.cache}")
    results: dict[str, dict[int, tuple[float | None, float]]] = {}
    one_item: dict[str, dict[int, float]] = {}
    failures: list[str] = []
    for n in sizes:
        print(f"{n:,} highlights:", flush=True)
        # Built in a child: a parent holding the rows would lend its RSS to every fork.
        subprocess.run([sys.executable, __file__, "--build", "--sizes", str(n), "--sources", str(args.sources),
                        "--cache", str(args.cache)], check=True)
        full, empty, w3c = prepare(args.cache, n, args.sources)
        if args.snapshot:
            failures += [f"{name} at {n:,}" for name in snapshot(args.snapshot / str(n), full, empty, w3c)]
            continue
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            for name, argv in cli_paths(full, empty, w3c, out).items():
                if only and name not in only and not name.startswith("floor"):
                    continue
                if name == "import w3c":
                    shutil.copy(empty, out / "import.db")
                try:
                    seconds, rss, cpu = run(argv, args.timeout)
                except StepFailed as failure:
                    # Reported, and the table goes on: one broken path must not hide the rest.
                    print(f"  {name:<26} FAILED {failure}", flush=True)
                    failures.append(f"{name} at {n:,}")
                    continue
                results.setdefault(name, {})[n] = (seconds, rss)
                shown = f">{args.timeout:.0f}" if seconds is None else f"{seconds:.2f}"
                print(f"  {name:<26} {shown:>8} s {rss:>7.0f} MB {cpu:>8.2f} s cpu", flush=True)
            if not only or "one-item" in only:
                for name, ms in in_process(full, out).items():
                    one_item.setdefault(name, {})[n] = ms
    if args.snapshot:
        _report(failures)
        return
    print()
    print("growth table: seconds / peak MB per size (x: time ratio to the size before)")
    header = f"{'path':<26}" + "".join(f"{n:>22,}" for n in sizes)
    print(header)
    for name, by_size in results.items():
        cells, before = [], None
        for n in sizes:
            seconds, rss = by_size.get(n, (None, 0.0))
            ratio = f" x{seconds / before:.1f}" if seconds and before else ""
            cells.append(f"{('>' + str(int(args.timeout))) if seconds is None else f'{seconds:.2f}'} s "
                         f"{rss:.0f} MB{ratio}".rjust(22))
            before = seconds
        print(f"{name:<26}" + "".join(cells))
    for name, by_size in one_item.items():
        print(f"{name:<26}" + "".join(f"{by_size.get(n, float('nan')):>19.2f} ms" for n in sizes))
    if not args.no_reanchor and (not only or "reanchor" in only):
        print("re-anchor a 1 MB source's 1,000 highlights (target: under 5 s):")
        with tempfile.TemporaryDirectory() as folder:
            for case, seconds, cpu, summary in reanchor_bench(Path(folder)):
                print(f"  {case:<38} {seconds:>7.2f} s {cpu:>7.2f} s cpu  ({summary})")
    print(f"load average after {os.getloadavg()[0]:.1f}")
    _report(failures)


def _report(failures: list[str]) -> None:
    """Name the failed steps at the end, and exit non-zero when there were any."""
    if failures:
        print(f"{len(failures)} step(s) failed: {'; '.join(failures)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
