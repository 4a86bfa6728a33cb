"""How long other writers wait while `postil import` merges a big file.

Imports N annotations (default 20,000) in one process while another creates a highlight
every 100 ms, and prints the import's time and the writer's longest and median wait, for
the import in one write transaction (as before issue 18) and in short batches (now),
side by side in the same run. Target: no write waits longer than 1 s, none lost.

    python bench/bench_import_lock.py [--annotations N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from import_load import Writer, big_import  # noqa: E402

IMPORT = r"""
import sys
from postil.exports.w3c import read_file
from postil.store.batched_merge import merge_in_batches
from postil.store.db import open_db
from postil.store.exchange import merge
incoming, _ = read_file(sys.argv[2])
db = open_db(sys.argv[1])
report = (merge if sys.argv[3] == "one" else merge_in_batches)(db, incoming)
print(len(report.added))
"""


def measure(n: int, how: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db, annotations = big_import(Path(folder), n)
        writer = Writer(db, Path(folder))
        writer.wait_until_writing(db)
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", IMPORT, str(db), str(annotations), how],
                              capture_output=True, text=True, check=True)
        took = time.perf_counter() - began
        written = writer.stop()
        waits = sorted(written.waits)
        print(f"{how:>8}: import {took:6.1f} s ({done.stdout.strip()} added); writer: {len(waits)} writes, "
              f"longest wait {waits[-1]:.2f} s, median {statistics.median(waits) * 1000:.0f} ms, "
              f"{len(written.errors)} failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=20_000)
    args = parser.parse_args()
    for how in ("one", "batches"):
        measure(args.annotations, how)


if __name__ == "__main__":
    main()
