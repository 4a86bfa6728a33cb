"""Dialogs on small terminals: below a size, their fields and lists drop their borders.

A bordered Input, RadioSet or OptionList costs two rows; at 80x24 the link picker's list of
candidates had no rows left at all. Textual's `compact` style draws the same widget in its
content rows alone, and the screen gets the class `-compact` for its own TCSS to use.
"""

from __future__ import annotations

from textual.screen import Screen

COMPACT_BELOW = (90, 30)
"""Columns and rows under which a dialog goes compact (80x24 and 60x24 both do)."""


def fit_to_size(screen: Screen, selector: str = "Input, RadioSet, OptionList, Checkbox") -> None:
    """Make the widgets matching `selector` compact when the terminal is smaller than COMPACT_BELOW.

    Call it on mount and on resize: a screen pushed onto an app that was resized before
    gets no Resize event of its own. The app's size is the terminal's (a screen's own size
    is not laid out yet on mount).
    """
    width, height = screen.app.size
    compact = width < COMPACT_BELOW[0] or height < COMPACT_BELOW[1]
    for widget in screen.query(selector):
        widget.compact = compact
    screen.set_class(compact, "-compact")
