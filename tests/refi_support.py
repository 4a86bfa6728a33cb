"""Helpers for the REFI-QDA tests: the official schema, hand-written projects, a database summary."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

REFI = Path(__file__).resolve().parents[2] / "shared" / "refi-qda"
XSD = REFI / "Project-mrt2019.xsd"
NS = "urn:QDA-XML:project:1.0"
STAMP = re.compile(rb'(creationDateTime|modifiedDateTime)="[^"]*"')


def project_schema() -> etree.XMLSchema:
    if not XSD.is_file():
        pytest.skip("../shared/refi-qda/Project-mrt2019.xsd is not present")
    return etree.XMLSchema(etree.parse(str(XSD)))


def codebook_schema() -> etree.XMLSchema:
    """Section 5.2's codebook: the project schema's CodeBookType in the codebook namespace,
    with <CodeBook> as its root element (no separate schema file is published)."""
    if not XSD.is_file():
        pytest.skip("../shared/refi-qda/Project-mrt2019.xsd is not present")
    text = XSD.read_text(encoding="utf-8").replace("urn:QDA-XML:project:1.0", "urn:QDA-XML:codebook:1.0")
    text = text.replace(
        '<xsd:complexType name="CodeBookType">',
        '<xsd:element name="CodeBook"><xsd:complexType><xsd:sequence>'
        '<xsd:element name="Codes" type="CodesType"/></xsd:sequence>'
        '<xsd:attribute name="origin" type="xsd:string"/></xsd:complexType></xsd:element>'
        '<xsd:complexType name="CodeBookType">',
        1,
    )
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))


def assert_valid(schema: etree.XMLSchema, xml: bytes) -> None:
    document = etree.fromstring(xml)
    assert schema.validate(document), [str(e) for e in schema.error_log][:5]


def project_xml(archive: Path) -> bytes:
    with zipfile.ZipFile(archive) as z:
        return z.read("project.qde")


def without_stamps(xml: bytes) -> bytes:
    return STAMP.sub(b"", xml)


def write_project(path: Path, body: str, files: dict[str, bytes | str] | None = None, *,
                  origin: str = "HandTool 1.0", qde_name: str = "project.qde", bom: bool = False) -> Path:
    """A .qdpx holding a project.qde with `body` inside <Project>, and `files` beside it."""
    xml = f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="hand" origin="{origin}">{body}</Project>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(qde_name, (b"\xef\xbb\xbf" if bom else b"") + xml.encode("utf-8"))
        for name, data in (files or {}).items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def g(n: int) -> str:
    """A readable GUID for hand-written projects."""
    return f"00000000-0000-4000-8000-{n:012d}"


def summary(db) -> dict:
    """What a user would compare between two databases: texts, codebook, highlights, links, memos."""
    sources = {sid: (title, text) for sid, title, text in db.execute("SELECT id, title, text FROM sources")}
    tags = sorted(db.execute("SELECT name, color, description FROM tags").fetchall())
    highlights = sorted(
        (sources[sid][0], start, end, quote, note, author,
         tuple(sorted(t for (t,) in db.execute(
             "SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.highlight_id = ?", [hid]))))
        for hid, sid, start, end, quote, note, author in db.execute(
            'SELECT id, source_id, start, "end", quote, note, author FROM highlights')
    )
    links = sorted(db.execute(
        """SELECT a.quote, b.quote, l.relation, l.note FROM links l
           JOIN highlights a ON a.id = l.from_id JOIN highlights b ON b.id = l.to_id""").fetchall())
    memos = sorted(db.execute(
        "SELECT s.title, m.memo, m.author FROM source_memos m JOIN sources s ON s.id = m.source_id").fetchall())
    return {"sources": sorted(sources.values()), "tags": tags, "highlights": highlights, "links": links, "memos": memos}


def counts(db) -> tuple[int, ...]:
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("sources", "tags", "highlights", "links", "source_memos", "highlight_tags"))
