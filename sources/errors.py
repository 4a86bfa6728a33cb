"""The one error a loader raises: a problem with a source, said in one line."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A source could not be loaded.

    `str(error)` is a single line that names the file and the problem, ready to print
    to a user as it is: ``"notes/x.png: looks like binary data (PNG image), not text"``.
    """

    def __init__(self, name: str | Path, problem: str) -> None:
        self.name = str(name)
        """The file name or path the problem is about, as the user gave it."""
        self.problem = problem
        """What is wrong, without the name."""
        super().__init__(self.name, problem)

    def __str__(self) -> str:
        # Keep it on one line whatever the name holds: a newline in a file name must not
        # let a message pretend to be two messages.
        line = f"{self.name}: {self.problem}"
        return line.replace("\r", " ").replace("\n", " ")
