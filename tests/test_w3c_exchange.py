"""W3C Web Annotation export and import: schema validity, round trip, idempotence, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_fixtures import MECHANISM_TEXT, OUTCOME_TEXT, add_text_source, two_source_db

from postil.exports.collect import collect
from postil.exports.w3c import origin_from_uri, parse, source_uri, to_w3c
from postil.store.db import open_db
from postil.store.exchange import merge
from postil.store.highlights import get_highlight, list_highlights, set_note
from postil.store.links import list_links

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "w3c-annotation-schemas"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "postil.db")


@pytest.fixture
def validator():
    """must_failures(instance, test_file) -> failed assertion files (README recipe)."""
    if not (SCHEMAS / "definitions").is_dir():
        pytest.skip("../shared/w3c-annotation-schemas is not present")
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    defs = [json.loads(p.read_text()) for p in (SCHEMAS / "definitions").glob("*.json")]
    registry = Registry().with_resources(
        (d["id"], Resource.from_contents(d, default_specification=DRAFT4)) for d in defs
    )
    cache: dict[str, list] = {}

    def must_failures(instance: dict, test_file: str) -> list[str]:
        if test_file not in cache:
            test = json.loads((SCHEMAS / test_file).read_text())
            cache[test_file] = []
            for rel in test["assertions"]:
                schema = json.loads((SCHEMAS / rel).read_text())
                checker = Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)
                cache[test_file].append((rel, checker, schema.get("expectedResult", "valid") == "valid"))
        return [rel for rel, checker, expect in cache[test_file] if checker.is_valid(instance) != expect]

    return must_failures


def items(collection: dict) -> list[dict]:
    return collection["first"]["items"]


def test_every_annotation_passes_every_must_assertion(db, validator):
    two_source_db(db)
    collection = to_w3c(collect(db))
    assert len(items(collection)) == 5
    for annotation in items(collection):
        assert validator(annotation, "annotations/annotationMusts.test") == [], annotation["id"]
    assert validator(collection, "collections/collectionMusts.test") == []
    assert validator(collection["first"], "collections/pages/pageMusts.test") == []


def test_the_schema_check_is_real(db, validator):
    """A broken annotation fails (so the passes above mean something)."""
    two_source_db(db)
    bad = json.loads(json.dumps(items(to_w3c(collect(db)))[0]))
    del bad["target"]["selector"][0]["exact"]
    bad["id"] = "not a uri"
    assert validator(bad, "annotations/annotationMusts.test")


def test_annotation_shape(db):
    made = two_source_db(db)
    by_id = {a["id"]: a for a in items(to_w3c(collect(db)))}
    caveat = by_id[f"urn:uuid:{made['caveat'].id}"]
    assert caveat["type"] == "Annotation" and caveat["creator"] == {"type": "Person", "name": "ann"}
    purposes = [(b["purpose"], b.get("value")) for b in caveat["body"]]
    assert ("tagging", "caveat") in purposes and ("tagging", "outcome") in purposes
    assert ("commenting", "Only *20* people.") in purposes
    link = next(b for b in caveat["body"] if b["purpose"] == "linking")
    assert link["source"] == f"urn:uuid:{made['outcome'].id}" and link["postil:relation"] == "qualifies"
    target = caveat["target"]
    assert target["source"] == "file:///data/trial.txt"
    assert target["postil:sha256"] == made["a"].sha256
    quote, position = target["selector"]
    assert quote["exact"] == "the sample was small" and position["end"] - position["start"] == 20
    assert OUTCOME_TEXT[position["start"] : position["end"]] == quote["exact"]


def test_source_uris():
    assert source_uri("/a b/ü.txt", "ff") == "file:///a%20b/%C3%BC.txt"
    assert source_uri("https://example.org/a b", "ff") == "https://example.org/a%20b"
    assert source_uri("pasted", "ff") == "urn:postil:source:ff"


def comparable(collection: dict) -> list[dict]:
    return sorted((dict(a) for a in items(collection)), key=lambda a: a["id"])


def test_export_import_export_gives_the_same_annotations(db, tmp_path):
    two_source_db(db)
    first = to_w3c(collect(db))
    fresh = open_db(tmp_path / "fresh.db")
    # An annotation file holds no source text: the sources are added first (matched by sha256).
    add_text_source(fresh, OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    add_text_source(fresh, MECHANISM_TEXT, "Mechanisms", "/data/mech.txt")
    incoming, problems = parse(json.loads(json.dumps(first)))
    report = merge(fresh, incoming)
    assert problems == [] and len(report.added) == 5 and report.links_added == 2
    again = to_w3c(collect(fresh))
    assert comparable(again) == comparable(first)


def test_importing_twice_changes_nothing(db, tmp_path):
    two_source_db(db)
    incoming, _ = parse(to_w3c(collect(db)))
    fresh = open_db(tmp_path / "fresh.db")
    add_text_source(fresh, OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    add_text_source(fresh, MECHANISM_TEXT, "Mechanisms", "/data/mech.txt")
    merge(fresh, incoming)
    before = (list_highlights(fresh), list_links(fresh))
    report = merge(fresh, parse(to_w3c(collect(db)))[0])
    assert not report.changed and report.unchanged == 5 and report.conflicts == []
    assert (list_highlights(fresh), list_links(fresh)) == before
    # Importing into the database the file came from changes nothing either.
    assert not merge(db, incoming).changed


def test_conflicting_edits_keep_the_newer_and_are_reported(db, tmp_path, monkeypatch):
    made = two_source_db(db)
    fresh = open_db(tmp_path / "fresh.db")
    add_text_source(fresh, OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    add_text_source(fresh, MECHANISM_TEXT, "Mechanisms", "/data/mech.txt")
    merge(fresh, parse(to_w3c(collect(db)))[0])
    # Theirs (db) edits the outcome's note later; ours (fresh) edited the caveat's note later.
    monkeypatch.setenv("POSTIL_NOW", "2030-01-01T00:00:00.000Z")
    set_note(fresh, made["caveat"].id, "our newer note")
    monkeypatch.setenv("POSTIL_NOW", "2029-01-01T00:00:00.000Z")
    set_note(db, made["caveat"].id, "their older note")
    set_note(db, made["outcome"].id, "their newer note")
    report = merge(fresh, parse(to_w3c(collect(db)))[0])
    kept = {c.highlight_id: c.kept for c in report.conflicts}
    assert kept == {made["caveat"].id: "ours", made["outcome"].id: "theirs"}
    assert get_highlight(fresh, made["caveat"].id).note == "our newer note"
    assert get_highlight(fresh, made["outcome"].id).note == "their newer note"
    assert not merge(fresh, parse(to_w3c(collect(db)))[0]).updated  # settled: nothing more to take


def test_unknown_sources_are_reported_and_skipped(db, tmp_path):
    two_source_db(db)
    fresh = open_db(tmp_path / "fresh.db")
    add_text_source(fresh, OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    report = merge(fresh, parse(to_w3c(collect(db)))[0])
    assert len(report.added) == 2 and len(report.unknown_source) == 3
    assert {where for _, where in report.unknown_source} == {"/data/mech.txt"}
    assert report.links_added == 1 and report.links_skipped == []


def test_changed_source_anchors_by_quote_or_keeps_an_orphan(db, tmp_path):
    made = two_source_db(db)
    fresh = open_db(tmp_path / "fresh.db")
    # Their copy of the trial report gained a paragraph and lost the sentence about the sample.
    changed = "Preface added.\n\n" + OUTCOME_TEXT.replace(", and the sample was small", "")
    add_text_source(fresh, changed, "Trial report", "/data/trial.txt")
    report = merge(fresh, parse(to_w3c(collect(db, "source:\"Trial report\"")))[0])
    assert report.moved == [made["outcome"].id]
    assert report.orphaned == [made["caveat"].id]
    orphan = get_highlight(fresh, made["caveat"].id)
    assert orphan.anchor_status == "orphaned" and orphan.note == "Only *20* people."
    moved = get_highlight(fresh, made["outcome"].id)
    assert changed[moved.start : moved.end] == moved.quote


def test_foreign_annotations_are_read(db):
    """A plain annotation from another tool (no postil extensions, bodyValue note)."""
    source = add_text_source(db, OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno/1",
        "type": "Annotation",
        "bodyValue": "interesting",
        "target": {
            "source": "file:///data/trial.txt",
            "selector": {"type": "TextQuoteSelector", "exact": "Relapse was common"},
        },
    }
    incoming, problems = parse([foreign, {"type": "Annotation", "target": "http://x"}])
    assert len(problems) == 1
    report = merge(db, incoming)
    assert len(report.added) == 1
    h = get_highlight(db, report.added[0])
    assert (h.source_id, h.quote, h.note) == (source.id, "Relapse was common", "interesting")


@pytest.mark.parametrize("origin", ["/tmp/a b.md", "/tmp/100%.md", "/tmp/a%2541.md", "/x/é.md"])
def test_a_file_origin_comes_back_from_its_iri_unchanged(origin):
    # The path was unquoted twice, so a name holding "%25" came back as another file's.
    assert origin_from_uri(source_uri(origin, "0" * 64)) == origin
