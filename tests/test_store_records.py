"""Records and memos in the store: provenance, keys, matching a bibliography, memo search."""

from __future__ import annotations

import sqlite3

import pytest
from csl_support import assert_valid_csl
from export_fixtures import add_text_source, mark

from postil.sources.bibliography import Entry, parse_bibliography
from postil.sources.load import load_bytes
from postil.store.db import open_db
from postil.store.errors import Conflict, NotFound, StoreError
from postil.store.memos import get_memo, save_memo, search_memos
from postil.store.record_import import import_entries, match_entries
from postil.store.records import MANUAL, SOURCE, get_record, list_records, update_record
from postil.store.search import search
from postil.store.source_add import add_source
from postil.store.sources import delete_source

PAGE = """<html><head>
<meta name="citation_title" content="Psilocybin for treatment-resistant depression">
<meta name="citation_author" content="Carhart-Harris, Robin L.">
<meta name="citation_publication_date" content="2017-10-13">
<meta name="citation_doi" content="10.1038/s41598-017-13282-7">
</head><body><p>First version of the article text, long enough to read.</p></body></html>"""


@pytest.fixture
def db(tmp_path) -> sqlite3.Connection:
    return open_db(tmp_path / "p.db")


def test_add_fills_the_record_from_the_file_and_a_new_version_keeps_hand_set_fields(db):
    added = add_source(db, load_bytes(PAGE.encode(), "a.html", origin="/x/a.html"))
    record = get_record(db, added.source.id)
    assert record.csl["DOI"] == "10.1038/s41598-017-13282-7"
    assert record.provenance["title"] == SOURCE
    assert record.citation_key == "carhartharris2017"
    update_record(db, added.source.id, {"title": "My corrected title"}, MANUAL)
    changed = PAGE.replace("First version", "Second version").replace("2017-10-13", "2018-01-01")
    again = add_source(db, load_bytes(changed.encode(), "a.html", origin="/x/a.html"))
    assert again.status == "updated"
    record = get_record(db, added.source.id)
    assert record.csl["title"] == "My corrected title"  # by hand: kept
    assert record.csl["issued"] == {"date-parts": [[2018, 1, 1]]}  # from the file: refreshed


def test_a_failed_add_leaves_no_record(db, tmp_path):
    # The record is written in the add's own transaction: a read-only database refuses both.
    db.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError):
        add_source(db, load_bytes(PAGE.encode(), "a.html"))
    db.execute("PRAGMA query_only = OFF")
    assert list_records(db) == {}
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 0


def test_surer_origins_win_and_weaker_ones_are_reported_as_kept(db):
    source = add_text_source(db, "Some text.", "Trial", "/t.txt")
    update_record(db, source.id, {"title": "From the page", "volume": "3"}, SOURCE)
    record, kept = update_record(db, source.id, {"title": "From refs.bib", "volume": "4"}, "import:refs.bib")
    assert (record.csl["title"], record.csl["volume"], kept) == ("From refs.bib", "4", [])
    update_record(db, source.id, {"title": "Typed"}, MANUAL)
    record, kept = update_record(db, source.id, {"title": "From other.bib", "issue": "2"}, "import:other.bib")
    assert record.csl["title"] == "Typed" and record.csl["issue"] == "2" and kept == ["title"]
    record, _ = update_record(db, source.id, {}, MANUAL, remove=("volume",))
    assert "volume" not in record.csl and "volume" not in record.provenance


def test_citation_keys_are_unique_without_regard_to_case(db):
    a = add_text_source(db, "Text a.", "A", "/a.txt")
    b = add_text_source(db, "Text b.", "B", "/b.txt")
    update_record(db, a.id, {"author": ["Nutt, David"], "issued": "2019"}, MANUAL)
    update_record(db, b.id, {"author": ["Nutt, David"], "issued": "2019"}, MANUAL)
    assert [list_records(db)[s.id].citation_key for s in (a, b)] == ["nutt2019", "nutt2019a"]
    with pytest.raises(Conflict, match="already source"):
        update_record(db, b.id, {}, MANUAL, key="NUTT2019")
    for bad in ("has space", "ends.", "-starts", "x" * 101):
        with pytest.raises(StoreError, match="not a citation key"):
            update_record(db, b.id, {}, MANUAL, key=bad)
    with pytest.raises(NotFound):
        update_record(db, 999, {"title": "x"}, MANUAL)


def test_deleting_a_source_deletes_its_record_and_memo(db):
    source = add_text_source(db, "Text.", "A", "/a.txt")
    update_record(db, source.id, {"title": "A"}, MANUAL)
    save_memo(db, source.id, "RCT, n=59", "ann")
    delete_source(db, source.id)
    assert list_records(db) == {} and get_memo(db, source.id) is None
    assert search_memos(db, "RCT") == []


