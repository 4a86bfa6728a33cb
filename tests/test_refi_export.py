"""REFI-QDA export: .qdpx projects valid against the official schema, .qdc codebooks, exact positions."""

from __future__ import annotations

import io
import zipfile

import pytest
from cli_support import Postil
from export_fixtures import add_text_source, mark, two_source_db
from lxml import etree
from refi_support import NS, assert_valid, codebook_schema, project_schema, project_xml, without_stamps

from postil.exports.refi.exchange import export_qdc, export_qdpx
from postil.store.db import open_db
from postil.store.errors import StoreError
from postil.store.highlights import restore_highlight
from postil.store.models import Highlight, HighlightSnapshot
from postil.store.tags import create_tag, delete_tag, list_tags

EMOJI_TEXT = "Mood 😀😀 rose.\n\nThe 🍄 group improved\nover six weeks, said 👩‍⚕️ staff.\n\nLast words"
Q = {"q": NS}


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "postil.db")
    made = two_source_db(db)
    emoji = add_text_source(db, EMOJI_TEXT, "Emoji notes", "/data/emoji.txt")
    create_tag(db, "caveat/small sample", color="#123abc", description="n < 30")
    create_tag(db, "design/rct")
    mark(db, emoji, EMOJI_TEXT, "group improved\nover six weeks", tags=["caveat/small sample", "outcome"], author="cy")
    mark(db, emoji, EMOJI_TEXT, "Last words", tags=["design/rct"], note="at the very end")
    # source memos have no store API yet (table from migration 0006): written as a user's tool would
    db.execute("INSERT INTO source_memos (source_id, memo, author, updated_at) VALUES (?, ?, ?, ?)",
               [made["a"].id, "An RCT, n = 20.", "ann", "2026-01-01T00:00:00Z"])
    return db


def archive(made) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(made.data))


def test_project_validates_against_the_official_schema(db):
    schema = project_schema()
    for crlf in (False, True):
        made = export_qdpx(db, crlf=crlf)
        assert_valid(schema, archive(made).read("project.qde"))


def test_archive_holds_project_and_lower_case_sources_folder_in_utf8_without_bom(db):
    z = archive(export_qdpx(db))
    names = z.namelist()
    assert names[0] == "project.qde"
    assert all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:]) and len(names) == 4
    root = etree.fromstring(z.read("project.qde"))
    for source in root.iterfind(".//q:TextSource", namespaces=Q):
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        data = z.read("sources/" + path[len("internal://"):])
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in data
    assert not z.read("project.qde").startswith(b"\xef\xbb\xbf")


def selections(z) -> list[tuple[str, int, int, etree._Element]]:
    """(text of the selection's source file, start, end, element) for every selection."""
    root = etree.fromstring(z.read("project.qde"))
    out = []
    for source in root.iterfind(".//q:TextSource", namespaces=Q):
        text = z.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        for sel in source.iterfind("q:PlainTextSelection", namespaces=Q):
            out.append((text, int(sel.get("startPosition")), int(sel.get("endPosition")), sel))
    return out


def test_positions_count_code_points_into_the_exported_text(db):
    found = {text[start:end]: (text, start) for text, start, end, _ in selections(archive(export_qdpx(db)))}
    assert "group improved\nover six weeks" in found and "Last words" in found
    text, start = found["group improved\nover six weeks"]
    assert start == EMOJI_TEXT.index("group")  # code points: each emoji before it counts one
    assert start != len(EMOJI_TEXT[:start].encode("utf-16-le")) // 2  # not UTF-16 units
    text, start = found["Last words"]
    assert start + len("Last words") == len(text)  # a selection ending at the very end of a text


def test_crlf_export_counts_each_crlf_as_two_code_points(db):
    z = archive(export_qdpx(db, crlf=True))
    assert etree.fromstring(z.read("project.qde")).get("origin") == "postil crlf"
    quotes = {text[start:end] for text, start, end, _ in selections(z)}
    assert "group improved\r\nover six weeks" in quotes
    assert "Sixty-one percent of patients responded" in quotes


