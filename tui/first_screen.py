"""The first screen: a preview painted at once, the whole source right after, input waits for it.

Everything about getting the app's first screen up fast lives here, so the main screen and the
features behind it only ever see a source that is open (or none):
1. `show` (from PostilApp.on_mount, inside Textual's start-up batch): the main screen gets the
   start of the text (store.reading.Preview), its title and the library. Reading a 10 MB
   source whole, with its 10,000 highlights and the pane's widgets, would hold the first frame
   back by ~100 ms; a preview is a few dozen blocks.
2. `ready` (from PostilApp.on_ready): Textual's Ready event says the first frame has been
   displayed, but it is posted while the start-up batch still holds that frame, so the whole
   source opens one refresh later (`finish`).
3. `before_input` (from PostilApp.on_event): a key or click that comes sooner finishes the open
   first, so it acts on the whole source and finds the pane's widgets in their places.

`finish` also loads what the first keystrokes need and the first frame does not
(AFTER_FIRST_FRAME), so neither of them pays for it.
"""

from __future__ import annotations

import importlib

from textual import events

from postil.store import reading as store_reading
from postil.store import sources as store_sources
from postil.store.errors import StoreError
from postil.tui.collector import release_gc
from postil.tui.screens.main import MainScreen
from postil.tui.widgets.source_header import SourceHeader

AFTER_FIRST_FRAME = ("postil.tui.undo_changes",)
"""Modules loaded once the whole source is open. The changes (`1`, `n`, `d` ... and their undo)
are 13 dataclasses and re-anchoring, ~8 ms to load: at the top of the main screen they held
the first frame back, and imported by the first change they held back that change's frame.
tui/startup.py, 'Dialogs', says why the actions import them where they are used."""


class FirstScreen:
    """The app's start on one main screen: preview, then the whole source (see the module)."""

    def __init__(self, source_id: int | None, *, at_top: bool) -> None:
        """
        Args:
            source_id: the source to open; None opens the last one read.
            at_top: open it at its start instead of where it was left.
        """
        self.source_id = source_id
        self.at_top = at_top
        self.screen: MainScreen | None = None
        self.pending: int | None = None
        """The source whose preview is painted and which is still to be opened whole."""
        self.done = False
        """The whole source is open (or there was none) and the pane's widgets are mounted."""

    def show(self, screen: MainScreen) -> None:
        """Paint the first screen on `screen` (mounted, not yet drawn)."""
        self.screen = screen
        source_id = self.source_id
        if source_id is None:
            try:
                source_id = store_sources.last_read_source(screen.db)
            except StoreError as error:
                screen.report(error)
        if source_id is not None:
            try:
                preview = store_reading.preview_for_reading(screen.db, source_id, at_top=self.at_top)
            except StoreError as error:
                screen.report(error)
            else:
                self.pending = source_id
                screen.reader.load(preview.text, preview.blocks, [], cursor=preview.cursor)
                screen.query_one(SourceHeader).set_source(preview.title)
                screen.refresh_library(current_id=source_id)
                return
        screen.refresh_library()
        screen.pane.build()

    def ready(self) -> None:
        """The first frame is being displayed: open the whole source right after it."""
        if self.screen is not None:
            self.screen.app.call_after_refresh(self.finish)

    def finish(self) -> None:
        """Open the whole source behind the preview, then load AFTER_FIRST_FRAME (once: later
        calls open nothing, and the modules are loaded already)."""
        try:
            self._open_whole()
            for name in AFTER_FIRST_FRAME:
                importlib.import_module(name)
        finally:
            release_gc()  # held since the start (tui/collector.py), through the whole open

    def _open_whole(self) -> None:
        screen, source_id, self.pending = self.screen, self.pending, None
        if screen is None or source_id is None:
            return
        if screen.source is not None:
            screen.pane.build()  # a source was opened meanwhile (a test, a message): keep it
            return
        try:
            # Offsets in the preview are those of the whole text: keep the cursor and any
            # selection where they are, and the scroll offset too (both texts wrap alike, as
            # the preview's blocks are the first of the whole text's), so nothing jumps.
            reader = screen.reader
            selection, scroll_y = reader.selection, reader.scroll_y
            if screen.open_source(source_id, offset=reader.cursor, relist_library=False):
                if selection is not None:
                    reader.select(*selection)
                reader.scroll_to(y=scroll_y, animate=False, immediate=True)
        finally:
            screen.pane.build()  # even if the source could not be opened

    async def before_input(self, event: events.Event) -> None:
        """Before the app handles `event`: a key or click during start-up finishes it first."""
        if self.done or not isinstance(event, (events.Key, events.MouseDown)):
            return
        self.finish()
        if self.screen is not None:
            await self.screen.pane.settled()
            self.done = self.pending is None
