"""The table of hostile inputs for `postil add`: what each file is and what a user should see.

Shared by tests/test_hostile_inputs.py (the command line) and tests/test_hostile_app.py (the
app draws every imported one). Each case builds its own file (or folder, or database) in a
temporary folder; `expect` is the outcome the user is promised:

- "imported": exit 0, one stdout line for the source, nothing on stderr;
- "warned":   exit 0, imported, and a "postil: <file>: warning: ..." line naming the file;
- "refused":  exit 1, one "postil: ..." line naming the file (or the database), nothing stored.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls other than newline and tab, DEL, and C1 controls (ESC is \\x1b, CSI \\x9b)."""

MARKUP = "[@click=app.quit]quit[/] [bold]x[/] [/] [red]red[/red]"


@dataclass
class Case:
    """One hostile input."""

    id: str
    name: str
    """File (or folder) name inside the case's folder."""
    make: Callable[[Path], None]
    """Create the input at the given path."""
    expect: str
    """"imported", "warned" or "refused"."""
    says: str = ""
    """Words the warning or refusal must contain."""
    keeps: tuple[str, ...] = ()
    """Text the stored reading text must hold (decoded right, markup kept literally)."""
    drops: tuple[str, ...] = ()
    """Text that must not survive into the stored reading text (escape payloads)."""
    names_db: bool = False
    """The refusal names the database file instead of the input file."""
    slow: bool = False
    extra: dict = field(default_factory=dict)


