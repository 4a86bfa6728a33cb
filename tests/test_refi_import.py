"""REFI-QDA import: round trips, hand-written projects from other tools, idempotence, all or nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from cli_support import Postil
from export_fixtures import add_text_source, mark, two_source_db
from hypothesis import given, settings
from hypothesis import strategies as st
from refi_support import counts, g, summary, without_stamps, write_project

from postil.exports.refi.exchange import export_qdc, export_qdpx, import_refi
from postil.store.db import open_db
from postil.store.errors import StoreError
from postil.store.highlights import create_highlight, list_highlights
from postil.store.tags import create_tag, list_tags

EMOJI_TEXT = "Mood 😀😀 rose.\n\nThe 🍄 group improved\nover six weeks.\n\nLast words"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "postil.db")


def rich_db(db):
    made = two_source_db(db)
    emoji = add_text_source(db, EMOJI_TEXT, "Emoji notes", "/data/emoji.txt")
    create_tag(db, "caveat/small sample", color="#123abc", description="n < 30")
    mark(db, emoji, EMOJI_TEXT, "group improved\nover six weeks", tags=["caveat/small sample"], author="cy", note="🍄!")
    mark(db, emoji, EMOJI_TEXT, "Last words", tags=["mechanism"])
    # source memos have no store API yet (table from migration 0006): written as a user's tool would
    db.execute("INSERT INTO source_memos (source_id, memo, author, updated_at) VALUES (?, ?, ?, ?)",
               [made["a"].id, "An RCT, n = 20.", "ann", "2026-01-01T00:00:00Z"])
    return made


def test_export_import_export_gives_the_same_project(db, tmp_path):
    rich_db(db)
    for crlf in (False, True):
        first = tmp_path / f"first-{crlf}.qdpx"
        first.write_bytes(export_qdpx(db, crlf=crlf).data)
        fresh = open_db(tmp_path / f"fresh-{crlf}.db")
        result = import_refi(fresh, first)
        assert result.report.highlights_added == 7 and result.report.links_added == 2
        assert summary(fresh) == summary(db)
        again = export_qdpx(fresh, crlf=crlf)
        a, b = zipfile.ZipFile(first), zipfile.ZipFile(io.BytesIO(again.data))
        assert without_stamps(a.read("project.qde")) == without_stamps(b.read("project.qde"))
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist()[1:])


def test_importing_the_same_file_twice_changes_nothing(db, tmp_path):
    rich_db(db)
    path = tmp_path / "r.qdpx"
    path.write_bytes(export_qdpx(db).data)
    fresh = open_db(tmp_path / "fresh.db")
    import_refi(fresh, path)
    before = summary(fresh), counts(fresh)
    second = import_refi(fresh, path).report
    assert (summary(fresh), counts(fresh)) == before
    assert second.highlights_added == 0 and second.highlights_unchanged == 7 and not second.sources_added
    # and into the database it came from: sources matched by their text, nothing added
    mine = import_refi(db, path).report
    assert len(mine.sources_matched) == 3 and not mine.sources_added and mine.highlights_added == 0


HAND_TEXT = "Intro 😀 line\r\nSecond line with 🍄 words\r\n\r\nThe end"


def hand_project(tmp_path, *, origin="HandTool 1.0", folder="sources", name_of=lambda s: s):
    """A project as another tool writes it: nested codes, two users, CRLF text counted in
    code points of the file, notes by NoteRef and Description, a link, a PDF, a picture."""
    text = HAND_TEXT
    start_b = text.index("Second")
    sel_b = text[start_b:start_b + len("Second line with 🍄 words")]
    body = f"""
<Users><User guid="{g(1)}" name="Ana"/><User guid="{g(2)}" name="Bo"/></Users>
<CodeBook><Codes>
  <Code guid="{g(10)}" name="Emotion" isCodable="true" color="#FF0000">
    <Description>feelings</Description>
    <Code guid="{g(11)}" name="Joy" isCodable="true" color="#0F0"/>
  </Code>
  <Code guid="{g(12)}" name="Themes" isCodable="false"><Code guid="{g(13)}" name="Ending: (final)" isCodable="true"/></Code>
