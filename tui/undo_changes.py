"""The undoable changes of a session: each knows how to apply and revert itself.

Reverting a delete restores the same highlight (id, tags, note, links); redoing a create
brings back the same id, so links made after it stay valid along the stack. The stack that
applies them, now or through the write queue, is tui.undo.UndoStack.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import reanchor as store_reanchor
from postil.store import tags as store_tags
from postil.store.errors import Conflict
from postil.store.models import HighlightSnapshot, Link
from postil.tui.write_queue import PendingWrite


@dataclass
class Change(ABC):
    """One undoable change. Subclasses fill `apply` and `revert`."""

    label: str = field(init=False, default="change")
    source_id: int | None = field(init=False, default=None)
    """The source the change touched, so the app can show it after undo."""
    highlight_id: str | None = field(init=False, default=None)
    """The highlight to put the cursor on after undo/redo, if any."""
    queued: PendingWrite | None = field(init=False, default=None, repr=False, compare=False)
    """Its latest step while that waits in the WriteQueue (None once written, or never queued)."""

    @abstractmethod
    def apply(self, db: sqlite3.Connection) -> None:
        """Make the change (again)."""

    @abstractmethod
    def revert(self, db: sqlite3.Connection) -> None:
        """Take the change back."""

    def apply_queued(self, db: sqlite3.Connection) -> None:
        """Make the change from the write queue, later than asked (EditNote differs)."""
        self.apply(db)

    def touched(self) -> list[str] | None:
        """The highlights it touched, when only those need re-reading (None: re-read all)."""
        return None


class HighlightChange(Change):
    """A change to one highlight, the one the cursor goes to."""

    def touched(self) -> list[str] | None:
        return [self.highlight_id]


@dataclass
class CreateHighlight(HighlightChange):
    """Mark start..end of a source with tags (and a note); undo deletes it, redo restores the same one."""

    source_id_: int
    start: int
    end: int
    tags: list[str]
    note: str = ""
    author: str = ""
    _snapshot: HighlightSnapshot | None = None

    def __post_init__(self) -> None:
        self.label = "create highlight"
        self.source_id = self.source_id_
        self.highlight_id = store_highlights.new_id()

    def apply(self, db):
        if self._snapshot is None:
            store_highlights.create_highlight(
                db, self.source_id_, self.start, self.end, tags=self.tags, note=self.note,
                author=self.author, highlight_id=self.highlight_id,
            )
        else:
            store_highlights.restore_highlight(db, self._snapshot)

    def revert(self, db):
        self._snapshot = store_highlights.delete_highlight(db, self.highlight_id)


@dataclass
class DeleteHighlight(HighlightChange):
    """Delete a highlight; undo restores it exactly, with its tags, note and links."""

    highlight_id_: str
    _snapshot: HighlightSnapshot | None = None

    def __post_init__(self) -> None:
        self.label = "delete highlight"
        self.highlight_id = self.highlight_id_

    def apply(self, db):
        self._snapshot = store_highlights.delete_highlight(db, self.highlight_id_)
        self.source_id = self._snapshot.highlight.source_id

    def revert(self, db):
        store_highlights.restore_highlight(db, self._snapshot)


@dataclass
class ToggleTag(HighlightChange):
    """Put a tag on a highlight, or take it off."""

    highlight_id_: str
    tag: str
    now_on: bool = False

    def __post_init__(self) -> None:
        self.label = f"tag {self.tag}"
        self.highlight_id = self.highlight_id_

    def apply(self, db):
        self.now_on = store_highlights.toggle_tag(db, self.highlight_id_, self.tag)
        self.source_id = store_highlights.get_highlight(db, self.highlight_id_).source_id
        self.label = f"{'tag' if self.now_on else 'untag'} {self.tag}"

    def revert(self, db):
        if self.now_on:
            store_highlights.remove_tag(db, self.highlight_id_, self.tag)
        else:
            store_highlights.add_tag(db, self.highlight_id_, self.tag)


@dataclass
class EditNote(HighlightChange):
    """Replace a highlight's note; undo brings back the one it replaced."""

    highlight_id_: str
    new_note: str
    expected_version: int | None = None
    old_note: str = ""

    def __post_init__(self) -> None:
        self.label = "edit note"
        self.highlight_id = self.highlight_id_

    overwrote: bool = False
    """Written from the queue over a note someone else changed meanwhile (undo brings theirs back)."""

    def apply(self, db):
        current = store_highlights.get_highlight(db, self.highlight_id_)
        self.old_note = current.note
        self.source_id = current.source_id
        store_highlights.set_note(db, self.highlight_id_, self.new_note, expected_version=self.expected_version)
        # Later redos start from whatever is stored then, not the first editor's version.
        self.expected_version = None

    def apply_queued(self, db):
        """Applied from the queue, after the editor closed: the typed note must not be lost,
        so a note changed elsewhere meanwhile is replaced (old_note keeps it for undo)."""
        try:
            self.apply(db)
        except Conflict:
            self.expected_version = None
            self.overwrote = True
            self.apply(db)

    def revert(self, db):
        store_highlights.set_note(db, self.highlight_id_, self.old_note)


