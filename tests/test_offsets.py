"""The offset map from postil's reading text to the file's text (issue 16)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from postil.sources.load import load_bytes
from postil.sources.offsets import OffsetMap, build_offset_map
from tests.test_plain_books import BOOK, PARAGRAPH

WORDS = st.sampled_from(["Call", "me", "Ishmael.", "whale", "sea,", "**bold**", "`code`", "[^1]", "&amp;", "<b>",
                         "</b>", "CHAPTER", "1.", "- ", "# ", "\n", "\n\n", "  ", "\t", "| a | b |", "é", "e\u0301"])
TEXTS = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)
NAMES = st.sampled_from(["x.txt", "x.md", "x.html"])


@settings(max_examples=80, deadline=None)
@given(text=TEXTS, name=NAMES, data=st.data())
def test_an_exported_position_holds_the_quote_in_the_file(text, name, data):
    page = f"<html><body><article><p>{text}</p></article></body></html>" if name.endswith(".html") else text
    raw = ("\ufeff" + page).encode("utf-8")
    try:
        loaded = load_bytes(raw, name)
    except Exception:
        return  # nothing readable: no highlights either
    reading, file_text = loaded.document.text, raw.decode("utf-8-sig")
    offsets = loaded.offsets
    assert offsets.file_chars == len(file_text)
    start = data.draw(st.integers(0, len(reading) - 1))
    end = data.draw(st.integers(start + 1, len(reading)))
    span = offsets.file_span(start, end)
    if span is not None:
        assert file_text[span[0] : span[1]] == reading[start:end]
    # Every run is text the two share, and a highlight inside one run always maps.
    for r, f, n in zip(offsets.reading, offsets.file, offsets.length):
        assert reading[r : r + n] == file_text[f : f + n]
        assert offsets.file_span(r, r + n) == (f, f + n)


def test_a_quote_in_a_gutenberg_book_maps_to_where_the_file_has_it():
    raw = BOOK.encode("utf-8")  # BOOK starts with a BOM, as Gutenberg files do
    loaded = load_bytes(raw, "pg9999.txt")
    reading, file_text = loaded.document.text, raw.decode("utf-8-sig")
    start = reading.index("Call me Ishmael.")
    span = loaded.offsets.file_span(start, start + len("Call me Ishmael."))
    assert span == (file_text.index("Call me Ishmael."), file_text.index("Call me Ishmael.") + 16)
    assert span[0] != start  # the header made the two differ


def test_a_phrase_joined_across_a_wrapped_line_has_no_file_position():
    loaded = load_bytes(PARAGRAPH.encode(), "w.txt")
    reading = loaded.document.text
    start = reading.index("having little")
    assert loaded.offsets.file_span(start, start + len("having little")) is None
    assert loaded.offsets.file_span(0, 11) == (0, 11)


def test_markup_postil_removed_leaves_the_words_mapped():
    raw = b"# Title\n\nSome **bold** words and a [link](https://example.org).\n"
    loaded = load_bytes(raw, "m.md")
    reading, file_text = loaded.document.text, raw.decode()
    for word in ("Title", "Some", "bold", "words and a", "link"):
        start = reading.index(word)
        fs, fe = loaded.offsets.file_span(start, start + len(word))
        assert file_text[fs:fe] == word


def test_the_map_survives_its_blob():
    offsets = build_offset_map("one two", "one\ntwo")
    again = OffsetMap.from_blob(offsets.file_chars, offsets.to_blob())
    assert list(again.reading) == list(offsets.reading) == [0, 4]
    assert again.file_span(4, 7) == (4, 7)
    assert len(offsets.to_blob()) == 2 * 3 * 8


def test_w3c_export_positions_point_into_the_file_and_import_keeps_the_highlight(tmp_path):
    import json

    from tests.cli_support import Postil

    book = tmp_path / "pg9999.txt"
    book.write_text(BOOK, encoding="utf-8")  # with its BOM
    postil = Postil(tmp_path)
    postil.ok("add", str(book))
    postil.ok("mark", "1", "Call me Ishmael.")
    postil.ok("mark", "1", "having little")  # joined across a line end: in no one place of the file
    out = tmp_path / "out.jsonld"
    postil.ok("export", "--format", "w3c", "-o", str(out))
    items = json.loads(out.read_text())["first"]["items"]
    file_text = book.read_text(encoding="utf-8-sig")
    by_quote = {item["target"]["selector"][0]["exact"]: item["target"] for item in items}
    call = by_quote["Call me Ishmael."]
    position = next(s for s in call["selector"] if s["type"] == "TextPositionSelector")
    assert file_text[position["start"] : position["end"]] == "Call me Ishmael."
    assert position["start"] == file_text.index("Call me Ishmael.")
    joined = by_quote["having little"]
    assert [s["type"] for s in joined["selector"]] == ["TextQuoteSelector"]
    # Importing the export into a fresh library finds both highlights where they were.
    other = Postil(tmp_path / "again")
    (tmp_path / "again").mkdir()
    other.ok("add", str(book))
    other.ok("import", str(out))
    assert sorted(h["quote"] for h in other.ok("highlights", "--json").json()) == ["Call me Ishmael.", "having little"]


def test_json_export_states_reading_and_file_positions_apart(tmp_path):
    from tests.cli_support import Postil

    book = tmp_path / "pg9999.txt"
    book.write_text(BOOK, encoding="utf-8")
    postil = Postil(tmp_path)
    postil.ok("add", str(book))
    postil.ok("mark", "1", "Call me Ishmael.")
    record = postil.ok("export", "--format", "json", "-o", "-").json()[0]
    file_text, reading = book.read_text(encoding="utf-8-sig"), postil.ok("show", "1").stdout
    assert reading[record["start"] : record["end"]] == "Call me Ishmael."
    assert file_text[record["file_start"] : record["file_end"]] == "Call me Ishmael."


def test_adding_the_same_file_again_gives_an_old_source_its_map(tmp_path):
    from postil.store.db import open_db
    from postil.store.offsets import load_offsets, save_offsets
    from postil.store.source_add import add_source

    db = open_db(tmp_path / "p.db")
    loaded = load_bytes(BOOK.encode("utf-8"), "pg9999.txt")
    source = add_source(db, loaded).source
    save_offsets(db, source.id, None)  # as a source imported before maps were kept
    assert load_offsets(db, source.id) is None
    assert add_source(db, loaded).status == "unchanged"
    assert load_offsets(db, source.id).to_blob() == loaded.offsets.to_blob()
