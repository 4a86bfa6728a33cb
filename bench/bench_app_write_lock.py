"""The app's longest freeze while another process holds the write lock, and the writes kept.

Another process takes `BEGIN IMMEDIATE` on the app's file and keeps it for HOLD seconds
(default 15) while the user, in a headless `run_test`, highlights a new sentence every
0.2 s (digit 1), adds a second tag to it (digit 2) and moves the cursor (j). Printed per build: the largest gap
between ticks of a 20 ms timer (the event loop's longest freeze), the slowest key (press to
its painted frame), and how many of the writes are in the file once the lock is gone.
The floor is a bare Textual app pressing the same number of keys in the same run.

    python bench/bench_app_write_lock.py [--hold S] [--before PATH]

--before is a folder holding a checkout named `postil` of the commit before
tui/write_queue.py landed (52e9f81), e.g.
`git worktree add --detach /tmp/b18/postil 52e9f81` then `--before /tmp/b18`.
Wall times are inflated on a loaded machine; CPU time (user+sys) is printed beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXT = "# Lock bench\n\n" + "\n\n".join(f"Sentence number {n:03d} of the bench." for n in range(400)) + "\n"
HOLDER = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


class Ticks:
    """The largest gap between the callbacks of a 20 ms timer: how long the loop froze."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.largest = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        self.largest = max(self.largest, now - self.last)
        self.last = now


async def press_timed(pilot, key: str, slowest: list[float]) -> None:
    started = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    slowest[0] = max(slowest[0], time.perf_counter() - started)


async def run_postil(tests: Path, hold: float) -> dict:
    sys.path.insert(0, str(tests))
    from app_support import SIZE, add_text, make_app, make_settings, screen_text, select_text

    from postil.store import highlights as store_highlights

    folder = Path(tempfile.mkdtemp())
    settings = make_settings(folder)
    db = settings.open()
    source_id = add_text(db, TEXT)
    app = make_app(settings, db, source_id, at_top=True)
    ticks, slowest, steps = Ticks(), [0.0], 0
    async with app.run_test(size=SIZE) as pilot:
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(settings.db_path), str(hold)],
                                  stdout=subprocess.PIPE, text=True)
        holder.stdout.readline()
        ticks.last = time.perf_counter()
        app.set_interval(0.02, ticks.tick)
        began = time.perf_counter()
        while time.perf_counter() - began < hold - 1:
            select_text(app.screen, f"Sentence number {steps:03d} of the bench.")
            for key in ("1", "2", "j"):
                await press_timed(pilot, key, slowest)
            steps += 1
            await asyncio.sleep(0.2)
        # Wait for the holder off the event loop: a blocking wait() here froze the loop for
        # up to a second and was measured as the app's longest freeze.
        await asyncio.to_thread(holder.wait)
        for _ in range(100):  # let queued writes land once the lock is gone
            await pilot.pause(0.1)
            if "pending" not in screen_text(app):
                break
        kept = store_highlights.highlights_for_source(db, source_id)
    return {"freeze": ticks.largest, "slowest_key": slowest[0], "steps": steps,
            "highlights": len(kept), "tags": sum(len(h.tags) for h in kept)}


async def run_bare(keys: int) -> dict:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("bare")

    app, ticks, slowest = Bare(), Ticks(), [0.0]
    async with app.run_test(size=(160, 48)) as pilot:
        ticks.last = time.perf_counter()
        app.set_interval(0.02, ticks.tick)
        for index in range(keys):
            await press_timed(pilot, "jk"[index % 2], slowest)
        await asyncio.sleep(0.2)
    return {"freeze": ticks.largest, "slowest_key": slowest[0]}


def child(args: argparse.Namespace) -> None:
    started = os.times()
    if args.child == "bare":
        result = asyncio.run(run_bare(args.keys))
    else:
        result = asyncio.run(run_postil(Path(args.child), args.hold))
    done = os.times()
    result["cpu"] = (done.user - started.user) + (done.system - started.system)
    print(json.dumps(result))


def measure(label: str, extra: list[str], pythonpath: str | None) -> dict:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    began = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, *extra], capture_output=True, text=True, env=env)
    if done.returncode:
        print(f"{label}: failed: {done.stderr.strip().splitlines()[-1:]}")
        return {}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - began
    line = (f"{label:>7}: longest freeze {result['freeze'] * 1000:7.0f} ms, slowest key "
            f"{result['slowest_key'] * 1000:7.0f} ms, wall {result['wall']:5.1f} s, cpu {result['cpu']:5.1f} s")
    if "steps" in result:
        line += (f"; asked {result['steps']} highlights with 2 tags each ({result['steps'] * 2} tags): "
                 f"kept {result['highlights']} highlights, {result['tags']} tags")
    print(line)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hold", type=float, default=15.0, help="seconds the other process holds the lock")
    parser.add_argument("--before", help="folder holding a `postil` checkout of the build before the write queue")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--keys", type=int, default=40, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    here = Path(__file__).resolve().parents[1]
    print(f"another process holds BEGIN IMMEDIATE for {args.hold:.0f} s; headless run_test 160x48")
    after = measure("after", ["--child", str(here / "tests"), "--hold", str(args.hold)], None)
    if args.before:
        measure("before", ["--child", str(Path(args.before) / "postil" / "tests"), "--hold", str(args.hold)],
                args.before)
    measure("floor", ["--child", "bare", "--keys", str(after.get("steps", 10) * 3)], None)


if __name__ == "__main__":
    main()
