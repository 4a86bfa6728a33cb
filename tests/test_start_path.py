"""Opening the app loads only what the app needs: not click and the command modules, not
sqlite-utils (a current database needs no migration), not the HTML and Markdown parsers.
The first screen (tui.first_screen) shows a preview, then the whole source; a key that comes
sooner acts on the whole source. bench/bench_tmux.py measures what this keeps fast."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from app_support import SIZE, add_text, make_app, screen_text, settle

import postil.tui.app
from postil.store import highlights as store_highlights
from postil.store import sources as store_sources
from postil.store.db import open_db
from postil.store.reading import PREVIEW_CHARS, preview_for_reading
from postil.tui.app import PostilApp
from postil.tui.collector import hold_gc

PROBE = """
import sys
from postil.tui.startup import app_start
from postil.tui.launch import run_app  # what opening the app imports
import postil.tui.open_target
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in
      ("click", "sqlite_utils", "trafilatura", "lxml", "markdown_it", "pypdfium2", "pypdf", "postil"))))
"""


def loaded_modules() -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_app_path_skips_the_command_line_and_the_parsers():
    loaded = loaded_modules()
    assert "postil.tui.app" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("click", "sqlite_utils", "trafilatura", "lxml", "markdown_it",
                                                       "pypdfium2", "pypdf")}
    assert "postil.tui.cli" not in loaded
    assert not {m for m in loaded if m.startswith("postil.tui.commands.")}


def test_startup_parses_the_forms_that_open_the_app():
    from postil.tui.startup import app_start

    assert app_start([]) is not None
    assert app_start(["--db", "x.db"]).db_path == "x.db"
    assert app_start(["--db=x.db", "--author", "ann", "open", "paper.md"]).target == "paper.md"
    assert app_start(["open", "3"]).target == "3"
    for other in (["sources"], ["--help"], ["open"], ["--db"], ["open", "a", "b"], ["--debug"], ["open", "--json"]):
        assert app_start(other) is None, other


def test_a_current_database_opens_without_sqlite_utils(tmp_path):
    open_db(tmp_path / "p.db").close()
    probe = f"""
import sys
from postil.store.db import open_db
open_db({str(tmp_path / "p.db")!r}).close()
print("sqlite_utils" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


LONG = "# Long\n\n" + "".join(f"Paragraph {n} says something about the trial and its outcome.\n\n"
                              for n in range(6000))
"""About 380,000 characters: far longer than a preview (store.reading.PREVIEW_CHARS)."""


def test_a_preview_is_the_start_of_the_text_with_the_blocks_inside_it(app_db):
    source_id = add_text(app_db, LONG, "long.md")
    whole = store_sources.source_text(app_db, source_id)
    preview = preview_for_reading(app_db, source_id, at_top=True)
    assert PREVIEW_CHARS <= len(preview.text) < PREVIEW_CHARS + 100 < len(whole)  # up to a block's end
    assert whole.startswith(preview.text)
    assert preview.blocks and preview.blocks[-1].end == len(preview.text)
    assert preview.cursor == 0 and preview.title == "Long"


class WithoutReady(PostilApp):
    """The app with Textual's Ready event ignored: start-up ends only through the input gate."""

    CSS_PATH = Path(postil.tui.app.__file__).with_name("app.tcss")

    def on_ready(self, event) -> None:
        event.prevent_default()  # Textual calls every class's handler unless told not to


async def test_a_key_before_the_source_is_open_acts_on_the_whole_source(app_settings, app_db):
    source_id = add_text(app_db, LONG, "long.md")
    whole = store_sources.source_text(app_db, source_id)
    start = whole.index("Paragraph 5000")
    store_highlights.create_highlight(app_db, source_id, start, start + 14, tags=["late"], author="tester")
    app = WithoutReady(app_settings, db=app_db, source_id=source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.pause()
        assert screen.source is None and len(screen.reader.text) < len(whole)  # the preview
        await pilot.press("G")
        assert screen.source is not None and screen.reader.text == whole
        assert screen.reader.cursor > len(whole) - 100
        assert [h.start for h in screen.highlights] == [start]
        assert screen.pane.option_list.option_count == 1


async def test_the_whole_source_opens_after_the_first_frame_where_it_was_left(app_settings, app_db):
    source_id = add_text(app_db, LONG, "long.md")
    whole = store_sources.source_text(app_db, source_id)
    store_sources.save_reading_position(app_db, source_id, whole.index("Paragraph 300 "))
    app = make_app(app_settings, app_db)  # the last source read, at its position
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert await settle(pilot, lambda: screen.source is not None)
        assert screen.reader.text == whole
        assert screen.reader.cursor == whole.index("Paragraph 300 ")
        assert "Paragraph 300 " in screen_text(app)


async def test_an_empty_library_starts_with_no_source_and_a_working_pane(app_settings, app_db):
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert app.screen.source is None
        assert app.screen.pane.option_list.option_count == 0


async def test_the_collector_held_at_start_runs_again_once_the_source_is_open(app_settings, app_db):
    """`postil` holds the cyclic collector from its start to the whole source's open (tui/collector.py)."""
    source_id = add_text(app_db, LONG, "long.md")
    app = make_app(app_settings, app_db, source_id=source_id)
    hold_gc()
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert not gc.isenabled()  # the first screen is built without it
            assert await settle(pilot, lambda: app.screen.source is not None)
            assert await settle(pilot, gc.isenabled)
    finally:
        gc.enable()


async def test_with_no_source_to_open_the_collector_runs_again_after_the_first_frame(app_settings, app_db):
    app = make_app(app_settings, app_db)
    hold_gc()
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert await settle(pilot, gc.isenabled)
            assert app.screen.source is None
    finally:
        gc.enable()


FIRST_CHANGE_PROBE = """
import asyncio, sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from app_support import SIZE, add_text, make_app, make_settings, settle
assert "postil.tui.undo_changes" not in sys.modules
settings = make_settings(Path({folder!r}))
db = settings.open()
source_id = add_text(db, "# A source\\n\\nPsilocybin eased the amygdala response.\\n")

async def main():
    app = make_app(settings, db, source_id=source_id)
    async with app.run_test(size=SIZE) as pilot:
        assert await settle(pilot, lambda: app.screen.source is not None)
        await pilot.pause()
        print("postil.tui.undo_changes" in sys.modules)

asyncio.run(main())
"""


def test_the_first_change_finds_its_module_loaded_once_the_source_is_open(tmp_path):
    # A fresh interpreter: here, other tests have imported the changes already.
    probe = FIRST_CHANGE_PROBE.format(tests=str(Path(__file__).parent), folder=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]  # tests/test_startup_imports.py: and not before the first frame
