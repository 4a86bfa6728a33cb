"""Writing an export to disk safely: slugified names, atomic writes, no symlink surprises.

- A name built from a title is slugified (letters and digits of any script, `-` between
  words), so it can never hold a path separator or `..` and never starts with `-` or `.`.
- The file is written to a temporary file created exclusively (O_EXCL) in the target folder,
  flushed and fsynced, then moved into place: a crash leaves the old file or the new one,
  never half of either.
- Without `force` the move is a hard link (`os.link`), which fails if anything, even a
  dangling symlink, already has the name: no check-then-write race. With `force`, `os.replace`
  swaps the directory entry itself, so a symlink planted at the name is replaced, not followed.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

MAX_SLUG = 80
MAX_SLUG_BYTES = 200
"""Most file systems cap a name at 255 bytes; 80 four-byte letters would pass that."""
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
"""Names Windows opens as devices whatever the extension (`con.md` is the console)."""
EXTENSIONS = {"md": ".md", "pandoc": ".md", "csv": ".csv", "json": ".json", "w3c": ".jsonld", "qdpx": ".qdpx", "qdc": ".qdc"}


class ExportPathError(Exception):
    """The export cannot be written where asked; the message says why and what to do."""


def slugify(title: str, fallback: str = "brief") -> str:
    """A file-name stem from a title: `"Caveats: durability (2026)"` -> `"caveats-durability-2026"`.

    Unicode letters and digits are kept (NFKC-normalised, lower-cased); everything else
    separates words. Never empty, never starts with `-` or `.`, at most MAX_SLUG characters
    and MAX_SLUG_BYTES bytes, never a Windows device name (`con` becomes `con-brief`).
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    words = re.findall(r"[^\W_]+", text)
    slug = "-".join(words)[:MAX_SLUG]
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = slug[:-1]
    slug = slug.strip("-.")
    if slug in WINDOWS_DEVICES:
        slug = f"{slug}-{fallback}"
    return slug or fallback


def default_path(folder: Path, title: str, fmt: str) -> Path:
    """Where an export goes when no -o is given: a slug of the title in `folder`."""
    name = slugify(title) + EXTENSIONS.get(fmt, "." + fmt)
    path = folder / name
    # A slug has no separators, but check anyway: a name from a title never leaves the folder.
    if path.parent != folder or name in (".", ".."):
        raise ExportPathError(f"refusing file name {name!r}: it would leave {folder}")
    return path


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> Path:
    """Write `text` (UTF-8) to `path` atomically (see `write_bytes_atomic`)."""
    return write_bytes_atomic(path, text.encode("utf-8"), force=force)


def write_bytes_atomic(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write `data` to `path` atomically.

    Raises:
        ExportPathError: the name exists and `force` is off, the folder is missing, or the
            disk refused; nothing is left behind in either case.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportPathError(f"{folder}: no such folder")
    if os.path.isdir(path) and not os.path.islink(path):
        raise ExportPathError(f"{path}: is a folder; give a file name")
    if os.path.lexists(path) and not force:
        raise ExportPathError(f"{path} already exists; use --force to replace it")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".postil-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ExportPathError(f"{folder}: cannot write here ({error.strerror})") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644 & ~_umask())
        if force:
            os.replace(tmp_name, path)
        else:
            _link_no_clobber(tmp_name, path)
    except FileExistsError as error:
        _discard(tmp_name)
        raise ExportPathError(f"{path} already exists; use --force to replace it") from error
    except OSError as error:
        _discard(tmp_name)
        raise ExportPathError(f"{path}: cannot write ({error.strerror or error})") from error
    _sync_folder(folder)
    return path


def _link_no_clobber(tmp_name: str, path: Path) -> None:
    try:
        os.link(tmp_name, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links: fall back to a checked rename.
        if os.path.lexists(path):
            raise FileExistsError(path) from None
        os.replace(tmp_name, path)
        return
    os.unlink(tmp_name)


def _discard(tmp_name: str) -> None:
    try:
        os.unlink(tmp_name)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself survives a crash (POSIX only)."""
    if sys.platform.startswith("win"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def output_target(output: str | None, title: str, fmt: str, folder: Path | None = None) -> Path | None:
    """Resolve `-o`: None for stdout (`-`), the given path, or the slug of the title in `folder`.

    A given path is the user's own choice and used as is (a name starting with `-` works,
    e.g. `-o ./-notes.md`); only names built from titles are slugified and confined.
    """
    if output == "-":
        return None
    if output:
        return Path(output)
    return default_path(folder or Path.cwd(), title, fmt)
