"""Public entry points: load a file or bytes into a LoadedSource, and find files to import.

The format follows the file name: .md/.markdown are Markdown, .html/.htm HTML, .pdf PDF
(sources.pdf), anything else (.txt, no extension, .csv, ...) plain text. Every failure is a `SourceError` whose
message is one line naming the file: missing, a directory, empty, too large, binary data.
Bytes that are not valid UTF-8 are never refused: see `normalise.decode` (replacement
characters or Windows-1252, with a warning in `Document.warnings`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from postil.sources.document import Document, LoadedSource
from postil.sources.errors import SourceError
from postil.sources.metadata import record_from_front_matter, record_from_gutenberg
from postil.sources.normalise import check_not_binary, clean, decode
from postil.sources.offsets import build_offset_map
from postil.sources.plain import load_text

SUPPORTED_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
"""Extensions picked up when a folder is imported (explicit files load whatever theirs)."""

MAX_BYTES = 256 * 1024 * 1024
"""Larger files are refused rather than read into memory."""

WELCOME_ORIGIN = "postil:welcome"

_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def format_for(name: str | Path) -> str:
    """"markdown", "html", "pdf" or "text" for a file name, by its extension."""
    return _FORMATS.get(Path(str(name)).suffix.lower(), "text")


def load_path(path: str | Path, progress=None) -> LoadedSource:
    """Read and load one file.

    Args:
        path: the file; its extension decides the format.
        progress: for a long PDF, called as progress(pages read, pages) while it is read.

    Returns:
        The LoadedSource, with `origin` the resolved absolute path.

    Raises:
        SourceError: missing path, a directory, unreadable, too large, empty or binary.
    """
    shown = str(path)
    path = Path(path)
    try:
        if not path.exists():
            raise SourceError(shown, "no such file")
        if path.is_dir():
            raise SourceError(shown, "is a directory, not a file")
        if not path.is_file():
            raise SourceError(shown, "not a regular file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(shown, f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(shown, f"cannot read ({error.strerror or type(error).__name__})") from None
    return load_bytes(data, shown, origin=str(path.resolve()), progress=progress)


def load_bytes(data: bytes, name: str, origin: str | None = None, progress=None) -> LoadedSource:
    """Load a source from bytes already in memory.

    Args:
        data: the raw bytes.
        name: the file name (or path) as the user knows it; its extension decides the format.
        origin: where the bytes came from; defaults to `name`.

    Raises:
        SourceError: empty or binary data, or nothing readable in it; for a PDF, damaged,
            encrypted, too long or without a text layer.
    """
    if format_for(name) == "pdf":
        return _load_pdf_bytes(data, name, origin, progress)
    check_not_binary(data, name)
    text, warnings = decode(data, name)
    document = parse(text, name, warnings)
    if not document.blocks:
        raise SourceError(name, "no readable text in it")
    return LoadedSource(
        document=document,
        origin=origin if origin is not None else name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        offsets=build_offset_map(document.text, text),
    )


def _load_pdf_bytes(data: bytes, name: str, origin: str | None, progress=None) -> LoadedSource:
    # Imported when a PDF is read, like the other formats' parsers (see `parse`): pypdfium2
    # and PDFium's library cost ~40 ms (python -X importtime), which the app's start need not pay.
    from postil.sources.pdf import load_pdf

    if not data:
        raise SourceError(name, "empty file")
    sha256 = hashlib.sha256(data).hexdigest()
    loaded = load_pdf(data, name, progress, sha256=sha256)
    document = loaded.document
    document.title = tidy_title(document.title)
    if not document.blocks:
        raise SourceError(name, "no readable text in it")
    return LoadedSource(
        document=document,
        origin=origin if origin is not None else name,
        sha256=sha256,
        size=len(data),
        pages=loaded.pages,
        marks=loaded.marks,
        unplaced_marks=loaded.unplaced_marks,
    )


def parse(text: str, name: str, warnings: list[str] | None = None) -> Document:
    """Build a Document from decoded text, choosing the loader by `name`'s extension."""
    kind = format_for(name)
    # Each format's parser is imported when a file of that format is read, not with this
    # module, which the app imports at start: trafilatura and lxml cost ~230 ms, markdown-it
    # ~50 ms (python -X importtime), about as much as a bare Textual app's whole first screen.
    # The record a file declares: HTML's meta tags need lxml, so they come with its parser.
    if kind == "html":
        from postil.sources.html import load_html as loader
        from postil.sources.metadata_html import record_from_html as describe
    elif kind == "markdown":
        from postil.sources.markdown import load_markdown as loader

        describe = record_from_front_matter
    else:
        loader, describe = load_text, record_from_gutenberg
    document = loader(text, name, warnings)
    document.title = tidy_title(document.title)
    document.record = describe(text)
    return document


def tidy_title(title: str) -> str:
    """A title on one line, cleaned, at most 200 characters."""
    title = " ".join(clean(title).split())
    return title if len(title) <= 200 else title[:199].rstrip() + "…"


def collect_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[SourceError]]:
    """Expand what the user named into files to import.

    Folders are walked recursively for files with a supported extension, skipping hidden
    files and folders (and not following symlinked folders, which could loop); files named
    explicitly are kept whatever their extension. Missing paths and folders holding nothing
    importable become errors. Order is stable: as given, folder contents sorted.

    Returns:
        (files, errors)
    """
    files: list[Path] = []
    errors: list[SourceError] = []
    seen: set[Path] = set()

    def keep(candidate: Path) -> None:
        key = candidate.resolve()
        if key not in seen:
            seen.add(key)
            files.append(candidate)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _walk(path)
            if not found:
                errors.append(SourceError(str(given), "folder has no importable files (.txt .md .markdown .html .htm .pdf)"))
            for candidate in found:
                keep(candidate)
        elif path.exists():
            keep(path)
        else:
            errors.append(SourceError(str(given), "no such file or folder"))
    return files, errors


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_EXTENSIONS:
                continue
            candidate = Path(root) / name
            if candidate.is_file():
                found.append(candidate)
    return found


def welcome_guide() -> LoadedSource:
    """The built-in welcome guide (a Markdown source shipped with postil)."""
    data = files("postil.sources").joinpath("guide", "welcome.md").read_bytes()
    return load_bytes(data, "welcome.md", origin=WELCOME_ORIGIN)
