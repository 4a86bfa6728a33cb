"""Benchmark of the reader: first screen, jump to end, keystrokes and memory.

Run: python bench/bench_reader.py [--sizes 50K,1M,10M]

For each generated text (50 KB, 1 MB, 10 MB; 10,000 highlights on the 10 MB one), fresh
child processes, alternating so that machine load hits all alike, measure headless
(`run_test`):
- the real PostilApp opening the text from a real database with its highlights, started as
  plain `postil` starts it: process start -> the reader's first painted lines; key sent ->
  the first frame showing the reader's new state for `G`, 100 `j` and 20 `pagedown`; peak
  RSS. These are the issue's targets, printed beside a bare Textual app showing one Label
  (the same measures) with the ratios.
- the reader widget alone, in a tiny app given the text and blocks from a file: where the
  widget's own time goes (each key as the pilot's round trip and as the widget's work).
Start-up in a real terminal is bench_start_tmux.py.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # as early as possible: the child's "process start" for timing

import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from bench_fixtures import build_db, generate  # noqa: E402

SIZE = (120, 40)
SIZES = {"50K": 50_000, "1M": 1_000_000, "10M": 10_000_000}


# -- child: one measured process ---------------------------------------------------------------


def child_bare() -> None:
    from textual.app import App
    from textual.widgets import Label

    painted: list[float] = []

    class PaintLabel(Label):
        def render_lines(self, crop):
            if not painted:
                painted.append(time.perf_counter())
            return super().render_lines(crop)

    class Bare(App):
        def compose(self):
            yield PaintLabel("hello")

    import asyncio

    async def main() -> dict:
        t_app = time.perf_counter()
        app = Bare()
        async with app.run_test(size=SIZE) as pilot:
            while not painted:
                await pilot.pause(0.001)
            out = {"first_from_process": painted[0] - T0, "first_from_app": painted[0] - t_app}
            presses = []
            for _ in range(20):  # a key nothing handles: what a pilot keypress costs by itself
                t = time.perf_counter()
                await pilot.press("j")
                presses.append(time.perf_counter() - t)
            out["press_median"] = statistics.median(presses)
        return out

    result = asyncio.run(main())
    result["rss_mb"] = _rss_mb()
    print(json.dumps(result), flush=True)


def child_reader(path: str, n_spans: int) -> None:
    import asyncio
    import random

    from textual.app import App

    from postil.sources.blocks import Block
    from postil.tui.widgets.reader import Reader, Span

    text = Path(path).read_text(encoding="utf-8")
    blocks = [Block(k, s, e, lv) for k, s, e, lv in json.loads(Path(path).with_suffix(".json").read_text())]
    rng = random.Random(3)
    colours = ["#e5a50a", "#3584e4", "#e01b24", "#2ec27e"]
    spans = []
    for i in range(n_spans):
        start = rng.randrange(0, len(text) - 200)
        spans.append(Span(str(i), start, start + rng.randint(20, 180), colours[i % 4], has_note=i % 5 == 0))
    painted: list[float] = []

    class PaintReader(Reader):
        def render_lines(self, crop):
            lines = super().render_lines(crop)
            if not painted and self.text:
                painted.append(time.perf_counter())
            return lines

    class One(App):
        def compose(self):
            yield PaintReader()

        def on_mount(self):
            reader = self.query_one(Reader)
            reader.load(text, blocks, spans)
            reader.focus()

    def visible(reader: Reader) -> None:
        for y in range(reader.scrollable_content_region.height):
            reader.render_line(y)

    async def timed_presses(pilot, reader, key: str, count: int) -> tuple[list[float], list[float]]:
        presses, work = [], []
        action = {"j": reader.action_cursor_down, "pagedown": lambda: reader.action_page(1)}[key]
        for _ in range(count):
            t = time.perf_counter()
            await pilot.press(key)
            presses.append(time.perf_counter() - t)
        reader.action_doc_start()
        for _ in range(count):
            t = time.perf_counter()
            action()
            visible(reader)
            work.append(time.perf_counter() - t)
        return presses, work

    async def main() -> dict:
        t_app = time.perf_counter()
        app = One()
        out: dict = {}
        async with app.run_test(size=SIZE) as pilot:
            while not painted:
                await pilot.pause(0.001)
            out["first_from_process"] = painted[0] - T0
            out["first_from_app"] = painted[0] - t_app
            reader = app.query_one(Reader)
            t = time.perf_counter()
            await pilot.press("G")
            out["G_press"] = time.perf_counter() - t
            assert reader.cursor == len(text) - 1
            reader.action_doc_start()
            visible(reader)
            t = time.perf_counter()
            reader.action_doc_end()
            visible(reader)
            out["G_work"] = time.perf_counter() - t
            await pilot.press("g")
            j_press, j_work = await timed_presses(pilot, reader, "j", 100)
            reader.action_doc_start()
            await pilot.pause()
            pd_press, pd_work = await timed_presses(pilot, reader, "pagedown", 20)
            out["j_press_median"] = statistics.median(j_press)
            out["j_work_median"] = statistics.median(j_work)
            out["pagedown_press_median"] = statistics.median(pd_press)
            out["pagedown_work_median"] = statistics.median(pd_work)
        return out

    result = asyncio.run(main())
    result["rss_mb"] = _rss_mb()
    result["chars"] = len(text)
    print(json.dumps(result), flush=True)


def child_app(db_path: str, source_id: int) -> None:
    """The real PostilApp (store load, highlights, pane, header) opening a stored source."""
    import asyncio

    from postil.tui.widgets.reader import Reader

    painted: list[float] = []
    original = Reader.render_lines

    def render_lines(self, crop):
        lines = original(self, crop)
        if not painted and self.text:
            painted.append(time.perf_counter())
        return lines

    Reader.render_lines = render_lines
    from postil.tui.app import PostilApp
    from postil.tui.settings import Settings

    t_imported = time.perf_counter()

    async def main() -> dict:
        settings = Settings(Path(db_path), "bench", False)
        t_app = time.perf_counter()
        # As tui.launch.run_app starts it on an existing database.
        app = PostilApp(settings, db=settings.open(), source_id=source_id, at_top=True)
        frames = record_frames(app)
        async with app.run_test(size=SIZE) as pilot:
            while not painted:
                await pilot.pause(0.001)
            out = {"first_from_process": painted[0] - T0, "first_from_app": painted[0] - t_app,
                   "imports": t_imported - T0}
            await pilot.pause(0.5)  # highlights, pane and counts load after the first paint
            out.update(await app_keystrokes(app, pilot, frames))
            return out

    result = asyncio.run(main())
    result["rss_mb"] = _rss_mb()
    print(json.dumps(result), flush=True)


def record_frames(app) -> list[float]:
    """A list that gets the time of every frame `app` hands to its driver from now on."""
    frames: list[float] = []
    original_display = app._display

    def display(screen, renderable) -> None:
        original_display(screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())

    app._display = display
    return frames


async def app_keystrokes(app, pilot, frames: list[float]) -> dict:
    """For G, 100 j and 20 pagedown in the real app: key sent -> the first frame in which the
    reader drew its new state (what the user waits for), and key sent -> the frame after the
    screen also updated the header's position (it follows the reader's own message)."""
    from postil.tui.widgets.reader import Reader
    from postil.tui.widgets.source_header import SourceHeader

    reader = app.screen.query_one(Reader)
    header = app.screen.query_one(SourceHeader)
    drawn: list[float] = []
    handled: list[float] = []
    original_lines = reader.render_lines
    original_position = header.set_position

    def render_lines(crop):
        drawn.append(time.perf_counter())
        return original_lines(crop)

    def set_position(*args, **kwargs):
        original_position(*args, **kwargs)
        handled.append(time.perf_counter())

    reader.render_lines = render_lines
    header.set_position = set_position

    async def latency(key: str) -> tuple[float, float]:
        drawn.clear()
        handled.clear()
        t = time.perf_counter()
        await pilot.press(key)
        await pilot.pause(0.05)  # any frame still due is drawn by now
        shown = min(f for f in frames if f >= drawn[0]) - t
        after = [f for f in frames if handled and f >= handled[-1]]
        return shown, (after[0] - t if after else shown)

    def summary(name: str, runs: list[tuple[float, float]]) -> dict:
        shown = sorted(r[0] for r in runs)
        header_done = sorted(r[1] for r in runs)
        p95 = min(len(shown) - 1, round(0.95 * (len(shown) - 1)))
        return {f"app_{name}_median": statistics.median(shown), f"app_{name}_p95": shown[p95],
                f"app_{name}_header_median": statistics.median(header_done)}

    out = summary("G", [await latency("G")])
    await pilot.press("g")
    out.update(summary("j", [await latency("j") for _ in range(100)]))
    await pilot.press("g")
    out.update(summary("pagedown", [await latency("pagedown") for _ in range(20)]))
    return out


def _rss_mb() -> float:
    """Peak RSS of this process. Not getrusage: Linux carries ru_maxrss over fork and exec,
    so a child of the (big) parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- parent: generate, spawn, print ------------------------------------------------------------


