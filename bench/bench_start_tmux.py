"""First screen in a real terminal: `postil` and a bare Textual app launched in tmux.

Run: python bench/bench_start_tmux.py [--runs 7]

bench_reader measures start-up headless, where a frame counts as painted when it is
rendered. In a terminal a frame only counts once it is written, and Textual holds frames
back during its own start-up, so this launches the real `postil` command on a generated
10 MB source (10,000 highlights) and a bare app that shows one label, each in a fresh tmux
window (160x48), and polls the pane until the text is on it: launch -> text visible, and
launch -> the whole source open (the header's position, shown once the highlights are in).
Runs alternate between the two programs; medians and the ratio are printed. Needs tmux.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_reader import build_db, generate  # noqa: E402

BARE = """\
from textual.app import App
from textual.widgets import Label


class Bare(App):
    def compose(self):
        yield Label("hello from a bare app")


Bare().run()
"""

# readline in a parent process can leave COLUMNS/LINES in the environment; a pane must size itself.
ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}


def launch(command: list[str], needles: list[str], timeout: float = 20, db: str = "") -> list[float]:
    """Seconds from launching `command` in a new tmux window until each needle is on screen."""
    name = f"bench-{time.time_ns()}"
    env_args = ["-e", f"POSTIL_DB={db}"] if db else []
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "48", *env_args, *command],
                   env=ENV, check=True)
    found: dict[str, float] = {}
    try:
        while len(found) < len(needles) and time.perf_counter() - start < timeout:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True,
                                    text=True, env=ENV).stdout
            now = time.perf_counter() - start
            for needle in needles:
                if needle in screen and needle not in found:
                    found[needle] = now
            time.sleep(0.004)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], env=ENV, capture_output=True)
    return [found.get(n, float("nan")) for n in needles]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    postil = shutil.which("postil") or str(Path(sys.executable).with_name("postil"))
    keeper = f"bench-keeper-{os.getpid()}"  # one server for all runs, started like a user's
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 3600"], env=ENV, check=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            text = Path(tmp) / "text_10M.txt"
            generate(10_000_000, text)
            db_path, source_id = build_db(text, Path(tmp), 10_000)
            bare = Path(tmp) / "bare.py"
            bare.write_text(BARE)
            app_command = [postil, "--db", db_path, "open", str(source_id)]
            launch(app_command, ["Section 1"])  # warm-up: compiles and caches postil's modules
            # `open` made it the last source read; later runs are the everyday start: plain
            # `postil` (the database named by POSTIL_DB, as a user would set it once).
            app_command = [postil]
            shown, opened, bare_shown = [], [], []
            for _ in range(args.runs):
                bare_shown.append(launch([sys.executable, str(bare)], ["hello from a bare app"])[0])
                first, whole = launch(app_command, ["Section 1", "¶ 1 of"], db=db_path)
                shown.append(first)
                opened.append(whole)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper], env=ENV, capture_output=True)
    ms = lambda values: 1000 * statistics.median(values)  # noqa: E731
    print(f"tmux, 160x48, 10 MB source with 10,000 highlights, {args.runs} runs each (median):")
    print(f"  bare Textual app, launch -> label visible          {ms(bare_shown):7.0f} ms")
    print(f"  postil, launch -> the text's first screen visible   {ms(shown):7.0f} ms"
          f"  (ratio {statistics.median(shown) / statistics.median(bare_shown):.2f})")
    print(f"  postil, launch -> whole source open (header ¶ n of N) {ms(opened):7.0f} ms")
    print(f"  runs (ms): postil {[round(1000 * s) for s in shown]}, bare {[round(1000 * s) for s in bare_shown]}")


if __name__ == "__main__":
    main()
