"""Article extraction quality: mean token F1 of postil's HTML reading on ../shared/html-dev.

Run: python bench/bench_html_f1.py

Writes what postil reads from each page (the reading text `postil show` prints) and what
trafilatura alone returns (`extract(favor_recall=True)`) to a temporary folder, and prints
the dev set's own scorer for both, beside its naive all-text baseline. Goal: 0.95 or better
for postil; tune on this set, judge by what the article is.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import trafilatura

from postil.sources.load import load_path

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "html-dev"


def main() -> None:
    if not (DEV_SET / "score.py").exists():
        sys.exit(f"{DEV_SET} is not here")
    with tempfile.TemporaryDirectory() as tmp:
        ours, alone = Path(tmp, "postil"), Path(tmp, "trafilatura")
        ours.mkdir()
        alone.mkdir()
        for page in sorted((DEV_SET / "pages").iterdir()):
            source = page / "source.html"
            if not source.exists():
                continue
            (ours / f"{page.name}.txt").write_text(load_path(source).document.text, encoding="utf-8")
            html = source.read_text(encoding="utf-8", errors="replace")
            (alone / f"{page.name}.txt").write_text(trafilatura.extract(html, favor_recall=True) or "", encoding="utf-8")
        for label, folder in (("postil", ours), ("trafilatura alone", alone)):
            run = subprocess.run([sys.executable, str(DEV_SET / "score.py"), str(DEV_SET / "pages"), str(folder)],
                                 capture_output=True, text=True, check=True)
            print(f"{label:>18}: {run.stdout.splitlines()[0]}")


if __name__ == "__main__":
    main()