def run_child(*args: str) -> dict:
    # Python caches compiled modules (.pyc) after a program's first run; a user's second
    # start never compiles postil again, and Textual's own modules were compiled at install.
    # PYTHONDONTWRITEBYTECODE (set on some machines) would make every child compile postil
    # from source, a cost no user pays twice: let the children write the cache.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], env=env)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(proc.stderr)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall"] = wall
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    sizes = sys.argv[sys.argv.index("--sizes") + 1].split(",") if "--sizes" in sys.argv else list(SIZES)
    bare_all: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in sizes:
            path = Path(tmp) / f"text_{name}.txt"
            generate(SIZES[name], path)
            n_spans = 10_000 if name == "10M" else 0
            db_path, source_id = build_db(path, Path(tmp), n_spans)
            runs, bare_runs, app_runs = [], [], []
            run_child("app", db_path, str(source_id))  # warm-up: compiles and caches postil's modules
            for _ in range(3):  # bare and reader alternate, so machine load hits both alike
                bare_runs.append(run_child("bare"))
                runs.append(run_child("reader", str(path), str(n_spans)))
                app_runs.append(run_child("app", db_path, str(source_id)))
            bare_all.extend(bare_runs)
            r = {k: statistics.median(run[k] for run in runs) for k in runs[0]}
            bare = {k: statistics.median(run[k] for run in bare_runs) for k in bare_runs[0]}
            app = {k: statistics.median(run[k] for run in app_runs) for k in app_runs[0]}
            print(f"\n{name} ({r['chars']:,} chars, {n_spans:,} highlights):")
            print("  the real PostilApp, as plain `postil` opens the last source read (targets in brackets):")
            print(f"    first screen from process start {ms(app['first_from_process'])}  (bare"
                  f" {ms(bare['first_from_process'])}, ratio {app['first_from_process'] / bare['first_from_process']:.2f};"
                  f" target < 1.3; imports {ms(app['imports'])}, app start to paint {ms(app['first_from_app'])})")
            above = app["rss_mb"] - bare["rss_mb"]
            print(f"    peak RSS {app['rss_mb']:.1f} MB: {above:.1f} MB above bare ({bare['rss_mb']:.1f} MB) ="
                  f" {above * 1e6 / max(1, r['chars']):.2f}x the text (target < 3x)")
            print("    key sent -> first frame showing the reader's new state (target: G < 50 ms, keys < 16 ms median):")
            for key, label in (("G", "G"), ("j", "j x100"), ("pagedown", "pagedown x20")):
                print(f"      {label:<13} median {ms(app[f'app_{key}_median'])}  p95 {ms(app[f'app_{key}_p95'])}"
                      f"  (header's position {ms(app[f'app_{key}_header_median'])})")
            print("  the reader widget alone (a tiny app given the text and blocks from a file; no store,"
                  " no preview: where the widget's own time goes):")
            print(f"    first screen from process start {ms(r['first_from_process'])}"
                  f"  (bare {ms(bare['first_from_process'])}); from app start {ms(r['first_from_app'])}"
                  f" (bare {ms(bare['first_from_app'])})")
            print(f"    G: pilot keypress {ms(r['G_press'])}, widget work {ms(r['G_work'])}"
                  f"  (a pilot keypress that nothing handles, in the bare app: {ms(bare['press_median'])})")
            print(f"    j x100 median: keypress {ms(r['j_press_median'])}, widget work {ms(r['j_work_median'])}")
            print(f"    pagedown x20 median: keypress {ms(r['pagedown_press_median'])}, widget work {ms(r['pagedown_work_median'])}")
            print(f"    peak RSS {r['rss_mb']:.0f} MB (bare {bare['rss_mb']:.0f} MB; above bare "
                  f"{r['rss_mb'] - bare['rss_mb']:.0f} MB = {(r['rss_mb'] - bare['rss_mb']) * 1e6 / max(1, r['chars']):.1f}x the text)")
    if bare_all:
        print(f"\nbare app over all runs: first screen {ms(statistics.median(b['first_from_process'] for b in bare_all))}"
              f" from process start (min {ms(min(b['first_from_process'] for b in bare_all))})")


if __name__ == "__main__":
    if "--child" in sys.argv:
        args = sys.argv[sys.argv.index("--child") + 1 :]
        if args[0] == "bare":
            child_bare()
        elif args[0] == "app":
            child_app(args[1], int(args[2]))
        else:
            child_reader(args[1], int(args[2]))
    else:
        main()
