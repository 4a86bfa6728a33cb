"""The export dialog (`e`): title, scope, grouping, format and file name, then write the brief.

Scope: this source (`source:ID`), all sources, or the current search. The title starts as
what the scope means in words (exports.title) and follows scope changes until the
user edits it; the file name starts as the slug of the title in the current folder and
follows title, scope and format changes until the user edits it. Writing goes through the exports package (collect, render, atomic
no-clobber write); an existing file is replaced only with "replace" turned on (it starts off,
and its label says which it is: a toggle's X looks the same either way without colour).
A line under the file name says what `enter` will write. Errors are one line in the dialog.
On small terminals the controls are compact (tui.screens.compact), so it fits 80x24, and
under NARROW_BELOW columns the four choice columns become two rows of two, so no label is cut
to a stub at 60x24. After a successful write the dialog shows the path and closing it
dismisses with that path (None when nothing was written). A change to any field after a write
means another file: `enter` then writes it, instead of closing on the first one.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, RadioButton, RadioSet, Static

from postil.exports.brief import render_brief
from postil.exports.citations import STYLES, Citer, SourceFacts, gather
from postil.exports.collect import collect
from postil.exports.tabular import to_csv, to_json
from postil.exports.title import readable_title
from postil.exports.w3c import dumps
from postil.exports.writing import (
    EXTENSIONS,
    ExportPathError,
    default_path,
    slugify,
    write_bytes_atomic,
    write_text_atomic,
)
from postil.sources.sanitise import for_display_line
from postil.store import sources as store_sources
from postil.store.errors import StoreError
from postil.store.reviewers import BlindView
from postil.tui.screens.compact import fit_to_size
from postil.tui.screens.render import clip
from postil.tui.wording import counted

SCOPES = ("source", "all", "search")
GROUPINGS = ("tag", "source", "order")
FORMATS = ("md", "csv", "json", "w3c", "qdpx")
NARROW_BELOW = 100
"""Columns under which the choices are laid out two by two (four columns cut the scope labels, the
source title and the search, under 100)."""


def render(data, fmt: str, by: str, facts: SourceFacts | None = None, style: str | None = None) -> tuple[str, list]:
    """The export text and the highlights whose quote no longer matches (briefs only).

    `facts`: the sources' records and memos (briefs print memos); `style`: cite in it.
    """
    if fmt == "md":
        citer = Citer(data.sources, facts, style) if style is not None and facts is not None else None
        brief = render_brief(data, by, facts, citer)
        return brief.text, brief.mismatches
    if fmt == "csv":

        return to_csv(data), data.mismatches
    if fmt == "json":

        return to_json(data), data.mismatches

    return dumps(data), data.mismatches


class ExportScreen(ModalScreen["Path | None"]):
    """Dismisses with the path written, or None."""

    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "export", "Export"),
        Binding("tab", "app.focus_next", "Next field"),
    ]

    def __init__(
        self, db: sqlite3.Connection, source_id: int | None, query: str | None, folder: Path | None = None,
        *, view: BlindView | None = None,
    ) -> None:
        """
        Args:
            db: the open database.
            source_id: the source on screen (None: "this source" is not offered).
            query: the current search (None or empty: "current search" is not offered).
            folder: where a bare file name goes (default: the current folder).
            view: what blind mode lets me see: nothing else goes into the export.
        """
        super().__init__()
        self.db = db
        self.view = view
        self.source_id = source_id
        self.search_query = (query or "").strip()
        self.folder = folder or Path.cwd()
        self.source_title = ""
        if source_id is not None:
            try:
                self.source_title = store_sources.get_source_info(db, source_id).title
            except StoreError:
                self.source_id = None
        self.scope = "source" if self.source_id is not None else "search" if self.search_query else "all"
        self.grouping = "tag"
        self.fmt = "md"
        self.style: str | None = None
        """Citation style of a brief (None: cite by title, heading and paragraph)."""
        self.written: Path | None = None
        """The last file written (what closing returns)."""
        self.done = False
        """The fields are as they were when `written` was written: `enter` closes."""
        self._auto_name = ""
        self._auto_title = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Content("Export a brief"), id="heading")
            with Horizontal(id="title-row"):
                yield Label(Content("Title "), id="title-label")
                yield Input(id="title")
            with Container(id="choices"):
                with Vertical(id="scope-column"):
                    yield Label(Content("Scope"))
                    with RadioSet(id="scope"):
                        yield RadioButton(
                            Content(f"this source: {clip(self.source_title, 40)}" if self.source_id is not None else "this source (none open)"),
                            value=self.scope == "source", disabled=self.source_id is None, id="scope-source",
                        )
                        yield RadioButton(Content("all sources"), value=self.scope == "all", id="scope-all")
                        yield RadioButton(
                            Content(f"current search: {clip(self.search_query, 40)}" if self.search_query else "current search (none)"),
                            value=self.scope == "search", disabled=not self.search_query, id="scope-search",
                        )
                with Vertical():
                    yield Label(Content("Group by"))
                    with RadioSet(id="grouping"):
                        for name in GROUPINGS:
                            yield RadioButton(Content(name), value=name == self.grouping, id=f"grouping-{name}")
                with Vertical():
                    yield Label(Content("Format"))
                    with RadioSet(id="format"):
                        labels = {"md": "Markdown brief", "csv": "CSV", "json": "JSON", "w3c": "W3C annotations",
                                  "qdpx": "REFI-QDA project"}
                        for name in FORMATS:
                            yield RadioButton(Content(labels[name]), value=name == self.fmt, id=f"format-{name}")
                with Vertical():
                    yield Label(Content("Cite (briefs)"))
                    with RadioSet(id="cite"):
                        yield RadioButton(Content("by title"), value=True, id="cite-none")
                        for name in STYLES:
                            yield RadioButton(Content(name.upper() if name == "apa" else name.title()), id=f"cite-{name}")
            yield Label(Content(f"File (in {for_display_line(str(self.folder))} unless a path is given)"))
            yield Input(id="file")
            yield Static(id="plan")
            yield Checkbox(_force_label(False), value=False, id="force")
            yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._fit()
        self._update_title()
        self._update_name()
        self._update_plan()
        self.query_one("#file", Input).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        fit_to_size(self)
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow")

    # --- choices ------------------------------------------------------------------------

    def export_query(self) -> str:
        return {"source": f"source:{self.source_id}", "all": "", "search": self.search_query}[self.scope]

    def default_export_title(self) -> str:
        """The title the scope suggests: the source's title, or the query in words."""
        if self.scope == "source":
            return f"Evidence brief: {self.source_title}" if self.source_title else "Evidence brief"
        return readable_title(self.db, self.export_query())

    def export_title(self) -> str:
        """The title typed in the dialog, or the scope's default when it is blank."""
        typed = self.query_one("#title", Input).value.strip()
        return typed or self.default_export_title()

    def _update_title(self) -> None:
        """Follow the scope while the user has not typed a title of their own."""
        title_input = self.query_one("#title", Input)
        title = self.default_export_title()
        if title_input.value in ("", self._auto_title):
            title_input.value = title
        self._auto_title = title

    @on(Input.Changed, "#title")
    def _title_changed(self) -> None:
        self._update_name()

    def _update_name(self) -> None:
        """Follow the title while the user has not typed a name of their own."""
        file_input = self.query_one("#file", Input)
        name = slugify(self.export_title()) + EXTENSIONS[self.fmt]
        if file_input.value in ("", self._auto_name):
            file_input.value = name
        self._auto_name = name

    @on(RadioSet.Changed)
    def _choice(self, event: RadioSet.Changed) -> None:
        kind, _, value = (event.pressed.id or "").partition("-")
        if kind == "scope":
            self.scope = value
        elif kind == "grouping":
            self.grouping = value
        elif kind == "format":
            self.fmt = value
        elif kind == "cite":
            self.style = None if value == "none" else value
        self._update_title()
        self._update_name()
        self._changed_since_written()

    @on(Input.Changed, "#title")
    @on(Input.Changed, "#file")
    @on(Checkbox.Changed, "#force")
    def _edited(self) -> None:
        # Found in tmux: after a write, a `q` typed to quit went into the file name, and
        # `enter` then closed on the old file instead of writing the one now named.
        self._changed_since_written()

    def _changed_since_written(self) -> None:
        """A field changed after a write: enter writes again, and the status says so (it
        said "enter closes")."""
        if self.done:
            self.done = False
            self.say(f"{self.written.name} was written; enter writes again with these choices, escape closes")

    @on(Input.Changed, "#file")
    @on(Checkbox.Changed, "#force")
    def _update_plan(self) -> None:
        """Say what `enter` will write, and whether an existing file would be replaced."""
        force = self.query_one("#force", Checkbox)
        force.label = _force_label(force.value)
        path = self.target_path()
        # The folder is named in the label above: repeat only the name when it is in it.
        name = path.name if path.parent == self.folder else str(path)
        if not os.path.lexists(path):
            plan = f"will write a new file: {name}"
        elif force.value:
            plan = f"{name} exists and will be replaced"
        else:
            plan = f"{name} exists: it will not be replaced (turn replace on, or change the name)"
        self.query_one("#plan", Static).update(Content(for_display_line(plan)))

    def _plan_written(self) -> None:
        """After a write the plan line would still say "will write a new file": say it is done."""
        name = self.written.name if self.written.parent == self.folder else str(self.written)
        self.query_one("#plan", Static).update(Content(for_display_line(f"{name}: written just now")))

    # --- writing ------------------------------------------------------------------------

    @on(Input.Submitted, "#file")
    @on(Input.Submitted, "#title")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.done:
            self.dismiss(self.written)
        else:
            self.action_export()

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.set_class(error, "error")
        status.update(Content(for_display_line(message)))

    def target_path(self) -> Path:
        name = self.query_one("#file", Input).value.strip()
        if not name:

            return default_path(self.folder, self.export_title(), self.fmt)
        path = Path(name).expanduser()
        # A bare name or relative path is the user's own choice, taken in the export folder.
        return path if path.is_absolute() else self.folder / path

    def action_export(self) -> None:
        try:
            data = collect(self.db, self.export_query(), self.export_title(), view=self.view)
            if not data.highlights:
                self.say("nothing to export: no highlights in this scope", error=True)
                return
            force = self.query_one("#force", Checkbox).value
            if os.path.lexists(self.target_path()) and not force:
                # The writer refuses too (and without a race); this says it in the dialog's terms.
                self.say(f"{self.target_path().name} exists: turn replace on, or change the name", error=True)
                return
            if self.fmt == "qdpx":
                if self.view is not None and self.view.blind:
                    # The REFI-QDA export gathers every highlight itself: it would hold others' hidden work.
                    self.say("qdpx is not available in blind mode: choose another format", error=True)
                    return
                self._export_qdpx(force)
                return
            facts = gather(self.db, data.sources, self.view) if self.fmt == "md" else None
            text, mismatches = render(data, self.fmt, self.grouping, facts, self.style)
            written = write_text_atomic(self.target_path(), text, force=force)
        except (StoreError, ExportPathError, OSError) as error:
            self.say(str(error).splitlines()[0] if str(error) else type(error).__name__, error=True)
            return
        self.written = written
        self.done = True
        self._plan_written()
        message = f"wrote {counted(len(data.highlights), 'highlight')} to {written}"
        if mismatches:
            message += f"; {len(mismatches)} quotes no longer match their source (marked)"
        self.say(message + " — enter or escape closes")

    def _export_qdpx(self, force: bool) -> None:
        """A REFI-QDA project of the scope; what it cannot carry is counted (the CLI lists it)."""
        # Imported here: lxml costs ~25 ms, and this module is loaded on the way to the
        # first screen (tests/test_start_path.py); only a REFI-QDA export needs it.
        from postil.exports.refi.exchange import export_qdpx

        made = export_qdpx(self.db, self.export_query(), self.export_title())
        self.written = write_bytes_atomic(self.target_path(), made.data, force=force)
        self.done = True
        self._plan_written()
        # The file's name only (the folder is on the line above): the status must fit 80x24.
        message = f"wrote {counted(made.highlights, 'selection')} to {self.written.name}"
        if made.losses:
            message += f"; {len(made.losses)} kinds of data not carried (the CLI lists them)"
        self.say(message + " — enter closes")

    def action_close(self) -> None:
        self.dismiss(self.written)


def _force_label(on: bool) -> Content:
    return Content("replace: on — an existing file will be replaced" if on else "replace: off — an existing file is kept")
