"""postil in a real terminal beside the floors in ../shared/bench: first screens, keys, memory.

Run: python bench/bench_tmux.py [--runs 21] [--phases first,keys,session] (~9 minutes in all)

Each program runs in a fresh tmux session (160x48) on a generated 10 MB source with 10,000
highlights; the pane is polled until what the program shows is on it. Floors come from the
same run: `bare_static.py` (one label) for first screens and peak memory, `bare_key.py` (a
full repaint on G) for keys. Printed: medians, and each figure's ratio to its floor; for first
screens also the median of each start's ratio to a floor measured just before it ("paired"),
with a 95% interval for that median (a bootstrap).

The pane is read through one tmux client in control mode (`tmux -C`), which answers each
`capture-pane` over a pipe. Starting a `tmux capture-pane` process for every look, every 3 ms,
took ~2.7 ms of CPU each time: on a 2-core machine, most of a core taken from the program being
measured and from the tmux server drawing it. `--spawn` measures that old way, for comparison.

- First screen: launch -> the source's first lines visible, for every way of starting:
  `postil` (POSTIL_DB), `postil --db P`, `postil open SOURCE`, `postil --db P open PATH`.
- Keys: `G`, `pagedown`, and `1` on a selected paragraph: key sent -> the pane changed.
- Memory: peak RSS (VmHWM) of the app once the whole source is open.
- Session: RSS at rounds 0, 50, 100 and 200 of search -> jump to another source -> back. Each
  step waits for the screen it leads to (the search screen before typing: letters typed sooner
  are main-screen keys); a wait that times out makes the round a failed one, and they are counted.
Needs tmux. `--phases session` runs only the session figure.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_fixtures import build_db, generate  # noqa: E402

FLOORS = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, env=ENV).stdout


class PaneReader:
    """Reads panes through one tmux client in control mode: a command and its answer over
    a pipe, where `tmux capture-pane` would start a new process for every look."""

    def __init__(self, session: str) -> None:
        env = {k: v for k, v in ENV.items() if k != "TMUX"}  # also from inside tmux
        self.client = subprocess.Popen(["tmux", "-C", "attach-session", "-t", session], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, env=env)
        self.pending = b""
        self._answer()  # attaching is a command too: its (empty) answer comes first

    def _line(self) -> bytes:
        while b"\n" not in self.pending:
            data = os.read(self.client.stdout.fileno(), 65536)
            if not data:
                raise RuntimeError("the tmux control client has ended")
            self.pending += data
        line, self.pending = self.pending.split(b"\n", 1)
        return line

    def capture(self, target: str) -> str:
        """What the pane of `target` shows, as `tmux capture-pane -p` prints it."""
        self.client.stdin.write(f"capture-pane -p -t {target}\n".encode())
        self.client.stdin.flush()
        return self._answer()

    def _answer(self) -> str:
        """The next command's answer, without its frame."""
        # The answer is framed by "%begin TIME NUMBER FLAGS" and "%end" (or "%error") with
        # the same time and number; notifications may come before it, never inside it.
        line = self._line()
        while not line.startswith(b"%begin "):
            line = self._line()
        frame = line.split()[1:3]
        shown = []
        while True:
            line = self._line()
            if line.startswith((b"%end ", b"%error ")) and line.split()[1:3] == frame:
                return b"\n".join(shown).decode("utf-8", "replace")
            shown.append(line)

    def close(self) -> None:
        self.client.stdin.close()
        self.client.wait(timeout=5)


PANES: PaneReader | None = None
"""The control-mode reader (set by main), or None to start `tmux capture-pane` each time."""