@dataclass
class CreateLink(Change):
    """Link one highlight to another with a relation (and a note)."""

    from_id: str
    to_id: str
    relation: str = store_links.DEFAULT_RELATION
    note: str = ""
    author: str = ""
    _link: Link | None = None

    def __post_init__(self) -> None:
        self.label = f"link ({self.relation})"
        self.highlight_id = self.from_id

    def apply(self, db):
        if self._link is None:
            self._link = store_links.create_link(
                db, self.from_id, self.to_id, relation=self.relation, note=self.note, author=self.author
            )
        else:
            store_links.restore_link(db, self._link)
        self.source_id = store_highlights.get_highlight(db, self.from_id).source_id

    def revert(self, db):
        store_links.delete_link(db, self._link.id)

    def touched(self) -> list[str] | None:
        return [self.from_id, self.to_id]


@dataclass
class DeleteLink(Change):
    """Delete a link; undo restores it with its id."""

    link_id: str
    _link: Link | None = None

    def __post_init__(self) -> None:
        self.label = "delete link"

    def apply(self, db):
        self._link = store_links.delete_link(db, self.link_id)
        self.highlight_id = self._link.from_id

    def revert(self, db):
        store_links.restore_link(db, self._link)

    def touched(self) -> list[str] | None:
        return [self._link.from_id, self._link.to_id] if self._link is not None else None


@dataclass
class RenameTag(Change):
    """Rename a tag everywhere it is used."""

    old: str
    new: str

    def __post_init__(self) -> None:
        self.label = f"rename tag {self.old} → {self.new}"

    def apply(self, db):
        self.new = store_tags.rename_tag(db, self.old, self.new).name

    def revert(self, db):
        store_tags.rename_tag(db, self.new, self.old)


@dataclass
class MergeTags(Change):
    """Move every use of one tag to another and delete the first; undo splits them again."""

    source: str
    into: str
    _result: store_tags.MergeResult | None = None

    def __post_init__(self) -> None:
        self.label = f"merge tag {self.source} into {self.into}"

    def apply(self, db):
        self._result = store_tags.merge_tags(db, self.source, self.into)

    def revert(self, db):
        store_tags.unmerge_tags(db, self._result)


@dataclass
class DeleteTag(Change):
    """Delete a tag from every highlight; undo puts it back where it was."""

    name: str
    _snapshot: store_tags.TagSnapshot | None = None

    def __post_init__(self) -> None:
        self.label = f"delete tag {self.name}"

    def apply(self, db):
        self._snapshot = store_tags.delete_tag(db, self.name)

    def revert(self, db):
        store_tags.restore_tag(db, self._snapshot)


@dataclass
class EditTag(Change):
    """Recolour or re-describe a tag."""

    name: str
    color: str | None = None
    description: str | None = None
    _before: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        self.label = f"edit tag {self.name}"

    def apply(self, db):
        tag = store_tags.get_tag(db, self.name)
        self._before = (tag.color, tag.description)
        if self.color is not None:
            store_tags.recolor_tag(db, self.name, self.color)
        if self.description is not None:
            store_tags.describe_tag(db, self.name, self.description)

    def revert(self, db):
        color, description = self._before
        store_tags.recolor_tag(db, self.name, color)
        store_tags.describe_tag(db, self.name, description)


@dataclass
class CreateTag(Change):
    """A new tag (the tags screen's `n`); undo deletes it, redo brings back the same id."""

    name: str
    color: str | None = None
    description: str = ""
    _snapshot: store_tags.TagSnapshot | None = None

    def __post_init__(self) -> None:
        self.label = f"create tag {self.name}"

    def apply(self, db):
        if self._snapshot is not None:
            store_tags.restore_tag(db, self._snapshot)
            return
        # create_tag returns an existing tag unchanged; undoing that would delete a tag
        # this change never made, so refuse instead.
        existing = store_tags.find_tag(db, self.name)
        if existing is not None:
            raise store_tags.StoreError(f"a tag named {existing.name!r} exists already")
        self.name = store_tags.create_tag(db, self.name, color=self.color, description=self.description).name

    def revert(self, db):
        self._snapshot = store_tags.delete_tag(db, self.name)


@dataclass
class MoveAnchor(HighlightChange):
    """Accept a fuzzy anchor where it is (no offsets), or re-attach a highlight to
    text[start:end]; undo puts back the offsets, quote and status it had."""

    highlight_id_: str
    start: int | None = None
    end: int | None = None
    _before: store_reanchor.AnchorState | None = None

    def __post_init__(self) -> None:
        self.label = "accept anchor" if self.start is None else "re-attach highlight"
        self.highlight_id = self.highlight_id_

    def apply(self, db):
        if self.start is None or self.end is None:
            before = store_reanchor.anchor_state(db, self.highlight_id_)
            store_reanchor.accept_fuzzy(db, self.highlight_id_)
        else:
            before = store_reanchor.reattach(db, self.highlight_id_, self.start, self.end)
        self._before = before
        self.source_id = before.source_id

    def revert(self, db):
        store_reanchor.restore_anchor(db, self._before)