</Codes></CodeBook>
<Variables><Variable guid="{g(90)}" name="age" typeOfVariable="Integer"/></Variables>
<Sources>
  <TextSource guid="{g(20)}" name="Interview 1" plainTextPath="internal://{g(20)}.txt" creatingUser="{g(1)}">
    <PlainTextSelection guid="{g(30)}" name="{name_of('😀')}" startPosition="6" endPosition="7" creatingUser="{g(1)}"
        creationDateTime="2024-05-01T10:00:00Z">
      <Description>a smile</Description>
      <Coding guid="{g(40)}" creatingUser="{g(1)}"><CodeRef targetGUID="{g(11)}"/></Coding>
      <NoteRef targetGUID="{g(50)}"/>
    </PlainTextSelection>
    <PlainTextSelection guid="{g(31)}" name="{name_of(sel_b)}" startPosition="{start_b}" endPosition="{start_b + len(sel_b)}"
        creatingUser="{g(2)}">
      <Coding guid="{g(41)}"><CodeRef targetGUID="{g(10)}"/></Coding>
    </PlainTextSelection>
    <PlainTextSelection guid="{g(32)}" name="The end" startPosition="{len(text) - 7}" endPosition="{len(text)}">
      <Coding guid="{g(42)}"><CodeRef targetGUID="{g(13)}"/></Coding>
    </PlainTextSelection>
    <PlainTextSelection guid="{g(33)}" name="beyond" startPosition="{len(text) - 2}" endPosition="{len(text) + 5}"/>
    <NoteRef targetGUID="{g(51)}"/>
  </TextSource>
  <PDFSource guid="{g(21)}" name="Paper.pdf" path="internal://{g(21)}.pdf">
    <PDFSelection guid="{g(34)}" page="1" firstX="0" firstY="0" secondX="5" secondY="5"/>
    <Representation guid="{g(22)}" plainTextPath="internal://{g(22)}.txt">
      <PlainTextSelection guid="{g(35)}" startPosition="0" endPosition="5"/>
    </Representation>
  </PDFSource>
  <PictureSource guid="{g(23)}" name="photo.jpg" path="internal://{g(23)}.jpg"/>
</Sources>
<Notes>
  <Note guid="{g(50)}" name="memo on smile" creatingUser="{g(2)}"><PlainTextContent>Bo thinks so too</PlainTextContent></Note>
  <Note guid="{g(51)}" name="about interview" creatingUser="{g(1)}"><PlainTextContent>Long interview.</PlainTextContent></Note>
  <Note guid="{g(52)}" name="loose"><PlainTextContent>unattached</PlainTextContent></Note>
  <Note guid="{g(53)}" name="link note"><PlainTextContent>because</PlainTextContent></Note>
</Notes>
<Links><Link guid="{g(60)}" name="Supports" direction="Associative" originGUID="{g(30)}" targetGUID="{g(31)}">
  <NoteRef targetGUID="{g(53)}"/></Link></Links>"""
    files = {f"{folder}/{g(20)}.txt": "\ufeff" + text, f"{folder}/{g(22)}.txt": "Paper text here."}
    return write_project(tmp_path / "hand.qdpx", body, files, origin=origin)


def test_a_hand_written_project_lands_at_exact_positions(db, tmp_path):
    result = import_refi(db, hand_project(tmp_path, folder="Sources"))  # upper-case folder, BOM in the text
    by_id = {h.id: h for h in list_highlights(db)}
    smile, second, end = by_id[g(30)], by_id[g(31)], by_id[g(32)]
    assert smile.quote == "😀"  # the emoji before it counts one code point
    assert second.quote == "Second line with 🍄 words"
    assert end.quote == "The end"  # ends at the very end of the text
    text = db.execute("SELECT text FROM sources WHERE title = 'Interview 1'").fetchone()[0]
    assert "\r" not in text and text == HAND_TEXT.replace("\r\n", "\n")
    assert smile.tags == ["Emotion/Joy"] and second.tags == ["Emotion"] and end.tags == ["Themes/Ending- -final-"]
    assert (smile.author, second.author) == ("Ana", "Bo")
    assert smile.note == "a smile\n\nBo thinks so too"
    assert smile.created_at == "2024-05-01T10:00:00Z"
    tags = {t.name: t for t in list_tags(db)}
    assert tags["Emotion"].color == "#ff0000" and tags["Emotion/Joy"].color == "#00ff00"
    assert tags["Emotion"].description == "feelings" and "Themes" not in tags
    link = db.execute("SELECT from_id, to_id, relation, note FROM links").fetchall()
    assert link == [(g(30), g(31), "supports", "because")]
    assert db.execute("SELECT memo, author FROM source_memos").fetchall() == [("Long interview.", "Ana")]
    paper = db.execute("SELECT text FROM sources WHERE title = 'Paper.pdf'").fetchone()[0]
    assert paper == "Paper text here." and by_id[g(35)].quote == "Paper"
    assert any(g(33) in s and "outside the text" in s for s in result.report.skipped)
    losses = "\n".join(result.losses)
    for expected in ("picture source 'photo.jpg'", "1 PDF area selection", "1 variable", "1 note(s) not attached",
                     "made one-way", "renamed 'Ending- -final-'"):
        assert expected in losses
    assert any("counting each as two" in n for n in result.notices)


def test_crlf_counted_as_one_is_recognised_from_selection_names(db, tmp_path):
    """A tool that counts CRLF as one character: positions into the LF text, and names that say so."""
    lf = HAND_TEXT.replace("\r\n", "\n")
    start = lf.index("Second")
    body = f"""<Sources><TextSource guid="{g(20)}" name="T" plainTextPath="internal://{g(20)}.txt">
      <PlainTextSelection guid="{g(31)}" name="Second line" startPosition="{start}" endPosition="{start + 11}"/>
    </TextSource></Sources>"""
    path = write_project(tmp_path / "one.qdpx", body, {f"sources/{g(20)}.txt": HAND_TEXT})
    result = import_refi(db, path)
    assert list_highlights(db)[0].quote == "Second line"
    assert any("counting each as one character" in line for line in result.notices)
    other = open_db(tmp_path / "other.db")  # the user's override wins
    import_refi(other, path, crlf_counts="2")
    assert list_highlights(other)[0].quote != "Second line"


def test_a_codebook_import_adds_nested_tags_and_keeps_existing_ones(db, tmp_path):
    create_tag(db, "outcome", color="#000000")  # exists already (a default): left as it is
    source = open_db(tmp_path / "source.db")
    create_tag(source, "caveat/small sample", color="#123abc", description="n < 30")
    path = tmp_path / "c.qdc"
    path.write_bytes(export_qdc(source).data)
    report = import_refi(db, path).report
    assert report.tags_added == ["caveat/small sample"]
    tags = {t.name: t for t in list_tags(db)}
    assert (tags["caveat/small sample"].color, tags["caveat/small sample"].description) == ("#123abc", "n < 30")
    assert len(tags) == 5


def test_a_failure_half_way_leaves_the_database_as_it_was(db, tmp_path):
    rich_db(db)
    path = tmp_path / "r.qdpx"
    path.write_bytes(export_qdpx(db).data)
    fresh = open_db(tmp_path / "fresh.db")
    add_text_source(fresh, "Already here.", "Mine", "/mine.txt")
    # A real SQLite failure at the last step (links come after sources, tags and highlights).
    fresh.execute("CREATE TRIGGER no_links BEFORE INSERT ON links BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    before = summary(fresh), counts(fresh)
    with pytest.raises(StoreError):
        import_refi(fresh, path)
    assert (summary(fresh), counts(fresh)) == before


def test_cli_import_reports_what_was_added_and_not_carried(tmp_path):
    path = hand_project(tmp_path)
    postil = Postil(tmp_path)
    run = postil.ok("import", str(path))
    assert "2 sources added" in run.stdout and "4 highlights added" in run.stdout and "1 link added" in run.stdout
    assert "not carried: picture source 'photo.jpg'" in run.stderr
    assert "skipped: selection" in run.stderr
    again = postil.ok("import", str(path))
    assert "0 highlights added, 4 already here" in again.stdout


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two databases shared by the property's examples (opening one costs more than an example)."""
    folder = tmp_path_factory.mktemp("roundtrip")
    return open_db(folder / "a.db"), open_db(folder / "b.db"), folder


