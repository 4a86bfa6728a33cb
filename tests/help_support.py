"""The help screen's whole text (also the rows scrolled out of view), as plain lines."""

from __future__ import annotations

import io

from rich.console import Console


def help_text(renderable, width: int) -> str:
    """`renderable` (the help grid) laid out `width` cells wide, as plain text."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()
