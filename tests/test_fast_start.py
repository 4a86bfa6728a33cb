"""The fast start: a current database opens on a plain connection and paints a preview first.

What a user would check: the first screen shows the start of the right text, the whole source
(with its highlights) is there as soon as they act, and nothing about the text changes between
the preview and the full open. And what the design promises: sqlite-utils is not even
imported before the first paint (it is most of the start-up time beyond Textual's own).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from app_support import SIZE, add_text, make_app
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.sources.document import Block, Document, LoadedSource
from postil.store import highlights as store_highlights
from postil.store import reading
from postil.store.db import SCHEMA_VERSION, open_current, open_db
from postil.store.sources import add_source, save_reading_position, source_text
from postil.tui.app import PostilApp
from postil.tui.launch import needs_welcome
from postil.tui.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

paragraph_words = st.lists(
    st.sampled_from(["amygdala", "café", "naïve", "日本語", "emoji😀", "x", "tab\there", "e\u0301"]),
    min_size=1, max_size=12,
).map(" ".join)


def _add_paragraphs(db, paragraphs: list[str]) -> int:
    text = "\n\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block("paragraph", pos, pos + len(p)))
        pos += len(p) + 2
    doc = Document("Generated", text, blocks, "text")
    return add_source(db, LoadedSource(doc, "/gen.txt", "0" * 64, len(text.encode()))).source.id


@settings(max_examples=40, deadline=None)
@given(paragraphs=st.lists(paragraph_words, min_size=1, max_size=40), preview_chars=st.integers(1, 200),
       saved=st.integers(0, 2000), at_top=st.booleans())
def test_a_preview_is_the_start_of_the_text_with_its_blocks(tmp_path_factory, paragraphs, preview_chars,
                                                           saved, at_top):
    db = open_db(tmp_path_factory.mktemp("preview") / "p.db")
    source_id = _add_paragraphs(db, paragraphs)
    full = reading.source_for_reading(db, source_id)
    save_reading_position(db, source_id, min(saved, len(full.text) - 1))
    old = reading.PREVIEW_CHARS
    reading.PREVIEW_CHARS = preview_chars  # small, so the cut falls inside multi-byte text
    try:
        preview = reading.preview_for_reading(db.conn, source_id, at_top=at_top)
    finally:
        reading.PREVIEW_CHARS = old
    assert full.text.startswith(preview.text)
    assert preview.blocks == full.blocks[: len(preview.blocks)]
    assert all(b.end <= len(preview.text) for b in preview.blocks)
    assert preview.title == "Generated"
    expected_cursor = 0 if at_top else min(saved, len(full.text) - 1)
    if preview.text:
        assert preview.cursor == min(expected_cursor, len(preview.text) - 1)
    db.conn.close()


def test_open_current_only_takes_an_existing_database_at_this_schema(tmp_path):
    assert open_current(tmp_path / "missing.db") is None
    db = open_db(tmp_path / "now.db")
    db.conn.close()
    conn = open_current(tmp_path / "now.db")
    assert conn is not None
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")  # a migration is due
    conn.close()
    assert open_current(tmp_path / "now.db") is None
    (tmp_path / "junk.db").write_bytes(b"not sqlite at all" * 100)
    assert open_current(tmp_path / "junk.db") is None


def test_needs_welcome_on_a_plain_connection(tmp_path):
    db = open_db(tmp_path / "w.db")
    assert needs_welcome(db.conn)
    add_text(db, "Some text.")
    assert not needs_welcome(db.conn)


async def test_started_on_a_plain_connection_the_app_opens_the_whole_source_with_highlights(tmp_path):
    text = "\n\n".join(f"Paragraph {i} about the amygdala and outcomes." for i in range(3000))
    settings_ = Settings(tmp_path / "postil.db", "tester", False)
    db = settings_.open()
    source_id = add_text(db, text, "long.txt")
    far = text.index("Paragraph 2500 ")
    store_highlights.create_highlight(db, source_id, far, far + 14, tags=["outcome"], author="t")
    save_reading_position(db, source_id, far + 3)
    db.conn.close()
    app = PostilApp(settings_, conn=open_current(settings_.db_path), source_id=source_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for _ in range(100):  # the whole source opens by itself shortly after the preview
            if screen.source is not None:
                break
            await pilot.pause(0.02)
        # Reopened where it was read, the cursor in the middle of the screen (the preview
        # placed it before the reader had a size; the open kept the preview's view).
        reader = screen.reader
        row = reader._layout.point_of(reader.cursor)[0] - int(reader.scroll_y)
        height = reader.scrollable_content_region.height
        assert height // 3 <= row <= 2 * height // 3
        await pilot.press("j")  # keys act on the whole text, not the preview
        await pilot.pause()
        assert screen.reader.text == source_text(app.db, source_id)
        assert len(screen.highlights) == 1
        assert screen.reader.cursor > far  # reopened where it was read, one line down
        assert [s.id for s in screen.reader.spans_at(far + 3)] == [screen.highlights[0].id]


SUBPROCESS_START = textwrap.dedent(
    """
    import asyncio, json, sys
    from postil.store.db import open_current
    from postil.tui.app import PostilApp
    from postil.tui.settings import Settings
    from postil.tui.widgets.reader import Reader

    seen = {}
    original = Reader.render_lines

    def render_lines(self, crop):
        if self.text and "first_paint" not in seen:
            seen["first_paint"] = "sqlite_utils" in sys.modules
            seen["text"] = self.text[:40]
        return original(self, crop)

    Reader.render_lines = render_lines

    async def main():
        settings = Settings(sys.argv[1], "tester", False)
        app = PostilApp(settings, conn=open_current(settings.db_path), source_id=int(sys.argv[2]), at_top=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.3)
            seen["highlights"] = len(app.screen.highlights)
            for key in ("j", "G", "g", "w", "]"):
                await pilot.press(key)
            app.screen.save_position()  # the cursor is on "beta" (offset 6)
            seen["reading"] = "sqlite_utils" in sys.modules
            seen["saved"] = app.conn.execute("SELECT read_offset FROM reading_positions").fetchone()[0]
            await pilot.press("w", "s", "2")
            seen["annotating"] = "sqlite_utils" in sys.modules
            seen["highlights_after"] = len(app.screen.highlights)

    asyncio.run(main())
    print(json.dumps(seen))
    """
)


def test_sqlite_utils_is_imported_only_to_annotate_not_to_paint_or_read(tmp_path):
    db = open_db(tmp_path / "postil.db")
    source_id = add_text(db, "Alpha beta gamma.\n\nDelta epsilon.", "a.txt")
    store_highlights.create_highlight(db, source_id, 0, 5, tags=["mechanism"], author="t")
    db.conn.close()
    proc = subprocess.run([sys.executable, "-c", SUBPROCESS_START, str(tmp_path / "postil.db"), str(source_id)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen == {"first_paint": False, "text": "Alpha beta gamma.\n\nDelta epsilon.", "highlights": 1,
                    "reading": False, "saved": 6, "annotating": True, "highlights_after": 2}


async def test_the_default_app_start_still_works_on_a_sqlite_utils_database(app_settings, app_db):
    source_id = add_text(app_db, "Just one line of text.")
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.source is not None and app.screen.source.id == source_id
        assert app.conn is app_db.conn


def test_plain_postil_on_a_broken_database_gives_one_line_naming_the_file(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database " * 200)
    before = junk.read_bytes()
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("COLUMNS", "LINES")}
    env["POSTIL_DB"] = str(junk)
    proc = subprocess.run([sys.executable, "-m", "postil"], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("postil: ") and str(junk) in lines[0]
    assert "Traceback" not in proc.stderr
    assert junk.read_bytes() == before


async def test_the_garbage_collector_held_since_launch_comes_back_once_the_source_is_open(tmp_path):
    """Plain `postil` starts with the cyclic GC off (tui.launch.main); the app turns it on."""
    import gc

    settings_ = Settings(tmp_path / "postil.db", "tester", False)
    db = settings_.open()
    source_id = add_text(db, "A paragraph.\n\nAnother one.", "short.txt")
    db.conn.close()
    gc.disable()
    try:
        app = PostilApp(settings_, conn=open_current(settings_.db_path), source_id=source_id)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(100):
                if app.screen.source is not None:
                    break
                await pilot.pause(0.02)
            await pilot.pause()
            assert app.screen.source is not None
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_garbage_collector_comes_back_with_an_empty_library_too(tmp_path):
    import gc

    settings_ = Settings(tmp_path / "postil.db", "tester", False)
    settings_.open().conn.close()
    gc.disable()
    try:
        app = PostilApp(settings_, conn=open_current(settings_.db_path))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()
