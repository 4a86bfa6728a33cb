"""Two reviewers on one corpus through the command line: reviewers, done, blind, agreement."""

from __future__ import annotations

import pytest
from cli_support import ARTICLE, Postil

from postil.store.agreement import cohen_kappa, reliability


@pytest.fixture
def postil(tmp_path):
    p = Postil(tmp_path)
    p.ok("add", p.write("durability.txt", ARTICLE))
    return p


def mark(postil, who: str, quote: str, *tags: str) -> str:
    args = [a for t in tags for a in ("--tag", t)]
    return postil.ok("--author", who, "mark", "1", quote, *args).stdout.strip()


def coded_by_ana_and_ben(postil):
    mark(postil, "ana", "Patients who responded at six weeks", "outcome")
    mark(postil, "ben", "Patients who responded at six weeks mostly kept the response", "outcome")
    mark(postil, "ana", "Some relapses followed stressful events.", "caveat")
    mark(postil, "ben", "The sample was small", "caveat")


def test_reviewers_lists_each_author_with_counts(postil):
    coded_by_ana_and_ben(postil)
    postil.ok("--author", "ana", "done", "1")
    out = postil.ok("reviewers", "--json").json()
    by_name = {r["name"]: r for r in out["reviewers"]}
    assert by_name["ana"] == {"name": "ana", "highlights": 2, "sources": 1, "done": 1, "tags": 2}
    assert by_name["ben"]["done"] == 0 and out["blind_mode"] is False
    text = postil.ok("reviewers").stdout
    assert "ana" in text and "ben" in text


def test_agreement_characters_match_the_text(postil):
    coded_by_ana_and_ben(postil)
    [source] = postil.ok("sources", "--json").json()
    report = postil.ok("agreement", "--tag", "outcome", "--json").json()
    assert report["reviewers"] == ["ana", "ben"] and report["unit"] == "char"
    row = next(r for r in report["rows"] if r["source_id"] == 1)
    [m] = row["measures"]
    length = source["chars"]
    ana = len("Patients who responded at six weeks")
    ben = len("Patients who responded at six weeks mostly kept the response")
    assert m["units"] == length
    assert m["percent"] == pytest.approx((length - (ben - ana)) / length)
    expected = reliability([(1, 1)] * ana + [(0, 1)] * (ben - ana) + [(0, 0)] * (length - ben))
    assert m["kappa"] == pytest.approx(cohen_kappa(expected))
    shown = postil.ok("agreement").stdout
    assert "outcome" in shown and "caveat" in shown and "all tags" in shown and "ana+ben" in shown


def test_agreement_by_sentence_and_share(postil):
    coded_by_ana_and_ben(postil)
    whole = postil.ok("agreement", "--tag", "outcome", "--unit", "sentence", "--json").json()
    [m] = next(r for r in whole["rows"] if r["source_id"] == 1)["measures"]
    assert m["percent"] == 1.0  # both touched the same sentence, and no other
    half = postil.ok("agreement", "--tag", "outcome", "--unit", "sentence", "--share", "0.5", "--json").json()
    [m] = next(r for r in half["rows"] if r["source_id"] == 1)["measures"]
    assert m["percent"] < 1.0  # ana's phrase is less than half of the sentence


def test_agreement_needs_two_reviewers_and_known_names(postil):
    mark(postil, "ana", "Some relapses followed stressful events.", "caveat")
    assert "at least two reviewers" in postil.fails("agreement").stderr
    assert "no reviewer named zoe" in postil.fails("agreement", "--reviewers", "ana,zoe").stderr
    assert "no tag" in postil.fails("agreement", "--tag", "nonesuch").stderr.lower()


def test_a_reviewer_who_coded_none_of_the_measured_sources_is_left_out(postil, tmp_path):
    """Found in the 60x24 tryout: root had marked only the welcome guide, and every row of
    ana and ben's article carried 'ana+root -' and 'ben+root -' beside the real pair."""
    coded_by_ana_and_ben(postil)
    postil.ok("add", postil.write("other.txt", "Another text entirely.\n\nWith two paragraphs.\n"))
    postil.ok("--author", "root", "mark", "2", "Another text", "--tag", "caveat")
    report = postil.ok("agreement", "--json").json()
    assert report["reviewers"] == ["ana", "ben"] and report["sources"] == [1]
    pairs = {"+".join(m["reviewers"]) for row in report["rows"] for m in row["measures"]}
    assert pairs == {"ana+ben"}
    assert "root" not in postil.ok("agreement").stdout
    named = postil.ok("agreement", "--reviewers", "ana,ben,root", "--json").json()
    assert named["reviewers"] == ["ana", "ben", "root"]  # asked for by name: kept


