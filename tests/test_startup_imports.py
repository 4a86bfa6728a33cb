"""The app's start-up imports only what its first screen needs (tui/startup.py, 'Dialogs').

Not timed: bench/bench_tmux.py measures the first screen. This pins which modules a start
loads, so a top-level import added back to the main screen (the export dialog alone is ~35 ms
and 9 MiB) fails here instead of showing up, much later, as a slower start in the bench.
"""

from __future__ import annotations

import subprocess
import sys

DEFERRED = [
    "postil.tui.screens.export", "postil.tui.screens.search", "postil.tui.screens.overview",
    "postil.tui.screens.link_picker", "postil.tui.screens.note_editor", "postil.tui.screens.memo_editor",
    "postil.tui.screens.reconcile", "postil.tui.screens.agreement", "postil.tui.screens.orphans",
    "postil.exports.team_sync", "postil.sources.load", "postil.sources.anchor",
    "postil.store.query", "postil.tui.undo_changes", "rapidfuzz", "pysbd", "urllib.request", "sqlite_utils",
    "click", "postil.store.source_add", "postil.store.records", "postil.store.reanchor", "postil.sources.csl",
    "postil.tui.screens.record_editor", "postil.sources.document", "postil.sources.offsets",
    "postil.tui.screens.confirm", "postil.tui.widgets.find_bar", "postil.store.memos", "postil.exports.git_repo",
    "postil.tui.widgets.highlight_list", "postil.tui.widgets.highlight_detail", "postil.tui.note_render",
    "postil.tui.widgets.anchor_diff",
]


def test_starting_the_app_leaves_the_dialogs_and_heavy_helpers_unimported():
    script = (
        "import sys\n"
        "import postil.tui.launch\n"
        "import postil.tui.open_target\n"  # `postil open SOURCE` too
        f"print([m for m in {DEFERRED!r} if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_each_deferred_dialog_still_imports():
    # A lazy import hides a broken one until the key is pressed: import each here.
    script = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in DEFERRED)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
