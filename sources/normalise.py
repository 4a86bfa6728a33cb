"""Bytes to clean text: binary sniffing, decoding, and the text rules every format shares.

The rules, in the order they are applied:

1. Refuse binary data: a known file signature (PNG, ELF, ZIP, ...) or any NUL byte outside
   a UTF-16/UTF-32 file with a byte order mark (git's rule for "is this binary").
2. Decode: a BOM decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); otherwise UTF-8. Bytes that are
   not valid UTF-8 are never fatal: when the file holds valid multi-byte UTF-8 (and not
   many times more broken sequences than that) only the broken bytes become U+FFFD, with a
   warning saying how many and at which lines and columns; otherwise the file is clearly
   Windows-1252 and is read as such with the warning "decoded as Windows-1252".
3. `clean`: CRLF, CR, NEL, VT, FF and U+2028 become a newline, U+2029 a blank line; ANSI
   CSI/OSC/DCS escape sequences (7-bit and 8-bit forms, BEL or ST terminated) are removed
   whole, then every other C0/C1 control except newline and tab; finally Unicode NFC.
   Bidi and zero-width characters are kept: `sanitise.for_display` makes them visible.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata

from postil.sources.errors import SourceError

# Signatures of common non-text files; checked before anything else so the message can
# say what the file probably is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O or Java class file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly module"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"ID3", "MP3 audio"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
)
# Signatures that are also plausible as the start of a text file ("BZh", "ID3", "MZ"):
# only believed when the file holds binary bytes as well.
_WEAK = {"bzip2 archive", "MP3 audio"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_binary(data: bytes) -> str | None:
    """Say what kind of binary data `data` looks like, or None when it may be text.

    Args:
        data: the raw bytes of a file.

    Returns:
        A short description ("PNG image", "contains NUL bytes") or None.
    """
    if _bom_encoding(data):
        return None
    has_nul = b"\x00" in data
    for magic, what in _MAGIC:
        if data.startswith(magic) and (what not in _WEAK or has_nul):
            return what
    if data.startswith(b"MZ") and has_nul:
        return "Windows executable"
    if data.startswith((b"RIFF",)) and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    if has_nul:
        return "contains NUL bytes"
    return None


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode(data: bytes, name: str = "source") -> tuple[str, list[str]]:
    """Decode raw bytes to a str, never failing on the encoding.

    Args:
        data: the raw bytes (binary data should have been refused by `sniff_binary`).
        name: used only in error messages.

    Returns:
        The decoded text (BOM removed) and a list of warnings for the user.
    """
    encoding = _bom_encoding(data)
    if encoding:
        body = data[len(_bom_for(encoding)) :]
        text = body.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad:
            return text, [f"{bad} invalid {encoding.upper()} sequence(s) replaced with \ufffd"]
        return text, []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    text, broken = _decode_utf8_marking(data)
    good = sum(1 for ch in _NON_ASCII.findall(text) if ch != "\ufffd")
    if good and len(broken) <= _CP1252_RATIO * good:
        # UTF-8 with some broken bytes (a truncated download, one bad paste): only those
        # bytes are replaced; reading it all as Windows-1252 would garble every good
        # character ("café —" would become "cafÃ© â€”").
        return text, [
            f"{len(broken)} invalid UTF-8 byte sequence(s) replaced with \ufffd, at {_places(data, broken)}"
        ]
    # cp1252 leaves five bytes undefined; "replace" makes them U+FFFD instead of failing.
    return data.decode("cp1252", errors="replace"), ["not valid UTF-8: decoded as Windows-1252"]


_CP1252_RATIO = 8
"""Broken sequences per valid multi-byte UTF-8 character above which the file is Windows-1252.

In genuine Windows-1252 text a valid UTF-8 sequence only happens by coincidence (a lead byte
such as "ß" followed by a punctuation byte such as "”"), far more rarely than its lone
accented letters, each of which is a broken UTF-8 sequence.
"""

_SHOWN_PLACES = 5
"""How many places of broken bytes a warning names before it counts the rest."""

_broken_starts = threading.local()


def _mark_broken(error: UnicodeDecodeError) -> tuple[str, int]:
    _broken_starts.found.append(error.start)
    return "\ufffd", error.end


codecs.register_error("postil-mark-broken", _mark_broken)


def _decode_utf8_marking(data: bytes) -> tuple[str, list[int]]:
    """UTF-8 with U+FFFD for each invalid sequence, and the byte offset of each one."""
    _broken_starts.found = []
    try:
        return data.decode("utf-8", errors="postil-mark-broken"), _broken_starts.found
    finally:
        del _broken_starts.found


def _places(data: bytes, starts: list[int]) -> str:
    """ "line 3 columns 8 and 9; line 5 column 1 and 12 more": where broken bytes were."""
    lines: dict[int, list[int]] = {}
    for start in starts[:_SHOWN_PLACES]:
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        lines.setdefault(line, []).append(column)
    parts = []
    for line, columns in lines.items():
        if len(columns) == 1:
            parts.append(f"line {line} column {columns[0]}")
        else:
            listed = ", ".join(map(str, columns[:-1])) + f" and {columns[-1]}"
            parts.append(f"line {line} columns {listed}")
    rest = len(starts) - _SHOWN_PLACES
    return "; ".join(parts) + (f" and {rest} more" if rest > 0 else "")


def _bom_for(encoding: str) -> bytes:
    return next(bom for bom, enc in _BOMS if enc == encoding)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# --- cleaning ---------------------------------------------------------------------------

_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028]")
# Whole escape sequences first, so their printable tails ("[31m") go with the ESC:
#   CSI: ESC [ or 0x9B, parameters, intermediates, one final byte.
#   OSC, DCS, SOS, PM, APC strings: ESC ] P X ^ _ (or 0x9D 0x90 0x98 0x9E 0x9F) up to BEL or
#   ST (ESC \ or 0x9C); an unterminated one runs to the end of the line, never further.
#   Other two-byte escapes: ESC followed by one byte in 0x20-0x7E.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str) -> str:
    """Apply the shared text rules (newlines, escape sequences, controls, NFC).

    Fast when there is nothing to do, so loaders may call it per block.
    """
    if _NEEDS_CLEANING.search(text):
        text = _NEWLINES.sub("\n", text).replace("\u2029", "\n\n")
        text = _ESCAPES.sub("", text)
        text = _CONTROLS.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def check_not_binary(data: bytes, name: str) -> None:
    """Raise SourceError naming the file when `data` is empty or looks binary."""
    if not data:
        raise SourceError(name, "file is empty")
    what = sniff_binary(data)
    if what:
        raise SourceError(name, f"looks like binary data ({what}), not text")