def test_a_reviewer_without_highlights_counts_once_done(postil):
    mark(postil, "ana", "Some relapses followed stressful events.", "caveat")
    postil.ok("--author", "ben", "done", "1")  # ben read it and found nothing to code
    report = postil.ok("agreement", "--json").json()
    [m] = next(r for r in report["rows"] if r["source_id"] == 1)["measures"]
    assert m["reviewers"] == ["ana", "ben"] and m["kappa"] == 0.0


def test_blind_mode_hides_others_in_highlights_search_and_export(postil, tmp_path):
    coded_by_ana_and_ben(postil)
    postil.ok("blind", "on")
    assert postil.ok("blind").stdout.strip() == "blind mode is on"
    as_ana = ("--author", "ana")
    authors = {h["author"] for h in postil.ok(*as_ana, "highlights", "--json").json()}
    assert authors == {"ana"}
    assert {h["author"] for h in postil.ok(*as_ana, "search", "sample", "--json").json()} == set()
    brief = postil.ok(*as_ana, "export", "-o", "-").stdout
    assert "Some relapses" in brief and "The sample was small" not in brief and "ben" not in brief
    postil.ok(*as_ana, "done", "1")
    assert {h["author"] for h in postil.ok(*as_ana, "search", "--json").json()} == {"ana", "ben"}
    postil.ok(*as_ana, "done", "1", "--undo")
    assert {h["author"] for h in postil.ok(*as_ana, "search", "--json").json()} == {"ana"}
    assert postil.ok(*as_ana, "agreement", "--json").json()["sources"] == []
    postil.ok(*as_ana, "done", "1")
    assert postil.ok(*as_ana, "agreement", "--json").json()["sources"] == [1]
    postil.ok("blind", "off")
    assert {h["author"] for h in postil.ok(*as_ana, "search", "--json").json()} == {"ana", "ben"}


def test_export_one_reviewer(postil):
    coded_by_ana_and_ben(postil)
    brief = postil.ok("export", "--reviewer", "ben", "-o", "-").stdout
    assert "The sample was small" in brief and "Some relapses" not in brief


def test_disagreements_reconcile_and_the_consensus_brief(postil):
    coded_by_ana_and_ben(postil)
    places = postil.ok("disagreements", "--json").json()
    assert [p["kind"] for p in places] == ["extent", "only", "only"]
    extent, ana_only, ben_only = places
    assert {v["author"] for v in extent["versions"]} == {"ana", "ben"}
    listed = postil.ok("disagreements").stdout
    assert extent["key"] in listed and "overlapping passages" in listed
    postil.ok("--author", "ana", "reconcile", "merge", extent["key"][:8], "--narrower")
    ana_version = ana_only["versions"][0]["id"]
    postil.ok("reconcile", "keep", ana_only["key"], ana_version[:8])
    postil.ok("reconcile", "drop", ben_only["key"])
    assert postil.ok("disagreements", "--json").json() == []
    assert len(postil.ok("reconcile", "list", "--json").json()) == 3
    brief = postil.ok("export", "--reviewer", "consensus", "-o", "-").stdout
    assert "Patients who responded at six weeks" in brief and "Some relapses" in brief
    assert "The sample was small" not in brief
    postil.ok("reconcile", "undo")  # the drop
    assert [p["key"] for p in postil.ok("disagreements", "--json").json()] == [ben_only["key"]]
    assert "keep which version" in postil.fails("reconcile", "keep", ben_only["key"], "ffffffff").stderr
    assert "no place" in postil.fails("reconcile", "drop", "999-abc").stderr


def test_blind_mode_hides_others_links(postil):
    mark(postil, "ana", "Some relapses followed stressful events.", "caveat")
    b = mark(postil, "ben", "The sample was small", "caveat")
    c = mark(postil, "ben", "Patients who responded at six weeks", "outcome")
    postil.ok("--author", "ben", "link", b, c)
    postil.ok("blind", "on")
    assert postil.ok("--author", "ana", "links", "--json").json() == []
    assert len(postil.ok("--author", "ben", "links", "--json").json()) == 1
    postil.ok("--author", "ana", "done", "1")
    assert len(postil.ok("--author", "ana", "links", "--json").json()) == 1
