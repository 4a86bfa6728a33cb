"""Keystroke `1` on a selection of a 10 MB source with 10,000 highlights: painted and committed.

Run: python bench/bench_annotate.py [--presses 30] [--wide]

Builds a real database (a generated 10 MB text, as in bench_reader, with 10,000 highlights
made by store.highlights.create_highlight), opens it in the real PostilApp (headless
`run_test`), and for each of ~30 presses selects a fresh range, presses `1` and waits until
the highlight is in the database AND the reader's spans hold it (`pilot.pause()` then
check); the reader's visible lines are then rendered, as a paint would. Prints median and
p95 of that round trip, of the pilot press alone and of a bare-app keypress that nothing
handles (the pilot's own floor), then the store part alone: create_highlight on the same
source, one transaction each, as the app does it. Target: under 30 ms median.

`--wide` puts a non-ASCII character into the text, which takes create_highlight off its
byte-offset fast path (see store.highlights._cut).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_fixtures import generate  # noqa: E402
from bench_reader import record_frames  # noqa: E402

from postil.sources.blocks import Block  # noqa: E402
from postil.sources.document import Document, LoadedSource  # noqa: E402
from postil.store.db import open_db, write  # noqa: E402
from postil.store.highlights import create_highlight  # noqa: E402
from postil.store.source_add import add_source  # noqa: E402

SIZE = (160, 48)
PROFILE = "--profile" in sys.argv
TAGS = ["mechanism", "outcome", "caveat", "anecdote"]


def build(folder: Path, wide: bool) -> tuple[Path, int, str]:
    """A database holding one 10 MB source with 10,000 highlights; (path, source id, text)."""
    text_path = folder / "big.txt"
    generate(10_000_000, text_path)
    text = text_path.read_text(encoding="utf-8")
    if wide:
        text = "Caf\u00e9 \u2014 " + text[7:]  # same length, no longer all single-byte
    blocks = [Block(k, s, e, lv) for k, s, e, lv in json.loads(text_path.with_suffix(".json").read_text())]
    db_path = folder / "postil.db"
    db = open_db(db_path)
    data = text.encode()
    loaded = LoadedSource(Document("Big generated text", text, blocks, "text"), str(text_path),
                          hashlib.sha256(data).hexdigest(), len(data))
    source_id = add_source(db, loaded).source.id
    rng = random.Random(11)
    rows, tag_rows = [], []
    for i in range(10_000):  # setup in bulk (create_highlight one by one is the measured part)
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randint(20, 180)
        hid = f"{i:08x}-0000-4000-8000-000000000000"
        rows.append((hid, source_id, start, end, text[start:end], text[max(0, start - 32):start],
                     text[end:end + 32], "a note" if i % 5 == 0 else "", "bench", "2025-01-01T00:00:00Z"))
        tag_rows.append((hid, TAGS[i % 4]))
    with write(db):
        db.executemany(
            'INSERT INTO highlights (id, source_id, start, "end", quote, prefix, suffix, note, author, '
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?10)", rows)
        db.executemany(
            "INSERT INTO highlight_tags (highlight_id, tag_id) SELECT ?, id FROM tags WHERE name = ?", tag_rows)
    db.close()
    return db_path, source_id, text


def stats(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"  {label:<52} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ms)})"


def ranges(text: str, count: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        start = rng.randrange(0, len(text) - 200)
        out.append((start, start + rng.randint(20, 120)))
    return out


async def app_presses(db_path: Path, source_id: int, text: str, presses: int) -> dict[str, list[float]]:
    from postil.tui.app import PostilApp
    from postil.tui.settings import Settings

    settings = Settings(db_path, "bench", False)
    db = settings.open()
    app = PostilApp(settings, db=db, source_id=source_id, at_top=True)
    out: dict[str, list[float]] = {"round_trip": [], "press": [], "paint": [], "handler": [], "frame": []}
    frames = record_frames(app)
    handler_ends: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        reader = screen.reader
        action = screen.action_tag_digit

        def timed_action(digit: int) -> None:  # the app's own work for the key, without the pilot
            t_action = time.perf_counter()
            action(digit)
            handler_ends.append(time.perf_counter())
            out["handler"].append(handler_ends[-1] - t_action)

        screen.action_tag_digit = timed_action
        profile = cProfile.Profile() if PROFILE else None
        assert len(reader.text) == len(text)
        for start, end in ranges(text, presses, seed=5):
            reader.move_to(start)
            reader.select(start, end)
            await pilot.pause()
            start, end = reader.selection  # as the reader clamps it (e.g. off a blank line)
            before = db.execute("SELECT count(*) FROM highlights").fetchone()[0]
            t = time.perf_counter()
            if profile:
                profile.enable()
            await pilot.press("1")
            if profile:
                profile.disable()
            out["press"].append(time.perf_counter() - t)
            await pilot.pause()
            handled = handler_ends[-1]
            # The first frame written after the handler ran: what the user waits for.
            out["frame"].append(min((f for f in frames if f >= handled), default=float("nan")) - t)
            row = db.execute(
                'SELECT id FROM highlights WHERE source_id = ? AND start = ? AND "end" = ? ORDER BY created_at DESC',
                [source_id, start, end],
            ).fetchone()
            assert row is not None, "the highlight was not committed"
            assert row[0] in {s.id for s in reader.spans_at(start)}, "the reader does not paint it"
            t_paint = time.perf_counter()
            for y in range(reader.scrollable_content_region.height):
                reader.render_line(y)
            done = time.perf_counter()
            out["paint"].append(done - t_paint)
            out["round_trip"].append(done - t)
            assert db.execute("SELECT count(*) FROM highlights").fetchone()[0] == before + 1
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return out


async def bare_presses(count: int) -> list[float]:
    from textual.app import App
    from textual.widgets import Label

    class Bare(App):
        def compose(self):
            yield Label("hello")

    times = []
    async with Bare().run_test(size=SIZE) as pilot:
        for _ in range(count):
            t = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            times.append(time.perf_counter() - t)
    return times


def store_creates(db_path: Path, source_id: int, text: str, count: int) -> list[float]:
    db = open_db(db_path)
    times = []
    for start, end in ranges(text, count, seed=9):
        t = time.perf_counter()
        h = create_highlight(db, source_id, start, end, tags=["mechanism"], author="bench")
        times.append(time.perf_counter() - t)
        assert h.quote == text[start:end]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="cProfile the presses")
    parser.add_argument("--wide", action="store_true", help="a non-ASCII character in the text")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db_path, source_id, text = build(Path(tmp), args.wide)
        print(f"built {len(text):,} chars, 10,000 highlights in {time.perf_counter() - t:.1f} s"
              f" ({'non-ASCII' if args.wide else 'ASCII'} text)")
        app = asyncio.run(app_presses(db_path, source_id, text, args.presses))
        bare = asyncio.run(bare_presses(args.presses))
        store = store_creates(db_path, source_id, text, args.presses)
    print("keystroke 1 on a selection (10 MB source, 10,000 highlights):")
    print(stats("app work: key handler (store + refresh) + paint", [h + p for h, p in zip(app["handler"], app["paint"])]))
    print(stats("  of which the key handler", app["handler"]))
    print(stats("key sent -> first frame after the handler (user latency)", app["frame"]))
    print(stats("pilot: press -> committed + in spans + painted", app["round_trip"]))
    print(stats("  of which pilot.press('1') alone", app["press"]))
    print(stats("  of which rendering the visible lines", app["paint"]))
    print(stats("bare app: press + pause of a key nothing handles", bare))
    print("  (the pilot waits for the process to go idle in sleeps; the bare figure is that floor)")
    print(stats("store alone: create_highlight (own transaction)", store))


if __name__ == "__main__":
    main()
