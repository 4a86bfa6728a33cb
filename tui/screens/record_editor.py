"""The record form: a source's library title and its bibliographic record, edited by hand.

One line per field (title, authors, year or date, journal, volume, issue, pages, DOI, URL,
type, citation key), each labelled with where its value came from (the file, an imported
bibliography, by hand). `ctrl+s` saves what changed through a callback the main screen gives
(a rename and a manual record update, each in one transaction); a failure (a key another
source has, a busy database) is shown here and the typed values stay. `escape` asks before
dropping changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Static

from postil.sources.csl import DATE_FIELDS, NAME_FIELDS, infer_type
from postil.sources.sanitise import for_display_line
from postil.store.records import MANUAL, Record, update_record
from postil.store.sources import rename_source
from postil.tui.screens.editor import EditorScreen

FORM_FIELDS = (
    # (form name, label, CSL field or "" for the library title)
    ("library_title", "Library title", ""),
    ("title", "Title", "title"),
    ("author", "Authors", "author"),
    ("issued", "Year/date", "issued"),
    ("container-title", "Journal/site", "container-title"),
    ("volume", "Volume", "volume"),
    ("issue", "Issue", "issue"),
    ("page", "Pages", "page"),
    ("DOI", "DOI", "DOI"),
    ("URL", "URL", "URL"),
    ("type", "Type", "type"),
    ("key", "Citation key", ""),
)
ORIGINS = {"source": "from the file", "manual": "by hand"}


@dataclass
class RecordEdit:
    """What the reviewer changed: a new library title, fields to set, fields to clear, a key."""

    title: str | None
    fields: dict
    cleared: tuple[str, ...]
    key: str | None


SaveRecord = Callable[[RecordEdit], "str | None"]
"""Save the edit; returns None when saved, else a message for the user."""


def field_text(record: Record, name: str) -> str:
    """A CSL value as the form writes it: "Family, Given; ..." names, "2017-10-13" dates."""
    value = record.csl.get(name)
    if value is None:
        return ""
    if name in NAME_FIELDS:
        return "; ".join(n.get("literal") or ", ".join(p for p in (n.get("family"), n.get("given")) if p) for n in value)
    if name in DATE_FIELDS:
        parts = (value.get("date-parts") or [[]])[0]
        return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) or value.get("raw", "")
    return str(value)


class RecordEditorScreen(EditorScreen):
    """Dismisses with True when saved, False when closed without saving."""

    CSS_PATH = "record_editor.tcss"
    # A form of one-line fields: up and down move between them as tab does (found in tmux: a
    # reviewer pressing down typed the authors into the title).
    BINDINGS = [
        Binding("down", "app.focus_next", "next field", show=False),
        Binding("up", "app.focus_previous", "previous field", show=False),
    ]

    ERROR_ID = "record-error"
    DROP_QUESTION = "Drop the changes to this record?"

    def __init__(self, library_title: str, record: Record, save: SaveRecord) -> None:
        super().__init__()
        self.record = record
        self.save_record = save
        # Inputs hold what they draw: control characters (none survive csl.normalise, but a
        # title from an older file may hold some) are shown as visible marks, and kept so.
        self.original = {"library_title": for_display_line(library_title),
                         "key": for_display_line(record.citation_key or "")}
        for name, _, csl_field in FORM_FIELDS:
            if csl_field:
                self.original[name] = for_display_line(field_text(record, csl_field))

    def compose(self) -> ComposeResult:
        with Vertical(id="record-dialog"):
            yield Static(Content("Source record · what briefs cite"), id="record-heading")
            with VerticalScroll(id="record-fields"):
                for name, label, csl_field in FORM_FIELDS:
                    origin = self.record.provenance.get(csl_field or ("citation-key" if name == "key" else ""), "")
                    shown = ORIGINS.get(origin, origin.replace("import:", "from ")) if origin else ""
                    with Horizontal(classes="record-row"):
                        yield Label(Content(label), classes="record-label")
                        yield Input(self.original[name], id=f"field-{_css_id(name)}", placeholder=self.hint(name),
                                    classes="record-input", compact=True)
                        yield Label(Content(for_display_line(shown)), classes="record-origin")
            yield Static(Content(""), id="record-error")
            yield Static(Content("↓ next · ctrl+s save · escape close · authors: Family, Given; Family, Given"),
                         id="record-help")

    def hint(self, name: str) -> str:
        """What an empty field stands for: the type a brief will use, how a key is made."""
        if name == "type":
            return f"{infer_type(self.record.csl)} (guessed)"
        if name == "key":
            return "made from author and year"
        if name == "issued":
            return "2017 or 2017-10-13"
        return ""

    def on_mount(self) -> None:
        self.query_one(f"#field-{_css_id('title')}", Input).focus()

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#field-{_css_id(name)}", Input).value for name, _, _ in FORM_FIELDS}

    @property
    def changed(self) -> bool:
        return self.values() != self.original

    def edit(self) -> RecordEdit:
        """The changed fields only: an untouched field keeps its value and its provenance."""
        now = self.values()
        changed = {name for name in now if now[name] != self.original[name]}
        fields, cleared = {}, []
        for name, _, csl_field in FORM_FIELDS:
            if not csl_field or name not in changed:
                continue
            value = now[name].strip()
            if not value:
                cleared.append(csl_field)
            elif csl_field == "author":
                fields[csl_field] = [part.strip() for part in value.split(";") if part.strip()]
            else:
                fields[csl_field] = value
        title = " ".join(now["library_title"].split()) if "library_title" in changed else None
        key = now["key"].strip() if "key" in changed and now["key"].strip() else None
        return RecordEdit(title or None, fields, tuple(cleared), key)

    def submit(self) -> str | None:
        return self.save_record(self.edit())


def _css_id(name: str) -> str:
    return name.replace("_", "-").lower()


def apply_record_edit(db: sqlite3.Connection, source_id: int, edit: RecordEdit) -> None:
    """The library title and the record's fields, in the caller's one transaction."""
    if edit.title:
        rename_source(db, source_id, edit.title)
    if edit.fields or edit.cleared or edit.key:
        update_record(db, source_id, edit.fields, MANUAL, key=edit.key, remove=edit.cleared)
