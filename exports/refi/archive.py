"""The `.qdpx` ZIP: written flat (`project.qde` and a lower-case `sources/`), read with limits.

A `.qdpx` comes from someone else, so reading never extracts anything to disk and refuses,
before reading any member:
- more than MAX_MEMBERS members, or two with the same name;
- a member name that is absolute, has a drive letter, `..`, a NUL or a backslash path that
  would leave the archive's folder (zip slip);
- a member over MAX_MEMBER bytes, members over MAX_TOTAL bytes together, an entry
  compressed more than MAX_RATIO times (a ZIP bomb), an encrypted entry.
Each member is then read with its declared size as a hard limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 10_000
MAX_MEMBER = 256 * 1024 * 1024
MAX_TOTAL = 1024 * 1024 * 1024
MAX_RATIO = 200
"""Text deflates ~3-10 times; a long run of one character ~1000 times, as bombs do."""
RATIO_FLOOR = 1024 * 1024
"""Members smaller than this are never refused for their ratio (tiny files compress oddly)."""
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveRefused(ValueError):
    """A `.qdpx` that is not a ZIP we read; the message is one line naming the file."""


def write_qdpx(project_xml: bytes, texts: dict[str, bytes]) -> bytes:
    """The archive's bytes: `project.qde` first, then each source text (fixed member times,
    so the same project gives the same file)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", project_xml), *sorted(texts.items())]:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def safe_name(name: str) -> str | None:
    """The member's path inside the archive, normalised ("/" separators), or None if it
    would leave the archive's folder."""
    if "\x00" in name:
        return None
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return None
    parts = [p for p in PurePosixPath(unified).parts if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


class Archive:
    """An opened `.qdpx`: members looked up case-insensitively, read within limits."""

    def __init__(self, path: str | Path) -> None:
        self.label = str(path)
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
            raise ArchiveRefused(f"{self.label}: not a .qdpx (not a ZIP archive: {error})") from None
        except OSError as error:
            raise ArchiveRefused(f"{self.label}: cannot read ({error.strerror or error})") from None
        try:
            self.members = self._check(self._zip.infolist())
        except ArchiveRefused:
            self._zip.close()
            raise

    def _check(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > MAX_MEMBERS:
            raise ArchiveRefused(f"{self.label}: refused: {len(infos)} members (at most {MAX_MEMBERS})")
        members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = safe_name(info.filename)
            if name is None:
                raise ArchiveRefused(f"{self.label}: refused: member {info.filename[:80]!r} points outside the archive")
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise ArchiveRefused(f"{self.label}: refused: member {name!r} is encrypted")
            if info.file_size > MAX_MEMBER:
                raise ArchiveRefused(f"{self.label}: refused: member {name!r} unpacks to {info.file_size} bytes "
                                     f"(at most {MAX_MEMBER})")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise ArchiveRefused(f"{self.label}: refused: member {name!r} is compressed "
                                     f"{info.file_size // max(1, info.compress_size)} times (a ZIP bomb?)")
            total += info.file_size
            if total > MAX_TOTAL:
                raise ArchiveRefused(f"{self.label}: refused: members unpack to more than {MAX_TOTAL} bytes")
            key = name.casefold()
            if key in members:
                raise ArchiveRefused(f"{self.label}: refused: two members named {name!r}")
            members[key] = info
        return members

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member at `name` (any case: some tools write `Sources/`)."""
        key = safe_name(name)
        return self.members.get(key.casefold()) if key else None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, never more than it declares."""
        try:
            with self._zip.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise ArchiveRefused(f"{self.label}: member {info.filename[:80]!r} is damaged ({error})") from None
        if len(data) > info.file_size:
            raise ArchiveRefused(f"{self.label}: refused: member {info.filename[:80]!r} is larger than it declares")
        return data

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