@settings(max_examples=25, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(["a", "é", "😀", "👩‍⚕️", " ", "\n", "𝔘", "z"]), min_size=3, max_size=40),
    data=st.data(),
)
def test_any_selection_survives_the_round_trip(pair, pieces, data):
    db, fresh, folder = pair
    text = "".join(pieces)
    if not text.strip():
        text += "x"
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    source = add_text_source(db, text, "T", f"/t{len(list_highlights(db))}.txt", blocks=[])
    made = create_highlight(db, source.id, start, end, tags=["outcome"])
    path = folder / "p.qdpx"
    path.write_bytes(export_qdpx(db, f"source:{source.id}", crlf=data.draw(st.booleans())).data)
    import_refi(fresh, path)
    [h] = [h for h in list_highlights(fresh) if h.id == made.id]
    assert (h.start, h.end, h.quote) == (start, end, text[start:end])


def test_the_corpus_annotated_exports_valid_and_comes_back_whole(corpus_dir, tmp_path):
    """As a new user would: the five articles, all four tags, notes and links, out and back in."""
    from refi_support import assert_valid, project_schema, project_xml

    postil = Postil(tmp_path)
    files = sorted(corpus_dir.iterdir())[:5]
    postil.ok("add", *map(str, files))
    db = open_db(postil.db_path)
    tags = ["mechanism", "outcome", "caveat", "anecdote"]
    made = []
    for i, info in enumerate(db.execute("SELECT id FROM sources ORDER BY id").fetchall()):
        text = db.execute("SELECT text FROM sources WHERE id = ?", info).fetchone()[0]
        start = text.index(" ", len(text) // 2) + 1
        made.append(create_highlight(db, info[0], start, start + 40, tags=[tags[i % 4], tags[(i + 1) % 4]],
                                     note=f"note {i} 🍄", author=["ann", "bo"][i % 2]))
    postil.ok("link", made[0].id, made[1].id, "-r", "supports", "-n", "same dose")
    postil.ok("link", made[2].id, made[3].id, "-r", "contradicts")
    run = postil.ok("export", "--format", "qdpx", "-o", str(tmp_path / "corpus.qdpx"))
    assert "not carried into the qdpx" in run.stderr
    assert_valid(project_schema(), project_xml(tmp_path / "corpus.qdpx"))
    fresh = open_db(tmp_path / "fresh.db")
    import_refi(fresh, tmp_path / "corpus.qdpx")
    mine, theirs = summary(db), summary(fresh)
    assert theirs["highlights"] == mine["highlights"] and theirs["links"] == mine["links"]
    assert len(theirs["sources"]) == 5