class Session:
    """One program in its own tmux session."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.name = f"bench-{time.time_ns()}"
        env_args = [arg for key, value in (env or {}).items() for arg in ("-e", f"{key}={value}")]
        self.started = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "160", "-y", "48", *env_args,
                        *command], env=ENV, check=True)

    def screen(self) -> str:
        if PANES is not None:
            return PANES.capture(self.name)
        return tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, needle: str, timeout: float = 30) -> float:
        """Seconds since launch until `needle` is on the pane (nan if it has not come in `timeout`)."""
        waiting = time.perf_counter()
        while time.perf_counter() - waiting < timeout:
            if needle in self.screen():
                return time.perf_counter() - self.started
            time.sleep(0.003)
        return float("nan")

    def wait_until(self, shows: Callable[[str], bool], timeout: float = 5) -> bool:
        """Whether the pane came to satisfy `shows` within `timeout` seconds."""
        waiting = time.perf_counter()
        while time.perf_counter() - waiting < timeout:
            if shows(self.screen()):
                return True
            time.sleep(0.01)
        return False

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True, env=ENV).returncode == 0

    def key(self, key: str, timeout: float = 10) -> float:
        """Seconds from sending `key` until the pane shows something else, then settles."""
        before = self.screen()
        start = time.perf_counter()
        tmux("send-keys", "-t", self.name, key)
        while time.perf_counter() - start < timeout:
            if self.screen() != before:
                return time.perf_counter() - start
            time.sleep(0.002)
        return float("nan")

    def send(self, *keys: str) -> None:
        tmux("send-keys", "-t", self.name, *keys)

    def rss_mib(self, field: str = "VmHWM") -> float:
        pid = tmux("display", "-p", "-t", self.name, "#{pane_pid}").strip()
        status = Path(f"/proc/{pid}/status")
        if not pid or not status.exists():  # the program has ended
            return float("nan")
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        tmux("kill-session", "-t", self.name)


def median_ms(values: list[float]) -> float:
    return 1000 * statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # One start varies by ~8% from run to run on a 2-core machine: with 5 runs a median ratio
    # can be off by +-0.08, with 21 by about +-0.04 (the interval printed beside it).
    parser.add_argument("--runs", type=int, default=21, help="starts (and keys) measured per figure")
    parser.add_argument("--rounds", type=int, default=200, help="search/jump/back rounds for the session figure")
    parser.add_argument("--phases", default="first,keys,session",
                        help="comma-separated, of: first (first screens), keys, session")
    parser.add_argument("--spawn", action="store_true",
                        help="read the pane with a new `tmux capture-pane` process each time (the old way)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    if not FLOORS.is_dir():
        raise SystemExit(f"the floor apps are missing: {FLOORS}")
    postil = shutil.which("postil") or str(Path(sys.executable).with_name("postil"))
    global PANES
    keeper = Session(["sleep", "3600"])  # one tmux server for every run, as a user has
    if not args.spawn:
        PANES = PaneReader(keeper.name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            text = Path(tmp) / "text_10M.txt"
            generate(10_000_000, text)
            db, source_id = build_db(text, Path(tmp), 10_000)
            other = Path(tmp) / "other.md"
            other.write_text("# Another source\n\nA short one, to jump to and back from.\n")
            subprocess.run([postil, "--db", db, "add", str(other)], check=True, capture_output=True, env=ENV)
            # One highlight each to jump by: search `tag:elsewhere` opens the other source,
            # `tag:home` comes back.
            for target, quote, tag in (("2", "short one", "elsewhere"), (str(source_id), "amygdala", "home")):
                subprocess.run([postil, "--db", db, "mark", target, quote, "--tag", tag], check=True,
                               capture_output=True, env=ENV)
            report(postil, db, source_id, text, args)
    finally:
        if PANES is not None:
            PANES.close()
        keeper.close()


def first_screen(command: list[str], needle: str, env: dict[str, str] | None = None,
                 settle: float = 1.0) -> tuple[float, float]:
    """(seconds to the first screen, peak RSS MiB once it is there and settled)."""
    session = Session(command, env)
    try:
        shown = session.wait_for(needle)
        time.sleep(settle)  # postil opens the whole source after the first screen
        return shown, session.rss_mib()
    finally:
        session.close()


def report(postil: str, db: str, source_id: int, text: Path, args) -> None:
    phases = set(args.phases.split(","))
    way = "a `tmux capture-pane` process per look" if args.spawn else "one control-mode client"
    print(f"tmux 160x48, 10 MB source, 10,000 highlights, {args.runs} runs each (medians); panes read by {way}")
    if "first" in phases:
        first_screens(postil, db, source_id, text, args)
    if "keys" in phases:
        keys(postil, db, source_id, args)
    if "session" in phases:
        session_memory(postil, db, source_id, args)


def first_screens(postil: str, db: str, source_id: int, text: Path, args) -> None:
    bare_static = [sys.executable, str(FLOORS / "bare_static.py")]
    starts = {
        "postil (POSTIL_DB)": ([postil], {"POSTIL_DB": db}),
        "postil --db P": ([postil, "--db", db], None),
        "postil open SOURCE": ([postil, "--db", db, "open", str(source_id)], None),
        "postil --db P open PATH": ([postil, "--db", db, "open", str(text)], None),
    }
    first_screen(starts["postil open SOURCE"][0], "Section 1")  # warm-up: compiled modules cached
    first_screen(bare_static, "hello")
    floor, floor_rss = [], []
    times, rss, paired = ({name: [] for name in starts} for _ in range(3))
    for _ in range(args.runs):
        for name, (command, env) in starts.items():
            # Each start right after a floor of its own: the machine's speed drifts over the
            # minutes a whole run takes (floors of 224-355 ms were seen on one machine), and
            # a floor a second earlier has seen the same machine.
            floor_shown, floor_peak = first_screen(bare_static, "hello", settle=0.3)
            floor.append(floor_shown)
            floor_rss.append(floor_peak)
            shown, peak = first_screen(command, "Section 1", env)
            times[name].append(shown)
            rss[name].append(peak)
            paired[name].append(shown / floor_shown)
    print(f"  first screen, bare_static.py (floor)   {median_ms(floor):6.0f} ms   peak RSS {statistics.median(floor_rss):5.1f} MiB")
    for name in starts:
        ratio = statistics.median(times[name]) / statistics.median(floor)
        low, high = median_interval(paired[name])
        extra = statistics.median(rss[name]) - statistics.median(floor_rss)
        print(f"  first screen, {name:25s} {median_ms(times[name]):6.0f} ms   x{ratio:.2f}"
              f" (paired x{statistics.median(paired[name]):.2f}, 95% x{low:.2f}-{high:.2f})"
              f"   peak RSS {statistics.median(rss[name]):5.1f} MiB (floor +{extra:.1f})")


def median_interval(values: list[float], resamples: int = 2000) -> tuple[float, float]:
    """A 95% interval for the median of `values` (percentile bootstrap, fixed seed).

    One start's time varies by ~8% from run to run here, so a median of 11 paired ratios can
    be off by ±0.05: the interval says how far a figure can be trusted against a target."""
    draw = random.Random(14)
    medians = sorted(statistics.median(draw.choices(values, k=len(values))) for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


def keys(postil: str, db: str, source_id: int, args) -> None:
    floor = []
    for _ in range(args.runs):
        bare = Session([sys.executable, str(FLOORS / "bare_key.py")])
        bare.wait_for("hello")
        time.sleep(0.3)
        floor.append(bare.key("G"))
        bare.close()
    measured: dict[str, list[float]] = {"G": [], "pagedown": [], "1 on a selection": []}
    for _ in range(args.runs):
        app = Session([postil, "--db", db, "open", str(source_id)])
        app.wait_for("Section 1")
        time.sleep(1.5)
        measured["pagedown"].append(app.key("PageDown"))
        time.sleep(0.3)
        measured["G"].append(app.key("G"))
        time.sleep(0.3)
        app.send("g")
        time.sleep(0.3)
        app.send("p")  # select the paragraph under the cursor
        time.sleep(0.3)
        measured["1 on a selection"].append(app.key("1"))
        time.sleep(0.3)
        app.send("u")  # undo the highlight: the database stays as built
        time.sleep(0.3)
        app.close()
    print(f"  key -> pane changed, bare_key.py G (floor) {median_ms(floor):6.1f} ms")
    for name, values in measured.items():
        print(f"  key -> pane changed, postil {name:16s} {median_ms(values):6.1f} ms"
              f"   x{statistics.median(values) / statistics.median(floor):.2f}")


SEARCH_SCREEN = "Results/query"
"""A footer label only the search screen shows."""
EMPTY_QUERY = 'words, "a phrase"'
"""What the query field shows only while it is empty (the start of its placeholder)."""
JUMPS = (("elsewhere", "short one", "Another source"), ("home", "amygdala", "Section 1"))
"""(tag searched, the quote of its one highlight, what the source it opens shows)."""


def session_memory(postil: str, db: str, source_id: int, args) -> None:
    """RSS over a long session: search, jump to the other source, come back."""
    app = Session([postil, "--db", db, "open", str(source_id)])
    app.wait_for("Section 1")
    time.sleep(1.5)
    samples, failed, started = [], 0, time.perf_counter()
    marks = {0, args.rounds // 4, args.rounds // 2, args.rounds}
    for round_ in range(args.rounds + 1):
        if round_ in marks:
            samples.append((round_, app.rss_mib("VmRSS")))
        if round_ == args.rounds or not app.alive():
            break
        if not all(search_and_jump(app, *jump) for jump in JUMPS):
            failed += 1
            app.send("Escape")  # back to the main screen, if the search screen is still up
            app.wait_until(lambda pane: SEARCH_SCREEN not in pane)
    ended = "" if app.alive() else "; the app had ended"
    app.close()
    print("  session RSS (search, next source, back):  "
          + ", ".join(f"round {r}: {m:.1f} MiB" for r, m in samples)
          + f"   ({failed} of {args.rounds} rounds failed{ended}, {time.perf_counter() - started:.0f} s)")


def search_and_jump(app: Session, tag: str, quote: str, title: str) -> bool:
    """Open search, run `tag:TAG`, open its one result; False if a screen did not come in time."""
    app.send("f")
    if not app.wait_until(lambda pane: SEARCH_SCREEN in pane):
        return False
    if EMPTY_QUERY not in app.screen():
        # The last query is offered again: clear it, and wait for that before typing. Textual
        # runs ctrl+u's binding once the key has bubbled up to the app, which is after
        # letters typed at once have reached the field: they would be cleared too.
        app.send("C-u")
        if not app.wait_until(lambda pane: EMPTY_QUERY in pane):
            return False
    app.send("-l", f"tag:{tag}")
    # The query, its result and its count together: the list no longer shows the last query's.
    if not app.wait_until(lambda pane: f"tag:{tag}" in pane and quote in pane and "1 highlight in 1 source" in pane):
        return False
    app.send("Enter")
    return app.wait_until(lambda pane: SEARCH_SCREEN not in pane and title in pane)


if __name__ == "__main__":
    main()
