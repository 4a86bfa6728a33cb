"""How long re-anchoring takes on big texts. Prints milliseconds; asserts nothing about speed.

Run: python bench/bench_anchor.py
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path

from postil.sources.anchor import capture_context, reanchor

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def prose(chars: int, seed: int = 1) -> str:
    """Deterministic prose-like text from the corpus vocabulary (or a built-in one)."""
    words: list[str] = []
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir()):
            words += re.findall(r"[A-Za-z]{2,}", path.read_text(encoding="utf-8", errors="replace"))
    words = sorted(set(words)) or ["trial", "dose", "patients", "effect", "weeks", "placebo", "brain"]
    rng = random.Random(seed)
    out, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randrange(6, 20))).capitalize() + ". "
        if rng.random() < 0.15:
            sentence += "\n\n"
        out.append(sentence)
        size += len(sentence)
    return "".join(out)[:chars]


def timed(label: str, fn, repeat: int = 5):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<62} {best * 1000:9.1f} ms")
    return result


def selector(text: str, start: int, length: int):
    end = start + length
    return (text[start:end], *capture_context(text, start, end), start, end)


def single_quote() -> None:
    text = prose(1_200_000)
    start = 600_000
    sel = selector(text, start, 120)
    quote = sel[0]
    typo = quote[:60] + ("#" if quote[60] != "#" else "%") + quote[61:]
    in_place = text.replace(quote, typo)
    r = timed("120-char quote, typo, in place (1.2 MB)", lambda: reanchor(in_place, *sel))
    assert r.status == "fuzzy", r
    # Cut the passage and its context out and paste it near the end: the old position no
    # longer helps, the prefix/suffix search must find it.
    block = text[start - 40 : start + 160]
    far = text[: start - 40] + text[start + 160 : -10_000] + block.replace(quote, typo) + text[-10_000:]
    r = timed("120-char quote, typo, moved 590 kB away", lambda: reanchor(far, *sel))
    assert r.status == "fuzzy", r
    # The same, with its context edited too: only the whole-text fuzzy scan can find it.
    changed = block.replace(quote, typo)
    changed = changed[:20].upper() + changed[20:-20] + changed[-20:].upper()
    far2 = text[: start - 40] + text[start + 160 : -10_000] + changed + text[-10_000:]
    r = timed("120-char quote, typo and context edited, moved far", lambda: reanchor(far2, *sel))
    assert r.status == "fuzzy", r
    gone = text[:start] + text[start + 120 :]
    r = timed("120-char quote deleted (orphan: whole-text scan)", lambda: reanchor(gone, *sel))
    assert r.status == "orphaned", r


def many_highlights() -> None:
    text = prose(1_000_000, seed=2)
    rng = random.Random(3)
    selectors = [selector(text, rng.randrange(1_000, 990_000), rng.randrange(20, 200)) for _ in range(1000)]
    new = text[:500] + "An inserted paragraph near the start of the source.\n\n" + text[500:]

    def all_of_them():
        return [reanchor(new, *s) for s in selectors]

    results = timed("1,000 highlights, 1 MB, insertion near the start (pure)", all_of_them, repeat=3)
    statuses = {r.status for r in results}
    print(f"{'':<62} statuses: {sorted(statuses)}")

    from postil.store.db import open_db, write
    from postil.store.highlights import create_highlight
    from postil.store.reanchor import reanchor_source

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        with write(db):
            sid = db.execute(
                """INSERT INTO sources (title, origin, format, sha256, size, text, imported_at, updated_at)
                   VALUES ('bench', 'bench', 'text', 'x', 0, ?, 'now', 'now')""",
                [text],
            ).lastrowid
        for _, _, _, start, end in selectors:
            create_highlight(db, sid, start, end)

        def store_run():
            with write(db):
                report = reanchor_source(db, sid, new)
                raise _Rollback(report)

        def once():
            try:
                store_run()
            except _Rollback as done:
                return done.report

        report = timed("1,000 highlights, 1 MB, reanchor_source in a transaction", once, repeat=3)
        print(f"{'':<62} {report.summary()}")
        db.close()


class _Rollback(Exception):
    """Leaves the transaction without committing, so each timing starts from the same rows."""

    def __init__(self, report):
        super().__init__()
        self.report = report


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}")
    single_quote()
    many_highlights()
