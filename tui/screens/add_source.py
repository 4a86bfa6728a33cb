"""The add-a-file dialog (`A`): a path with completion; enter imports it into the library.

A folder imports every supported file under it, as `postil add` does. The path field
completes as you type (the rest of the name shown dim; `right` takes it): a folder's first
entry whose name starts with what was typed, folders with a trailing `/`, files only when
postil can read them. Dismisses with the id of the first source added (to open it), or None.
When another program holds the database, a file already read waits in the app's write queue
and `added_later` is called with its source id once it is in.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Label, Static

from postil.sources.errors import SourceError
from postil.sources.load import SUPPORTED_EXTENSIONS, collect_paths, load_path
from postil.sources.sanitise import for_display_line
from postil.store.errors import StoreError
from postil.store.source_add import add_source
from postil.tui.screens.compact import fit_to_size
from postil.tui.write_queue import PendingWrite, WriteQueue, write_or_queue

COMPLETIONS_READ = 2000
"""Entries of a folder looked at, at most, for one completion (a huge folder stays fast)."""


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    """`value` completed to the first matching entry of its folder, or None."""
    if not value:
        return None
    folder, slash, stem = value.rpartition("/")
    directory = Path(os.path.expanduser(folder + slash if slash else "."))
    try:
        with os.scandir(directory) as entries:
            names = []
            for count, entry in enumerate(entries):
                if count >= COMPLETIONS_READ:
                    break
                if not entry.name.startswith(stem) or entry.name == stem:
                    continue
                if entry.name.startswith(".") and not stem.startswith("."):
                    continue
                is_dir = entry.is_dir()
                if is_dir or Path(entry.name).suffix.lower() in SUPPORTED_EXTENSIONS:
                    names.append(entry.name + ("/" if is_dir else ""))
    except OSError:
        return None
    return f"{folder}{slash}{min(names)}" if names else None


EXTENSION_ORDER = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
"""How the heading lists the kinds of file (any other the loader learns goes last)."""


def _listed_order(extension: str) -> tuple[int, str]:
    known = extension in EXTENSION_ORDER
    return (EXTENSION_ORDER.index(extension) if known else len(EXTENSION_ORDER), extension)


class AddSourceScreen(ModalScreen["int | None"]):
    """Import a file or folder into the library."""

    CSS_PATH = "add_source.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, db: sqlite3.Connection, writes: WriteQueue | None = None,
                 added_later: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self.db = db
        self.writes = writes
        self.added_later = added_later

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            # From the loader's own list (a typed list here once left out .pdf).
            kinds = " ".join(sorted(SUPPORTED_EXTENSIONS, key=_listed_order))
            yield Label(Content(f"Add a file or folder to the library ({kinds})"))
            yield Input(placeholder="a path, e.g. ~/papers/trial.md (→ completes)", id="path", suggester=PathSuggester())
            yield Static(Content("enter imports it · escape cancels"), id="add-status")
        yield Footer()

    def on_mount(self) -> None:
        fit_to_size(self)
        # Start in the current folder: most files a reviewer adds are near where postil ran.
        field = self.query_one("#path", Input)
        field.value = os.path.join(os.getcwd(), "")
        field.cursor_position = len(field.value)

    def on_resize(self) -> None:
        fit_to_size(self)

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#add-status", Static)
        status.set_class(error, "error")
        status.update(Content(for_display_line(message)))

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.say("type the path of a file or folder", error=True)
            return
        files, errors = collect_paths([Path(os.path.expanduser(text))])
        added: list[int] = []
        queued = 0
        problems = [str(error) for error in errors]
        for path in files:
            try:
                document = load_path(path)
                made, waiting = write_or_queue(self.db, self.writes, f"add {path.name}",
                                               lambda db, document=document: add_source(db, document).source.id,
                                               self._added_later(path))
            except (SourceError, StoreError) as error:
                problems.append(str(error) if str(path) in str(error) else f"{path}: {error}")
                continue
            if waiting is None:
                added.append(made)
            else:
                queued += 1
        if not added and not queued:
            self.say(problems[0] if problems else f"{text}: nothing to import", error=True)
            return
        if problems:
            self.app.notify(for_display_line(f"{len(problems)} not imported: {problems[0]}"), severity="warning", markup=False)
        if queued:
            self.app.notify(f"the database is busy (another program is writing): {queued} file(s) read and "
                            "kept, added as soon as it is free", markup=False)
        self.dismiss(added[0] if added else None)

    def _added_later(self, path: Path) -> Callable[[PendingWrite], None]:
        """What to do once a file's queued add is written (or failed)."""

        def done(item: PendingWrite) -> None:
            if item.state == "written" and self.added_later is not None:
                self.added_later(item.result)
            elif item.state == "failed":
                self.app.notify(for_display_line(f"{path}: not added: {item.error}"), severity="error", markup=False)

        return done

    def action_cancel(self) -> None:
        self.dismiss(None)
