"""Hostile .qdpx and .qdc files: each refused in one line naming the file, the database unchanged."""

from __future__ import annotations

import zipfile

import pytest
from cli_support import Postil
from refi_support import NS, g, write_project

from postil.store.db import open_db

SECRET = "TOP-SECRET-LINE"


def text_project(body_extra: str = "") -> str:
    return (f'<Sources><TextSource guid="{g(20)}" name="T" plainTextPath="internal://{g(20)}.txt">'
            f'<PlainTextSelection guid="{g(30)}" startPosition="0" endPosition="4"/></TextSource></Sources>{body_extra}')


def zip_with(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def qde(body: str = "", head: str = "") -> bytes:
    return f'<?xml version="1.0"?>{head}<Project xmlns="{NS}" name="x">{body}</Project>'.encode()


@pytest.fixture
def postil(tmp_path):
    postil = Postil(tmp_path)
    postil.ok("tags")  # creates the database
    return postil


def refused(postil, path, *fragments):
    db = open_db(postil.db_path)
    before = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("sources", "tags", "highlights", "links")]
    run = postil.fails("import", str(path))
    assert len(run.stderr.strip().splitlines()) == 1 and str(path) in run.stderr
    for fragment in fragments:
        assert fragment in run.stderr
    after = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("sources", "tags", "highlights", "links")]
    assert after == before
    assert SECRET not in "".join(r[0] for r in db.execute("SELECT text FROM sources"))


def test_external_entities_are_refused(postil, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    head = f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    body = f'<Notes><Note guid="{g(50)}"><PlainTextContent>&xxe;</PlainTextContent></Note></Notes>'
    refused(postil, zip_with(tmp_path / "xxe.qdpx", {"project.qde": qde(body, head)}), "DTD or entities")
    codebook = tmp_path / "xxe.qdc"
    codebook.write_bytes(f'<?xml version="1.0"?>{head}<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                         f'<Code guid="{g(1)}" name="&xxe;" isCodable="true"/></Codes></CodeBook>'.encode())
    refused(postil, codebook, "DTD or entities")


def test_entity_expansion_is_refused(postil, tmp_path):
    lol = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    head = f'<!DOCTYPE Project [<!ENTITY l0 "lol">{lol}]>'
    body = f'<Notes><Note guid="{g(50)}"><PlainTextContent>&l9;</PlainTextContent></Note></Notes>'
    refused(postil, zip_with(tmp_path / "lol.qdpx", {"project.qde": qde(body, head)}), "DTD or entities")


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/evil.txt", "C:/evil.txt", "sources/../../evil.txt",
                                    "..\\..\\evil.txt"])
def test_members_outside_the_archive_are_refused(postil, tmp_path, member):
    path = zip_with(tmp_path / "slip.qdpx", {"project.qde": qde(text_project()), member: b"text"})
    refused(postil, path, "outside the archive")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_zip_bomb_is_refused(postil, tmp_path):
    path = zip_with(tmp_path / "bomb.qdpx", {"project.qde": qde(text_project()), f"sources/{g(20)}.txt": b"a" * (8 << 20)})
    refused(postil, path, "compressed", "ZIP bomb")


def test_too_many_members_are_refused(postil, tmp_path):
    path = tmp_path / "many.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("project.qde", qde())
        for i in range(10_001):
            z.writestr(f"sources/{i}.txt", b"")
    refused(postil, path, "members")


@pytest.mark.parametrize("content, fragment", [
    (b"not a zip at all", "not a ZIP archive"),
    (None, "no project.qde"),
    (b"<Project", "not well-formed XML"),
    (b'<?xml version="1.0"?><Other/>', "not a REFI-QDA project"),
])
def test_broken_files_are_refused(postil, tmp_path, content, fragment):
    path = tmp_path / "broken.qdpx"
    if content == b"not a zip at all":
        path.write_bytes(content)
    elif content is None:
        zip_with(path, {"readme.txt": b"hello"})
    else:
        zip_with(path, {"project.qde": content})
    refused(postil, path, fragment)


def test_a_codebook_that_is_not_one_is_refused(postil, tmp_path):
    path = tmp_path / "odd.qdc"
    path.write_bytes(qde())
    refused(postil, path, "not a REFI-QDA codebook")


def test_positions_outside_a_text_are_reported_not_fatal(postil, tmp_path):
    body = (f'<Sources><TextSource guid="{g(20)}" name="T" plainTextPath="internal://{g(20)}.txt">'
            f'<PlainTextSelection guid="{g(30)}" startPosition="0" endPosition="4"/>'
            f'<PlainTextSelection guid="{g(31)}" startPosition="-3" endPosition="2"/>'
            f'<PlainTextSelection guid="{g(32)}" startPosition="2" endPosition="999"/>'
            f'<PlainTextSelection guid="{g(33)}" startPosition="3" endPosition="3"/>'
            f'<PlainTextSelection guid="{g(34)}" startPosition="x" endPosition="2"/>'
            "</TextSource></Sources>")
    path = write_project(tmp_path / "p.qdpx", body, {f"sources/{g(20)}.txt": "Text here"})
    run = postil.ok("import", str(path))
    assert "1 highlight added" in run.stdout
    assert run.stderr.count("outside the text") == 3 and "whole-number positions" in run.stderr


def test_control_characters_in_a_text_do_not_reach_the_database(postil, tmp_path):
    text = "Hi \x1b[31mred\x1b[0m and\x07 bell"
    start = text.index("red")
    body = (f'<Sources><TextSource guid="{g(20)}" name="T\x1b" plainTextPath="internal://{g(20)}.txt">'
            f'<PlainTextSelection guid="{g(30)}" startPosition="{start}" endPosition="{start + 3}"/></TextSource></Sources>')
    path = write_project(tmp_path / "c.qdpx", body.replace("\x1b", ""), {f"sources/{g(20)}.txt": text})
    postil.ok("import", str(path))
    db = open_db(postil.db_path)
    stored = db.execute("SELECT text FROM sources").fetchone()[0]
    assert "\x1b" not in stored and "\x07" not in stored
    assert db.execute("SELECT quote FROM highlights").fetchone()[0] == "red"


def test_known_slips_of_other_tools_are_read(postil, tmp_path):
    """A BOM before <?xml, an upper-case Sources/ folder, a .txt declared as the rich text."""
    body = (f'<Sources><TextSource guid="{g(20)}" name="T" richTextPath="internal://{g(20)}.txt">'
            f'<PlainTextSelection guid="{g(30)}" startPosition="0" endPosition="4"/></TextSource></Sources>')
    path = write_project(tmp_path / "slips.qdpx", body, {f"Sources/{g(20)}.txt": "Text here"}, bom=True)
    run = postil.ok("import", str(path))
    assert "1 highlight added" in run.stdout
    assert open_db(postil.db_path).execute("SELECT quote FROM highlights").fetchone()[0] == "Text"