def test_selections_carry_notes_codings_and_users(db):
    z = archive(export_qdpx(db))
    root = etree.fromstring(z.read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", namespaces=Q)}
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", namespaces=Q)}
    by_quote = {text[s:e]: el for text, s, e, el in selections(z)}
    caveat = by_quote["the sample was small"]
    assert caveat.findtext("q:Description", namespaces=Q) == "Only *20* people."
    assert users[caveat.get("creatingUser")] == "ann"
    assert sorted(codes[r.get("targetGUID")] for r in caveat.iterfind(".//q:CodeRef", namespaces=Q)) == ["caveat", "outcome"]
    assert sorted(users.values()) == ["ann", "bo", "cy"]


def test_nested_tags_become_nested_codes_with_colours(db):
    root = etree.fromstring(archive(export_qdpx(db)).read("project.qde"))
    caveat = root.find(".//q:Code[@name='caveat']", namespaces=Q)
    child = caveat.find("q:Code", namespaces=Q)
    assert (child.get("name"), child.get("color"), child.get("isCodable")) == ("small sample", "#123ABC", "true")
    assert child.findtext("q:Description", namespaces=Q) == "n < 30"
    design = root.find(".//q:Code[@name='design']", namespaces=Q)  # only a folder: "design" is no tag
    assert design.get("isCodable") == "false"
    assert design.find("q:Code", namespaces=Q).get("name") == "rct"


def test_links_and_memos(db):
    root = etree.fromstring(archive(export_qdpx(db)).read("project.qde"))
    links = root.findall(".//q:Link", namespaces=Q)
    assert sorted(l.get("name") for l in links) == ["qualifies", "supports"]
    assert {l.get("direction") for l in links} == {"OneWay"}
    notes = {n.get("guid"): n.findtext("q:PlainTextContent", namespaces=Q) for n in root.iterfind(".//q:Note", namespaces=Q)}
    trial = root.find(".//q:TextSource[@name='Trial report']", namespaces=Q)
    assert notes[trial.find("q:NoteRef", namespaces=Q).get("targetGUID")] == "An RCT, n = 20."


def test_exporting_twice_gives_the_same_project_apart_from_time_stamps(db):
    first, second = export_qdpx(db), export_qdpx(db)
    assert without_stamps(archive(first).read("project.qde")) == without_stamps(archive(second).read("project.qde"))
    assert {n: archive(first).read(n) for n in archive(first).namelist()[1:]} == \
        {n: archive(second).read(n) for n in archive(second).namelist()[1:]}


def test_orphaned_highlights_are_left_out_and_reported(db):
    source_id = db.execute("SELECT id FROM sources WHERE title = 'Trial report'").fetchone()[0]
    lost = Highlight("11111111-2222-4333-8444-555555555555", source_id, 0, 4, "gone", "", "", "", "", "2026-01-01T00:00:00Z",
                     "2026-01-01T00:00:00Z", 1, "orphaned", [])
    restore_highlight(db, HighlightSnapshot(lost, []))
    made = export_qdpx(db)
    assert lost.id.encode() not in archive(made).read("project.qde")
    assert any("1 orphaned highlight" in line for line in made.losses)


def test_a_query_exports_only_its_highlights_and_their_sources(db):
    z = archive(export_qdpx(db, "tag:anecdote"))
    assert len(z.namelist()) == 2
    assert [text[s:e] for text, s, e, _ in selections(z)] == ["like a reset button"]


def test_codebook_validates_and_holds_every_tag(db):
    made = export_qdc(db)
    assert_valid(codebook_schema(), made.data)
    root = etree.fromstring(made.data)
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert names == ["mechanism", "outcome", "caveat", "small sample", "anecdote", "design", "rct"]


def test_cli_writes_both_files_and_prints_the_data_loss_report(tmp_path):
    postil = Postil(tmp_path)
    source = tmp_path / "trial.txt"
    source.write_text("Results\n\nSixty-one percent responded.\n", encoding="utf-8")
    postil.ok("add", str(source))
    postil.ok("mark", "trial", "Sixty-one percent", "-t", "outcome")
    postil.ok("mark", "trial", "responded", "-t", "caveat")
    ids = [h["id"] for h in postil.ok("highlights", "--json").json()]
    postil.ok("link", ids[1], ids[0], "-r", "qualifies")
    run = postil.ok("export", "--format", "qdpx", "-o", str(tmp_path / "r.qdpx"))
    assert "wrote 2 selections from 1 source" in run.stdout
    assert "not carried into the qdpx: links' authors and dates" in run.stderr
    assert_valid(project_schema(), project_xml(tmp_path / "r.qdpx"))
    run = postil.ok("export", "--format", "qdc", "-o", str(tmp_path / "c.qdc"))
    assert "wrote 4 codes" in run.stdout
    postil.fails("export", "--format", "qdc", "-o", str(tmp_path / "c.qdc"))  # exists: --force needed


def test_a_database_without_tags_still_exports_a_valid_project(tmp_path):
    db = open_db(tmp_path / "bare.db")
    source = add_text_source(db, "Only text here.", "Bare", "/bare.txt")
    mark(db, source, "Only text here.", "text")
    for tag in list_tags(db):
        delete_tag(db, tag.name)
    assert_valid(project_schema(), archive(export_qdpx(db)).read("project.qde"))
    with pytest.raises(StoreError, match="no tags to export"):
        export_qdc(db)
