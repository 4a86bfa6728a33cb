"""citeproc-py behind three calls: register a citation, render it, render the reference list.

Imported only when a brief is cited in a style (exports.citations defers it): citeproc-py and
the lxml it loads cost ~0.4 s to import (python -X importtime), and the app's start path
reaches exports.citations through the export dialog (tests/test_start_path.py).
"""

from __future__ import annotations

import warnings
from importlib.resources import as_file, files

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON


class Engine:
    """One style, one brief's CSL items, its citations in the order they were registered."""

    def __init__(self, style_name: str, items: list[dict]) -> None:
        """
        Args:
            style_name: a CSL file in exports/styles.
            items: CSL-JSON items, each with an `id` (the citation key).
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns of CSL features it skips
            with as_file(files("postil.exports").joinpath("styles", style_name)) as path:
                style = CitationStylesStyle(str(path), validate=False)
            self.bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)

    def register(self, key: str, locator: tuple[str, str] | None = None) -> Citation:
        """A citation of `key` (at `locator`: CSL label and value), numbered and disambiguated in turn."""
        item = CitationItem(key, locator=Locator(*locator)) if locator else CitationItem(key)
        citation = Citation([item])
        self.bibliography.register(citation)
        return citation

    def cite(self, citation: Citation) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(self.bibliography.cite(citation, lambda item: None))

    def references(self) -> list[str]:
        """The reference list, one entry per line of plain text, in the style's order."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [" ".join(str(entry).split()) for entry in self.bibliography.bibliography()]
