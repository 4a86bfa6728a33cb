"""Key to painted screen in the real app at 1,000 / 10,000 / 100,000 highlights over 200 sources (issue 15).

    python bench/bench_app_scale.py [--sizes 1000,10000,100000] [--runs 5] [--cache /tmp/postil-scale]
                                    [--only overview,claims,...]

The databases are bench_scale's (built there once and cached; a copy is opened, since the
app writes reading positions). The real PostilApp runs headless (`run_test`, 160x48) on a
source of ~N/200 highlights, and for each key the clock runs from the key press to the
first frame handed to the terminal driver that shows the new state: the screen that key
opens, with its rows filled (or the reader's cursor moved, the list filtered). Each path:
  open source   enter on the next source in the library
  pane          tab: the annotation pane takes the focus
  ] / [         next / previous highlight (the pane follows)
  link picker   l on a highlight, then one more letter of a search in it
  tag picker    t on a highlight
  tags / overview / claims / orphans   T / o / L / O
  claims count  L, to the title's counts painted (read in a worker after the first page)
  claims end    end in the claims view, once counted: the last claim's last row under the cursor
  overview full  o, until the frame that shows every figure (the worker's last stage)
Beside them, in the same run, the floor: ../shared/bench/bare_key.py's app, whose `G`
replaces a whole screen of text (the least any Textual app can do for a key).
Target: every path painted within 150 ms of its key at 100,000 highlights.

Frames are caught by wrapping the app's `_display` (as bench_reader does): a bench may look
at Textual's inside; the app may not.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postil.store.db import open_db  # noqa: E402

HERE = Path(__file__).resolve().parent
SIZE = (160, 48)
TARGET_MS = 150
SHARED_BENCH = HERE.parents[1] / "shared" / "bench"


class Frames:
    """Times, from a key press, of the first frame drawn once a condition holds."""

    def __init__(self, app) -> None:
        self.waiting = None
        self.found: float | None = None
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is not None and self.waiting is not None:
                started, ready = self.waiting
                if ready():
                    self.found = time.perf_counter() - started
                    self.waiting = None

        app._display = display

    async def press(self, pilot, keys: list[str], ready, timeout: float = 10.0) -> float:
        """Milliseconds from pressing the last of `keys` to the first frame where `ready()`."""
        if keys[:-1]:
            await pilot.press(*keys[:-1])
            await pilot.pause()
        self.found = None
        self.waiting = (time.perf_counter(), ready)
        await pilot.press(keys[-1])
        deadline = time.perf_counter() + timeout
        while self.found is None:
            if time.perf_counter() > deadline:
                self.waiting = None
                raise TimeoutError(f"{keys}: no frame showed it within {timeout:.0f} s")
            await asyncio.sleep(0.002)
        return self.found * 1000


async def floor(runs: int) -> list[float]:
    """bare_key's G, measured the same way."""
    spec = importlib.util.spec_from_file_location("bare_key", SHARED_BENCH / "bare_key.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from textual.widgets import Static

    out = []
    for _ in range(runs):
        app = module.BareKey()
        frames = Frames(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            body = app.query_one("#body", Static)
            out.append(await frames.press(pilot, ["G"], lambda body=body: "END-OF-DOCUMENT" in str(body.render())))
    return out


async def app_paths(path: Path, runs: int, only: set[str] | None) -> dict[str, list[float]]:
    from postil.tui.app import PostilApp
    from postil.tui.screens.claims import ClaimsScreen
    from postil.tui.screens.link_picker import LinkPickerScreen
    from postil.tui.screens.orphans import OrphansScreen
    from postil.tui.screens.overview import OverviewScreen
    from postil.tui.screens.tag_picker import TagPickerScreen
    from postil.tui.screens.tags import TagsScreen
    from postil.tui.settings import Settings
    from postil.tui.widgets.annotation_pane import AnnotationPane
    from postil.tui.widgets.library import LibraryList

    settings = Settings(path, "bench", False)
    db = settings.open()
    first = db.execute("SELECT id FROM sources ORDER BY title COLLATE NOCASE, id LIMIT 1").fetchone()[0]
    app = PostilApp(settings, db=db, source_id=first, at_top=True)
    out: dict[str, list[float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        await pilot.pause(0.5)
        main = app.screen
        reader = main.reader

        def wanted(name: str) -> bool:
            return only is None or name in only

        async def screen_path(name: str, keys: list[str], kind, filled=lambda screen: True) -> None:
            if not wanted(name):
                return
            for _ in range(runs):
                reader.focus()
                await pilot.pause()
                ms = await frames.press(pilot, keys, lambda: isinstance(app.screen, kind) and filled(app.screen))
                out.setdefault(name, []).append(ms)
                await pilot.press("escape")
                while app.screen is not main:
                    await pilot.pause(0.01)

        async def on_highlight() -> None:
            reader.focus()
            reader.move_to(0)
            await pilot.pause()
            await pilot.press("right_square_bracket")
            await pilot.pause()

        if wanted("open source"):
            library = main.query_one(LibraryList)
            for run in range(runs):
                library.focus()
                library.highlighted = run + 1  # another source each time
                await pilot.pause()
                target = library.highlighted_id
                out.setdefault("open source", []).append(await frames.press(
                    pilot, ["enter"], lambda target=target: main.source.id == target and reader.cursor is not None))
                await pilot.pause()
        if wanted("pane"):
            pane = main.query_one(AnnotationPane)
            for _ in range(runs):
                reader.focus()
                await pilot.pause()
                out.setdefault("pane", []).append(await frames.press(
                    pilot, ["tab"], lambda pane=pane: pane.has_focus_within))
        for key, name in (("right_square_bracket", "]"), ("left_square_bracket", "[")):
            if not wanted(name):
                continue
            for _ in range(runs):
                reader.focus()
                reader.move_to(len(reader.text) // 2)  # a highlight before and after (5 at 1,000)
                await pilot.pause()
                before = reader.cursor
                out.setdefault(name, []).append(await frames.press(
                    pilot, [key], lambda before=before: reader.cursor != before and main.current_id is not None))
        if wanted("link picker") or wanted("link search"):
            await on_highlight()
            await screen_path("link picker", ["l"], LinkPickerScreen, lambda screen: bool(screen.shown))
            if wanted("link search"):
                for _ in range(runs):
                    await on_highlight()
                    await pilot.press("l")
                    while not isinstance(app.screen, LinkPickerScreen):
                        await pilot.pause(0.01)
                    picker = app.screen
                    before = list(picker.shown)
                    out.setdefault("link search", []).append(await frames.press(
                        pilot, ["z", "e", "n"],
                        lambda picker=picker, before=before: picker.shown != before))
                    await pilot.press("escape")
                    while app.screen is not main:
                        await pilot.pause(0.01)
        if wanted("tag picker"):
            await on_highlight()
            await screen_path("tag picker", ["t"], TagPickerScreen)
        await screen_path("tags", ["T"], TagsScreen)
        # The overview paints its outline (titles, total) first and fills in the figures from a
        # worker: "overview" is that first frame with rows, "overview full" the frame showing
        # the warnings (every figure read).
        await screen_path("overview", ["o"], OverviewScreen,
                          lambda screen: screen.data is not None and bool(screen.data.sources))
        await screen_path("overview full", ["o"], OverviewScreen,
                          lambda screen: screen.data is not None and screen.data.complete)
        await screen_path("claims", ["L"], ClaimsScreen, lambda screen: bool(screen.rows))
        await screen_path("claims count", ["L"], ClaimsScreen, lambda screen: screen.indexed.is_set())
        if wanted("claims end"):
            for _ in range(runs):
                reader.focus()
                await pilot.press("L")
                while not (isinstance(app.screen, ClaimsScreen) and app.screen.indexed.is_set()):
                    await pilot.pause(0.01)
                await pilot.pause()
                listing = app.screen.query_one("#claims")
                out.setdefault("claims end", []).append(await frames.press(
                    pilot, ["end"], lambda listing=listing: listing.highlighted == len(listing.items) - 1))
                await pilot.press("escape")
                while app.screen is not main:
                    await pilot.pause(0.01)
        await screen_path("orphans", ["O"], OrphansScreen)
    return out


def prepare(cache: Path, n: int, sources: int) -> Path:
    """bench_scale's database of `n` highlights, built (in a child process) when missing."""
    full = cache / f"full-{n}.db"
    if not full.exists():
        subprocess.run([sys.executable, str(HERE / "bench_scale.py"), "--build", "--sizes", str(n),
                        "--sources", str(sources), "--cache", str(cache)], check=True)
    return full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="comma-separated path names (default: all)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "postil-scale")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    only = set(args.only.split(",")) if args.only else None
    table: dict[str, dict[int, list[float]]] = {}
    bare = asyncio.run(floor(args.runs))
    for n in sizes:
        full = prepare(args.cache, n, args.sources)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "app.db"
            shutil.copy(full, copy)
            open_db(copy).close()  # migrations, if the cache is older than the schema
            started = time.perf_counter()
            found = asyncio.run(app_paths(copy, args.runs, only))
            print(f"{n:,} highlights: measured in {time.perf_counter() - started:.0f} s", flush=True)
        for name, samples in found.items():
            table.setdefault(name, {})[n] = samples
    print(f"\nkey -> painted, median (max) of {args.runs} runs, ms; floor: bare_key's G "
          f"{statistics.median(bare):.1f} ({max(bare):.1f}); target {TARGET_MS} ms")
    print(f"{'path':<14}" + "".join(f"{n:>18,}" for n in sizes))
    for name, by_size in table.items():
        cells = []
        for n in sizes:
            samples = by_size.get(n)
            cell = f"{statistics.median(samples):.1f} ({max(samples):.0f})" if samples else "-"
            flag = " !" if samples and statistics.median(samples) > TARGET_MS else ""
            cells.append(f"{cell}{flag}".rjust(18))
        print(f"{name:<14}" + "".join(cells))


if __name__ == "__main__":
    main()
