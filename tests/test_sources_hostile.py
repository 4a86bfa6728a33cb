"""Hostile input to the loaders: each case with the outcome a user should see.

Refused inputs raise SourceError with one line naming the file; everything else loads,
with no control character left in the reading text or title.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postil.sources.errors import SourceError
from postil.sources.load import load_bytes, load_path

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_clean(doc):
    """No control character (other than newline and tab) anywhere a terminal would see."""
    assert not CONTROL.search(doc.text)
    assert not CONTROL.search(doc.title)
    for block in doc.blocks:
        piece = doc.text[block.start : block.end]
        assert piece == piece.strip() and piece


def refused(data: bytes, name: str) -> str:
    with pytest.raises(SourceError) as caught:
        load_bytes(data, name)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(name + ": ")
    return message


# --- refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG image"),
        (b"\x7fELF\x02\x01\x01" + bytes(64), "ELF executable"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"PK\x03\x04\x14\x00" + bytes(30), "ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "Windows executable"),
        (bytes(range(256)) * 4, "NUL bytes"),
    ],
)
def test_binary_data_is_refused_with_what_it_looks_like(data: bytes, what: str):
    # The .txt name is a lie ("mislabelled binary"): the bytes decide.
    message = refused(data, "notes/x.txt")
    assert "looks like binary data" in message and what in message


def test_text_with_nul_bytes_is_refused():
    assert "NUL bytes" in refused(b"Looks like text\x00but has a NUL", "n.txt")


def test_utf16_without_bom_is_refused_as_binary():
    # Without a BOM, UTF-16 is indistinguishable from binary by our rule (NUL bytes).
    assert "NUL bytes" in refused("Hello there".encode("utf-16-le"), "u.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf", b"\x1b[31m\x1b[0m\n"])
def test_empty_or_unreadable_file_is_refused(data: bytes):
    message = refused(data, "empty.txt")
    assert "empty" in message or "no readable text" in message


def test_missing_path_and_directory_are_refused(tmp_path: Path):
    with pytest.raises(SourceError, match=r"gone\.txt: no such file"):
        load_path(tmp_path / "gone.txt")
    with pytest.raises(SourceError, match="is a directory"):
        load_path(tmp_path)


# --- decoded, possibly with a warning -----------------------------------------------------


def test_invalid_utf8_in_utf8_text_becomes_replacement_with_warning():
    doc = load_bytes("Café olé, naïve ".encode() + b"\xff\xfe broken" + " end".encode(), "b.txt").document
    assert doc.text == "Café olé, naïve \ufffd\ufffd broken end"
    assert doc.warnings == ["2 invalid UTF-8 byte sequence(s) replaced with \ufffd, at line 1 columns 17 and 18"]


def test_mostly_good_utf8_keeps_every_valid_character_however_many_bytes_are_broken():
    # Before: more broken bytes than accented characters sent the whole file through
    # Windows-1252, and "café —" came out as "cafÃ© â€”".
    data = "Title\n\ncafé —".encode() + b" \xff\xfe\xfd\n" + "naïve\n".encode() + b"\x80 end"
    doc = load_bytes(data, "b.txt").document
    assert "café —" in doc.text and "naïve" in doc.text
    assert "Ã" not in doc.text
    assert doc.text.count("\ufffd") == 4
    assert doc.warnings == [
        "4 invalid UTF-8 byte sequence(s) replaced with \ufffd, at line 3 columns 8, 9 and 10; line 5 column 1"
    ]


def test_the_warning_names_the_first_places_and_counts_the_rest():
    data = b"".join(f"línea {n} ".encode() + b"\xff\n" for n in range(1, 41))
    (warning,) = load_bytes(data, "many.txt").document.warnings
    assert warning.startswith("40 invalid UTF-8 byte sequence(s) replaced with \ufffd, at line 1 column 9; line 2")
    assert warning.endswith("and 35 more")


def test_windows_1252_with_a_coincidental_utf8_pair_is_still_windows_1252():
    # "ß”" is also a valid two-byte UTF-8 sequence; one coincidence among many lone accents.
    text = "Grüße aus München, schöne Äpfel, süße Öfen; „Gruß” für Jürgen. " * 3
    doc = load_bytes(text.encode("cp1252"), "w.txt").document
    assert doc.text == text.strip()
    assert doc.warnings == ["not valid UTF-8: decoded as Windows-1252"]


def test_windows_1252_is_decoded_with_a_warning():
    doc = load_bytes("“Smart quotes” — café €5".encode("cp1252"), "w.txt").document
    assert doc.text == "“Smart quotes” — café €5"
    assert doc.warnings == ["not valid UTF-8: decoded as Windows-1252"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_byte_order_marks_decide_the_encoding(encoding: str):
    text = "Ünïcödé title\r\n\r\nBody — with 文字."
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(encoding)
    doc = load_bytes(data, "bom.txt").document
    assert doc.text == "Ünïcödé title\n\nBody — with 文字."
    assert doc.warnings == []


def test_line_endings_cr_crlf_and_unicode_separators_become_newlines():
    data = "one\r\ntwo\rthree\u2028four\u2029five\x85six\x0cseven\nend".encode()
    doc = load_bytes(data, "nl.txt").document
    assert doc.text == "one\ntwo\nthree\nfour\n\nfive\nsix\nseven\nend"


def test_text_is_nfc_and_tabs_survive():
    doc = load_bytes("Cafe\u0301\tbar".encode(), "nfc.txt").document
    assert doc.text == "Café\tbar"


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b[31mred\x1b[0m",  # ANSI colour
        "\x1b[2J\x1b[H",  # clear screen
        "\x1b]52;c;aGVsbG8=\x07",  # OSC 52 clipboard write, BEL terminated
        "\x1b]52;c;aGVsbG8=\x1b\\",  # OSC 52, ST terminated
        "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
        "\x1b]0;new window title\x07",  # OSC 0 title
        "\x1bP+q544e\x1b\\",  # DCS query
        "\x9b31m\x9d0;title\x9c",  # 8-bit C1 CSI and OSC
        "\x07\x08\x7f\x0e\x0f",  # bell, backspace, DEL, shift-out/in
    ],
)
@pytest.mark.parametrize("name", ["e.txt", "e.md", "e.html"])
def test_escape_sequences_are_removed_whole(hostile: str, name: str):
    doc = load_bytes(f"Title\n\nbefore {hostile} after".encode(), name).document
    assert_clean(doc)
    assert "before" in doc.text and "after" in doc.text
    for leftover in ("52;c", "aGVsbG8", "[31m", "[2J", "0;new", "evil.example", "+q544e"):
        assert leftover not in doc.text


@pytest.mark.parametrize("entity", ["&#27;", "&#x1b;", "&#X1B", "&#155;", "&#0;", "&#7;"])
def test_html_entities_that_decode_to_controls_are_removed(entity: str):
    page = f"<html><head><title>T{entity}itle</title></head><body><h1>Head{entity}[31m</h1>" \
           f"<p>Para {entity}]52;c;aGk={entity} text long enough to be kept as article content, surely.</p></body></html>"
    doc = load_bytes(page.encode(), "e.html").document
    assert_clean(doc)
    assert doc.title == "Title"
    assert "Para" in doc.text


def test_markdown_entities_that_decode_to_escapes_are_removed():
    doc = load_bytes(b"# Head &#27;[2J\n\nBody &#x1b;]52;c;aGk=&#7; end", "e.md").document
    assert_clean(doc)
    assert doc.title.startswith("Head")


@pytest.mark.parametrize("name", ["m.txt", "m.md", "m.html"])
def test_markup_like_text_is_kept_literally(name: str):
    literal = "Press [@click=app.quit]quit[/] or [b]bold[/b] and [/]"
    doc = load_bytes(f"Title\n\n{literal} now.".encode(), name).document
    assert "[@click=app.quit]quit[/]" in doc.text
    assert "[b]bold[/b] and [/]" in doc.text


def test_bidi_overrides_and_zero_width_characters_are_kept():
    tricky = "file\u202egnp.exe and zero\u200bwidth \u2066isolate\u2069"
    doc = load_bytes(tricky.encode(), "bidi.txt").document
    assert doc.text == tricky  # made visible at display time by sanitise.for_display


def test_a_two_megabyte_single_line_is_one_paragraph():
    line = ("word " * 400_000).strip()
    doc = load_bytes(line.encode(), "long.txt").document
    assert len(doc.blocks) == 1 and doc.text == line
    assert doc.title == "Long"


def test_three_hundred_thousand_short_lines_load_whole():
    data = "\n".join(f"line {i}" for i in range(300_000)).encode()
    doc = load_bytes(data, "many.txt").document
    assert doc.text.count("\n") == 299_999
    assert doc.text.endswith("line 299999")
    assert_clean(doc)


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("brackets", "[" * 5000 + "x" + "]" * 5000),
        ("links", "[a](" * 5000),
        ("emphasis", "*a " * 5000 + "b" + " a*" * 5000),
        ("quotes", "> " * 5000 + "deep"),
        ("quote lines", "\n".join(">" * i + " x" for i in range(1, 3000))),
        ("indented lists", "\n".join("  " * i + "- x" for i in range(5000))),
        ("list markers", "- " * 5000 + "x"),
        ("mixed", "\n".join("> - " * 60 + "x" for _ in range(2000))),
        ("wide table", "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n" + ("|" + "x|" * 5000 + "\n") * 20),
    ],
    ids=lambda value: value if len(value) < 20 else "",
)
def test_pathological_markdown_loads_or_falls_back_to_plain_text(name: str, source: str):
    doc = load_bytes(source.encode(), "deep.md").document
    assert doc.blocks
    assert_clean(doc)
    if doc.format == "text":
        assert any("imported as plain text" in w for w in doc.warnings)


def test_deeply_nested_html_loads():
    page = "<html><body>" + "<div>" * 5000 + "<p>deep text</p>" + "</div>" * 5000 + "</body></html>"
    doc = load_bytes(page.encode(), "deep.html").document
    assert "deep text" in doc.text


@pytest.mark.parametrize("name", ["-rf.txt", "--help.md", "ñandú 文字 ☃.txt", "a b\tc.txt", "x.tar.gz.md"])
def test_odd_file_names_load_and_are_named_in_errors(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_text("Odd Name Test\n\nBody.", encoding="utf-8")
    loaded = load_path(path)
    assert loaded.document.title == "Odd Name Test"
    assert loaded.origin == str(path.resolve())
    empty = tmp_path / ("empty" + name)
    empty.write_bytes(b"")
    with pytest.raises(SourceError) as caught:
        load_path(empty)
    assert str(caught.value).startswith(str(empty))


def test_a_newline_in_a_file_name_cannot_split_the_error_message(tmp_path: Path):
    path = tmp_path / "bad\nname.txt"
    path.write_bytes(b"\x7fELF\x02" + bytes(20))
    with pytest.raises(SourceError) as caught:
        load_path(path)
    assert "\n" not in str(caught.value)


def _quotes(depth: int) -> str:
    return "First.\n\n" + "> " * depth + "deep quote text\n\nAfter.\n"


def _bullets(depth: int) -> str:
    return "First.\n\n" + "".join("  " * i + f"- word{i}x\n" for i in range(depth)) + "\nAfter.\n"


def _mixed(depth: int) -> str:
    return "First.\n\n" + "> - " * depth + "deep mixed text\n\nAfter.\n"


@pytest.mark.parametrize("build", [_quotes, _bullets, _mixed])
def test_every_word_of_nested_markdown_reaches_the_reading_text_at_any_depth(build):
    # The parser used to give up at depth 20 and drop the rest without a word; the
    # plain-text fallback started only at 32, so depths in between lost text silently.
    for depth in range(1, 61):
        source = build(depth)
        doc = load_bytes(source.encode(), "deep.md").document
        words = [w for w in source.split() if w.strip(">-")]
        missing = [w for w in words if w not in doc.text]
        assert missing == [], (depth, missing)
        if depth > 36 and doc.format == "text":
            assert any("imported as plain text" in w for w in doc.warnings)