def data(content: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(content)

    return make


def text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return data(content.encode(encoding))


def big(build: Callable[[], str]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text(build(), encoding="utf-8")

    return make


def folder(*files: tuple[str, bytes]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.mkdir()
        for name, content in files:
            (path / name).write_bytes(content)

    return make


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8
HTML_ENTITIES = (
    "<html><head><title>Entity &#27;[31mtitle&#x9b;0m</title></head><body>"
    "<h1>Entity &#27;[31mheading</h1>"
    "<p>First paragraph &#27;[2J with an erase-screen and an OSC 52 &#27;]52;c;aGVsbG8=&#7; "
    "clipboard write, long enough for the extractor to keep it as article text.</p>"
    "<p>Second paragraph with an 8-bit CSI &#x9b;31m and &#155;0m, and a NUL &#0; entity, "
    "which should all be gone from the reading text.</p></body></html>"
)


def _nested_lists() -> str:
    return "\n".join("  " * i + "- x" for i in range(5000))


CASES: list[Case] = [
    # --- binary ------------------------------------------------------------------------
    Case("binary-elf", "program", data(ELF), "refused", "binary"),
    Case("png-named-txt", "photo.txt", data(PNG), "refused", "binary"),
    Case("nul-bytes", "nul.txt", data(b"Text with\x00a NUL\x00byte in it.\n" * 20), "refused", "NUL"),
    # --- encodings ---------------------------------------------------------------------
    Case(
        "invalid-utf8", "broken.txt",
        data("Invalid UTF-8 café\n\nCafé olé, naïve ".encode() + b"\xff\xfe broken" + " end".encode()),
        "warned", "invalid UTF-8", keeps=("café", "naïve", "\ufffd"),
    ),
    Case(
        "utf8-more-broken-bytes-than-accents", "mostly-utf8.txt",
        data("Mostly UTF-8\n\ncafé —".encode() + b" \xff\xfe\xfd\xfc end\n"),
        "warned", "invalid UTF-8", keeps=("café —", "\ufffd\ufffd\ufffd\ufffd end"), drops=("Ã", "â€"),
    ),
    Case(
        "windows-1252", "cp1252.txt", text("“Smart” café — €5\n\nRésumé body.\n", "cp1252"),
        "warned", "Windows-1252", keeps=("“Smart” café — €5", "Résumé"),
    ),
    Case(
        "utf16-le-bom", "le.txt", text("\ufeffLittle endian 文字\r\n\r\nBody ü.\r\n", "utf-16-le"),
        "imported", keeps=("Little endian 文字\n\nBody ü.",),
    ),
    Case(
        "utf16-be-bom", "be.txt", text("\ufeffBig endian 文字\r\n\r\nBody ü.\r\n", "utf-16-be"),
        "imported", keeps=("Big endian 文字\n\nBody ü.",),
    ),
    Case(
        "line-ending-mixture", "endings.txt",
        text("Endings\r\n\r\none\rtwo\r\nthree\u2028four\u2029five\x85six\nend"),
        "imported", keeps=("one\ntwo\nthree\nfour", "six\nend"), drops=("\r", "\u2028", "\u2029"),
    ),
    # --- escape sequences --------------------------------------------------------------
    Case(
        "ansi-csi", "ansi.txt", text("Colours \x1b[31mred\x1b[0m\n\n\x1b[2J\x1b[Hcleared screen\n"),
        "imported", keeps=("red", "cleared screen"), drops=("[31m", "[2J"),
    ),
    Case(
        "osc-52", "osc52.md",
        text("# Clipboard\n\nbefore \x1b]52;c;aGVsbG8=\x07 middle \x1b]52;c;d29ybGQ=\x1b\\ after\n"),
        "imported", keeps=("before", "after"), drops=("52;c", "aGVsbG8", "d29ybGQ"),
    ),
    Case(
        "c1-controls", "c1.txt", text("C1 \u009b31mred\u009d0;title\u009c and \u0085next \u0090dcs\u009c\n"),
        "imported", keeps=("red",), drops=("31m", "0;title"),
    ),
    Case(
        "osc-8-and-title", "osc8.html",
        text("<html><head><title>\x1b]0;pwned\x07Page</title></head><body><p>Click "
             "\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ for a long paragraph of article text "
             "that the extractor keeps.</p></body></html>"),
        "imported", keeps=("here",), drops=("evil.example", "pwned"),
    ),
    Case(
        "html-entity-escapes", "entities.html", text(HTML_ENTITIES),
        # The entities decode to ESC and CSI, which are removed; the rest of each sequence is
        # harmless visible text.
        "imported", keeps=("First paragraph", "Second paragraph"),
    ),
    # --- text that looks like markup or reorders itself ------------------------------------
    Case(
        "markup-txt", "markup.txt", text(f"{MARKUP}\n\nBody {MARKUP} end.\n"),
        "imported", keeps=(MARKUP,),
    ),
    Case(
        "markup-md", "markup.md", text(f"# {MARKUP}\n\nBody \\[bold]x\\[/] and {MARKUP}.\n"),
        "imported", keeps=("[@click=app.quit]quit[/]", "[bold]x[/]"),
    ),
    Case(
        "bidi-override", "bidi.txt", text("Invoice\n\nfile\u202egnp.exe and \u2066isolate\u2069 \u200fmark\n"),
        "imported", keeps=("file\u202egnp.exe",),
    ),
    Case(
        "zero-width", "zw.txt", text("Zero\u200bwidth\n\njo\u200dined \u2060word\ufeffjoiner \u00adsoft\n"),
        "imported", keeps=("Zero\u200bwidth",),
    ),
    # --- size ----------------------------------------------------------------------------
    Case(
        "two-mb-line", "long.txt", big(lambda: ("word " * 420_000).strip()),
        "imported", keeps=("word word",), slow=True,
    ),
    Case(
        "300k-lines", "many.txt", big(lambda: "\n".join(f"line {i}" for i in range(300_000))),
        "imported", keeps=("line 299999",), slow=True,
    ),
    # --- pathological Markdown -------------------------------------------------------------
    Case("nested-brackets", "brackets.md", big(lambda: "[" * 5000 + "x" + "]" * 5000), "imported", keeps=("x",)),
    Case("nested-quotes", "quotes.md", big(lambda: "> " * 5000 + "deep"), "warned", "plain text", keeps=("deep",)),
    Case("list-markers", "lists.md", big(lambda: "- " * 5000 + "x"), "warned", "plain text", keeps=("x",)),
    # Nesting the parser follows (it used to stop at 20 levels and drop the rest unsaid).
    Case(
        "quotes-25-deep", "d.md", text("First.\n\n" + "> " * 25 + "deep quote text\n\nAfter.\n"),
        "imported", keeps=("First.", "deep quote text", "After."),
    ),
    Case("only-a-deep-quote", "q.md", text("> " * 30 + "the only text\n"), "imported", keeps=("the only text",)),
    Case(
        "lists-12-deep", "l.md", text("First.\n\n" + "".join("  " * i + f"- item{i}\n" for i in range(12))),
        "imported", keeps=tuple(f"item{i}" for i in range(12)),
    ),
    # Nesting deeper than the parser follows: every word is kept as plain text, and said.
    Case(
        "lists-50-deep-by-indent", "l50.md",
        text("First.\n\n" + "".join("  " * i + f"- item{i}\n" for i in range(50)) + "\nAfter.\n"),
        "warned", "plain text", keeps=("item0", "item49", "After."),
    ),
    Case("indented-lists", "indent.md", big(_nested_lists), "warned", "plain text", keeps=("x",)),
    # --- names ---------------------------------------------------------------------------
    Case("leading-dash", "-rf --help.txt", text("Dash name\n\nbody\n"), "imported", keeps=("Dash name",)),
    Case("spaces-unicode", "ñandú 文字 ☃ x.md", text("# Unicode name\n\nbody\n"), "imported", keeps=("Unicode name",)),
    Case("newline-in-name", "bad\nname.txt", text("Newline name\n\nbody\n"), "imported", keeps=("Newline name",)),
    Case("escape-in-name", "e\x1b[31m\x1b]52;c;eA==\x07.txt", text("Escape name\n\nbody\n"), "imported"),
    # No heading: the title comes from the file name, markup and all.
    Case("markup-name", "[@click=app.quit]x[b]y.txt", text("body text " * 30), "imported", keeps=("[b]y",)),
    Case("markup-name-empty", "[@click=app.bell][red]z.md", text(""), "refused", "empty"),
    # --- nothing to read -----------------------------------------------------------------
    Case("empty-file", "empty.txt", text(""), "refused", "empty"),
    Case("only-escapes", "escapes.txt", text("\x1b[31m\x1b[0m\n\x1b]52;c;eA==\x07\n"), "refused", "no readable text"),
    Case("empty-folder", "folder", folder(("image.png", PNG)), "refused", "no importable files"),
    Case(
        "mixed-folder", "mixed", folder(("good.md", b"# Good one\n\nbody\n"), ("image.png", PNG)),
        "imported", keeps=("Good one",),
    ),
    # --- the database itself ---------------------------------------------------------------
    Case("newer-database", "a.txt", text("Another\n\nbody\n"), "refused", "newer postil", names_db=True,
         extra={"db": "newer"}),
    Case("corrupt-database", "a.txt", text("Another\n\nbody\n"), "refused", "not a usable postil database",
         names_db=True, extra={"db": "corrupt"}),
]


def spoil_database(db_path: Path, how: str) -> None:
    """Turn a good database into one from a newer postil, or into garbage."""
    if how == "newer":
        conn = sqlite3.connect(db_path)
        conn.execute("PRAGMA user_version = 99")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the main file, to compare bytes
        conn.close()
    elif how == "corrupt":
        size = db_path.stat().st_size
        db_path.write_bytes(b"SQLite format 3\x00" + b"\xde\xad\xbe\xef" * (size // 4))
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)


def can_name(folder_path: Path, name: str) -> bool:
    """Whether the file system takes this file name (a newline or ESC in a name may not be)."""
    try:
        probe = folder_path / name
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except (OSError, ValueError):
        return False