BIB = """@article{k1, title={Psilocybin for treatment-resistant depression: a study}, doi={10.1038/S41598-017-13282-7}, year=2017}
@misc{k2, title={Some forum thread}, url={http://www.forum.example.org/thread/42/}}
@article{k3, title={How psychedelic therapy heals chronic trauma}, author={Doe, Jane}, year={2021}}
@article{k4, title={A paper nobody added}, year={2000}}"""


def test_matching_by_doi_then_url_then_title(db):
    by_doi = add_text_source(db, "Text one.", "Downloaded article", "/a.txt")
    update_record(db, by_doi.id, {"DOI": "10.1038/s41598-017-13282-7"}, SOURCE)
    by_url = add_text_source(db, "Text two.", "Forum", "https://forum.example.org/thread/42")
    by_title = add_text_source(db, "Text three.", "How Psychedelic Therapy Heals Chronic Trauma", "/c.txt")
    untouched = add_text_source(db, "Text four.", "Nothing like it", "/d.txt")
    entries = parse_bibliography(BIB, "bibtex").entries
    report = import_entries(db, entries, "refs.bib")
    found = {m.entry.key: (m.source_id, m.by) for m in report.matches}
    assert found == {"k1": (by_doi.id, "doi"), "k2": (by_url.id, "url"), "k3": (by_title.id, "title"), "k4": (None, "")}
    records = list_records(db)
    assert records[by_title.id].csl["author"] == [{"family": "Doe", "given": "Jane"}]
    assert records[by_title.id].provenance["author"] == "import:refs.bib"
    assert records[by_title.id].citation_key == "k3"
    assert untouched.id not in records
    assert_valid_csl([r.item("t") for r in records.values()])


def test_a_dry_run_changes_nothing_and_each_source_takes_one_entry(db):
    a = add_text_source(db, "Text.", "Psilocybin and the brain", "/a.txt")
    entries = [Entry("e1", {"title": "Psilocybin and the brain"}, 1), Entry("e2", {"title": "Psilocybin and the brain"}, 2)]
    assert [m.source_id for m in match_entries(db, entries)] == [a.id, None]
    import_entries(db, entries, "x.json", dry_run=True)
    assert list_records(db) == {}


def test_a_title_too_close_to_two_sources_matches_neither(db):
    add_text_source(db, "Text a.", "Psilocybin trial results part one", "/a.txt")
    add_text_source(db, "Text b.", "Psilocybin trial results part two", "/b.txt")
    assert match_entries(db, [Entry("e", {"title": "Psilocybin trial results part"}, 1)])[0].source_id is None


def test_memos_are_saved_exactly_searched_and_cleared(db):
    a = add_text_source(db, "Some text.", "Trial", "/t.txt")
    b = add_text_source(db, "Other text.", "Review", "/r.txt")
    memo_text = "  Randomised controlled trial, n = 59.\n\nAppraisal: *small* sample; [/] markup kept.  "
    save_memo(db, a.id, memo_text, "ann")
    save_memo(db, b.id, "Narrative review; no primary data.", "bo")
    assert get_memo(db, a.id).memo == memo_text
    assert search_memos(db, "randomis") == [a.id]
    assert search_memos(db, "review data") == [b.id]
    assert search_memos(db, '"') == [] and search_memos(db, "") == []
    save_memo(db, a.id, "Updated: crossover trial.")
    assert search_memos(db, "randomised") == [] and search_memos(db, "crossover") == [a.id]
    assert save_memo(db, a.id, "   ") is None and get_memo(db, a.id) is None
    with pytest.raises(StoreError, match="too long"):
        save_memo(db, b.id, "x" * 200_001)


def test_has_memo_finds_highlights_of_sources_with_a_memo(db):
    text = "Sixty-one percent responded. Relapse was common."
    a = add_text_source(db, text, "Trial", "/t.txt")
    b = add_text_source(db, text + " Again.", "Other", "/o.txt")
    in_a = mark(db, a, text, "Sixty-one percent responded")
    mark(db, b, text, "Relapse was common")
    save_memo(db, a.id, "Randomised controlled trial, open label")
    assert [h.id for h in search(db, "has:memo")] == [in_a.id]
    assert len(search(db, "-has:memo")) == 1
    assert [h.id for h in search(db, 'memo:"open label"')] == [in_a.id]
    assert [h.id for h in search(db, "memo:randomis sixty")] == [in_a.id]
    assert search(db, "memo:crossover") == [] and search(db, 'memo:"open""label AND"') == []
    assert len(search(db, "memo:crossover,controlled")) == 1
