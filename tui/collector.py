"""The cyclic garbage collector during start-up: held from `postil`'s start to the open source.

From tui.startup.main until the whole source is open behind the preview (FirstScreen.finish
calls `release_gc` on every path), the collector is held. Importing Textual and postil and
building the first screen ran ~100 collections, 15-18 ms of the first screen in tmux, and
leave nothing cyclic worth collecting. This is the only place postil touches the collector:
nothing is frozen, and it runs as usual for the rest of the session (tests/test_app_memory.py
checks that dismissed screens are freed). A module of its own: the start-up and the first
screen both use it, and neither may import the other.
"""

from __future__ import annotations

import gc

_gc_held = False


def hold_gc() -> None:
    """Hold the cyclic collector while the app starts (see the module)."""
    global _gc_held
    if gc.isenabled():
        # ~100 collections, 15-18 ms of the first screen in tmux, found nothing to free;
        # tests/test_start_path.py checks the collector runs again once the source is open.
        gc.disable()
        _gc_held = True


def release_gc() -> None:
    """Let the collector run again, if `hold_gc` held it (later calls do nothing)."""
    global _gc_held
    if _gc_held:
        _gc_held = False
        gc.enable()
