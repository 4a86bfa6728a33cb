"""How long importing a PDF takes: a generated 60-page two-column paper (and, with --book, 500 pages).

Run: python bench/bench_pdf_import.py [--repeat N] [--book]

For each PDF it prints the in-process split (PDFium reading + layout, then storing) and a
real `postil add` process on a fresh database, beside the floor: `postil add` of a text
file holding the same reading text. Targets (issue 19): 60 pages under 1 s, 500 under 10 s.
The PDFs are drawn with fpdf2 (the test extra), by tests/pdf_fixtures.py.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pdf_fixtures import Paper, filler  # noqa: E402

from postil.sources.load import load_path  # noqa: E402
from postil.store.db import open_db  # noqa: E402
from postil.store.source_add import add_source  # noqa: E402

HEADER = "Journal of Benchmarks 7 (2026) {n}"


def make_pdf(path: Path, pages: int) -> Path:
    """`pages` pages: two columns of hyphenated prose, running header, page-number footer."""
    paper = Paper()
    n = 0
    for page in range(pages):
        paper.new_page(columns=2, header=HEADER, footer="{n}")
        if page == 0:
            paper.title("A Generated Two-Column Paper")
        if page % 5 == 0:
            paper.heading(f"{page // 5 + 1} Section")
        try:
            while True:
                n += 1
                paper.paragraph(filler(n) + " Its treat|ment was effi|cient and the follow-|up was short.")
        except OverflowError:
            pass  # the page is full: the next one starts
    return paper.save(path)


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of `fn` (CPU time says what the work costs when the
    machine is shared; PDFium runs in this process, so it is counted)."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu), result


def cli_add(path: Path, folder: Path, tag: str) -> float:
    db = folder / f"{tag}.db"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "postil", "--db", str(db), "add", str(path)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"postil add {path.name} failed: {done.stderr.strip()}")
    return elapsed


def bench(pages: int, repeat: int, folder: Path) -> None:
    pdf = make_pdf(folder / f"paper-{pages}.pdf", pages)
    text_file = folder / f"paper-{pages}.txt"
    text_file.write_text(load_path(pdf).document.text, encoding="utf-8")
    load, load_cpu, loaded = timed(lambda: load_path(pdf), repeat)

    def store() -> None:
        db_path = folder / "inproc.db"
        db_path.unlink(missing_ok=True)
        add_source(open_db(db_path), loaded)

    store_time, store_cpu, _ = timed(store, repeat)
    text_load, text_cpu, _ = timed(lambda: load_path(text_file), repeat)
    pdf_cli = statistics.median(cli_add(pdf, folder, "pdf") for _ in range(repeat))
    txt_cli = statistics.median(cli_add(text_file, folder, "txt") for _ in range(repeat))
    chars = len(loaded.document.text)
    print(f"{pages} pages, {pdf.stat().st_size // 1024} KB PDF, {chars:,} characters of reading text,"
          f" {len(loaded.document.blocks)} blocks")
    print(f"  load (PDFium + layout)  {load * 1000:7.0f} ms wall {load_cpu * 1000:7.0f} ms CPU  ({load_cpu / pages * 1000:.1f} ms CPU a page)")
    print(f"  load the same as .txt   {text_load * 1000:7.0f} ms wall {text_cpu * 1000:7.0f} ms CPU  (floor)")
    print(f"  store in SQLite         {store_time * 1000:7.0f} ms wall {store_cpu * 1000:7.0f} ms CPU")
    print(f"  postil add paper.pdf    {pdf_cli * 1000:7.0f} ms   (target {'1 s' if pages <= 60 else '10 s'})")
    print(f"  postil add paper.txt    {txt_cli * 1000:7.0f} ms   (floor: same text as a text file)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--book", action="store_true", help="also a 500-page PDF")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench(60, args.repeat, folder)
        if args.book:
            bench(500, 1, folder)


if __name__ == "__main__":
    main()
