"""Start-up: everything about getting the first screen on the terminal fast.

The `postil` console script starts here. Opening the app (`postil`, `postil --db PATH`,
`postil open PATH|SOURCE`, with `POSTIL_DB` or `--author`) does not go through click: the
command line and every command module cost ~60 ms to import, a fifth of a bare Textual
app's whole first screen (bench/bench_tmux.py). Anything else, `--help` included,
goes to tui.cli.

Dialogs: what the first screen does not need is imported where it is first used, not at
the top of the modules the app loads to start: the main screen's dialogs (export, search,
overview, link picker, editors ...), team sync, the loaders (only a first run adds the
welcome guide), pysbd's sentence rules (first sentence motion) and rapidfuzz's matching
(store.reanchor). Together they were ~100 ms of `import postil.tui.launch` (357 -> 253 ms,
against 201 ms for a bare Textual app) and 10 MiB of memory (45.3 -> 35.7 MiB, bare 31.8).
The find bar, the quit question, the memos' store and git's helpers followed later (70 modules
at start instead of 75, 39.8 -> 35.6 ms of our own import time). Each such import is the first
line of the function that needs it, with a comment pointing here; the first open of a dialog pays its import once (5-35 ms, the export dialog most). What
the first keystrokes need (the undoable changes) is loaded right after the first frame instead
(tui/first_screen.py, AFTER_FIRST_FRAME), so the first `1` on a selection does not wait for it.

The cyclic garbage collector is held from `main` until the whole source is open behind the
preview (tui/collector.py says why and what that saves).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from postil.sources.errors import SourceError
from postil.store.db import resolve_db_path
from postil.store.errors import StoreError
from postil.tui.collector import hold_gc
from postil.tui.errors import one_line
from postil.tui.settings import Settings, default_author


@dataclass
class AppStart:
    """What the command line asked the app to open with (the forms `app_start` accepts)."""

    db_path: str | None = None
    author: str | None = None
    target: str | None = None
    """`postil open TARGET`: a file or a source reference."""


def app_start(args: list[str]) -> AppStart | None:
    """The app start these arguments ask for, or None for anything else (click handles it).

    Accepted: `[--db PATH] [--author NAME] [open TARGET]`, options also as `--db=PATH`.
    """
    start = AppStart()
    rest = list(args)
    while rest and rest[0].startswith("--"):
        option = rest.pop(0)
        name, has_value, value = option.partition("=")
        if name not in ("--db", "--author"):
            return None
        if not has_value:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or (name == "--db" and start.db_path) or (name == "--author" and start.author):
            return None
        if name == "--db":
            start.db_path = value
        else:
            start.author = value
    if rest:
        if len(rest) != 2 or rest[0] != "open" or rest[1].startswith("-"):
            return None
        start.target = rest[1]
    return start


def main() -> None:
    """The `postil` console script."""
    start = app_start(sys.argv[1:])
    if start is None:
        # Imported here: see the module's docstring.
        from postil.tui.cli import main as command_line

        command_line()
        return
    hold_gc()
    try:
        open_app(start)
    except (StoreError, SourceError) as error:
        print(f"postil: {one_line(error)}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # one line, as tui.cli.main reports it
        print(f"postil: {one_line(error)}", file=sys.stderr)
        sys.exit(1)


def open_app(start: AppStart) -> None:
    """Run the app as `start` asks (tui.commands.reading does the same for `postil open`)."""
    from postil.tui.launch import run_app, run_app_on  # the app and Textual: only once we know we run it

    env_db = start.db_path or None
    settings = Settings(resolve_db_path(Path(env_db) if env_db else None), start.author or default_author(), False)
    if start.target is None:
        run_app(settings)
        return
    run_app_on(settings, start.target)
