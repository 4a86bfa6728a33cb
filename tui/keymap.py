"""The one keymap of the app: the main screen's bindings, the footer and the help screen all
come from the tables here, so what the help says is what the keys do.

Reader motions are bound by the reader widget itself; they are listed here (as `READER_KEYS`)
only to document them on the help screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeyEntry:
    """One key of the main screen and what it does."""

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

    @property
    def shown_key(self) -> str:
        return self.display or self.keys.split(",")[0]

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show, key_display=self.display)


GLOBAL = "Global"
ANNOTATE = "Annotating"
READER = "Reader"

MAIN_KEYS: tuple[KeyEntry, ...] = (
    KeyEntry("question_mark", "help", "help", GLOBAL, show=True, display="?"),
    KeyEntry("ctrl+b", "toggle_library", "library", GLOBAL),
    KeyEntry("f", "search", "search", GLOBAL, show=True),
    KeyEntry("o", "overview", "overview", GLOBAL),
    KeyEntry("e", "export", "export", GLOBAL),
    KeyEntry("T", "tags", "tags screen", GLOBAL),
    KeyEntry("L", "claims", "claims view", GLOBAL),
    KeyEntry("O", "orphans", "orphans view", GLOBAL),
    KeyEntry("u", "undo", "undo", GLOBAL, show=True),
    KeyEntry("ctrl+r", "redo", "redo", GLOBAL, display="^r"),
    KeyEntry("ctrl+o", "back", "back", GLOBAL, display="^o"),
    KeyEntry("q", "quit", "quit", GLOBAL, show=True),
    KeyEntry("t", "tag_picker", "tag…", ANNOTATE, show=True),
    KeyEntry("c", "note", "note", ANNOTATE, show=True),
    KeyEntry("x", "delete", "delete", ANNOTATE, show=True),
    KeyEntry("l", "link", "link", ANNOTATE, show=True),
    KeyEntry("enter", "follow", "follow link", ANNOTATE, display="⏎"),
    KeyEntry("a", "accept_fuzzy", "accept fuzzy anchor", ANNOTATE),
    KeyEntry("slash", "find", "find", READER, show=True, display="/"),
    KeyEntry("n", "find_next", "next match", READER),
    KeyEntry("N", "find_previous", "previous match", READER),
)
"""Keys bound on the main screen (digits are added per tag by `digit_bindings`)."""

OTHER_GLOBAL_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "command palette (every action)"),
    ("tab", "focus the annotation pane (shift+tab back)"),
    ("1 … 9", "with a selection: new highlight with that tag; on a highlight: toggle the tag"),
)

READER_KEYS: tuple[tuple[str, str], ...] = (
    ("h j k l  ← ↓ ↑ →", "move the cursor"),
    ("w b", "next / previous word"),
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
    """The main screen's bindings; digits start hidden and are named once tags are known."""
    bindings = [entry.binding() for entry in MAIN_KEYS]
    bindings += [Binding(str(d), f"tag_digit({d})", f"tag {d}", show=False) for d in DIGITS]
    return bindings


def digit_labels(tags) -> dict[int, str]:
    """{digit: tag name} for the tags that have a digit key."""
    return {tag.digit: tag.name for tag in tags if tag.digit is not None}
