"""The one keymap of the app: the main screen's bindings, the footer and the help screen all
come from the tables here, so what the help says is what the keys do.

Reader motions are bound by the reader widget itself; they are listed here (as `READER_KEYS`)
only to document them on the help screen.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding


class KeyEntry(NamedTuple):
    """One key of the main screen and what it does. (A named tuple, not a frozen dataclass:
    the keymap is read on the way to the first screen, and that class cost 0.5 ms to make.)"""

    keys: str
    """Textual key names, comma separated (e.g. "question_mark", "ctrl+b")."""
    action: str
    """The screen action it runs (without the "action_" prefix)."""
    description: str
    """What the footer, the help screen and the command palette call it."""
    group: str
    show: bool = False
    """Shown in the footer (the rest are on the help screen and in the palette)."""
    display: str | None = None
    """How the key is written for people, when its Textual name is not ("?" for question_mark)."""
    palette: bool = True
    """Offered in the command palette (digits are offered per tag instead)."""
    explain: str = ""
    """A longer description for the help screen and the palette (default: `description`)."""

    @property
    def long(self) -> str:
        return self.explain or self.description

    @property
    def help_key(self) -> str:
        """The key as the help screen writes it ("ctrl+r", not the footer's "^r")."""
        names = {"question_mark": "?", "slash": "/"}
        return " ".join(names.get(k, k) for k in self.keys.split(","))

    @property
    def shown_key(self) -> str:
        return self.display or self.keys.split(",")[0]

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show, key_display=self.display)


GLOBAL = "Global"
ANNOTATE = "Annotating"
READER = "Reader"
REVIEW = "Reviewing"

MAIN_KEYS: tuple[KeyEntry, ...] = (
    KeyEntry("question_mark", "help", "help", GLOBAL, show=True, display="?", explain="help: every key"),
    KeyEntry("ctrl+b", "toggle_library", "library", GLOBAL, explain="show or hide the library of sources"),
    KeyEntry("f", "search", "search", GLOBAL, show=True, explain="search highlights, notes and the sources' text"),
    KeyEntry("A", "add_source", "add file", GLOBAL, explain="add a file or folder to the library"),
    KeyEntry("o", "overview", "overview", GLOBAL, explain="overview: counts per tag and source"),
    KeyEntry("e", "export", "export", GLOBAL, explain="export a brief, CSV or JSON"),
    KeyEntry("T", "tags", "tags", GLOBAL, explain="tags screen: the codebook (rename, recolour, merge)"),
    KeyEntry("L", "claims", "claims", GLOBAL, explain="claims view: clusters of linked highlights"),
    KeyEntry("O", "orphans", "orphans", GLOBAL, explain="orphans view: highlights that lost or blurred their place"),
    KeyEntry("B", "record", "record", GLOBAL,
             explain="source record: title, authors, year, DOI... for citations (in the library: that source's)"),
    KeyEntry("M", "memo", "memo", GLOBAL, explain="source memo: summary, appraisal, design (in the library: that source's)"),
    KeyEntry("u", "undo", "undo", GLOBAL, show=True, explain="undo the last change (in any source)"),
    KeyEntry("ctrl+r", "redo", "redo", GLOBAL, display="^r", explain="redo what was undone"),
    KeyEntry("ctrl+o", "back", "back", GLOBAL, display="^o", explain="go back after following a link"),
    KeyEntry("q", "quit", "quit", GLOBAL, show=True, explain="quit (everything is saved already)"),
    KeyEntry("t", "tag_picker", "tag…", ANNOTATE, show=True, explain="tag picker: any tag, or type a new one"),
    KeyEntry("c", "note", "note", ANNOTATE, show=True, explain="write a note (ctrl+s saves, escape asks)"),
    KeyEntry("x", "delete", "delete", ANNOTATE, show=True, explain="delete the highlight under the cursor"),
    KeyEntry("l", "link", "link", ANNOTATE, show=True, explain="link this highlight to another"),
    KeyEntry("enter", "follow", "follow link", ANNOTATE, display="⏎", explain="follow the highlight's link"),
    KeyEntry("a", "accept_fuzzy", "accept anchor", ANNOTATE, explain="accept a fuzzy anchor where it now is (u undoes)"),
    KeyEntry("r", "reattach", "re-attach", ANNOTATE,
             explain="re-attach a fuzzy or orphaned highlight to the selection (r first, then select, then r)"),
    KeyEntry("slash", "find", "find", READER, show=True, display="/", explain="find in this source (enter accepts)"),
    KeyEntry("n", "find_next", "next match", READER),
    KeyEntry("N", "find_previous", "previous match", READER),
    KeyEntry("R", "reviewers", "reviewers", REVIEW,
             explain="reviewers: show everyone's highlights, only mine, or one reviewer's (cycles)"),
    KeyEntry("D", "done", "done", REVIEW,
             explain="done: mark my coding of this source done (again: not done); blind mode then shows the others"),
    KeyEntry("K", "agreement", "agreement", REVIEW,
             explain="agreement: percent, Cohen's kappa, Krippendorff's alpha per tag and source"),
    KeyEntry("C", "reconcile", "reconcile", REVIEW,
             explain="reconcile: decide where reviewers differ (keep, merge, drop) into consensus highlights"),
)
"""Keys bound on the main screen (digits are added per tag by `digit_bindings`)."""

OTHER_GLOBAL_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "command palette (every action)"),
    ("tab", "focus the annotation pane (shift+tab back)"),
    ("1 … 9", "new highlight from the selection, or toggle the tag"),
)

READER_KEYS: tuple[tuple[str, str], ...] = (
    ("h j k  ← ↓ ↑ →", "move the cursor (l is link)"),
    ("w b", "next / previous word (selecting: w ends on a word's end)"),
    ("( )", "previous / next sentence"),
    ("{ }", "previous / next paragraph"),
    ("g G  home end", "start / end of the source"),
    ("pageup pagedown space", "page up / down"),
    ("ctrl+d ctrl+u", "half page down / up"),
    ("[ ]", "previous / next highlight"),
    ("v", "start / end a visual selection"),
    ("escape", "cancel the selection"),
    ("s", "select the sentence under the cursor"),
    ("p", "select the paragraph under the cursor"),
    ("mouse", "click places the cursor, drag selects"),
)

DIGITS = range(1, 10)


def main_bindings() -> list[Binding]:
    """The main screen's bindings; the footer names the digits after their tags
    (MainScreen.footer_label) and leaves out the digits no tag has."""
    bindings = [entry.binding() for entry in MAIN_KEYS]
    bindings += [Binding(str(d), f"tag_digit({d})", f"tag {d}") for d in DIGITS]
    return bindings


def digit_labels(tags) -> dict[int, str]:
    """{digit: tag name} for the tags that have a digit key."""
    return {tag.digit: tag.name for tag in tags if tag.digit is not None}
